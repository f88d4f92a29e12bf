//! Fulfilling paid orders from Stripe's events, not from the page.
//!
//! `POST /webhook` (`merchant/webhook.rs`) verifies each event and passes a
//! paid Checkout Session to a [`Fulfillment`]: `checkout.session.completed`
//! whose `payment_status` is `paid` or `no_payment_required`, and
//! `checkout.session.async_payment_succeeded` (Stripe's "Fulfill orders"
//! guide: a completed session may still await a delayed payment). The default,
//! [`InMemoryFulfillment`], records the order in memory (bounded); implement
//! the trait to send the goods, write your database, email the customer.
//! `POST /order-status` asks the same trait for the record, so the page shows
//! "Order confirmed" from what the server fulfilled.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};

/// A boxed future, so that [`Fulfillment`] can be used as `dyn Fulfillment`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A paid Checkout Session, as the event's `data.object` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidOrder {
    /// `cs_…`.
    pub session_id: String,
    /// The event that announced it (`evt_…`).
    pub event_id: String,
    /// `amount_total` (minor units), if any.
    pub amount_total: Option<i64>,
    /// `currency`, if any.
    pub currency: Option<String>,
    /// `mode`: `payment`, `subscription` or `setup`.
    pub mode: Option<String>,
    /// `client_reference_id`.
    pub client_reference_id: Option<String>,
    /// `customer_email`, else `customer_details.email`.
    pub customer_email: Option<String>,
    /// `metadata`.
    pub metadata: BTreeMap<String, String>,
}

/// What was fulfilled, as `POST /order-status` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    /// `cs_…`.
    pub session_id: String,
    /// The event it was fulfilled from.
    pub event_id: String,
    /// Amount paid (minor units), if known.
    pub amount_total: Option<i64>,
    /// Its currency.
    pub currency: Option<String>,
    /// When it was fulfilled (Unix seconds).
    pub fulfilled_at: i64,
}

/// A fulfilment that failed: the webhook answers 500, so Stripe retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fulfilment failed: {0}")]
pub struct FulfillmentError(pub String);

/// What the merchant does with paid and expired sessions.
///
/// The webhook calls [`Fulfillment::fulfill`] at most once per event id (it
/// skips events it already handled), but Stripe may announce one session
/// through several events (`completed`, then `async_payment_succeeded`), so
/// fulfil idempotently per session.
pub trait Fulfillment: Send + Sync {
    /// Fulfils a paid order. An error makes the webhook answer 500 (Stripe
    /// retries the delivery).
    fn fulfill<'a>(&'a self, order: &'a PaidOrder) -> BoxFuture<'a, Result<(), FulfillmentError>>;

    /// A session expired unpaid (`checkout.session.expired`): release what
    /// was held for it. Does nothing by default.
    fn session_expired<'a>(
        &'a self,
        session_id: &'a str,
    ) -> BoxFuture<'a, Result<(), FulfillmentError>> {
        let _ = session_id;
        Box::pin(async { Ok(()) })
    }

    /// The record of session `session_id`, once fulfilled.
    fn order<'a>(&'a self, session_id: &'a str) -> BoxFuture<'a, Option<OrderRecord>>;
}

/// Default cap on [`InMemoryFulfillment`]'s records.
pub const DEFAULT_MAX_ORDERS: usize = 10_000;

#[derive(Debug, Default)]
struct Orders {
    by_session: HashMap<String, OrderRecord>,
    order: VecDeque<String>,
}

/// The default [`Fulfillment`]: records each paid order in memory (the first
/// record of a session wins), keeping the newest [`DEFAULT_MAX_ORDERS`].
#[derive(Debug)]
pub struct InMemoryFulfillment {
    orders: Mutex<Orders>,
    max_orders: usize,
}

impl Default for InMemoryFulfillment {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_MAX_ORDERS)
    }
}

impl InMemoryFulfillment {
    /// Keeps at most `max_orders` records (at least 1).
    pub fn with_capacity(max_orders: usize) -> Self {
        Self {
            orders: Mutex::default(),
            max_orders: max_orders.max(1),
        }
    }

    /// How many orders are recorded.
    pub fn len(&self) -> usize {
        self.lock().by_session.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Orders> {
        self.orders.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn record(&self, order: &PaidOrder) {
        let mut orders = self.lock();
        if orders.by_session.contains_key(&order.session_id) {
            return;
        }
        while orders.by_session.len() >= self.max_orders {
            let Some(oldest) = orders.order.pop_front() else {
                break;
            };
            orders.by_session.remove(&oldest);
        }
        orders.order.push_back(order.session_id.clone());
        orders.by_session.insert(
            order.session_id.clone(),
            OrderRecord {
                session_id: order.session_id.clone(),
                event_id: order.event_id.clone(),
                amount_total: order.amount_total,
                currency: order.currency.clone(),
                fulfilled_at: unix_now(),
            },
        );
    }
}

impl Fulfillment for InMemoryFulfillment {
    fn fulfill<'a>(&'a self, order: &'a PaidOrder) -> BoxFuture<'a, Result<(), FulfillmentError>> {
        self.record(order);
        tracing::info!(session_id = %order.session_id, event_id = %order.event_id, "order fulfilled");
        Box::pin(async { Ok(()) })
    }

    fn order<'a>(&'a self, session_id: &'a str) -> BoxFuture<'a, Option<OrderRecord>> {
        let record = self.lock().by_session.get(session_id).cloned();
        Box::pin(async move { record })
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn paid(id: &str) -> PaidOrder {
        PaidOrder {
            session_id: id.into(),
            event_id: format!("evt_{id}"),
            amount_total: Some(1500),
            currency: Some("usd".into()),
            mode: None,
            client_reference_id: None,
            customer_email: None,
            metadata: BTreeMap::new(),
        }
    }

    #[tokio::test]
    async fn records_once_per_session_and_stays_bounded() {
        let f = InMemoryFulfillment::with_capacity(2);
        f.fulfill(&paid("a")).await.unwrap();
        let mut again = paid("a");
        again.event_id = "evt_other".into();
        f.fulfill(&again).await.unwrap();
        assert_eq!(f.order("a").await.unwrap().event_id, "evt_a");
        f.fulfill(&paid("b")).await.unwrap();
        f.fulfill(&paid("c")).await.unwrap();
        assert_eq!(f.len(), 2);
        assert!(f.order("a").await.is_none(), "oldest dropped");
        assert_eq!(f.order("c").await.unwrap().amount_total, Some(1500));
    }
}
