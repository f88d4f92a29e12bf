//! The request guards that run inside the application (so that their
//! answers pass through the application's own layers: security headers,
//! request ids, the request log): the whole-request timeout, the head-size
//! limits, and the declared-body-size check.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::limits::Limits;

/// `app` with the request guards of `limits`:
///
/// - a request target over [`Limits::max_uri_bytes`] → `414`;
/// - header fields over [`Limits::max_header_bytes`] → `431`;
/// - no answer [`Limits::request_timeout`] after the head: `408` (and the
///   connection closed) while the body is still arriving, `503` once it has
///   arrived (the application is too slow).
///
/// Apply it inside the layers that should mark these answers too.
pub fn guard(app: Router, limits: &Limits) -> Router {
    app.layer(from_fn_with_state(*limits, guard_request))
}

async fn guard_request(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    if target_len(request.uri()) > limits.max_uri_bytes {
        return plain(StatusCode::URI_TOO_LONG, "The request URI is too long.\n");
    }
    if header_bytes(request.headers()) > limits.max_header_bytes {
        return plain(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "The request header fields are too large.\n",
        );
    }
    let body_done = Arc::new(AtomicBool::new(http_body::Body::is_end_stream(
        request.body(),
    )));
    let request = if body_done.load(Ordering::Relaxed) {
        request
    } else {
        let done = body_done.clone();
        request.map(|inner| Body::new(WatchedBody { inner, done }))
    };
    match tokio::time::timeout(limits.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) if body_done.load(Ordering::Relaxed) => {
            tracing::warn!(
                timeout_ms = limits.request_timeout.as_millis(),
                "no answer within the request timeout: 503"
            );
            plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "The server could not answer in time.\n",
            )
        }
        Err(_) => {
            tracing::info!(
                timeout_ms = limits.request_timeout.as_millis(),
                "request body too slow: 408"
            );
            let mut response = plain(
                StatusCode::REQUEST_TIMEOUT,
                "The request body took too long to arrive.\n",
            );
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

/// Whether `headers` declare a `Content-Length` above `limit`: refuse such a
/// request with `413` before reading its body (a body sent without a length
/// is cut at the limit by axum's `DefaultBodyLimit` as it arrives).
pub fn declared_length_exceeds(headers: &HeaderMap, limit: usize) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > limit as u64)
}

/// The length of the request target as it was sent.
fn target_len(uri: &Uri) -> usize {
    uri.scheme_str().map_or(0, |s| s.len() + 3)
        + uri.authority().map_or(0, |a| a.as_str().len())
        + uri.path_and_query().map_or(0, |p| p.as_str().len())
}

/// The size of the header fields as sent: `name: value\r\n` each.
fn header_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// A request body that records when it has been read to its end.
struct WatchedBody {
    inner: Body,
    done: Arc<AtomicBool>,
}

impl http_body::Body for WatchedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) || self.inner.is_end_stream() {
            self.done.store(true, Ordering::Relaxed);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn declared_lengths() {
        let mut h = HeaderMap::new();
        assert!(!declared_length_exceeds(&h, 10));
        h.insert(header::CONTENT_LENGTH, HeaderValue::from_static("10"));
        assert!(!declared_length_exceeds(&h, 10));
        h.insert(header::CONTENT_LENGTH, HeaderValue::from_static("99999999"));
        assert!(declared_length_exceeds(&h, 16 * 1024));
    }

    #[test]
    fn sizes_as_sent() {
        let uri: Uri = "/config?x=1".parse().unwrap();
        assert_eq!(target_len(&uri), 11);
        let uri: Uri = "http://a.example/x".parse().unwrap();
        assert_eq!(target_len(&uri), 18);
        let mut h = HeaderMap::new();
        h.insert("host", HeaderValue::from_static("a"));
        assert_eq!(header_bytes(&h), "host: a\r\n".len());
    }
}
