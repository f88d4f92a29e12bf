//! The `Origin` check of the merchant endpoints.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use checkout_protocol::Refusal;

use super::error::ApiError;
use crate::config::Config;
use crate::log_safe::log_safe;

/// Refuses (403) a `POST` whose `Origin` header is not one of
/// `Config::allowed_origins`. Requests without `Origin` (not from a browser,
/// or same-origin `GET`s) pass.
pub(crate) async fn guard_origin(
    State(config): State<Arc<Config>>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() == Method::POST {
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            let allowed = origin.to_str().is_ok_and(|o| config.origin_allowed(o));
            if !allowed {
                tracing::warn!(
                    origin = %log_safe(&String::from_utf8_lossy(origin.as_bytes())),
                    path = %log_safe(req.uri().path()),
                    "refused a request from a foreign origin"
                );
                return ApiError::from(Refusal::ForbiddenOrigin).into_response();
            }
        }
    }
    next.run(req).await
}
