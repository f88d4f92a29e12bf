//! What the merchant server sends Stripe, read from the emulator's request
//! log (`GET /sandbox/requests`): each update carries what it changes and
//! what the policies need, nothing else; preview parameters, permissions and
//! the preview API version only when a preview is in use.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use axum::Router;
use checkout_protocol::api_version::{BASIL, TRIAL_PREVIEW};
use checkout_server::merchant::TRIAL_METADATA_KEY;
use checkout_server::{Previews, Train};
use common::*;
use serde_json::{json, Value};

const LINE_ITEM_BY_PRICE: [&str; 2] = ["line_items[0][price]", "line_items[0][quantity]"];

/// The session updates sent for `id` after `after`, in order.
async fn updates(base: &str, id: &str, after: u64) -> Vec<Value> {
    sent(base, id, after)
        .await
        .into_iter()
        .filter(|r| r["method"] == "POST" && r["path"] == format!("/v1/checkout/sessions/{id}"))
        .collect()
}

/// The create calls sent so far.
async fn creates(base: &str) -> Vec<Value> {
    let log = get_json(&format!(
        "{base}/sandbox/requests?path=/v1/checkout/sessions&method=POST"
    ))
    .await;
    log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == "/v1/checkout/sessions")
        .cloned()
        .collect()
}

async fn switch(merchant: &Router, id: &str, interval: &str) {
    let (status, body) = post_json(
        merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": id, "interval": interval}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn call(merchant: &Router, path: &str, id: &str) -> (StatusCode, Value) {
    post_json(merchant, path, &json!({"checkout_session_id": id})).await
}

#[tokio::test]
async fn the_interval_switch_is_the_guides_call_on_a_session_without_trial_or_discount() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;
    for interval in ["yearly", "monthly", "yearly"] {
        switch(&merchant, &id, interval).await;
    }
    let sent = updates(&base, &id, 0).await;
    assert_eq!(sent.len(), 3);
    for (update, price) in sent.iter().zip(["yearly", "monthly", "yearly"]) {
        assert_eq!(param_names(update), LINE_ITEM_BY_PRICE, "{update}");
        assert_eq!(
            param(update, "line_items[0][price]"),
            Some(format!("price_sandbox_{price}").as_str())
        );
        assert_eq!(update["stripe_version"], BASIL, "{update}");
    }
    // Created with the beta's permissions: line items, and discounts (the
    // emulator's account has that preview).
    let create = &creates(&base).await[0];
    assert_eq!(create["stripe_version"], BASIL);
    assert_eq!(
        param(create, "permissions[update_line_items]"),
        Some("server_only")
    );
    assert_eq!(
        param(create, "permissions[update_discounts]"),
        Some("server_only")
    );
    assert!(param_names(create)
        .iter()
        .all(|p| !p.starts_with("subscription_data")));
}

#[tokio::test]
async fn a_trial_is_set_and_removed_with_its_own_field_under_the_preview_version() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;
    switch(&merchant, &id, "yearly").await;
    let after = last_sent(&base).await;
    let (status, body) = call(&merchant, "/extend-trial-for-yearly", &id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    switch(&merchant, &id, "monthly").await;
    switch(&merchant, &id, "yearly").await;
    let marker = format!("metadata[{TRIAL_METADATA_KEY}]");
    let sent = updates(&base, &id, after).await;
    let [trial, monthly, yearly] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    assert_eq!(
        param_names(trial),
        [
            "line_items[0][id]",
            "line_items[0][quantity]",
            "subscription_data[trial_period_days]",
            &marker,
        ]
    );
    assert_eq!(
        param(trial, "subscription_data[trial_period_days]"),
        Some("14")
    );
    assert_eq!(param(trial, &marker), Some("14"));
    assert_eq!(trial["stripe_version"], TRIAL_PREVIEW);
    // Monthly: the trial goes, with the field it was set with.
    assert_eq!(
        param_names(monthly),
        [
            LINE_ITEM_BY_PRICE[0],
            LINE_ITEM_BY_PRICE[1],
            "subscription_data[trial_period_days]",
            &marker,
        ]
    );
    assert_eq!(
        param(monthly, "subscription_data[trial_period_days]"),
        Some("")
    );
    assert_eq!(param(monthly, &marker), Some(""));
    assert_eq!(monthly["stripe_version"], TRIAL_PREVIEW);
    // Back to yearly: no trial to remove, the guide's call again.
    assert_eq!(param_names(yearly), LINE_ITEM_BY_PRICE);
    assert_eq!(yearly["stripe_version"], BASIL);
}

