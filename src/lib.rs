//! Leptos components for Stripe Checkout Sessions in custom UI mode whose
//! merchant server changes the session during checkout (Stripe's "dynamic
//! updates", beta `custom_checkout_server_updates_1`).
//!
//! Put the components inside a [`CheckoutProvider`]; each control calls the
//! merchant server through [`use_server_update`], which runs the request
//! inside Stripe.js's `runServerUpdate`, one update at a time per checkout,
//! and shows the session as Stripe.js reports it.
//!
//! ```no_run
//! use leptos::prelude::*;
//! use leptos_stripe_checkout::*;
//!
//! # fn app() -> impl IntoView {
//! view! {
//!     <CheckoutProvider>
//!         <SubscriptionIntervalSwitch/>
//!         <ApplyDiscountButton/>
//!         <UpdateStatus/>
//!         <OrderSummary/>
//!     </CheckoutProvider>
//! }
//! # }
//! ```
//!
//! - [`SubscriptionIntervalSwitch`]: monthly ⇄ yearly (`role="switch"`).
//! - [`ApplyDiscountButton`]: the merchant's customer discount.
//! - [`TrialOffer`]: the merchant's free trial on yearly plans.
//! - [`LineItemQuantity`]: a line item's quantity.
//! - [`UpdateStatus`]: the alert and status live regions.
//! - [`OrderSummary`]: line items, discounts, trial and total.
//! - [`PaymentForm`]: the customer's email (when the session has none), the
//!   Payment Element and the Pay button.
//! - [`OrderConfirmation`]: "Order confirmed" from the server's fulfilment record.
//! - [`ExpressCheckout`]: Stripe's Express Checkout Element (wallet buttons).
//!
//! Cargo features (all in `default`; pay only for what you use with
//! `default-features = false, features = ["csr", …]`): `trial`
//! ([`TrialOffer`]), `quantity` ([`LineItemQuantity`]), `payment`
//! ([`PaymentForm`], [`OrderConfirmation`]), `express` ([`ExpressCheckout`];
//! it needs `payment`), `events` (the page hears the
//! widget: DOM events and the provider's callbacks, module [`host_events`]),
//! `embed` (the `mount()` export),
//! `locale-fr` and `locale-ja` (or `locales`: [`Labels::fr`], [`Labels::ja`]).
//! Without them, the guides' four controls — switch, discount, status and
//! summary — remain.
//!
//! Four Stripe.js release trains are spoken ([`Train`]): basil (default),
//! clover, dahlia and endive. Pages that are not Leptos apps use the JS export
//! `mount(element, options)` (module [`embed`]).
#![deny(missing_docs)]
// The views' types nest deep (tachys): the hydrate build of the switch
// inside its `Show` overflowed the default query depth of 128 in a
// non-incremental build (a fresh clone's), as rustc's help suggests.
#![recursion_limit = "256"]
// Under `ssr` the browser-only half (Stripe.js, fetch) is compiled but never called.
#![cfg_attr(feature = "ssr", allow(dead_code))]

#[cfg(feature = "add-ons")]
mod add_on;
mod controls;
mod demo;
mod discount_button;
#[cfg(not(feature = "ssr"))]
mod early;
#[cfg(feature = "payment")]
mod email_field;
#[cfg(all(feature = "embed", not(feature = "ssr")))]
pub mod embed;
mod error;
#[cfg(feature = "express")]
mod express_checkout;
pub mod host_events;
#[cfg(not(feature = "ssr"))]
mod http;
mod instances;
mod interval_switch;
mod labels;
mod layout;
mod lifecycle;
#[cfg(feature = "quantity")]
mod line_item_quantity;
mod log;
mod messages;
pub mod money;
#[cfg(feature = "payment")]
mod order_confirmation;
mod order_summary;
#[cfg(feature = "payment")]
mod payment_form;
mod previews;
mod provider;
mod read_only;
mod server_update;
pub mod session;
mod setup;
#[cfg(feature = "shipping")]
mod shipping_address;
#[cfg(feature = "shipping")]
mod shipping_options;
mod state;
mod storage;
pub mod stripe_js;
#[cfg(all(feature = "payment", not(feature = "ssr")))]
mod theme;
#[cfg(feature = "trial")]
mod trial_offer;
mod ui;
mod update_status;
mod wire;
mod wording;

/// The widget's stylesheet (`style/checkout.css`, shipped with the crate):
/// serve it, or write it into your build. Its custom properties
/// (`--lsc-…`) are the theming surface; see the README, "Layout".
pub const STYLESHEET: &str = include_str!("../style/checkout.css");

#[cfg(feature = "add-ons")]
pub use add_on::{AddOn, ADD_ON_ENDPOINT};
pub use demo::CheckoutDemo;
pub use discount_button::{ApplyDiscountButton, DISCOUNT_ENDPOINT, DISCOUNT_ID};
pub use error::CheckoutError;
#[cfg(feature = "express")]
pub use express_checkout::ExpressCheckout;
pub use interval_switch::{SubscriptionIntervalSwitch, SWITCH_ENDPOINT, SWITCH_ID};
pub use labels::{fill, Labels};
#[cfg(feature = "quantity")]
pub use line_item_quantity::{LineItemQuantity, DEFAULT_MAX_QUANTITY, QUANTITY_ENDPOINT};
#[cfg(feature = "payment")]
pub use order_confirmation::{OrderConfirmation, ORDER_STATUS_ENDPOINT};
pub use order_summary::{OrderSummary, MAX_NAME_CHARS};
#[cfg(feature = "payment")]
pub use payment_form::PaymentForm;
pub use provider::CheckoutProvider;
pub use read_only::ReadOnly;
pub use server_update::{use_server_update, Field, Fields, ServerUpdate};
pub use setup::{
    ClientSecretSource, DEFAULT_CLIENT_SECRET_URL, DEFAULT_CONFIG_URL, DEFAULT_STATUS_URL,
};
#[cfg(feature = "shipping")]
pub use shipping_address::{ShippingAddress, SHIPPING_ENDPOINT};
#[cfg(feature = "shipping")]
pub use shipping_options::ShippingOptions;
pub use state::{
    use_checkout, use_checkout_context, CheckoutContext, CheckoutState, CheckoutStatus, Closed,
    Freshness,
};
pub use stripe_js::Train;
#[cfg(feature = "trial")]
pub use trial_offer::{TrialOffer, TRIAL_ENDPOINT};
pub use update_status::UpdateStatus;
pub use wire::ShapeError;
