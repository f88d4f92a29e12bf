//! Fault injection on the Checkout Sessions routes, as `POST /sandbox/faults`
//! plans it: hangs, delays and failures.

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::StripeApiError;
use crate::state::{SandboxState, MAX_HANG};

/// What one request draws from the pending faults.
enum Fault {
    Hang,
    Run {
        delay_ms: Option<u64>,
        fail: Option<u16>,
    },
}

/// Answers the configured faults while `/sandbox/faults` says so: hangs
/// (no answer for up to [`MAX_HANG`], then 504), delays, failures.
pub async fn inject_faults(
    State(state): State<Arc<SandboxState>>,
    req: Request,
    next: Next,
) -> Response {
    let fault = {
        let mut faults = state.faults.lock().unwrap_or_else(PoisonError::into_inner);
        if faults.hang_remaining > 0 {
            faults.hang_remaining -= 1;
            Fault::Hang
        } else {
            let delay_ms = (faults.delay_remaining > 0).then(|| {
                faults.delay_remaining -= 1;
                faults.delay_ms
            });
            let fail = (faults.remaining > 0).then(|| {
                faults.remaining -= 1;
                faults.status
            });
            Fault::Run { delay_ms, fail }
        }
    };
    let path = req.uri().path().to_owned();
    let (delay_ms, fail) = match fault {
        Fault::Hang => {
            state.fault_counts.hung.fetch_add(1, Ordering::Relaxed);
            tracing::info!(path, "sandbox fault injected: hanging");
            let released = state.release_hangs.notified();
            tokio::select! {
                () = tokio::time::sleep(MAX_HANG) => {},
                () = released => {},
            }
            return StripeApiError {
                status: StatusCode::GATEWAY_TIMEOUT,
                error_type: "api_error",
                code: None,
                message: "Sandbox fault injected (hang)".to_owned(),
                param: None,
            }
            .into_response();
        }
        Fault::Run { delay_ms, fail } => (delay_ms, fail),
    };
    if let Some(ms) = delay_ms {
        state.fault_counts.delayed.fetch_add(1, Ordering::Relaxed);
        tracing::info!(path, delay_ms = ms, "sandbox fault injected: delay");
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    match fail {
        Some(status) => {
            state.fault_counts.failed.fetch_add(1, Ordering::Relaxed);
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            tracing::info!(%status, path, "sandbox fault injected");
            StripeApiError {
                status,
                error_type: "api_error",
                code: None,
                message: "Sandbox fault injected".to_owned(),
                param: None,
            }
            .into_response()
        }
        None => next.run(req).await,
    }
}
