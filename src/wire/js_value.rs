//! A JS value read into a serde type: Stripe.js's session, a merchant
//! server's reply after the browser's `JSON.parse`, `mount()`'s options.
//!
//! A serde `Deserializer` over `JsValue` for the shapes the widget reads:
//! structs (objects read by their own keys and aliases, as
//! serde-wasm-bindgen reads them; a member that is `null` or `undefined` is
//! absent), arrays, strings, numbers, booleans, and `null` or `undefined`
//! (`None` for an `Option`). Maps read whole and enums are
//! not among them and are refused.
//!
//! It replaces serde-wasm-bindgen's `from_value`, with a measured reason
//! (docs/weight.md, "A JS value read without serde-wasm-bindgen": the
//! guides' page 5.2 KB gzip smaller, the full demo 5.4 KB): that crate's
//! error type lets serde describe an unexpected value with `Unexpected`'s
//! `Display`, whose `Float` arm brings in `f64` printing (`<f64 as
//! Display>` and `flt2dec`, 6.3 KB raw), and it reads BigInts, `Map`s,
//! byte arrays, enums and preserved values, which the widget never has.
//! Here an error names the kind of value, never its digits. Integers are
//! read as JavaScript has them exactly: a number beyond 2^53 − 1 is not an
//! integer (serde_json, on the host, would read 2^53 as one).

use std::fmt;

use js_sys::{Array, Reflect};
use serde::de::{self, DeserializeSeed, Unexpected, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// What went wrong, in serde's words (the value's kind, never its digits).
#[derive(Debug)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self(message.to_string())
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self(format!(
            "invalid type: {}, expected {expected}",
            kind(&unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self(format!(
            "invalid value: {}, expected {expected}",
            kind(&unexpected)
        ))
    }
}

/// The kind of an unexpected value, without the value (a number's digits
/// would need float printing).
fn kind(unexpected: &Unexpected<'_>) -> &'static str {
    match unexpected {
        Unexpected::Bool(_) => "a boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) | Unexpected::Float(_) => "a number",
        Unexpected::Char(_) | Unexpected::Str(_) => "a string",
        Unexpected::Unit | Unexpected::Option => "null",
        Unexpected::Seq => "an array",
        Unexpected::Map => "an object",
        _ => "another value",
    }
}

/// Reads `value` into `T`.
pub(crate) fn from_value<T: de::DeserializeOwned>(value: JsValue) -> Result<T, Error> {
    T::deserialize(Value(value))
}

/// JavaScript's `Number.MAX_SAFE_INTEGER`: larger integers are not exact in
/// a double, so they read as floats.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A JS value by kind, for serde's visitors. The generic parts of the
/// `Deserializer` only dispatch on it: each type read instantiates them, so
/// the reading itself is in `Value`'s non-generic methods (measured with
/// them: the guides' page 0.4 KB gzip smaller, docs/weight.md).
enum Read {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    Text(String),
    Array(Array),
    Other(Value),
}

/// One JS value being read.
struct Value(JsValue);

impl Value {
    fn is_nullish(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }

    /// serde's "invalid type" error for this value and what was
    /// `expected` (not generic: one copy for every visitor).
    #[inline(never)]
    fn invalid(&self, expected: &dyn de::Expected) -> Error {
        let kind = if self.is_nullish() {
            "null"
        } else if self.0.as_bool().is_some() {
            "a boolean"
        } else if self.0.as_f64().is_some() {
            "a number"
        } else if self.0.is_string() {
            "a string"
        } else if Array::is_array(&self.0) {
            "an array"
        } else if self.0.is_object() {
            "an object"
        } else {
            "a JavaScript value of another kind"
        };
        Error(format!("invalid type: {kind}, expected {expected}"))
    }

    /// The object's reader by `fields` (not generic: one copy for every
    /// struct), or the error for a value that is not an object.
    #[inline(never)]
    fn fields(
        self,
        fields: &'static [&'static str],
        expected: &dyn de::Expected,
    ) -> Result<Fields, Error> {
        if self.is_nullish() || !self.0.is_object() || Array::is_array(&self.0) {
            return Err(self.invalid(expected));
        }
        Ok(Fields {
            object: self.0,
            fields: fields.iter(),
            value: None,
        })
    }

    /// The value by kind (not generic: one copy for every visitor).
    #[inline(never)]
    fn read(self) -> Read {
        if self.is_nullish() {
            Read::Null
        } else if let Some(boolean) = self.0.as_bool() {
            Read::Bool(boolean)
        } else if let Some(number) = self.0.as_f64() {
            if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER {
                Read::Integer(number as i64)
            } else {
                Read::Float(number)
            }
        } else if let Some(text) = self.0.as_string() {
            Read::Text(text)
        } else if Array::is_array(&self.0) {
            Read::Array(self.0.unchecked_into())
        } else {
            Read::Other(self)
        }
    }
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.read() {
            Read::Null => visitor.visit_unit(),
            Read::Bool(boolean) => visitor.visit_bool(boolean),
            Read::Integer(number) => visitor.visit_i64(number),
            Read::Float(number) => visitor.visit_f64(number),
            Read::Text(text) => visitor.visit_string(text),
            Read::Array(array) => visitor.visit_seq(Elements { array, next: 0 }),
            Read::Other(value) => Err(value.invalid(&visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// An object read by the struct's own keys (and their aliases), as
    /// serde-wasm-bindgen does: other keys are never read.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let fields = self.fields(fields, &visitor)?;
        visitor.visit_map(fields)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map enum identifier
    }
}

/// An array's elements, in order.
struct Elements {
    array: Array,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Elements {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.next >= self.array.length() {
            return Ok(None);
        }
        let element = self.array.get(self.next);
        self.next += 1;
        seed.deserialize(Value(element)).map(Some)
    }
}

/// A struct's keys that the object has (not `undefined` or `null`: both
/// read as absent), in the struct's order.
struct Fields {
    object: JsValue,
    fields: std::slice::Iter<'static, &'static str>,
    value: Option<JsValue>,
}

impl Fields {
    /// The next of the struct's keys that the object has, its value kept
    /// for `next_value_seed` (not generic: one copy for every struct).
    #[inline(never)]
    fn next_field(&mut self) -> Option<&'static str> {
        for &field in self.fields.by_ref() {
            let value =
                Reflect::get(&self.object, &JsValue::from_str(field)).unwrap_or(JsValue::UNDEFINED);
            if !(value.is_undefined() || value.is_null()) {
                self.value = Some(value);
                return Some(field);
            }
        }
        None
    }
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.next_field() {
            Some(field) => {
                let key: de::value::BorrowedStrDeserializer<'de, Error> =
                    de::value::BorrowedStrDeserializer::new(field);
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(Value(self.value.take().unwrap_or(JsValue::UNDEFINED)))
    }
}
