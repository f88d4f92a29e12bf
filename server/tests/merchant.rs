//! Merchant endpoints through `oneshot`, against a sandbox on 127.0.0.1:0.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use checkout_server::{App, Config, Discount, DiscountPolicy, Order, PolicyFuture};
use common::*;
use serde_json::{json, Value};
use std::sync::Arc;

const GENERIC_400: &str = "We couldn't process your request. Please try again later.";
const TRY_AGAIN: &str = checkout_protocol::Refusal::TryAgain.message();

fn assert_error_shape(body: &Value) {
    assert_eq!(body["type"], "error", "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn config_has_no_secret() {
    let (_, merchant) = setup().await;
    let (status, body) = send(&merchant, "GET", "/config", None, Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"publishableKey": "pk_test_sandbox", "stripeJsUrl": "/sandbox/basil/stripe.js", "mode": "sandbox", "train": "basil", "previews": ["discounts", "trials"], "intervals": ["monthly", "yearly"]})
    );
    assert!(!body.to_string().contains("sk_"));
}

#[tokio::test]
async fn create_checkout_session_returns_client_secret() {
    let (base, merchant) = setup().await;
    let (id, secret) = merchant_session(&merchant).await;
    assert!(secret.starts_with("cs_test_"));
    assert!(secret.contains("_secret_"));
    let (status, session) = sandbox_get(&base, &id).await;
    assert_eq!(status, 200);
    assert_eq!(session["mode"], "subscription");
    assert_eq!(session["ui_mode"], "custom");
    assert_eq!(session["permissions"]["update_line_items"], "server_only");
    assert_eq!(session["permissions"]["update_discounts"], "server_only");
    assert_eq!(prices(&session), vec!["price_sandbox_monthly"]);
    assert_eq!(session["amount_total"], 1500);
    assert!(session["return_url"]
        .as_str()
        .unwrap()
        .contains("{CHECKOUT_SESSION_ID}"));
}

#[tokio::test]
async fn change_interval_monthly_to_yearly_and_back() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;
    let (status, body) = post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": id, "interval": "yearly"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"type": "success"}));
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(prices(&session), vec!["price_sandbox_yearly"]);
    assert_eq!(session["amount_total"], 15000);
    assert_eq!(stats(&base).await, 1);

    let (status, _) = post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": id, "interval": "monthly"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(prices(&session), vec!["price_sandbox_monthly"]);
    assert_eq!(session["amount_total"], 1500);
}

#[tokio::test]
async fn change_interval_bad_input() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;

    let (status, body) = post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": id, "interval": "weekly"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);
    assert!(body["message"].as_str().unwrap().contains("interval"));
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(prices(&session), vec!["price_sandbox_monthly"]);

    let (status, body) = post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"interval": "yearly"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"type": "error", "message": GENERIC_400, "code": "bad_request"})
    );

    let (status, body) = post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": id}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["message"], GENERIC_400);

    // Wrong JSON types.
    let (status, body) = post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": 5, "interval": "yearly"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);

    // Bad id shape: never reaches Stripe.
    for bad in ["cs_test_abc/../x", "pi_123", "cs_test_", "cs_test_a b"] {
        let (status, body) = post_json(
            &merchant,
            "/change-subscription-interval",
            &json!({"checkout_session_id": bad, "interval": "yearly"}),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_error_shape(&body);
    }

    // Unknown session: Stripe's 404 becomes the generic 400.
    let (status, body) = post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": "cs_test_doesnotexist", "interval": "yearly"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"type": "error", "message": GENERIC_400, "code": "bad_request"})
    );
    assert_eq!(stats(&base).await, 0);
}

