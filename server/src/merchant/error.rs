//! The merchant endpoints' error answer, `{"type":"error","message":…,"code":…}`,
//! built from a [`Refusal`], and how a Stripe failure becomes one.

use std::borrow::Cow;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use checkout_protocol::bodies::UpdateReply;
use checkout_protocol::Refusal;

use super::BODY_LIMIT;
use crate::stripe_client::StripeError;

/// An error answer: `status` with `{"type":"error","message":message,"code":…}`,
/// the code of `refusal`. A refusal whose status is 200 (the guides'
/// business rules) answers 200.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// What was refused: the wire code, and the widget's words for it.
    pub refusal: Refusal,
    /// The server's message ([`Refusal::message`], or what exactly is wrong
    /// with a malformed request).
    pub message: Cow<'static, str>,
}

/// Why a request failed, left on the response for the outcome log
/// ([`super::outcome`]).
#[derive(Debug, Clone)]
pub(crate) struct FailureReason(pub(crate) String, pub(crate) Refusal);

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        Self {
            status: StatusCode::from_u16(refusal.status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            refusal,
            message: Cow::Borrowed(refusal.message()),
        }
    }
}

impl ApiError {
    /// `refusal` with another status.
    pub fn with_status(refusal: Refusal, status: StatusCode) -> Self {
        Self {
            status,
            ..Self::from(refusal)
        }
    }

    /// A malformed request ([`Refusal::InvalidRequest`], 400), saying what is wrong.
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: message.into(),
            ..Self::from(Refusal::InvalidRequest)
        }
    }

    /// `status` with `message`, for a malformed request ([`Refusal::InvalidRequest`]).
    pub fn invalid_with_status(status: StatusCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            ..Self::invalid(message)
        }
    }

    /// 404: the endpoint's preview is off (`STRIPE_PREVIEWS`).
    pub fn not_enabled(message: &'static str) -> Self {
        Self::invalid_with_status(StatusCode::NOT_FOUND, message)
    }

    /// 413: the body is over [`BODY_LIMIT`] (declared or read).
    pub fn too_large() -> Self {
        Self::too_large_for(BODY_LIMIT)
    }

    /// 413: the body is over `limit` bytes.
    pub fn too_large_for(limit: usize) -> Self {
        Self::invalid_with_status(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "The request body is too large (limit {} KiB).",
                limit / 1024
            ),
        )
    }

    /// 500, [`Refusal::ServerError`].
    pub fn internal() -> Self {
        Self::from(Refusal::ServerError)
    }

    /// A failed discount call: a transient failure as [`Refusal::TryAgain`];
    /// otherwise [`Refusal::DiscountFailed`], 400 when Stripe refused, 500
    /// else.
    pub fn discount(err: StripeError) -> Self {
        let answer = Self::from(err);
        if answer.refusal == Refusal::TryAgain {
            return answer;
        }
        Self::with_status(Refusal::DiscountFailed, answer.status)
    }
}

/// A transient failure (no answer, the deadline, 409, 429, 5xx — what is left
/// after the Stripe client's retries) → 503 [`Refusal::TryAgain`]; Stripe
/// refused (another 4xx) → 400 [`Refusal::BadRequest`]; anything else → 500.
/// The details go to the log, never to the customer.
impl From<StripeError> for ApiError {
    fn from(err: StripeError) -> Self {
        log_stripe_error(&err);
        Self::from(if err.is_transient() {
            Refusal::TryAgain
        } else if err.is_client_error() {
            Refusal::BadRequest
        } else {
            Refusal::ServerError
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let reason = FailureReason(self.message.to_string(), self.refusal);
        let mut response = (
            self.status,
            Json(UpdateReply::refused(self.refusal, self.message)),
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
