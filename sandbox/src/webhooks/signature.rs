//! Signing as Stripe signs a webhook delivery (docs/research-stripe-api.md §6,
//! Stripe's "Verify webhook signatures" docs): `Stripe-Signature:
//! t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the
//! endpoint's secret>`, plus a `v0` signature test events carry, which
//! verifiers ignore. Secrets are `whsec_…`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::ids::random_alnum;

/// The header a delivery carries its signature in.
pub const HEADER: &str = "Stripe-Signature";

/// A new endpoint secret, `whsec_` + 32 alphanumerics.
pub fn new_secret() -> String {
    format!("whsec_{}", random_alnum(32))
}

/// Hex HMAC-SHA256 of `"{timestamp}.{payload}"` keyed with `secret` (the whole
/// `whsec_…` string, as Stripe's libraries use it).
pub fn sign(secret: &str, timestamp: i64, payload: &[u8]) -> String {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    hex::encode(mac.finalize().into_bytes())
}

/// The `Stripe-Signature` value of `payload` sent at `timestamp`: `t`, the
/// `v1` signature, and a `v0` signature made with another key, as Stripe
/// adds to test events ("a fake `v0` scheme"; verifiers must ignore it).
pub fn header_value(secret: &str, timestamp: i64, payload: &[u8]) -> String {
    let v1 = sign(secret, timestamp, payload);
    let v0 = sign("sandbox-v0-test-scheme", timestamp, payload);
    format!("t={timestamp},v1={v1},v0={v0}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4231_vector_and_shape() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap_or_else(|_| unreachable!());
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // The signed string is "<t>.<payload>".
        let mut mac = Hmac::<Sha256>::new_from_slice(b"whsec_x").unwrap_or_else(|_| unreachable!());
        mac.update(b"12.{}");
        assert_eq!(
            sign("whsec_x", 12, b"{}"),
            hex::encode(mac.finalize().into_bytes())
        );
        let header = header_value("whsec_x", 12, b"{}");
        assert!(header.starts_with(&format!("t=12,v1={},v0=", sign("whsec_x", 12, b"{}"))));
        let secret = new_secret();
        assert!(secret.starts_with("whsec_") && secret.len() == 38);
    }
}
