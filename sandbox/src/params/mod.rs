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
use crate::limits::{
    MAX_AMOUNT, METADATA_KEY_MAX_CHARS, METADATA_MAX_KEYS, METADATA_VALUE_MAX_CHARS,
};

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

/// Reads a whole request body in a layer, up to [`crate::limits::BODY_LIMIT`];
/// Stripe's 413 error past it (or when it breaks off).
pub async fn read_body(body: axum::body::Body) -> ApiResult<Bytes> {
    axum::body::to_bytes(body, crate::limits::BODY_LIMIT)
        .await
        .map_err(|e| StripeApiError {
            status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            ..StripeApiError::bad_request(format!("The request body could not be read: {e}"))
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
    parse_bounded(value, param, 1, u64::MAX)
}

/// A whole number in `min..=max`: `parameter_invalid_integer` if it is not a
/// whole number that fits in 64 bits, else Stripe's "This value must be
/// greater than or equal to …" / "less than or equal to …".
pub fn parse_bounded(value: &str, param: &str, min: u64, max: u64) -> ApiResult<u64> {
    let n = value
        .parse::<u64>()
        .map_err(|_| StripeApiError::invalid_integer(param, value))?;
    if n < min {
        return Err(StripeApiError::invalid(
            param,
            format!(
                "This value must be greater than or equal to {min} (it currently is '{value}')."
            ),
        ));
    }
    if n > max {
        return Err(too_large(param, value, max));
    }
    Ok(n)
}

/// Stripe's "This value must be less than or equal to `max`".
pub fn too_large(param: &str, value: &str, max: u64) -> StripeApiError {
    StripeApiError::invalid(
        param,
        format!("This value must be less than or equal to {max} (it currently is '{value}')."),
    )
}

/// An amount in minor units, `min..=`[`MAX_AMOUNT`] (Stripe's eight digits).
pub fn parse_amount(value: &str, param: &str, min: u64) -> ApiResult<i64> {
    let n = parse_bounded(value, param, min, MAX_AMOUNT)?;
    i64::try_from(n).map_err(|_| StripeApiError::invalid_integer(param, value))
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
/// Stripe's limits hold for the result: at most 50 keys, keys of at most 40
/// characters without `[` or `]`, values of at most 500 characters. On an
/// error `target` may be half-updated: callers apply it to a copy.
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
                check_metadata_key(&k)?;
                match v {
                    Value::String(s) if s.is_empty() => {
                        target.remove(&k);
                    }
                    Value::String(s) => {
                        let chars = s.chars().count();
                        if chars > METADATA_VALUE_MAX_CHARS {
                            return Err(StripeApiError::invalid(
                                format!("metadata[{k}]"),
                                format!(
                                    "Invalid value: metadata values can be at most \
                                     {METADATA_VALUE_MAX_CHARS} characters long (this one has {chars})."
                                ),
                            ));
                        }
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
            if target.len() > METADATA_MAX_KEYS {
                return Err(StripeApiError::invalid(
                    "metadata",
                    format!(
                        "Metadata can have up to {METADATA_MAX_KEYS} keys, but you've set {}.",
                        target.len()
                    ),
                ));
            }
            Ok(())
        }
        Some(_) => Err(StripeApiError::invalid(
            "metadata",
            "Invalid object: metadata must be a hash of keys and values.",
        )),
    }
}

/// A metadata key: at most 40 characters, no square brackets.
fn check_metadata_key(key: &str) -> ApiResult<()> {
    if key.contains(['[', ']']) {
        return Err(StripeApiError::invalid(
            "metadata",
            "Invalid key: metadata keys cannot contain square brackets ([ and ]).",
        ));
    }
    let chars = key.chars().count();
    if chars > METADATA_KEY_MAX_CHARS {
        let start: String = key.chars().take(METADATA_KEY_MAX_CHARS).collect();
        return Err(StripeApiError::invalid(
            "metadata",
            format!(
                "Invalid key: '{start}…' has {chars} characters; metadata keys can be at most \
                 {METADATA_KEY_MAX_CHARS} characters long."
            ),
        ));
    }
    Ok(())
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
