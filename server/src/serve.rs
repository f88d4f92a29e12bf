//! What the `checkout-server` binary does, for a merchant's own binary too
//! ([`main`]): reads the configuration (`--emulator` for the offline
//! emulator), checks the catalogue against Stripe, opens and migrates the
//! order store (`DATABASE_URL`), binds `HOST:PORT`, prints `listening on
//! http://<addr>`, and serves the application through
//! [`checkout_listener::Listener`] (timeouts for slow clients, a connection
//! cap, the security headers) until Ctrl-C or SIGTERM.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use checkout_listener::Listener;
use tracing_subscriber::EnvFilter;

use crate::config::{Config, Mode};
use crate::stripe_client::StripeClient;
use crate::{catalogue_check, security, App, Store};

const USAGE: &str = "usage: checkout-server [--emulator]\n\n\
  --emulator  serve the offline Stripe emulator (same as CHECKOUT_MODE=emulator);\n\
              without it, STRIPE_SECRET_KEY and the other Stripe variables are required.\n\
  The README's Configuration section lists the environment variables.";

/// Runs a merchant server as the `checkout-server` binary does, with the
/// application `customize` makes of the default one (its policies,
/// fulfilment, customer identity): logs (`LOG_FORMAT=json`), the command
/// line (`--emulator`), the configuration from the environment, the
/// catalogue checked against Stripe, the order store opened and migrated,
/// `HOST:PORT` bound, the hardened listener with the security headers, and
/// a graceful shutdown on Ctrl-C or SIGTERM. Returns the process's exit code.
///
/// ```no_run
/// # use std::sync::Arc;
/// #[tokio::main]
/// async fn main() -> std::process::ExitCode {
///     checkout_server::serve::main(|app| {
///         app.discount_policy(Arc::new(checkout_server::CustomerDiscountPolicy::default()))
///     })
///     .await
/// }
/// ```
pub async fn main(customize: impl FnOnce(App) -> App) -> ExitCode {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // LOG_FORMAT=json: one JSON object per line (with the request's span
    // fields), for a log pipeline; otherwise text.
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f.trim() == "json");
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        logs.json()
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        logs.with_ansi(std::io::stderr().is_terminal()).init();
    }
    match run(customize).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("checkout-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(customize: impl FnOnce(App) -> App) -> Result<(), Box<dyn std::error::Error>> {
    let mut emulator_flag = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--emulator" => emulator_flag = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}").into()),
        }
    }
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
    let mut config = Config::from_lookup(&format!("http://{addr}"), |name| {
        if name == "CHECKOUT_MODE" && emulator_flag {
            return Some("emulator".to_owned());
        }
        std::env::var(name).ok()
    })?;
    match config.mode {
        Mode::Emulator => tracing::info!(
            "emulator mode: serving the offline Stripe emulator at http://{addr}/v1 (no real payment)"
        ),
        Mode::Stripe => {
            tracing::info!(api_base = %config.stripe.base, mode = config.mode_name(), "Stripe mode: using the Stripe API");
        }
    }
    if config.mode == Mode::Stripe {
        let stripe = StripeClient::new(config.stripe.clone());
        let mut catalogue = (*config.catalogue).clone();
        catalogue_check::resolve(&stripe, &mut catalogue)
            .await
            .map_err(|e| format!("CHECKOUT_CATALOGUE: {e}"))?;
        config.catalogue = std::sync::Arc::new(catalogue);
        let differences = catalogue_check::differences(&stripe, &config.catalogue).await;
        if !differences.is_empty() {
            return Err(format!(
                "CHECKOUT_CATALOGUE does not match your Stripe account:\n  {}",
                differences.join("\n  ")
            )
            .into());
        }
        tracing::info!(
            prices = config.catalogue.prices().count(),
            "the catalogue matches Stripe's prices"
        );
    }
    let store = Store::new(&config.database_url)?;
    store
        .ready()
        .await
        .map_err(|e| format!("DATABASE_URL: {e}"))?;
    tracing::info!(backend = ?store.backend(), "order store ready");
    let limits = config.listener;
    let app = customize(App::new(config).store(store)).router();
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
