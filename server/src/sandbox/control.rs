//! Sandbox test controls (`/sandbox/faults`, `/sandbox/stats`) and the
//! Stripe.js stand-ins (`/sandbox/{basil,clover,dahlia}/stripe.js`).

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::{Faults, SandboxState};

/// The Stripe.js stand-in (basil train), compiled into the binary.
pub const STRIPE_JS: &str = include_str!("../../static/sandbox/basil/stripe.js");
/// The Stripe.js stand-in of the clover train.
pub const STRIPE_JS_CLOVER: &str = include_str!("../../static/sandbox/clover/stripe.js");
/// The Stripe.js stand-in of the dahlia train.
pub const STRIPE_JS_DAHLIA: &str = include_str!("../../static/sandbox/dahlia/stripe.js");

/// The stand-in script of `train`, if there is one.
pub fn stripe_js_for(train: &str) -> Option<&'static str> {
    match train {
        "basil" => Some(STRIPE_JS),
        "clover" => Some(STRIPE_JS_CLOVER),
        "dahlia" => Some(STRIPE_JS_DAHLIA),
        _ => None,
    }
}

/// The `/sandbox/...` routes.
pub fn router(state: Arc<SandboxState>) -> Router {
    Router::new()
        .route("/sandbox/faults", post(set_faults))
        .route("/sandbox/stats", get(stats))
        .route("/sandbox/{train}/stripe.js", get(stripe_js))
        .with_state(state)
}

/// Body of `POST /sandbox/faults`.
#[derive(Debug, Deserialize)]
struct FaultsBody {
    fail_next: u32,
    status: Option<u16>,
}

fn control_error(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": {"type": "invalid_request_error", "message": message}})),
    )
        .into_response()
}

/// `POST /sandbox/faults` `{"fail_next": N, "status": 500}` → 204.
async fn set_faults(
    State(state): State<Arc<SandboxState>>,
    body: Result<Json<FaultsBody>, JsonRejection>,
) -> Response {
    let body = match body {
        Ok(Json(body)) => body,
        Err(rejection) => return control_error(&rejection.body_text()),
    };
    let status = body.status.unwrap_or(500);
    if !(400..=599).contains(&status) {
        return control_error(&format!(
            "status must be between 400 and 599 (got {status})"
        ));
    }
    *state.faults.lock().unwrap_or_else(PoisonError::into_inner) = Faults {
        remaining: body.fail_next,
        status,
    };
    tracing::info!(fail_next = body.fail_next, status, "sandbox faults set");
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /sandbox/stats` → `{"session_updates": n}`.
async fn stats(State(state): State<Arc<SandboxState>>) -> Json<serde_json::Value> {
    Json(json!({"session_updates": state.session_updates.load(Ordering::Relaxed)}))
}

/// `GET /sandbox/{train}/stripe.js`; 404 for an unknown train.
async fn stripe_js(Path(train): Path<String>) -> Response {
    match stripe_js_for(&train) {
        Some(script) => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            script,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "unknown Stripe.js train\n").into_response(),
    }
}
