//! Logs of a full flow carry request ids, session ids and Stripe request ids,
//! and never a secret key or a client secret.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use serde_json::json;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_flow_logs_no_secrets() {
    let capture = Capture::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(capture.clone())
        .init();

    let (base, merchant) = setup().await;
    let (id, secret) = merchant_session(&merchant).await;
    for (path, body) in [
        (
            "/change-subscription-interval",
            json!({"checkout_session_id": id, "interval": "yearly"}),
        ),
        (
            "/apply-customer-discount",
            json!({"checkout_session_id": id}),
        ),
        (
            "/extend-trial-for-yearly",
            json!({"checkout_session_id": id}),
        ),
        (
            "/change-subscription-interval",
            json!({"checkout_session_id": id, "interval": "monthly"}),
        ),
        (
            "/update-discounts",
            json!({"checkout_session_id": id, "discounts": []}),
        ),
        (
            "/change-subscription-interval",
            json!({"checkout_session_id": "cs_test_missing", "interval": "yearly"}),
        ),
    ] {
        post_json(&merchant, path, &body).await;
    }
    let (_, s) = sandbox_get(&base, &id).await;
    let li = s["line_items"]["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    post_json(
        &merchant,
        "/update-line-item-quantity",
        &json!({"checkout_session_id": id, "line_item_id": li, "quantity": 2}),
    )
    .await;
    for path in ["init", "confirm"] {
        sandbox_post(
            &base,
            &format!("/v1/payment_pages/{id}/{path}"),
            &[
                ("key", "pk_test_sandbox"),
                ("client_secret", secret.as_str()),
                ("payment_method[card][number]", "4242424242424242"),
                ("email", "buyer@example.com"),
            ],
        )
        .await;
    }

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("request_id=mreq_"), "{logs}");
    assert!(logs.contains(&format!("session_id={id}")), "{logs}");
    assert!(logs.contains("stripe_request_id=\"req_"), "{logs}");
    assert!(logs.contains("outcome=\"ok\""), "{logs}");
    assert!(!logs.contains("sk_test_"), "a secret key was logged");
    assert!(!logs.contains("_secret_"), "a client secret was logged");
    assert!(!logs.contains(&secret));
}
