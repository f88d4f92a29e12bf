//! `checkout-server`: the merchant server for Stripe Checkout Sessions with
//! server-side dynamic updates (subscription interval, discounts, trial,
//! quantity).
//!
//! It talks to the Stripe API over HTTP ([`stripe_client`]) with the
//! server-update beta version header. In its default build (feature
//! `sandbox`) it also serves the offline Stripe emulator (`stripe-sandbox`)
//! on the same listener when no keys are set; `--no-default-features` builds
//! a server that can only talk to Stripe.
//!
//! Build the whole application with [`App`] —
//! `App::new(config).discount_policy(..).trial_policy(..).fulfillment(..).router()`,
//! every step but the first and the last optional; [`app()`] is the
//! one-liner `App::new(config).router()` — and serve it with a
//! [`checkout_listener::Listener`] (the binary does), which bounds slow and
//! numerous clients.
//!
//! The modules, each using only those before it: [`stripe_client`]
//! (Stripe's API, made from its own [`StripeClientOptions`]), [`policy`] (the
//! merchant's rules), [`config`] (what the server knows at start-up; it
//! holds the client's options), [`merchant`] (the endpoints), the emulator
//! mounted beside them (feature `sandbox`), and `app.rs`, the builder that
//! puts everything together.

#![deny(missing_docs)]

mod app;
pub mod catalogue_check;
pub mod config;
#[cfg(feature = "sandbox")]
pub mod emulator;
pub mod fulfillment;
pub mod log_safe;
pub mod merchant;
pub mod metrics;
pub mod ops;
pub mod policy;
pub mod request_id;
pub mod security;
pub mod serve;
pub mod static_files;
pub mod store;
pub mod stripe_client;
pub mod webhook_signature;

use axum::Router;

pub use app::App;
pub use checkout_protocol::Train;
pub use config::{Config, Mode, Previews};
pub use fulfillment::{Fulfillment, FulfillmentError, OrderLine, OrderRecord, RecordOnly};
pub use policy::{
    Anonymous, Customer, CustomerDiscountPolicy, CustomerIdentity, Discount, DiscountPolicy, Order,
    PolicyError, PolicyFuture, TrialPolicy, YearlyTrialPolicy,
};
pub use request_id::REQUEST_ID_HEADER;
pub use store::{Store, StoreError};
pub use stripe_client::{
    CheckoutSession, SecretKey, StripeClient, StripeClientOptions, StripeError,
};
pub use webhook_signature::WebhookSecret;

/// The application with the defaults: `App::new(config).router()`.
pub fn app(config: Config) -> Router {
    App::new(config).router()
}
