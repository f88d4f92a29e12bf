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
//! Build the whole application with [`app`] (or [`app_with_policy`] for a
//! custom [`DiscountPolicy`]).

#![deny(missing_docs)]

pub mod config;
pub mod discount;
#[cfg(feature = "sandbox")]
pub mod emulator;
pub mod log_safe;
pub mod merchant;
pub mod request_id;
pub mod security;
pub mod stripe_client;

use std::sync::Arc;

use tower_http::services::ServeDir;

pub use checkout_protocol::Train;
pub use config::{Config, Mode, SecretKey};
pub use discount::{CustomerDiscountPolicy, Discount, DiscountPolicy};
pub use request_id::REQUEST_ID_HEADER;
pub use stripe_client::{CheckoutSession, StripeClient, StripeError};

use axum::Router;

/// The application with the default discount policy ([`CustomerDiscountPolicy`]).
pub fn app(config: Config) -> Router {
    app_with_policy(config, Arc::new(CustomerDiscountPolicy::default()))
}

/// The application: the merchant routes, the emulator's routes in emulator
/// mode (feature `sandbox`), and the static files of `config.static_dir`
/// (with `index.html` for `/`) as fallback. Every response carries the
/// security headers of [`security`] and an `x-request-id`.
pub fn app_with_policy(config: Config, policy: Arc<dyn DiscountPolicy>) -> Router {
    let stripe = StripeClient::from_config(&config);
    let static_dir = config.static_dir.clone();
    #[cfg(feature = "sandbox")]
    let emulator = (config.mode == Mode::Emulator).then_some(config.emulator);
    let mut router = merchant::router(merchant::MerchantState {
        config: Arc::new(config),
        stripe,
        policy,
    });
    #[cfg(feature = "sandbox")]
    if let Some(settings) = emulator {
        router = emulator::mount(router, &settings);
    }
    if let Some(dir) = static_dir {
        router = router.fallback_service(ServeDir::new(dir).append_index_html_on_directories(true));
    }
    security::with_security_headers(request_id::with_request_ids(router))
}
