//! The offline emulator inside `checkout-server` (feature `sandbox`, on by
//! default): its settings, and mounting `stripe-sandbox` beside the merchant
//! routes on the same listener, so the dev setup serves everything from one
//! port.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use stripe_sandbox::middleware::latency::Latency;
use stripe_sandbox::{RouteCounts, SandboxOptions, SandboxState, DEFAULT_SESSION_TTL};

use checkout_protocol::endpoints;

use crate::config::{positive_ms, Config, ConfigError};
use crate::merchant::webhook::HANDLED_EVENTS;
use crate::webhook_signature::WebhookSecret;

/// The emulator's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmulatorConfig {
    /// Lifetime of its sessions (`SANDBOX_SESSION_TTL_SECS`, default 24 h).
    pub session_ttl: Duration,
    /// The Stripe.js stand-in's `runServerUpdate` timeout
    /// (`SANDBOX_UPDATE_TIMEOUT_MS`), passed as `?update_timeout_ms=N` on `stripeJsUrl`.
    pub update_timeout_ms: Option<u64>,
    /// Requests per second its API accepts before answering 429 `rate_limit`
    /// (`SANDBOX_RATE_LIMIT`; none by default).
    pub rate_limit: Option<u32>,
    /// A Stripe-like delay on each of its API calls (`SANDBOX_LATENCY_MS`,
    /// e.g. `150-400`; none by default).
    pub latency: Option<Latency>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            session_ttl: DEFAULT_SESSION_TTL,
            update_timeout_ms: None,
            rate_limit: None,
            latency: None,
        }
    }
}

impl EmulatorConfig {
    /// Reads `SANDBOX_SESSION_TTL_SECS`, `SANDBOX_UPDATE_TIMEOUT_MS`,
    /// `SANDBOX_RATE_LIMIT` and `SANDBOX_LATENCY_MS` through `get`.
    pub(crate) fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut config = Self::default();
        if let Some(ttl) = get("SANDBOX_SESSION_TTL_SECS") {
            let secs: u64 =
                ttl.trim()
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or(ConfigError::Invalid {
                        name: "SANDBOX_SESSION_TTL_SECS",
                        value: ttl.clone(),
                        expected: "a positive number of seconds",
                    })?;
            config.session_ttl = Duration::from_secs(secs);
        }
        if let Some(ms) = get("SANDBOX_UPDATE_TIMEOUT_MS") {
            config.update_timeout_ms = Some(positive_ms("SANDBOX_UPDATE_TIMEOUT_MS", &ms)?);
        }
        if let Some(rate) = get("SANDBOX_RATE_LIMIT") {
            config.rate_limit = Some(rate.trim().parse().ok().filter(|r| *r > 0).ok_or(
                ConfigError::Invalid {
                    name: "SANDBOX_RATE_LIMIT",
                    value: rate.clone(),
                    expected: "a positive number of requests per second",
                },
            )?);
        }
        if let Some(ms) = get("SANDBOX_LATENCY_MS") {
            config.latency = Some(Latency::parse(&ms).ok_or(ConfigError::Invalid {
                name: "SANDBOX_LATENCY_MS",
                value: ms.clone(),
                expected: "milliseconds, a range like 150-400 or one value (at most 60000)",
            })?);
        }
        Ok(config)
    }

    /// The stand-in's URL with these settings.
    pub(crate) fn stripe_js_url(&self, base: &str) -> String {
        match self.update_timeout_ms {
            Some(ms) => {
                let sep = if base.contains('?') { '&' } else { '?' };
                format!("{base}{sep}update_timeout_ms={ms}")
            }
            None => base.to_owned(),
        }
    }
}

/// The emulator's state for `config`, with the merchant's own `/webhook`
/// registered as a webhook endpoint (`{config.stripe.base}/webhook`, for the
/// checkout events the merchant handles); its secret becomes
/// `config.webhook_secret`, as `STRIPE_WEBHOOK_SECRET` would with Stripe.
pub(crate) fn start(config: &mut Config) -> Arc<SandboxState> {
    let state = Arc::new(SandboxState::new(SandboxOptions {
        session_ttl: config.emulator.session_ttl,
        rate_limit: config.emulator.rate_limit,
        latency: config.emulator.latency,
        ..Default::default()
    }));
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
