//! What the merchant does with a paid order: the [`Fulfillment`] hook.
//!
//! Fulfilment follows Stripe's "Fulfill orders" guide
//! (docs.stripe.com/checkout/fulfillment): the webhook (`checkout.session.completed`,
//! `checkout.session.async_payment_succeeded`) and the customer's return
//! (`POST /order-status`) both call one function (`merchant/fulfil.rs`),
//! which takes only the session id from them, retrieves the Checkout Session
//! from Stripe with its line items, goes on only when its `payment_status`
//! is `paid` or `no_payment_required`, and records the order exactly once
//! per session in the [`crate::store::Store`]. This hook runs while that
//! record is being written: when it fails, nothing is recorded (the webhook
//! answers 500 and Stripe delivers again); when it succeeds, the record is
//! committed. A crash between the hook's success and the commit makes the
//! next delivery run the hook again, so make its side effects idempotent by
//! session id (Stripe's guide asks the same).

use std::future::Future;
use std::pin::Pin;

pub use crate::store::{OrderLine, OrderRecord};

/// A boxed future, so that [`Fulfillment`] can be used as `dyn Fulfillment`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A fulfilment that failed: nothing is recorded, the webhook answers 500,
/// so Stripe retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fulfilment failed: {0}")]
pub struct FulfillmentError(pub String);

/// What the merchant does with paid and expired sessions.
pub trait Fulfillment: Send + Sync {
    /// Fulfils a paid order (send the goods, email the customer), once per
    /// session but for a crash (see the module's documentation). An error
    /// records nothing.
    fn fulfill<'a>(&'a self, order: &'a OrderRecord)
        -> BoxFuture<'a, Result<(), FulfillmentError>>;

    /// A session expired unpaid (`checkout.session.expired`): release what
    /// was held for it. Does nothing by default.
    fn session_expired<'a>(
        &'a self,
        session_id: &'a str,
    ) -> BoxFuture<'a, Result<(), FulfillmentError>> {
        let _ = session_id;
        Box::pin(async { Ok(()) })
    }
}

/// The default [`Fulfillment`]: the store's record is the fulfilment; it
/// logs each order.
#[derive(Debug, Default, Clone, Copy)]
pub struct RecordOnly;

impl Fulfillment for RecordOnly {
    fn fulfill<'a>(
        &'a self,
        order: &'a OrderRecord,
    ) -> BoxFuture<'a, Result<(), FulfillmentError>> {
        tracing::info!(session_id = %order.session_id, source = %order.source, "order fulfilled");
        Box::pin(async { Ok(()) })
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
