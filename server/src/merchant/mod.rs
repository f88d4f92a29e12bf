//! The merchant endpoints the widget calls, one file each: `session.rs`
//! (`/config`, `/create-checkout-session`), `interval.rs`, `discounts.rs`
//! (`/update-discounts`, `/apply-customer-discount`), `trial.rs`,
//! `quantity.rs`, `shipping.rs` (`/calculate-shipping-options`),
//! `add_on.rs` (`/update-add-on`), `status.rs` (`/checkout-session-status`) and
//! `order_status.rs` (the customer's return); and Stripe's deliveries,
//! `webhook.rs` (`/webhook`); both fulfil through `fulfil.rs`.
//!
//! Every update is one Stripe call that writes the line items and what the
//! [`DiscountPolicy`], [`TrialPolicy`] and [`ShippingPolicy`] derive from
//! them (`shipping_options.rs`), only as far as
//! the update changes it (`cart.rs`), and then checks what Stripe says it
//! left, repairing a concurrent update's leftovers (`consistency.rs`), so a
//! session never holds a discount, trial or quantity the policies forbid,
//! whatever the concurrency and however many server instances (the
//! invariant of [`crate::policy`]). The Stripe client
//! retries that call with one idempotency key, so it is applied at most once,
//! and every request has one deadline for all its calls
//! ([`MerchantState::for_request`]).
//!
//! Handlers return `Result<Json<T>, ApiError>`; request bodies are JSON
//! objects ([`extract::ApiJson`]); every error answers
//! `{"type":"error","message":…}`. Session ids are validated before they
//! reach a Stripe URL. Each request runs in one span and its outcome is
//! logged once (`outcome.rs`); details of failures go to the logs only, never
//! to the client.

mod add_on;
mod cart;
mod consistency;
mod discounts;
mod error;
mod extract;
pub mod fulfil;
mod ids;
mod interval;
pub mod messages;
mod order_status;
mod origin;
mod outcome;
mod prices;
mod quantity;
mod rate_limit;
mod session;
mod shipping;
mod shipping_options;
mod status;
pub mod timing;
mod trial;
pub mod webhook;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use checkout_protocol::endpoints;

pub use cart::TRIAL_METADATA_KEY;
pub use error::ApiError;
pub use extract::ApiJson;
pub use ids::{is_valid_line_item_id, is_valid_session_id};
pub use messages::*;
pub use prices::PriceCache;

use crate::config::Config;
use crate::fulfillment::Fulfillment;
use crate::policy::{CustomerIdentity, DiscountPolicy, ShippingPolicy, TrialPolicy};
use crate::store::Store;
use crate::stripe_client::StripeClient;

/// Maximum size of a merchant request body (but `/webhook`'s).
pub const BODY_LIMIT: usize = 16 * 1024;

/// The body limit of the merchant route at `path`: [`BODY_LIMIT`], or
/// [`webhook::WEBHOOK_BODY_LIMIT`] for Stripe's deliveries. One limit per
/// route, for declared and chunked bodies alike.
pub fn body_limit_of(path: &str) -> usize {
    if path == endpoints::WEBHOOK {
        webhook::WEBHOOK_BODY_LIMIT
    } else {
        BODY_LIMIT
    }
}

/// Shared state of the merchant routes.
#[derive(Clone)]
pub struct MerchantState {
    /// Configuration (keys, prices).
    pub config: Arc<Config>,
    /// The Stripe API client.
    pub stripe: StripeClient,
    /// The discount rules.
    pub policy: Arc<dyn DiscountPolicy>,
    /// The trial rules.
    pub trials: Arc<dyn TrialPolicy>,
    /// The shipping rules.
    pub shipping: Arc<dyn ShippingPolicy>,
    /// Who starts a checkout (`/create-checkout-session`).
    pub identity: Arc<dyn CustomerIdentity>,
    /// The configured prices, read once.
    pub prices: Arc<PriceCache>,
    /// What paid orders become (`POST /webhook`, `POST /order-status`).
    pub fulfillment: Arc<dyn Fulfillment>,
    /// Fulfilled orders and handled webhook events.
    pub store: Store,
}

impl MerchantState {
    /// This state for one merchant request: every Stripe call it makes,
    /// retries included, ends by one deadline ([`Config::update_deadline`]),
    /// so the customer hears back before Stripe.js's `runServerUpdate` gives
    /// up (20 s); past it the answer is 503 "try again".
    pub fn for_request(mut self) -> Self {
        self.stripe = self
            .stripe
            .until(std::time::Instant::now() + self.config.update_deadline);
        self
    }
}

/// The merchant routes (with their 16 KiB body limit), given their state;
/// those that call Stripe for a page (all `POST`s but `/webhook`) behind the
/// per-client limit of `state.config.rate_limit`, if any.
pub fn router(state: MerchantState) -> Router {
    let limited = state.config.rate_limit.and_then(rate_limit::layer);
    let page_post = |handler: MethodRouter<MerchantState>| match &limited {
        Some(layer) => handler.layer(layer.clone()),
        None => handler,
    };
    Router::new()
        .route(endpoints::CONFIG, get(session::config))
        .route(
            endpoints::CREATE_CHECKOUT_SESSION,
            page_post(post(session::create_checkout_session)),
        )
        .route(
            endpoints::CHANGE_SUBSCRIPTION_INTERVAL,
            page_post(post(interval::change_subscription_interval)),
        )
        .route(
            endpoints::UPDATE_DISCOUNTS,
            page_post(post(discounts::update_discounts)),
        )
        .route(
            endpoints::APPLY_CUSTOMER_DISCOUNT,
            page_post(post(discounts::apply_customer_discount)),
        )
        .route(
            endpoints::EXTEND_TRIAL_FOR_YEARLY,
            page_post(post(trial::extend_trial_for_yearly)),
        )
        .route(
            endpoints::UPDATE_LINE_ITEM_QUANTITY,
            page_post(post(quantity::update_line_item_quantity)),
        )
        .route(
            endpoints::CALCULATE_SHIPPING_OPTIONS,
            page_post(post(shipping::calculate_shipping_options)),
        )
        .route(
            endpoints::UPDATE_ADD_ON,
            page_post(post(add_on::update_add_on)),
        )
        .route(
            endpoints::CHECKOUT_SESSION_STATUS,
            page_post(post(status::checkout_session_status)),
        )
        .route(
            endpoints::ORDER_STATUS,
            page_post(post(order_status::order_status)),
        )
        .route(
            endpoints::WEBHOOK,
            post(webhook::webhook).layer(DefaultBodyLimit::max(webhook::WEBHOOK_BODY_LIMIT)),
        )
        .route_layer(from_fn_with_state(
            state.config.clone(),
            origin::guard_origin,
        ))
        .route_layer(from_fn(outcome::log_outcome))
        .route_layer(from_fn(timing::server_timing))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}
