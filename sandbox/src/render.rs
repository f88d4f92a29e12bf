//! Rendering shared by every resource: JSON responses serialized straight
//! from typed structs, and the small values Stripe's objects repeat.
//!
//! The objects below serialize straight to JSON, without building a
//! `serde_json::Value` tree first. Their fields are in alphabetical order, the
//! order `serde_json::Map` (a `BTreeMap`) used to give them, so the bytes on the
//! wire are those of the `Value` rendering they replace.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

/// `null`.
pub type Null = ();

/// An empty JSON object, `{}`.
#[derive(Debug, Clone, Copy)]
pub struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

/// `{"enabled": false}`.
#[derive(Serialize)]
pub struct Disabled {
    /// Always `false` here.
    pub enabled: bool,
}

/// `{"enabled": false}`.
pub const DISABLED: Disabled = Disabled { enabled: false };

/// `value` as a JSON tree. The objects of this module have string keys only,
/// so this cannot fail; `null` stands in should it ever.
pub fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// An `application/json` response with `value` serialized straight into the
/// body (no intermediate `Value`).
pub fn json_response<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => ([(header::CONTENT_TYPE, APPLICATION_JSON)], body).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "sandbox: could not serialize a response");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
