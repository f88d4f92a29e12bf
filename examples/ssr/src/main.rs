//! The server of the SSR example: `GET /` renders the checkout page with the
//! widget (Leptos `ssr`), and everything else is checkout-server's
//! application: the merchant endpoints, the offline Stripe emulator when asked (`CHECKOUT_MODE=emulator`; no
//! keys are set, and the hydrating wasm under `/pkg/` from `SSR_SITE_DIR`
//! (default `target/ssr-site`, built by `scripts/ssr-example.sh`). The
//! stylesheet is the crate's own ([`leptos_stripe_checkout::STYLESHEET`]).
//!
//! Binds `HOST:PORT` (default `127.0.0.1:3000`) and prints
//! `listening on http://<addr>`.

use std::path::PathBuf;

use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use checkout_server::{app, security, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let host = std::env::var("HOST").unwrap_or_else(|_| "127.0.0.1".to_owned());
    let port: u16 = std::env::var("PORT")
        .ok()
        .map(|p| p.parse())
        .transpose()
        .map_err(|_| "PORT must be a number between 0 and 65535")?
        .unwrap_or(3000);
    let listener = tokio::net::TcpListener::bind((host.as_str(), port)).await?;
    let addr = listener.local_addr()?;
    let mut config = Config::from_env(&format!("http://{addr}"))?;
    // The wasm and its loader; `/` itself is rendered below.
    config.static_dir = Some(
        std::env::var("SSR_SITE_DIR")
            .map_or_else(|_| PathBuf::from("target/ssr-site"), PathBuf::from),
    );
    let page = security::with_security_headers(
        Router::new()
            .route("/", get(page))
            .route("/checkout.css", get(stylesheet)),
    );
    let router = page.merge(app(config));
    println!("listening on http://{addr}");
    axum::serve(listener, router).await?;
    Ok(())
}

/// The widget's stylesheet, as the crate ships it.
async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        leptos_stripe_checkout::STYLESHEET,
    )
}

/// The page: the widget's server-rendered HTML in `#app`, the stylesheet,
/// and the module that hydrates it (no inline script: the CSP forbids it).
async fn page() -> Html<String> {
    let content = checkout_ssr_example::render();
    let root = checkout_ssr_example::ROOT_ID;
    Html(format!(
        r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Server-rendered checkout</title>
    <link rel="stylesheet" href="/checkout.css" />
    <link rel="icon" href="/favicon.svg" />
    <link rel="modulepreload" href="/pkg/checkout_ssr_example.js" />
  </head>
  <body>
    <div id="{root}">{content}</div>
    <script type="module" src="/pkg/hydrate.js"></script>
  </body>
</html>
"#
    ))
}
