//! The Stripe client retries as Stripe's SDKs do, one idempotency key per
//! update, within one deadline per merchant request; and the emulator, whose
//! counters show what was sent and what was applied.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use checkout_protocol::Refusal;

const MSG_BAD_REQUEST: &str = Refusal::BadRequest.message();
const MSG_TRY_AGAIN: &str = Refusal::TryAgain.message();
use checkout_server::{app, Config};
use common::*;
use serde_json::{json, Value};
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};

const POSTS: &str = "POST /v1/checkout/sessions/{id}";

/// The counters this file looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    applied: u64,
    posts: u64,
    with_key: u64,
    keys_reused: u64,
    replayed: u64,
}

async fn counts(base: &str) -> Counts {
    let s = all_stats(base).await;
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    Counts {
        applied: n(&s["session_updates"]),
        posts: n(&s["requests"][POSTS]),
        with_key: n(&s["idempotency"]["requests_with_key"]),
        keys_reused: n(&s["idempotency"]["keys_reused"]),
        replayed: n(&s["idempotency"]["replayed"]),
    }
}

fn since(after: Counts, before: Counts) -> Counts {
    Counts {
        applied: after.applied - before.applied,
        posts: after.posts - before.posts,
        with_key: after.with_key - before.with_key,
        keys_reused: after.keys_reused - before.keys_reused,
        replayed: after.replayed - before.replayed,
    }
}

async fn interval(
    merchant: &axum::Router,
    id: &str,
    interval: &str,
) -> (StatusCode, serde_json::Value) {
    post_json(
        merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": id, "interval": interval}),
    )
    .await
}

#[tokio::test]
async fn one_503_429_or_409_from_stripe_is_retried_with_the_same_key_and_applied_once() {
    let (base, merchant) = setup_with(fast_retries).await;
    // (the fault on the update, whether its answer was saved before it was lost)
    let cases = [
        (
            json!({"fail_next": 1, "status": 503, "method": "POST"}),
            false,
        ),
        (
            json!({"fail_next": 1, "error": "lock_timeout", "method": "POST"}),
            false,
        ),
        (
            json!({"fail_next": 1, "status": 409, "method": "POST"}),
            false,
        ),
        (
            json!({"fail_next": 1, "status": 503, "method": "POST", "after_endpoint": true}),
            true,
        ),
        (
            json!({"fail_next": 1, "status": 500, "method": "POST", "after_endpoint": true}),
            true,
        ),
    ];
    for (plan, saved) in cases {
        let (id, _) = merchant_session(&merchant).await;
        set_faults(&base, plan.clone()).await;
        let before = counts(&base).await;
        let (status, body) = interval(&merchant, &id, "yearly").await;
        assert_eq!(status, StatusCode::OK, "{plan}: {body}");
        let d = since(counts(&base).await, before);
        assert_eq!(d.posts, 2, "{plan}: the update and its retry");
        assert_eq!(d.with_key, 2, "{plan}: both carried a key");
        assert_eq!(
            d.keys_reused, 1,
            "{plan}: the retry carried the first one's key"
        );
        assert_eq!(d.applied, 1, "{plan}: applied once");
        assert_eq!(
            d.replayed,
            u64::from(saved),
            "{plan}: a saved answer is replayed, not applied again"
        );
        let (_, session) = sandbox_get(&base, &id).await;
        assert_eq!(prices(&session), ["price_sandbox_yearly"], "{plan}");
    }
}

#[tokio::test]
async fn a_failed_retrieve_is_retried_too() {
    let (base, merchant) = setup_with(fast_retries).await;
    let (id, _) = merchant_session(&merchant).await;
    set_faults(
        &base,
        json!({"fail_next": 2, "status": 502, "method": "GET"}),
    )
    .await;
    let (status, body) = interval(&merchant, &id, "yearly").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(stats(&base).await, 1);
}

