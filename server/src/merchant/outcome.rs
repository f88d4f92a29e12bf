//! One span per merchant request (`merchant{endpoint, session_id, outcome}`)
//! and one log line of its outcome, for every endpoint, written here once
//! (as axum's error-handling example logs errors in a layer), counted in
//! `merchant_requests_total` ([`crate::metrics`]).

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing::{field, Instrument};

use super::error::FailureReason;
use crate::log_safe::log_safe;

/// Runs the request inside its `merchant` span, then logs how it ended.
pub(crate) async fn log_outcome(req: Request, next: Next) -> Response {
    let endpoint = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().trim_start_matches('/').to_owned())
        .unwrap_or_default();
    let span = tracing::info_span!(
        "merchant",
        endpoint,
        session_id = field::Empty,
        outcome = field::Empty
    );
    let response = next.run(req).instrument(span.clone()).await;
    let _entered = span.enter();
    match response.extensions().get::<FailureReason>() {
        None => {
            span.record("outcome", "ok");
            crate::metrics::merchant_request(&endpoint, "ok");
            tracing::info!("request succeeded");
        }
        Some(FailureReason(reason, refusal)) => {
            crate::metrics::merchant_request(&endpoint, refusal.code());
            span.record("outcome", field::display(response.status()));
            tracing::info!(status = %response.status(), reason = %log_safe(reason), "request failed");
        }
    }
    response
}
