//! Request ids (`x-request-id: mreq_…`) through tower-http's request-id
//! layers, and the `request` span every log line of a request carries.

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

/// An id a client sent is dropped: this server names its own requests, so a
/// log line's id is never the client's text.
async fn drop_client_id(mut request: Request) -> Request {
    request.headers_mut().remove(HEADER);
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
/// [`REQUEST_ID_HEADER`]).
pub fn with_request_ids(router: Router) -> Router {
    router
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(make_span)
                .on_response(on_response),
        )
        .layer(PropagateRequestIdLayer::new(HEADER))
        .layer(SetRequestIdLayer::new(HEADER, MakeMerchantRequestId))
        .layer(map_request(drop_client_id))
}
