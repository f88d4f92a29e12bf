//! The security headers of every response.

use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// The `Content-Security-Policy` of every checkout-server response: the
/// page's own scripts (and the wasm: `'wasm-unsafe-eval'`, never
/// `'unsafe-inline'` or `'unsafe-eval'`), plus what Stripe's security guide
/// lists for Stripe.js (docs.stripe.com/security/guide#content-security-policy,
/// docs/research-stripe-api.md §8): scripts and frames from
/// `https://js.stripe.com` and `https://*.js.stripe.com`, 3-D Secure frames
/// from `https://hooks.stripe.com`, API calls to `https://api.stripe.com`.
/// The guide's `https://maps.googleapis.com` (the Address Element's
/// autocomplete) is left out: the widget mounts no Address Element.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://js.stripe.com https://*.js.stripe.com; frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com; connect-src 'self' https://api.stripe.com";

const HEADERS: [(HeaderName, &str); 3] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "same-origin"),
];

/// [`CONTENT_SECURITY_POLICY`], `X-Content-Type-Options: nosniff` and
/// `Referrer-Policy: same-origin`, for the answers the listener writes
/// itself (the connection cap's `503`, a slow head's `408`).
pub fn headers() -> HeaderMap {
    HEADERS
        .into_iter()
        .map(|(name, value)| (name, HeaderValue::from_static(value)))
        .collect()
}

/// `router` with [`headers`] on every response.
pub fn with_security_headers(router: Router) -> Router {
    HEADERS.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ))
    })
}
