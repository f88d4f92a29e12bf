//! Request ids (`x-request-id`: the client's or proxy's when well formed,
//! else `mreq_…`) through tower-http's request-id layers, and the `request`
//! span every log line of a request carries.

use axum::extract::Request;
use axum::http::{HeaderName, Response};
use axum::middleware::map_request;
use axum::Router;
use rand::distr::{Alphanumeric, SampleString};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::log_safe::log_safe;

/// The response header carrying the id this server gave the request.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

const HEADER: HeaderName = HeaderName::from_static(REQUEST_ID_HEADER);

/// Makes `mreq_` + 16 random alphanumerics.
#[derive(Debug, Clone, Copy, Default)]
struct MakeMerchantRequestId;

impl MakeRequestId for MakeMerchantRequestId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let id = format!("mreq_{}", Alphanumeric.sample_string(&mut rand::rng(), 16));
        id.parse().ok().map(RequestId::new)
    }
}

/// The longest client request id kept.
pub const MAX_CLIENT_ID_LEN: usize = 128;

/// Whether a client's (or a proxy's) request id is kept: 1 to
/// [`MAX_CLIENT_ID_LEN`] characters of `A-Z a-z 0-9 - _ . :` (a UUID, a
/// load balancer's trace id). Anything else could forge log lines and is
/// replaced by an id of this server's.
pub fn is_well_formed_id(id: &[u8]) -> bool {
    (1..=MAX_CLIENT_ID_LEN).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// A well-formed id a client sent is kept (one id across the proxy's logs
/// and this server's); any other is dropped, and the server names the request.
async fn keep_well_formed_client_id(mut request: Request) -> Request {
    let keep = request
        .headers()
        .get(HEADER)
        .is_some_and(|id| is_well_formed_id(id.as_bytes()));
    if !keep {
        request.headers_mut().remove(HEADER);
    }
    request
}

fn make_span(request: &Request) -> Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %log_safe(request.method().as_str()),
        path = %log_safe(request.uri().path())
    )
}

fn on_response<B>(response: &Response<B>, _latency: std::time::Duration, _span: &Span) {
    tracing::info!(status = response.status().as_u16(), "request finished");
}

/// `router` with an id on every request (in its span, and returned as
/// [`REQUEST_ID_HEADER`]): a well-formed incoming one is kept.
pub fn with_request_ids(router: Router) -> Router {
    router
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(make_span)
                .on_response(on_response),
        )
        .layer(PropagateRequestIdLayer::new(HEADER))
        .layer(SetRequestIdLayer::new(HEADER, MakeMerchantRequestId))
        .layer(map_request(keep_well_formed_client_id))
}
