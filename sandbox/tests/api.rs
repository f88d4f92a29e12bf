//! The sandbox's Stripe API semantics, over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::{json, Value};

/// Form pairs.
type Form = Vec<(&'static str, &'static str)>;

async fn update(base: &str, id: &str, form: &[(&str, &str)]) -> (u16, Value) {
    sandbox_post(base, &format!("/v1/checkout/sessions/{id}"), form).await
}

fn item_ids(session: &Value) -> Vec<String> {
    session["line_items"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|li| li["id"].as_str().unwrap().to_owned())
        .collect()
}

fn quantities(session: &Value) -> Vec<u64> {
    session["line_items"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|li| li["quantity"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn create_and_retrieve() {
    let base = spawn_emulator().await;
    let created = sandbox_create(&base, &[("metadata[order]", "42")]).await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("cs_test_"));
    assert!(id.len() > 50);
    assert!(created["client_secret"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{id}_secret_")));
    assert_eq!(created["object"], "checkout.session");
    assert_eq!(created["status"], "open");
    assert_eq!(created["livemode"], false);
    assert_eq!(created["url"], Value::Null);
    assert_eq!(created["metadata"], json!({"order": "42"}));
    assert_eq!(created["amount_subtotal"], 1500);
    assert_eq!(created["currency"], "usd");
    assert!(created.get("line_items").is_none());

    // Plain retrieve: no line_items; indexed expand works too.
    let response = http()
        .get(format!("{base}/v1/checkout/sessions/{id}"))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response
        .headers()
        .get("request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("req_"));
    let plain: Value = response.json().await.unwrap();
    assert!(plain.get("line_items").is_none());
    let expanded: Value = http()
        .get(format!(
            "{base}/v1/checkout/sessions/{id}?expand[0]=line_items"
        ))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(expanded["line_items"]["object"], "list");
    let item = &expanded["line_items"]["data"][0];
    assert_eq!(item["object"], "item");
    assert_eq!(item["description"], "Sandbox subscription (monthly)");
    assert_eq!(item["price"]["unit_amount"], 1500);
    assert_eq!(item["price"]["recurring"]["interval"], "month");

    // Basic auth, as `curl -u sk_test_...:` sends it.
    let response = http()
        .get(format!("{base}/v1/checkout/sessions/{id}"))
        .basic_auth(KEY, Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn unknown_session_is_404() {
    let base = spawn_emulator().await;
    let (status, body) = sandbox_get(&base, "cs_test_nope").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert_eq!(body["error"]["code"], "resource_missing");
    assert_eq!(body["error"]["param"], "id");
    assert_eq!(
        body["error"]["message"],
        "No such checkout.session: 'cs_test_nope'"
    );
    let (status, _) = update(&base, "cs_test_nope", &[("metadata[a]", "b")]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn auth_is_required() {
    let base = spawn_emulator().await;
    let response = http()
        .post(format!("{base}/v1/checkout/sessions"))
        .form(&[("mode", "payment")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert!(response.headers().contains_key("request-id"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");

    let response = http()
        .get(format!("{base}/v1/checkout/sessions/cs_test_x"))
        .bearer_auth("sk_live_abcdefghijklmnop")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let body: Value = response.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Invalid API Key provided: sk_live_"),
        "{message}"
    );
    assert!(!message.contains("abcdefghijkl"), "{message}");

    let response = http()
        .get(format!("{base}/v1/checkout/sessions/cs_test_x"))
        .bearer_auth("pk_test_sandbox")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
}

#[tokio::test]
async fn create_validation() {
    let base = spawn_emulator().await;
    let cases: Vec<(Form, &str, Option<&str>)> = vec![
        (
            vec![("ui_mode", "custom")],
            "mode",
            Some("parameter_missing"),
        ),
        (
            vec![("mode", "donate"), ("ui_mode", "custom")],
            "mode",
            None,
        ),
        (
            vec![
                ("mode", "payment"),
                ("ui_mode", "hosted"),
                ("return_url", "http://x"),
            ],
            "ui_mode",
            None,
        ),
        (
            vec![
                ("mode", "subscription"),
                ("ui_mode", "custom"),
                ("line_items[0][price]", "price_sandbox_monthly"),
                ("line_items[0][quantity]", "1"),
            ],
            "return_url",
            Some("parameter_missing"),
        ),
        (
            vec![
                ("mode", "subscription"),
                ("ui_mode", "custom"),
                ("return_url", "http://x"),
                ("line_items[0][price]", "price_nope"),
                ("line_items[0][quantity]", "1"),
            ],
            "line_items[0][price]",
            Some("resource_missing"),
        ),
        (
            vec![
                ("mode", "subscription"),
                ("ui_mode", "custom"),
                ("return_url", "http://x"),
                ("line_items[0][price]", "price_sandbox_monthly"),
                ("line_items[0][quantity]", "0"),
            ],
            "line_items[0][quantity]",
            None,
        ),
        (
            vec![
                ("mode", "subscription"),
                ("ui_mode", "custom"),
                ("return_url", "http://x"),
                ("line_items[0][price]", "price_sandbox_monthly"),
                ("line_items[0][quantity]", "abc"),
            ],
            "line_items[0][quantity]",
            Some("parameter_invalid_integer"),
        ),
        (
            vec![
                ("mode", "payment"),
                ("ui_mode", "custom"),
                ("return_url", "http://x"),
                ("line_items[0][price]", "price_sandbox_monthly"),
                ("line_items[0][quantity]", "1"),
            ],
            "line_items[0][price]",
            None,
        ),
        (
            vec![
                ("mode", "subscription"),
                ("ui_mode", "custom"),
                ("return_url", "http://x"),
                ("line_items[0][price]", "price_sandbox_monthly"),
                ("line_items[0][quantity]", "1"),
                ("permissions[update_line_items]", "everyone"),
            ],
            "permissions[update_line_items]",
            None,
        ),
        (
            vec![
                ("mode", "subscription"),
                ("ui_mode", "custom"),
                ("return_url", "http://x"),
                ("bogus", "1"),
            ],
            "bogus",
            None,
        ),
    ];
    for (form, param, code) in cases {
        let (status, body) = sandbox_post(&base, "/v1/checkout/sessions", &form).await;
        assert_eq!(status, 400, "{form:?}: {body}");
        assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
        assert_eq!(body["error"]["param"], param, "{form:?}: {body}");
        if let Some(code) = code {
            assert_eq!(body["error"]["code"], code, "{body}");
        }
    }
}

#[tokio::test]
async fn line_items_whole_array_semantics() {
    let base = spawn_emulator().await;
    let created = sandbox_create(&base, &[]).await;
    let id = created["id"].as_str().unwrap();
    let (_, session) = sandbox_get(&base, id).await;
    let monthly = item_ids(&session)[0].clone();

    // Keep by id + add a new one.
    let (status, body) = update(
        &base,
        id,
        &[
            ("line_items[0][id]", &monthly),
            ("line_items[1][price]", "price_sandbox_yearly"),
            ("line_items[1][quantity]", "2"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount_subtotal"], 1500 + 30000);
    let (_, session) = sandbox_get(&base, id).await;
    let ids = item_ids(&session);
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], monthly);
    let yearly = ids[1].clone();
    assert!(yearly.starts_with("li_"));
    assert_eq!(quantities(&session), vec![1, 2]);

    // Reorder + update quantity by id.
    let (status, _) = update(
        &base,
        id,
        &[
            ("line_items[0][id]", &yearly),
            ("line_items[0][quantity]", "1"),
            ("line_items[1][id]", &monthly),
            ("line_items[1][quantity]", "3"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (_, session) = sandbox_get(&base, id).await;
    assert_eq!(item_ids(&session), vec![yearly.clone(), monthly.clone()]);
    assert_eq!(quantities(&session), vec![1, 3]);
    assert_eq!(session["amount_total"], 15000 + 4500);

    // Remove by omission.
    let (status, _) = update(&base, id, &[("line_items[0][id]", &yearly)]).await;
    assert_eq!(status, 200);
    let (_, session) = sandbox_get(&base, id).await;
    assert_eq!(item_ids(&session), vec![yearly.clone()]);
    assert_eq!(session["amount_total"], 15000);

    // Unknown id → 400, nothing changes.
    let (status, body) = update(
        &base,
        id,
        &[
            ("line_items[0][id]", &yearly),
            ("line_items[1][id]", "li_unknown"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["param"], "line_items[1][id]");
    // A new item without quantity → 400.
    let (status, body) = update(
        &base,
        id,
        &[("line_items[0][price]", "price_sandbox_yearly")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["param"], "line_items[0][quantity]");
    let (_, session) = sandbox_get(&base, id).await;
    assert_eq!(item_ids(&session), vec![yearly]);
    assert_eq!(stats(&base).await, 3);
}

#[tokio::test]
async fn discounts_amount_percent_and_removal() {
    let base = spawn_emulator().await;
    let created = sandbox_create(&base, &[]).await;
    let id = created["id"].as_str().unwrap();
    update(
        &base,
        id,
        &[
            ("line_items[0][price]", "price_sandbox_yearly"),
            ("line_items[0][quantity]", "1"),
        ],
    )
    .await;

    let (status, body) = update(
        &base,
        id,
        &[
            ("discounts[0][coupon_data][percent_off]", "12.5"),
            ("discounts[0][coupon_data][name]", "Twelve and a half"),
            ("discounts[0][coupon_data][duration]", "forever"),
            ("expand[]", "discounts"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total_details"]["amount_discount"], 1875);
    assert_eq!(body["amount_total"], 15000 - 1875);
    assert_eq!(body["discounts"][0]["coupon"]["percent_off"], 12.5);
    assert_eq!(body["discounts"][0]["coupon"]["object"], "coupon");
    assert_eq!(body["discounts"][0]["promotion_code"], Value::Null);

    // Re-sending the existing coupon id keeps it.
    let (_, plain) = sandbox_post(&base, &format!("/v1/checkout/sessions/{id}"), &[]).await;
    let coupon_id = plain["discounts"][0]["coupon"].as_str().unwrap().to_owned();
    let (status, body) = update(&base, id, &[("discounts[0][coupon]", &coupon_id)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount_total"], 15000 - 1875);

    let (status, body) = update(&base, id, &[("discounts", "")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount_total"], 15000);
    assert_eq!(body["discounts"], json!([]));

    // Amount off larger than the subtotal is capped.
    let (status, body) = update(
        &base,
        id,
        &[
            ("discounts[0][coupon_data][amount_off]", "999999"),
            ("discounts[0][coupon_data][currency]", "usd"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount_total"], 0);

    for (form, param) in [
        (
            vec![("discounts[0][coupon_data][percent_off]", "0")],
            "discounts[0][coupon_data][percent_off]",
        ),
        (
            vec![("discounts[0][coupon_data][percent_off]", "100.5")],
            "discounts[0][coupon_data][percent_off]",
        ),
        (
            vec![("discounts[0][coupon_data][amount_off]", "100")],
            "discounts[0][coupon_data][currency]",
        ),
        (
            vec![
                ("discounts[0][coupon_data][amount_off]", "100"),
                ("discounts[0][coupon_data][currency]", "eur"),
            ],
            "discounts[0][coupon_data][currency]",
        ),
        (
            vec![("discounts[0][coupon]", "NOPE")],
            "discounts[0][coupon]",
        ),
        (
            vec![
                ("discounts[0][coupon_data][percent_off]", "5"),
                ("discounts[1][coupon_data][percent_off]", "5"),
            ],
            "discounts",
        ),
    ] {
        let (status, body) = update(&base, id, &form).await;
        assert_eq!(status, 400, "{form:?}: {body}");
        assert_eq!(body["error"]["param"], param, "{form:?}: {body}");
    }
}

#[tokio::test]
async fn permissions_are_enforced() {
    let base = spawn_emulator().await;
    let (status, created) = sandbox_try_create(&base, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(created["permissions"]["update_line_items"], "client_only");
    let id = created["id"].as_str().unwrap();
    let (status, body) = update(
        &base,
        id,
        &[
            ("line_items[0][price]", "price_sandbox_yearly"),
            ("line_items[0][quantity]", "1"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["param"], "line_items");
    let (status, _) = update(&base, id, &[("discounts", "")]).await;
    assert_eq!(status, 400);
    // Metadata needs no permission.
    let (status, body) = update(&base, id, &[("metadata[a]", "1")]).await;
    assert_eq!(status, 200);
    assert_eq!(body["metadata"], json!({"a": "1"}));
}

#[tokio::test]
async fn faults_and_stats() {
    let base = spawn_emulator().await;
    let response = http()
        .post(format!("{base}/sandbox/faults"))
        .json(&json!({"fail_next": 2, "status": 502}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    for _ in 0..2 {
        let (status, body) = sandbox_get(&base, "cs_test_x").await;
        assert_eq!(status, 502);
        assert_eq!(body["error"]["type"], "api_error");
        assert_eq!(body["error"]["message"], "Sandbox fault injected");
    }
    let (status, _) = sandbox_get(&base, "cs_test_x").await;
    assert_eq!(status, 404);
    let response = http()
        .post(format!("{base}/sandbox/faults"))
        .json(&json!({"fail_next": 1, "status": 200}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(stats(&base).await, 0);
}

#[tokio::test]
async fn stripe_js_is_served() {
    let base = spawn_emulator().await;
    let response = http()
        .get(format!("{base}/sandbox/basil/stripe.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
}

async fn init(base: &str, id: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = http()
        .post(format!("{base}/v1/payment_pages/{id}/init"))
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("request-id"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn client_shape_init() {
    let base = spawn_emulator().await;
    let created = sandbox_create(&base, &[]).await;
    let id = created["id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    update(
        &base,
        id,
        &[
            ("line_items[0][price]", "price_sandbox_yearly"),
            ("line_items[0][quantity]", "1"),
            ("discounts[0][coupon_data][amount_off]", "1500"),
            ("discounts[0][coupon_data][currency]", "usd"),
            ("discounts[0][coupon_data][name]", "Customer Discount"),
        ],
    )
    .await;

    let (status, s) = init(
        &base,
        id,
        &[("key", "pk_test_sandbox"), ("client_secret", secret)],
    )
    .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["id"], id);
    assert_eq!(s["currency"], "usd");
    assert_eq!(s["livemode"], false);
    assert_eq!(s["minorUnitsAmountDivisor"], 100);
    // No email yet (none at creation, none from the customer): not confirmable.
    assert_eq!(s["email"], Value::Null);
    assert_eq!(s["canConfirm"], false);
    assert_eq!(s["businessName"], "Sandbox Merchant");
    assert_eq!(s["status"], json!({"type": "open"}));
    assert_eq!(s["tax"], json!({"status": "ready"}));
    assert_eq!(s["shippingOptions"], json!([]));
    let li = &s["lineItems"][0];
    assert_eq!(li["name"], "Sandbox subscription (yearly)");
    assert_eq!(li["quantity"], 1);
    assert_eq!(
        li["unitAmount"],
        json!({"minorUnitsAmount": 15000, "amount": "$150.00"})
    );
    assert_eq!(li["subtotal"]["amount"], "$150.00");
    assert_eq!(li["discount"]["minorUnitsAmount"], 1500);
    assert_eq!(li["total"]["amount"], "$135.00");
    assert_eq!(
        li["recurring"],
        json!({"interval": "year", "intervalCount": 1, "isProrated": false, "usageType": "licensed"})
    );
    assert_eq!(
        s["discountAmounts"],
        json!([{"displayName": "Customer Discount", "minorUnitsAmount": 1500, "amount": "$15.00",
                "promotionCode": null, "recurring": null, "percentOff": null}])
    );
    assert_eq!(s["total"]["subtotal"]["amount"], "$150.00");
    assert_eq!(s["total"]["discount"]["amount"], "$15.00");
    assert_eq!(
        s["total"]["total"],
        json!({"minorUnitsAmount": 13500, "amount": "$135.00"})
    );
    assert_eq!(s["total"]["shippingRate"]["minorUnitsAmount"], 0);
    assert_eq!(s["total"]["balanceAppliedToNextInvoice"], false);
    assert_eq!(s["recurring"]["interval"], "year");
    assert_eq!(s["recurring"]["intervalCount"], 1);
    assert_eq!(s["recurring"]["trial"], Value::Null);
    // A `once` coupon does not apply to the next invoice.
    assert_eq!(s["recurring"]["dueNext"]["total"]["amount"], "$150.00");

    // Without a discount, discountAmounts is null.
    update(&base, id, &[("discounts", "")]).await;
    let (_, s) = init(
        &base,
        id,
        &[("key", "pk_test_sandbox"), ("client_secret", secret)],
    )
    .await;
    assert_eq!(s["discountAmounts"], Value::Null);
    assert_eq!(s["total"]["total"]["amount"], "$150.00");

    // 401s and 404s.
    let (status, body) = init(&base, id, &[("client_secret", secret)]).await;
    assert_eq!(status, 401, "{body}");
    let (status, _) = init(
        &base,
        id,
        &[("key", "sk_test_sandbox"), ("client_secret", secret)],
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = init(
        &base,
        id,
        &[("key", "pk_live_abc"), ("client_secret", secret)],
    )
    .await;
    assert_eq!(status, 401);
    let (status, body) = init(
        &base,
        id,
        &[
            ("key", "pk_test_sandbox"),
            ("client_secret", "cs_test_x_secret_y"),
        ],
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "resource_missing");
    let (status, _) = init(
        &base,
        "cs_test_unknown",
        &[("key", "pk_test_sandbox"), ("client_secret", secret)],
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn trial_in_client_shape() {
    let base = spawn_emulator().await;
    let created = sandbox_create(&base, &[("subscription_data[trial_period_days]", "14")]).await;
    let id = created["id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let (status, s) = init(
        &base,
        id,
        &[("key", "pk_test_sandbox"), ("client_secret", secret)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(s["recurring"]["trial"]["trialPeriodDays"], 14);
    assert_eq!(
        s["recurring"]["trial"]["trialEnd"],
        created["created"].as_i64().unwrap() + 14 * 86_400
    );
    // During the trial nothing is due today; the plan's price is due next.
    assert_eq!(s["total"]["total"]["minorUnitsAmount"], 0);
    assert_eq!(s["total"]["subtotal"]["minorUnitsAmount"], 0);
    assert_eq!(s["recurring"]["dueNext"]["total"]["minorUnitsAmount"], 1500);
    assert_eq!(s["lineItems"][0]["subtotal"]["minorUnitsAmount"], 1500);
    // The API object's amounts are the plan's (what Stripe shows there
    // during a trial is not confirmed).
    assert_eq!(created["amount_total"], 1500);
}

/// Subscription mode takes one-time prices beside the recurring ones (on the
/// first invoice: "a maximum of 20 line items with recurring Prices and 20
/// line items with one-time Prices"), but not one-time prices alone.
#[tokio::test]
async fn subscriptions_take_one_time_items_beside_a_recurring_price() {
    let base = spawn_emulator().await;
    let one_time = [
        ("line_items[1][price_data][currency]", "usd"),
        ("line_items[1][price_data][product_data][name]", "Mug"),
        ("line_items[1][price_data][unit_amount]", "1200"),
        ("line_items[1][quantity]", "1"),
    ];
    let created = sandbox_create(&base, &one_time).await;
    assert_eq!(created["amount_total"], 1500 + 1200);
    let (status, body) = sandbox_post(
        &base,
        "/v1/checkout/sessions",
        &[
            ("mode", "subscription"),
            ("ui_mode", "custom"),
            ("return_url", "http://127.0.0.1:8080/return"),
            ("line_items[0][price_data][currency]", "usd"),
            ("line_items[0][price_data][product_data][name]", "Mug"),
            ("line_items[0][price_data][unit_amount]", "1200"),
            ("line_items[0][quantity]", "1"),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["message"],
        "You must provide at least one recurring price in `subscription` mode when using prices."
    );
}

/// `GET /v1/prices?lookup_keys[]=…` finds the catalogue's prices named by a
/// lookup key (the id the emulator gives them), with `active`; more than 10
/// keys are refused, as Stripe documents.
#[tokio::test]
async fn prices_are_listed_by_lookup_key() {
    let text = checkout_catalogue::DEMO_TOML.replace(
        "price = \"price_sandbox_yearly\"",
        "lookup_key = \"sandbox-yearly\"",
    );
    let catalogue = checkout_catalogue::Catalogue::parse(&text).unwrap();
    let base = spawn_emulator_with(stripe_sandbox::SandboxOptions {
        catalogue: std::sync::Arc::new(catalogue),
        ..Default::default()
    })
    .await;
    let list = |query: String| {
        let url = format!("{base}/v1/prices?{query}");
        async move {
            let r = http().get(url).bearer_auth(KEY).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (status, body) =
        list("lookup_keys[]=sandbox-yearly&lookup_keys[]=nope&active=true".into()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["object"], "list");
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    assert_eq!(body["data"][0]["lookup_key"], "sandbox-yearly");
    assert_eq!(
        body["data"][0]["id"],
        checkout_catalogue::emulator_price_id("sandbox-yearly")
    );
    assert_eq!(body["data"][0]["unit_amount"], 15000);
    let (_, body) = list("lookup_keys[]=nope".into()).await;
    assert_eq!(body["data"], serde_json::json!([]));
    let eleven: Vec<String> = (0..11).map(|i| format!("lookup_keys[]=k{i}")).collect();
    let (status, body) = list(eleven.join("&")).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["param"], "lookup_keys");
}

/// A session for an existing Customer: `customer=cus_…` (it must exist),
/// never together with `customer_email`, as Stripe answers.
#[tokio::test]
async fn a_session_for_an_existing_customer() {
    let base = spawn_emulator().await;
    let (status, customer) = sandbox_post(
        &base,
        "/v1/customers",
        &[("email", "ada@example.com"), ("metadata[tier]", "gold")],
    )
    .await;
    assert_eq!(status, 200, "{customer}");
    let id = customer["id"].as_str().unwrap();
    assert!(id.starts_with("cus_"));
    let session = sandbox_create(&base, &[("customer", id)]).await;
    assert_eq!(session["customer"], id);
    assert_eq!(session["customer_email"], Value::Null);
    let (status, body) = sandbox_try_create(
        &base,
        &[("customer", id), ("customer_email", "ada@example.com")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "You may only specify one of these parameters: customer, customer_email."
    );
    let (status, body) = sandbox_try_create(&base, &[("customer", "cus_nope")]).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "resource_missing");
    assert_eq!(body["error"]["message"], "No such customer: 'cus_nope'");
    assert_eq!(body["error"]["param"], "customer");
}
