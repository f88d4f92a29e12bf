//! The emulator's state: sessions, prices, coupons, pending faults and
//! counters, with its limits and lifetimes.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::middleware::idempotency::{self, Idempotency};
use crate::middleware::latency::{Latency, Recorded};
use crate::middleware::rate_limit::RateLimiter;
use crate::model::{Coupon, Price};
use crate::prices::catalog;
use crate::request_log::RequestLog;
use crate::stats::RouteCounts;
use crate::store::{Store, DEFAULT_MAX_SESSIONS};
use crate::webhooks::{Webhooks, STATS_NAME as WEBHOOK_STATS};

/// Default lifetime of a Checkout Session (Stripe's default: 24 hours).
pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(24 * 3600);

/// Maximum size of a request body.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Longest a `hang_next` fault holds a request before answering 504.
pub const MAX_HANG: Duration = Duration::from_secs(60);
/// Longest `delay_ms` a `delay_next` fault accepts.
pub const MAX_DELAY_MS: u64 = 60_000;

/// The error a failure fault answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FaultError {
    /// `api_error`, "Sandbox fault injected" (default status 500).
    #[default]
    ApiError,
    /// Stripe's `lock_timeout`: 429 `invalid_request_error` with
    /// `Stripe-Should-Retry: true`.
    LockTimeout,
    /// Stripe's rate limit: 429 `invalid_request_error`, `code: rate_limit`.
    RateLimit,
}

impl FaultError {
    /// The name `POST /sandbox/faults` takes (`"error"`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "api_error" => Some(Self::ApiError),
            "lock_timeout" => Some(Self::LockTimeout),
            "rate_limit" => Some(Self::RateLimit),
            _ => None,
        }
    }

    /// The status answered unless `status` says otherwise.
    pub fn default_status(self) -> u16 {
        match self {
            Self::ApiError => 500,
            Self::LockTimeout | Self::RateLimit => 429,
        }
    }
}

/// Which requests draw from the pending faults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FaultMethod {
    /// Every request.
    #[default]
    Any,
    /// `GET`s only (retrieves).
    Get,
    /// `POST`s only (creates, updates).
    Post,
}

impl FaultMethod {
    /// `"GET"` or `"POST"`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "GET" => Some(Self::Get),
            "POST" => Some(Self::Post),
            _ => None,
        }
    }

    /// Whether a request of `method` draws from the faults.
    pub fn matches(self, method: &axum::http::Method) -> bool {
        match self {
            Self::Any => true,
            Self::Get => method == axum::http::Method::GET,
            Self::Post => method == axum::http::Method::POST,
        }
    }
}

/// Pending fault injections of the `/v1/checkout/sessions*` API. A request
/// takes a hang if one is pending; otherwise a delay (if pending) and then a
/// failure (if pending).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    /// Calls left to fail.
    pub remaining: u32,
    /// HTTP status to answer.
    pub status: u16,
    /// The error of a failure.
    pub error: FaultError,
    /// Whether a failure comes after the endpoint ran (its answer saved for
    /// idempotent replays, then lost on the way back: the update applied,
    /// the client told it failed) instead of before.
    pub after_endpoint: bool,
    /// Which requests draw from these faults.
    pub method: FaultMethod,
    /// A `Stripe-Should-Retry` header on a failure (`None`: the error's own:
    /// `true` for `lock_timeout`, none otherwise).
    pub should_retry: Option<bool>,
    /// A `Retry-After` header (seconds) on a failure.
    pub retry_after_secs: Option<u32>,
    /// Calls left to delay.
    pub delay_remaining: u32,
    /// How long each delayed call waits, milliseconds.
    pub delay_ms: u64,
    /// Calls left to hang (no answer for [`MAX_HANG`], or until faults are set again).
    pub hang_remaining: u32,
}

/// How many faults of each kind were injected so far.
#[derive(Debug, Default)]
pub struct FaultCounts {
    /// Failures answered.
    pub failed: AtomicU64,
    /// Requests delayed.
    pub delayed: AtomicU64,
    /// Requests hung.
    pub hung: AtomicU64,
}

/// The id of the coupon every sandbox starts with: 10 % off, `forever`.
pub const SEEDED_COUPON: &str = "SANDBOX10";

/// At most this many coupons can be created with `POST /v1/coupons`; beyond it
/// the sandbox answers 400 (restart it to start afresh).
pub const MAX_COUPONS: usize = 10_000;

/// Sandbox limits and lifetimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxOptions {
    /// Lifetime of a session (`expires_at - created`).
    pub session_ttl: Duration,
    /// Cap on stored sessions (the oldest is evicted beyond it).
    pub max_sessions: usize,
    /// How long an idempotency key is remembered (Stripe: 24 hours).
    pub idempotency_ttl: Duration,
    /// Cap on remembered idempotency keys (the oldest goes first).
    pub idempotency_max_keys: usize,
    /// Requests per second the secret-key API accepts before answering 429
    /// `rate_limit` (`SANDBOX_RATE_LIMIT`); `None`: no limit (the default).
    pub rate_limit: Option<u32>,
    /// A delay drawn for every secret-key API call (`SANDBOX_LATENCY_MS`,
    /// e.g. `150-400`); `None`: none (the default).
    pub latency: Option<Latency>,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            session_ttl: DEFAULT_SESSION_TTL,
            max_sessions: DEFAULT_MAX_SESSIONS,
            idempotency_ttl: idempotency::DEFAULT_TTL,
            idempotency_max_keys: idempotency::DEFAULT_MAX_KEYS,
            rate_limit: None,
            latency: None,
        }
    }
}

