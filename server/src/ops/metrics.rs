//! `GET /metrics` (Prometheus text; with `METRICS_TOKEN` set, only with
//! `Authorization: Bearer <token>`), and the layer that counts every answer
//! by route and status.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use subtle::ConstantTimeEq;

/// The metrics path.
pub const METRICS: &str = "/metrics";

async fn metrics(State(token): State<Option<Arc<str>>>, headers: HeaderMap) -> Response {
    if let Some(token) = token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !bool::from(given.as_bytes().ct_eq(token.as_bytes())) {
            return (
                StatusCode::UNAUTHORIZED,
                "metrics: a bearer token is required\n",
            )
                .into_response();
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(),
    )
        .into_response()
}

/// `GET /metrics`, guarded by `token` when there is one.
pub(crate) fn routes(token: Option<String>) -> Router {
    // Installs the recorder now, so that the first requests are counted.
    let _ = crate::metrics::handle();
    Router::new()
        .route(METRICS, get(metrics))
        .with_state(token.map(Arc::from))
}

/// Counts the answer in `http_requests_total` and its time in
/// `http_request_duration_seconds`, by route template (`static` for the
/// static files, `unmatched` for what no route took: the labels stay few).
pub(crate) async fn count_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let response = next.run(request).await;
    let route = route.unwrap_or_else(|| {
        if response.status() == StatusCode::NOT_FOUND {
            "unmatched".to_owned()
        } else {
            "static".to_owned()
        }
    });
    crate::metrics::http_request(&route, response.status().as_u16(), started.elapsed());
    response
}
