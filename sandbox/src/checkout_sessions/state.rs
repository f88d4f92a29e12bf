//! What the Checkout Sessions routes work on: the sessions' store, the
//! catalog and coupons their parameters name, the webhooks their expiry
//! notifies, and their own lifetime and update count.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::coupons::Coupons;
use crate::customers::Customers;
use crate::prices::Catalog;
use crate::store::Store;
use crate::webhooks::Webhooks;

/// The Checkout Sessions routes' state.
#[derive(Debug)]
pub struct Sessions {
    /// The sessions.
    pub store: Arc<Store>,
    /// The prices `line_items[][price]` names.
    pub prices: Arc<Catalog>,
    /// The coupons `discounts[][coupon]` names.
    pub coupons: Arc<Coupons>,
    /// The customers `customer` names.
    pub customers: Arc<Customers>,
    /// Where `POST /v1/checkout/sessions/{id}/expire` sends its event.
    pub webhooks: Arc<Webhooks>,
    /// A new session's lifetime, seconds.
    pub ttl_secs: i64,
    /// Successful `POST /v1/checkout/sessions/{id}` calls.
    updates: AtomicU64,
}

impl Sessions {
    /// Sessions in `store` that live `ttl` (at least a second).
    pub fn new(
        store: Arc<Store>,
        prices: Arc<Catalog>,
        coupons: Arc<Coupons>,
        customers: Arc<Customers>,
        webhooks: Arc<Webhooks>,
        ttl: Duration,
    ) -> Self {
        Self {
            customers,
            store,
            prices,
            coupons,
            webhooks,
            ttl_secs: i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX).max(1),
            updates: AtomicU64::new(0),
        }
    }

    /// Counts a successful update.
    pub(crate) fn updated(&self) {
        self.updates.fetch_add(1, Ordering::Relaxed);
    }

    /// Successful updates so far (`GET /sandbox/stats`: `session_updates`).
    pub fn updates(&self) -> u64 {
        self.updates.load(Ordering::Relaxed)
    }
}
