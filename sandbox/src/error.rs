//! Stripe's error answer, `{"error": {type, code, doc_url, message, param}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map};

/// A Stripe API error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// `error.type`.
    pub error_type: &'static str,
    /// `error.code`.
    pub code: Option<&'static str>,
    /// `error.message`.
    pub message: String,
    /// `error.param`.
    pub param: Option<String>,
}

impl StripeApiError {
    /// 400 `invalid_request_error` about `param`.
    pub fn invalid(param: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error_type: "invalid_request_error",
            code: None,
            message: message.into(),
            param: Some(param.into()),
        }
    }

    /// 400 `parameter_missing`.
    pub fn missing(param: &str) -> Self {
        Self {
            code: Some("parameter_missing"),
            ..Self::invalid(param, format!("Missing required param: {param}."))
        }
    }

    /// 400 `email_invalid` (one of Stripe's error codes) about `param`; the
    /// message is the emulator's own.
    pub fn email_invalid(param: &str, value: &str) -> Self {
        Self {
            code: Some("email_invalid"),
            ..Self::invalid(param, format!("Invalid email address: {value}"))
        }
    }

    /// 400 `parameter_invalid_integer`.
    pub fn invalid_integer(param: &str, value: &str) -> Self {
        Self {
            code: Some("parameter_invalid_integer"),
            ..Self::invalid(param, format!("Invalid integer: {value}"))
        }
    }

    /// 400 (or 404 for `status`) `resource_missing`.
    pub fn resource_missing(status: StatusCode, param: &str, message: String) -> Self {
        Self {
            status,
            code: Some("resource_missing"),
            ..Self::invalid(param, message)
        }
    }

    /// 401 about the API key.
    pub fn unauthorized(message: String) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            error_type: "invalid_request_error",
            code: None,
            message,
            param: None,
        }
    }

    /// 400 "Received unknown parameter" (also what Stripe answers for a
    /// parameter the request's API version does not have).
    pub fn unknown_parameter(param: &str) -> Self {
        Self::invalid(param, format!("Received unknown parameter: {param}"))
    }

    /// A general 400 without a param.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            param: None,
            ..Self::invalid("", message)
        }
    }
}

impl IntoResponse for StripeApiError {
    fn into_response(self) -> Response {
        let mut error = Map::new();
        error.insert("type".to_owned(), json!(self.error_type));
        if let Some(code) = self.code {
            error.insert("code".to_owned(), json!(code));
            error.insert(
                "doc_url".to_owned(),
                json!(format!(
                    "https://stripe.com/docs/error-codes/{}",
                    code.replace('_', "-")
                )),
            );
        }
        error.insert("message".to_owned(), json!(self.message));
        if let Some(param) = self.param {
            error.insert("param".to_owned(), json!(param));
        }
        (self.status, Json(json!({ "error": error }))).into_response()
    }
}

/// A result whose error is a Stripe error answer.
pub type ApiResult<T> = Result<T, StripeApiError>;
