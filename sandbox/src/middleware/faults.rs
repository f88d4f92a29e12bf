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

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use axum::http::{header, HeaderName, HeaderValue};

use crate::error::StripeApiError;

/// The header by which Stripe tells its SDKs to retry (or not).
pub const STRIPE_SHOULD_RETRY: HeaderName = HeaderName::from_static("stripe-should-retry");

/// Stripe's `lock_timeout` message (real answers quoted in the research notes).
pub const LOCK_TIMEOUT_MESSAGE: &str = "This object cannot be accessed right now because another \
     API request or Stripe process is currently accessing it. If you see this error \
     intermittently, retry the request. If you see this error frequently and are making \
     multiple concurrent requests to a single object, make your requests serially or at a \
     lower rate.";

/// Longest a `hang_next` fault holds a request before answering 504.
pub const MAX_HANG: Duration = Duration::from_secs(60);
/// Longest `delay_ms` a `delay_next` fault accepts.
pub const MAX_DELAY_MS: u64 = 60_000;

/// The error a failure fault answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FaultError {
    /// `api_error`, "Sandbox fault injected" (default status 500).
    #[default]
    ApiError,
    /// Stripe's `lock_timeout`: 429 `invalid_request_error` with
    /// `Stripe-Should-Retry: true`.
    LockTimeout,
    /// Stripe's rate limit: 429 `invalid_request_error`, `code: rate_limit`.
    RateLimit,
}

impl FaultError {
    /// The name `POST /sandbox/faults` takes (`"error"`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "api_error" => Some(Self::ApiError),
            "lock_timeout" => Some(Self::LockTimeout),
            "rate_limit" => Some(Self::RateLimit),
            _ => None,
        }
    }

    /// The status answered unless `status` says otherwise.
    pub fn default_status(self) -> u16 {
        match self {
            Self::ApiError => 500,
            Self::LockTimeout | Self::RateLimit => 429,
        }
    }
}

/// Which requests draw from the pending faults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FaultMethod {
    /// Every request.
    #[default]
    Any,
    /// `GET`s only (retrieves).
    Get,
    /// `POST`s only (creates, updates).
    Post,
}

impl FaultMethod {
    /// `"GET"` or `"POST"`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "GET" => Some(Self::Get),
            "POST" => Some(Self::Post),
            _ => None,
        }
    }

    /// Whether a request of `method` draws from the faults.
    pub fn matches(self, method: &axum::http::Method) -> bool {
        match self {
            Self::Any => true,
            Self::Get => method == axum::http::Method::GET,
            Self::Post => method == axum::http::Method::POST,
        }
    }
}

/// Pending fault injections of the `/v1/checkout/sessions*` API. A request
/// takes a hang if one is pending; otherwise a delay (if pending) and then a
/// failure (if pending).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    /// Calls left to fail.
    pub remaining: u32,
    /// HTTP status to answer.
    pub status: u16,
    /// The error of a failure.
    pub error: FaultError,
    /// Whether a failure comes after the endpoint ran (its answer saved for
    /// idempotent replays, then lost on the way back: the update applied,
    /// the client told it failed) instead of before.
    pub after_endpoint: bool,
    /// Which requests draw from these faults.
    pub method: FaultMethod,
    /// A `Stripe-Should-Retry` header on a failure (`None`: the error's own:
    /// `true` for `lock_timeout`, none otherwise).
    pub should_retry: Option<bool>,
    /// A `Retry-After` header (seconds) on a failure.
    pub retry_after_secs: Option<u32>,
    /// Calls left to delay.
    pub delay_remaining: u32,
    /// How long each delayed call waits, milliseconds.
    pub delay_ms: u64,
    /// Calls left to hang (no answer for [`MAX_HANG`], or until faults are set again).
    pub hang_remaining: u32,
}

/// How many faults of each kind were injected so far.
#[derive(Debug, Default)]
pub struct FaultCounts {
    /// Failures answered.
    pub failed: AtomicU64,
    /// Requests delayed.
    pub delayed: AtomicU64,
    /// Requests hung.
    pub hung: AtomicU64,
}

/// The faults `POST /sandbox/faults` planned, what is left of them, and
/// those injected so far.
#[derive(Debug, Default)]
pub struct FaultInjector {
    plan: Mutex<Faults>,
    /// Faults injected so far.
    pub counts: FaultCounts,
    /// Wakes hanging requests when the faults are set again.
    release_hangs: tokio::sync::Notify,
}

impl FaultInjector {
    /// Replaces the pending faults with `faults` and releases the requests
    /// hanging now.
    pub fn set(&self, faults: Faults) {
        *self.plan.lock().unwrap_or_else(PoisonError::into_inner) = faults;
        self.release_hangs.notify_waiters();
    }

    /// The faults still pending.
    pub fn pending(&self) -> Faults {
        *self.plan.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

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
    State(state): State<Arc<FaultInjector>>,
    req: Request,
    next: Next,
) -> Response {
    let fault = {
        let mut faults = state.plan.lock().unwrap_or_else(PoisonError::into_inner);
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
            state.counts.hung.fetch_add(1, Ordering::Relaxed);
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
        state.counts.delayed.fetch_add(1, Ordering::Relaxed);
        tracing::info!(path, delay_ms = ms, "sandbox fault injected: delay");
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    match fail {
        Some(failure) => {
            state.counts.failed.fetch_add(1, Ordering::Relaxed);
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
