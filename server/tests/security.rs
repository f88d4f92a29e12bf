//! Trust, secrets, security headers and fault injection, over real HTTP.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use checkout_server::security::CONTENT_SECURITY_POLICY;
use checkout_server::{app, Config};
use common::{all_stats as stats, get_json, http, sandbox_get};
use serde_json::{json, Value};

/// Serves the whole app (merchant + sandbox) on 127.0.0.1:0 with `tweak` applied.
async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config::sandbox(&base);
    tweak(&mut config);
    let router = app(config);
    common::serve(listener, router);
    base
}

async fn post(base: &str, path: &str, origin: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = http().post(format!("{base}{path}")).json(body);
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.send().await.unwrap()
}

async fn create(base: &str) -> (String, String) {
    let response = http()
        .post(format!("{base}/create-checkout-session"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let secret = body["clientSecret"].as_str().unwrap().to_owned();
    (secret.split("_secret_").next().unwrap().to_owned(), secret)
}

#[tokio::test]
async fn foreign_origins_are_refused_with_403_json() {
    let base = spawn_with(|c| c.allowed_origins.push("https://shop.example".into())).await;
    let (id, _) = create(&base).await;
    let (_, before) = sandbox_get(&base, &id).await;
    let body = json!({"checkout_session_id": id, "interval": "yearly"});
    for origin in [
        "https://evil.example",
        "null",
        "http://127.0.0.1:8080.evil.example",
        "https://shop.example.evil",
    ] {
        for path in [
            "/change-subscription-interval",
            "/apply-customer-discount",
            "/create-checkout-session",
        ] {
            let response = post(&base, path, Some(origin), &body).await;
            assert_eq!(response.status(), 403, "{origin} {path}");
            let answer: Value = response.json().await.unwrap();
            assert_eq!(answer["type"], "error");
            assert!(answer["message"].as_str().unwrap().contains("not allowed"));
        }
    }
    let (_, after) = sandbox_get(&base, &id).await;
    assert_eq!(before, after);
    let s = stats(&base).await;
    assert_eq!(s["session_updates"], 0);
    assert_eq!(s["merchant_requests"]["/change-subscription-interval"], 4);
    // GET /config is not guarded; allowed origins and no Origin pass.
    let config = http()
        .get(format!("{base}/config"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(config.status(), 200);
    for origin in [
        Some(base.as_str()),
        Some("http://127.0.0.1:8080"),
        Some("http://localhost:8080"),
        Some("https://shop.example"),
        None,
    ] {
        let response = post(&base, "/change-subscription-interval", origin, &body).await;
        assert_eq!(response.status(), 200, "{origin:?}");
    }
}

#[tokio::test]
async fn client_amounts_never_reach_stripe() {
    let base = spawn_with(|_| {}).await;
    let (id, _) = create(&base).await;
    for (path, body) in [
        (
            "/change-subscription-interval",
            json!({"checkout_session_id": id, "interval": "yearly", "amount_off": 14999}),
        ),
        (
            "/apply-customer-discount",
            json!({"checkout_session_id": id, "amount_off": 14999, "currency": "usd"}),
        ),
        (
            "/update-discounts",
            json!({"checkout_session_id": id, "discounts": [{"coupon_data": {"amount_off": 14999}}]}),
        ),
    ] {
        let response = post(&base, path, None, &body).await;
        if path == "/update-discounts" {
            // Known fields pass; what is inside `discounts` is only counted: the amount is the policy's.
            assert_eq!(response.status(), 200);
        } else {
            assert_eq!(response.status(), 400, "{path}");
        }
    }
    let (_, session) = sandbox_get(&base, &id).await;
    // The only change: /update-discounts asked for "a discount" on a $15 monthly plan → none.
    assert_eq!(session["amount_total"], 1500);
    assert!(session["discounts"].as_array().unwrap().is_empty());
    // Now the real flow: the discount is the policy's, whatever the client says.
    assert_eq!(
        post(
            &base,
            "/change-subscription-interval",
            None,
            &json!({"checkout_session_id": id, "interval": "yearly"})
        )
        .await
        .status(),
        200
    );
    assert_eq!(post(&base, "/update-discounts", None, &json!({"checkout_session_id": id, "discounts": [{"coupon_data": {"amount_off": 14999}}]})).await.status(), 200);
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["amount_total"], 13500);
}

#[tokio::test]
async fn no_secret_in_any_response() {
    let base = spawn_with(|_| {}).await;
    let mut transcript: Vec<(String, String)> = Vec::new();
    let mut record = |what: String, response_headers: &reqwest::header::HeaderMap, body: &str| {
        let headers: String = response_headers
            .iter()
            .map(|(k, v)| format!("{k}: {}\n", v.to_str().unwrap_or("?")))
            .collect();
        transcript.push((what, format!("{headers}\n{body}")));
    };
    let r = http().get(format!("{base}/config")).send().await.unwrap();
    let h = r.headers().clone();
    record("GET /config".into(), &h, &r.text().await.unwrap());
    let r = http()
        .post(format!("{base}/create-checkout-session"))
        .send()
        .await
        .unwrap();
    let h = r.headers().clone();
    let create_body = r.text().await.unwrap();
    let secret = serde_json::from_str::<Value>(&create_body).unwrap()["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = secret.split("_secret_").next().unwrap().to_owned();
    record(
        "POST /create-checkout-session".into(),
        &h,
        &create_body.replacen(&secret, "<client secret>", 1),
    );
    let steps: Vec<(&str, Option<&str>, Value)> = vec![
        (
            "/change-subscription-interval",
            None,
            json!({"checkout_session_id": id, "interval": "yearly"}),
        ),
        (
            "/apply-customer-discount",
            None,
            json!({"checkout_session_id": id}),
        ),
        (
            "/update-discounts",
            None,
            json!({"checkout_session_id": id, "discounts": [{}]}),
        ),
        (
            "/extend-trial-for-yearly",
            None,
            json!({"checkout_session_id": id}),
        ),
        (
            "/change-subscription-interval",
            None,
            json!({"checkout_session_id": id, "interval": "monthly"}),
        ),
        (
            "/apply-customer-discount",
            None,
            json!({"checkout_session_id": id}),
        ),
        (
            "/update-discounts",
            None,
            json!({"checkout_session_id": id, "discounts": [{}, {}]}),
        ),
        (
            "/change-subscription-interval",
            None,
            json!({"checkout_session_id": "cs_test_nosuch", "interval": "yearly"}),
        ),
        (
            "/change-subscription-interval",
            None,
            json!({"checkout_session_id": id, "interval": "weekly"}),
        ),
        (
            "/change-subscription-interval",
            Some("https://evil.example"),
            json!({"checkout_session_id": id, "interval": "yearly"}),
        ),
        (
            "/update-line-item-quantity",
            None,
            json!({"checkout_session_id": id, "line_item_id": "li_x", "quantity": 2}),
        ),
    ];
    for (path, origin, body) in steps {
        let r = post(&base, path, origin, &body).await;
        let h = r.headers().clone();
        let status = r.status();
        record(
            format!("POST {path} {body} → {status}"),
            &h,
            &r.text().await.unwrap(),
        );
    }
    // Stripe failures (injected) on the merchant's path, more than its retries.
    http()
        .post(format!("{base}/sandbox/faults"))
        .json(&json!({"fail_next": 3, "status": 500}))
        .send()
        .await
        .unwrap();
    let r = post(
        &base,
        "/change-subscription-interval",
        None,
        &json!({"checkout_session_id": id, "interval": "yearly"}),
    )
    .await;
    let h = r.headers().clone();
    assert_eq!(r.status(), 503);
    record(
        "POST with Stripe 500s past the retries".into(),
        &h,
        &r.text().await.unwrap(),
    );
    let r = http()
        .post(format!("{base}/create-checkout-session"))
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    let h = r.headers().clone();
    record(
        "POST /create-checkout-session bad body".into(),
        &h,
        &r.text().await.unwrap(),
    );

    assert!(transcript.len() >= 15);
    for (what, text) in &transcript {
        for needle in ["sk_test_", "sk_live_", "_secret_"] {
            assert!(!text.contains(needle), "{what} leaks {needle:?}:\n{text}");
        }
        assert!(!text.contains(common::KEY), "{what} leaks the secret key");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let dir = std::env::temp_dir().join(format!("csp-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>x</title>").unwrap();
    let static_dir = dir.clone();
    let base = spawn_with(move |c| c.static_dir = Some(static_dir)).await;
    let (id, _) = create(&base).await;
    let requests = vec![
        http().get(format!("{base}/")),
        http().get(format!("{base}/index.html")),
        http().get(format!("{base}/missing.js")),
        http().get(format!("{base}/config")),
        http().post(format!("{base}/create-checkout-session")),
        http()
            .post(format!("{base}/change-subscription-interval"))
            .body("{"),
        http()
            .post(format!("{base}/apply-customer-discount"))
            .header("origin", "https://evil.example")
            .json(&json!({})),
        http().get(format!("{base}/sandbox/basil/stripe.js")),
        http().get(format!("{base}/sandbox/stats")),
        http()
            .get(format!("{base}/v1/checkout/sessions/{id}"))
            .bearer_auth(common::KEY),
        http().get(format!("{base}/v1/checkout/sessions/{id}")),
    ];
    for request in requests {
        let response = request.send().await.unwrap();
        let what = format!("{} {}", response.status(), response.url());
        let h = response.headers();
        assert_eq!(
            h.get("content-security-policy").unwrap(),
            CONTENT_SECURITY_POLICY,
            "{what}"
        );
        assert_eq!(
            h.get("x-content-type-options").unwrap(),
            "nosniff",
            "{what}"
        );
        assert_eq!(h.get("referrer-policy").unwrap(), "same-origin", "{what}");
    }
    assert_eq!(
        CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://js.stripe.com https://*.js.stripe.com; frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com; connect-src 'self' https://api.stripe.com"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn delays_hangs_and_failures_are_injected_and_counted() {
    let base = spawn_with(|c| c.stripe.timeout = Duration::from_millis(500)).await;
    let (id, _) = create(&base).await;
    let change = |interval: &'static str| {
        let base = base.clone();
        let id = id.clone();
        async move {
            let started = Instant::now();
            let r = post(
                &base,
                "/change-subscription-interval",
                None,
                &json!({"checkout_session_id": id, "interval": interval}),
            )
            .await;
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap();
            (status, body, started.elapsed())
        }
    };
    let faults = |body: Value| {
        let base = base.clone();
        async move {
            let r = http()
                .post(format!("{base}/sandbox/faults"))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 204);
        }
    };
    // Delay: slower, still succeeds (the retrieve is delayed; the update is not).
    faults(json!({"delay_next": 1, "delay_ms": 300})).await;
    let (status, _, elapsed) = change("yearly").await;
    assert_eq!(status, 200);
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    // Hang: the merchant's Stripe client gives up on the attempt after
    // STRIPE_TIMEOUT_MS and retries it (a timeout is a connection error).
    faults(json!({"hang_next": 1})).await;
    let (status, body, elapsed) = change("monthly").await;
    assert_eq!(status, 200, "{body}");
    assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // Failure: one is retried; more than the retries reach the customer as
    // 503 "try again", nothing applied.
    faults(json!({"fail_next": 1, "status": 503})).await;
    let (status, _, _) = change("yearly").await;
    assert_eq!(status, 200);
    faults(json!({"fail_next": 3, "status": 503})).await;
    let (status, body, _) = change("monthly").await;
    assert_eq!(status, 503);
    assert_eq!(body["type"], "error");
    assert_eq!(
        body["message"],
        checkout_protocol::Refusal::TryAgain.message(),
        "{body}"
    );
    // Nothing pending any more: it works again.
    let (status, _, _) = change("monthly").await;
    assert_eq!(status, 200);
    let s = stats(&base).await;
    assert_eq!(s["faults_injected"], 6, "{s}");
    assert_eq!(s["faults"], json!({"failed": 4, "delayed": 1, "hung": 1}));
    assert_eq!(
        s["faults_pending"],
        json!({"fail_next": 0, "delay_next": 0, "hang_next": 0})
    );
    assert_eq!(s["session_updates"], 4);
    assert_eq!(s["merchant_requests"]["/change-subscription-interval"], 5);
    assert_eq!(s["merchant_requests"]["/create-checkout-session"], 1);
    assert_eq!(s["requests"]["POST /v1/checkout/sessions/{id}"], 4);
    assert!(
        s["requests"]["GET /v1/checkout/sessions/{id}"]
            .as_u64()
            .unwrap()
            >= 5
    );

    // A hang is released when the faults are set again.
    faults(json!({"hang_next": 1})).await;
    let hung = tokio::spawn({
        let base = base.clone();
        let id = id.clone();
        async move {
            let started = Instant::now();
            let r = http()
                .get(format!("{base}/v1/checkout/sessions/{id}"))
                .bearer_auth(common::KEY)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), started.elapsed())
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    faults(json!({"fail_next": 0})).await;
    let (status, elapsed) = hung.await.unwrap();
    assert_eq!(status, 504);
    assert!(elapsed < Duration::from_secs(5));
}

#[tokio::test]
async fn update_timeout_reaches_the_stand_in_url() {
    let base = spawn_with(|c| c.stand_in.update_timeout_ms = Some(1500)).await;
    let config = get_json(&format!("{base}/config")).await;
    assert_eq!(
        config["stripeJsUrl"],
        "/sandbox/basil/stripe.js?update_timeout_ms=1500"
    );
    let script = http()
        .get(format!(
            "{base}/sandbox/basil/stripe.js?update_timeout_ms=1500"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), 200);
    assert!(script.text().await.unwrap().contains("update_timeout_ms"));
}

/// README's "Security headers" block is what the server sends: a merchant
/// who copies it gets a policy that lets Stripe.js, its frames and 3-D
/// Secure through.
#[test]
fn the_readme_shows_the_headers_the_server_sends() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let section = readme
        .split("**Security headers.**")
        .nth(1)
        .expect("README has a Security headers paragraph");
    let block = section
        .split("```http\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("an ```http block follows it");
    let shown: Vec<(String, String)> = block
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (name, value) = line.split_once(": ").unwrap();
            (name.to_ascii_lowercase(), value.to_owned())
        })
        .collect();
    let sent: Vec<(String, String)> = checkout_server::security::headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap().to_owned()))
        .collect();
    assert_eq!(shown, sent);
    assert!(block.contains(CONTENT_SECURITY_POLICY));
}
