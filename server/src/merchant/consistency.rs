//! After an update lands: does the session hold only what the policies allow
//! its line items, and if a concurrent update made it not, the repair.
//!
//! Every update sends only what it changes and what the policies derive
//! from it ([`Cart::params`]), so an update computed from a read that
//! predates a concurrent one may leave that one's discount or trial behind:
//! an interval change read a session without a trial, a trial landed, then
//! the interval change landed without touching the trial. Stripe answers
//! every update with the session as it left it, and an update that writes
//! line items knows exactly which line items it left (it sends the whole
//! array). So the session's discount (`total_details.amount_discount`) and
//! trial (the server's [`TRIAL_METADATA_KEY`]) are checked against the
//! policies for those line items at once, with no extra call; only when they
//! disagree is the session read again and the difference written, pinned to
//! the line items read (so that it lands on exactly those, or is refused
//! and tried again). See docs/consistency.md.

use super::cart::{trial_marker, Cart, DiscountChange, TrialChange, TRIAL_METADATA_KEY};
use super::error::ApiError;
use super::MerchantState;
use crate::policy::Plan;
use crate::stripe_client::CheckoutSession;

/// Repairs one update may make before it leaves the session to the update
/// that raced it (which checks what it left in turn).
pub(crate) const MAX_REPAIRS: usize = 3;

/// Whether `session` holds only what the policies allow `plan`: no discount
/// or exactly the discount policy's for its subtotal, and no trial or exactly
/// the trial policy's.
pub(crate) fn holds(state: &MerchantState, plan: &Plan<'_>, session: &CheckoutSession) -> bool {
    let subtotal = session.amount_subtotal.unwrap_or(plan.subtotal);
    let discount = session
        .total_details
        .as_ref()
        .map_or(0, |t| t.amount_discount);
    let has_discount = discount > 0 || session.discounts.as_ref().is_some_and(|d| !d.is_empty());
    let would_be = CheckoutSession {
        id: session.id.clone(),
        mode: session.mode.clone(),
        currency: session.currency.clone(),
        amount_subtotal: Some(subtotal),
        amount_total: Some(subtotal),
        ..Default::default()
    };
    let discount_ok = !has_discount
        || state
            .policy
            .discount_for(&would_be)
            .is_some_and(|allowed| allowed.amount_off == discount);
    let trial_ok = trial_marker(session).is_none_or(|days| {
        state.trials.trial_days(&Plan {
            interval: plan.interval,
            subtotal,
        }) == Some(days)
    });
    discount_ok && trial_ok
}

/// Makes sure the session `written` left (`after`, Stripe's answer to the
/// update) holds what the policies allow; when a concurrent update made it
/// not, reads it again and writes the discount and trial the policies give
/// what it holds, at most [`MAX_REPAIRS`] times. The update itself stands
/// whatever happens here: failures are logged, not answered.
pub(crate) async fn settle(state: &MerchantState, written: &Cart, after: &CheckoutSession) {
    if holds(state, &written.plan(), after) {
        return;
    }
    let id = &written.session.id;
    for attempt in 1..=MAX_REPAIRS {
        tracing::warn!(
            attempt,
            "a concurrent update left the session with a discount or trial its line items do not allow; repairing"
        );
        let cart = match Cart::read(state, id, ApiError::from).await {
            Ok(cart) => cart,
            // Closed, gone or unreadable: nothing more this update can do.
            Err(error) => {
                tracing::warn!(
                    status = error.status.as_u16(),
                    "could not read the session to repair it"
                );
                return;
            }
        };
        if holds(state, &cart.plan(), &cart.session) {
            return;
        }
        let params = cart.params(state, DiscountChange::Follow, TrialChange::Follow);
        if params.discounts.is_none() && params.subscription_data.is_none() {
            // What is wrong is not this server's to write (a preview is off).
            tracing::warn!("the session holds a discount or trial a preview that is off would fix");
            return;
        }
        match cart.write(state, &params, ApiError::from).await {
            Ok(after) if holds(state, &cart.plan(), &after) => return,
            // Another update landed meanwhile, or this one was refused: again.
            Ok(_) | Err(_) => {}
        }
    }
    tracing::error!(
        key = TRIAL_METADATA_KEY,
        "the session still holds a discount or trial its line items do not allow after {MAX_REPAIRS} repairs"
    );
}
