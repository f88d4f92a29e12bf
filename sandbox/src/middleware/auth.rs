//! API keys: a secret test key (`Authorization: Bearer sk_test_…`, or HTTP
//! basic auth with the key as user name, as Stripe accepts) on the server
//! routes, a publishable key in the body of the Stripe.js stand-in's calls.

use axum::extract::Request;
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use crate::error::{ApiResult, StripeApiError};

/// `sk_test_abc...1234` → `sk_test_*****1234`.
pub fn mask_key(key: &str) -> String {
    let prefix_len = key
        .match_indices('_')
        .nth(1)
        .map(|(i, _)| i + 1)
        .unwrap_or(0);
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < prefix_len + 8 {
        return "*".repeat(chars.len().max(1));
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!(
        "{}{}{tail}",
        &key[..prefix_len],
        "*".repeat(chars.len() - prefix_len - 4)
    )
}

/// Padding optional, as HTTP clients differ in sending it.
const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);

/// Decodes the credentials of a basic `Authorization` header (standard or
/// URL-safe alphabet, padding optional).
fn decode_base64(input: &str) -> Option<Vec<u8>> {
    GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT)
        .decode(input)
        .or_else(|_| GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT).decode(input))
        .ok()
}

/// The API key of a request: bearer token, or the basic-auth user name.
pub fn api_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        Some(rest.to_owned())
    } else if scheme.eq_ignore_ascii_case("basic") {
        let decoded = String::from_utf8(decode_base64(rest)?).ok()?;
        Some(decoded.split(':').next().unwrap_or_default().to_owned())
    } else {
        None
    }
}

/// Requires a test secret key.
pub async fn require_secret_key(req: Request, next: Next) -> Response {
    match api_key(req.headers()) {
        None => StripeApiError::unauthorized(
            "You did not provide an API key. You need to provide your API key in the \
             Authorization header, using Bearer auth (e.g. 'Authorization: Bearer \
             YOUR_SECRET_KEY')."
                .to_owned(),
        )
        .into_response(),
        Some(key) if key.starts_with("sk_test_") && key.len() > "sk_test_".len() => {
            next.run(req).await
        }
        Some(key) => {
            StripeApiError::unauthorized(format!("Invalid API Key provided: {}", mask_key(&key)))
                .into_response()
        }
    }
}

/// Checks the publishable key the Stripe.js stand-in sends as `key`.
pub fn check_publishable_key(key: Option<&str>) -> ApiResult<()> {
    match key {
        Some(key) if key.starts_with("pk_test_") && key.len() > "pk_test_".len() => Ok(()),
        Some(key) => Err(StripeApiError::unauthorized(format!(
            "Invalid API Key provided: {}",
            mask_key(key)
        ))),
        None => Err(StripeApiError::unauthorized(
            "You did not provide an API key.".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn masking() {
        assert_eq!(mask_key("sk_test_abcdefgh1234"), "sk_test_********1234");
        assert_eq!(mask_key("sk_live_12345678"), "sk_live_****5678");
        assert_eq!(mask_key("short"), "*****");
        assert!(!mask_key("sk_live_secretsecret").contains("secret"));
    }

    #[test]
    fn basic_auth() {
        let mut headers = HeaderMap::new();
        // "sk_test_abc:" in base64
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic c2tfdGVzdF9hYmM6"),
        );
        assert_eq!(api_key(&headers).as_deref(), Some("sk_test_abc"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer sk_test_x"),
        );
        assert_eq!(api_key(&headers).as_deref(), Some("sk_test_x"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Token x"));
        assert_eq!(api_key(&headers), None);
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGk").unwrap(), b"hi");
        assert!(decode_base64("a*b").is_none());
    }
}
