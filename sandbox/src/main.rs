//! The `stripe-sandbox` binary: the emulator alone on `HOST:PORT` (default
//! 127.0.0.1:12111, stripe-mock's port), printing `listening on http://<addr>`.
//! Point any Stripe client at it with a `sk_test_…` key.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use stripe_sandbox::{router, SandboxOptions};
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
    let mut options = SandboxOptions::default();
    if let Ok(secs) = std::env::var("SANDBOX_SESSION_TTL_SECS") {
        let secs: u64 = secs.trim().parse().ok().filter(|s| *s > 0).ok_or_else(|| {
            format!("SANDBOX_SESSION_TTL_SECS must be a positive number, got {secs:?}")
        })?;
        options.session_ttl = Duration::from_secs(secs);
    }
    let listener = tokio::net::TcpListener::bind((host.as_str(), port))
        .await
        .map_err(|e| format!("could not bind {host}:{port}: {e}"))?;
    let addr = listener.local_addr()?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{addr}")?;
        stdout.flush()?;
    }
    axum::serve(listener, router(options))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
