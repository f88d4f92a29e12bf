//! `413` at once, before reading the body, when a request declares a
//! `Content-Length` over its route's limit: the emulator's
//! (`stripe_sandbox::BODY_LIMIT`, 64 KiB, Stripe's error shape) under `/v1/`
//! and `/sandbox/` in emulator mode, [`merchant::body_limit_of`] (16 KiB, 1 MiB for `/webhook`; the
//! merchant error shape) everywhere else.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use checkout_listener::declared_length_exceeds;

use crate::merchant;

/// The layer (see the module's documentation).
pub(super) async fn refuse_declared_oversize(request: Request, next: Next) -> Response {
    #[cfg(feature = "sandbox")]
    if is_emulator_path(request.uri().path()) {
        if declared_length_exceeds(request.headers(), stripe_sandbox::BODY_LIMIT) {
            return emulator_too_large().into_response();
        }
        return next.run(request).await;
    }
    let limit = merchant::body_limit_of(request.uri().path());
    if declared_length_exceeds(request.headers(), limit) {
        return merchant::ApiError::too_large_for(limit).into_response();
    }
    next.run(request).await
}

/// The emulator's paths (its API, the Stripe.js stand-in, its controls).
#[cfg(feature = "sandbox")]
fn is_emulator_path(path: &str) -> bool {
    path.starts_with("/v1/") || path.starts_with("/sandbox/")
}

/// The emulator's `413`, in Stripe's error shape.
#[cfg(feature = "sandbox")]
fn emulator_too_large() -> stripe_sandbox::StripeApiError {
    stripe_sandbox::StripeApiError {
        status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        ..stripe_sandbox::StripeApiError::bad_request(format!(
            "The request body is too large (limit {} KiB).",
            stripe_sandbox::BODY_LIMIT / 1024
        ))
    }
}
