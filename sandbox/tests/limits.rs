//! The rate limiter, the injected latency, the new fault kinds and the trial
//! preview version, over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use checkout_protocol::api_version;
use common::*;
use serde_json::{json, Value};
use stripe_sandbox::middleware::latency::Latency;
use stripe_sandbox::SandboxOptions;

#[tokio::test]
async fn the_rate_limiter_answers_429_rate_limit() {
    let base = spawn_emulator_with(SandboxOptions {
        rate_limit: Some(3),
        ..Default::default()
    })
    .await;
    let mut statuses = Vec::new();
    let mut limited = None;
    for _ in 0..5 {
        let response = http()
            .get(format!("{base}/v1/prices/price_sandbox_monthly"))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
        if response.status().as_u16() == 429 {
            assert!(response.headers().get("stripe-should-retry").is_none());
            assert!(response.headers().contains_key("request-id"));
            limited = Some(response.json::<Value>().await.unwrap());
        }
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    let body = limited.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert_eq!(body["error"]["code"], "rate_limit");
    assert_eq!(body["error"]["message"], "Request rate limit exceeded.");
    assert_eq!(all_stats(&base).await["rate_limited"], 2);
    // The test controls and the Stripe.js stand-in are not limited.
    assert_eq!(
        http()
            .get(format!("{base}/sandbox/basil/stripe.js"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A second later the bucket holds tokens again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, _) = sandbox_get(&base, "cs_test_nope").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn latency_is_injected_and_recorded() {
    let base = spawn_emulator_with(SandboxOptions {
        latency: Latency::parse("60-80"),
        ..Default::default()
    })
    .await;
    let started = Instant::now();
    let session = sandbox_create(&base, &[]).await;
    let id = session["id"].as_str().unwrap();
    let (status, _) = sandbox_get(&base, id).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(120));
    let recorded = get_json(&format!("{base}/sandbox/latency")).await;
    assert_eq!(recorded["latency_ms"], json!({"min": 60, "max": 80}));
    let calls = recorded["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        calls[0]["session"],
        Value::Null,
        "a create names no session yet"
    );
    assert_eq!(calls[1]["session"], id);
    for call in calls {
        let ms = call["ms"].as_u64().unwrap();
        assert!((60..=80).contains(&ms), "{call}");
        assert!(call["at_us"].as_u64().unwrap() > 0);
    }
    // Off by default.
    let plain = spawn_emulator().await;
    let recorded = get_json(&format!("{plain}/sandbox/latency")).await;
    assert_eq!(recorded, json!({"latency_ms": null, "calls": []}));
}

#[tokio::test]
async fn fault_kinds_and_methods() {
    let base = spawn_emulator().await;
    let session = sandbox_create(&base, &[]).await;
    let id = session["id"].as_str().unwrap();
    // Only POSTs draw from a POST fault: the GET passes.
    set_faults(
        &base,
        json!({"fail_next": 1, "error": "rate_limit", "method": "POST"}),
    )
    .await;
    let (status, _) = sandbox_get(&base, id).await;
    assert_eq!(status, 200);
    let (status, body) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        &[("metadata[a]", "1")],
    )
    .await;
    assert_eq!(status, 429);
    assert_eq!(body["error"]["code"], "rate_limit");
    let s = all_stats(&base).await;
    assert_eq!(s["faults"]["failed"], 1);
    assert_eq!(s["session_updates"], 0);
    // A lock timeout may be given another status, for tests that want one.
    set_faults(
        &base,
        json!({"fail_next": 1, "error": "lock_timeout", "status": 409}),
    )
    .await;
    let (status, body) = sandbox_get(&base, id).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "lock_timeout");
    for bad in [
        json!({"fail_next": 1, "error": "teapot"}),
        json!({"fail_next": 1, "method": "PATCH"}),
        json!({"fail_next": 1, "after_endpoint": "yes"}),
    ] {
        let response = http()
            .post(format!("{base}/sandbox/faults"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "{bad}");
    }
}

async fn update_with_version(
    base: &str,
    id: &str,
    version: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let response = http()
        .post(format!("{base}/v1/checkout/sessions/{id}"))
        .bearer_auth(KEY)
        .header("Stripe-Version", version)
        .form(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn trial_updates_need_the_preview_version() {
    let base = spawn_emulator().await;
    let session = sandbox_create(&base, &[]).await;
    let id = session["id"].as_str().unwrap();
    let trial = [("subscription_data[trial_period_days]", "14")];
    for version in [
        api_version::BASIL,
        api_version::DAHLIA,
        "2025-03-31.preview",
    ] {
        let (status, body) = update_with_version(&base, id, version, &trial).await;
        assert_eq!(status, 400, "{version}");
        assert_eq!(
            body["error"]["message"],
            "Received unknown parameter: subscription_data"
        );
    }
    let (status, body) = update_with_version(&base, id, api_version::TRIAL_PREVIEW, &trial).await;
    assert_eq!(status, 200, "{body}");
    // The same version takes the other parameters of an update too.
    let (status, body) = update_with_version(
        &base,
        id,
        api_version::TRIAL_PREVIEW,
        &[
            ("line_items[0][price]", "price_sandbox_yearly"),
            ("line_items[0][quantity]", "1"),
            ("discounts", ""),
            ("subscription_data[trial_period_days]", ""),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Trials on create are GA: any version.
    sandbox_create(&base, &[("subscription_data[trial_period_days]", "7")]).await;
}

#[tokio::test]
async fn the_binary_reads_its_environment() {
    let options = SandboxOptions::from_lookup(|name| match name {
        "SANDBOX_RATE_LIMIT" => Some("25".into()),
        "SANDBOX_LATENCY_MS" => Some("150-400".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(options.rate_limit, Some(25));
    assert_eq!(options.latency, Latency::parse("150-400"));
    for (name, value) in [
        ("SANDBOX_RATE_LIMIT", "0"),
        ("SANDBOX_RATE_LIMIT", "many"),
        ("SANDBOX_LATENCY_MS", "slow"),
        ("SANDBOX_SESSION_TTL_SECS", "0"),
    ] {
        let err =
            SandboxOptions::from_lookup(|n| (n == name).then(|| value.to_owned())).unwrap_err();
        assert!(err.to_string().contains(name), "{err}");
    }
    assert_eq!(
        SandboxOptions::from_lookup(|_| None).unwrap(),
        SandboxOptions::default()
    );
}
