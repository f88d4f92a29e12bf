//! The new merchant endpoints, release trains, lifecycle and concurrency.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use checkout_server::{app, Config, Train};
use common::*;
use serde_json::{json, Value};

async fn item_id(base: &str, id: &str) -> String {
    let (_, s) = sandbox_get(base, id).await;
    s["line_items"]["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn interval_change_recomputes_the_discount_in_one_update() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;
    let body = json!({"checkout_session_id": id, "interval": "yearly"});
    let (status, _) = post_json(&merchant, "/change-subscription-interval", &body).await;
    assert_eq!(status, StatusCode::OK);
    let (status, r) = post_json(
        &merchant,
        "/apply-customer-discount",
        &json!({"checkout_session_id": id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(s["total_details"]["amount_discount"], 1500);
    let before = stats(&base).await;
    let body = json!({"checkout_session_id": id, "interval": "monthly"});
    let (status, r) = post_json(&merchant, "/change-subscription-interval", &body).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(stats(&base).await, before + 1, "one Stripe update");
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(prices(&s), vec!["price_sandbox_monthly"]);
    assert_eq!(s["discounts"], json!([]), "$15 is not over $100");
    assert_eq!(s["amount_total"], 1500);
}

#[tokio::test]
async fn extend_trial_for_yearly() {
    let (base, merchant) = setup().await;
    let (id, secret) = merchant_session(&merchant).await;
    let trial = || async {
        let (_, v) = sandbox_post(
            &base,
            &format!("/v1/payment_pages/{id}/init"),
            &[("key", "pk_test_sandbox"), ("client_secret", &secret)],
        )
        .await;
        v["recurring"]["trial"].clone()
    };
    let body = json!({"checkout_session_id": id});
    let (status, r) = post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": id, "interval": "yearly"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (status, r) = post_json(&merchant, "/extend-trial-for-yearly", &body).await;
    assert_eq!((status, r), (StatusCode::OK, json!({"type": "success"})));
    assert_eq!(trial().await["trialPeriodDays"], 14);
    post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": id, "interval": "monthly"}),
    )
    .await;
    let (status, _) = post_json(&merchant, "/extend-trial-for-yearly", &body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(trial().await, Value::Null);
    let (status, r) = post_json(&merchant, "/extend-trial-for-yearly", &json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(r["type"], "error");
}

#[tokio::test]
async fn update_line_item_quantity_bounds_and_discount() {
    let (base, merchant) = setup().await;
    let (id, _) = merchant_session(&merchant).await;
    let li = item_id(&base, &id).await;
    for bad in [
        json!(0),
        json!(11),
        json!(2.5),
        json!("3"),
        json!(-1),
        Value::Null,
    ] {
        let (status, r) = post_json(
            &merchant,
            "/update-line-item-quantity",
            &json!({"checkout_session_id": id, "line_item_id": li, "quantity": bad}),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {r}");
        assert_eq!(r["type"], "error");
    }
    let (status, r) = post_json(
        &merchant,
        "/update-line-item-quantity",
        &json!({"checkout_session_id": id, "line_item_id": "li_unknown", "quantity": 2}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{r}");
    // 8 × $15 = $120 → eligible; then back to 1 → the discount goes in the same update.
    let (status, r) = post_json(
        &merchant,
        "/update-line-item-quantity",
        &json!({"checkout_session_id": id, "line_item_id": li, "quantity": 8}),
    )
    .await;
    assert_eq!((status, r), (StatusCode::OK, json!({"type": "success"})));
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(s["line_items"]["data"][0]["quantity"], 8);
    assert_eq!(s["line_items"]["data"][0]["id"], li.as_str(), "kept by id");
    post_json(
        &merchant,
        "/apply-customer-discount",
        &json!({"checkout_session_id": id}),
    )
    .await;
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(s["total_details"]["amount_discount"], 1200);
    let (status, _) = post_json(
        &merchant,
        "/update-line-item-quantity",
        &json!({"checkout_session_id": id, "line_item_id": li, "quantity": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(s["discounts"], json!([]));
    assert_eq!(s["amount_total"], 1500);
}

#[tokio::test]
async fn trains_in_config_create_and_stripe_js() {
    for train in Train::ALL {
        let base = spawn_sandbox().await;
        let merchant = app(Config::sandbox(&base).with_train(train));
        let (_, config) = send(&merchant, "GET", "/config", None, Body::empty()).await;
        assert_eq!(config["train"], train.as_str());
        assert_eq!(
            config["stripeJsUrl"],
            format!("/sandbox/{}/stripe.js", train.as_str())
        );
        let (id, _) = merchant_session(&merchant).await;
        let (_, s) = sandbox_get(&base, &id).await;
        assert_eq!(s["ui_mode"], train.ui_mode());
        let r = http()
            .get(format!("{base}/sandbox/{}/stripe.js", train.as_str()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript"));
    }
    let base = spawn_sandbox().await;
    let r = http()
        .get(format!("{base}/sandbox/acacia/stripe.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

#[tokio::test]
async fn live_mode_never_leaks_the_secret_key() {
    let base = spawn_sandbox().await;
    // A catalogue whose monthly price the account does not have: creating
    // a session fails, and the failure must not leak the key either.
    let missing = std::env::temp_dir().join(format!("missing-price-{}.toml", std::process::id()));
    std::fs::write(
        &missing,
        checkout_catalogue::DEMO_TOML.replace("price_sandbox_monthly", "price_missing"),
    )
    .unwrap();
    for (key, publishable, mode) in [
        ("sk_test_livelike123456", "pk_test_live", "test"),
        ("sk_live_wrongwrong1234", "pk_live_live", "live"),
    ] {
        let vars = [
            ("STRIPE_SECRET_KEY", key),
            ("STRIPE_PUBLISHABLE_KEY", publishable),
            ("STRIPE_WEBHOOK_SECRET", "whsec_flows"),
            ("CHECKOUT_CATALOGUE", missing.to_str().unwrap()),
            ("STRIPE_API_BASE", base.as_str()),
        ];
        let config = Config::from_lookup("http://unused", |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .unwrap();
        let merchant = app(config);
        let (_, config) = send(&merchant, "GET", "/config", None, Body::empty()).await;
        assert_eq!(
            config["stripeJsUrl"],
            "https://js.stripe.com/basil/stripe.js"
        );
        assert_eq!(config["mode"], mode);
        let (status, body) = send(
            &merchant,
            "POST",
            "/create-checkout-session",
            None,
            Body::empty(),
        )
        .await;
        assert!(
            status.is_client_error() || status.is_server_error(),
            "{body}"
        );
        for text in [config.to_string(), body.to_string()] {
            assert!(!text.contains("sk_"), "{text}");
        }
        let (status, body) = post_json(
            &merchant,
            "/change-subscription-interval",
            &json!({"checkout_session_id": "cs_test_nope", "interval": "yearly"}),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(!body.to_string().contains("sk_"));
    }
}

#[tokio::test]
async fn request_id_header() {
    let (_, merchant) = setup().await;
    let response = tower::ServiceExt::oneshot(
        merchant,
        axum::http::Request::get("/config")
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert!(id.starts_with("mreq_"), "{id}");
}

#[tokio::test]
async fn sessions_expire_after_the_ttl() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config::sandbox(&base);
    config.emulator.session_ttl = Duration::from_secs(1);
    let router = app(config);
    common::serve(listener, router);
    let s = sandbox_create(&base, &[]).await;
    let id = s["id"].as_str().unwrap();
    assert_eq!(
        s["expires_at"].as_i64().unwrap() - s["created"].as_i64().unwrap(),
        1
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (_, s) = sandbox_get(&base, id).await;
    assert_eq!(s["status"], "expired");
    let (status, e) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        &[("metadata[a]", "b")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(e["error"]["type"], "invalid_request_error");
}

#[tokio::test]
async fn confirm_pays_then_updates_fail() {
    let base = spawn_sandbox().await;
    let s = sandbox_create(&base, &[]).await;
    let id = s["id"].as_str().unwrap();
    let secret = s["client_secret"].as_str().unwrap();
    let confirm = |number: &'static str| {
        let base = base.clone();
        let path = format!("/v1/payment_pages/{id}/confirm");
        let secret = secret.to_owned();
        async move {
            sandbox_post(
                &base,
                &path,
                &[
                    ("key", "pk_test_sandbox"),
                    ("client_secret", &secret),
                    ("payment_method[card][number]", number),
                    ("email", "buyer@example.com"),
                ],
            )
            .await
        }
    };
    let (status, e) = confirm("4000000000000002").await;
    assert_eq!(status, 402);
    assert_eq!(e["error"]["decline_code"], "generic_decline");
    assert_eq!(e["error"]["message"], "Your card was declined.");
    let (status, e) = confirm("1234").await;
    assert_eq!(
        (status, e["error"]["code"].clone()),
        (400, json!("incorrect_number"))
    );
    let (status, v) = confirm("4242424242424242").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v["status"],
        json!({"type": "complete", "paymentStatus": "paid"})
    );
    let (_, s) = sandbox_get(&base, id).await;
    assert_eq!(
        (s["status"].clone(), s["payment_status"].clone()),
        (json!("complete"), json!("paid"))
    );
    let (status, _) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        &[("metadata[a]", "b")],
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_updates_are_all_applied() {
    let base = spawn_sandbox().await;
    let s = sandbox_create(&base, &[]).await;
    let id = s["id"].as_str().unwrap().to_owned();
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (base, id) = (base.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            let key = format!("metadata[k{i}]");
            sandbox_post(
                &base,
                &format!("/v1/checkout/sessions/{id}"),
                &[(key.as_str(), "v")],
            )
            .await
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().0, 200);
    }
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(s["metadata"].as_object().unwrap().len(), 20);
    assert_eq!(stats(&base).await, 20);
}

#[tokio::test]
async fn api_version_decides_ui_mode_and_beta_params() {
    let base = spawn_sandbox().await;
    let create = |version: &'static str, ui_mode: &'static str, beta_perms: bool| {
        let base = base.clone();
        async move {
            let mut form = vec![
                ("mode", "subscription"),
                ("ui_mode", ui_mode),
                ("line_items[0][price]", "price_sandbox_monthly"),
                ("line_items[0][quantity]", "1"),
                ("return_url", "http://x/r"),
            ];
            if beta_perms {
                form.push(("permissions[update_discounts]", "server_only"));
            }
            let r = http()
                .post(format!("{base}/v1/checkout/sessions"))
                .bearer_auth(KEY)
                .header("Stripe-Version", version)
                .form(&form)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }
    };
    assert_eq!(create("2025-03-31.basil", "custom", false).await.0, 200);
    assert_eq!(create("2025-09-30.clover", "custom", false).await.0, 200);
    assert_eq!(create("2026-03-25.dahlia", "elements", false).await.0, 200);
    let (status, e) = create("2026-03-25.dahlia", "custom", false).await;
    assert_eq!(
        (status, e["error"]["param"].clone()),
        (400, json!("ui_mode"))
    );
    let (status, e) = create("2025-03-31.basil", "elements", false).await;
    assert_eq!(
        (status, e["error"]["param"].clone()),
        (400, json!("ui_mode"))
    );
    let (status, e) = create("2025-03-31.basil", "custom", true).await;
    assert_eq!(
        (status, e["error"]["param"].clone()),
        (400, json!("permissions[update_discounts]"))
    );
    let (status, _) = create(
        "2025-03-31.basil; checkout_server_update_beta=v1;",
        "custom",
        true,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = create("yesterday", "custom", false).await;
    assert_eq!(status, 400);
}
