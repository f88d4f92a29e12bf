//! Reading JSON-shaped values (Stripe.js's session, the merchant server's
//! replies) without serde in the wasm: in the browser the values are the
//! JavaScript objects themselves, read with `Reflect`, and JSON text goes
//! through the browser's `JSON.parse` / `JSON.stringify`. Off the browser
//! (host tests, `ssr`) the same readers run on `serde_json::Value`.
//!
//! Readers are tolerant in one way only: a missing field, `null` and
//! `undefined` all mean "absent". A value of the wrong type is an error
//! naming the field, never a panic.

use wasm_bindgen::JsValue;

/// A field had a value of the wrong type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` has an unexpected type")]
pub struct ShapeError(pub &'static str);

/// A JSON-shaped value the widget can read.
pub(crate) trait Json: Sized {
    /// The field `key` of an object; `None` when absent, `null`, or `self` is
    /// not an object.
    fn field(&self, key: &str) -> Option<Self>;
    /// Whether this is an object (not an array, not `null`).
    fn is_object(&self) -> bool;
    /// The string, if this is one.
    fn string(&self) -> Option<String>;
    /// The number, if this is one.
    fn number(&self) -> Option<f64>;
    /// The elements, if this is an array.
    fn elements(&self) -> Option<Vec<Self>>;

    /// Field `key` as a string; absent is `""`.
    fn text_at(&self, key: &'static str) -> Result<String, ShapeError> {
        Ok(self.opt_text_at(key)?.unwrap_or_default())
    }

    /// Field `key` as a string, if present.
    fn opt_text_at(&self, key: &'static str) -> Result<Option<String>, ShapeError> {
        self.field(key)
            .map(|value| value.string().ok_or(ShapeError(key)))
            .transpose()
    }

    /// Field `key` as a whole number (at most 2^53 in size); absent is 0.
    fn int_at(&self, key: &'static str) -> Result<i64, ShapeError> {
        match self.field(key) {
            None => Ok(0),
            Some(value) => value
                .number()
                .filter(|n| n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0)
                // In range and whole: the cast is exact.
                .map(|n| n as i64)
                .ok_or(ShapeError(key)),
        }
    }

    /// Field `key` as a finite number, if present.
    fn opt_number_at(&self, key: &'static str) -> Result<Option<f64>, ShapeError> {
        self.field(key)
            .map(|value| {
                value
                    .number()
                    .filter(|n| n.is_finite())
                    .ok_or(ShapeError(key))
            })
            .transpose()
    }

    /// Field `key` as an object, if present.
    fn opt_object_at(&self, key: &'static str) -> Result<Option<Self>, ShapeError> {
        match self.field(key) {
            None => Ok(None),
            Some(value) if value.is_object() => Ok(Some(value)),
            Some(_) => Err(ShapeError(key)),
        }
    }

    /// Field `key` as an array, if present.
    fn opt_array_at(&self, key: &'static str) -> Result<Option<Vec<Self>>, ShapeError> {
        self.field(key)
            .map(|value| value.elements().ok_or(ShapeError(key)))
            .transpose()
    }
}

fn present(value: JsValue) -> Option<JsValue> {
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

impl Json for JsValue {
    fn field(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        js_sys::Reflect::get(self, &JsValue::from_str(key))
            .ok()
            .and_then(present)
    }

    fn is_object(&self) -> bool {
        JsValue::is_object(self) && !js_sys::Array::is_array(self)
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn elements(&self) -> Option<Vec<Self>> {
        js_sys::Array::is_array(self).then(|| js_sys::Array::from(self).iter().collect())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Json for serde_json::Value {
    fn field(&self, key: &str) -> Option<Self> {
        self.get(key).filter(|value| !value.is_null()).cloned()
    }

    fn is_object(&self) -> bool {
        self.is_object()
    }

    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn elements(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}

/// The value JSON text parses to: a JS value in the browser, a
/// `serde_json::Value` elsewhere. `None` when the text is not JSON.
#[cfg(target_arch = "wasm32")]
pub(crate) fn parse(text: &str) -> Option<JsValue> {
    js_sys::JSON::parse(text).ok()
}

/// The value JSON text parses to: a JS value in the browser, a
/// `serde_json::Value` elsewhere. `None` when the text is not JSON.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn parse(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text).ok()
}

/// JSON text of a JS value (`JSON.stringify`); `None` for values JSON cannot
/// hold (functions, cycles, `BigInt`).
pub(crate) fn stringify(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
}

/// JSON text of an object of string fields, `{"key": "value", ...}`.
#[cfg(target_arch = "wasm32")]
pub(crate) fn object_text(fields: &[(&str, &str)]) -> Option<String> {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        js_sys::Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value)).ok()?;
    }
    stringify(&object)
}

/// JSON text of an object of string fields, `{"key": "value", ...}`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn object_text(fields: &[(&str, &str)]) -> Option<String> {
    let object: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(key, value)| ((*key).to_owned(), serde_json::Value::from(*value)))
        .collect();
    Some(serde_json::Value::Object(object).to_string())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_null_and_wrong_types() {
        let value = json!({"s": "x", "n": 3, "f": 1.5, "z": null, "a": [1], "o": {}});
        assert_eq!(value.text_at("s"), Ok("x".into()));
        assert_eq!(value.text_at("missing"), Ok(String::new()));
        assert_eq!(value.text_at("z"), Ok(String::new()));
        assert_eq!(value.text_at("n"), Err(ShapeError("n")));
        assert_eq!(value.int_at("n"), Ok(3));
        assert_eq!(value.int_at("f"), Err(ShapeError("f")));
        assert_eq!(value.int_at("s"), Err(ShapeError("s")));
        assert_eq!(value.opt_number_at("f"), Ok(Some(1.5)));
        assert!(value.opt_object_at("o").unwrap_or_default().is_some());
        assert_eq!(value.opt_object_at("a"), Err(ShapeError("a")));
        assert_eq!(value.opt_array_at("o"), Err(ShapeError("o")));
        assert_eq!(
            value.opt_array_at("a").map(|a| a.map(|a| a.len())),
            Ok(Some(1))
        );
        assert_eq!(json!(5).field("s"), None);
    }

    #[test]
    fn object_text_escapes() {
        assert_eq!(
            object_text(&[("id", "cs_test_\"1")]).as_deref(),
            Some(r#"{"id":"cs_test_\"1"}"#)
        );
    }

    #[test]
    fn huge_numbers_are_not_integers() {
        assert_eq!(json!({"n": 1e300}).int_at("n"), Err(ShapeError("n")));
        assert_eq!(
            json!({"n": 9_007_199_254_740_992_i64}).int_at("n"),
            Ok(9_007_199_254_740_992)
        );
    }
}
