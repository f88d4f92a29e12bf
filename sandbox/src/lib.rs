//! `stripe-sandbox`: an offline, stateful emulation of the parts of the
//! Stripe API a Checkout Sessions integration with server-side updates uses,
//! plus a stand-in for Stripe.js, so that a whole checkout runs with no
//! Stripe account and no network.
//!
//! (Not to be confused with a Stripe *sandbox*, which is a test account hosted
//! by Stripe: this is a local program that answers like Stripe's API.)
//!
//! - `/v1/checkout/sessions` (create, retrieve, update, expire), `/v1/coupons`,
//!   `/v1/prices/{id}`: form-encoded, `Authorization: Bearer sk_test_…`,
//!   `Stripe-Version` checked, Stripe's error shape, a `Request-Id` on every answer;
//! - `/v1/payment_pages/{id}/{init,confirm}`: what the Stripe.js stand-in calls;
//! - `/sandbox/{basil,clover,dahlia,endive}/stripe.js`: the Stripe.js stand-in
//!   ([`stand_in`]);
//! - `/v1/webhook_endpoints`, `/v1/events`: webhooks, delivered signed
//!   ([`webhooks`]);
//! - any other `/v1` route or method: Stripe's 404 JSON error ([`unrecognized`]);
//! - `/sandbox/faults`, `/sandbox/stats`, `/sandbox/requests` (what was
//!   sent: [`request_log`]): test controls ([`control`]);
//! - the `SANDBOX_*` variables: read once, in [`env`](mod@env), for the binary and
//!   for `checkout-server`'s emulator mode.
//!
//! Serve [`router`] alone (the `stripe-sandbox` binary does, like stripe-mock)
//! or merge it into another application (`checkout-server` does in its
//! default build). The layout follows stripe-mock and moto: [`error`],
//! [`middleware`], [`params`], one module per resource
//! ([`checkout_sessions`], [`coupons`], [`prices`], [`payment_pages`]), the
//! objects as data ([`model`]) and their storage ([`store`]). Each resource
//! and layer owns its state and gets only that (its router's `with_state`,
//! its layer's `from_fn_with_state`); [`state`] composes them, and no module
//! depends on one that depends on it.
#![deny(missing_docs)]

pub mod checkout_sessions;
pub mod control;
pub mod coupons;
pub mod customers;
pub mod env;
pub mod error;
#[cfg(test)]
mod fixtures;
pub mod ids;
pub mod limits;
pub mod list;
pub mod middleware;
pub mod model;
pub mod options;
pub mod params;
pub mod payment_pages;
pub mod prices;
pub mod render;
pub mod request_log;
pub mod stand_in;
pub mod state;
pub mod stats;
pub mod store;
pub mod unrecognized;
pub mod webhooks;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::{from_fn, from_fn_with_state, map_request, Next};
use axum::response::Response;
use axum::routing::any;
use axum::Router;

pub use env::EnvError;
pub use error::StripeApiError;
pub use limits::BODY_LIMIT;
pub use options::{SandboxOptions, DEFAULT_SESSION_TTL};
pub use stand_in::StandInOptions;
pub use state::SandboxState;
pub use stats::RouteCounts;

/// The emulator's routes with fresh state and `options`.
pub fn router(options: &SandboxOptions) -> Router {
    router_with_state(Arc::new(SandboxState::new(options)))
}

/// The emulator's routes over `state` (keep a clone of it to read its
/// counters or add your own with [`SandboxState::counter`]).
///
/// Around the secret-key API, from the outside in: the injected latency, the
/// rate limiter, the faults (Checkout Sessions only), the API key, and the
/// idempotency layer next to the endpoint, so that what those outer layers
/// refuse is never saved for replays, as on Stripe.
pub fn router_with_state(state: Arc<SandboxState>) -> Router {
    let sessions = checkout_sessions::routes(state.sessions.clone())
        .route_layer(from_fn_with_state(
            state.idempotency.clone(),
            middleware::idempotency::idempotent,
        ))
        .route_layer(from_fn(middleware::auth::require_secret_key))
        .route_layer(from_fn_with_state(
            state.faults.clone(),
            middleware::faults::inject_faults,
        ))
        .route_layer(from_fn_with_state(
            state.rate_limit.clone(),
            middleware::rate_limit::limit_rate,
        ))
        .route_layer(from_fn_with_state(
            state.latency.clone(),
            middleware::latency::inject_latency,
        ));
    let catalog = coupons::routes(state.coupons.clone())
        .merge(customers::routes(state.customers.clone()))
        .merge(prices::routes(state.prices.clone()))
        .merge(webhooks::routes(
            state.webhooks.clone(),
            state.store.clone(),
        ))
        .route(unrecognized::CATCH_ALL, any(unrecognized::unrecognized))
        .route_layer(from_fn_with_state(
            state.idempotency.clone(),
            middleware::idempotency::idempotent,
        ))
        .route_layer(from_fn(middleware::auth::require_secret_key))
        .route_layer(from_fn_with_state(
            state.rate_limit.clone(),
            middleware::rate_limit::limit_rate,
        ))
        .route_layer(from_fn_with_state(
            state.latency.clone(),
            middleware::latency::inject_latency,
        ));
    let api = sessions
        .merge(catalog)
        .merge(payment_pages::routes(
            state.store.clone(),
            state.webhooks.clone(),
        ))
        .method_not_allowed_fallback(unrecognized::unrecognized)
        .layer(middleware::request_id::propagate_layer())
        .layer(middleware::request_id::set_layer())
        .layer(map_request(middleware::request_id::drop_client_id))
        .layer(from_fn_with_state(
            state.request_log.clone(),
            request_log::record,
        ));
    api.merge(control::routes(state.clone()))
        .merge(request_log::routes(state.request_log.clone()))
        .merge(stand_in::routes())
        .route_layer(from_fn_with_state(state, count_requests))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// Counts every request by `METHOD route`, and the idempotency keys of
/// `POST`s as they arrive.
async fn count_requests(
    State(state): State<Arc<SandboxState>>,
    req: Request,
    next: Next,
) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
    state
        .stats
        .requests
        .incr(&format!("{} {route}", req.method()));
    if req.method() == Method::POST {
        if let Some(key) = middleware::idempotency::request_key(req.headers()) {
            state.idempotency.observe(key);
        }
    }
    next.run(req).await
}
