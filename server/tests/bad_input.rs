//! Bad input, table-driven: every merchant endpoint and the sandbox API get
//! malformed JSON, wrong or missing `Content-Type`, missing / extra / wrongly
//! typed fields, empty strings, ids of the wrong shape, unknown / expired /
//! completed sessions, huge numbers, non-ASCII text and oversized bodies.
//! Each answers a 4xx in its endpoint's error shape, and reading the
//! sessions back (sandbox GET with expand) shows that nothing changed.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    all_stats as stats, http, sandbox_create, sandbox_get, sandbox_post, spawn_sandbox, KEY,
};
use serde_json::Value;

/// Whose error shape an answer must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `{"type":"error","message":"...","code":"..."}`
    Merchant,
    /// `{"error":{"type":"...","message":"..."}}`
    Stripe,
}

struct Case {
    name: &'static str,
    method: &'static str,
    /// `{open}`, `{expired}`, `{complete}` are replaced by session ids.
    path: &'static str,
    content_type: Option<&'static str>,
    body: String,
    /// Send the sandbox's secret key as bearer auth.
    auth: bool,
    status: u16,
    shape: Shape,
}

fn merchant(
    name: &'static str,
    path: &'static str,
    ct: Option<&'static str>,
    body: &str,
    status: u16,
) -> Case {
    Case {
        name,
        method: "POST",
        path,
        content_type: ct,
        body: body.to_owned(),
        auth: false,
        status,
        shape: Shape::Merchant,
    }
}

fn json(name: &'static str, path: &'static str, body: &str, status: u16) -> Case {
    merchant(name, path, Some("application/json"), body, status)
}

fn stripe(
    name: &'static str,
    method: &'static str,
    path: &'static str,
    form: &str,
    status: u16,
) -> Case {
    Case {
        name,
        method,
        path,
        content_type: Some("application/x-www-form-urlencoded"),
        body: form.to_owned(),
        auth: true,
        status,
        shape: Shape::Stripe,
    }
}

const JSON: Option<&str> = Some("application/json");
const CI: &str = "/change-subscription-interval";
const QTY: &str = "/update-line-item-quantity";
const APPLY: &str = "/apply-customer-discount";
const DISC: &str = "/update-discounts";
const TRIAL: &str = "/extend-trial-for-yearly";
const CREATE: &str = "/create-checkout-session";

