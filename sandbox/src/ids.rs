//! Ids and timestamps as Stripe makes them.

use std::time::{SystemTime, UNIX_EPOCH};

use rand::distr::{Alphanumeric, SampleString};

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `len` random alphanumeric characters.
pub fn random_alnum(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

/// A new id `<prefix>_<random>`.
pub fn new_id(prefix: &str, len: usize) -> String {
    format!("{prefix}_{}", random_alnum(len))
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        let id = new_id("cs_test", 58);
        assert!(id.starts_with("cs_test_"));
        assert_eq!(id.len(), 8 + 58);
    }
}
