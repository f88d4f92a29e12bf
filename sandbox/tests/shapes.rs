//! Every object the sandbox returns has the shape of Stripe's official fixture
//! (`fixtures/stripe-fixtures.json`): the same keys and the same JSON types,
//! field by field. `null` is accepted where the fixture has `null` or where
//! Stripe documents the field as nullable ([`NULLABLE`]); extra keys only
//! where listed in [`EXTRA`] (beta and expandable fields).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::Value;

/// Fields Stripe documents as nullable although the fixture has a value.
const NULLABLE: &[&str] = &[
    "checkout.session.after_expiration",
    "checkout.session.automatic_tax.enablement_details",
    "checkout.session.automatic_tax.liability",
    "checkout.session.cancel_url",
    "checkout.session.collected_information",
    "checkout.session.consent",
    "checkout.session.consent_collection",
    "checkout.session.currency_conversion",
    "checkout.session.custom_text.after_submit",
    "checkout.session.custom_text.shipping_address",
    "checkout.session.custom_text.submit",
    "checkout.session.custom_text.terms_of_service_acceptance",
    "checkout.session.customer_details",
    "checkout.session.invoice_creation",
    "checkout.session.payment_intent",
    "checkout.session.payment_method_configuration_details",
    "checkout.session.saved_payment_method_options",
    "checkout.session.shipping_address_collection",
    "checkout.session.success_url",
    "checkout.session.wallet_options",
    "checkout.session.amount_subtotal",
    "checkout.session.amount_total",
    "checkout.session.currency",
    "checkout.session.customer",
    "checkout.session.customer_creation",
    "checkout.session.client_secret",
    "checkout.session.discounts",
    "checkout.session.payment_method_collection",
    "checkout.session.permissions.update_shipping_details",
    "checkout.session.shipping_cost",
    "checkout.session.shipping_cost.shipping_rate",
    "checkout.session.total_details",
    "checkout.session.total_details.amount_shipping",
    "checkout.session.url",
    "item.description",
    "item.price.custom_unit_amount",
    "item.price.recurring",
    "item.price.transform_quantity",
    "price.custom_unit_amount",
    "price.recurring",
    "price.transform_quantity",
    "coupon.amount_off",
    "coupon.currency",
    "coupon.duration_in_months",
    "coupon.name",
    "coupon.percent_off",
    "coupon.redeem_by",
    "discount.customer",
    "discount.end",
    "shipping_rate.delivery_estimate",
];

/// Keys the sandbox adds that the (GA) fixture lacks.
const EXTRA: &[&str] = &[
    // Beta (checkout_server_update_beta) fields of `permissions`.
    "checkout.session.permissions.update_line_items",
    "checkout.session.permissions.update_discounts",
    // Documented for embedded/custom sessions; the fixture is a hosted one.
    "checkout.session.return_url",
    // Present only when expanded.
    "checkout.session.line_items",
    "item.discounts",
];

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Compares `actual` with `fixture` at `path`, collecting differences.
fn compare(path: &str, fixture: &Value, actual: &Value, errors: &mut Vec<String>) {
    match (fixture, actual) {
        (Value::Null, _) => {}
        (_, Value::Null) => {
            if !NULLABLE.contains(&path) {
                errors.push(format!("{path}: null, fixture has {}", type_name(fixture)));
            }
        }
        (Value::Object(f), Value::Object(a)) => {
            for (k, fv) in f {
                let p = format!("{path}.{k}");
                match a.get(k) {
                    None => errors.push(format!("{p}: missing")),
                    Some(av) => compare(&p, fv, av, errors),
                }
            }
            for k in a.keys() {
                let p = format!("{path}.{k}");
                if !f.contains_key(k) && !EXTRA.contains(&p.as_str()) {
                    errors.push(format!("{p}: not in the fixture"));
                }
            }
        }
        (Value::Array(f), Value::Array(a)) => {
            if let Some(fe) = f.first() {
                for av in a {
                    compare(&format!("{path}[]"), fe, av, errors);
                }
            }
        }
        (f, a) if type_name(f) == type_name(a) => {}
        // Fixture ids of expandable fields are strings; expanded objects are objects.
        (Value::String(_), Value::Object(o)) if o.contains_key("object") => {}
        (f, a) => errors.push(format!(
            "{path}: {}, fixture has {}",
            type_name(a),
            type_name(f)
        )),
    }
}

fn fixtures() -> Value {
    serde_json::from_str(include_str!("fixtures/stripe-fixtures.json")).unwrap()
}

fn check(kind: &str, actual: &Value) -> Vec<String> {
    let fixtures = fixtures();
    let mut errors = Vec::new();
    compare(kind, &fixtures[kind], actual, &mut errors);
    errors
}

fn assert_shape(kind: &str, actual: &Value) {
    let errors = check(kind, actual);
    assert!(
        errors.is_empty(),
        "{kind} differs from the fixture:\n{}",
        errors.join("\n")
    );
}