fn cases() -> Vec<Case> {
    let big = format!(
        r#"{{"checkout_session_id":"{{open}}","interval":"yearly","pad":"{}"}}"#,
        "x".repeat(17 * 1024)
    );
    let big_create = format!(r#"{{"pad":"{}"}}"#, "x".repeat(17 * 1024));
    let big_form = format!("metadata[pad]={}", "x".repeat(65 * 1024));
    vec![
        // --- merchant: transport ---
        json(
            "malformed JSON",
            CI,
            r#"{"checkout_session_id": "{open}", "interval": "#,
            400,
        ),
        merchant(
            "no Content-Type",
            CI,
            None,
            r#"{"checkout_session_id":"{open}","interval":"yearly"}"#,
            400,
        ),
        merchant(
            "text/plain",
            CI,
            Some("text/plain"),
            r#"{"checkout_session_id":"{open}","interval":"yearly"}"#,
            400,
        ),
        merchant(
            "form-encoded",
            CI,
            Some("application/x-www-form-urlencoded"),
            "checkout_session_id={open}&interval=yearly",
            400,
        ),
        json("JSON array", CI, r#"["{open}","yearly"]"#, 400),
        json("JSON null", CI, "null", 400),
        json("body over 16 KiB", CI, &big, 413),
        // --- merchant: fields ---
        json(
            "missing interval",
            CI,
            r#"{"checkout_session_id":"{open}"}"#,
            400,
        ),
        json("missing session id", CI, r#"{"interval":"yearly"}"#, 400),
        json(
            "extra amount_off",
            CI,
            r#"{"checkout_session_id":"{open}","interval":"yearly","amount_off":15000}"#,
            400,
        ),
        json(
            "extra price",
            CI,
            r#"{"checkout_session_id":"{open}","interval":"yearly","price":"price_sandbox_monthly"}"#,
            400,
        ),
        json(
            "interval wrong type",
            CI,
            r#"{"checkout_session_id":"{open}","interval":12}"#,
            400,
        ),
        json(
            "interval empty",
            CI,
            r#"{"checkout_session_id":"{open}","interval":""}"#,
            400,
        ),
        json(
            "interval unknown",
            CI,
            r#"{"checkout_session_id":"{open}","interval":"weekly"}"#,
            400,
        ),
        json(
            "interval non-ASCII",
            CI,
            r#"{"checkout_session_id":"{open}","interval":"年間"}"#,
            400,
        ),
        json(
            "session id empty",
            CI,
            r#"{"checkout_session_id":"","interval":"yearly"}"#,
            400,
        ),
        json(
            "session id path traversal",
            CI,
            r#"{"checkout_session_id":"cs_test_../../v1/coupons","interval":"yearly"}"#,
            400,
        ),
        json(
            "session id wrong prefix",
            CI,
            r#"{"checkout_session_id":"pi_3Nabc","interval":"yearly"}"#,
            400,
        ),
        json(
            "session id non-ASCII",
            CI,
            r#"{"checkout_session_id":"cs_test_ünïcödé","interval":"yearly"}"#,
            400,
        ),
        json(
            "session id a number",
            CI,
            r#"{"checkout_session_id":12345,"interval":"yearly"}"#,
            400,
        ),
        json(
            "unknown session",
            CI,
            r#"{"checkout_session_id":"cs_test_doesnotexist0000","interval":"yearly"}"#,
            400,
        ),
        json(
            "expired session",
            CI,
            r#"{"checkout_session_id":"{expired}","interval":"yearly"}"#,
            400,
        ),
        json(
            "completed session",
            CI,
            r#"{"checkout_session_id":"{complete}","interval":"monthly"}"#,
            400,
        ),
        json(
            "quantity huge",
            QTY,
            r#"{"checkout_session_id":"{open}","line_item_id":"{line_item}","quantity":18446744073709551616}"#,
            400,
        ),
        json(
            "quantity 1e308",
            QTY,
            r#"{"checkout_session_id":"{open}","line_item_id":"{line_item}","quantity":1e308}"#,
            400,
        ),
        json(
            "quantity negative",
            QTY,
            r#"{"checkout_session_id":"{open}","line_item_id":"{line_item}","quantity":-1}"#,
            400,
        ),
        json(
            "quantity a string",
            QTY,
            r#"{"checkout_session_id":"{open}","line_item_id":"{line_item}","quantity":"3"}"#,
            400,
        ),
        json(
            "quantity zero",
            QTY,
            r#"{"checkout_session_id":"{open}","line_item_id":"{line_item}","quantity":0}"#,
            400,
        ),
        json(
            "line item id wrong shape",
            QTY,
            r#"{"checkout_session_id":"{open}","line_item_id":"price_sandbox_yearly","quantity":2}"#,
            400,
        ),
        json(
            "line item unknown",
            QTY,
            r#"{"checkout_session_id":"{open}","line_item_id":"li_nothere","quantity":2}"#,
            400,
        ),
        json(
            "quantity extra unit_amount",
            QTY,
            r#"{"checkout_session_id":"{open}","line_item_id":"{line_item}","quantity":2,"unit_amount":1}"#,
            400,
        ),
        json(
            "apply: extra amount_off",
            APPLY,
            r#"{"checkout_session_id":"{open}","amount_off":99999}"#,
            400,
        ),
        json(
            "apply: session id wrong type",
            APPLY,
            r#"{"checkout_session_id":["{open}"]}"#,
            400,
        ),
        json(
            "apply: unknown session",
            APPLY,
            r#"{"checkout_session_id":"cs_test_nosuchsession"}"#,
            400,
        ),
        json(
            "apply: completed session",
            APPLY,
            r#"{"checkout_session_id":"{complete}"}"#,
            400,
        ),
        json(
            "apply: expired session",
            APPLY,
            r#"{"checkout_session_id":"{expired}"}"#,
            400,
        ),
        merchant(
            "apply: no Content-Type",
            APPLY,
            None,
            r#"{"checkout_session_id":"{open}"}"#,
            400,
        ),
        json(
            "discounts an object",
            DISC,
            r#"{"checkout_session_id":"{open}","discounts":{"coupon":"SANDBOX10"}}"#,
            400,
        ),
        json(
            "discounts a string",
            DISC,
            r#"{"checkout_session_id":"{open}","discounts":"SANDBOX10"}"#,
            400,
        ),
        json(
            "discounts missing",
            DISC,
            r#"{"checkout_session_id":"{open}"}"#,
            400,
        ),
        json(
            "discounts extra coupon_data",
            DISC,
            r#"{"checkout_session_id":"{open}","discounts":[{}],"coupon_data":{"amount_off":15000}}"#,
            400,
        ),
        json(
            "trial: extra trial_period_days",
            TRIAL,
            r#"{"checkout_session_id":"{open}","trial_period_days":730}"#,
            400,
        ),
        json("trial: missing session id", TRIAL, "{}", 400),
        json(
            "trial: expired session",
            TRIAL,
            r#"{"checkout_session_id":"{expired}"}"#,
            400,
        ),
        json(
            "create: extra amount",
            CREATE,
            r#"{"amount":1,"currency":"usd"}"#,
            400,
        ),
        json("create: malformed JSON", CREATE, "{", 400),
        json(
            "create: customer_email not an address",
            CREATE,
            r#"{"customer_email":"not an email"}"#,
            400,
        ),
        json(
            "create: customer_email unfinished",
            CREATE,
            r#"{"customer_email":"ada@"}"#,
            400,
        ),
        json(
            "create: customer_email a number",
            CREATE,
            r#"{"customer_email":42}"#,
            400,
        ),
        merchant(
            "create: text/plain body",
            CREATE,
            Some("text/plain"),
            "{}",
            400,
        ),
        merchant(
            "create: form body",
            CREATE,
            Some("application/x-www-form-urlencoded"),
            "price=price_x",
            400,
        ),
        merchant("create: body over 16 KiB", CREATE, JSON, &big_create, 413),
        // --- sandbox API (Stripe's error shape) ---
        stripe(
            "sandbox: unknown parameter",
            "POST",
            "/v1/checkout/sessions/{open}",
            "amount_total=1",
            400,
        ),
        stripe(
            "sandbox: quantity not a number",
            "POST",
            "/v1/checkout/sessions/{open}",
            "line_items[0][id]={line_item}&line_items[0][quantity]=abc",
            400,
        ),
        stripe(
            "sandbox: quantity huge",
            "POST",
            "/v1/checkout/sessions/{open}",
            "line_items[0][id]={line_item}&line_items[0][quantity]=99999999999999999999999",
            400,
        ),
        stripe(
            "sandbox: unknown price (non-ASCII)",
            "POST",
            "/v1/checkout/sessions/{open}",
            "line_items[0][price]=pr%C3%AFce_%E5%B9%B4",
            400,
        ),
        stripe(
            "sandbox: negative amount_off",
            "POST",
            "/v1/checkout/sessions/{open}",
            "discounts[0][coupon_data][amount_off]=-5&discounts[0][coupon_data][currency]=usd",
            400,
        ),
        stripe(
            "sandbox: malformed brackets",
            "POST",
            "/v1/checkout/sessions/{open}",
            "line_items[0=x",
            400,
        ),
        Case {
            content_type: Some("application/json"),
            ..stripe(
                "sandbox: JSON body",
                "POST",
                "/v1/checkout/sessions/{open}",
                r#"{"metadata":{"a":"b"}}"#,
                400,
            )
        },
        stripe(
            "sandbox: update expired",
            "POST",
            "/v1/checkout/sessions/{expired}",
            "metadata[a]=b",
            400,
        ),
        stripe(
            "sandbox: update completed",
            "POST",
            "/v1/checkout/sessions/{complete}",
            "metadata[a]=b",
            400,
        ),
        stripe(
            "sandbox: unknown session",
            "GET",
            "/v1/checkout/sessions/cs_test_nosuchsession",
            "",
            404,
        ),
        stripe(
            "sandbox: id of the wrong shape",
            "POST",
            "/v1/checkout/sessions/pi_123",
            "metadata[a]=b",
            404,
        ),
        Case {
            auth: false,
            ..stripe(
                "sandbox: no API key",
                "POST",
                "/v1/checkout/sessions/{open}",
                "metadata[a]=b",
                401,
            )
        },
        stripe(
            "sandbox: body over 64 KiB",
            "POST",
            "/v1/checkout/sessions/{open}",
            &big_form,
            413,
        ),
        Case {
            content_type: JSON,
            ..stripe(
                "faults: malformed JSON",
                "POST",
                "/sandbox/faults",
                "{",
                400,
            )
        },
        Case {
            content_type: JSON,
            ..stripe(
                "faults: unknown field",
                "POST",
                "/sandbox/faults",
                r#"{"fail_next":1,"explode":true}"#,
                400,
            )
        },
        Case {
            content_type: JSON,
            ..stripe(
                "faults: status not an error",
                "POST",
                "/sandbox/faults",
                r#"{"fail_next":1,"status":200}"#,
                400,
            )
        },
        Case {
            content_type: JSON,
            ..stripe(
                "faults: delay_ms too long",
                "POST",
                "/sandbox/faults",
                r#"{"delay_next":1,"delay_ms":600000}"#,
                400,
            )
        },
        Case {
            content_type: JSON,
            ..stripe(
                "faults: nothing to inject",
                "POST",
                "/sandbox/faults",
                "{}",
                400,
            )
        },
    ]
}

#[tokio::test]
async fn every_bad_input_is_a_clear_4xx_and_changes_nothing() {
    let base = spawn_sandbox().await;
    let open = sandbox_create(&base, &[]).await;
    let open_id = open["id"].as_str().unwrap().to_owned();
    let expired = sandbox_create(&base, &[]).await;
    let expired_id = expired["id"].as_str().unwrap().to_owned();
    let (status, _) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{expired_id}/expire"),
        &[],
    )
    .await;
    assert_eq!(status, 200);
    let complete = sandbox_create(&base, &[("line_items[0][price]", "price_sandbox_yearly")]).await;
    let complete_id = complete["id"].as_str().unwrap().to_owned();
    let secret = complete["client_secret"].as_str().unwrap();
    let response = http()
        .post(format!("{base}/v1/payment_pages/{complete_id}/confirm"))
        .form(&[
            ("key", "pk_test_sandbox"),
            ("client_secret", secret),
            ("payment_method[card][number]", "4242424242424242"),
            ("email", "buyer@example.com"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let (_, open_before) = sandbox_get(&base, &open_id).await;
    let line_item = open_before["line_items"]["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, expired_before) = sandbox_get(&base, &expired_id).await;
    let (_, complete_before) = sandbox_get(&base, &complete_id).await;
    assert_eq!(expired_before["status"], "expired");
    assert_eq!(complete_before["status"], "complete");
    let stats_before = stats(&base).await;

    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let fill = |s: &str| {
            s.replace("{open}", &open_id)
                .replace("{expired}", &expired_id)
                .replace("{complete}", &complete_id)
                .replace("{line_item}", &line_item)
        };
        let mut request = http().request(
            case.method.parse().unwrap(),
            format!("{base}{}", fill(case.path)),
        );
        if let Some(ct) = case.content_type {
            request = request.header("content-type", ct);
        }
        if case.auth {
            request = request.bearer_auth(KEY);
        }
        if !case.body.is_empty() {
            request = request.body(fill(&case.body));
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let text = response.text().await.unwrap();
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let shape_ok = match case.shape {
            Shape::Merchant => {
                body["type"] == "error"
                    && body["message"].as_str().is_some_and(|m| !m.is_empty())
                    && body["code"]
                        .as_str()
                        .is_some_and(|c| checkout_protocol::Refusal::from_code(c).is_some())
                    && body.as_object().is_some_and(|o| o.len() == 3)
            }
            Shape::Stripe => {
                body["error"]["type"].is_string()
                    && body["error"]["message"]
                        .as_str()
                        .is_some_and(|m| !m.is_empty())
            }
        };
        if status != case.status || !shape_ok || !content_type.starts_with("application/json") {
            failures.push(format!(
                "{}: expected {} {:?}, got {status} {content_type} {text:.300}",
                case.name, case.status, case.shape
            ));
        }
        // No internal detail leaks into merchant messages.
        if case.shape == Shape::Merchant {
            let message = body["message"].as_str().unwrap_or_default();
            for leak in ["sk_test_", "reqwest", "127.0.0.1", "/v1/"] {
                if message.contains(leak) {
                    failures.push(format!("{}: message leaks {leak:?}: {message}", case.name));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );

    for (id, before) in [
        (&open_id, &open_before),
        (&expired_id, &expired_before),
        (&complete_id, &complete_before),
    ] {
        let (status, after) = sandbox_get(&base, id).await;
        assert_eq!(status, 200);
        assert_eq!(&after, before, "session {id} changed");
    }
    let stats_after = stats(&base).await;
    assert_eq!(
        stats_after["session_updates"],
        stats_before["session_updates"]
    );
    assert_eq!(
        stats_after["requests"]["POST /v1/checkout/sessions"],
        stats_before["requests"]["POST /v1/checkout/sessions"],
        "a refused /create-checkout-session created a session"
    );
    assert_eq!(
        stats_after["faults_pending"],
        stats_before["faults_pending"]
    );
}
