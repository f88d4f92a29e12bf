//! All the emulator's state, composed: each subsystem owns its part (the
//! sessions' [`Store`], the [`Catalog`], the [`Coupons`], the
//! [`Webhooks`], the Checkout Sessions routes' [`Sessions`], the
//! middleware's fault plan, rate limiter, latency and idempotency keys, the
//! [`RequestLog`], the [`Stats`]), and [`SandboxState`] holds one of each
//! for `router_with_state`, which hands each route and layer its own (axum's
//! per-router `with_state`). No subsystem knows this module; only the test
//! controls (`control`), whose `/sandbox/stats` reads across them, take the
//! whole.

use std::sync::Arc;

use crate::checkout_sessions::{self, Sessions};
use crate::coupons::Coupons;
use crate::customers::Customers;
use crate::middleware::faults::FaultInjector;
use crate::middleware::idempotency::Idempotency;
use crate::middleware::latency::InjectedLatency;
use crate::middleware::rate_limit::RateLimit;
use crate::options::SandboxOptions;
use crate::prices::Catalog;
use crate::request_log::RequestLog;
use crate::stats::{RouteCounts, Stats};
use crate::store::Store;
use crate::webhooks::{Webhooks, STATS_NAME as WEBHOOK_STATS};

/// All sandbox state.
#[derive(Debug)]
pub struct SandboxState {
    /// The sessions.
    pub store: Arc<Store>,
    /// The price catalog.
    pub prices: Arc<Catalog>,
    /// Coupons (`POST /v1/coupons` and the seeded one).
    pub coupons: Arc<Coupons>,
    /// Customers (`POST /v1/customers`).
    pub customers: Arc<Customers>,
    /// The Checkout Sessions routes' state (over the store, catalog,
    /// coupons and webhooks here).
    pub sessions: Arc<Sessions>,
    /// Fault injection (`POST /sandbox/faults`).
    pub faults: Arc<FaultInjector>,
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
        Self::new(&SandboxOptions::default())
    }
}

impl SandboxState {
    /// Fresh state with `options`.
    pub fn new(options: &SandboxOptions) -> Self {
        let webhooks = Arc::new(Webhooks::default());
        let stats = Stats::default();
        stats.register(WEBHOOK_STATS, webhooks.counts.clone());
        let store = Arc::new(
            Store::with_limits(options.max_sessions)
                .with_expiry_hook(checkout_sessions::events::expiry_hook(&webhooks)),
        );
        let prices = Arc::new(Catalog::from_catalogue(&options.catalogue));
        let coupons = Arc::new(Coupons::default());
        let customers = Arc::new(Customers::default());
        let sessions = Arc::new(Sessions::new(
            store.clone(),
            prices.clone(),
            coupons.clone(),
            customers.clone(),
            webhooks.clone(),
            options.session_ttl,
        ));
        Self {
            store,
            prices,
            coupons,
            customers,
            sessions,
            faults: Arc::default(),
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
