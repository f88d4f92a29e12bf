//! The built widget (`STATIC_DIR`), served as a production server would:
//! precompressed (the build writes `.br` and `.gz` beside each text asset;
//! `scripts/trunk-post-build.mjs`), with `Vary: Accept-Encoding`, and with
//! caching headers that fit the file names.
//!
//! - A name that carries a content hash (Trunk's `-<16 hex digits>` with
//!   `filehash = true`) never changes meaning:
//!   `Cache-Control: public, max-age=31536000, immutable`.
//! - Any other name is stable (`/leptos-stripe-checkout.js`, which embedding
//!   pages import, `index.html`, `init.js`): `Cache-Control: no-cache`, so a
//!   browser keeps it but asks each time (`If-Modified-Since` → `304`), and a
//!   deploy is seen at once.
//!
//! A page that starts the checkout (its HTML names `checkout-start.js`,
//! which fetches `GET /config` and then loads the Stripe.js it names) also
//! carries `Link: <Stripe.js>; rel=preload; as=script`: the browser fetches
//! Stripe.js with the page instead of one round trip later (issue 23; the
//! bench's start rows). Other pages (`/return.html`, a merchant's own) get
//! no such header: an unused preload is a console warning and wasted bytes.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::Request;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

/// For names with a content hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For stable names.
pub const REVALIDATE: &str = "no-cache";

/// A router that serves `dir` (with `index.html` for directories), the
/// precompressed `.br` / `.gz` twin of a file when the request accepts it;
/// pages that start the checkout preload `stripe_js` (`GET /config`'s
/// `stripeJsUrl`).
pub fn router(dir: PathBuf, stripe_js: &str) -> Router {
    let files = ServeDir::new(&dir)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip();
    let preload = HeaderValue::from_str(&format!("<{stripe_js}>; rel=preload; as=script"))
        .ok()
        .map(|header| Arc::new((dir, header)));
    Router::new()
        .fallback_service(files)
        .layer(from_fn(caching_headers))
        .layer(from_fn_with_state(preload, preload_stripe_js))
}

/// The name a page that starts the checkout has in its HTML.
const STARTS_THE_CHECKOUT: &[u8] = b"checkout-start.js";

async fn preload_stripe_js(
    State(preload): State<Option<Arc<(PathBuf, HeaderValue)>>>,
    request: Request,
    next: Next,
) -> Response {
    let page = html_file(request.uri().path());
    let mut response = next.run(request).await;
    let (Some(preload), Some(page)) = (preload, page) else {
        return response;
    };
    let (dir, header) = &*preload;
    if response.status().is_success() {
        let html = tokio::fs::read(dir.join(page)).await.unwrap_or_default();
        if html
            .windows(STARTS_THE_CHECKOUT.len())
            .any(|w| w == STARTS_THE_CHECKOUT)
        {
            response.headers_mut().append(header::LINK, header.clone());
        }
    }
    response
}

/// The HTML file a request path names under the site's directory (`/` →
/// `index.html`, `/guides/` → `guides/index.html`, `/embed.html`), for plain
/// paths only: nothing percent-encoded and no `..`, so that it never names
/// a file outside the directory (`ServeDir` answers such paths itself).
fn html_file(path: &str) -> Option<String> {
    let relative = path.strip_prefix('/')?;
    let plain = relative
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'));
    if !plain || relative.split('/').any(|part| part == "..") {
        return None;
    }
    if relative.is_empty() || relative.ends_with('/') {
        Some(format!("{relative}index.html"))
    } else {
        relative.ends_with(".html").then(|| relative.to_owned())
    }
}

async fn caching_headers(request: Request, next: Next) -> Response {
    let cache = cache_control(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}

/// The `Cache-Control` for a request path.
pub fn cache_control(path: &str) -> &'static str {
    if has_content_hash(path) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// Whether the file name ends in `-<16 hex digits>` before its extension(s)
/// (`app-0123456789abcdef_bg.wasm`, `style-0123456789abcdef.css`).
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split(['-', '.', '_']).any(|part| {
        part.len() == 16
            && part
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }) && name.contains('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_immutable_stable_names_revalidate() {
        for path in [
            "/leptos-stripe-checkout-0123456789abcdef_bg.wasm",
            "/leptos-stripe-checkout-0123456789abcdef.js",
            "/checkout-fedcba9876543210.css",
        ] {
            assert_eq!(cache_control(path), IMMUTABLE, "{path}");
        }
        for path in [
            "/",
            "/index.html",
            "/init.js",
            "/leptos-stripe-checkout.js",
            "/leptos-stripe-checkout_bg.wasm",
            "/embed.html",
            "/deadbeefdeadbeef.js",
            "/a-0123456789ABCDEF.js",
        ] {
            assert_eq!(cache_control(path), REVALIDATE, "{path}");
        }
    }
}