async fn get(base: &str, path: &str) -> Value {
    let r = http()
        .get(format!("{base}{path}"))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.json().await.unwrap()
}

#[tokio::test]
async fn every_sandbox_object_matches_the_fixture() {
    let base = spawn_emulator().await;
    // Subscription session with a coupon and expanded items, item discounts, coupons.
    let created = sandbox_create(&base, &[]).await;
    assert_shape("checkout.session", &created);
    let id = created["id"].as_str().unwrap();
    let (status, _) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        &[
            ("discounts[0][coupon_data][percent_off]", "10"),
            ("discounts[0][coupon_data][duration]", "forever"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let session = get(
        &base,
        &format!(
            "/v1/checkout/sessions/{id}?expand[]=line_items.data.discounts&expand[]=discounts"
        ),
    )
    .await;
    assert_shape("checkout.session", &session);
    let item = &session["line_items"]["data"][0];
    assert_shape("item", item);
    assert_shape("price", &item["price"]);
    assert_shape("coupon", &session["discounts"][0]["coupon"]);
    assert_shape("discount", &item["discounts"][0]["discount"]);
    assert_shape("coupon", &get(&base, "/v1/coupons/SANDBOX10").await);
    assert_shape(
        "price",
        &get(&base, "/v1/prices/price_sandbox_yearly").await,
    );

    // Payment session with a shipping rate.
    let (status, payment) = sandbox_post(
        &base,
        "/v1/checkout/sessions",
        &[
            ("mode", "payment"),
            ("ui_mode", "custom"),
            ("return_url", "http://x/return"),
            ("line_items[0][price_data][currency]", "usd"),
            ("line_items[0][price_data][unit_amount]", "2000"),
            ("line_items[0][price_data][product_data][name]", "T-shirt"),
            ("line_items[0][quantity]", "1"),
            (
                "shipping_options[0][shipping_rate_data][display_name]",
                "Ground shipping",
            ),
            (
                "shipping_options[0][shipping_rate_data][fixed_amount][amount]",
                "500",
            ),
            (
                "shipping_options[0][shipping_rate_data][fixed_amount][currency]",
                "usd",
            ),
            ("expand[]", "shipping_options.shipping_rate"),
            ("shipping_address_collection[allowed_countries][0]", "US"),
            ("permissions[update_shipping_details]", "server_only"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{payment}");
    assert_shape("checkout.session", &payment);
    assert!(
        payment["shipping_address_collection"].is_object(),
        "{payment}"
    );
    assert_shape(
        "shipping_rate",
        &payment["shipping_options"][0]["shipping_rate"],
    );
    assert_shape("shipping_rate", &payment["shipping_cost"]["shipping_rate"]);
    // With shipping details set by the server: `collected_information` is
    // an object of the fixture's shape.
    let payment_id = payment["id"].as_str().unwrap();
    let (status, shipped) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{payment_id}"),
        &[
            ("collected_information[shipping_details][name]", "Ada"),
            (
                "collected_information[shipping_details][address][line1]",
                "1 Main St",
            ),
            (
                "collected_information[shipping_details][address][country]",
                "US",
            ),
        ],
    )
    .await;
    assert_eq!(status, 200, "{shipped}");
    assert!(shipped["collected_information"].is_object(), "{shipped}");
    assert_shape("checkout.session", &shipped);

    // Paid, with the customer's email: `customer_details` is an object of
    // the fixture's shape.
    let paid = sandbox_create(&base, &[]).await;
    let paid_id = paid["id"].as_str().unwrap();
    let response = http()
        .post(format!("{base}/v1/payment_pages/{paid_id}/confirm"))
        .form(&[
            ("key", "pk_test_sandbox"),
            ("client_secret", paid["client_secret"].as_str().unwrap()),
            ("payment_method[card][number]", "4242424242424242"),
            ("email", "buyer@example.com"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let complete = get(&base, &format!("/v1/checkout/sessions/{paid_id}")).await;
    assert!(complete["customer_details"].is_object(), "{complete}");
    assert_eq!(complete["customer_details"]["email"], "buyer@example.com");
    assert_shape("checkout.session", &complete);
}

#[test]
fn a_renamed_or_missing_field_fails() {
    let fixtures = fixtures();
    let mut coupon = fixtures["coupon"].clone();
    assert!(check("coupon", &coupon).is_empty());
    let map = coupon.as_object_mut().unwrap();
    let v = map.remove("percent_off").unwrap();
    map.insert("percentOff".into(), v);
    let errors = check("coupon", &coupon);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("coupon.percent_off: missing")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("coupon.percentOff: not in the fixture")),
        "{errors:?}"
    );
    let mut price = fixtures["price"].clone();
    price["unit_amount"] = Value::String("1000".into());
    assert!(!check("price", &price).is_empty());
    let mut item = fixtures["item"].clone();
    item["description"] = Value::Null;
    assert!(check("item", &item).is_empty(), "description is nullable");
    item["quantity"] = Value::Null;
    assert!(
        !check("item", &item).is_empty(),
        "quantity is not in NULLABLE"
    );
}
