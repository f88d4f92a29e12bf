//! When and how soon a failed Stripe call is tried again (the official SDKs'
//! rules — stripe-python `_http_client.py` `_should_retry` and
//! `_sleep_time_seconds`, stripe-node `RequestSender._shouldRetry`; quoted in
//! docs/research-stripe-api.md §4 — plus Stripe's own guidance for 429s):
//!
//! - at most [`RetryPolicy::max_retries`] retries (the SDKs' default is 2),
//!   except after a 429: Stripe's guide is to keep backing off, so a
//!   rate-limited call is retried until the caller's deadline, up to
//!   [`RATE_LIMITED_RETRIES`] times (none when retries are off);
//! - a connection error (nothing answered, or the answer broke off, or the
//!   attempt timed out) is retried;
//! - an answer is retried when it says `Stripe-Should-Retry: true`, never when
//!   it says `false`; without the header, on 409, on 429 and on any 5xx, and
//!   no other 4xx is. The SDKs do not retry a 429 without the header; Stripe's
//!   rate-limit guide does ("retry requests with an exponential backoff"
//!   when you receive a 429; docs/research-stripe-strict.md §7): a rate
//!   limit is a transient refusal, applied nothing, and the retry carries the
//!   same idempotency key;
//! - the wait before retry *n* (1, 2, …) is `min(0.5 s × 2^(n−1), 5 s)`, times a
//!   jitter drawn from [0.5, 1), never under 0.5 s — stripe-python's schedule:
//!   0.5 s, then 0.5–1 s, 1–2 s, …;
//! - a `Retry-After` of whole seconds lengthens that wait (up to
//!   [`MAX_RETRY_AFTER`]); the caller gives up instead when the wait would end
//!   past its deadline. (stripe-node #2781 and stripe-python #1843 dropped
//!   their support for the header in July 2026 as unused: honouring it when it
//!   comes costs nothing.)
//!
//! Every `POST` carries an `Idempotency-Key` made once per call and sent again
//! on each of its retries, so a retried update is applied at most once
//! (stripe-python sets one on every `POST`; stripe-node too since #2816).

use std::time::Duration;

use rand::Rng;

/// The SDKs' default number of retries.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The SDKs' first wait (`INITIAL_DELAY`, `INITIAL_NETWORK_RETRY_DELAY_SEC`).
pub const INITIAL_DELAY: Duration = Duration::from_millis(500);
/// The SDKs' longest wait (`MAX_DELAY`, `MAX_NETWORK_RETRY_DELAY_SEC`).
pub const MAX_DELAY: Duration = Duration::from_secs(5);
/// Retries after a 429 (rate limit or lock timeout), as long as the caller's
/// deadline allows: 0.5 + 1 + 2 + 4 + 5 + … s of waits, so about five fit in
/// the default 15-second update deadline.
pub const RATE_LIMITED_RETRIES: u32 = 10;
/// The longest `Retry-After` honoured (stripe-python's `MAX_RETRY_AFTER`, 60 s).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// How a client retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (`STRIPE_MAX_RETRIES`, default 2).
    pub max_retries: u32,
    /// The first wait and the floor of every wait (0.5 s).
    pub initial_delay: Duration,
    /// The longest wait (5 s).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: DEFAULT_MAX_RETRIES,
            initial_delay: INITIAL_DELAY,
            max_delay: MAX_DELAY,
        }
    }
}

/// What an attempt came back with, as far as retrying goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The request could not even be built: never retried.
    NotSent,
    /// No (whole) answer: connection refused or reset, timeout.
    ConnectionError,
    /// An answer with this status and `Stripe-Should-Retry` header.
    Answer {
        /// HTTP status.
        status: u16,
        /// `Stripe-Should-Retry`: `Some(true)` for `"true"`, `Some(false)`
        /// for `"false"`, `None` when absent (or anything else).
        should_retry: Option<bool>,
        /// `Retry-After` in whole seconds, when present and valid.
        retry_after: Option<Duration>,
    },
}

/// `Retry-After: <seconds>` (the HTTP-date form is not read), at most
/// [`MAX_RETRY_AFTER`].
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let seconds: u64 = value.trim().parse().ok()?;
    Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
}

impl RetryPolicy {
    /// Whether to retry after `outcome`, `retries` retries having been made.
    pub fn should_retry(&self, outcome: Outcome, retries: u32) -> bool {
        let rate_limited = matches!(outcome, Outcome::Answer { status: 429, .. });
        let limit = if rate_limited && self.max_retries > 0 {
            RATE_LIMITED_RETRIES
        } else {
            self.max_retries
        };
        if retries >= limit {
            return false;
        }
        match outcome {
            Outcome::NotSent => false,
            Outcome::ConnectionError => true,
            Outcome::Answer {
                should_retry: Some(said),
                ..
            } => said,
            Outcome::Answer { status, .. } => status == 409 || status == 429 || status >= 500,
        }
    }

