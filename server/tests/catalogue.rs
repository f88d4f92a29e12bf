//! The merchant's own catalogue (examples/shops/coffee.toml: a coffee box
//! billed quarterly or yearly, a one-time mug, a grinder not in the cart),
//! with the emulator seeded from the same file: what a new checkout holds,
//! interval changes between the file's alternatives (one-time items stay),
//! the product's quantity bounds, what `/config` tells the widget, and the
//! start-up check against Stripe's prices.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use checkout_catalogue::Catalogue;
use checkout_server::{app, catalogue_check, Config, StripeClient};
use common::*;
use serde_json::{json, Value};

const COFFEE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/shops/coffee.toml");

fn coffee() -> Arc<Catalogue> {
    Arc::new(Catalogue::load(std::path::Path::new(COFFEE)).unwrap())
}

/// The emulator and the merchant (in emulator mode), both on the coffee shop.
async fn shop() -> (String, axum::Router) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config::sandbox(&base);
    config.catalogue = coffee();
    config.emulator.catalogue = coffee();
    serve(listener, app(config.clone()));
    (base, app(config))
}

fn lines(session: &Value) -> Vec<(String, u64, i64)> {
    session["line_items"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|li| {
            (
                li["price"]["id"].as_str().unwrap().to_owned(),
                li["quantity"].as_u64().unwrap(),
                li["amount_total"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_new_checkout_holds_the_catalogues_cart_and_switches_between_its_intervals() {
    let (base, merchant) = shop().await;
    let (_, config) = send(&merchant, "GET", "/config", None, axum::body::Body::empty()).await;
    assert_eq!(config["intervals"], json!(["quarterly", "yearly"]));
    let (id, _) = merchant_session(&merchant).await;
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(session["mode"], "subscription");
    assert_eq!(
        lines(&session),
        [
            ("price_coffee_quarterly".to_owned(), 2, 8400),
            ("price_mug".to_owned(), 1, 1200)
        ]
    );
    assert_eq!(session["amount_total"], 9600);
    let li = session["line_items"]["data"][0]["description"].clone();
    assert_eq!(li, "Coffee box");

    // Yearly: the box moves to its yearly price, quantity kept; the mug stays.
    let change = |interval: &str| json!({"checkout_session_id": id, "interval": interval});
    let (status, body) = post_json(
        &merchant,
        "/change-subscription-interval",
        &change("yearly"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(
        lines(&session),
        [
            ("price_coffee_yearly".to_owned(), 2, 30000),
            ("price_mug".to_owned(), 1, 1200)
        ]
    );
    // An interval the plan does not offer: a clear 400 that names those it does.
    let (status, body) = post_json(
        &merchant,
        "/change-subscription-interval",
        &change("monthly"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["message"],
        r#"interval must be one of "quarterly", "yearly"."#
    );
    let (status, _) = post_json(
        &merchant,
        "/change-subscription-interval",
        &change("quarterly"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, session) = sandbox_get(&base, &id).await;
    assert_eq!(
        lines(&session)[0],
        ("price_coffee_quarterly".to_owned(), 2, 8400)
    );

    // The box's bounds are the catalogue's (1 to 5), not the widget's 10.
    let box_item = session["line_items"]["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let quantity =
        |n: u64| json!({"checkout_session_id": id, "line_item_id": box_item, "quantity": n});
    let (status, body) = post_json(&merchant, "/update-line-item-quantity", &quantity(6)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "bad_quantity");
    assert_eq!(
        body["message"],
        "quantity must be a whole number from 1 to 5."
    );
    let (status, _) = post_json(&merchant, "/update-line-item-quantity", &quantity(5)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_start_up_check_names_every_price_that_differs_from_stripe() {
    let (base, _) = shop().await;
    let stripe = StripeClient::new(Config::sandbox(&base).stripe);
    assert_eq!(
        catalogue_check::differences(&stripe, &coffee()).await,
        Vec::<String>::new()
    );
    let text = std::fs::read_to_string(COFFEE).unwrap();
    let wrong = Catalogue::parse(
        &text
            .replace("amount = 4200", "amount = 4000")
            .replace("interval = \"yearly\"", "interval = \"every-2-years\"")
            .replace("price = \"price_mug\"", "price = \"price_cup\""),
    )
    .unwrap();
    let found = catalogue_check::differences(&stripe, &wrong).await;
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].contains("price_coffee_quarterly")
            && found[0].contains("unit_amount is Some(4200), the catalogue says 4000"),
        "{}",
        found[0]
    );
    assert!(
        found[1].contains("price_coffee_yearly")
            && found[1].contains("Stripe's price is yearly, the catalogue says every-2-years"),
        "{}",
        found[1]
    );
    assert!(
        found[2].contains("price_cup") && found[2].contains("could not be read"),
        "{}",
        found[2]
    );
}

/// A catalogue may name prices by lookup key: the server asks Stripe for
/// their ids at start (`GET /v1/prices?lookup_keys[]=…&active=true`), and a
/// key no active price has is named.
#[tokio::test]
async fn prices_named_by_lookup_key_are_looked_up_at_start() {
    let text = std::fs::read_to_string(COFFEE)
        .unwrap()
        .replace(
            "price = \"price_coffee_yearly\"",
            "lookup_key = \"coffee-yearly\"",
        )
        .replace("price = \"price_mug\"", "lookup_key = \"mug\"");
    let file = Catalogue::parse(&text).unwrap();
    // The account (the emulator) holds the prices under those keys.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config::sandbox(&base);
    config.emulator.catalogue = Arc::new(file.clone());
    serve(listener, app(config));
    let stripe = StripeClient::new(Config::sandbox(&base).stripe);

    let mut catalogue = file.clone();
    catalogue_check::resolve(&stripe, &mut catalogue)
        .await
        .unwrap();
    assert!(catalogue.unresolved_lookup_keys().is_empty());
    let (product, price) = catalogue
        .products
        .iter()
        .find(|p| p.id == "mug")
        .map(|p| (p, &p.prices[0]))
        .unwrap();
    assert_eq!(
        (product.id.as_str(), price.price.as_str()),
        ("mug", checkout_catalogue::emulator_price_id("mug").as_str())
    );
    assert_eq!(
        catalogue_check::differences(&stripe, &catalogue).await,
        Vec::<String>::new()
    );

    let mut unknown =
        Catalogue::parse(&text.replace("lookup_key = \"mug\"", "lookup_key = \"cup\"")).unwrap();
    let err = catalogue_check::resolve(&stripe, &mut unknown)
        .await
        .unwrap_err();
    assert!(err.contains("[\"cup\"]"), "{err}");
}
