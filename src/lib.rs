//! Leptos components for Stripe Checkout Sessions in custom UI mode whose
//! merchant server changes the session during checkout (Stripe's "dynamic
//! updates", beta `custom_checkout_server_updates_1`).
//!
//! Put the components inside a [`CheckoutProvider`]; each control calls the
//! merchant server inside `checkout.runServerUpdate`, one update at a time,
//! and shows the session as Stripe.js reports it.
//!
//! - [`SubscriptionIntervalSwitch`]: monthly ⇄ yearly (`role="switch"`).
//! - [`ApplyDiscountButton`]: the merchant's customer discount.
//! - [`UpdateStatus`]: the `role="alert"` region for failures.
//! - [`OrderSummary`]: line items, discount and total.
#![deny(missing_docs)]

mod demo;
mod discount_button;
mod error;
mod interval_switch;
mod order_summary;
mod provider;
mod server_update;
pub mod session;
pub mod stripe_js;
mod update_status;

pub use demo::CheckoutDemo;
pub use discount_button::{ApplyDiscountButton, DISCOUNT_ENDPOINT, DISCOUNT_ID};
pub use error::CheckoutError;
pub use interval_switch::{SubscriptionIntervalSwitch, SWITCH_ENDPOINT, SWITCH_ID};
pub use order_summary::OrderSummary;
pub use provider::{use_checkout, CheckoutContext, CheckoutProvider, CheckoutState};
pub use update_status::UpdateStatus;
