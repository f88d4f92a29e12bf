//! Webhooks through Stripe's routes, over real HTTP: endpoints, events as
//! Stripe creates them, signed delivery to a receiver on 127.0.0.1, bounded
//! retries, stats; and Stripe's JSON 404 for unknown routes and methods.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use common::*;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use stripe_sandbox::webhooks::delivery::DeliveryPolicy;
use stripe_sandbox::{router_with_state, SandboxOptions, SandboxState};

/// What the receiver got: (Stripe-Signature, raw body).
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

struct Receiver {
    url: String,
    received: Received,
    /// Answers 500 to this many deliveries first.
    fail_first: Arc<Mutex<u32>>,
}

async fn receiver(fail_first: u32) -> Receiver {
    let received: Received = Arc::default();
    let fail = Arc::new(Mutex::new(fail_first));
    let app = Router::new()
        .route(
            "/webhook",
            post(
                |State((received, fail)): State<(Received, Arc<Mutex<u32>>)>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let signature = headers
                        .get("stripe-signature")
                        .map(|v| v.to_str().unwrap().to_owned())
                        .unwrap_or_default();
                    received.lock().unwrap().push((signature, body.to_vec()));
                    let mut fail = fail.lock().unwrap();
                    if *fail > 0 {
                        *fail -= 1;
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::OK
                    }
                },
            ),
        )
        .with_state((received.clone(), fail.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver {
        url,
        received,
        fail_first: fail,
    }
}

/// An emulator with a short retry backoff; returns its base URL.
async fn emulator(options: SandboxOptions) -> String {
    let state = Arc::new(SandboxState::new(&options));
    state.webhooks.set_policy(DeliveryPolicy {
        attempts: 4,
        first_retry: Duration::from_millis(50),
        timeout: Duration::from_secs(5),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = router_with_state(state);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

async fn get(base: &str, path: &str) -> (u16, Value) {
    let r = http()
        .get(format!("{base}{path}"))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn endpoint(base: &str, url: &str, events: &[&str]) -> Value {
    let mut form = vec![("url", url)];
    let names: Vec<String> = (0..events.len())
        .map(|i| format!("enabled_events[{i}]"))
        .collect();
    for (name, event) in names.iter().zip(events) {
        form.push((name.as_str(), event));
    }
    let (status, body) = sandbox_post(base, "/v1/webhook_endpoints", &form).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Verifies `t=…,v1=…` over the raw body as Stripe's libraries do.
fn verify(secret: &str, header: &str, body: &[u8]) -> bool {
    let mut t = None;
    let mut v1 = Vec::new();
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = Some(v.to_owned()),
            Some(("v1", v)) => v1.push(v.to_owned()),
            _ => {}
        }
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{}.", t.unwrap()).as_bytes());
    mac.update(body);
    let expected = hex::encode(mac.finalize().into_bytes());
    v1.contains(&expected)
}

async fn wait_for(received: &Received, n: usize) -> Vec<(String, Vec<u8>)> {
    for _ in 0..200 {
        if received.lock().unwrap().len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    received.lock().unwrap().clone()
}

async fn webhook_stats(base: &str) -> Value {
    all_stats(base).await["webhooks"].clone()
}

#[tokio::test]
async fn endpoints_create_retrieve_update_list_delete() {
    let base = emulator(SandboxOptions::default()).await;
    let created = endpoint(&base, "http://127.0.0.1:9/webhook", &["*"]).await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("we_"));
    assert_eq!(created["object"], "webhook_endpoint");
    assert_eq!(created["status"], "enabled");
    assert_eq!(created["livemode"], false);
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    let (status, got) = get(&base, &format!("/v1/webhook_endpoints/{id}")).await;
    assert_eq!(status, 200);
    assert!(got.get("secret").is_none(), "secret only at creation");
    assert_eq!(got["enabled_events"], serde_json::json!(["*"]));
    let (status, updated) = sandbox_post(
        &base,
        &format!("/v1/webhook_endpoints/{id}"),
        &[
            ("disabled", "true"),
            ("enabled_events[0]", "checkout.session.completed"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["status"], "disabled");
    let second = endpoint(&base, "http://localhost:9/other", &["*"]).await;
    let (_, list) = get(&base, "/v1/webhook_endpoints?limit=1").await;
    assert_eq!(list["object"], "list");
    assert_eq!(list["url"], "/v1/webhook_endpoints");
    assert_eq!(list["has_more"], true);
    assert_eq!(list["data"][0]["id"], second["id"], "newest first");
    let deleted: Value = http()
        .delete(format!("{base}/v1/webhook_endpoints/{id}"))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        deleted,
        serde_json::json!({"deleted": true, "id": id, "object": "webhook_endpoint"})
    );
    let (status, body) = get(&base, &format!("/v1/webhook_endpoints/{id}")).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "resource_missing");
    // Only http(s) URLs on this machine: the emulator never posts off it.
    for url in ["ftp://127.0.0.1/x", "https://example.com/hook", "not a url"] {
        let (status, body) = sandbox_post(
            &base,
            "/v1/webhook_endpoints",
            &[("url", url), ("enabled_events[0]", "*")],
        )
        .await;
        assert_eq!(status, 400, "{url}");
        assert_eq!(body["error"]["param"], "url");
    }
    let (status, body) = sandbox_post(
        &base,
        "/v1/webhook_endpoints",
        &[("url", "http://127.0.0.1:9/")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["param"], "enabled_events");
}

#[tokio::test]
async fn expire_creates_a_signed_event_delivered_to_the_endpoint() {
    let base = emulator(SandboxOptions::default()).await;
    let hook = receiver(0).await;
    let secret = endpoint(&base, &hook.url, &["checkout.session.expired"]).await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = sandbox_create(&base, &[]).await;
    let id = session["id"].as_str().unwrap();
    let response = http()
        .post(format!("{base}/v1/checkout/sessions/{id}/expire"))
        .bearer_auth(KEY)
        .header("Idempotency-Key", "expire-1")
        .send()
        .await
        .unwrap();
    let request_id = response.headers()["request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(response.status(), 200);
    let got = wait_for(&hook.received, 1).await;
    assert_eq!(got.len(), 1);
    let (signature, body) = &got[0];
    assert!(signature.starts_with("t="), "{signature}");
    assert!(signature.contains(",v1=") && signature.contains(",v0="));
    assert!(
        verify(&secret, signature, body),
        "signature over the raw body"
    );
    assert!(!verify("whsec_other", signature, body));
    let text = std::str::from_utf8(body).unwrap();
    assert!(
        text.starts_with("{\n  \"id\": \"evt_"),
        "pretty-printed: {text}"
    );
    let event: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(event["object"], "event");
    assert_eq!(event["type"], "checkout.session.expired");
    assert_eq!(event["livemode"], false);
    assert_eq!(event["api_version"], "2025-03-31.basil");
    assert_eq!(event["data"]["object"]["id"], id);
    assert_eq!(event["data"]["object"]["object"], "checkout.session");
    assert_eq!(event["data"]["object"]["status"], "expired");
    assert_eq!(event["request"]["id"], request_id.as_str());
    assert_eq!(event["request"]["idempotency_key"], "expire-1");
    assert_eq!(event["pending_webhooks"], 1);
    // The event through the API; delivered, so nothing is pending any more.
    let event_id = event["id"].as_str().unwrap();
    let (status, stored) = get(&base, &format!("/v1/events/{event_id}")).await;
    assert_eq!(status, 200);
    assert_eq!(stored["pending_webhooks"], 0);
    assert_eq!(stored["data"], event["data"]);
    let (_, list) = get(&base, "/v1/events?type=checkout.session.*").await;
    assert_eq!(list["data"][0]["id"], event_id);
    let (_, none) = get(&base, "/v1/events?type=checkout.session.completed").await;
    assert_eq!(none["data"], serde_json::json!([]));
    let (status, missing) = get(&base, "/v1/events/evt_nope").await;
    assert_eq!(status, 404);
    assert_eq!(missing["error"]["code"], "resource_missing");
    let stats = webhook_stats(&base).await;
    assert_eq!(stats["events_created"], 1);
    assert_eq!(stats["deliveries_succeeded"], 1);
}

#[tokio::test]
async fn payment_creates_checkout_session_completed() {
    let base = emulator(SandboxOptions::default()).await;
    let hook = receiver(0).await;
    let secret = endpoint(&base, &hook.url, &["checkout.session.completed"]).await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = sandbox_create(&base, &[]).await;
    let id = session["id"].as_str().unwrap();
    let response = http()
        .post(format!("{base}/v1/payment_pages/{id}/confirm"))
        .form(&[
            ("key", "pk_test_sandbox"),
            ("client_secret", session["client_secret"].as_str().unwrap()),
            ("payment_method[card][number]", "4242424242424242"),
            ("email", "buyer@example.com"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let got = wait_for(&hook.received, 1).await;
    let (signature, body) = &got[0];
    assert!(verify(&secret, signature, body));
    let event: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(event["type"], "checkout.session.completed");
    assert_eq!(event["data"]["object"]["status"], "complete");
    assert_eq!(event["data"]["object"]["payment_status"], "paid");
    assert_eq!(
        event["request"],
        serde_json::json!({"id": null, "idempotency_key": null})
    );
}

#[tokio::test]
async fn expiry_by_time_is_announced_without_any_read() {
    let base = emulator(SandboxOptions {
        session_ttl: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let hook = receiver(0).await;
    endpoint(&base, &hook.url, &["*"]).await;
    let session = sandbox_create(&base, &[]).await;
    let got = wait_for(&hook.received, 1).await;
    assert_eq!(got.len(), 1, "the sweeper expired the session");
    let event: Value = serde_json::from_slice(&got[0].1).unwrap();
    assert_eq!(event["type"], "checkout.session.expired");
    assert_eq!(event["data"]["object"]["id"], session["id"]);
    assert_eq!(event["request"]["id"], Value::Null, "automatic");
    // Reading the session afterwards announces nothing twice.
    let (_, read) = sandbox_get(&base, session["id"].as_str().unwrap()).await;
    assert_eq!(read["status"], "expired");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hook.received.lock().unwrap().len(), 1);
    assert_eq!(webhook_stats(&base).await["events_created"], 1);
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_backoff_then_abandoned() {
    let base = emulator(SandboxOptions::default()).await;
    // Two failures, then success: three attempts, each signed afresh.
    let flaky = receiver(2).await;
    let secret = endpoint(&base, &flaky.url, &["*"]).await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let s = sandbox_create(&base, &[]).await;
    let id = s["id"].as_str().unwrap();
    sandbox_post(&base, &format!("/v1/checkout/sessions/{id}/expire"), &[]).await;
    let got = wait_for(&flaky.received, 3).await;
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|(sig, body)| verify(&secret, sig, body)));
    assert!(
        got.windows(2).all(|w| w[0].1 == w[1].1),
        "same event each time"
    );
    let stats = webhook_stats(&base).await;
    assert_eq!(stats["deliveries_attempted"], 3);
    assert_eq!(stats["deliveries_failed"], 2);
    assert_eq!(stats["deliveries_retried"], 2);
    assert_eq!(stats["deliveries_succeeded"], 1);
    // An endpoint that always fails: 4 attempts (1 + 3 retries), then given up.
    let down = receiver(u32::MAX).await;
    let base = emulator(SandboxOptions::default()).await;
    endpoint(&base, &down.url, &["*"]).await;
    let s = sandbox_create(&base, &[]).await;
    let id = s["id"].as_str().unwrap();
    sandbox_post(&base, &format!("/v1/checkout/sessions/{id}/expire"), &[]).await;
    wait_for(&down.received, 4).await;
    for _ in 0..100 {
        if webhook_stats(&base).await["deliveries_abandoned"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stats = webhook_stats(&base).await;
    assert_eq!(stats["deliveries_attempted"], 4);
    assert_eq!(stats["deliveries_abandoned"], 1);
    assert_eq!(down.received.lock().unwrap().len(), 4);
    *down.fail_first.lock().unwrap() = 0;
    let (_, pending) = get(&base, "/v1/events?delivery_success=false").await;
    assert_eq!(pending["data"][0]["pending_webhooks"], 1);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_stripe_json_404s() {
    let base = emulator(SandboxOptions::default()).await;
    let cases = [
        ("GET", "/v1/nope", "Unrecognized request URL (GET: /v1/nope)."),
        (
            "DELETE",
            "/v1/checkout/sessions/cs_test_x",
            "Unrecognized request URL (DELETE: /v1/checkout/sessions/cs_test_x).",
        ),
        (
            "PUT",
            "/v1/checkout/sessions",
            "Unrecognized request URL (PUT: /v1/checkout/sessions).",
        ),
        (
            "GET",
            "/v1/checkout/sessions/",
            "Unrecognized request URL (GET: /v1/checkout/sessions/). If you are trying to list objects, remove the trailing slash.",
        ),
        (
            "POST",
            "/v1/payment_pages/cs_test_x/nope",
            "Unrecognized request URL (POST: /v1/payment_pages/cs_test_x/nope).",
        ),
    ];
    for (method, path, start) in cases {
        let response = http()
            .request(method.parse().unwrap(), format!("{base}{path}"))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
        assert!(response.headers().contains_key("request-id"));
        let body: Value = response.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(start), "{message}");
        assert!(message.ends_with(
            "Please see https://stripe.com/docs or we can help at https://support.stripe.com/."
        ));
        assert_eq!(body["error"]["type"], "invalid_request_error");
        assert!(body["error"].get("code").is_none() && body["error"].get("param").is_none());
    }
}
