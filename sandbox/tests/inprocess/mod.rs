//! Requests to the emulator's router in-process (`tower::ServiceExt::oneshot`,
//! no socket): a handler panic fails the calling test.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub const KEY: &str = "sk_test_sandbox";

pub fn app() -> Router {
    stripe_sandbox::router(&stripe_sandbox::SandboxOptions::default())
}

/// `k=v&...` (keys and values are plain ASCII here; brackets are sent as is,
/// which the parser accepts like their `%5B`/`%5D` forms).
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn send(app: &Router, method: &str, uri: &str, body: String, key: bool) -> (u16, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {KEY}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, body)
}

pub async fn post(app: &Router, uri: &str, pairs: &[(&str, &str)]) -> (u16, Value) {
    send(app, "POST", uri, form(pairs), true).await
}

pub async fn get(app: &Router, id: &str) -> (u16, Value) {
    send(
        app,
        "GET",
        &format!("/v1/checkout/sessions/{id}?expand[]=line_items"),
        String::new(),
        true,
    )
    .await
}

/// A payment-mode session's base parameters (no line items).
pub fn assert_refused(status: u16, body: &Value, param: &str) {
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
    assert_eq!(body["error"]["param"], param, "{body}");
}