    /// The wait before retry number `retry` after `outcome`: the schedule's
    /// (jittered), or the answer's `Retry-After` when that is longer.
    pub fn delay_after(&self, outcome: Outcome, retry: u32) -> Duration {
        let scheduled = self.delay(retry);
        match outcome {
            Outcome::Answer {
                retry_after: Some(asked),
                ..
            } => scheduled.max(asked),
            _ => scheduled,
        }
    }

    /// The wait before retry number `retry` (1 for the first), with `jitter`
    /// in [0, 1).
    pub fn delay_with_jitter(&self, retry: u32, jitter: f64) -> Duration {
        let exponent = i32::try_from(retry.saturating_sub(1))
            .unwrap_or(i32::MAX)
            .min(30);
        let base = self
            .initial_delay
            .mul_f64(2f64.powi(exponent))
            .min(self.max_delay);
        base.mul_f64(0.5 * (1.0 + jitter.clamp(0.0, 1.0)))
            .max(self.initial_delay)
    }

    /// The wait before retry number `retry` (1 for the first), jittered.
    pub fn delay(&self, retry: u32) -> Duration {
        self.delay_with_jitter(retry, rand::rng().random::<f64>())
    }
}

/// A new idempotency key: a random UUID (version 4), as stripe-python makes
/// them.
pub fn new_idempotency_key() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    let mut b = bytes;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, should_retry: Option<bool>) -> Outcome {
        Outcome::Answer {
            status,
            should_retry,
            retry_after: None,
        }
    }

    #[test]
    fn what_is_retried() {
        let p = RetryPolicy::default();
        assert!(p.should_retry(Outcome::ConnectionError, 0));
        assert!(p.should_retry(Outcome::ConnectionError, 1));
        assert!(
            !p.should_retry(Outcome::ConnectionError, 2),
            "two retries at most"
        );
        for status in [409, 429, 500, 502, 503, 504] {
            assert!(p.should_retry(answer(status, None), 0), "{status}");
        }
        for status in [400, 401, 402, 403, 404] {
            assert!(!p.should_retry(answer(status, None), 0), "{status}");
        }
        assert!(p.should_retry(answer(429, Some(true)), 0), "lock_timeout");
        assert!(
            !p.should_retry(answer(429, Some(false)), 0),
            "Stripe says no"
        );
        // A 429 is retried past max_retries (the deadline bounds it), unless
        // retries are off.
        assert!(p.should_retry(answer(429, None), 2));
        assert!(p.should_retry(answer(429, None), RATE_LIMITED_RETRIES - 1));
        assert!(!p.should_retry(answer(429, None), RATE_LIMITED_RETRIES));
        assert!(!p.should_retry(answer(503, None), 2));
        assert!(p.should_retry(answer(400, Some(true)), 0));
        assert!(
            !p.should_retry(answer(500, Some(false)), 0),
            "a replayed 500"
        );
        assert!(!p.should_retry(answer(409, Some(false)), 0));
        let none = RetryPolicy {
            max_retries: 0,
            ..p
        };
        assert!(!none.should_retry(Outcome::ConnectionError, 0));
        assert!(!none.should_retry(answer(429, None), 0));
    }

    #[test]
    fn stripe_pythons_schedule() {
        let p = RetryPolicy::default();
        let ms = |d: Duration| d.as_millis();
        assert_eq!(ms(p.delay_with_jitter(1, 0.0)), 500);
        assert_eq!(ms(p.delay_with_jitter(1, 0.999)), 500);
        assert_eq!(ms(p.delay_with_jitter(2, 0.0)), 500);
        assert_eq!(ms(p.delay_with_jitter(2, 0.5)), 750);
        assert_eq!(ms(p.delay_with_jitter(3, 0.0)), 1000);
        assert_eq!(ms(p.delay_with_jitter(3, 1.0)), 2000);
        assert_eq!(ms(p.delay_with_jitter(5, 1.0)), 5000);
        assert_eq!(ms(p.delay_with_jitter(40, 1.0)), 5000, "capped");
        for retry in 1..6 {
            let d = p.delay(retry);
            assert!(d >= INITIAL_DELAY && d <= MAX_DELAY, "{d:?}");
        }
    }

    #[test]
    fn retry_after_lengthens_the_wait() {
        let p = RetryPolicy::default();
        let asked = |seconds| Outcome::Answer {
            status: 429,
            should_retry: None,
            retry_after: parse_retry_after(seconds),
        };
        assert_eq!(p.delay_after(asked("3"), 1), Duration::from_secs(3));
        assert_eq!(p.delay_after(asked("600"), 1), MAX_RETRY_AFTER);
        let unreadable = p.delay_after(asked("Wed, 21 Oct 2026 07:28:00 GMT"), 1);
        assert!(unreadable <= MAX_DELAY, "{unreadable:?}");
        assert!(p.delay_after(asked("0"), 1) >= INITIAL_DELAY);
    }

    #[test]
    fn keys_are_uuids() {
        let a = new_idempotency_key();
        let b = new_idempotency_key();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert_eq!(a.matches('-').count(), 4);
    }
}
