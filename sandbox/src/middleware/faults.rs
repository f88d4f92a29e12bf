//! Fault injection on the Checkout Sessions routes, as `POST /sandbox/faults`
//! plans it: hangs, delays and failures.
//!
//! A failure is answered before the endpoint runs (as Stripe's rate limiter
//! and lock timeouts are: nothing is applied, nothing saved for idempotent
//! replays), or with `after_endpoint` once the endpoint ran (its answer saved
//! by the idempotency layer, then lost on the way back, as a dropped
//! connection or a failing proxy would). Its body is Stripe's:
//!
//! - `api_error` (default): `{"type": "api_error", "message": "Sandbox fault injected"}`;
//! - `lock_timeout`: 429 `invalid_request_error`, `code: lock_timeout`, Stripe's
//!   message, and `Stripe-Should-Retry: true`. 429, not 409: real answers
//!   (dj-stripe#1917, stripe-node#2056) and the SDKs' `RateLimitError` for
//!   them, stripe-php#718 "Retry requests on a 429 that's a lock timeout", and
//!   Stripe's rate-limits page ("the automatic retry mechanisms built into
//!   Stripe's client libraries will retry 429s caused by lock timeouts");
//!   see docs/research-stripe-api.md §5;
//! - `rate_limit`: the rate limiter's 429 ([`super::rate_limit::rate_limited`]).
//!
//! `should_retry` and `retry_after` add `Stripe-Should-Retry` and
//! `Retry-After` headers to a failure, so clients' handling of them can be
//! tested (Stripe's rate-limit guide names neither: docs/research-stripe-strict.md §7).

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use axum::http::{header, HeaderName, HeaderValue};

use crate::error::StripeApiError;
use crate::state::{FaultError, SandboxState, MAX_HANG};

/// The header by which Stripe tells its SDKs to retry (or not).
pub const STRIPE_SHOULD_RETRY: HeaderName = HeaderName::from_static("stripe-should-retry");

/// Stripe's `lock_timeout` message (real answers quoted in the research notes).
pub const LOCK_TIMEOUT_MESSAGE: &str = "This object cannot be accessed right now because another \
     API request or Stripe process is currently accessing it. If you see this error \
     intermittently, retry the request. If you see this error frequently and are making \
     multiple concurrent requests to a single object, make your requests serially or at a \
     lower rate.";

/// A planned failure.
#[derive(Debug, Clone, Copy)]
struct Failure {
    status: u16,
    error: FaultError,
    after_endpoint: bool,
    should_retry: Option<bool>,
    retry_after_secs: Option<u32>,
}

/// What one request draws from the pending faults.
enum Fault {
    Hang,
    Run {
        delay_ms: Option<u64>,
        fail: Option<Failure>,
    },
}

/// The answer of a failure fault.
fn failure_response(failure: Failure) -> Response {
    let status = StatusCode::from_u16(failure.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let error = match failure.error {
        FaultError::ApiError => StripeApiError {
            status,
            error_type: "api_error",
            code: None,
            message: "Sandbox fault injected".to_owned(),
            param: None,
        },
        FaultError::LockTimeout => StripeApiError {
            status,
            error_type: "invalid_request_error",
            code: Some("lock_timeout"),
            message: LOCK_TIMEOUT_MESSAGE.to_owned(),
            param: None,
        },
        FaultError::RateLimit => StripeApiError {
            status,
            ..super::rate_limit::rate_limited()
        },
    };
    let mut response = error.into_response();
    let should_retry = failure
        .should_retry
        .or((failure.error == FaultError::LockTimeout).then_some(true));
    if let Some(should_retry) = should_retry {
        response.headers_mut().insert(
            STRIPE_SHOULD_RETRY,
            HeaderValue::from_static(if should_retry { "true" } else { "false" }),
        );
    }
    if let Some(seconds) = failure.retry_after_secs {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
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
        if !faults.method.matches(req.method()) {
            Fault::Run {
                delay_ms: None,
                fail: None,
            }
        } else if faults.hang_remaining > 0 {
            faults.hang_remaining -= 1;
            Fault::Hang
        } else {
            let delay_ms = (faults.delay_remaining > 0).then(|| {
                faults.delay_remaining -= 1;
                faults.delay_ms
            });
            let fail = (faults.remaining > 0).then(|| {
                faults.remaining -= 1;
                Failure {
                    status: faults.status,
                    error: faults.error,
                    after_endpoint: faults.after_endpoint,
                    should_retry: faults.should_retry,
                    retry_after_secs: faults.retry_after_secs,
                }
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
        Some(failure) => {
            state.fault_counts.failed.fetch_add(1, Ordering::Relaxed);
            if failure.after_endpoint {
                let answer = next.run(req).await;
                tracing::info!(
                    status = failure.status,
                    lost = %answer.status(),
                    path,
                    "sandbox fault injected after the endpoint ran"
                );
            } else {
                tracing::info!(status = failure.status, path, "sandbox fault injected");
            }
            failure_response(failure)
        }
        None => next.run(req).await,
    }
}
