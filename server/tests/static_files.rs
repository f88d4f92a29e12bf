//! The built widget as a production server serves it: the precompressed
//! twin the request accepts, `Vary: Accept-Encoding`, and caching headers
//! that fit the file names.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkout_server::static_files::{router, IMMUTABLE, REVALIDATE};
use http_body_util::BodyExt;
use tower::ServiceExt;

const STRIPE_JS: &str = "https://js.stripe.com/basil/stripe.js";

/// The site, written once per test process: the tests run in parallel, and
/// one rewriting a file while another reads it made the reader see it empty.
fn site() -> std::path::PathBuf {
    static SITE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("checkout-static-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, body) in [
            (
                "index.html",
                r#"<!DOCTYPE html><link rel="modulepreload" href="/checkout-start.js">"#,
            ),
            ("return.html", "<!DOCTYPE html>"),
            ("app.js", "plain"),
            ("app.js.br", "brotli"),
            ("app.js.gz", "gzip"),
            ("app-0123456789abcdef_bg.wasm", "wasm"),
        ] {
            std::fs::write(dir.join(name), body).unwrap();
        }
        dir
    })
    .clone()
}

async fn get(path: &str, accept: Option<&str>) -> (StatusCode, header::HeaderMap, String) {
    let mut request = Request::get(path);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = router(site(), STRIPE_JS)
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn the_accepted_precompressed_twin_is_served() {
    let (status, headers, body) = get("/app.js", Some("br, gzip")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "brotli");
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(headers[header::CONTENT_TYPE], "text/javascript");
    assert_eq!(headers[header::VARY], "accept-encoding");

    let (_, headers, body) = get("/app.js", Some("gzip")).await;
    assert_eq!(body, "gzip");
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");

    let (_, headers, body) = get("/app.js", None).await;
    assert_eq!(body, "plain");
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(headers[header::VARY], "accept-encoding");
}

#[tokio::test]
async fn caching_fits_the_names() {
    let (_, headers, _) = get("/app.js", Some("br")).await;
    assert_eq!(headers[header::CACHE_CONTROL], REVALIDATE);
    let (_, headers, _) = get("/", None).await;
    assert_eq!(headers[header::CACHE_CONTROL], REVALIDATE);
    let (_, headers, _) = get("/app-0123456789abcdef_bg.wasm", None).await;
    assert_eq!(headers[header::CACHE_CONTROL], IMMUTABLE);
    let (status, headers, _) = get("/missing.js", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(headers.get(header::CACHE_CONTROL).is_none());
}

#[tokio::test]
async fn checkout_pages_preload_stripe_js_and_nothing_else_does() {
    let preload = "<https://js.stripe.com/basil/stripe.js>; rel=preload; as=script";
    for path in ["/", "/index.html", "/index.html?x=1"] {
        let (status, headers, _) = get(path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers[header::LINK], preload, "{path}");
    }
    // A page that does not start the checkout, a script, a missing page,
    // paths that are not plain.
    for path in [
        "/return.html",
        "/app.js",
        "/missing/",
        "/%69ndex.html",
        "/../index.html",
    ] {
        let (_, headers, _) = get(path, None).await;
        assert!(headers.get(header::LINK).is_none(), "{path}");
    }
}
