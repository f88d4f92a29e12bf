//! An offline stand-in for the parts of the Stripe API this project uses
//! (Checkout Sessions with `ui_mode=custom`, server-side updates, and the
//! client-side `payment_pages/{id}/init` call), plus test controls. It is
//! mounted only in sandbox mode and shares no code with the merchant routes.

pub mod api;
pub mod client_session;
pub mod control;
pub mod form;
pub mod render;
pub mod store;

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;

use self::store::{Coupon, Price, Store};
use crate::stats::RouteCounts;

/// Maximum size of a sandbox request body.
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
            session_ttl: crate::config::DEFAULT_SESSION_TTL,
            max_sessions: store::DEFAULT_MAX_SESSIONS,
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
    /// Merchant `POST`s by endpoint (shared with the merchant routes by [`crate::app`]).
    pub merchant_requests: Arc<RouteCounts>,
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
        Self {
            store: Store::with_limits(options.max_sessions),
            prices: store::catalog(),
            coupons: Mutex::new(HashMap::from([(seeded.id.clone(), seeded)])),
            faults: Mutex::new(Faults::default()),
            session_updates: AtomicU64::new(0),
            session_ttl_secs: i64::try_from(options.session_ttl.as_secs())
                .unwrap_or(i64::MAX)
                .max(1),
            fault_counts: FaultCounts::default(),
            release_hangs: tokio::sync::Notify::new(),
            requests: RouteCounts::default(),
            merchant_requests: Arc::default(),
        }
    }

    /// The catalog price `id`.
    pub fn price(&self, id: &str) -> Option<&Price> {
        self.prices.iter().find(|p| p.id == id)
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

/// The sandbox routes (`/v1/...` and `/sandbox/...`) with fresh state.
pub fn router() -> Router {
    router_with_state(Arc::new(SandboxState::default()))
}

/// The sandbox routes with fresh state and `options`.
pub fn router_with_options(options: SandboxOptions) -> Router {
    router_with_state(Arc::new(SandboxState::new(options)))
}

/// The sandbox routes over `state`.
pub fn router_with_state(state: Arc<SandboxState>) -> Router {
    Router::new()
        .merge(api::router(state.clone()))
        .merge(control::router(state.clone()))
        .route_layer(middleware::from_fn_with_state(state, count_requests))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// Counts every sandbox request by `METHOD route`.
async fn count_requests(
    State(state): State<Arc<SandboxState>>,
    req: Request,
    next: Next,
) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
    state.requests.incr(&format!("{} {route}", req.method()));
    next.run(req).await
}
