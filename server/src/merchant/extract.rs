//! Request bodies: JSON objects only, with the merchant error shape for every
//! rejection (400 for bad JSON, a wrong or missing `Content-Type`, wrong
//! types, unknown fields; 413 past [`super::BODY_LIMIT`]).

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::Json;
use checkout_protocol::bodies::CreateSessionRequest;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;
use super::messages::MSG_NOT_OBJECT;
use crate::log_safe::log_safe;

/// A JSON object body deserialized into `T`.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let value = match Json::<Value>::from_request(req, state).await {
            Ok(Json(value)) => value,
            Err(rejection) => return Err(json_rejection(&rejection)),
        };
        object_into(value).map(ApiJson)
    }
}

/// `value` into `T`, refusing anything but a JSON object (serde would read a
/// struct from an array too: `["cs_…", "yearly"]`).
fn object_into<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    if !value.is_object() {
        tracing::info!("rejected request body: not a JSON object");
        return Err(ApiError::invalid(MSG_NOT_OBJECT));
    }
    serde_json::from_value(value).map_err(|e| {
        tracing::info!(rejection = %log_safe(&e.to_string()), "rejected request body");
        ApiError::invalid(format!("The request body has the wrong shape: {e}"))
    })
}

const MSG_NOT_JSON_TYPE: &str = "Expected a JSON body with `Content-Type: application/json`.";
const MSG_NOT_JSON: &str = "The request body is not valid JSON.";

fn json_rejection(rejection: &JsonRejection) -> ApiError {
    tracing::info!(rejection = %log_safe(&rejection.body_text()), "rejected request body");
    match rejection {
        _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(),
        JsonRejection::MissingJsonContentType(_) => ApiError::invalid(MSG_NOT_JSON_TYPE),
        JsonRejection::JsonSyntaxError(_) => ApiError::invalid(MSG_NOT_JSON),
        JsonRejection::JsonDataError(e) => ApiError::invalid(format!(
            "The request body has the wrong shape: {}",
            data_error(e)
        )),
        _ => ApiError::invalid("The request body could not be read."),
    }
}

/// The serde part of a JSON data error (e.g. "missing field `x` at line 1 column 2").
fn data_error(e: &axum::extract::rejection::JsonDataError) -> String {
    let text = e.body_text();
    match text.split_once(": ") {
        Some((_, detail)) => detail.to_owned(),
        None => text,
    }
}

/// The optional body of `POST /create-checkout-session`: empty with no
/// `Content-Type` (what the widget sends), or a JSON object with
/// `application/json`: `{}` or `{"customer_email": …}`.
#[derive(Debug, Clone, Default)]
pub struct CreateBody(pub CreateSessionRequest);

impl<S: Send + Sync> FromRequest<S> for CreateBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req.headers().get(header::CONTENT_TYPE).cloned();
        let body = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::too_large()
            } else {
                ApiError::invalid("The request body could not be read.")
            }
        })?;
        if body.is_empty() && content_type.is_none() {
            return Ok(CreateBody::default());
        }
        let is_json = content_type
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::invalid(MSG_NOT_JSON_TYPE));
        }
        let value: Value =
            serde_json::from_slice(&body).map_err(|_| ApiError::invalid(MSG_NOT_JSON))?;
        object_into::<CreateSessionRequest>(value).map(CreateBody)
    }
}
