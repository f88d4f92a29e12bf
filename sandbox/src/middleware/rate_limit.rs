//! An optional rate limiter on the secret-key API (off by default;
//! [`crate::SandboxOptions::rate_limit`], `SANDBOX_RATE_LIMIT`).
//!
//! Stripe (docs.stripe.com/rate-limits): "If you send many requests in quick
//! succession, you might receive `429` error responses", 100 operations per
//! second in live mode and 25 in a sandbox. The body is Stripe's v1 shape with
//! `code: "rate_limit"` (research notes §5; the message is the one seen in
//! real answers, "Request rate limit exceeded", and may have changed since).
//! No `Stripe-Should-Retry` header: Stripe's SDKs do not retry "real rate
//! limits" (Stripe staff on stripe/stripe-dotnet#1886), only lock timeouts.
//! Rate limiters "run before the API's idempotency layer", so nothing is saved.
//!
//! The emulator's limiter is a token bucket over every request it guards:
//! `rate` tokens a second, at most `rate` in hand (one second of burst).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::StripeApiError;

/// A token bucket of `rate` requests per second.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    bucket: Mutex<(f64, Instant)>,
}

impl RateLimiter {
    /// `rate` requests per second (at least 1), starting with a full bucket.
    pub fn new(rate: u32) -> Self {
        let rate = f64::from(rate.max(1));
        Self {
            rate,
            bucket: Mutex::new((rate, Instant::now())),
        }
    }

    /// Takes a token if one is left at `now`.
    pub fn try_acquire_at(&self, now: Instant) -> bool {
        let mut bucket = self.bucket.lock().unwrap_or_else(PoisonError::into_inner);
        let (tokens, last) = &mut *bucket;
        let elapsed = now.saturating_duration_since(*last).as_secs_f64();
        *tokens = (*tokens + elapsed * self.rate).min(self.rate);
        *last = (*last).max(now);
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The rate limiter of the secret-key API, when one is configured, and
/// the requests it refused.
#[derive(Debug, Default)]
pub struct RateLimit {
    limiter: Option<RateLimiter>,
    limited: AtomicU64,
}

impl RateLimit {
    /// `rate` requests per second, or no limit.
    pub fn new(rate: Option<u32>) -> Self {
        Self {
            limiter: rate.map(RateLimiter::new),
            limited: AtomicU64::new(0),
        }
    }

    /// Requests refused so far.
    pub fn limited(&self) -> u64 {
        self.limited.load(Ordering::Relaxed)
    }
}

/// Stripe's 429 `rate_limit`.
pub fn rate_limited() -> StripeApiError {
    StripeApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        error_type: "invalid_request_error",
        code: Some("rate_limit"),
        message: "Request rate limit exceeded.".to_owned(),
        param: None,
    }
}

/// Answers 429 past the configured rate.
pub async fn limit_rate(State(state): State<Arc<RateLimit>>, req: Request, next: Next) -> Response {
    if let Some(limiter) = &state.limiter {
        if !limiter.try_acquire_at(Instant::now()) {
            state.limited.fetch_add(1, Ordering::Relaxed);
            return rate_limited().into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bucket() {
        let limiter = RateLimiter::new(2);
        let t = Instant::now();
        assert!(limiter.try_acquire_at(t));
        assert!(limiter.try_acquire_at(t));
        assert!(!limiter.try_acquire_at(t));
        assert!(limiter.try_acquire_at(t + Duration::from_millis(500)));
        assert!(!limiter.try_acquire_at(t + Duration::from_millis(500)));
        assert!(limiter.try_acquire_at(t + Duration::from_secs(10)));
        assert!(limiter.try_acquire_at(t + Duration::from_secs(10)));
        assert!(
            !limiter.try_acquire_at(t + Duration::from_secs(10)),
            "burst of one second"
        );
    }
}
