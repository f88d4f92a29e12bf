//! Idempotent requests, as Stripe documents them for API v1
//! (docs.stripe.com/api/idempotent_requests; docs/research-stripe-api.md §3):
//!
//! - a `POST` with an `Idempotency-Key` header (1–255 characters) runs once;
//!   Stripe "saves the status code and body of the first request made with a
//!   given idempotency key after endpoint execution begins", and a later
//!   request with the same key and the same parameters gets that answer again,
//!   with `Idempotent-Replayed: true`;
//! - the same key with other parameters is a 400 `idempotency_error` ("Keys for
//!   idempotent requests can only be used with the same parameters they were
//!   first used with…"), on another endpoint likewise ("…can only be used for
//!   the same endpoint they were first used for…");
//! - what fails before the endpoint runs is not saved and can be retried with
//!   the same key: the rate limiter, injected faults, a missing or bad API key
//!   (all layers outside this one) and, since Stripe says "most 400s that sent
//!   invalid parameters" are not saved and the emulator cannot tell which ones
//!   are, every 4xx `invalid_request_error` of the endpoint;
//! - a request whose key is in use by a request still running gets 409
//!   `idempotency_key_in_use` (the code is in Stripe's error-code enum; the
//!   status is inferred, the message is the emulator's own) and is not saved;
//! - keys are pruned 24 hours after their first use
//!   ([`crate::SandboxOptions::idempotency_ttl`]) and at most
//!   [`crate::SandboxOptions::idempotency_max_keys`] are kept (the oldest goes
//!   first), so memory stays bounded; a key used again after it was pruned
//!   runs again, as on Stripe;
//! - `GET` and `DELETE` ignore the header ("it has no effect").
//!
//! Every answer to a keyed `POST` echoes `Idempotency-Key` (stripe-mock does,
//! "like the real Stripe API", stripe/stripe-mock#77).

mod keys;

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub use keys::{Idempotency, IdempotencyStats};

use crate::error::StripeApiError;
use keys::{Begin, RunGuard, Saved};

/// The request header carrying the key, echoed on the answer.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// The header Stripe sets on a replayed answer.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// Stripe's maximum key length ("Idempotency keys are up to 255 characters long").
pub const MAX_KEY_LEN: usize = 255;
/// Stripe's pruning age: "at least 24 hours old".
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 3600);
/// Default cap on stored keys.
pub const DEFAULT_MAX_KEYS: usize = 10_000;

/// Whether an endpoint's answer is saved: everything but its 4xx refusals
/// (parameter validation, unknown objects), except 402 (a card error is an
/// outcome of the endpoint).
fn saves(status: StatusCode) -> bool {
    !(status.is_client_error() && status != StatusCode::PAYMENT_REQUIRED)
}

/// The largest answer saved for replay (the emulator's are a few KB).
const MAX_SAVED: usize = 1 << 20;

/// The parameters of a form body, order-insensitive: a hash of its sorted
/// `name=value` pairs (as sent, percent-encoded).
pub fn fingerprint(body: &[u8]) -> u64 {
    let mut pairs: Vec<&[u8]> = body
        .split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .collect();
    pairs.sort_unstable();
    let mut hasher = DefaultHasher::new();
    pairs.hash(&mut hasher);
    hasher.finish()
}

/// The key of a request, if it sent one.
pub fn request_key(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(IDEMPOTENCY_KEY)
        .map(|v| v.to_str().unwrap_or(""))
}

/// The idempotency layer (inside the API-key check, so around the endpoint
/// alone).
pub async fn idempotent(
    State(store): State<Arc<Idempotency>>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = request_key(req.headers()).map(str::to_owned) else {
        return next.run(req).await;
    };
    if key.is_empty() || key.len() > MAX_KEY_LEN || key.trim() != key {
        return StripeApiError::invalid(
            "Idempotency-Key",
            format!(
                "Invalid idempotency key: it must be 1 to {MAX_KEY_LEN} characters, without \
                 leading or trailing spaces."
            ),
        )
        .into_response();
    }
    let endpoint = format!("{} {}", req.method(), req.uri().path());
    let mut req = req;
    let bytes = match crate::params::read_body(std::mem::take(req.body_mut())).await {
        Ok(bytes) => bytes,
        Err(error) => return error.into_response(),
    };
    *req.body_mut() = Body::from(bytes.clone());
    let store = &*store;
    match store.begin(&key, &endpoint, fingerprint(&bytes)) {
        Begin::Replay(response) => {
            tracing::info!(key, endpoint, "sandbox: idempotent replay");
            return response;
        }
        Begin::Refuse(error) => return with_key(error.into_response(), &key),
        Begin::Run => {}
    }
    let mut guard = RunGuard {
        store,
        key: &key,
        done: false,
    };
    let response = next.run(req).await;
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_SAVED).await {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "sandbox: could not read an answer to save");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let saved = saves(parts.status).then(|| Saved {
        status: parts.status,
        content_type: parts.headers.get(header::CONTENT_TYPE).cloned(),
        body: body.clone(),
    });
    store.finish(&key, saved);
    guard.done = true;
    if let Ok(value) = HeaderValue::from_str(&key) {
        parts.headers.insert(IDEMPOTENCY_KEY, value);
    }
    Response::from_parts(parts, Body::from(body))
}

fn with_key(mut response: Response, key: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(key) {
        response.headers_mut().insert(IDEMPOTENCY_KEY, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_order() {
        assert_eq!(fingerprint(b"a=1&b=2"), fingerprint(b"b=2&a=1"));
        assert_ne!(fingerprint(b"a=1&b=2"), fingerprint(b"a=1&b=3"));
        assert_eq!(fingerprint(b""), fingerprint(b"&"));
    }

    #[test]
    fn what_is_saved() {
        assert!(saves(StatusCode::OK));
        assert!(saves(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(saves(StatusCode::PAYMENT_REQUIRED));
        assert!(!saves(StatusCode::BAD_REQUEST));
        assert!(!saves(StatusCode::NOT_FOUND));
        assert!(!saves(StatusCode::TOO_MANY_REQUESTS));
    }
}
