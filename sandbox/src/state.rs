//! The emulator's state: sessions, prices, coupons, pending faults and
//! counters, with its limits and lifetimes.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::model::{Coupon, Price};
use crate::prices::catalog;
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

/// Pending fault injections of the `/v1/checkout/sessions*` API. A request
/// takes a hang if one is pending; otherwise a delay (if pending) and then a
/// failure (if pending).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    /// Calls left to fail.
    pub remaining: u32,
    /// HTTP status to answer.
    pub status: u16,
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
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            session_ttl: DEFAULT_SESSION_TTL,
            max_sessions: DEFAULT_MAX_SESSIONS,
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
            counters: Mutex::new(BTreeMap::from([(WEBHOOK_STATS, webhooks.counts.clone())])),
            webhooks,
        }
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
