//! `POST /webhook` and `POST /order-status`: signature checks on the raw body,
//! no side effect for a forged, stale, tampered or replayed delivery, events
//! handled once, and the whole loop in emulator mode (pay → event →
//! fulfilment → order status).
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use checkout_server::fulfillment::BoxFuture;
use checkout_server::webhook_signature::sign;
use checkout_server::{
    App, Config, Fulfillment, FulfillmentError, InMemoryFulfillment, Mode, OrderRecord, PaidOrder,
    WebhookSecret,
};
use common::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const SECRET: &str = "whsec_merchant_test_secret";

/// Counts fulfilments; fails the first `fail_first`.
#[derive(Default)]
struct Recording {
    inner: InMemoryFulfillment,
    calls: AtomicUsize,
    expired: Mutex<Vec<String>>,
    fail_first: AtomicUsize,
}

impl Fulfillment for Recording {
    fn fulfill<'a>(&'a self, order: &'a PaidOrder) -> BoxFuture<'a, Result<(), FulfillmentError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self
            .fail_first
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Box::pin(async { Err(FulfillmentError("warehouse down".into())) });
        }
        self.inner.fulfill(order)
    }

    fn session_expired<'a>(
        &'a self,
        session_id: &'a str,
    ) -> BoxFuture<'a, Result<(), FulfillmentError>> {
        self.expired.lock().unwrap().push(session_id.to_owned());
        Box::pin(async { Ok(()) })
    }

    fn order<'a>(&'a self, session_id: &'a str) -> BoxFuture<'a, Option<OrderRecord>> {
        self.inner.order(session_id)
    }
}

