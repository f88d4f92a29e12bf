//! JSON on the wire, through serde: the merchant server's replies and the
//! bodies the widget sends (the types of `checkout_protocol::bodies`, shared
//! with the server), and the Stripe.js session.
//!
//! In the browser, JSON text goes through the browser's own `JSON.parse`,
//! and a JS value (that, or Stripe.js's session) into a serde type through
//! [`js_value`]; off the browser (host tests, `ssr`) JSON text goes through
//! serde_json. Bodies to send go through serde_json's serializer
//! everywhere. Either way, a member that is `null` reads as absent (Stripe.js
//! sends `null` for what a session does not have; the types' `default`s
//! fill it in), and a value of the wrong shape is an error, never a panic.

mod js_value;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A value had a shape the widget does not understand: what it was, and
/// serde's words for what was wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} has an unexpected shape: {reason}")]
pub struct ShapeError {
    /// What was read ("the session from Stripe.js", "/config's reply").
    pub what: String,
    /// What serde found wrong.
    pub reason: String,
}

impl ShapeError {
    pub(crate) fn new(what: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        Self {
            what: what.into(),
            reason: reason.to_string(),
        }
    }
}

/// Parses JSON text into `T`; `what` names it in the error.
#[cfg(target_arch = "wasm32")]
pub(crate) fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, ShapeError> {
    from_js(parse(text, what)?, what)
}

/// The browser's `JSON.parse` of `text` (not generic: one copy for every
/// type read).
#[cfg(target_arch = "wasm32")]
#[inline(never)]
fn parse(text: &str, what: &str) -> Result<wasm_bindgen::JsValue, ShapeError> {
    js_sys::JSON::parse(text).map_err(|_| ShapeError::new(what, "not JSON"))
}

/// Parses JSON text into `T`; `what` names it in the error.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, ShapeError> {
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| ShapeError::new(what, error))?;
    drop_null_members(&mut value);
    T::deserialize(value).map_err(|error| ShapeError::new(what, error))
}

/// Takes the `null` members out of every object in `value`, so that they
/// read as absent, as in the browser (`js_value`). serde_json's parser
/// nests at most 128 deep, and so does this.
#[cfg(not(target_arch = "wasm32"))]
fn drop_null_members(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(members) => {
            members.retain(|_, member| !member.is_null());
            members.values_mut().for_each(drop_null_members);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_null_members),
        _ => {}
    }
}

/// Reads a JS value into `T`; `what` names it in the error.
pub(crate) fn from_js<T: DeserializeOwned>(
    value: wasm_bindgen::JsValue,
    what: &str,
) -> Result<T, ShapeError> {
    js_value::from_value(value).map_err(|error| ShapeError::new(what, error))
}

/// Reads a JS value into `T`, serde's words for what was wrong as the
/// error (`mount()`'s options, whose errors name the option).
#[cfg(feature = "embed")]
pub(crate) fn from_js_value<T: DeserializeOwned>(
    value: wasm_bindgen::JsValue,
) -> Result<T, String> {
    js_value::from_value(value).map_err(|error| error.to_string())
}

/// JSON text of `value` (serde_json's serializer: the bodies have strings,
/// integers and booleans, so no float printing comes with it).
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use checkout_protocol::bodies::{ChangeIntervalRequest, ConfigReply};

    #[test]
    fn requests_are_the_shared_bodies() {
        let body = ChangeIntervalRequest {
            checkout_session_id: Some("cs_test_\"1".into()),
            interval: Some("yearly".into()),
        };
        assert_eq!(
            to_json(&body).as_deref(),
            Some(r#"{"checkout_session_id":"cs_test_\"1","interval":"yearly"}"#)
        );
    }

    #[test]
    fn wrong_shapes_name_what_was_read() {
        let error = from_json::<ConfigReply>(r#"{"publishableKey":5}"#, "/config's reply")
            .err()
            .map(|error| error.to_string())
            .unwrap_or_default();
        assert!(
            error.starts_with("/config's reply has an unexpected shape: invalid type"),
            "{error}"
        );
        assert!(from_json::<ConfigReply>("<html>", "x").is_err());
    }
}