#[tokio::test]
async fn an_update_lost_on_the_way_back_is_applied_once_whatever_the_customer_hears() {
    let (base, merchant) = setup_with(fast_retries).await;
    let (id, _) = merchant_session(&merchant).await;
    // Applied, then every answer lost: the first attempt and both retries.
    set_faults(
        &base,
        json!({"fail_next": 3, "status": 503, "method": "POST", "after_endpoint": true}),
    )
    .await;
    let before = counts(&base).await;
    let (status, body) = interval(&merchant, &id, "yearly").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["message"], MSG_TRY_AGAIN);
    let d = since(counts(&base).await, before);
    assert_eq!((d.posts, d.keys_reused), (3, 2), "one key, three attempts");
    assert_eq!(
        (d.applied, d.replayed),
        (1, 2),
        "applied once, replayed twice"
    );
    // The customer tries again: a new update (a new key), which applies.
    let (status, _) = interval(&merchant, &id, "yearly").await;
    assert_eq!(status, StatusCode::OK);
    let d = since(counts(&base).await, before);
    assert_eq!((d.applied, d.keys_reused), (2, 2));
}

const RATE_LIMITED_RETRIES: u32 = checkout_server::stripe_client::retry::RATE_LIMITED_RETRIES;

#[tokio::test]
async fn failures_past_the_retries_reach_the_customer_as_503_try_again() {
    let (base, merchant) = setup_with(fast_retries).await;
    let (id, _) = merchant_session(&merchant).await;
    for plan in [
        json!({"fail_next": 3, "status": 500, "method": "POST"}),
        // A 429 is retried until the deadline, at most RATE_LIMITED_RETRIES times.
        json!({"fail_next": 1 + RATE_LIMITED_RETRIES, "error": "lock_timeout", "method": "POST"}),
        json!({"fail_next": 3, "status": 409}),
    ] {
        set_faults(&base, plan.clone()).await;
        let before = counts(&base).await;
        let (status, body) = interval(&merchant, &id, "yearly").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{plan}");
        assert_eq!(
            body,
            json!({"type": "error", "message": MSG_TRY_AGAIN, "code": "try_again"})
        );
        let d = since(counts(&base).await, before);
        assert_eq!(d.applied, 0, "{plan}");
        set_faults(&base, json!({"fail_next": 0})).await;
    }
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(prices(&session), ["price_sandbox_monthly"]);
}

#[tokio::test]
async fn refusals_are_not_retried() {
    let (base, merchant) = setup_with(fast_retries).await;
    let (id, _) = merchant_session(&merchant).await;
    // A 400 is the request's fault: not retried, the refusal message.
    set_faults(
        &base,
        json!({"fail_next": 1, "status": 400, "method": "POST"}),
    )
    .await;
    let before = counts(&base).await;
    let (status, body) = interval(&merchant, &id, "yearly").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["message"], MSG_BAD_REQUEST);
    assert_eq!(since(counts(&base).await, before).posts, 1);
    // Stripe-Should-Retry: false is obeyed, on a 429 as on a 5xx.
    for status in [429, 503] {
        set_faults(
            &base,
            json!({"fail_next": 1, "status": status, "error": "rate_limit",
                   "should_retry": false, "method": "POST"}),
        )
        .await;
        let before = counts(&base).await;
        let (answer, body) = interval(&merchant, &id, "yearly").await;
        assert_eq!(answer, StatusCode::SERVICE_UNAVAILABLE, "{status}");
        assert_eq!(body["message"], MSG_TRY_AGAIN);
        let d = since(counts(&base).await, before);
        assert_eq!((d.posts, d.applied), (1, 0), "{status}");
    }
}

/// Stripe's rate-limit guide: retry 429s "with an exponential backoff". A
/// rate-limited update is retried with the same idempotency key and applied
/// once; the customer never hears of it.
#[tokio::test]
async fn a_rate_limited_update_is_retried_and_applied_once() {
    let (base, merchant) = setup_with(fast_retries).await;
    let (id, _) = merchant_session(&merchant).await;
    set_faults(
        &base,
        json!({"fail_next": 2, "error": "rate_limit", "method": "POST"}),
    )
    .await;
    let after = last_sent(&base).await;
    let before = counts(&base).await;
    let (status, body) = interval(&merchant, &id, "yearly").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let d = since(counts(&base).await, before);
    assert_eq!((d.posts, d.applied), (3, 1));
    let updates: Vec<Value> = sent(&base, &id, after)
        .await
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    let statuses: Vec<u64> = updates
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [429, 429, 200]);
    let keys: Vec<&Value> = updates.iter().map(|r| &r["idempotency_key"]).collect();
    assert!(
        keys.iter().all(|k| *k == keys[0] && k.is_string()),
        "{keys:?}"
    );
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(prices(&session), ["price_sandbox_yearly"]);
}