/// A merchant app with `SECRET` (as with `STRIPE_WEBHOOK_SECRET`) and `fulfillment`.
fn merchant(fulfillment: Arc<Recording>) -> Router {
    let mut config = Config::sandbox("http://127.0.0.1:9");
    config.mode = Mode::Stripe;
    config.webhook_secret = Some(WebhookSecret::new(SECRET));
    App::new(config).fulfillment(fulfillment).router()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn event(id: &str, kind: &str, session: &str, payment_status: &str) -> String {
    // Pretty-printed, as Stripe sends it: the signature covers these bytes.
    serde_json::to_string_pretty(&json!({
        "id": id,
        "object": "event",
        "api_version": "2025-03-31.basil",
        "created": now(),
        "data": {"object": {
            "id": session, "object": "checkout.session", "amount_total": 15000,
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

fn header(secret: &str, t: i64, body: &str) -> String {
    format!(
        "t={t},v1={},v0={}",
        sign(&WebhookSecret::new(secret), t, body.as_bytes()),
        "ab".repeat(32)
    )
}

async fn deliver(app: &Router, body: &str, signature: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method("POST")
        .uri("/webhook")
        .header("content-type", "application/json; charset=utf-8");
    if let Some(signature) = signature {
        request = request.header("stripe-signature", signature);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn order_status(app: &Router, session: &str) -> Value {
    let (status, body) = post_json(
        app,
        "/order-status",
        &json!({"checkout_session_id": session}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn a_signed_completed_event_fulfils_the_order_once() {
    let f = Arc::new(Recording::default());
    let app = merchant(f.clone());
    let body = event("evt_1", "checkout.session.completed", "cs_test_a1", "paid");
    assert_eq!(
        order_status(&app, "cs_test_a1").await,
        json!({"status": "pending"})
    );
    let signature = header(SECRET, now(), &body);
    let (status, reply) = deliver(&app, &body, Some(&signature)).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply, json!({"received": true}));
    assert_eq!(
        order_status(&app, "cs_test_a1").await,
        json!({"status": "fulfilled", "amountTotal": 15000, "currency": "usd"})
    );
    // Stripe may deliver an event twice: acknowledged, not fulfilled again.
    let (status, reply) = deliver(&app, &body, Some(&signature)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["duplicate"], true);
    assert_eq!(f.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn forged_stale_tampered_and_unsigned_deliveries_are_refused_without_effect() {
    let f = Arc::new(Recording::default());
    let app = merchant(f.clone());
    let body = event("evt_2", "checkout.session.completed", "cs_test_b2", "paid");
    let t = now();
    let cases: Vec<(&str, String, Option<String>)> = vec![
        (
            "forged: another secret",
            body.clone(),
            Some(header("whsec_attacker", t, &body)),
        ),
        (
            "stale: 301 s old",
            body.clone(),
            Some(header(SECRET, t - 301, &body)),
        ),
        (
            "from the future: +301 s",
            body.clone(),
            Some(header(SECRET, t + 301, &body)),
        ),
        (
            "tampered body",
            body.replace("15000", "1"),
            Some(header(SECRET, t, &body)),
        ),
        (
            "re-serialized body (not the raw bytes)",
            serde_json::to_string(&serde_json::from_str::<Value>(&body).unwrap()).unwrap(),
            Some(header(SECRET, t, &body)),
        ),
        (
            "v0 only",
            body.clone(),
            Some(format!(
                "t={t},v0={}",
                sign(&WebhookSecret::new(SECRET), t, body.as_bytes())
            )),
        ),
        ("no header", body.clone(), None),
        ("garbage header", body.clone(), Some("nonsense".to_owned())),
    ];
    for (what, payload, signature) in cases {
        let (status, reply) = deliver(&app, &payload, signature.as_deref()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {reply}");
        assert_eq!(reply["type"], "error", "{what}");
        assert_eq!(reply["message"], "Webhook signature verification failed.");
    }
    assert_eq!(f.calls.load(Ordering::SeqCst), 0, "no side effect");
    assert_eq!(order_status(&app, "cs_test_b2").await["status"], "pending");
    // A replay of a captured good delivery after the tolerance is stale too;
    // within it, it is a duplicate (above). Any of several v1 values may match.
    let rolled = format!(
        "t={t},v1={},v1={}",
        "0".repeat(64),
        sign(&WebhookSecret::new(SECRET), t, body.as_bytes())
    );
    let (status, _) = deliver(&app, &body, Some(&rolled)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(f.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn failed_fulfilment_answers_500_and_the_retry_fulfils() {
    let f = Arc::new(Recording::default());
    f.fail_first.store(1, Ordering::SeqCst);
    let app = merchant(f.clone());
    let body = event("evt_3", "checkout.session.completed", "cs_test_c3", "paid");
    let (status, _) = deliver(&app, &body, Some(&header(SECRET, now(), &body))).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(order_status(&app, "cs_test_c3").await["status"], "pending");
    let (status, reply) = deliver(&app, &body, Some(&header(SECRET, now(), &body))).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(
        reply,
        json!({"received": true}),
        "not a duplicate: the first failed"
    );
    assert_eq!(
        order_status(&app, "cs_test_c3").await["status"],
        "fulfilled"
    );
}

#[tokio::test]
async fn unpaid_expired_and_other_events() {
    let f = Arc::new(Recording::default());
    let app = merchant(f.clone());
    for (id, kind, status) in [
        ("evt_4", "checkout.session.completed", "unpaid"),
        ("evt_5", "checkout.session.expired", "unpaid"),
        ("evt_6", "customer.created", "unpaid"),
    ] {
        let body = event(id, kind, "cs_test_d4", status);
        let (code, _) = deliver(&app, &body, Some(&header(SECRET, now(), &body))).await;
        assert_eq!(code, StatusCode::OK, "{kind}");
    }
    assert_eq!(f.calls.load(Ordering::SeqCst), 0, "unpaid: not fulfilled");
    assert_eq!(*f.expired.lock().unwrap(), ["cs_test_d4"]);
    // A delayed payment that succeeds later is fulfilled then.
    let body = event(
        "evt_7",
        "checkout.session.async_payment_succeeded",
        "cs_test_d4",
        "paid",
    );
    deliver(&app, &body, Some(&header(SECRET, now(), &body))).await;
    assert_eq!(
        order_status(&app, "cs_test_d4").await["status"],
        "fulfilled"
    );
}

#[tokio::test]
async fn without_a_secret_webhooks_are_unavailable_and_bad_ids_are_refused() {
    let mut config = Config::sandbox("http://127.0.0.1:9");
    config.mode = Mode::Stripe;
    let app = checkout_server::app(config);
    let body = event("evt_8", "checkout.session.completed", "cs_test_e5", "paid");
    let (status, _) = deliver(&app, &body, Some(&header(SECRET, now(), &body))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, _) = post_json(&app, "/order-status", &json!({"checkout_session_id": "x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = post_json(&app, "/order-status", &json!({"amount": 1})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// Emulator mode: the server registered its own `/webhook`; paying on the
/// stand-in's confirm makes the emulator post `checkout.session.completed`,
/// which the merchant verifies and fulfils.
#[tokio::test]
async fn emulator_mode_pay_event_fulfilment_order_status() {
    let base = spawn_sandbox().await;
    let (status, endpoints) = {
        let r = http()
            .get(format!("{base}/v1/webhook_endpoints"))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    assert_eq!(status, 200);
    assert_eq!(endpoints["data"][0]["url"], format!("{base}/webhook"));
    let client = http();
    let created: Value = client
        .post(format!("{base}/create-checkout-session"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = created["clientSecret"].as_str().unwrap();
    let id = secret.split("_secret_").next().unwrap();
    let status_of = || async {
        client
            .post(format!("{base}/order-status"))
            .json(&json!({"checkout_session_id": id}))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    assert_eq!(status_of().await["status"], "pending");
    let paid = client
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
    assert_eq!(paid.status(), 200);
    let mut reply = Value::Null;
    for _ in 0..100 {
        reply = status_of().await;
        if reply["status"] == "fulfilled" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        reply,
        json!({"status": "fulfilled", "amountTotal": 1500, "currency": "usd"})
    );
    let stats = all_stats(&base).await;
    assert_eq!(stats["webhooks"]["deliveries_succeeded"], 1);
    assert_eq!(stats["merchant_requests"]["/webhook"], 1);
}
