//! `POST /webhook` and `POST /order-status`, as Stripe's "Fulfill orders"
//! guide has them: signature checks on the raw body (no side effect for a
//! forged, stale, tampered or replayed delivery); from a verified event only
//! the session id is taken, the session is retrieved from Stripe and
//! fulfilled only when paid, exactly once, whether the event, a duplicate,
//! another event or the customer's return comes first; and the whole loop in
//! emulator mode (pay → event → fulfilment → order status).
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use checkout_server::webhook_signature::sign;
use checkout_server::{App, Config, Mode, Store, WebhookSecret};
use common::orders::*;
use common::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// A merchant in Stripe mode (the emulator at `base` is its Stripe), with
/// `SECRET` (as with `STRIPE_WEBHOOK_SECRET`), `fulfillment` and `store`.
fn merchant_with(base: &str, fulfillment: Arc<Recording>, store: Store) -> Router {
    let mut config = Config::sandbox(base);
    config.mode = Mode::Stripe;
    config.webhook_secret = Some(WebhookSecret::new(SECRET));
    App::new(config)
        .fulfillment(fulfillment)
        .store(store)
        .router()
}

/// An emulator, and a merchant of it with a fresh in-memory store.
async fn merchant(fulfillment: Arc<Recording>) -> (String, Router, Store) {
    let base = spawn_emulator().await;
    let store = Store::in_memory();
    (
        base.clone(),
        merchant_with(&base, fulfillment, store.clone()),
        store,
    )
}

