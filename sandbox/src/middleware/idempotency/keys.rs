//! The idempotency layer's memory: the keys of the last 24 hours (at most
//! [`crate::SandboxOptions::idempotency_max_keys`]), each with its request's
//! endpoint and fingerprint and, once the endpoint ran, the answer saved for
//! replays; and the counters `GET /sandbox/stats` shows.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{DEFAULT_MAX_KEYS, DEFAULT_TTL, IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED};
use crate::error::StripeApiError;

/// An answer saved for replay.
#[derive(Debug, Clone)]
pub(super) struct Saved {
    pub(super) status: StatusCode,
    pub(super) content_type: Option<HeaderValue>,
    pub(super) body: Bytes,
}

#[derive(Debug)]
enum Entry {
    /// The first request with this key is still running.
    Running { fingerprint: u64, endpoint: String },
    /// Its answer, for replays.
    Done {
        fingerprint: u64,
        endpoint: String,
        saved: Saved,
    },
}

impl Entry {
    fn request(&self) -> (u64, &str) {
        match self {
            Entry::Running {
                fingerprint,
                endpoint,
            }
            | Entry::Done {
                fingerprint,
                endpoint,
                ..
            } => (*fingerprint, endpoint),
        }
    }
}

#[derive(Debug, Default)]
struct Keys {
    by_key: HashMap<String, (Instant, Entry)>,
    /// Keys in order of first use (one TTL for all, so also expiry order).
    /// May hold keys already removed, or removed and used again (then the
    /// instant tells them apart).
    order: VecDeque<(Instant, String)>,
    /// Keys seen on any `POST` (whatever became of the request), for
    /// [`Idempotency::observe`]; bounded like `by_key`.
    seen: HashMap<String, Instant>,
    seen_order: VecDeque<(Instant, String)>,
}

/// What [`Idempotency::begin`] decided for a request.
#[derive(Debug)]
pub(crate) enum Begin {
    /// First use (or first since pruning): run the endpoint and
    /// [`Idempotency::finish`] with its answer.
    Run,
    /// The saved answer.
    Replay(Response),
    /// Refused (mismatch, key in use): an answer not to save.
    Refuse(StripeApiError),
}

/// Counters shown by `GET /sandbox/stats` as `idempotency`.
#[derive(Debug, Default, Serialize, Clone, Copy, PartialEq, Eq)]
pub struct IdempotencyStats {
    /// Keys stored now (saved answers and requests running).
    pub stored: u64,
    /// Answers replayed.
    pub replayed: u64,
    /// Requests refused because their key was used with other parameters or
    /// on another endpoint.
    pub mismatched: u64,
    /// Requests refused because their key was in use by a running request.
    pub in_use: u64,
    /// `POST`s that carried a key (counted before anything else, so requests
    /// refused by the rate limiter, a fault or the API key count too).
    pub requests_with_key: u64,
    /// Of those, requests whose key an earlier request carried: retries.
    pub keys_reused: u64,
}

/// The idempotency layer's memory.
#[derive(Debug)]
pub struct Idempotency {
    keys: Mutex<Keys>,
    ttl: Duration,
    max_keys: usize,
    replayed: AtomicU64,
    mismatched: AtomicU64,
    in_use: AtomicU64,
    requests_with_key: AtomicU64,
    keys_reused: AtomicU64,
}

impl Default for Idempotency {
    fn default() -> Self {
        Self::new(DEFAULT_TTL, DEFAULT_MAX_KEYS)
    }
}

/// Stripe's 400 for a key reused with other parameters or on another endpoint.
fn mismatch(key: &str, first_endpoint: &str, endpoint: &str) -> StripeApiError {
    let path = |e: &str| e.split_once(' ').map_or(e, |(_, p)| p).to_owned();
    let message = if first_endpoint == endpoint {
        format!(
            "Keys for idempotent requests can only be used with the same parameters they were \
             first used with. Try using a key other than '{key}' if you meant to execute a \
             different request."
        )
    } else {
        format!(
            "Keys for idempotent requests can only be used for the same endpoint they were \
             first used for ('{}' vs '{}'). Try using a key other than '{key}' if you meant to \
             execute a different request.",
            path(endpoint),
            path(first_endpoint)
        )
    };
    StripeApiError {
        status: StatusCode::BAD_REQUEST,
        error_type: "idempotency_error",
        code: None,
        message,
        param: None,
    }
}

/// 409 for a key whose first request is still running.
fn in_use(key: &str) -> StripeApiError {
    StripeApiError {
        status: StatusCode::CONFLICT,
        error_type: "idempotency_error",
        code: Some("idempotency_key_in_use"),
        message: format!(
            "There is currently another in-progress request using this idempotency key ('{key}'). \
             Please try again later."
        ),
        param: None,
    }
}

