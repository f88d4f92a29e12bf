//! `POST /checkout-session-status`: what the widget asks when Stripe.js
//! cannot read the session. It tells open, complete, expired and unknown
//! apart, refuses malformed ids, and never answers a client secret.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

const STATUS: &str = checkout_protocol::endpoints::CHECKOUT_SESSION_STATUS;

#[tokio::test]
async fn open_complete_expired_and_unknown() {
    let (base, merchant) = setup().await;

    let (open, secret) = merchant_session(&merchant).await;
    let (status, body) = post_json(&merchant, STATUS, &json!({"checkout_session_id": open})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "open"}));
    assert!(!body.to_string().contains("secret"));

    // Paid with the test card, as the Stripe.js stand-in does.
    let (code, _) = sandbox_post(
        &base,
        &format!("/v1/payment_pages/{open}/confirm"),
        &[
            ("key", "pk_test_sandbox"),
            ("client_secret", &secret),
            ("payment_method[card][number]", "4242424242424242"),
            ("email", "buyer@example.com"),
        ],
    )
    .await;
    assert_eq!(code, 200);
    let (_, body) = post_json(&merchant, STATUS, &json!({"checkout_session_id": open})).await;
    assert_eq!(body, json!({"status": "complete"}));

    let (expired, _) = merchant_session(&merchant).await;
    let (code, _) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{expired}/expire"),
        &[],
    )
    .await;
    assert_eq!(code, 200);
    let (_, body) = post_json(&merchant, STATUS, &json!({"checkout_session_id": expired})).await;
    assert_eq!(body, json!({"status": "expired"}));

    let (status, body) = post_json(
        &merchant,
        STATUS,
        &json!({"checkout_session_id": "cs_test_neverCreated123"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "unknown"}));
}

#[tokio::test]
async fn malformed_requests_are_refused() {
    let (_, merchant) = setup().await;
    for body in [
        json!({}),
        json!({"checkout_session_id": "cs_test_a/../b"}),
        json!({"checkout_session_id": 5}),
        json!({"checkout_session_id": "cs_test_abc", "client_secret": "x"}),
    ] {
        let (status, reply) = post_json(&merchant, STATUS, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply["type"], "error", "{reply}");
        assert_eq!(reply["code"], "invalid_request", "{reply}");
    }
}

#[tokio::test]
async fn stripe_failing_is_a_server_error_not_unknown() {
    let (base, merchant) = setup_with(fast_retries).await;
    let (id, _) = merchant_session(&merchant).await;
    // Three 503s: more than the Stripe client's two retries.
    let faults = http()
        .post(format!("{base}/sandbox/faults"))
        .json(&json!({"fail_next": 3, "status": 503}))
        .send()
        .await
        .unwrap();
    assert_eq!(faults.status(), 204);
    let (status, body) = post_json(&merchant, STATUS, &json!({"checkout_session_id": id})).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["code"], "try_again");
}
