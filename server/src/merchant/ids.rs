//! Ids the page sends, checked before they reach a Stripe URL or a log line
//! (an id of the wrong shape is never logged: it may be anything, a client
//! secret or a forged log line included).

use tracing::{field, Span};

use super::error::ApiError;
use super::messages::{MSG_BAD_SESSION_ID, MSG_SESSION_REQUIRED};

/// Whether `id` looks like a Checkout Session id: `cs_(test|live)_[A-Za-z0-9]{1,250}`.
pub fn is_valid_session_id(id: &str) -> bool {
    let rest = id
        .strip_prefix("cs_test_")
        .or_else(|| id.strip_prefix("cs_live_"));
    matches!(rest, Some(r) if (1..=250).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `id` looks like a line item id (`li_` + letters, digits, `_`).
pub fn is_valid_line_item_id(id: &str) -> bool {
    id.strip_prefix("li_").is_some_and(|r| {
        (1..=250).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// The session id of a request body (recorded on the request's span once
/// it is known to be of the right shape), or the error for a missing one
/// (`missing`) or one of the wrong shape.
pub fn session_id(raw: Option<String>, missing: ApiError) -> Result<String, ApiError> {
    let Some(id) = raw else {
        return Err(missing);
    };
    if !is_valid_session_id(&id) {
        return Err(ApiError::invalid(MSG_BAD_SESSION_ID));
    }
    Span::current().record("session_id", field::display(&id));
    Ok(id)
}

/// [`session_id`] with the usual "is required" message.
pub fn required_session_id(raw: Option<String>) -> Result<String, ApiError> {
    session_id(raw, ApiError::invalid(MSG_SESSION_REQUIRED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_id_shape() {
        assert!(is_valid_session_id("cs_test_abc123"));
        assert!(is_valid_session_id("cs_live_A1"));
        assert!(!is_valid_session_id("cs_test_"));
        assert!(!is_valid_session_id("cs_test_abc/../x"));
        assert!(!is_valid_session_id("cs_prod_abc"));
        assert!(!is_valid_session_id("cs_test_a?b"));
        assert!(is_valid_session_id(&format!("cs_test_{}", "a".repeat(250))));
        assert!(!is_valid_session_id(&format!(
            "cs_test_{}",
            "a".repeat(251)
        )));
    }

    #[test]
    fn line_item_id_shape() {
        assert!(is_valid_line_item_id("li_abc_123"));
        assert!(!is_valid_line_item_id("li_"));
        assert!(!is_valid_line_item_id("li_a/b"));
        assert!(!is_valid_line_item_id("price_x"));
    }
}
