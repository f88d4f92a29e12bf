//! Shared helpers: a sandbox served on 127.0.0.1:0, the merchant app pointed
//! at it, and small HTTP helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use checkout_server::{app, Config};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub const KEY: &str = "sk_test_sandbox";

/// Spawns the sandbox app (as the server binary would serve it) and returns its base URL.
pub async fn spawn_sandbox() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app(Config::sandbox(&base));
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    base
}

/// A sandbox plus a merchant app whose Stripe client points at it.
pub async fn setup() -> (String, Router) {
    let base = spawn_sandbox().await;
    let merchant = app(Config::sandbox(&base));
    (base, merchant)
}

/// Sends one request through `router` and returns status, headers and body (JSON or string).
pub async fn send(
    router: &Router,
    method: &str,
    uri: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> (StatusCode, Value) {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(ct) = content_type {
        builder = builder.header("content-type", ct);
    }
    let response = router
        .clone()
        .oneshot(builder.body(body.into()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

/// POSTs JSON to the merchant app.
pub async fn post_json(router: &Router, uri: &str, body: &Value) -> (StatusCode, Value) {
    send(
        router,
        "POST",
        uri,
        Some("application/json"),
        body.to_string(),
    )
    .await
}

/// Creates a session through the merchant app; returns (session id, client secret).
pub async fn merchant_session(router: &Router) -> (String, String) {
    let (status, body) = send(
        router,
        "POST",
        "/create-checkout-session",
        None,
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let secret = body["clientSecret"].as_str().unwrap().to_owned();
    let id = secret.split("_secret_").next().unwrap().to_owned();
    (id, secret)
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

/// Successful session updates so far (`/sandbox/stats`).
pub async fn stats(base: &str) -> u64 {
    all_stats(base).await["session_updates"].as_u64().unwrap()
}