/// A `Retry-After` longer than what is left of the update's deadline: no
/// retry is started that could not finish; the customer may try again.
#[tokio::test]
async fn retry_after_past_the_deadline_gives_up_at_once() {
    let (base, merchant) = setup_with(|c| {
        fast_retries(c);
        c.update_deadline = Duration::from_secs(10);
    })
    .await;
    let (id, _) = merchant_session(&merchant).await;
    // 30 s asked, 10 s left: answered at once, not at the deadline.
    set_faults(
        &base,
        json!({"fail_next": 1, "error": "rate_limit", "retry_after": 30, "method": "POST"}),
    )
    .await;
    let started = Instant::now();
    let before = counts(&base).await;
    let (status, _) = interval(&merchant, &id, "yearly").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(since(counts(&base).await, before).posts, 1);
    // A short one is waited for, then the retry lands.
    set_faults(
        &base,
        json!({"fail_next": 1, "error": "rate_limit", "retry_after": 1, "method": "POST"}),
    )
    .await;
    let started = Instant::now();
    let (status, _) = interval(&merchant, &id, "yearly").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn one_deadline_for_the_whole_update() {
    let (base, merchant) = setup_with(|c| {
        fast_retries(c);
        c.update_deadline = Duration::from_millis(400);
    })
    .await;
    let (id, _) = merchant_session(&merchant).await;
    // Every call slower than the deadline: the attempt is cut at the
    // deadline and no retry starts past it.
    set_faults(&base, json!({"delay_next": 10, "delay_ms": 1500})).await;
    let started = Instant::now();
    let (status, body) = interval(&merchant, &id, "yearly").await;
    let elapsed = started.elapsed();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["message"], MSG_TRY_AGAIN);
    assert!(elapsed >= Duration::from_millis(390), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1200), "{elapsed:?}");
    // Two calls of 250 ms each: each within the per-call timeout, together
    // past the deadline of the one update.
    set_faults(&base, json!({"delay_next": 10, "delay_ms": 250})).await;
    let started = Instant::now();
    let (status, _) = interval(&merchant, &id, "yearly").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() < Duration::from_millis(1200));
    set_faults(&base, json!({"fail_next": 0})).await;
    let (status, _) = interval(&merchant, &id, "yearly").await;
    assert_eq!(status, StatusCode::OK);
}

/// A proxy to `target` that drops the first `drop_first` connections it
/// accepts without a word.
async fn flaky_proxy(target: String, drop_first: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let target = target.trim_start_matches("http://").to_owned();
    tokio::spawn(async move {
        let mut accepted = 0;
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                return;
            };
            accepted += 1;
            if accepted <= drop_first {
                drop(client);
                continue;
            }
            let target = target.clone();
            tokio::spawn(async move {
                if let Ok(mut upstream) = TcpStream::connect(&target).await {
                    let _ = copy_bidirectional(&mut client, &mut upstream).await;
                }
            });
        }
    });
    base
}

#[tokio::test]
async fn connection_errors_are_retried() {
    let emulator = spawn_sandbox().await;
    let proxy = flaky_proxy(emulator.clone(), 1).await;
    let mut config = Config::sandbox(&proxy);
    fast_retries(&mut config);
    let merchant = app(config);
    let (id, _) = merchant_session(&merchant).await;
    let (status, body) = interval(&merchant, &id, "yearly").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let s = all_stats(&emulator).await;
    assert_eq!(s["requests"]["POST /v1/checkout/sessions"], 1, "{s}");
    assert_eq!(s["session_updates"], 1);
}

#[tokio::test]
async fn answers_tell_the_servers_time() {
    use tower::ServiceExt;
    let (base, merchant) = setup_with(fast_retries).await;
    let (id, _) = merchant_session(&merchant).await;
    set_faults(&base, json!({"delay_next": 1, "delay_ms": 120})).await;
    let request = axum::http::Request::post("/change-subscription-interval")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            json!({"checkout_session_id": id, "interval": "yearly"}).to_string(),
        ))
        .unwrap();
    let response = merchant.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let timing = response.headers()["server-timing"].to_str().unwrap();
    let ms: f64 = timing.strip_prefix("app;dur=").unwrap().parse().unwrap();
    assert!(ms >= 120.0, "{timing}");
}
