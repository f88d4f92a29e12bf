//! The offline emulator inside `checkout-server` (feature `sandbox`, on by
//! default): starting `stripe-sandbox` with the options of
//! `Config::emulator` (its `SANDBOX_*` variables, read by `stripe-sandbox`
//! itself) and the merchant's webhook endpoint, and mounting it beside the
//! merchant routes on the same listener, so the dev setup serves everything
//! from one port.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use stripe_sandbox::{RouteCounts, SandboxState};

use checkout_protocol::endpoints;

use crate::config::Config;
use crate::merchant::webhook::HANDLED_EVENTS;
use crate::webhook_signature::WebhookSecret;

/// The emulator's state for `config`, with the merchant's own `/webhook`
/// registered as a webhook endpoint (`{config.stripe.base}/webhook`, for the
/// checkout events the merchant handles); its secret becomes
/// `config.webhook_secret`, as `STRIPE_WEBHOOK_SECRET` would with Stripe.
pub(crate) fn start(config: &mut Config) -> Arc<SandboxState> {
    let state = Arc::new(SandboxState::new(&config.emulator));
    let url = format!("{}{}", config.stripe.base, endpoints::WEBHOOK);
    match state.webhooks.register(&url, &HANDLED_EVENTS) {
        Ok(secret) => {
            tracing::info!(%url, "emulator: the merchant's webhook endpoint is registered");
            config.webhook_secret = Some(WebhookSecret::new(secret));
        }
        Err(e) => {
            tracing::warn!(%url, error = %e.message, "emulator: could not register the merchant's webhook endpoint")
        }
    }
    state
}

/// `merchant` with the emulator merged in; every merchant `POST` is counted
/// and shown by `GET /sandbox/stats` as `merchant_requests`.
pub(crate) fn mount(merchant: Router, state: Arc<SandboxState>) -> Router {
    let counts = state.counter("merchant_requests");
    merchant
        .route_layer(from_fn_with_state(counts, count_posts))
        .merge(stripe_sandbox::router_with_state(state))
}

/// Counts a `POST` by its path.
async fn count_posts(State(counts): State<Arc<RouteCounts>>, req: Request, next: Next) -> Response {
    if req.method() == Method::POST {
        counts.incr(req.uri().path());
    }
    next.run(req).await
}
