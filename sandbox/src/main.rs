//! The `stripe-sandbox` binary: the emulator alone on `HOST:PORT` (default
//! 127.0.0.1:12111, stripe-mock's port), printing `listening on http://<addr>`.
//! Point any Stripe client at it with a `sk_test_…` key. It is served through
//! [`checkout_listener::Listener`], with the same client limits and variables
//! as `checkout-server` (`HEADER_READ_TIMEOUT_MS`, `REQUEST_TIMEOUT_MS`,
//! `IDLE_TIMEOUT_MS`, `MAX_CONNECTIONS`).
//!
//! Environment: `SANDBOX_SESSION_TTL_SECS`, `SANDBOX_RATE_LIMIT` (requests per
//! second, off by default), `SANDBOX_LATENCY_MS` (e.g. `150-400`, off by
//! default), read by [`SandboxOptions::from_env`] as `checkout-server` reads
//! them in emulator mode; `CHECKOUT_CATALOGUE`, the merchant's catalogue
//! file whose prices it holds (default: the demo shop's). It counts the connections it accepts (`GET /sandbox/stats`,
//! `connections_accepted`).

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use checkout_listener::{declared_length_exceeds, Limits, Listener};
use stripe_sandbox::{router_with_state, SandboxOptions, SandboxState, StripeApiError, BODY_LIMIT};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stripe-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let host = std::env::var("HOST").unwrap_or_else(|_| "127.0.0.1".to_owned());
    let port: u16 = match std::env::var("PORT") {
        Ok(p) => p
            .parse()
            .map_err(|_| format!("PORT must be a number between 0 and 65535, got {p:?}"))?,
        Err(_) => 12111,
    };
    let mut options = SandboxOptions::from_env()?;
    // The merchant's catalogue (the file checkout-server reads), else the demo's.
    if let Some(path) = std::env::var_os("CHECKOUT_CATALOGUE").filter(|p| !p.is_empty()) {
        let catalogue = checkout_catalogue::Catalogue::load(std::path::Path::new(&path))?;
        options.catalogue = Arc::new(catalogue);
    }
    if let Some(rate) = options.rate_limit {
        tracing::info!(rate, "rate limit: requests per second");
    }
    if let Some(latency) = options.latency {
        tracing::info!(%latency, "latency injected per API call");
    }
    let state = Arc::new(SandboxState::new(&options));
    let limits = Limits::from_env()?;
    let listener = tokio::net::TcpListener::bind((host.as_str(), port))
        .await
        .map_err(|e| format!("could not bind {host}:{port}: {e}"))?;
    let addr = listener.local_addr()?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{addr}")?;
        stdout.flush()?;
    }
    state.count_connections();
    let counted = state.clone();
    let app = checkout_listener::guard(
        router_with_state(state).layer(from_fn(refuse_declared_oversize)),
        &limits,
    );
    Listener::new(listener, limits)
        .on_accept(move || counted.connection_accepted())
        .serve(app, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// `413` in Stripe's error shape, before reading the body, for a declared
/// `Content-Length` over [`BODY_LIMIT`].
async fn refuse_declared_oversize(request: Request, next: Next) -> Response {
    if declared_length_exceeds(request.headers(), BODY_LIMIT) {
        return StripeApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            ..StripeApiError::bad_request(format!(
                "The request body is too large (limit {} KiB).",
                BODY_LIMIT / 1024
            ))
        }
        .into_response();
    }
    next.run(request).await
}
