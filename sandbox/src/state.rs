//! The emulator's state: sessions, prices, coupons, pending faults and
//! counters, with its limits and lifetimes.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use crate::checkout_sessions;
use crate::coupons::Coupons;

use crate::middleware::faults::FaultInjector;
use crate::middleware::idempotency::{self, Idempotency};
use crate::middleware::latency::{InjectedLatency, Latency};
use crate::middleware::rate_limit::RateLimit;
use crate::prices::Catalog;
use crate::request_log::RequestLog;
use crate::stats::{RouteCounts, Stats};
use crate::store::{Store, DEFAULT_MAX_SESSIONS};
use crate::webhooks::{Webhooks, STATS_NAME as WEBHOOK_STATS};

/// Default lifetime of a Checkout Session (Stripe's default: 24 hours).
pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(24 * 3600);

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
    pub store: Arc<Store>,
    /// The price catalog.
    pub prices: Arc<Catalog>,
    /// Coupons (`POST /v1/coupons` and the seeded one).
    pub coupons: Arc<Coupons>,
    /// Fault injection (`POST /sandbox/faults`).
    pub faults: Arc<FaultInjector>,
    /// Successful `POST /v1/checkout/sessions/{id}` calls.
    pub session_updates: AtomicU64,
    /// Session lifetime, seconds.
    pub session_ttl_secs: i64,
    /// Requests by route, connections, named counters (`GET /sandbox/stats`).
    pub stats: Stats,
    /// Every API request as it arrived (`GET /sandbox/requests`).
    pub request_log: Arc<RequestLog>,
    /// Idempotency keys and their saved answers.
    pub idempotency: Arc<Idempotency>,
    /// The rate limiter, when one is configured.
    pub rate_limit: Arc<RateLimit>,
    /// The injected latency, when configured (`GET /sandbox/latency`).
    pub latency: Arc<InjectedLatency>,
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
        let webhooks = Arc::new(Webhooks::default());
        let stats = Stats::default();
        stats.register(WEBHOOK_STATS, webhooks.counts.clone());
        Self {
            store: Arc::new(
                Store::with_limits(options.max_sessions)
                    .with_expiry_hook(checkout_sessions::events::expiry_hook(&webhooks)),
            ),
            prices: Arc::default(),
            coupons: Arc::default(),
            faults: Arc::default(),
            session_updates: AtomicU64::new(0),
            session_ttl_secs: i64::try_from(options.session_ttl.as_secs())
                .unwrap_or(i64::MAX)
                .max(1),
            stats,
            request_log: Arc::default(),
            idempotency: Arc::new(Idempotency::new(
                options.idempotency_ttl,
                options.idempotency_max_keys,
            )),
            rate_limit: Arc::new(RateLimit::new(options.rate_limit)),
            latency: Arc::new(InjectedLatency::new(options.latency)),
            webhooks,
        }
    }

    /// Shows the connections accepted in `GET /sandbox/stats` from now on
    /// (`null` until then; 0 until [`SandboxState::connection_accepted`]
    /// counts one).
    pub fn count_connections(&self) {
        self.stats.count_connections();
    }

    /// Counts one accepted connection (called by the serving program: the
    /// `stripe-sandbox` binary does).
    pub fn connection_accepted(&self) {
        self.stats.connection_accepted();
    }

    /// Connections accepted so far, if counted.
    pub fn connections_accepted(&self) -> Option<u64> {
        self.stats.connections_accepted()
    }

    /// The counter shown as `name` by `GET /sandbox/stats` (created on
    /// first use): the embedding application's own (the merchant server
    /// counts its requests so).
    pub fn counter(&self, name: &'static str) -> Arc<RouteCounts> {
        self.stats.counter(name)
    }
}
