//! The goods shop (examples/shops/goods.toml: a $49.00 desk lamp, $5.00
//! gift wrap, standard shipping $5.00 free from $100.00 to US/CA/GB/FR,
//! express $15.00 to the US only), with the emulator seeded from the same
//! file: what goes over the wire to Stripe for the session's creation,
//! `/calculate-shipping-options` and `/update-add-on`, what the session
//! holds after, and the answers to what is refused.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::Router;
use checkout_catalogue::Catalogue;
use checkout_server::{app, Config};
use common::*;
use serde_json::{json, Value};

const GOODS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/shops/goods.toml");

/// The emulator and the merchant (in emulator mode), both on the goods shop.
async fn shop() -> (String, Router) {
    shop_with(|_| {}).await
}

/// [`shop`], with `tweak` applied to the merchant's configuration.
async fn shop_with(tweak: impl FnOnce(&mut Config)) -> (String, Router) {
    let goods = Arc::new(Catalogue::load(std::path::Path::new(GOODS)).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config::sandbox(&base);
    tweak(&mut config);
    config.catalogue = goods.clone();
    config.emulator.catalogue = goods;
    serve(listener, app(config.clone()));
    (base, app(config))
}

/// A shipping address in `country` (an empty `line2`: not sent).
fn address(country: &str) -> Value {
    json!({
        "name": "Ada Lovelace",
        "address": {
            "line1": "1 Main St", "line2": "", "city": "Springfield",
            "state": "IL", "postal_code": "62701", "country": country
        }
    })
}

async fn ship(merchant: &Router, id: &str, country: &str) -> (StatusCode, Value) {
    post_json(
        merchant,
        "/calculate-shipping-options",
        &json!({"checkout_session_id": id, "shipping_details": address(country)}),
    )
    .await
}

async fn add_on(merchant: &Router, id: &str, selected: bool) -> (StatusCode, Value) {
    post_json(
        merchant,
        "/update-add-on",
        &json!({"checkout_session_id": id, "add_on": "gift-wrap", "selected": selected}),
    )
    .await
}

/// The session updates sent for `id` after `after`, in order.
async fn updates(base: &str, id: &str, after: u64) -> Vec<Value> {
    sent(base, id, after)
        .await
        .into_iter()
        .filter(|r| r["method"] == "POST" && r["path"] == format!("/v1/checkout/sessions/{id}"))
        .collect()
}

/// The one update sent for `id` after `after`.
async fn the_update(base: &str, id: &str, after: u64) -> Value {
    let sent = updates(base, id, after).await;
    let [update] = sent.as_slice() else {
        panic!("expected one update: {sent:?}")
    };
    update.clone()
}

/// The session's shipping options' amounts.
async fn option_amounts(base: &str, id: &str) -> Vec<i64> {
    let (_, s) = sandbox_get(base, id).await;
    s["shipping_options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["shipping_amount"].as_i64().unwrap())
        .collect()
}

/// The exact `shipping_options[i]` parameters of one fixed-amount option.
fn option_params(i: usize, estimate: bool) -> Vec<String> {
    let mut names = vec![
        "display_name",
        "type",
        "fixed_amount][amount",
        "fixed_amount][currency",
    ];
    if estimate {
        names.extend([
            "delivery_estimate][maximum][unit",
            "delivery_estimate][maximum][value",
            "delivery_estimate][minimum][unit",
            "delivery_estimate][minimum][value",
        ]);
    }
    names
        .iter()
        .map(|n| format!("shipping_options[{i}][shipping_rate_data][{n}]"))
        .collect()
}

/// The exact `collected_information` parameters of [`address`].
fn address_params() -> Vec<String> {
    [
        "[name]",
        "[address][line1]",
        "[address][city]",
        "[address][state]",
        "[address][postal_code]",
        "[address][country]",
    ]
    .iter()
    .map(|p| format!("collected_information[shipping_details]{p}"))
    .collect()
}

/// The lamp's line item id.
async fn lamp(base: &str, id: &str) -> String {
    let (_, s) = sandbox_get(base, id).await;
    let li = &s["line_items"]["data"][0];
    assert_eq!(li["description"], "Desk lamp", "{s}");
    li["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn config_lists_the_add_ons_and_says_the_session_ships() {
    let (_, merchant) = shop().await;
    let (status, config) = send(&merchant, "GET", "/config", None, axum::body::Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        config["addOns"],
        json!([{"id": "gift-wrap", "name": "Gift wrap", "amount": 500}])
    );
    assert_eq!(config["shipping"], true);
    // The demo shop: neither.
    let (_, demo) = setup().await;
    let (_, config) = send(&demo, "GET", "/config", None, axum::body::Body::empty()).await;
    assert_eq!((config.get("addOns"), config.get("shipping")), (None, None));
}

#[tokio::test]
async fn a_session_that_ships_is_created_with_its_countries_and_server_only_shipping_details() {
    let (base, merchant) = shop().await;
    let _ = merchant_session(&merchant).await;
    let log = get_json(&format!(
        "{base}/sandbox/requests?path=/v1/checkout/sessions&method=POST"
    ))
    .await;
    let create = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "/v1/checkout/sessions")
        .unwrap()
        .clone();
    let countries = ["US", "CA", "GB", "FR", "DE", "JP", "AU"];
    let mut expected: Vec<String> = [
        "mode",
        "ui_mode",
        "line_items[0][price]",
        "line_items[0][quantity]",
        "permissions[update_line_items]",
        "permissions[update_discounts]",
        "permissions[update_shipping_details]",
        "return_url",
    ]
    .map(str::to_owned)
    .to_vec();
    expected.extend(
        (0..countries.len())
            .map(|i| format!("shipping_address_collection[allowed_countries][{i}]")),
    );
    assert_eq!(param_names(&create), expected, "{create}");
    assert_eq!(param(&create, "mode"), Some("payment"));
    assert_eq!(
        param(&create, "line_items[0][price]"),
        Some("price_desk_lamp")
    );
    assert_eq!(
        param(&create, "permissions[update_shipping_details]"),
        Some("server_only")
    );
    for (i, country) in countries.iter().enumerate() {
        let name = format!("shipping_address_collection[allowed_countries][{i}]");
        assert_eq!(param(&create, &name), Some(*country));
    }
}

/// Without private-preview access (`2025-12-15.clover`): the one
/// permission is `update_shipping_details`, and shipping works the same.
#[tokio::test]
async fn without_preview_access_a_session_that_ships_has_only_the_shipping_permission() {
    const GA: &str = "2025-12-15.clover";
    let (base, merchant) = shop_with(|c| {
        *c = c.clone().with_train(checkout_server::Train::Clover);
        c.stripe.api_version = GA.to_owned();
        c.previews = checkout_server::Previews::NONE;
    })
    .await;
    let (id, _) = merchant_session(&merchant).await;
    let log = get_json(&format!(
        "{base}/sandbox/requests?path=/v1/checkout/sessions&method=POST"
    ))
    .await;
    let create = &log["requests"][0];
    assert_eq!(create["stripe_version"], GA);
    let permissions: Vec<String> = param_names(create)
        .into_iter()
        .filter(|p| p.starts_with("permissions"))
        .collect();
    assert_eq!(
        permissions,
        ["permissions[update_shipping_details]"],
        "{create}"
    );
    let (status, body) = ship(&merchant, &id, "US").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let update = updates(&base, &id, 0).await;
    assert_eq!(update[0]["stripe_version"], GA);
    assert_eq!(option_amounts(&base, &id).await, [500, 1500]);
}

#[tokio::test]
async fn shipping_options_follow_the_address_and_a_country_not_shipped_to_writes_nothing() {
    let (base, merchant) = shop().await;
    let (id, _) = merchant_session(&merchant).await;

    // US: standard and express, with the address, in one update of those alone.
    let before = last_sent(&base).await;
    let (status, body) = ship(&merchant, &id, "US").await;
    assert_eq!(
        (status, &body),
        (StatusCode::OK, &json!({"type": "success"}))
    );
    let update = the_update(&base, &id, before).await;
    let mut expected = address_params();
    expected.extend(option_params(0, true));
    expected.extend(option_params(1, true));
    assert_eq!(param_names(&update), expected, "{update}");
    for (name, value) in [
        (
            "collected_information[shipping_details][name]",
            "Ada Lovelace",
        ),
        (
            "collected_information[shipping_details][address][line1]",
            "1 Main St",
        ),
        (
            "collected_information[shipping_details][address][city]",
            "Springfield",
        ),
        (
            "collected_information[shipping_details][address][state]",
            "IL",
        ),
        (
            "collected_information[shipping_details][address][postal_code]",
            "62701",
        ),
        (
            "collected_information[shipping_details][address][country]",
            "US",
        ),
        (
            "shipping_options[0][shipping_rate_data][display_name]",
            "Standard shipping",
        ),
        (
            "shipping_options[0][shipping_rate_data][type]",
            "fixed_amount",
        ),
        (
            "shipping_options[0][shipping_rate_data][fixed_amount][amount]",
            "500",
        ),
        (
            "shipping_options[0][shipping_rate_data][fixed_amount][currency]",
            "usd",
        ),
        (
            "shipping_options[0][shipping_rate_data][delivery_estimate][maximum][unit]",
            "business_day",
        ),
        (
            "shipping_options[0][shipping_rate_data][delivery_estimate][maximum][value]",
            "7",
        ),
        (
            "shipping_options[0][shipping_rate_data][delivery_estimate][minimum][unit]",
            "business_day",
        ),
        (
            "shipping_options[0][shipping_rate_data][delivery_estimate][minimum][value]",
            "5",
        ),
        (
            "shipping_options[1][shipping_rate_data][display_name]",
            "Express shipping",
        ),
        (
            "shipping_options[1][shipping_rate_data][fixed_amount][amount]",
            "1500",
        ),
        (
            "shipping_options[1][shipping_rate_data][delivery_estimate][maximum][value]",
            "2",
        ),
        (
            "shipping_options[1][shipping_rate_data][delivery_estimate][minimum][value]",
            "1",
        ),
    ] {
        assert_eq!(param(&update, name), Some(value), "{name}");
    }
    assert_eq!(option_amounts(&base, &id).await, [500, 1500]);
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(
        s["collected_information"]["shipping_details"]["address"]["country"],
        "US"
    );

    // FR: standard only.
    let (status, body) = ship(&merchant, &id, "FR").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(option_amounts(&base, &id).await, [500]);

    // JP: offered by the address form, shipped to by no rate: refused, nothing sent.
    let before = last_sent(&base).await;
    let (status, body) = ship(&merchant, &id, "JP").await;
    // A business rule, answered with 200 as the discounts guide's are.
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["code"], "cannot_ship_to", "{body}");
    assert_eq!(
        body["message"],
        "We can't ship to this address. Please enter a different one."
    );
    assert!(updates(&base, &id, before).await.is_empty());
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(
        s["collected_information"]["shipping_details"]["address"]["country"],
        "FR"
    );
    assert_eq!(option_amounts(&base, &id).await, [500]);

    // The same address again: nothing to write.
    let before = last_sent(&base).await;
    let (status, _) = ship(&merchant, &id, "FR").await;
    assert_eq!(status, StatusCode::OK);
    assert!(updates(&base, &id, before).await.is_empty());
}

#[tokio::test]
async fn the_add_on_is_an_inline_line_item_and_shipping_follows_the_cart_in_the_same_update() {
    let (base, merchant) = shop().await;
    let (id, secret) = merchant_session(&merchant).await;
    let lamp = lamp(&base, &id).await;
    assert_eq!(ship(&merchant, &id, "US").await.0, StatusCode::OK);

    // The customer picks express; two lamps ($98.00) change no option: it stays.
    let (_, s) = sandbox_get(&base, &id).await;
    let express = s["shipping_options"][1]["shipping_rate"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, page) = page_post(
        &base,
        &format!("/v1/payment_pages/{id}"),
        &[
            ("key", "pk_test_sandbox"),
            ("client_secret", &secret),
            ("shipping_rate", &express),
        ],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let before = last_sent(&base).await;
    let (status, body) = post_json(
        &merchant,
        "/update-line-item-quantity",
        &json!({"checkout_session_id": id, "line_item_id": lamp, "quantity": 2}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let update = the_update(&base, &id, before).await;
    assert_eq!(
        param_names(&update),
        ["line_items[0][id]", "line_items[0][quantity]"],
        "{update}"
    );
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(s["shipping_cost"]["shipping_rate"], express.as_str(), "{s}");
    assert_eq!(s["amount_total"], 9_800 + 1_500);

    // Gift wrap: $103.00, so standard is free, written in the same update.
    let before = last_sent(&base).await;
    let (status, body) = add_on(&merchant, &id, true).await;
    assert_eq!(
        (status, &body),
        (StatusCode::OK, &json!({"type": "success"}))
    );
    let update = the_update(&base, &id, before).await;
    let mut expected: Vec<String> = [
        "line_items[0][id]",
        "line_items[0][quantity]",
        "line_items[1][price_data][currency]",
        "line_items[1][price_data][unit_amount]",
        "line_items[1][price_data][product_data][name]",
        "line_items[1][quantity]",
    ]
    .map(str::to_owned)
    .to_vec();
    expected.extend(option_params(0, true));
    expected.extend(option_params(1, true));
    assert_eq!(param_names(&update), expected, "{update}");
    for (name, value) in [
        ("line_items[0][id]", lamp.as_str()),
        ("line_items[0][quantity]", "2"),
        ("line_items[1][price_data][currency]", "usd"),
        ("line_items[1][price_data][unit_amount]", "500"),
        ("line_items[1][price_data][product_data][name]", "Gift wrap"),
        ("line_items[1][quantity]", "1"),
        (
            "shipping_options[0][shipping_rate_data][fixed_amount][amount]",
            "0",
        ),
        (
            "shipping_options[1][shipping_rate_data][fixed_amount][amount]",
            "1500",
        ),
    ] {
        assert_eq!(param(&update, name), Some(value), "{name}");
    }
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(s["amount_subtotal"], 10_300);
    assert_eq!(option_amounts(&base, &id).await, [0, 1500]);

    // Selecting it again changes nothing.
    let before = last_sent(&base).await;
    assert_eq!(add_on(&merchant, &id, true).await.0, StatusCode::OK);
    assert!(updates(&base, &id, before).await.is_empty());

    // Removing it keeps the lamp by id; standard costs $5.00 again.
    let before = last_sent(&base).await;
    let (status, body) = add_on(&merchant, &id, false).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let update = the_update(&base, &id, before).await;
    let mut expected: Vec<String> = ["line_items[0][id]", "line_items[0][quantity]"]
        .map(str::to_owned)
        .to_vec();
    expected.extend(option_params(0, true));
    expected.extend(option_params(1, true));
    assert_eq!(param_names(&update), expected, "{update}");
    assert_eq!(param(&update, "line_items[0][id]"), Some(lamp.as_str()));
    let (_, s) = sandbox_get(&base, &id).await;
    assert_eq!(s["line_items"]["data"].as_array().unwrap().len(), 1, "{s}");
    assert_eq!(option_amounts(&base, &id).await, [500, 1500]);

    // Removing it again changes nothing.
    let before = last_sent(&base).await;
    assert_eq!(add_on(&merchant, &id, false).await.0, StatusCode::OK);
    assert!(updates(&base, &id, before).await.is_empty());
}

#[tokio::test]
async fn a_session_not_open_and_a_shop_that_does_not_ship_are_refused() {
    let (base, merchant) = shop().await;
    let (id, _) = merchant_session(&merchant).await;
    let (status, body) =
        sandbox_post(&base, &format!("/v1/checkout/sessions/{id}/expire"), &[]).await;
    assert_eq!(status, 200, "{body}");
    for (status, body) in [
        ship(&merchant, &id, "US").await,
        add_on(&merchant, &id, true).await,
    ] {
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["code"], "not_open", "{body}");
    }

    // The demo shop has neither [shipping] nor add-ons.
    let (base, demo) = setup().await;
    let (id, _) = merchant_session(&demo).await;
    let before = last_sent(&base).await;
    let (status, body) = ship(&demo, &id, "US").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        (body["code"].as_str(), body["message"].as_str()),
        (
            Some("invalid_request"),
            Some("This shop does not ship: its catalogue has no [shipping] section.")
        )
    );
    let (status, body) = add_on(&demo, &id, true).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["message"], "This shop has no add-ons.");
    assert!(sent(&base, &id, before).await.is_empty(), "no Stripe call");
}

#[tokio::test]
async fn bad_bodies_are_refused_with_what_is_wrong_and_nothing_sent() {
    let (base, merchant) = shop().await;
    let (id, _) = merchant_session(&merchant).await;
    let mut no_name = address("US");
    no_name["name"] = json!("");
    let mut long_country = address("US");
    long_country["address"]["country"] = json!("USA");
    let mut no_line1 = address("US");
    no_line1["address"].as_object_mut().unwrap().remove("line1");
    let mut unknown_nested = address("US");
    unknown_nested["address"]["zip"] = json!("62701");
    let ship_body =
        |details: Value| json!({"checkout_session_id": id, "shipping_details": details});
    let before = last_sent(&base).await;
    for (path, body, code, says) in [
        (
            "/calculate-shipping-options",
            json!({"checkout_session_id": id}),
            "invalid_request",
            "shipping_details is required",
        ),
        (
            "/calculate-shipping-options",
            json!({"checkout_session_id": id, "shipping_details": address("US"), "extra": 1}),
            "invalid_request",
            "unknown field `extra`",
        ),
        (
            "/calculate-shipping-options",
            ship_body(unknown_nested),
            "invalid_request",
            "unknown field `zip`",
        ),
        (
            "/calculate-shipping-options",
            ship_body(json!("1 Main St")),
            "invalid_request",
            "invalid type",
        ),
        (
            "/calculate-shipping-options",
            json!({"shipping_details": address("US")}),
            "invalid_request",
            "checkout_session_id is required",
        ),
        (
            "/calculate-shipping-options",
            ship_body(no_name),
            "bad_address",
            "Please enter a complete shipping address.",
        ),
        (
            "/calculate-shipping-options",
            ship_body(no_line1),
            "bad_address",
            "complete shipping address",
        ),
        (
            "/calculate-shipping-options",
            ship_body(long_country),
            "bad_address",
            "complete shipping address",
        ),
        (
            "/calculate-shipping-options",
            ship_body(json!({"name": "Ada"})),
            "bad_address",
            "complete shipping address",
        ),
        (
            "/update-add-on",
            json!({"checkout_session_id": id, "add_on": "ribbon", "selected": true}),
            "invalid_request",
            "add_on must be one of \"gift-wrap\".",
        ),
        (
            "/update-add-on",
            json!({"checkout_session_id": id, "selected": true}),
            "invalid_request",
            "add_on is required. add_on must be one of \"gift-wrap\".",
        ),
        (
            "/update-add-on",
            json!({"checkout_session_id": id, "add_on": "gift-wrap"}),
            "invalid_request",
            "selected is required: true adds the add-on, false removes it.",
        ),
        (
            "/update-add-on",
            json!({"checkout_session_id": id, "add_on": "gift-wrap", "selected": "yes"}),
            "invalid_request",
            "invalid type: string \"yes\", expected a boolean",
        ),
        (
            "/update-add-on",
            json!({"checkout_session_id": id, "add_on": "gift-wrap", "selected": true, "amount": 1}),
            "invalid_request",
            "unknown field `amount`",
        ),
    ] {
        let (status, answer) = post_json(&merchant, path, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path} {body}: {answer}");
        assert_eq!(answer["code"], code, "{path} {body}: {answer}");
        assert!(
            answer["message"].as_str().unwrap().contains(says),
            "{path} {body}: {answer}"
        );
    }
    assert!(sent(&base, &id, before).await.is_empty(), "no Stripe call");
}

/// The address and the gift wrap at once, on two lamps ($98.00 → $103.00),
/// over rounds: whichever lands first, the session ends with the gift wrap
/// and the options the policy gives its final subtotal (standard free).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_racing_an_add_on_ends_with_the_options_of_the_final_cart() {
    let (base, merchant) = shop().await;
    for round in 0..8 {
        let (id, _) = merchant_session(&merchant).await;
        let lamp = lamp(&base, &id).await;
        let (status, body) = post_json(
            &merchant,
            "/update-line-item-quantity",
            &json!({"checkout_session_id": id, "line_item_id": lamp, "quantity": 2}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (a, b) = (merchant.clone(), merchant.clone());
        let (ida, idb) = (id.clone(), id.clone());
        let ship_task = tokio::spawn(async move { ship(&a, &ida, "US").await });
        let add_task = tokio::spawn(async move { add_on(&b, &idb, true).await });
        let (ship_answer, add_answer) = if round % 2 == 0 {
            (ship_task.await.unwrap(), add_task.await.unwrap())
        } else {
            let add_answer = add_task.await.unwrap();
            (ship_task.await.unwrap(), add_answer)
        };
        for (status, body) in [ship_answer, add_answer] {
            assert!(
                status == StatusCode::OK || status == StatusCode::CONFLICT,
                "{status}: {body}"
            );
        }
        let (_, s) = sandbox_get(&base, &id).await;
        let subtotal = s["amount_subtotal"].as_i64().unwrap();
        let expected: &[i64] = if subtotal >= 10_000 {
            &[0, 1500]
        } else {
            &[500, 1500]
        };
        assert_eq!(
            option_amounts(&base, &id).await,
            expected,
            "round {round}: {s}"
        );
    }
}