impl Idempotency {
    /// Keys kept `ttl` after first use, at most `max_keys` (at least 1).
    pub fn new(ttl: Duration, max_keys: usize) -> Self {
        Self {
            keys: Mutex::default(),
            ttl,
            max_keys: max_keys.max(1),
            replayed: AtomicU64::new(0),
            mismatched: AtomicU64::new(0),
            in_use: AtomicU64::new(0),
            requests_with_key: AtomicU64::new(0),
            keys_reused: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Keys> {
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drops keys older than the TTL, then the oldest beyond the cap (less
    /// `room`).
    fn prune(&self, keys: &mut Keys, now: Instant, room: usize) {
        let limit = self.max_keys.saturating_sub(room);
        while let Some((born, key)) = keys.order.front() {
            let current = keys.by_key.get(key).map(|(b, _)| *b);
            let stale = current != Some(*born)
                || now.saturating_duration_since(*born) >= self.ttl
                || keys.by_key.len() > limit;
            if !stale {
                break;
            }
            if let Some((born, key)) = keys.order.pop_front() {
                if keys.by_key.get(&key).map(|(b, _)| *b) == Some(born) {
                    keys.by_key.remove(&key);
                }
            }
        }
    }

    /// Counts a keyed `POST` as it arrives (before any other layer), and
    /// whether its key was seen before.
    pub fn observe(&self, key: &str) {
        self.observe_at(key, Instant::now());
    }

    fn observe_at(&self, key: &str, now: Instant) {
        self.requests_with_key.fetch_add(1, Ordering::Relaxed);
        let mut keys = self.lock();
        let keys = &mut *keys;
        if let Some(first) = keys.seen.get(key) {
            if now.saturating_duration_since(*first) < self.ttl {
                self.keys_reused.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
        while keys.seen.len() >= self.max_keys {
            let Some((born, old)) = keys.seen_order.pop_front() else {
                break;
            };
            if keys.seen.get(&old) == Some(&born) {
                keys.seen.remove(&old);
            }
        }
        keys.seen.insert(key.to_owned(), now);
        keys.seen_order.push_back((now, key.to_owned()));
    }

    /// Looks `key` up for a request to `endpoint` (`"POST /v1/…"`) whose
    /// parameters hash to `fingerprint`.
    pub(crate) fn begin(&self, key: &str, endpoint: &str, fingerprint: u64) -> Begin {
        self.begin_at(key, endpoint, fingerprint, Instant::now())
    }

    fn begin_at(&self, key: &str, endpoint: &str, fingerprint: u64, now: Instant) -> Begin {
        let mut keys = self.lock();
        self.prune(&mut keys, now, 0);
        if let Some((born, entry)) = keys.by_key.get(key) {
            if now.saturating_duration_since(*born) < self.ttl {
                let (first_fingerprint, first_endpoint) = entry.request();
                if first_endpoint != endpoint || first_fingerprint != fingerprint {
                    self.mismatched.fetch_add(1, Ordering::Relaxed);
                    return Begin::Refuse(mismatch(key, first_endpoint, endpoint));
                }
                return match entry {
                    Entry::Running { .. } => {
                        self.in_use.fetch_add(1, Ordering::Relaxed);
                        Begin::Refuse(in_use(key))
                    }
                    Entry::Done { saved, .. } => {
                        self.replayed.fetch_add(1, Ordering::Relaxed);
                        Begin::Replay(replay(key, saved))
                    }
                };
            }
        }
        self.prune(&mut keys, now, 1);
        keys.by_key.insert(
            key.to_owned(),
            (
                now,
                Entry::Running {
                    fingerprint,
                    endpoint: endpoint.to_owned(),
                },
            ),
        );
        keys.order.push_back((now, key.to_owned()));
        Begin::Run
    }

    /// Ends the run of `key`'s first request: saves its answer, or forgets
    /// the key when `saved` is `None` (not saved: it can be retried).
    pub(super) fn finish(&self, key: &str, saved: Option<Saved>) {
        let mut keys = self.lock();
        let Some((_, entry)) = keys.by_key.get_mut(key) else {
            return;
        };
        let Entry::Running {
            fingerprint,
            endpoint,
        } = entry
        else {
            return;
        };
        match saved {
            Some(saved) => {
                *entry = Entry::Done {
                    fingerprint: *fingerprint,
                    endpoint: std::mem::take(endpoint),
                    saved,
                };
            }
            None => {
                keys.by_key.remove(key);
            }
        }
    }

    /// The counters.
    pub fn stats(&self) -> IdempotencyStats {
        let stored = u64::try_from(self.lock().by_key.len()).unwrap_or(u64::MAX);
        IdempotencyStats {
            stored,
            replayed: self.replayed.load(Ordering::Relaxed),
            mismatched: self.mismatched.load(Ordering::Relaxed),
            in_use: self.in_use.load(Ordering::Relaxed),
            requests_with_key: self.requests_with_key.load(Ordering::Relaxed),
            keys_reused: self.keys_reused.load(Ordering::Relaxed),
        }
    }
}

/// The saved answer again, marked as a replay.
fn replay(key: &str, saved: &Saved) -> Response {
    let mut response = (saved.status, saved.body.clone()).into_response();
    let headers = response.headers_mut();
    if let Some(content_type) = &saved.content_type {
        headers.insert(header::CONTENT_TYPE, content_type.clone());
    }
    headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    if let Ok(value) = HeaderValue::from_str(key) {
        headers.insert(IDEMPOTENCY_KEY, value);
    }
    response
}

/// Forgets a running key whose request ends without [`Idempotency::finish`]
/// (the client went away, the handler panicked).
pub(super) struct RunGuard<'a> {
    pub(super) store: &'a Idempotency,
    pub(super) key: &'a str,
    pub(super) done: bool,
}

impl Drop for RunGuard<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.store.finish(self.key, None);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn ok(body: &str) -> Saved {
        Saved {
            status: StatusCode::OK,
            content_type: None,
            body: Bytes::from(body.to_owned()),
        }
    }

    const EP: &str = "POST /v1/checkout/sessions/cs_test_1";

    #[test]
    fn replay_mismatch_and_in_use() {
        let store = Idempotency::default();
        let t = Instant::now();
        assert!(matches!(store.begin_at("k", EP, 1, t), Begin::Run));
        match store.begin_at("k", EP, 1, t) {
            Begin::Refuse(e) => {
                assert_eq!(e.status, StatusCode::CONFLICT);
                assert_eq!(e.code, Some("idempotency_key_in_use"));
            }
            other => panic!("{other:?}"),
        }
        store.finish("k", Some(ok("first")));
        match store.begin_at("k", EP, 1, t) {
            Begin::Replay(r) => {
                assert_eq!(r.headers()[IDEMPOTENT_REPLAYED], "true");
                assert_eq!(r.headers()[IDEMPOTENCY_KEY], "k");
            }
            other => panic!("{other:?}"),
        }
        match store.begin_at("k", EP, 2, t) {
            Begin::Refuse(e) => {
                assert_eq!(e.status, StatusCode::BAD_REQUEST);
                assert_eq!(e.error_type, "idempotency_error");
                assert!(e.message.contains("same parameters"), "{}", e.message);
                assert!(e.message.contains("'k'"), "{}", e.message);
            }
            other => panic!("{other:?}"),
        }
        match store.begin_at("k", "POST /v1/coupons", 1, t) {
            Begin::Refuse(e) => assert!(
                e.message
                    .contains("('/v1/coupons' vs '/v1/checkout/sessions/cs_test_1')"),
                "{}",
                e.message
            ),
            other => panic!("{other:?}"),
        }
        let s = store.stats();
        assert_eq!((s.stored, s.replayed, s.mismatched, s.in_use), (1, 1, 2, 1));
    }

    #[test]
    fn unsaved_answers_free_the_key() {
        let store = Idempotency::default();
        let t = Instant::now();
        assert!(matches!(store.begin_at("k", EP, 1, t), Begin::Run));
        store.finish("k", None);
        assert!(matches!(store.begin_at("k", EP, 2, t), Begin::Run));
        {
            let _guard = RunGuard {
                store: &store,
                key: "k",
                done: false,
            };
        }
        assert_eq!(store.stats().stored, 0, "a dropped run forgets its key");
    }

    #[test]
    fn keys_expire_and_are_capped() {
        let store = Idempotency::new(Duration::from_secs(10), 2);
        let t = Instant::now();
        for (i, key) in ["a", "b", "c"].iter().enumerate() {
            let at = t + Duration::from_millis(u64::try_from(i).unwrap());
            assert!(matches!(store.begin_at(key, EP, 1, at), Begin::Run));
            store.finish(key, Some(ok(key)));
        }
        assert_eq!(store.stats().stored, 2, "capped");
        let later = t + Duration::from_millis(5);
        assert!(
            matches!(store.begin_at("a", EP, 9, later), Begin::Run),
            "the oldest key was pruned: it runs again, whatever its parameters"
        );
        store.finish("a", Some(ok("a2")));
        assert!(matches!(
            store.begin_at("c", EP, 1, later),
            Begin::Replay(_)
        ));
        let expired = t + Duration::from_secs(11);
        assert!(matches!(store.begin_at("c", EP, 7, expired), Begin::Run));
        assert_eq!(store.stats().stored, 1, "expired keys are pruned");
    }

    #[test]
    fn observed_keys() {
        let store = Idempotency::new(Duration::from_secs(10), 2);
        let t = Instant::now();
        store.observe_at("a", t);
        store.observe_at("a", t);
        store.observe_at("b", t);
        store.observe_at("c", t);
        store.observe_at("a", t);
        let s = store.stats();
        assert_eq!((s.requests_with_key, s.keys_reused), (5, 1));
    }
}
