//! `checkout-server`: the merchant server for Stripe Checkout Sessions with
//! server-side dynamic updates (subscription interval and discounts), plus an
//! offline sandbox that stands in for the Stripe API when no keys are set.
//!
//! Build the whole application with [`app`] (or [`app_with_policy`] for a
//! custom [`DiscountPolicy`]).

#![deny(missing_docs)]

pub mod config;
pub mod discount;
pub mod merchant;
pub mod sandbox;
pub mod stats;
pub mod stripe_client;

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::Instrument;

pub use config::{Config, Mode, SecretKey, Train};
pub use discount::{Discount, DiscountPolicy, SeedsPolicy};
pub use stripe_client::{CheckoutSession, StripeClient, StripeError};

/// The application with the default discount policy ([`SeedsPolicy`]).
pub fn app(config: Config) -> Router {
    app_with_policy(config, Arc::new(SeedsPolicy::default()))
}

/// The application: merchant routes, the sandbox routes in sandbox mode, and
/// the static files of `config.static_dir` (with `index.html` for `/`) as fallback.
/// Every response carries [`config::CONTENT_SECURITY_POLICY`],
/// `X-Content-Type-Options: nosniff` and `Referrer-Policy: same-origin`.
pub fn app_with_policy(config: Config, policy: Arc<dyn DiscountPolicy>) -> Router {
    let stripe = StripeClient::from_config(&config);
    let static_dir = config.static_dir.clone();
    let mode = config.mode;
    let sandbox_options = sandbox::SandboxOptions {
        session_ttl: config.session_ttl,
        ..Default::default()
    };
    let sandbox_state = Arc::new(sandbox::SandboxState::new(sandbox_options));
    let mut router = merchant::router(merchant::MerchantState {
        config: Arc::new(config),
        stripe,
        policy,
        requests: sandbox_state.merchant_requests.clone(),
    });
    if mode == Mode::Sandbox {
        router = router.merge(sandbox::router_with_state(sandbox_state));
    }
    if let Some(dir) = static_dir {
        router = router.fallback_service(ServeDir::new(dir).append_index_html_on_directories(true));
    }
    router
        .layer(TraceLayer::new_for_http())
        .layer(middleware::from_fn(request_id))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(config::CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

/// The response header carrying the id this server gave the request.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Gives every incoming request an id (`mreq_...`): all its log lines carry it
/// (span `request`), and the response returns it as `x-request-id`.
async fn request_id(req: Request, next: Next) -> Response {
    let id = sandbox::store::new_id("mreq", 16);
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.uri().path()
    );
    let mut response = next.run(req).instrument(span.clone()).await;
    span.in_scope(|| tracing::info!(status = response.status().as_u16(), "request finished"));
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}
