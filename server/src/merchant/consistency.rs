//! After an update lands: does the session hold only what the policies allow
//! its line items (discount, trial, shipping options), and if a concurrent
//! update made it not, the repair.
//!
//! Every update sends only what it changes and what the policies derive
//! from it ([`Cart::params`]), so an update computed from a read that
//! predates a concurrent one may leave that one's discount or trial behind:
//! an interval change read a session without a trial, a trial landed, then
//! the interval change landed without touching the trial. Stripe answers
//! every update with the session as it left it, and an update that writes
//! line items knows exactly which line items it left (it sends the whole
//! array). So the session's discount (`total_details.amount_discount`),
//! trial (the server's [`TRIAL_METADATA_KEY`]) and shipping options (their
//! count and amounts, for the address it holds: a quantity change read
//! before an address landed sends no options, and leaves those priced for
//! the old quantity) are checked against the policies for those line items at once,
//! with no extra call; only when they
//! disagree is the session read again and the difference written, pinned to
//! the line items read (so that it lands on exactly those, or is refused
//! and tried again). See docs/consistency.md.

use super::cart::{order_of, trial_marker, Cart, DiscountChange, TrialChange, TRIAL_METADATA_KEY};
use super::error::ApiError;
use super::shipping_options;
use super::MerchantState;
use crate::stripe_client::CheckoutSession;

/// Repairs one update may make before it leaves the session to the update
/// that raced it (which checks what it left in turn).
pub(crate) const MAX_REPAIRS: usize = 3;

/// Whether `session` holds only what the policies allow the line items of
/// `cart` (their interval, and the subtotal Stripe reports): no discount or
/// exactly the discount policy's, no trial or exactly the trial policy's,
/// and the shipping options the shipping policy gives its address
/// ([`shipping_options::hold`]).
/// A policy that cannot decide now counts as "holds": nothing to repair
/// on a guess (the update that asks next decides again).
pub(crate) async fn holds(state: &MerchantState, cart: &Cart, session: &CheckoutSession) -> bool {
    let subtotal = session.amount_subtotal.unwrap_or_else(|| cart.subtotal());
    let discount = session
        .total_details
        .as_ref()
        .map_or(0, |t| t.amount_discount);
    let has_discount = discount > 0 || session.discounts.as_ref().is_some_and(|d| !d.is_empty());
    let order = order_of(session, cart.interval(), subtotal, &cart.customer);
    let discount_ok = !has_discount
        || match state.policy.discount_for(&order).await {
            Ok(allowed) => allowed.is_some_and(|allowed| allowed.amount_off == discount),
            Err(_) => true,
        };
    let trial_ok = match trial_marker(session) {
        None => true,
        Some(days) => match state.trials.trial_days(&order).await {
            Ok(allowed) => allowed == Some(days),
            Err(_) => true,
        },
    };
    discount_ok && trial_ok && shipping_options::hold(state, cart, session).await
}

/// Makes sure the session `written` left (`after`, Stripe's answer to the
/// update) holds what the policies allow; when a concurrent update made it
/// not, reads it again and writes the discount and trial the policies give
/// what it holds, at most [`MAX_REPAIRS`] times. The update itself stands
/// whatever happens here: failures are logged, not answered.
pub(crate) async fn settle(state: &MerchantState, written: &Cart, after: &CheckoutSession) {
    if holds(state, written, after).await {
        return;
    }
    let id = &written.session.id;
    for attempt in 1..=MAX_REPAIRS {
        tracing::warn!(
            attempt,
            "a concurrent update left the session with a discount, trial or shipping options its line items do not allow; repairing"
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
        if holds(state, &cart, &cart.session).await {
            return;
        }
        let Ok(params) = cart
            .params(state, DiscountChange::Follow, TrialChange::Follow)
            .await
        else {
            return;
        };
        if params.discounts.is_none()
            && params.subscription_data.is_none()
            && params.shipping_options.is_none()
        {
            // What is wrong is not this server's to write (a preview is off).
            tracing::warn!("the session holds a discount or trial a preview that is off would fix");
            return;
        }
        // Refused (another update landed meanwhile), or still not holding: again.
        if let Ok(after) = cart.write(state, &params, ApiError::from).await {
            if holds(state, &cart, &after).await {
                return;
            }
        }
    }
    tracing::error!(
        key = TRIAL_METADATA_KEY,
        "the session still holds a discount, trial or shipping options its line items do not allow after {MAX_REPAIRS} repairs"
    );
}
