//! What a client sends cannot forge, colour, fill or leak secrets into the
//! log: ids are logged only once valid, other request values through
//! `log_safe` (escaped, secrets redacted, cut at 200 characters).
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderValue, Request};
use common::*;
use serde_json::json;
use tower::ServiceExt;
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const FORGED: &str = "2026-01-01T00:00:00.000000Z  INFO FORGED refund issued amount=99999";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_values_cannot_forge_colour_fill_or_leak_into_the_log() {
    let capture = Capture::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(capture.clone())
        .init();

    let (_base, merchant) = setup().await;
    let (id, secret) = merchant_session(&merchant).await;
    let long = "A".repeat(15_000);
    let probes = [
        // A newline and a whole forged line in the id.
        (
            "/change-subscription-interval",
            json!({"checkout_session_id": format!("cs_test_Probe\n{FORGED}"), "interval": "yearly"}),
        ),
        // Terminal escapes.
        (
            "/apply-customer-discount",
            json!({"checkout_session_id": "cs_test_\u{1b}[2J\u{1b}[31mRED\u{9b}0m"}),
        ),
        // A client secret where the id goes, and where serde echoes it (an
        // unknown field's name).
        (
            "/apply-customer-discount",
            json!({"checkout_session_id": secret}),
        ),
        (
            "/apply-customer-discount",
            json!({"checkout_session_id": id, secret.clone(): 1}),
        ),
        // 15,000 characters as the id, as a field name (echoed by serde's
        // "unknown field"), and as an unknown field's name with a newline.
        (
            "/apply-customer-discount",
            json!({"checkout_session_id": format!("cs_test_{long}")}),
        ),
        (
            "/change-subscription-interval",
            json!({format!("x{long}"): 1}),
        ),
        (
            "/extend-trial-for-yearly",
            json!({format!("evil\n{FORGED}"): 1}),
        ),
    ];
    for (path, body) in probes {
        let (status, _) = post_json(&merchant, path, &body).await;
        assert_eq!(status, 400, "{path} {body}");
    }
    // A foreign origin with C1 control bytes (obs-text is allowed in header values).
    let request = Request::builder()
        .method("POST")
        .uri("/apply-customer-discount")
        .header("content-type", "application/json")
        .header(
            "origin",
            HeaderValue::from_bytes(b"https://evil.example\xc2\x9b31m\xe2\x80\xae").unwrap(),
        )
        .body(Body::from(json!({"checkout_session_id": id}).to_string()))
        .unwrap();
    let response = merchant.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 403);

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // No forged line: the newline is escaped, so FORGED only appears inside
    // a line that the server started.
    for line in logs.lines() {
        assert!(!line.starts_with("2026-01-01"), "forged line: {line}");
    }
    assert!(logs.contains("\\n2026-01-01"), "{logs}");
    // No terminal control character at all.
    for c in ['\u{1b}', '\u{9b}', '\u{202e}', '\r'] {
        assert!(!logs.contains(c), "{c:?} reached the log:\n{logs}");
    }
    // Invalid ids are never recorded as the session id; valid ones are.
    assert!(!logs.contains("session_id=cs_test_Probe"), "{logs}");
    assert!(!logs.contains("session_id=cs_test_\\u{1b}"), "{logs}");
    assert!(logs.contains(&format!("session_id={id}")), "{logs}");
    // Never a client secret.
    assert!(!logs.contains(&secret), "the client secret was logged");
    assert!(!logs.contains("_secret_"), "a client secret was logged");
    assert!(logs.contains("[redacted]"), "{logs}");
    // Long values are cut.
    assert!(
        !logs.contains(&"A".repeat(201)),
        "a long value was logged whole"
    );
    assert!(logs.contains("…(+"), "{logs}");
    let longest = logs.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 2_000, "a log line of {longest} bytes");
    assert!(
        logs.contains("origin=https://evil.example\\u{9b}31m\\u{202e}"),
        "{logs}"
    );
}
