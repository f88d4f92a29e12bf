//! Idempotent requests over HTTP: replays, mismatches, what is not saved,
//! expiry and bounded memory.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use stripe_sandbox::SandboxOptions;

/// An answer: status, `Idempotent-Replayed`, `Idempotency-Key`, body.
#[derive(Debug)]
struct Answer {
    status: u16,
    replayed: Option<String>,
    key: Option<String>,
    body: Value,
}

async fn post_with_key(base: &str, path: &str, key: &str, form: &[(&str, &str)]) -> Answer {
    let response = http()
        .post(format!("{base}{path}"))
        .bearer_auth(KEY)
        .header("Idempotency-Key", key)
        .form(form)
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    Answer {
        status: response.status().as_u16(),
        replayed: header("idempotent-replayed"),
        key: header("idempotency-key"),
        body: response.json().await.unwrap(),
    }
}

fn session_path(session: &Value) -> String {
    format!("/v1/checkout/sessions/{}", session["id"].as_str().unwrap())
}

const YEARLY: &[(&str, &str)] = &[
    ("line_items[0][price]", "price_sandbox_yearly"),
    ("line_items[0][quantity]", "1"),
];

#[tokio::test]
async fn the_same_key_and_parameters_replay_the_first_answer() {
    let base = spawn_emulator().await;
    let session = sandbox_create(&base, &[]).await;
    let path = session_path(&session);
    let first = post_with_key(&base, &path, "key-1", YEARLY).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert_eq!(first.replayed, None);
    assert_eq!(first.key.as_deref(), Some("key-1"), "the key is echoed");
    // The same parameters in another order are the same parameters.
    let again = post_with_key(
        &base,
        &path,
        "key-1",
        &[
            ("line_items[0][quantity]", "1"),
            ("line_items[0][price]", "price_sandbox_yearly"),
        ],
    )
    .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.replayed.as_deref(), Some("true"));
    assert_eq!(again.key.as_deref(), Some("key-1"));
    assert_eq!(again.body, first.body, "the very same answer");
    let s = all_stats(&base).await;
    assert_eq!(s["session_updates"], 1, "applied once");
    assert_eq!(s["idempotency"]["replayed"], 1);
    assert_eq!(s["idempotency"]["keys_reused"], 1);
    // A create replays too: one session, not two.
    let form = [
        ("mode", "subscription"),
        ("ui_mode", "custom"),
        ("line_items[0][price]", "price_sandbox_monthly"),
        ("line_items[0][quantity]", "1"),
        ("return_url", "http://127.0.0.1:8080/return"),
    ];
    let a = post_with_key(&base, "/v1/checkout/sessions", "create-1", &form).await;
    let b = post_with_key(&base, "/v1/checkout/sessions", "create-1", &form).await;
    assert_eq!(a.status, 200);
    assert_eq!(b.replayed.as_deref(), Some("true"));
    assert_eq!(a.body["id"], b.body["id"]);
}

#[tokio::test]
async fn the_same_key_with_other_parameters_is_an_idempotency_error() {
    let base = spawn_emulator().await;
    let session = sandbox_create(&base, &[]).await;
    let path = session_path(&session);
    assert_eq!(
        post_with_key(&base, &path, "key-2", YEARLY).await.status,
        200
    );
    let other = post_with_key(&base, &path, "key-2", &[("metadata[a]", "1")]).await;
    assert_eq!(other.status, 400);
    assert_eq!(
        other.body,
        json!({"error": {
            "type": "idempotency_error",
            "message": "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'key-2' if you meant to execute a different request."
        }})
    );
    let elsewhere = post_with_key(&base, "/v1/coupons", "key-2", &[("percent_off", "5")]).await;
    assert_eq!(elsewhere.status, 400);
    assert_eq!(elsewhere.body["error"]["type"], "idempotency_error");
    assert!(
        elsewhere.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("('/v1/coupons' vs '{path}')")),
        "{}",
        elsewhere.body
    );
    let s = all_stats(&base).await;
    assert_eq!(s["session_updates"], 1);
    assert_eq!(s["idempotency"]["mismatched"], 2);
    // Another key is another request: it applies again.
    let again = post_with_key(&base, &path, "key-3", YEARLY).await;
    assert_eq!((again.status, again.replayed), (200, None));
    assert_eq!(stats(&base).await, 2);
    // Without a key nothing is remembered.
    let (status, _) = sandbox_post(&base, &path, YEARLY).await;
    assert_eq!(status, 200);
    assert_eq!(stats(&base).await, 3);
}