#[tokio::test]
async fn a_discount_follows_the_plan_only_when_the_session_has_one() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;
    switch(&merchant, &id, "yearly").await;
    let after = last_sent(&base).await;
    let (status, body) = call(&merchant, "/apply-customer-discount", &id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    switch(&merchant, &id, "monthly").await;
    switch(&merchant, &id, "yearly").await;
    let sent = updates(&base, &id, after).await;
    let [discount, monthly, yearly] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    assert_eq!(
        param_names(discount),
        [
            "line_items[0][id]",
            "line_items[0][quantity]",
            "discounts[0][coupon_data][name]",
            "discounts[0][coupon_data][amount_off]",
            "discounts[0][coupon_data][currency]",
        ]
    );
    assert_eq!(
        param(discount, "discounts[0][coupon_data][amount_off]"),
        Some("1500")
    );
    // $15.00 a month is not eligible: the discount goes with the plan.
    assert_eq!(
        param_names(monthly),
        [LINE_ITEM_BY_PRICE[0], LINE_ITEM_BY_PRICE[1], "discounts"]
    );
    assert_eq!(param(monthly, "discounts"), Some(""));
    // None left to follow the plan back.
    assert_eq!(param_names(yearly), LINE_ITEM_BY_PRICE);
    for update in &sent {
        assert_eq!(update["stripe_version"], BASIL, "{update}");
    }
}

#[tokio::test]
async fn with_the_previews_off_no_call_carries_their_parameters() {
    let (base, merchant) = setup_with(|c| c.previews = Previews::NONE).await;
    let (status, config) = send(&merchant, "GET", "/config", None, Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(config["previews"], json!([]));
    let (id, _) = merchant_session(&merchant).await;
    let create = &creates(&base).await[0];
    assert_eq!(
        param(create, "permissions[update_line_items]"),
        Some("server_only")
    );
    assert_eq!(param(create, "permissions[update_discounts]"), None);
    switch(&merchant, &id, "yearly").await;
    let after = last_sent(&base).await;
    for path in ["/apply-customer-discount", "/extend-trial-for-yearly"] {
        let (status, body) = call(&merchant, path, &id).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_eq!(body["code"], "invalid_request", "{body}");
    }
    let (status, _) = post_json(
        &merchant,
        "/update-discounts",
        &json!({"checkout_session_id": id, "discounts": []}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        sent(&base, &id, after).await,
        Vec::<Value>::new(),
        "nothing sent"
    );
    switch(&merchant, &id, "monthly").await;
    let sent = updates(&base, &id, after).await;
    assert_eq!(param_names(&sent[0]), LINE_ITEM_BY_PRICE);
}

/// A merchant without any private-preview access: line-item updates are
/// generally available from `2025-12-15.clover` (Stripe's changelog), with no
/// beta and no `permissions`.
#[tokio::test]
async fn without_preview_access_the_switch_runs_on_the_generally_available_version() {
    const GA: &str = "2025-12-15.clover";
    let (base, merchant) = setup_with(|c| {
        *c = c.clone().with_train(Train::Clover);
        c.stripe.api_version = GA.to_owned();
        c.previews = Previews::NONE;
    })
    .await;
    let (id, _) = merchant_session(&merchant).await;
    let create = &creates(&base).await[0];
    assert_eq!(create["stripe_version"], GA);
    assert!(
        param_names(create)
            .iter()
            .all(|p| !p.starts_with("permissions")),
        "{create}"
    );
    switch(&merchant, &id, "yearly").await;
    let sent = updates(&base, &id, 0).await;
    assert_eq!(param_names(&sent[0]), LINE_ITEM_BY_PRICE);
    assert_eq!(sent[0]["stripe_version"], GA);
    assert_eq!(sent[0]["status"], 200);
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(prices(&session), ["price_sandbox_yearly"]);
}
