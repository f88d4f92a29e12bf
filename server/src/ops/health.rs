//! `GET /healthz`: the process answers (200 `{"status":"ok"}`). `GET
//! /readyz`: it can serve orders: the configuration was valid (it started)
//! and the order store answers now (200), else 503 with what is wrong, for
//! a load balancer to take the instance out.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::store::Store;

/// The liveness path.
pub const HEALTHZ: &str = "/healthz";
/// The readiness path.
pub const READYZ: &str = "/readyz";

async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// How long `/readyz` waits for the store (a load balancer's probe must
/// hear back sooner than its own timeout).
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

async fn readyz(State(store): State<Store>) -> (StatusCode, Json<Value>) {
    let ping = tokio::time::timeout(READY_TIMEOUT, store.ping()).await;
    match ping {
        Ok(Ok(())) => (StatusCode::OK, Json(json!({"status": "ready"}))),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the order store does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "store": "not answering"})),
            )
        }
        Err(_) => {
            tracing::warn!("readiness: the order store did not answer within 2 s");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "store": "not answering"})),
            )
        }
    }
}

/// The two routes, on `store`.
pub(crate) fn routes(store: Store) -> Router {
    Router::new()
        .route(HEALTHZ, get(healthz))
        .route(READYZ, get(readyz))
        .with_state(store)
}
