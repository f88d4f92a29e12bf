//! The one fulfilment function of Stripe's "Fulfill orders" guide, called by
//! the webhook and by the customer's return (`POST /order-status`): from
//! the caller only the session id is taken; the session is retrieved from
//! Stripe with its line items and fulfilled only when its `payment_status`
//! says so, exactly once per session ([`crate::store`]).

use super::MerchantState;
use crate::fulfillment::{unix_now, FulfillmentError, OrderLine, OrderRecord};
use crate::store::{Claim, StoreError};
use crate::stripe_client::{CheckoutSession, StripeError};

/// The payment statuses that fulfil (Stripe's guide: `payment_status` is
/// not `unpaid`).
pub const FULFILLED_PAYMENT_STATUSES: [&str; 2] = ["paid", "no_payment_required"];

/// What [`fulfil_checkout`] did.
#[derive(Debug)]
pub enum Fulfilled {
    /// Fulfilled now, by this call.
    Now(OrderRecord),
    /// Fulfilled before (by another event, the return page, an instance).
    Before(OrderRecord),
    /// Not paid (yet): its `payment_status`.
    NotPaid(String),
}

/// Why [`fulfil_checkout`] could not finish: nothing was recorded.
#[derive(Debug, thiserror::Error)]
pub enum FulfilError {
    /// Retrieving the session failed.
    #[error(transparent)]
    Stripe(#[from] StripeError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The merchant's hook failed.
    #[error(transparent)]
    Hook(#[from] FulfillmentError),
}

fn record(session: &CheckoutSession, source: &str) -> OrderRecord {
    OrderRecord {
        session_id: session.id.clone(),
        source: source.to_owned(),
        payment_status: session.payment_status.clone().unwrap_or_default(),
        amount_total: session.amount_total,
        currency: session.currency.clone(),
        mode: session.mode.clone(),
        customer_email: session
            .customer_details
            .as_ref()
            .and_then(|d| d.email.clone())
            .or_else(|| session.customer_email.clone()),
        client_reference_id: session.client_reference_id.clone(),
        line_items: session
            .line_items
            .as_ref()
            .map(|list| {
                list.data
                    .iter()
                    .map(|item| OrderLine {
                        price: item.price.as_ref().map(|p| p.id.clone()),
                        description: item.description.clone(),
                        quantity: item.quantity.unwrap_or(1),
                        amount_total: item.amount_total,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        fulfilled_at: unix_now(),
    }
}

/// Fulfils session `session_id` if it is paid and not fulfilled yet;
/// `source` is what asked (`evt_…`, or `return`).
pub async fn fulfil_checkout(
    state: &MerchantState,
    session_id: &str,
    source: &str,
) -> Result<Fulfilled, FulfilError> {
    if let Some(existing) = state.store.order(session_id).await? {
        return Ok(Fulfilled::Before(existing));
    }
    let session = state
        .stripe
        .retrieve_session(session_id, &["line_items"])
        .await?;
    let payment_status = session.payment_status.clone().unwrap_or_default();
    if !FULFILLED_PAYMENT_STATUSES.contains(&payment_status.as_str()) {
        return Ok(Fulfilled::NotPaid(payment_status));
    }
    match state.store.claim(record(&session, source)).await? {
        Claim::Fulfilled(existing) => Ok(Fulfilled::Before(existing)),
        Claim::New(claim) => {
            crash_point("claimed");
            state.fulfillment.fulfill(claim.record()).await?;
            crash_point("fulfilled-not-committed");
            let record = claim.commit().await?;
            crash_point("committed");
            Ok(Fulfilled::Now(record))
        }
    }
}

/// Stops the process here, for the crash tests, when `CHECKOUT_CRASH_AT`
/// names this point (feature `crash-points` only; absent from real builds):
/// it prints `crash point: <name>` and waits to be killed.
#[cfg(feature = "crash-points")]
fn crash_point(name: &str) {
    if std::env::var("CHECKOUT_CRASH_AT").as_deref() == Ok(name) {
        eprintln!("crash point: {name}");
        loop {
            std::thread::park();
        }
    }
}

#[cfg(not(feature = "crash-points"))]
fn crash_point(_: &str) {}
