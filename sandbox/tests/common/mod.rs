//! HTTP helpers for tests of the emulator: a `stripe-sandbox` served on
//! 127.0.0.1:0 and small Stripe API calls with its test key. The merchant
//! server's tests include this file too (`server/tests/common`).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

use serde_json::Value;

pub const KEY: &str = "sk_test_sandbox";

/// Spawns the emulator alone (as the `stripe-sandbox` binary serves it) and
/// returns its base URL.
pub async fn spawn_emulator() -> String {
    spawn_emulator_with(stripe_sandbox::SandboxOptions::default()).await
}

/// Like [`spawn_emulator`], with `options`.
pub async fn spawn_emulator_with(options: stripe_sandbox::SandboxOptions) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = stripe_sandbox::router(&options);
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    base
}

pub fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// POSTs a form to the sandbox with the test key; returns status, `Request-Id` and body.
pub async fn sandbox_post(base: &str, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = http()
        .post(format!("{base}{path}"))
        .bearer_auth(KEY)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// POSTs a form to the routes the Stripe.js stand-in calls
/// (`/v1/payment_pages/…`: the publishable key goes in the form, no
/// secret key); returns status and body.
pub async fn page_post(base: &str, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = http()
        .post(format!("{base}{path}"))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Creates a payment-mode custom session of one 20.00 inline-priced item,
/// plus `extra`; returns status and body.
pub async fn sandbox_create_payment(base: &str, extra: &[(&str, &str)]) -> (u16, Value) {
    let mut form = vec![
        ("mode", "payment"),
        ("ui_mode", "custom"),
        ("return_url", "http://x/return"),
        ("line_items[0][price_data][currency]", "usd"),
        ("line_items[0][price_data][unit_amount]", "2000"),
        ("line_items[0][price_data][product_data][name]", "T-shirt"),
        ("line_items[0][quantity]", "1"),
    ];
    form.extend_from_slice(extra);
    sandbox_post(base, "/v1/checkout/sessions", &form).await
}

/// GETs a sandbox session with `expand[]=line_items&expand[]=discounts`.
pub async fn sandbox_get(base: &str, id: &str) -> (u16, Value) {
    let response = http()
        .get(format!(
            "{base}/v1/checkout/sessions/{id}?expand[]=line_items&expand[]=discounts"
        ))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Creates a session in the sandbox directly.
pub async fn sandbox_create(base: &str, extra: &[(&str, &str)]) -> Value {
    let mut form = vec![
        ("mode", "subscription"),
        ("ui_mode", "custom"),
        ("line_items[0][price]", "price_sandbox_monthly"),
        ("line_items[0][quantity]", "1"),
        ("permissions[update_line_items]", "server_only"),
        ("permissions[update_discounts]", "server_only"),
        ("return_url", "http://127.0.0.1:8080/return"),
    ];
    form.extend_from_slice(extra);
    let (status, body) = sandbox_post(base, "/v1/checkout/sessions", &form).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Tries to create a subscription session of the monthly price with no
/// permissions, plus `extra`: status and body, whatever the answer.
pub async fn sandbox_try_create(base: &str, extra: &[(&str, &str)]) -> (u16, Value) {
    let mut form = vec![
        ("mode", "subscription"),
        ("ui_mode", "custom"),
        ("line_items[0][price]", "price_sandbox_monthly"),
        ("line_items[0][quantity]", "1"),
        ("return_url", "http://127.0.0.1:8080/return"),
    ];
    form.extend_from_slice(extra);
    sandbox_post(base, "/v1/checkout/sessions", &form).await
}

/// The price ids of a session's (expanded) line items.
pub fn prices(session: &Value) -> Vec<String> {
    session["line_items"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|li| li["price"]["id"].as_str().unwrap().to_owned())
        .collect()
}

/// `GET {url}` as JSON.
pub async fn get_json(url: &str) -> Value {
    http().get(url).send().await.unwrap().json().await.unwrap()
}

/// Everything `GET /sandbox/stats` reports.
pub async fn all_stats(base: &str) -> Value {
    get_json(&format!("{base}/sandbox/stats")).await
}

/// Sets the emulator's whole fault plan (`POST /sandbox/faults`).
pub async fn set_faults(base: &str, plan: Value) {
    let response = http()
        .post(format!("{base}/sandbox/faults"))
        .json(&plan)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204, "{plan}");
}

/// Successful session updates so far (`/sandbox/stats`).
pub async fn stats(base: &str) -> u64 {
    all_stats(base).await["session_updates"].as_u64().unwrap()
}

/// What was sent to the emulator's API (`GET /sandbox/requests`) naming
/// `session`, after sequence number `after` (0: all), oldest first.
pub async fn sent(base: &str, session: &str, after: u64) -> Vec<Value> {
    let log = get_json(&format!(
        "{base}/sandbox/requests?session={session}&after={after}"
    ))
    .await;
    log["requests"].as_array().unwrap().clone()
}

/// The sequence number of the last request the emulator logged (0: none).
pub async fn last_sent(base: &str) -> u64 {
    let log = get_json(&format!("{base}/sandbox/requests")).await;
    log["requests"]
        .as_array()
        .unwrap()
        .last()
        .map_or(0, |r| r["seq"].as_u64().unwrap())
}

/// The session updates among `requests` that Stripe applied (200, not an
/// idempotent replay).
pub fn applied_updates(requests: &[Value]) -> Vec<&Value> {
    requests
        .iter()
        .filter(|r| {
            r["method"] == "POST"
                && r["path"]
                    .as_str()
                    .unwrap()
                    .starts_with("/v1/checkout/sessions/cs_")
                && !r["path"].as_str().unwrap().ends_with("/expire")
                && r["status"] == 200
                && r["replayed"] == false
        })
        .collect()
}

/// The names of the parameters a logged request sent, in order.
pub fn param_names(request: &Value) -> Vec<String> {
    request["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| pair[0].as_str().unwrap().to_owned())
        .collect()
}

/// The value a logged request sent for `name`, if any.
pub fn param<'a>(request: &'a Value, name: &str) -> Option<&'a str> {
    request["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|pair| pair[0] == name)
        .map(|pair| pair[1].as_str().unwrap())
}
