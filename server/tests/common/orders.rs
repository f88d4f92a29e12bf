//! Paid sessions in the emulator, and Stripe's signed event deliveries, for
//! the fulfilment tests (`webhook.rs`, `postgres.rs`, `crash.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

use std::sync::atomic::{AtomicUsize, Ordering};

use checkout_server::fulfillment::BoxFuture;
use checkout_server::webhook_signature::sign;
use checkout_server::{Fulfillment, FulfillmentError, OrderRecord, WebhookSecret};
use serde_json::{json, Value};

use super::emulator::{http, sandbox_create};

/// The merchant's webhook signing secret in these tests.
pub const SECRET: &str = "whsec_merchant_test_secret";

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A session created in the emulator at `base` and paid with the test card:
/// its id.
pub async fn paid_session(base: &str) -> String {
    let created = sandbox_create(base, &[]).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let secret = created["client_secret"].as_str().unwrap();
    let paid = http()
        .post(format!("{base}/v1/payment_pages/{id}/confirm"))
        .form(&[
            ("key", "pk_test_sandbox"),
            ("client_secret", secret),
            ("payment_method[card][number]", "4242424242424242"),
            ("email", "buyer@example.com"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 200, "{}", paid.text().await.unwrap());
    id
}

/// A session created in the emulator at `base`, open and unpaid: its id.
pub async fn open_session(base: &str) -> String {
    sandbox_create(base, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A `kind` event for `session`, pretty-printed as Stripe sends it (the
/// signature covers these bytes). Its object says what the caller likes
/// (`amount_total: 1`, `payment_status`): the merchant must not believe it.
pub fn event(id: &str, kind: &str, session: &str, payment_status: &str) -> String {
    serde_json::to_string_pretty(&json!({
        "id": id,
        "object": "event",
        "api_version": "2025-03-31.basil",
        "created": now(),
        "data": {"object": {
            "id": session, "object": "checkout.session", "amount_total": 1,
            "currency": "usd", "mode": "subscription", "payment_status": payment_status,
            "status": "complete", "metadata": {"order": "42"}
        }},
        "livemode": false,
        "pending_webhooks": 1,
        "request": {"id": null, "idempotency_key": null},
        "type": kind,
    }))
    .unwrap()
}

/// A `Stripe-Signature` header of `body` at `t` with `secret` (and a v0 decoy).
pub fn header(secret: &str, t: i64, body: &str) -> String {
    format!(
        "t={t},v1={},v0={}",
        sign(&WebhookSecret::new(secret), t, body.as_bytes()),
        "ab".repeat(32)
    )
}

/// Counts fulfilments; fails the first `fail_first`.
#[derive(Default)]
pub struct Recording {
    pub calls: AtomicUsize,
    pub expired: std::sync::Mutex<Vec<String>>,
    pub fail_first: AtomicUsize,
}

impl Recording {
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl Fulfillment for Recording {
    fn fulfill<'a>(
        &'a self,
        _order: &'a OrderRecord,
    ) -> BoxFuture<'a, Result<(), FulfillmentError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self
            .fail_first
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Box::pin(async { Err(FulfillmentError("warehouse down".into())) });
        }
        Box::pin(async { Ok(()) })
    }

    fn session_expired<'a>(
        &'a self,
        session_id: &'a str,
    ) -> BoxFuture<'a, Result<(), FulfillmentError>> {
        self.expired.lock().unwrap().push(session_id.to_owned());
        Box::pin(async { Ok(()) })
    }
}
