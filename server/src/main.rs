//! The `checkout-server` binary: binds `HOST:PORT`, prints `listening on
//! http://<addr>`, and serves the application through
//! [`checkout_listener::Listener`] (timeouts for slow clients, a connection
//! cap) until Ctrl-C or SIGTERM.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use checkout_listener::Listener;
use checkout_server::{security, App, Config, Mode};
use tracing_subscriber::EnvFilter;

/// mimalloc: the server allocates many small, short-lived buffers per request
/// (JSON, headers); it is measurably faster here than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("checkout-server: {e}");
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
        Err(_) => 4242,
    };
    let listener = tokio::net::TcpListener::bind((host.as_str(), port))
        .await
        .map_err(|e| format!("could not bind {host}:{port}: {e}"))?;
    let addr = listener.local_addr()?;
    let config = Config::from_env(&format!("http://{addr}"))?;
    match config.mode {
        Mode::Emulator => tracing::info!(
            "no Stripe keys set (STRIPE_SECRET_KEY is unset): serving the offline Stripe emulator at http://{addr}/v1"
        ),
        Mode::Stripe => {
            tracing::info!(api_base = %config.stripe.base, "Stripe mode: using the Stripe API");
        }
    }
    let limits = config.listener;
    let app = App::new(config).router();
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{addr}")?;
        stdout.flush()?;
    }
    tracing::info!(
        header_read_timeout_ms = limits.header_read_timeout.as_millis(),
        request_timeout_ms = limits.request_timeout.as_millis(),
        idle_timeout_ms = limits.idle_timeout.as_millis(),
        max_connections = limits.effective_max_connections(),
        "client limits"
    );
    Listener::new(listener, limits)
        .with_response_headers(security::headers())
        .serve(app, shutdown_signal())
        .await?;
    tracing::info!("shut down");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("could not listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!("could not listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
