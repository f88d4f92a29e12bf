//! Request parameters as Stripe takes them: form bodies and query strings in
//! bracket notation ([`form`]), decoded into typed structs with Stripe's
//! errors, and the small value rules every resource shares.

pub mod expand;
pub mod form;

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiResult, StripeApiError};

/// The body of a request, or Stripe's error for one that could not be read
/// (413 past the body limit).
pub fn body_bytes(body: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    body.map_err(|rejection| StripeApiError {
        status: rejection.status(),
        ..StripeApiError::bad_request(format!(
            "The request body could not be read: {}",
            rejection.body_text()
        ))
    })
}

/// Decodes a form body (or query string) into typed params.
pub fn decode<T: DeserializeOwned>(input: &[u8]) -> ApiResult<T> {
    let value = form::parse(input).map_err(|e| match e.param() {
        Some(param) => StripeApiError::invalid(param, e.to_string()),
        None => StripeApiError::bad_request(e.to_string()),
    })?;
    serde_json::from_value(value).map_err(|e| {
        let message = e.to_string();
        match message
            .strip_prefix("unknown field `")
            .and_then(|m| m.split('`').next())
        {
            Some(name) => {
                StripeApiError::invalid(name, format!("Received unknown parameter: {name}"))
            }
            None => StripeApiError::bad_request(format!("Invalid parameters: {message}")),
        }
    })
}

/// A whole number ≥ 1.
pub fn parse_positive(value: &str, param: &str) -> ApiResult<u64> {
    match value.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        Ok(_) => Err(StripeApiError::invalid(
            param,
            format!("This value must be greater than or equal to 1 (it currently is '{value}')."),
        )),
        Err(_) => Err(StripeApiError::invalid_integer(param, value)),
    }
}

/// Refuses a value that is not one of `allowed`.
pub fn one_of(value: &str, allowed: &[&str], param: &str) -> ApiResult<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(StripeApiError::invalid(
            param,
            format!("Invalid {param}: must be one of {}", allowed.join(", ")),
        ))
    }
}

/// Applies `metadata`: `""` clears, `metadata[k]=` removes `k`, else sets.
pub fn apply_metadata(
    target: &mut BTreeMap<String, String>,
    value: Option<Value>,
) -> ApiResult<()> {
    match value {
        None => Ok(()),
        Some(Value::String(s)) if s.is_empty() => {
            target.clear();
            Ok(())
        }
        Some(Value::Object(map)) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if s.is_empty() => {
                        target.remove(&k);
                    }
                    Value::String(s) => {
                        target.insert(k, s);
                    }
                    _ => {
                        return Err(StripeApiError::invalid(
                            format!("metadata[{k}]"),
                            "Metadata values must be strings.",
                        ))
                    }
                }
            }
            Ok(())
        }
        Some(_) => Err(StripeApiError::invalid(
            "metadata",
            "Invalid object: metadata must be a hash of keys and values.",
        )),
    }
}

/// An "emptyable" list parameter as Stripe's form encoding sends it: `None`
/// for `param=` (clear it), the list for `param[0]...`, an error otherwise.
pub fn emptyable_list(value: Value, param: &str, message: &str) -> ApiResult<Option<Vec<Value>>> {
    match value {
        Value::String(s) if s.is_empty() => Ok(None),
        Value::Array(list) => Ok(Some(list)),
        _ => Err(StripeApiError::invalid(param, message)),
    }
}