async fn deliver(app: &Router, body: &str, signature: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method("POST")
        .uri("/webhook")
        .header("content-type", "application/json; charset=utf-8")
        .header("content-length", body.len());
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

async fn signed(app: &Router, body: &str) -> (StatusCode, Value) {
    deliver(app, body, Some(&header(SECRET, now(), body))).await
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
async fn a_paid_session_is_fulfilled_once_from_stripe_not_from_the_event() {
    let f = Arc::new(Recording::default());
    let (base, app, store) = merchant(f.clone()).await;
    let id = paid_session(&base).await;
    // The event's object claims amount_total 1: Stripe's session says 1500.
    let body = event("evt_1", "checkout.session.completed", &id, "paid");
    let (status, reply) = signed(&app, &body).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply, json!({"received": true}));
    let record = store.order(&id).await.unwrap().unwrap();
    assert_eq!(
        (
            record.amount_total,
            record.source.as_str(),
            record.payment_status.as_str()
        ),
        (Some(1500), "evt_1", "paid")
    );
    assert_eq!(record.line_items.len(), 1);
    assert_eq!(
        record.line_items[0].price.as_deref(),
        Some("price_sandbox_monthly")
    );
    assert_eq!(record.customer_email.as_deref(), Some("buyer@example.com"));
    assert_eq!(
        order_status(&app, &id).await,
        json!({"status": "fulfilled", "amountTotal": 1500, "currency": "usd"})
    );
    // The same event again: acknowledged, not fulfilled again, Stripe not asked.
    let before = stats(&base).await;
    let (status, reply) = signed(&app, &body).await;
    assert_eq!(
        (status, reply["duplicate"].clone()),
        (StatusCode::OK, json!(true))
    );
    assert_eq!(
        stats(&base).await,
        before,
        "a duplicate asks Stripe nothing"
    );
    // Another event for the session: acknowledged, not fulfilled again.
    let other = event(
        "evt_1b",
        "checkout.session.async_payment_succeeded",
        &id,
        "paid",
    );
    assert_eq!(signed(&app, &other).await.0, StatusCode::OK);
    assert_eq!(f.calls(), 1);
}

#[tokio::test]
async fn the_customers_return_fulfils_when_the_event_is_late_and_the_event_then_changes_nothing() {
    let f = Arc::new(Recording::default());
    let (base, app, store) = merchant(f.clone()).await;
    let id = paid_session(&base).await;
    assert_eq!(order_status(&app, &id).await["status"], "fulfilled");
    assert_eq!(store.order(&id).await.unwrap().unwrap().source, "return");
    let body = event("evt_late", "checkout.session.completed", &id, "paid");
    assert_eq!(signed(&app, &body).await.0, StatusCode::OK);
    assert_eq!(f.calls(), 1);
    assert_eq!(store.order(&id).await.unwrap().unwrap().source, "return");
}

#[tokio::test]
async fn forged_stale_tampered_and_unsigned_deliveries_are_refused_without_effect() {
    let f = Arc::new(Recording::default());
    let (base, app, _) = merchant(f.clone()).await;
    let id = paid_session(&base).await;
    let body = event("evt_2", "checkout.session.completed", &id, "paid");
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
            body.replace("\"amount_total\": 1", "\"amount_total\": 2"),
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
    assert_eq!(f.calls(), 0, "no side effect");
    // A replay of a captured good delivery after the tolerance is stale too;
    // within it, it is a duplicate (above). Any of several v1 values may match.
    let rolled = format!(
        "t={t},v1={},v1={}",
        "0".repeat(64),
        sign(&WebhookSecret::new(SECRET), t, body.as_bytes())
    );
    let (status, _) = deliver(&app, &body, Some(&rolled)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(f.calls(), 1);
}

#[tokio::test]
async fn failed_fulfilment_records_nothing_answers_500_and_the_retry_fulfils() {
    let f = Arc::new(Recording::default());
    f.fail_first.store(1, std::sync::atomic::Ordering::SeqCst);
    let (base, app, store) = merchant(f.clone()).await;
    let id = paid_session(&base).await;
    let body = event("evt_3", "checkout.session.completed", &id, "paid");
    let (status, _) = signed(&app, &body).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(store.order(&id).await.unwrap().is_none());
    let (status, reply) = signed(&app, &body).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(
        reply,
        json!({"received": true}),
        "not a duplicate: the first failed"
    );
    assert_eq!(f.calls(), 2);
    assert_eq!(store.order(&id).await.unwrap().unwrap().source, "evt_3");
}

#[tokio::test]
async fn unpaid_unknown_expired_and_other_events_fulfil_nothing() {
    let f = Arc::new(Recording::default());
    let (base, app, store) = merchant(f.clone()).await;
    // An open, unpaid session whose event claims it is paid.
    let open = open_session(&base).await;
    let body = event("evt_4", "checkout.session.completed", &open, "paid");
    assert_eq!(signed(&app, &body).await.0, StatusCode::OK);
    assert!(store.order(&open).await.unwrap().is_none());
    assert_eq!(
        order_status(&app, &open).await,
        json!({"status": "pending"})
    );
    // A session Stripe never had: refused (non-2xx, so Stripe would retry
    // and show it), nothing recorded, the event not marked handled.
    let ghost = "cs_test_a1ghost0000000000000000000000000000000000000000000000";
    let body = event("evt_5", "checkout.session.completed", ghost, "paid");
    let (status, reply) = signed(&app, &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");
    assert!(!store.event_handled("evt_5").await.unwrap());
    assert!(store.order(ghost).await.unwrap().is_none());
    // Expired: the hook hears it; another type: acknowledged, ignored.
    for (id, kind) in [
        ("evt_6", "checkout.session.expired"),
        ("evt_7", "customer.created"),
    ] {
        let body = event(id, kind, &open, "unpaid");
        assert_eq!(signed(&app, &body).await.0, StatusCode::OK, "{kind}");
    }
    assert_eq!(*f.expired.lock().unwrap(), std::slice::from_ref(&open));
    assert_eq!(f.calls(), 0);
}

/// One limit for `/webhook`, declared or chunked: a large event (200 KiB of
/// metadata) is accepted with its `Content-Length`; over 1 MiB, 413 at once.
#[tokio::test]
async fn large_events_are_accepted_up_to_the_one_webhook_limit() {
    let f = Arc::new(Recording::default());
    let (base, app, _) = merchant(f.clone()).await;
    let id = paid_session(&base).await;
    let big = event("evt_big", "checkout.session.completed", &id, "paid").replace(
        "\"order\": \"42\"",
        &format!("\"note\": \"{}\"", "x".repeat(200 * 1024)),
    );
    assert!(big.len() > 200 * 1024);
    let (status, reply) = signed(&app, &big).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(f.calls(), 1);
    let huge = big.replace(&"x".repeat(200 * 1024), &"x".repeat(1024 * 1024));
    let (status, _) = signed(&app, &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn without_a_secret_webhooks_are_unavailable_and_bad_ids_are_refused() {
    let mut config = Config::sandbox("http://127.0.0.1:9");
    config.mode = Mode::Stripe;
    let app = checkout_server::app(config);
    let body = event("evt_8", "checkout.session.completed", "cs_test_e5", "paid");
    let (status, _) = signed(&app, &body).await;
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
    // The emulator delivers the event on its own task: wait for it (no
    // fixed delay; up to 10 s), before asking the order's status, so that
    // the order is the event's and not the return's.
    let mut stats = all_stats(&base).await;
    for _ in 0..200 {
        if stats["webhooks"]["deliveries_succeeded"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        stats = all_stats(&base).await;
    }
    assert_eq!(stats["webhooks"]["deliveries_succeeded"], 1, "{stats}");
    assert_eq!(stats["merchant_requests"]["/webhook"], 1);
    assert_eq!(
        status_of().await,
        json!({"status": "fulfilled", "amountTotal": 1500, "currency": "usd"})
    );
}
