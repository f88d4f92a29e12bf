//! An optional Stripe-like latency on every call of the secret-key API (off by
//! default; [`crate::SandboxOptions::latency`], `SANDBOX_LATENCY_MS=150-400`),
//! for load tests that resemble production: each request waits a uniformly
//! drawn time in the range before anything else happens to it.
//!
//! The emulator remembers what it injected (the last [`MAX_RECORDED`] calls:
//! when, on which session, how long), shown by `GET /sandbox/latency`, so a
//! benchmark can take exactly the injected time out of what it measured.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use rand::Rng;
use serde::Serialize;

/// How many injected delays are remembered.
pub const MAX_RECORDED: usize = 200_000;

/// A latency range, milliseconds, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latency {
    /// Shortest delay.
    pub min_ms: u64,
    /// Longest delay.
    pub max_ms: u64,
}

impl Latency {
    /// `"150-400"` (a range) or `"200"` (fixed); `None` if malformed, reversed
    /// or over a minute.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (min, max) = text.split_once('-').unwrap_or((text, text));
        let min_ms: u64 = min.trim().parse().ok()?;
        let max_ms: u64 = max.trim().parse().ok()?;
        (min_ms <= max_ms && max_ms <= 60_000).then_some(Self { min_ms, max_ms })
    }

    /// A delay drawn uniformly from the range.
    pub fn draw(&self) -> Duration {
        Duration::from_millis(rand::rng().random_range(self.min_ms..=self.max_ms))
    }
}

impl fmt::Display for Latency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{} ms", self.min_ms, self.max_ms)
    }
}

/// One injected delay.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Injected {
    /// The Checkout Session in the path, if any.
    pub session: Option<String>,
    /// When the request arrived, microseconds since the Unix epoch.
    pub at_us: u64,
    /// The delay, milliseconds.
    pub ms: u64,
}

/// The injected delays remembered, oldest first.
#[derive(Debug, Default)]
pub struct Recorded(Mutex<VecDeque<Injected>>);

impl Recorded {
    fn push(&self, entry: Injected) {
        let mut calls = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if calls.len() >= MAX_RECORDED {
            calls.pop_front();
        }
        calls.push_back(entry);
    }

    /// A copy of the remembered delays.
    pub fn snapshot(&self) -> Vec<Injected> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}

/// The configured latency, if any, and the delays injected so far.
#[derive(Debug, Default)]
pub struct InjectedLatency {
    /// The range each delay is drawn from (`None`: no delay).
    pub latency: Option<Latency>,
    /// The delays injected (`GET /sandbox/latency`).
    pub recorded: Recorded,
}

impl InjectedLatency {
    /// Delays drawn from `latency`, if any.
    pub fn new(latency: Option<Latency>) -> Self {
        Self {
            latency,
            recorded: Recorded::default(),
        }
    }
}

/// The session id in `/v1/checkout/sessions/{id}[/…]`.
fn session_of(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/v1/checkout/sessions/")?;
    let id = rest.split('/').next()?;
    (!id.is_empty()).then(|| id.to_owned())
}

/// Waits the configured latency, if any, then runs the request.
pub async fn inject_latency(
    State(state): State<Arc<InjectedLatency>>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(latency) = state.latency {
        let delay = latency.draw();
        let at_us = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
        state.recorded.push(Injected {
            session: session_of(req.uri().path()),
            at_us,
            ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        });
        tokio::time::sleep(delay).await;
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parsing_and_drawing() {
        let l = Latency::parse("150-400").unwrap();
        assert_eq!((l.min_ms, l.max_ms), (150, 400));
        for _ in 0..100 {
            let d = l.draw();
            assert!(d >= Duration::from_millis(150) && d <= Duration::from_millis(400));
        }
        assert_eq!(
            Latency::parse(" 200 ").unwrap().draw(),
            Duration::from_millis(200)
        );
        for bad in ["", "a-b", "400-150", "1-70000", "-5"] {
            assert!(Latency::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(
            session_of("/v1/checkout/sessions/cs_test_1/expire").as_deref(),
            Some("cs_test_1")
        );
        assert_eq!(session_of("/v1/checkout/sessions"), None);
    }
}
