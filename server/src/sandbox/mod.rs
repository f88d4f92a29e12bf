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

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use axum::extract::DefaultBodyLimit;
use axum::Router;

use self::store::{Price, Store};

/// Maximum size of a sandbox request body.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A pending fault injection: the next `remaining` API calls answer `status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    /// Calls left to fail.
    pub remaining: u32,
    /// HTTP status to answer.
    pub status: u16,
}

/// All sandbox state.
#[derive(Debug)]
pub struct SandboxState {
    /// The sessions.
    pub store: Store,
    /// The price catalog.
    pub prices: Vec<Price>,
    /// Pending fault injection.
    pub faults: Mutex<Faults>,
    /// Successful `POST /v1/checkout/sessions/{id}` calls.
    pub session_updates: AtomicU64,
}

impl Default for SandboxState {
    fn default() -> Self {
        Self {
            store: Store::default(),
            prices: store::catalog(),
            faults: Mutex::new(Faults::default()),
            session_updates: AtomicU64::new(0),
        }
    }
}

impl SandboxState {
    /// The catalog price `id`.
    pub fn price(&self, id: &str) -> Option<&Price> {
        self.prices.iter().find(|p| p.id == id)
    }
}

/// The sandbox routes (`/v1/...` and `/sandbox/...`) with fresh state.
pub fn router() -> Router {
    router_with_state(Arc::new(SandboxState::default()))
}

/// The sandbox routes over `state`.
pub fn router_with_state(state: Arc<SandboxState>) -> Router {
    Router::new()
        .merge(api::router(state.clone()))
        .merge(control::router(state))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}