#[tokio::test]
async fn malformed_bodies_get_json_errors() {
    let (_, merchant) = setup().await;
    for uri in [
        "/change-subscription-interval",
        "/update-discounts",
        "/apply-customer-discount",
    ] {
        let (status, body) = send(
            &merchant,
            "POST",
            uri,
            Some("application/json"),
            "{not json",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_error_shape(&body);

        let (status, body) = send(
            &merchant,
            "POST",
            uri,
            Some("text/plain"),
            r#"{"checkout_session_id":"cs_test_a"}"#,
        )
        .await;
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{uri}: {status}"
        );
        assert_error_shape(&body);

        let (status, body) = send(&merchant, "POST", uri, None, Body::empty()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_error_shape(&body);

        let (status, body) = send(&merchant, "POST", uri, Some("application/json"), "[1,2]").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_error_shape(&body);
    }
}

#[tokio::test]
async fn oversized_body_is_413_json() {
    let (_, merchant) = setup().await;
    let big = json!({"checkout_session_id": "cs_test_abc", "interval": "x".repeat(17 * 1024)});
    let (status, body) = post_json(&merchant, "/change-subscription-interval", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error_shape(&body);
}

#[tokio::test]
async fn apply_customer_discount_on_yearly() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;
    post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": id, "interval": "yearly"}),
    )
    .await;
    let (status, body) = post_json(
        &merchant,
        "/apply-customer-discount",
        &json!({"checkout_session_id": id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"type": "object", "value": {"succeeded": true}})
    );
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["amount_total"], 13500);
    assert_eq!(session["total_details"]["amount_discount"], 1500);
    let coupon = &session["discounts"][0]["coupon"];
    assert_eq!(coupon["name"], "Customer Discount");
    assert_eq!(coupon["amount_off"], 1500);
    assert_eq!(coupon["currency"], "usd");

    // Idempotent: applying again keeps the same amount.
    let (status, _) = post_json(
        &merchant,
        "/apply-customer-discount",
        &json!({"checkout_session_id": id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["amount_total"], 13500);
    assert_eq!(session["discounts"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn apply_customer_discount_is_capped() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;
    // 17 × $15 = $255 (over $200): 10 % would be $25.50, capped at $20.
    let (_, session) = sandbox_get(&base, &id).await;
    let li = session["line_items"]["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        &[
            ("line_items[0][id]", &li),
            ("line_items[0][quantity]", "17"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount_subtotal"], 25500);
    let (status, body) = post_json(
        &merchant,
        "/apply-customer-discount",
        &json!({"checkout_session_id": id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["total_details"]["amount_discount"], 2000);
    assert_eq!(session["amount_total"], 23500);
}

#[tokio::test]
async fn apply_customer_discount_not_eligible() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;
    let (status, body) = post_json(
        &merchant,
        "/apply-customer-discount",
        &json!({"checkout_session_id": id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"type": "error", "message": "Customer discounts apply to orders over $100.00.", "code": "not_eligible"})
    );
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["amount_total"], 1500);
    assert_eq!(session["discounts"], json!([]));
    assert_eq!(stats(&base).await, 0);

    let (status, body) = post_json(&merchant, "/apply-customer-discount", &json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);

    let (status, body) = post_json(
        &merchant,
        "/apply-customer-discount",
        &json!({"checkout_session_id": "cs_test_unknown"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);
}

#[tokio::test]
async fn update_discounts_validate_apply_remove() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;
    post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": id, "interval": "yearly"}),
    )
    .await;

    let (status, body) = post_json(
        &merchant,
        "/update-discounts",
        &json!({"checkout_session_id": id, "discounts": [{"coupon": "a"}, {"coupon": "b"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"type": "error", "message": "Your discounts are invalid. Please refresh your session.", "code": "invalid_discounts"})
    );

    let (status, body) = post_json(
        &merchant,
        "/update-discounts",
        &json!({"checkout_session_id": id, "discounts": [{"promotion_code": "SAVE"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"type": "object", "value": {"succeeded": true}})
    );
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["amount_total"], 13500);

    let (status, body) = post_json(
        &merchant,
        "/update-discounts",
        &json!({"checkout_session_id": id, "discounts": []}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["type"], "object");
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["amount_total"], 15000);
    assert_eq!(session["discounts"], json!([]));

    // "" also removes.
    post_json(
        &merchant,
        "/apply-customer-discount",
        &json!({"checkout_session_id": id}),
    )
    .await;
    let (status, _) = post_json(
        &merchant,
        "/update-discounts",
        &json!({"checkout_session_id": id, "discounts": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["amount_total"], 15000);

    let (status, body) = post_json(
        &merchant,
        "/update-discounts",
        &json!({"checkout_session_id": id, "discounts": 7}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);

    let (status, body) = post_json(
        &merchant,
        "/update-discounts",
        &json!({"checkout_session_id": "cs_test_nope", "discounts": []}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"type": "error", "message": "We could not update your discounts. Please try again.", "code": "discount_failed"})
    );
}

#[tokio::test]
async fn injected_faults_are_retried_and_past_the_retries_answer_503() {
    let (base, merchant) = setup_with(fast_retries).await;
    let (id, _) = merchant_session(&merchant).await;
    // One 500: the Stripe client retries it, the customer never sees it.
    set_faults(&base, json!({"fail_next": 1, "status": 500})).await;
    let req = json!({"checkout_session_id": id, "interval": "yearly"});
    let (status, body) = post_json(&merchant, "/change-subscription-interval", &req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["amount_total"], 15000);

    // Three (more than the two retries): 503 "try again", nothing changed.
    set_faults(&base, json!({"fail_next": 3, "status": 500})).await;
    let req = json!({"checkout_session_id": id, "interval": "monthly"});
    let (status, body) = post_json(&merchant, "/change-subscription-interval", &req).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        body,
        json!({"type": "error", "message": TRY_AGAIN, "code": "try_again"})
    );
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["amount_total"], 15000);
    let (status, body) = post_json(&merchant, "/change-subscription-interval", &req).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A discount call past the retries: "try again" too, not the discount
    // message of a refusal.
    set_faults(&base, json!({"fail_next": 3, "status": 503})).await;
    let (status, body) = post_json(
        &merchant,
        "/apply-customer-discount",
        &json!({"checkout_session_id": id}),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["message"], TRY_AGAIN);
    // A create during five 500s → 503 as well; cleared faults → works.
    set_faults(&base, json!({"fail_next": 5})).await;
    let (status, body) = send(
        &merchant,
        "POST",
        "/create-checkout-session",
        None,
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["message"], TRY_AGAIN);
    set_faults(&base, json!({"fail_next": 0})).await;
    merchant_session(&merchant).await;
}

#[tokio::test]
async fn unreachable_stripe_is_503_try_again() {
    // Nothing listens on port 9 (discard) of 127.0.0.1 in the test environment.
    let mut config = Config::sandbox("http://127.0.0.1:9");
    fast_retries(&mut config);
    let merchant = checkout_server::app(config);
    let (status, body) = send(
        &merchant,
        "POST",
        "/create-checkout-session",
        None,
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["message"], TRY_AGAIN);
}

struct FlatFive;

impl DiscountPolicy for FlatFive {
    fn discount_for<'a>(&'a self, order: &'a Order<'a>) -> PolicyFuture<'a, Option<Discount>> {
        let discount = Discount {
            name: "Flat five".into(),
            amount_off: 500,
            currency: order.currency.to_owned(),
        };
        Box::pin(async move { Ok(Some(discount)) })
    }
}

#[tokio::test]
async fn custom_policy_is_used() {
    let base = spawn_sandbox().await;
    let merchant = App::new(Config::sandbox(&base))
        .discount_policy(Arc::new(FlatFive))
        .router();
    let (id, _) = merchant_session(&merchant).await;
    let (status, body) = post_json(
        &merchant,
        "/apply-customer-discount",
        &json!({"checkout_session_id": id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["amount_total"], 1000);
    assert_eq!(session["discounts"][0]["coupon"]["name"], "Flat five");
}

#[tokio::test]
async fn a_known_customer_email_goes_to_stripe_and_a_bad_one_is_refused() {
    let base = spawn_sandbox().await;
    let merchant = checkout_server::app(Config::sandbox(&base));
    let (status, body) = post_json(
        &merchant,
        "/create-checkout-session",
        &json!({"customer_email": " ada@example.com "}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let secret = body["clientSecret"].as_str().unwrap();
    let id = secret.split("_secret_").next().unwrap();
    let (_, session) = sandbox_get(&base, id).await;
    assert_eq!(session["customer_email"], "ada@example.com");

    let (status, body) = post_json(
        &merchant,
        "/create-checkout-session",
        &json!({"customer_email": "ada@example"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["message"],
        "customer_email is not a valid email address."
    );
    assert_eq!(body["code"], "invalid_request");
}
