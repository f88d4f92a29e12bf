//! The Stripe.js calls besides `runServerUpdate` that hand back a session:
//! `confirm` (Pay) and `updateEmail` (the email field). The lifecycle makes
//! them so that it alone writes the session they return; each is made while
//! holding a [`Turn`].

#![cfg(not(feature = "ssr"))]
#![cfg_attr(not(feature = "payment"), allow(dead_code))]

use crate::error::CheckoutError;
use crate::lifecycle::{Lifecycle, Turn};
use crate::stripe_js::{ConfirmOutcome, EmailOutcome};
use wasm_bindgen::JsValue;

impl Lifecycle {
    /// `confirm({redirect: 'if_required'})`, with `express` (a wallet's
    /// `confirm` event, or `undefined`) as `expressCheckoutConfirmEvent`;
    /// once complete, the session Stripe.js holds then is shown. `None`
    /// when the checkout is not ready.
    pub(crate) async fn confirm(
        self,
        _turn: &Turn,
        express: &JsValue,
    ) -> Option<Result<ConfirmOutcome, CheckoutError>> {
        let checkout = self.checkout()?;
        let outcome = checkout.confirm_with(express).await;
        if !self.context.is_alive() {
            return None;
        }
        if let Ok(ConfirmOutcome::Complete) = outcome {
            if let Ok(session) = checkout.session_value() {
                self.follow_session(&session);
            }
        }
        Some(outcome)
    }

    /// `updateEmail(email)`; once accepted, the session Stripe.js returned is
    /// shown. `None` when the checkout is not ready, or when `wanted` (asked
    /// once Stripe.js has answered) says the caller is gone.
    pub(crate) async fn update_email(
        self,
        _turn: &Turn,
        email: &str,
        wanted: impl FnOnce() -> bool,
    ) -> Option<Result<EmailOutcome, CheckoutError>> {
        let checkout = self.checkout()?;
        let outcome = checkout.update_email(email).await;
        if !self.context.is_alive() || !wanted() {
            return None;
        }
        if let Ok(EmailOutcome::Accepted(session)) = &outcome {
            self.follow_session(session);
        }
        Some(outcome)
    }

    /// `updateShippingOption(id)`; once selected, the session Stripe.js
    /// returned is shown. `Ok(Err(message))`: Stripe.js refused it. `None`
    /// when the checkout is not ready or is gone.
    #[cfg(feature = "shipping")]
    pub(crate) async fn update_shipping_option(
        self,
        _turn: &Turn,
        id: &str,
    ) -> Option<Result<Result<(), String>, CheckoutError>> {
        let checkout = self.checkout()?;
        let outcome = checkout.update_shipping_option(id).await;
        if !self.context.is_alive() {
            return None;
        }
        Some(outcome.map(|selected| selected.map(|session| self.follow_session(&session))))
    }
}
