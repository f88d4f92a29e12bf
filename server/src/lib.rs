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
//! Build the whole application with [`app`] (or [`app_with_policies`] for a
//! custom [`DiscountPolicy`] and [`TrialPolicy`]) and serve it with a
//! [`checkout_listener::Listener`] (the binary does), which bounds slow and
//! numerous clients.

#![deny(missing_docs)]

pub mod config;
#[cfg(feature = "sandbox")]
pub mod emulator;
pub mod fulfillment;
pub mod log_safe;
pub mod merchant;
pub mod policy;

pub mod request_id;
pub mod security;
pub mod static_files;
pub mod stripe_client;
pub mod webhook_signature;

use std::sync::Arc;

use axum::extract::Request;
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use checkout_listener::declared_length_exceeds;

pub use checkout_protocol::Train;
pub use config::Previews;
pub use config::{Config, Mode};
pub use fulfillment::{Fulfillment, FulfillmentError, InMemoryFulfillment, OrderRecord, PaidOrder};
pub use policy::{
    CustomerDiscountPolicy, Discount, DiscountPolicy, Plan, TrialPolicy, YearlyTrialPolicy,
};
pub use request_id::REQUEST_ID_HEADER;
pub use stripe_client::{
    CheckoutSession, SecretKey, StripeClient, StripeClientOptions, StripeError,
};
pub use webhook_signature::WebhookSecret;

use axum::Router;

/// The application with the default policies ([`CustomerDiscountPolicy`],
/// [`YearlyTrialPolicy`]).
pub fn app(config: Config) -> Router {
    app_with_policy(config, Arc::new(CustomerDiscountPolicy::default()))
}

/// The application with a custom discount policy (and the default trial policy).
pub fn app_with_policy(config: Config, policy: Arc<dyn DiscountPolicy>) -> Router {
    app_with_policies(config, policy, Arc::new(YearlyTrialPolicy::default()))
}

/// The application with custom policies and the default fulfilment
/// ([`InMemoryFulfillment`]).
pub fn app_with_policies(
    config: Config,
    policy: Arc<dyn DiscountPolicy>,
    trials: Arc<dyn TrialPolicy>,
) -> Router {
    app_with_fulfillment(
        config,
        policy,
        trials,
        Arc::new(InMemoryFulfillment::default()),
    )
}

/// The application: the merchant routes (`POST /webhook` passes paid orders
/// to `fulfillment`), the emulator's routes in emulator mode (feature
/// `sandbox`; the server then registers its own `/webhook` with it), and the
/// static files of `config.static_dir` (with `index.html` for `/`) as
/// fallback, precompressed and with caching headers ([`static_files`]). Every response carries the security headers of [`security`] and
/// an `x-request-id`, those of the request guards included
/// ([`checkout_listener::guard`] with `config.listener`: request timeout, head
/// sizes) and the `413` of a body declared over its route's limit.
pub fn app_with_fulfillment(
    #[cfg_attr(not(feature = "sandbox"), allow(unused_mut))] mut config: Config,
    policy: Arc<dyn DiscountPolicy>,
    trials: Arc<dyn TrialPolicy>,
    fulfillment: Arc<dyn Fulfillment>,
) -> Router {
    let stripe = StripeClient::new(config.stripe.clone());
    let limits = config.listener;
    let static_dir = config.static_dir.clone();
    #[cfg(feature = "sandbox")]
    let emulator = (config.mode == Mode::Emulator).then(|| emulator::start(&mut config));
    let mut router = merchant::router(merchant::MerchantState {
        config: Arc::new(config),
        stripe,
        policy,
        trials,
        prices: Arc::default(),
        fulfillment,
        handled: Arc::default(),
    });
    #[cfg(feature = "sandbox")]
    if let Some(state) = emulator {
        router = emulator::mount(router, state);
    }
    if let Some(dir) = static_dir {
        router = router.fallback_service(static_files::router(dir));
    }
    let router = checkout_listener::guard(router.layer(from_fn(refuse_declared_oversize)), &limits);
    security::with_security_headers(request_id::with_request_ids(router))
}

/// `413` at once, before reading the body, when a request declares a
/// `Content-Length` over its route's limit: the emulator's
/// (`stripe_sandbox::BODY_LIMIT`, 64 KiB, Stripe's error shape) under `/v1/`
/// and `/sandbox/` in emulator mode, [`merchant::BODY_LIMIT`] (16 KiB, the
/// merchant error shape) everywhere else.
async fn refuse_declared_oversize(request: Request, next: Next) -> Response {
    #[cfg(feature = "sandbox")]
    if is_emulator_path(request.uri().path()) {
        if declared_length_exceeds(request.headers(), stripe_sandbox::BODY_LIMIT) {
            return emulator_too_large().into_response();
        }
        return next.run(request).await;
    }
    if declared_length_exceeds(request.headers(), merchant::BODY_LIMIT) {
        return merchant::ApiError::too_large().into_response();
    }
    next.run(request).await
}

/// The emulator's paths (its API, the Stripe.js stand-in, its controls).
#[cfg(feature = "sandbox")]
fn is_emulator_path(path: &str) -> bool {
    path.starts_with("/v1/") || path.starts_with("/sandbox/")
}

/// The emulator's `413`, in Stripe's error shape.
#[cfg(feature = "sandbox")]
fn emulator_too_large() -> stripe_sandbox::StripeApiError {
    stripe_sandbox::StripeApiError {
        status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        ..stripe_sandbox::StripeApiError::bad_request(format!(
            "The request body is too large (limit {} KiB).",
            stripe_sandbox::BODY_LIMIT / 1024
        ))
    }
}
