//! The emulator's test controls (`/sandbox/faults`, `/sandbox/stats`,
//! `/sandbox/latency`, `/sandbox/requests`).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::middleware::faults::{FaultError, FaultMethod, Faults, MAX_DELAY_MS};
use crate::state::SandboxState;

/// The `/sandbox/...` routes but the request log's (`request_log::routes`).
pub fn routes(state: Arc<SandboxState>) -> Router {
    Router::new()
        .route("/sandbox/faults", post(set_faults))
        .route("/sandbox/stats", get(stats))
        .route("/sandbox/latency", get(latency))
        .with_state(state)
}

/// Body of `POST /sandbox/faults`: the whole fault plan (what it omits is 0).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultsBody {
    fail_next: Option<u32>,
    status: Option<u16>,
    error: Option<String>,
    after_endpoint: Option<bool>,
    method: Option<String>,
    should_retry: Option<bool>,
    retry_after: Option<u32>,
    delay_next: Option<u32>,
    delay_ms: Option<u64>,
    hang_next: Option<u32>,
}

fn control_error(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": {"type": "invalid_request_error", "message": message}})),
    )
        .into_response()
}

/// `POST /sandbox/faults` `{"fail_next": N, "status": 500, "error": "api_error",
/// "after_endpoint": false, "method": "POST", "should_retry": true|false,
/// "retry_after": seconds, "delay_next": N, "delay_ms": M, "hang_next": N}` →
/// 204. Replaces the pending faults and releases requests hanging now.
async fn set_faults(
    State(state): State<Arc<SandboxState>>,
    body: Result<Json<FaultsBody>, JsonRejection>,
) -> Response {
    let body = match body {
        Ok(Json(body)) => body,
        Err(rejection) => return control_error(&rejection.body_text()),
    };
    if body.fail_next.is_none() && body.delay_next.is_none() && body.hang_next.is_none() {
        return control_error("expected at least one of fail_next, delay_next, hang_next");
    }
    let error = match body.error.as_deref() {
        None => FaultError::default(),
        Some(name) => match FaultError::parse(name) {
            Some(error) => error,
            None => {
                return control_error(&format!(
                    "error must be one of api_error, lock_timeout, rate_limit (got {name:?})"
                ))
            }
        },
    };
    let method = match body.method.as_deref() {
        None => FaultMethod::Any,
        Some(name) => match FaultMethod::parse(name) {
            Some(method) => method,
            None => return control_error(&format!("method must be GET or POST (got {name:?})")),
        },
    };
    let status = body.status.unwrap_or_else(|| error.default_status());
    if !(400..=599).contains(&status) {
        return control_error(&format!(
            "status must be between 400 and 599 (got {status})"
        ));
    }
    let delay_next = body.delay_next.unwrap_or(0);
    let delay_ms = body.delay_ms.unwrap_or(0);
    if delay_next > 0 && !(1..=MAX_DELAY_MS).contains(&delay_ms) {
        return control_error(&format!(
            "delay_ms must be between 1 and {MAX_DELAY_MS} with delay_next (got {delay_ms})"
        ));
    }
    let faults = Faults {
        remaining: body.fail_next.unwrap_or(0),
        status,
        error,
        after_endpoint: body.after_endpoint.unwrap_or(false),
        method,
        should_retry: body.should_retry,
        retry_after_secs: body.retry_after,
        delay_remaining: delay_next,
        delay_ms,
        hang_remaining: body.hang_next.unwrap_or(0),
    };
    state.faults.set(faults);
    tracing::info!(?faults, "sandbox faults set");
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /sandbox/stats`: counters since start (see docs/sandbox-contract.md).
async fn stats(State(state): State<Arc<SandboxState>>) -> Json<serde_json::Value> {
    let counts = &state.faults.counts;
    let failed = counts.failed.load(Ordering::Relaxed);
    let delayed = counts.delayed.load(Ordering::Relaxed);
    let hung = counts.hung.load(Ordering::Relaxed);
    let pending = state.faults.pending();
    let mut body = json!({
        "session_updates": state.sessions.updates(),
        "faults_injected": failed + delayed + hung,
        "faults": {"failed": failed, "delayed": delayed, "hung": hung},
        "faults_pending": {
            "fail_next": pending.remaining,
            "delay_next": pending.delay_remaining,
            "hang_next": pending.hang_remaining,
        },
        "requests": state.stats.requests.snapshot(),
        "idempotency": state.idempotency.stats(),
        "rate_limited": state.rate_limit.limited(),
        "connections_accepted": state.stats.connections_accepted(),
    });
    if let Some(fields) = body.as_object_mut() {
        for (name, counts) in state.stats.counters() {
            fields.insert(name.to_owned(), json!(counts));
        }
    }
    Json(body)
}

/// `GET /sandbox/latency`: the configured latency and the delays injected
/// (see [`crate::middleware::latency`]).
async fn latency(State(state): State<Arc<SandboxState>>) -> Json<serde_json::Value> {
    Json(json!({
        "latency_ms": state.latency.latency.map(|l| json!({"min": l.min_ms, "max": l.max_ms})),
        "calls": state.latency.recorded.snapshot(),
    }))
}
