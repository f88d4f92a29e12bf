//! The order store on both databases it supports, SQLite (a file) and
//! PostgreSQL (a throwaway cluster from Debian's package, on 127.0.0.1):
//! records survive reopening, a session is recorded once however many
//! claim it at once, a claim that is dropped (a failed hook, a crash) leaves
//! nothing and can be taken again; and two server instances on one
//! PostgreSQL: an event delivered to A is visible from B, and the same event
//! delivered to A and B at once is fulfilled once.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use checkout_server::store::{Backend, Claim};
use checkout_server::{App, Config, Mode, OrderLine, OrderRecord, Store, WebhookSecret};
use common::orders::*;
use common::postgres::Cluster;
use common::*;
use serde_json::json;

fn record(session: &str, source: &str) -> OrderRecord {
    OrderRecord {
        session_id: session.to_owned(),
        source: source.to_owned(),
        payment_status: "paid".to_owned(),
        amount_total: Some(1500),
        currency: Some("usd".to_owned()),
        mode: Some("subscription".to_owned()),
        customer_email: Some("buyer@example.com".to_owned()),
        client_reference_id: None,
        line_items: vec![OrderLine {
            price: Some("price_sandbox_monthly".to_owned()),
            description: Some("Monthly".to_owned()),
            quantity: 1,
            amount_total: 1500,
        }],
        fulfilled_at: 1_700_000_000,
    }
}

/// What both backends must do; `reopen` opens the same database anew.
async fn store_contract(reopen: impl Fn() -> Store) {
    let store = reopen();
    store.ready().await.unwrap();
    store.ready().await.unwrap();
    store.ping().await.unwrap();
    assert!(store.order("cs_1").await.unwrap().is_none());

    // A claim dropped without commit (a failed hook, a crash) leaves nothing.
    match store.claim(record("cs_1", "evt_a")).await.unwrap() {
        Claim::New(claim) => drop(claim),
        Claim::Fulfilled(r) => panic!("fulfilled already: {r:?}"),
    }
    assert!(store.order("cs_1").await.unwrap().is_none());

    // Claimed and committed: then every claim finds it, whatever its source.
    let Claim::New(claim) = store.claim(record("cs_1", "evt_b")).await.unwrap() else {
        panic!("not claimable after a rollback")
    };
    claim.commit().await.unwrap();
    let Claim::Fulfilled(found) = store.claim(record("cs_1", "return")).await.unwrap() else {
        panic!("claimed twice")
    };
    assert_eq!(found, record("cs_1", "evt_b"));

    // Eight claims of one session at once: one commits, seven find it.
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                match store
                    .claim(record("cs_2", &format!("evt_{i}")))
                    .await
                    .unwrap()
                {
                    Claim::New(claim) => {
                        tokio::task::yield_now().await;
                        claim.commit().await.unwrap();
                        1
                    }
                    Claim::Fulfilled(_) => 0,
                }
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        won += task.await.unwrap();
    }
    assert_eq!(won, 1);

    // Events.
    assert!(!store.event_handled("evt_x").await.unwrap());
    store
        .record_event("evt_x", "checkout.session.completed", Some("cs_1"), 1)
        .await
        .unwrap();
    store
        .record_event("evt_x", "checkout.session.completed", Some("cs_1"), 2)
        .await
        .unwrap();
    assert!(store.event_handled("evt_x").await.unwrap());

    // All of it survives closing and reopening the database.
    drop(store);
    let again = reopen();
    assert_eq!(
        again.order("cs_1").await.unwrap().unwrap(),
        record("cs_1", "evt_b")
    );
    assert!(again.order("cs_2").await.unwrap().is_some());
    assert!(again.event_handled("evt_x").await.unwrap());
}

#[tokio::test]
async fn sqlite_file() {
    let dir = std::env::temp_dir().join(format!("checkout-store-{}", std::process::id()));
    let url = format!("sqlite://{}/nested/orders.db", dir.display());
    store_contract(|| Store::new(&url).unwrap()).await;
    assert_eq!(Store::new(&url).unwrap().backend(), Backend::Sqlite);
    assert!(
        dir.join("nested/orders.db").exists(),
        "created with its directory"
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(Store::new("mysql://x").is_err());
}

#[tokio::test]
async fn postgres() {
    let cluster = Cluster::start();
    assert_eq!(
        Store::new(&cluster.url).unwrap().backend(),
        Backend::Postgres
    );
    store_contract(|| Store::new(&cluster.url).unwrap()).await;
}

fn instance(base: &str, fulfillment: Arc<Recording>, url: &str) -> axum::Router {
    let mut config = Config::sandbox(base);
    config.mode = Mode::Stripe;
    config.webhook_secret = Some(WebhookSecret::new(SECRET));
    App::new(config)
        .fulfillment(fulfillment)
        .store(Store::new(url).unwrap())
        .router()
}

async fn deliver(app: &axum::Router, body: &str) -> StatusCode {
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/webhook")
        .header("content-type", "application/json")
        .header("stripe-signature", header(SECRET, now(), body))
        .body(axum::body::Body::from(body.to_owned()))
        .unwrap();
    tower::ServiceExt::oneshot(app.clone(), request)
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn two_instances_on_one_postgres() {
    let cluster = Cluster::start();
    let base = spawn_emulator().await;
    let (fa, fb) = (
        Arc::new(Recording::default()),
        Arc::new(Recording::default()),
    );
    let a = instance(&base, fa.clone(), &cluster.url);
    let b = instance(&base, fb.clone(), &cluster.url);

    // Delivered to A: B's /order-status reports A's record, without fulfilling.
    let id = paid_session(&base).await;
    let body = event("evt_ab1", "checkout.session.completed", &id, "paid");
    assert_eq!(deliver(&a, &body).await, StatusCode::OK);
    let (status, reply) = post_json(&b, "/order-status", &json!({"checkout_session_id": id})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        reply,
        json!({"status": "fulfilled", "amountTotal": 1500, "currency": "usd"})
    );
    assert_eq!((fa.calls(), fb.calls()), (1, 0));
    // And B knows the event: a redelivery to B is a duplicate.
    assert_eq!(deliver(&b, &body).await, StatusCode::OK);
    assert_eq!(fb.calls(), 0);

    // The same event to A and B at once, ten times over: each order once.
    for round in 0..10 {
        let id = paid_session(&base).await;
        let body = event(
            &format!("evt_both{round}"),
            "checkout.session.completed",
            &id,
            "paid",
        );
        let (ra, rb) = tokio::join!(deliver(&a, &body), deliver(&b, &body));
        assert_eq!((ra, rb), (StatusCode::OK, StatusCode::OK), "round {round}");
    }
    assert_eq!(
        fa.calls() + fb.calls(),
        11,
        "A {} B {}",
        fa.calls(),
        fb.calls()
    );
}
