//! Verifying a Stripe webhook delivery, as Stripe's libraries do
//! (stripe-node `Webhooks.ts`, stripe-python `_webhook.py`; Stripe's "Verify
//! webhook signatures" docs):
//!
//! - the `Stripe-Signature` header is `t=<unix time>,v1=<hex>[,v1=<hex>…][,v0=…]`;
//!   only `v1` counts (*"To prevent downgrade attacks, ignore all schemes that
//!   aren't `v1`"*), and any of several `v1` values may match (Stripe sends two
//!   while a secret is being rolled);
//! - each `v1` is the hex HMAC-SHA256 of `"<t>.<raw body>"` keyed with the
//!   endpoint's `whsec_…` secret, compared in constant time;
//! - `t` must be within the tolerance, 5 minutes by default (*"Our libraries
//!   have a default tolerance of 5 minutes"*). Stripe's libraries refuse only
//!   old timestamps; this one also refuses timestamps more than the tolerance
//!   in the future.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Stripe's default tolerance, seconds.
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

/// The header Stripe signs deliveries in.
pub const SIGNATURE_HEADER: &str = "stripe-signature";

/// An endpoint's signing secret (`whsec_…`). Its `Debug` output never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret, for computing signatures only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("whsec_***redacted")
    }
}

/// Why a delivery was refused (for the log; the sender only learns "400").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No `Stripe-Signature` header.
    #[error("no Stripe-Signature header")]
    MissingHeader,
    /// No `t=` or no `v1=` in the header.
    #[error("unable to extract timestamp and v1 signatures from the header")]
    Malformed,
    /// `t` is further from now than the tolerance.
    #[error("timestamp outside the tolerance zone")]
    Stale,
    /// No `v1` matches the body.
    #[error("no signature matches the expected signature for the payload")]
    Mismatch,
}

/// The hex HMAC-SHA256 of `"{timestamp}.{payload}"` keyed with `secret`.
pub fn sign(secret: &WebhookSecret, timestamp: i64, payload: &[u8]) -> String {
    hex::encode(mac(secret, timestamp, payload))
}

fn mac(secret: &WebhookSecret, timestamp: i64, payload: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length: this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()) else {
        return Vec::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac.finalize().into_bytes().to_vec()
}

/// Checks `header` against the raw `payload` at time `now` (Unix seconds).
/// Returns the header's timestamp.
pub fn verify(
    payload: &[u8],
    header: Option<&str>,
    secret: &WebhookSecret,
    tolerance_secs: i64,
    now: i64,
) -> Result<i64, SignatureError> {
    let header = header.ok_or(SignatureError::MissingHeader)?;
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for item in header.split(',') {
        match item.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", sig)) => candidates.push(sig),
            _ => {}
        }
    }
    let (Some(timestamp), false) = (timestamp, candidates.is_empty()) else {
        return Err(SignatureError::Malformed);
    };
    let expected = mac(secret, timestamp, payload);
    let mut matched = subtle::Choice::from(0u8);
    for candidate in candidates {
        // The length of a signature is no secret (64 hex digits); its
        // content is compared in constant time.
        let bytes = hex::decode(candidate).unwrap_or_default();
        if bytes.len() == expected.len() {
            matched |= bytes.ct_eq(&expected);
        }
    }
    if !bool::from(matched) {
        return Err(SignatureError::Mismatch);
    }
    if tolerance_secs > 0 && (now - timestamp).abs() > tolerance_secs {
        return Err(SignatureError::Stale);
    }
    Ok(timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn secret() -> WebhookSecret {
        WebhookSecret::new("whsec_test_secret")
    }

    #[test]
    fn accepts_a_good_signature_and_any_of_several_v1() {
        let body = br#"{"id":"evt_1"}"#;
        let good = sign(&secret(), NOW, body);
        let header = format!("t={NOW},v1={good}");
        assert_eq!(verify(body, Some(&header), &secret(), 300, NOW), Ok(NOW));
        let rolled = format!("t={NOW},v1={},v1={good},v0=abc", "0".repeat(64));
        assert_eq!(
            verify(body, Some(&rolled), &secret(), 300, NOW + 299),
            Ok(NOW)
        );
    }

    #[test]
    fn refuses_forged_stale_and_malformed() {
        let body = br#"{"id":"evt_1"}"#;
        let good = sign(&secret(), NOW, body);
        let header = format!("t={NOW},v1={good}");
        let other = WebhookSecret::new("whsec_other");
        assert_eq!(
            verify(body, Some(&header), &other, 300, NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(br#"{"id":"evt_2"}"#, Some(&header), &secret(), 300, NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(body, Some(&header), &secret(), 300, NOW + 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(body, Some(&header), &secret(), 300, NOW - 301),
            Err(SignatureError::Stale)
        );
        // Only v1 counts: a correct v0 alone is no signature.
        let v0_only = format!("t={NOW},v0={good}");
        assert_eq!(
            verify(body, Some(&v0_only), &secret(), 300, NOW),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(body, None, &secret(), 300, NOW),
            Err(SignatureError::MissingHeader)
        );
        for bad in ["", "t=abc,v1=00", "v1=00", "t=1", "garbage"] {
            assert_eq!(
                verify(body, Some(bad), &secret(), 300, NOW),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
        let not_hex = format!("t={NOW},v1=zz{}", &good[2..]);
        assert_eq!(
            verify(body, Some(&not_hex), &secret(), 300, NOW),
            Err(SignatureError::Mismatch)
        );
        assert!(!format!("{:?}", secret()).contains("test_secret"));
    }
}
