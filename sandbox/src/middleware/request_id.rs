//! `Request-Id: req_…` on every API response, as Stripe sends it, through
//! tower-http's request-id layers (set on the request, then copied to the
//! response).

use axum::http::{HeaderName, Request};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};

use crate::ids::new_id;

/// The header Stripe names its request ids in.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");

/// Makes `req_` + 14 random alphanumerics.
#[derive(Debug, Clone, Copy, Default)]
pub struct MakeStripeRequestId;

impl MakeRequestId for MakeStripeRequestId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        new_id("req", 14).parse().ok().map(RequestId::new)
    }
}

/// Drops a `Request-Id` a client sent: Stripe names its own requests.
pub async fn drop_client_id<B>(mut request: Request<B>) -> Request<B> {
    request.headers_mut().remove(REQUEST_ID);
    request
}

/// Sets a fresh id on each request (after [`drop_client_id`]).
pub fn set_layer() -> SetRequestIdLayer<MakeStripeRequestId> {
    SetRequestIdLayer::new(REQUEST_ID, MakeStripeRequestId)
}

/// Copies the request's id to the response.
pub fn propagate_layer() -> PropagateRequestIdLayer {
    PropagateRequestIdLayer::new(REQUEST_ID)
}
