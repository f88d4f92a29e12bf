//! Shared helpers: a sandbox served on 127.0.0.1:0, the merchant app pointed
//! at it, and small HTTP helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    dead_code,
    unreachable_pub,
    unused_imports
)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use checkout_server::{app, Config};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

#[path = "../../../sandbox/tests/common/mod.rs"]
mod emulator;
pub use emulator::*;
pub mod orders;
pub mod postgres;

/// Spawns the sandbox app (as the server binary would serve it) and returns its base URL.
pub async fn spawn_sandbox() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    serve(listener, app(Config::sandbox(&base)));
    base
}

/// Serves `router` on `listener` in the background, as the binary does
/// (through `checkout_listener::Listener`, default limits, security headers).
pub fn serve(listener: tokio::net::TcpListener, router: Router) {
    let listener = checkout_listener::Listener::new(listener, checkout_listener::Limits::default())
        .with_response_headers(checkout_server::security::headers());
    tokio::spawn(async move {
        listener
            .serve(router, std::future::pending())
            .await
            .unwrap();
    });
}

/// A sandbox plus a merchant app whose Stripe client points at it.
pub async fn setup() -> (String, Router) {
    setup_with(|_| {}).await
}

/// Like [`setup`], with `tweak` applied to the merchant's configuration.
pub async fn setup_with(tweak: impl FnOnce(&mut Config)) -> (String, Router) {
    let base = spawn_sandbox().await;
    let mut config = Config::sandbox(&base);
    tweak(&mut config);
    (base, app(config))
}

/// The Stripe client's retry waits cut to 1–4 ms (the SDKs' are 0.5–5 s), so
/// tests of retries run fast; what is retried stays the same.
pub fn fast_retries(config: &mut Config) {
    config.stripe.retry.initial_delay = std::time::Duration::from_millis(1);
    config.stripe.retry.max_delay = std::time::Duration::from_millis(4);
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

/// Spawns `command` (a server binary) with its stdout piped, and reads the
/// `listening on http://…` line it prints first: the child and its base URL.
pub fn spawn_listening(command: &mut std::process::Command) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, base)
}
