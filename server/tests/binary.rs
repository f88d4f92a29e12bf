//! The binary: prints `listening on http://<addr>`, serves the emulator (when
//! asked) and the static directory, and exits on SIGTERM; without keys and
//! without `--emulator` it does not start.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::spawn_listening;

#[tokio::test]
async fn binary_serves_sandbox_and_static_files() {
    let dir = std::env::temp_dir().join(format!("checkout-server-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>widget</title>",
    )
    .unwrap();

    let mut command = Command::new(env!("CARGO_BIN_EXE_checkout-server"));
    command
        .arg("--emulator")
        .env("DATABASE_URL", "sqlite::memory:")
        .env("PORT", "0")
        .env("HOST", "127.0.0.1")
        .env("STATIC_DIR", &dir)
        .env("RUST_LOG", "warn")
        .env_remove("STRIPE_SECRET_KEY")
        .env_remove("STRIPE_API_BASE")
        .stderr(Stdio::null());
    let (mut child, base) = spawn_listening(&mut command);
    assert!(base.starts_with("http://127.0.0.1:"));

    let client = reqwest::Client::new();
    let config: serde_json::Value = client
        .get(format!("{base}/config"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["mode"], "sandbox");

    // The merchant talks to the sandbox on the same listener.
    let created: serde_json::Value = client
        .post(format!("{base}/create-checkout-session"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(created["clientSecret"]
        .as_str()
        .unwrap()
        .starts_with("cs_test_"));

    let index = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(index.status().as_u16(), 200);
    assert!(index.text().await.unwrap().contains("widget"));

    // Graceful shutdown on SIGTERM.
    #[cfg(unix)]
    {
        let pid = child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let mut exited = false;
        for _ in 0..50 {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "{status:?}");
                exited = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if !exited {
            child.kill().unwrap();
            panic!("the server did not exit on SIGTERM");
        }
    }
    #[cfg(not(unix))]
    child.kill().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The binary serves through the listener with the limits of its environment.
#[tokio::test]
async fn binary_applies_the_client_limits_of_its_environment() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let mut command = Command::new(env!("CARGO_BIN_EXE_checkout-server"));
    command
        .arg("--emulator")
        .env("DATABASE_URL", "sqlite::memory:")
        .env("PORT", "0")
        .env("HOST", "127.0.0.1")
        .env("HEADER_READ_TIMEOUT_MS", "300")
        .env("IDLE_TIMEOUT_MS", "300")
        .env("REQUEST_TIMEOUT_MS", "300")
        .env("RUST_LOG", "warn")
        .env_remove("STRIPE_SECRET_KEY")
        .env_remove("STRIPE_API_BASE")
        .stderr(Stdio::null());
    let (mut child, base) = spawn_listening(&mut command);
    let addr = base.strip_prefix("http://").unwrap().to_owned();

    // A head trickled past HEADER_READ_TIMEOUT_MS: 408 with the security headers.
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tcp.write_all(b"GET /config HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), tcp.read_to_string(&mut answer))
        .await
        .expect("closed within 5 s")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(answer.contains("content-security-policy: "), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3));

    // A declared oversize body: 413 at once.
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tcp.write_all(b"POST /apply-customer-discount HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 12];
    tokio::time::timeout(Duration::from_secs(2), tcp.read_exact(&mut buf))
        .await
        .expect("answered at once")
        .unwrap();
    assert_eq!(&buf, b"HTTP/1.1 413");
    child.kill().unwrap();
    let _ = child.wait();
}

/// No keys and no `--emulator`: exit 1 at once, naming what is missing; a
/// live key with `--emulator`, or keys of two modes: refused.
#[test]
fn binary_without_keys_or_emulator_exits_naming_the_variables() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_checkout-server"));
        command.args(args).env("PORT", "0").env("HOST", "127.0.0.1");
        for name in [
            "STRIPE_SECRET_KEY",
            "STRIPE_PUBLISHABLE_KEY",
            "CHECKOUT_MODE",
            "STRIPE_WEBHOOK_SECRET",
            "DATABASE_URL",
        ] {
            command.env_remove(name);
        }
        for (k, v) in env {
            command.env(k, v);
        }
        let out = command.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(&[], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    for name in [
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "CHECKOUT_CATALOGUE",
        "STRIPE_WEBHOOK_SECRET",
        "--emulator",
    ] {
        assert!(stderr.contains(name), "{name} not named: {stderr}");
    }
    let (code, stderr) = run(&["--emulator"], &[("STRIPE_SECRET_KEY", "sk_live_123")]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("refuses to start with a live Stripe key"),
        "{stderr}"
    );
    let (code, stderr) = run(
        &[],
        &[
            ("STRIPE_SECRET_KEY", "sk_test_123"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_live_123"),
        ],
    );
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("both test keys or both live keys"),
        "{stderr}"
    );
    let (code, stderr) = run(&["--bogus"], &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("usage: checkout-server [--emulator]"),
        "{stderr}"
    );
}

/// `LOG_FORMAT=json`: every log line is one JSON object, with the request's
/// id from the client's well-formed `X-Request-Id`.
#[tokio::test]
async fn json_logs_on_request_carry_the_clients_request_id() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_checkout-server"));
    command
        .arg("--emulator")
        .env("DATABASE_URL", "sqlite::memory:")
        .env("PORT", "0")
        .env("HOST", "127.0.0.1")
        .env("RUST_LOG", "info")
        .env("LOG_FORMAT", "json")
        .stderr(Stdio::piped());
    let (mut child, base) = spawn_listening(&mut command);
    let response = reqwest::Client::new()
        .get(format!("{base}/config"))
        .header("x-request-id", "lb-4f1c2a")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "lb-4f1c2a");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = false;
    for line in stderr.lines().map_while(Result::ok) {
        let object: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        if object["span"]["request_id"] == "lb-4f1c2a" {
            seen = true;
            break;
        }
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert!(seen, "no log line carried the request id");
}
