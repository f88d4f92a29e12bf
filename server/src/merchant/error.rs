//! The merchant endpoints' error answer, `{"type":"error","message":…}`, and
//! how a Stripe failure becomes one.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use checkout_protocol::bodies::UpdateReply;

use super::messages::{
    code_for, MSG_BAD_REQUEST, MSG_DISCOUNT_FAILED, MSG_INTERNAL, MSG_TRY_AGAIN,
};
use super::BODY_LIMIT;
use crate::stripe_client::StripeError;

/// An error answer: `status` with `{"type":"error","message":message,"code":…}`
/// (the code of [`code_for`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Message for the customer.
    pub message: String,
}

/// Why a request failed, left on the response for the outcome log
/// ([`super::outcome`]).
#[derive(Debug, Clone)]
pub(crate) struct FailureReason(pub(crate) String);

impl ApiError {
    /// A new error answer.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// 400 with `message`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404 with `message`: the endpoint's preview is off (`STRIPE_PREVIEWS`).
    pub fn not_enabled(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 413: the body is over [`BODY_LIMIT`] (declared or read).
    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "The request body is too large (limit {} KiB).",
                BODY_LIMIT / 1024
            ),
        )
    }

    /// 500 with the guides' generic message.
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, MSG_INTERNAL)
    }

    /// 503 with [`MSG_TRY_AGAIN`]: a transient failure outlived the retries.
    pub fn try_again() -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, MSG_TRY_AGAIN)
    }

    /// A failed discount call: a transient failure as [`ApiError::try_again`];
    /// otherwise the guides' discount message, 400 when Stripe refused, 500
    /// else.
    pub fn discount(err: StripeError) -> Self {
        let answer = Self::from(err);
        if answer.status == StatusCode::SERVICE_UNAVAILABLE {
            return answer;
        }
        Self::new(answer.status, MSG_DISCOUNT_FAILED)
    }
}

/// A transient failure (no answer, the deadline, 409, 429, 5xx — what is left
/// after the Stripe client's retries) → 503 [`MSG_TRY_AGAIN`]; Stripe refused
/// (another 4xx) → 400 with the guides' "couldn't process" message; anything
/// else → 500. The details go to the log, never to the customer.
impl From<StripeError> for ApiError {
    fn from(err: StripeError) -> Self {
        log_stripe_error(&err);
        if err.is_transient() {
            Self::try_again()
        } else if err.is_client_error() {
            Self::bad_request(MSG_BAD_REQUEST)
        } else {
            Self::internal()
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let reason = FailureReason(self.message.clone());
        let mut response = (
            self.status,
            Json(UpdateReply::error(
                self.message.clone(),
                code_for(&self.message),
            )),
        )
            .into_response();
        response.extensions_mut().insert(reason);
        response
    }
}

fn log_stripe_error(err: &StripeError) {
    match err {
        StripeError::Api {
            status,
            error_type,
            code,
            message,
            param,
            request_id,
        } => tracing::warn!(
            status,
            error_type,
            code = code.as_deref().unwrap_or(""),
            param = param.as_deref().unwrap_or(""),
            request_id = request_id.as_deref().unwrap_or(""),
            stripe_message = %message,
            "Stripe refused the call"
        ),
        other => tracing::error!(error = %other, "Stripe call failed"),
    }
}