#[tokio::test]
async fn what_fails_before_the_endpoint_runs_is_not_saved() {
    let base = spawn_emulator().await;
    let session = sandbox_create(&base, &[]).await;
    let path = session_path(&session);
    // Invalid parameters: not saved, the key can be used again for anything.
    let bad = post_with_key(&base, &path, "key-4", &[("nonsense", "1")]).await;
    assert_eq!(bad.status, 400);
    // An injected fault before the endpoint: not saved.
    set_faults(&base, json!({"fail_next": 1, "status": 503})).await;
    let fault = post_with_key(&base, &path, "key-4", YEARLY).await;
    assert_eq!(fault.status, 503);
    // A lock timeout: 429, Stripe's code and message, and the header that
    // tells the SDKs to retry it.
    set_faults(&base, json!({"fail_next": 1, "error": "lock_timeout"})).await;
    let response = http()
        .post(format!("{base}{path}"))
        .bearer_auth(KEY)
        .header("Idempotency-Key", "key-4")
        .form(YEARLY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers()["stripe-should-retry"], "true");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert_eq!(body["error"]["code"], "lock_timeout");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("This object cannot be accessed right now"));
    // A missing API key: 401, not saved.
    let unauthorized = http()
        .post(format!("{base}{path}"))
        .header("Idempotency-Key", "key-4")
        .form(YEARLY)
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status().as_u16(), 401);
    assert_eq!(stats(&base).await, 0);
    // Then it runs, once.
    let ok = post_with_key(&base, &path, "key-4", YEARLY).await;
    assert_eq!((ok.status, ok.replayed), (200, None));
    assert_eq!(stats(&base).await, 1);
    let s = all_stats(&base).await;
    assert_eq!(s["idempotency"]["requests_with_key"], 5);
    assert_eq!(s["idempotency"]["keys_reused"], 4);
}

#[tokio::test]
async fn an_answer_lost_after_the_endpoint_ran_is_replayed() {
    let base = spawn_emulator().await;
    let session = sandbox_create(&base, &[]).await;
    let path = session_path(&session);
    set_faults(
        &base,
        json!({"fail_next": 1, "status": 502, "after_endpoint": true}),
    )
    .await;
    let lost = post_with_key(&base, &path, "key-5", YEARLY).await;
    assert_eq!(lost.status, 502);
    assert_eq!(
        stats(&base).await,
        1,
        "applied, though the client heard 502"
    );
    let retry = post_with_key(&base, &path, "key-5", YEARLY).await;
    assert_eq!(
        (retry.status, retry.replayed.as_deref()),
        (200, Some("true"))
    );
    assert_eq!(stats(&base).await, 1, "replayed, not applied again");
}

#[tokio::test]
async fn keys_expire() {
    let base = spawn_emulator_with(SandboxOptions {
        idempotency_ttl: Duration::from_millis(300),
        ..Default::default()
    })
    .await;
    let session = sandbox_create(&base, &[]).await;
    let path = session_path(&session);
    assert_eq!(
        post_with_key(&base, &path, "key-6", YEARLY).await.status,
        200
    );
    assert_eq!(
        post_with_key(&base, &path, "key-6", YEARLY)
            .await
            .replayed
            .as_deref(),
        Some("true")
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    // Pruned: the key starts afresh, with any parameters.
    let later = post_with_key(&base, &path, "key-6", &[("metadata[a]", "1")]).await;
    assert_eq!((later.status, later.replayed), (200, None));
    assert_eq!(stats(&base).await, 2);
    assert_eq!(all_stats(&base).await["idempotency"]["stored"], 1);
}

#[tokio::test]
async fn memory_is_bounded() {
    let base = spawn_emulator_with(SandboxOptions {
        idempotency_max_keys: 3,
        ..Default::default()
    })
    .await;
    let session = sandbox_create(&base, &[]).await;
    let path = session_path(&session);
    for i in 0..10 {
        let key = format!("bounded-{i}");
        assert_eq!(post_with_key(&base, &path, &key, YEARLY).await.status, 200);
    }
    let s = all_stats(&base).await;
    assert_eq!(s["idempotency"]["stored"], 3);
    // The newest keys are kept, the oldest went first.
    let newest = post_with_key(&base, &path, "bounded-9", YEARLY).await;
    assert_eq!(newest.replayed.as_deref(), Some("true"));
    let oldest = post_with_key(&base, &path, "bounded-0", &[("metadata[a]", "1")]).await;
    assert_eq!((oldest.status, oldest.replayed), (200, None));
}

#[tokio::test]
async fn bad_keys_and_gets() {
    let base = spawn_emulator().await;
    let session = sandbox_create(&base, &[]).await;
    let path = session_path(&session);
    let long = "k".repeat(256);
    let too_long = post_with_key(&base, &path, &long, YEARLY).await;
    assert_eq!(too_long.status, 400);
    assert_eq!(too_long.body["error"]["param"], "Idempotency-Key");
    let max = "k".repeat(255);
    assert_eq!(post_with_key(&base, &path, &max, YEARLY).await.status, 200);
    // A GET ignores the header.
    for _ in 0..2 {
        let response = http()
            .get(format!("{base}{path}"))
            .bearer_auth(KEY)
            .header("Idempotency-Key", "get-key")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers().get("idempotent-replayed").is_none());
    }
}
