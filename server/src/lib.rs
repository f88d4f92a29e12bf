//! `checkout-server`: the merchant server for Stripe Checkout Sessions with
//! server-side dynamic updates (subscription interval, discounts, trial,
//! quantity), on the merchant's own catalogue.
//!
//! It talks to the Stripe API over HTTP ([`stripe_client`]) with the
//! server-update beta version header. In its default build (feature
//! `sandbox`) it can also serve the offline Stripe emulator
//! (`stripe-sandbox`) on the same listener, only when asked (`--emulator`,
//! `CHECKOUT_MODE=emulator`); `--no-default-features` builds a server that
//! can only talk to Stripe.
//!
//! Build the whole application with [`App`] —
//! `App::new(config).discount_policy(..).trial_policy(..).customer_identity(..).fulfillment(..).store(..).router()`,
//! every step but the first and the last optional; [`app()`] is the
//! one-liner `App::new(config).router()` — or run it as the binary does with
//! [`serve::main`] (configuration, catalogue check, order store, the
//! [`checkout_listener::Listener`] that bounds slow and numerous clients,
//! graceful shutdown).
//!
//! The modules, each using only those before it: [`metrics`] (names and
//! labels), [`store`] (the order store), [`fulfillment`] (the hook),
//! [`stripe_client`] (Stripe's API, made from its own
//! [`StripeClientOptions`]), [`policy`] (the merchant's async rules and the
//! customer), [`config`] (what the server knows at start-up: the client's
//! options, the catalogue), [`merchant`] (the endpoints), [`ops`] (health,
//! readiness, metrics), the emulator mounted beside them (feature
//! `sandbox`), `app/` (the builder that puts everything together) and
//! [`serve`].

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
    Anonymous, CatalogueShippingPolicy, Customer, CustomerDiscountPolicy, CustomerIdentity,
    Discount, DiscountPolicy, Order, PolicyError, PolicyFuture, ShippingAddress, ShippingOption,
    ShippingPolicy, ShippingQuote, TrialPolicy, YearlyTrialPolicy,
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
