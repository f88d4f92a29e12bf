//! `Server-Timing: app;dur=<ms>` on every merchant answer: how long the
//! server spent on the request, its Stripe calls and retries included, so a
//! browser's developer tools (and `bench/load.mjs`) can tell the server's
//! time from the network's. It says nothing about the request but its
//! duration.

use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The header (W3C Server Timing).
pub const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");

/// Times the request and sets [`SERVER_TIMING`] on its answer.
pub(crate) async fn server_timing(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut response = next.run(req).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(value) = HeaderValue::from_str(&format!("app;dur={ms:.2}")) {
        response.headers_mut().insert(SERVER_TIMING, value);
    }
    response
}
