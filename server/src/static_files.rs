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

use std::path::PathBuf;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

/// For names with a content hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For stable names.
pub const REVALIDATE: &str = "no-cache";

/// A router that serves `dir` (with `index.html` for directories), the
/// precompressed `.br` / `.gz` twin of a file when the request accepts it.
pub fn router(dir: PathBuf) -> Router {
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(from_fn(caching_headers))
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
