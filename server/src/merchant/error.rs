//! The merchant endpoints' error answer, `{"type":"error","message":…}`, and
//! how a Stripe failure becomes one.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use checkout_protocol::bodies::UpdateReply;

use super::messages::{code_for, MSG_BAD_REQUEST, MSG_DISCOUNT_FAILED, MSG_INTERNAL};
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

    /// 500 with the guides' generic message.
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, MSG_INTERNAL)
    }

    /// A failed discount call: the guides' discount message, 400 when Stripe
    /// refused, 500 otherwise.
    pub fn discount(err: StripeError) -> Self {
        let status = Self::from(err).status;
        Self::new(status, MSG_DISCOUNT_FAILED)
    }
}

/// Stripe refused (4xx) → 400 with the guides' "couldn't process" message;
/// anything else → 500. The details go to the log, never to the customer.
impl From<StripeError> for ApiError {
    fn from(err: StripeError) -> Self {
        log_stripe_error(&err);
        if err.is_client_error() {
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
