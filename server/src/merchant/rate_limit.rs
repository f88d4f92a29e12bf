//! Per-client limits on the merchant endpoints that call Stripe (session
//! creation, the updates, the status reads), with tower_governor: each
//! client gets `burst` requests at once, refilled at `per_minute`; past
//! them, 429 with `Retry-After` and the merchant error shape
//! ([`Refusal::TryAgain`]: "try again in a moment"), before any Stripe call.
//! One bot cannot then spend the merchant's Stripe rate limit (Stripe allows
//! about 100 operations per second in live mode) and lock real customers
//! out. The client is the peer address, or, behind a proxy that sets them,
//! `X-Forwarded-For` / `X-Real-IP` / `Forwarded` (`RATE_LIMIT_CLIENT=forwarded`;
//! only behind a proxy: a client can set these headers itself).

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use axum::response::IntoResponse;
use checkout_protocol::Refusal;
use governor::middleware::NoOpMiddleware;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::{KeyExtractor, PeerIpKeyExtractor, SmartIpKeyExtractor};
use tower_governor::{GovernorError, GovernorLayer};

use super::ApiError;
use crate::config::rate_limit::{ClientKey, RateLimit};

impl KeyExtractor for ClientKey {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        let key = match self {
            ClientKey::Peer => PeerIpKeyExtractor.extract(request),
            ClientKey::Forwarded => SmartIpKeyExtractor.extract(request),
        };
        // No address (an in-process request, as in tests): one shared key.
        Ok(key.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }
}

/// The layer of `limit`: one limiter shared by every route it wraps.
pub(crate) fn layer(limit: RateLimit) -> Option<GovernorLayer<ClientKey, NoOpMiddleware, Body>> {
    let period = Duration::from_millis(60_000 / u64::from(limit.per_minute.max(1)));
    let config = GovernorConfigBuilder::default()
        .period(period)
        .burst_size(limit.burst.max(1))
        .key_extractor(limit.client)
        .finish()?;
    let config = Arc::new(config);
    // Forget clients that have been quiet for a while (bounded memory).
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        let limiter = Arc::downgrade(&config);
        runtime.spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                let Some(config) = limiter.upgrade() else {
                    break;
                };
                config.limiter().retain_recent();
            }
        });
    }
    Some(GovernorLayer::new(config).error_handler(too_many))
}

#[allow(clippy::needless_pass_by_value)] // the handler's signature
fn too_many(error: GovernorError) -> Response<Body> {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            tracing::info!(retry_after_s = wait_time, "per-client limit reached: 429");
            let mut response =
                ApiError::with_status(Refusal::TryAgain, StatusCode::TOO_MANY_REQUESTS)
                    .into_response();
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(wait_time.max(1)),
            );
            response
        }
        other => {
            tracing::error!(error = ?other, "per-client limit failed");
            ApiError::internal().into_response()
        }
    }
}