/// All sandbox state.
#[derive(Debug)]
pub struct SandboxState {
    /// The sessions.
    pub store: Store,
    /// The price catalog.
    pub prices: Vec<Price>,
    /// Coupons (`POST /v1/coupons` and [`SEEDED_COUPON`]).
    pub coupons: Mutex<HashMap<String, Coupon>>,
    /// Pending fault injection.
    pub faults: Mutex<Faults>,
    /// Successful `POST /v1/checkout/sessions/{id}` calls.
    pub session_updates: AtomicU64,
    /// Session lifetime, seconds.
    pub session_ttl_secs: i64,
    /// Faults injected so far.
    pub fault_counts: FaultCounts,
    /// Wakes hanging requests when the faults are set again.
    pub release_hangs: tokio::sync::Notify,
    /// Sandbox requests by route (`"POST /v1/checkout/sessions/{id}"`).
    pub requests: RouteCounts,
    /// Every API request as it arrived (`GET /sandbox/requests`).
    pub request_log: RequestLog,
    /// Idempotency keys and their saved answers.
    pub idempotency: Idempotency,
    /// The rate limiter, when one is configured.
    pub rate_limiter: Option<RateLimiter>,
    /// Requests the rate limiter refused.
    pub rate_limited: AtomicU64,
    /// The injected latency, when configured.
    pub latency: Option<Latency>,
    /// The delays injected so far (`GET /sandbox/latency`).
    pub latencies: Recorded,
    /// Connections accepted, when the serving program counts them (the
    /// `stripe-sandbox` binary does, with [`SandboxState::connection_accepted`]);
    /// shown by `GET /sandbox/stats` (`null` when nobody counts).
    pub connections: AtomicU64,
    /// Whether [`SandboxState::connections`] is counted.
    pub counts_connections: AtomicBool,
    /// Counters the embedding application keeps (for example the merchant
    /// server's requests), shown by `GET /sandbox/stats` under their names.
    counters: Mutex<BTreeMap<&'static str, Arc<RouteCounts>>>,
    /// Webhook endpoints, events and their deliveries.
    pub webhooks: Arc<Webhooks>,
}

impl Default for SandboxState {
    fn default() -> Self {
        Self::new(SandboxOptions::default())
    }
}

impl SandboxState {
    /// Fresh state with `options`.
    pub fn new(options: SandboxOptions) -> Self {
        let seeded = Coupon {
            id: SEEDED_COUPON.to_owned(),
            amount_off: None,
            percent_off: Some(10.0),
            currency: None,
            name: Some("Sandbox 10% off".to_owned()),
            duration: "forever".to_owned(),
            duration_in_months: None,
            created: 1_735_689_600,
            metadata: Default::default(),
        };
        let webhooks = Arc::new(Webhooks::default());
        Self {
            store: Store::with_limits(options.max_sessions)
                .with_expiry_hook(webhooks.expiry_hook()),
            prices: catalog(),
            coupons: Mutex::new(HashMap::from([(seeded.id.clone(), seeded)])),
            faults: Mutex::new(Faults::default()),
            session_updates: AtomicU64::new(0),
            session_ttl_secs: i64::try_from(options.session_ttl.as_secs())
                .unwrap_or(i64::MAX)
                .max(1),
            fault_counts: FaultCounts::default(),
            release_hangs: tokio::sync::Notify::new(),
            requests: RouteCounts::default(),
            request_log: RequestLog::default(),
            idempotency: Idempotency::new(options.idempotency_ttl, options.idempotency_max_keys),
            rate_limiter: options.rate_limit.map(RateLimiter::new),
            rate_limited: AtomicU64::new(0),
            latency: options.latency,
            latencies: Recorded::default(),
            connections: AtomicU64::new(0),
            counts_connections: AtomicBool::new(false),
            counters: Mutex::new(BTreeMap::from([(WEBHOOK_STATS, webhooks.counts.clone())])),
            webhooks,
        }
    }

    /// Shows [`SandboxState::connections`] in the stats from now on (0 until
    /// [`SandboxState::connection_accepted`] counts one).
    pub fn count_connections(&self) {
        self.counts_connections.store(true, Ordering::Relaxed);
    }

    /// Counts one accepted connection (called by the serving program).
    pub fn connection_accepted(&self) {
        self.count_connections();
        self.connections.fetch_add(1, Ordering::Relaxed);
    }

    /// Connections accepted so far, if counted.
    pub fn connections_accepted(&self) -> Option<u64> {
        self.counts_connections
            .load(Ordering::Relaxed)
            .then(|| self.connections.load(Ordering::Relaxed))
    }

    /// The catalog price `id`.
    pub fn price(&self, id: &str) -> Option<&Price> {
        self.prices.iter().find(|p| p.id == id)
    }

    /// The counter shown as `name` by `GET /sandbox/stats` (created on first use).
    pub fn counter(&self, name: &'static str) -> Arc<RouteCounts> {
        self.counters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(name)
            .or_default()
            .clone()
    }

    /// A copy of every counter of [`SandboxState::counter`].
    pub fn counters(&self) -> BTreeMap<&'static str, BTreeMap<String, u64>> {
        self.counters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(name, counts)| (*name, counts.snapshot()))
            .collect()
    }

    /// A copy of coupon `id`.
    pub fn coupon(&self, id: &str) -> Option<Coupon> {
        self.coupons
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
            .cloned()
    }
}
