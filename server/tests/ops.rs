//! Operations: `/healthz`, `/readyz` (the store answering or not),
//! `/metrics` (what a request, a Stripe call, a refusal and a webhook count;
//! `METRICS_TOKEN`), the client's well-formed `X-Request-Id` kept, and the
//! per-client limit: 429 with `Retry-After` for one client, before any
//! Stripe call, while another client is served.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::{IpAddr, Ipv4Addr};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use checkout_server::config::{ClientKey, RateLimit};
use checkout_server::{App, Config, Store};
use common::*;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str, auth: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::get(uri);
    if let Some(token) = auth {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn health_and_readiness() {
    let (_, app) = setup().await;
    assert_eq!(
        get(&app, "/healthz", None).await,
        (StatusCode::OK, r#"{"status":"ok"}"#.to_owned())
    );
    assert_eq!(get(&app, "/readyz", None).await.0, StatusCode::OK);
    // A store that does not answer (nothing listens on port 1): not ready, still alive.
    let base = spawn_sandbox().await;
    let unreachable = App::new(Config::sandbox(&base))
        .store(Store::new("postgres://postgres@127.0.0.1:1/none").unwrap())
        .router();
    let (status, body) = get(&unreachable, "/readyz", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(!body.contains("127.0.0.1"), "no connection details: {body}");
    assert_eq!(get(&unreachable, "/healthz", None).await.0, StatusCode::OK);
}

/// The value of the sample of `name` whose labels are all in `labels`.
fn sample(metrics: &str, name: &str, labels: &[&str]) -> f64 {
    metrics
        .lines()
        .filter(|l| l.starts_with(&format!("{name}{{")))
        .filter(|l| labels.iter().all(|label| l.contains(label)))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

#[tokio::test]
async fn metrics_count_requests_stripe_calls_refusals_and_webhooks() {
    let (_, app) = setup().await;
    let before = get(&app, "/metrics", None).await.1;
    let (id, _) = merchant_session(&app).await;
    let (status, _) = post_json(
        &app,
        "/update-line-item-quantity",
        &json!({"checkout_session_id": id, "line_item_id": "li_nope", "quantity": 2}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = post_json(&app, "/webhook", &json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "unsigned");
    let (status, after) = get(&app, "/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    let grew =
        |name: &str, labels: &[&str]| sample(&after, name, labels) - sample(&before, name, labels);
    assert!(
        grew(
            "http_requests_total",
            &[r#"route="/create-checkout-session""#, r#"status="200""#]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        grew(
            "merchant_requests_total",
            &[r#"endpoint="create-checkout-session""#, r#"outcome="ok""#]
        ) >= 1.0
    );
    assert!(
        grew(
            "merchant_requests_total",
            &[
                r#"endpoint="update-line-item-quantity""#,
                r#"outcome="no_line_item""#
            ]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        grew(
            "stripe_requests_total",
            &[r#"operation="create_session""#, r#"outcome="ok""#]
        ) >= 1.0
    );
    assert!(grew("webhook_events_total", &[r#"result="bad_signature""#]) >= 1.0);
    assert!(
        after.contains("stripe_request_duration_seconds_bucket"),
        "histograms have buckets"
    );

    // With a token, only with the token.
    let mut config = Config::sandbox("http://127.0.0.1:9");
    config.metrics_token = Some("s3cret".to_owned());
    let guarded = App::new(config).router();
    assert_eq!(
        get(&guarded, "/metrics", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&guarded, "/metrics", Some("wrong")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&guarded, "/metrics", Some("s3cret")).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_well_formed_client_request_id_is_kept_and_another_replaced() {
    let (_, app) = setup().await;
    for (sent, kept) in [
        ("lb-7f3a9c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b", true),
        ("bad id\twith spaces", false),
        (&"x".repeat(129), false),
    ] {
        let response = app
            .clone()
            .oneshot(
                Request::get("/config")
                    .header("x-request-id", sent)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let id = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(id == sent, kept, "{sent:?} → {id}");
        if !kept {
            assert!(id.starts_with("mreq_"), "{id}");
        }
    }
}

/// Serves `app` on 127.0.0.1:0 through the listener (which gives each request its peer).
async fn served(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    serve(listener, app);
    base
}

fn client_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::from(ip)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn one_client_over_its_limit_gets_429_before_any_stripe_call_and_others_are_served() {
    let stripe = spawn_emulator().await;
    let mut config = Config::sandbox(&stripe);
    config.mode = checkout_server::Mode::Stripe;
    config.rate_limit = Some(RateLimit {
        per_minute: 1,
        burst: 3,
        client: ClientKey::Peer,
    });
    let base = served(App::new(config).router()).await;
    let bot = client_from([127, 0, 0, 9]);
    let mut statuses = Vec::new();
    let mut retry_after = None;
    let mut sent_to_stripe = 0;
    for i in 0..6 {
        if i == 3 {
            sent_to_stripe = last_sent(&stripe).await;
        }
        let r = bot
            .post(format!("{base}/create-checkout-session"))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            retry_after = r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(body["code"], "try_again", "{body}");
        }
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429, 429]);
    let wait: u64 = retry_after.unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(
        last_sent(&stripe).await,
        sent_to_stripe,
        "the refused never reached Stripe"
    );
    // Another customer, and what is not limited (the page's config, health).
    let customer = client_from([127, 0, 0, 2]);
    let r = customer
        .post(format!("{base}/create-checkout-session"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for path in ["/config", "/healthz"] {
        assert_eq!(
            bot.get(format!("{base}{path}"))
                .send()
                .await
                .unwrap()
                .status(),
            200,
            "{path}"
        );
    }
}
