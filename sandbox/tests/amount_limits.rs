//! The limits on amounts, quantities, line items and metadata
//! (docs/sandbox-contract.md, "Limits"), and a property test feeding extreme
//! values through create, update and retrieve. Every request goes through
//! the router in-process, so a handler panic fails the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod inprocess;

use axum::Router;
use inprocess::*;
use proptest::prelude::*;
use serde_json::Value;

const MAX_AMOUNT: &str = "99999999";
const OVER_AMOUNT: &str = "100000000";

/// A payment-mode session's base parameters (no line items).
fn payment_base() -> Vec<(&'static str, &'static str)> {
    vec![
        ("mode", "payment"),
        ("ui_mode", "custom"),
        ("return_url", "http://127.0.0.1:8080/return"),
        ("permissions[update_line_items]", "server_only"),
        ("permissions[update_discounts]", "server_only"),
    ]
}

/// A payment-mode item made from `price_data`: `unit_amount`, `quantity`.
fn price_data_item(i: usize, amount: &str, quantity: &str) -> Vec<(String, String)> {
    let p = |f: &str| format!("line_items[{i}][{f}]");
    vec![
        (p("price_data][currency"), "usd".to_owned()),
        (p("price_data][product_data][name"), "Thing".to_owned()),
        (p("price_data][unit_amount"), amount.to_owned()),
        (p("quantity"), quantity.to_owned()),
    ]
}

fn borrowed(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Creates a payment session with one item of `amount` × `quantity` plus `extra`.
async fn create_payment(
    app: &Router,
    amount: &str,
    quantity: &str,
    extra: &[(&str, &str)],
) -> (u16, Value) {
    let item = price_data_item(0, amount, quantity);
    let mut pairs = payment_base();
    pairs.extend(borrowed(&item));
    pairs.extend_from_slice(extra);
    post(app, "/v1/checkout/sessions", &pairs).await
}

// ------------------------------------------------------------------- amounts

#[tokio::test]
async fn unit_amount_is_at_most_eight_digits() {
    let app = app();
    let (status, body) = create_payment(&app, MAX_AMOUNT, "1", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount_total"], 99_999_999);
    for amount in [OVER_AMOUNT, "9223372036854775807"] {
        let (status, body) = create_payment(&app, amount, "1", &[]).await;
        assert_refused(status, &body, "line_items[0][price_data][unit_amount]");
    }
    // Past i64: still the same parameter, as an invalid integer.
    let (status, body) = create_payment(&app, "18446744073709551615", "1", &[]).await;
    assert_refused(status, &body, "line_items[0][price_data][unit_amount]");

    // unit_amount_decimal has the same bound.
    let mut pairs = payment_base();
    pairs.extend([
        ("line_items[0][price_data][currency]", "usd"),
        ("line_items[0][price_data][product]", "prod_x"),
        ("line_items[0][quantity]", "1"),
    ]);
    let mut ok = pairs.clone();
    ok.push(("line_items[0][price_data][unit_amount_decimal]", MAX_AMOUNT));
    let (status, body) = post(&app, "/v1/checkout/sessions", &ok).await;
    assert_eq!(status, 200, "{body}");
    pairs.push((
        "line_items[0][price_data][unit_amount_decimal]",
        OVER_AMOUNT,
    ));
    let (status, body) = post(&app, "/v1/checkout/sessions", &pairs).await;
    assert_refused(
        status,
        &body,
        "line_items[0][price_data][unit_amount_decimal]",
    );
}

#[tokio::test]
async fn quantity_is_at_most_999999() {
    let app = app();
    let (status, body) = create_payment(&app, MAX_AMOUNT, "999999", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount_subtotal"], 99_999_999_i64 * 999_999);
    for quantity in ["1000000", "18446744073709551615", "99999999999999999999999"] {
        let (status, body) = create_payment(&app, "100", quantity, &[]).await;
        assert_refused(status, &body, "line_items[0][quantity]");
    }
    // On update too, for an existing item kept by id.
    let (_, created) = create_payment(&app, "100", "1", &[]).await;
    let id = created["id"].as_str().unwrap();
    let (_, session) = get(&app, id).await;
    let item = session["line_items"]["data"][0]["id"].as_str().unwrap();
    let (status, body) = post(
        &app,
        &format!("/v1/checkout/sessions/{id}"),
        &[
            ("line_items[0][id]", item),
            ("line_items[0][quantity]", "1000000"),
        ],
    )
    .await;
    assert_refused(status, &body, "line_items[0][quantity]");
}

#[tokio::test]
async fn shipping_and_coupon_amounts_are_at_most_eight_digits() {
    let app = app();
    let shipping = |amount: &'static str| {
        [
            (
                "shipping_options[0][shipping_rate_data][display_name]",
                "Post",
            ),
            (
                "shipping_options[0][shipping_rate_data][type]",
                "fixed_amount",
            ),
            (
                "shipping_options[0][shipping_rate_data][fixed_amount][amount]",
                amount,
            ),
            (
                "shipping_options[0][shipping_rate_data][fixed_amount][currency]",
                "usd",
            ),
        ]
    };
    let (status, body) = create_payment(&app, "100", "1", &shipping(MAX_AMOUNT)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount_total"], 100 + 99_999_999);
    let (status, body) = create_payment(&app, "100", "1", &shipping(OVER_AMOUNT)).await;
    assert_refused(
        status,
        &body,
        "shipping_options[0][shipping_rate_data][fixed_amount][amount]",
    );

    let coupon = |amount: &'static str| {
        [
            ("discounts[0][coupon_data][amount_off]", amount),
            ("discounts[0][coupon_data][currency]", "usd"),
        ]
    };
    let (status, body) = create_payment(&app, "100", "1", &coupon(MAX_AMOUNT)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount_total"], 0);
    let (status, body) = create_payment(&app, "100", "1", &coupon(OVER_AMOUNT)).await;
    assert_refused(status, &body, "discounts[0][coupon_data][amount_off]");

    // POST /v1/coupons: the same bound, on the top-level parameter.
    let (status, body) = post(
        &app,
        "/v1/coupons",
        &[("amount_off", MAX_AMOUNT), ("currency", "usd")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(
        &app,
        "/v1/coupons",
        &[("amount_off", "9223372036854775807"), ("currency", "usd")],
    )
    .await;
    assert_refused(status, &body, "amount_off");
}

#[tokio::test]
async fn overflowing_items_are_refused_and_nothing_is_saved() {
    let app = app();
    // The probe: two i64::MAX items. Before, the total overflowed (a panic).
    let mut items = price_data_item(0, "9223372036854775807", "1");
    items.extend(price_data_item(1, "9223372036854775807", "1"));
    let mut pairs = payment_base();
    pairs.extend(borrowed(&items));
    let (status, body) = post(&app, "/v1/checkout/sessions", &pairs).await;
    assert_refused(status, &body, "line_items[0][price_data][unit_amount]");

    // The update probe: an item at the bound, then one past it added by
    // update. The refused update saves nothing; reads keep working.
    let (status, created) = create_payment(&app, MAX_AMOUNT, "999999", &[]).await;
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_str().unwrap();
    let (_, before) = get(&app, id).await;
    let item = before["line_items"]["data"][0]["id"].as_str().unwrap();
    let mut update = vec![("line_items[0][id]".to_owned(), item.to_owned())];
    update.extend(price_data_item(1, "9223372036854775807", "999999"));
    let (status, body) = post(
        &app,
        &format!("/v1/checkout/sessions/{id}"),
        &borrowed(&update),
    )
    .await;
    assert_refused(status, &body, "line_items[1][price_data][unit_amount]");
    let (status, after) = get(&app, id).await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after, before);
}

// ------------------------------------------------------- line items, metadata

#[tokio::test]
async fn line_item_count_follows_stripe() {
    let app = app();
    // Payment mode: 100 line items.
    for (n, ok) in [(100, true), (101, false)] {
        let mut items = Vec::new();
        for i in 0..n {
            items.extend(price_data_item(i, "1", "1"));
        }
        let mut pairs = payment_base();
        pairs.extend(borrowed(&items));
        let (status, body) = post(&app, "/v1/checkout/sessions", &pairs).await;
        if ok {
            assert_eq!(status, 200, "{body}");
            assert_eq!(body["amount_total"], 100);
        } else {
            assert_refused(status, &body, "line_items");
            assert!(body["error"]["message"].as_str().unwrap().contains("100"));
        }
    }
    // Subscription mode: 20 recurring line items.
    for (n, ok) in [(20, true), (21, false)] {
        let mut items = Vec::new();
        for i in 0..n {
            items.push((
                format!("line_items[{i}][price]"),
                "price_sandbox_monthly".to_owned(),
            ));
            items.push((format!("line_items[{i}][quantity]"), "1".to_owned()));
        }
        let mut pairs = vec![
            ("mode", "subscription"),
            ("ui_mode", "custom"),
            ("return_url", "http://x"),
        ];
        pairs.extend(borrowed(&items));
        let (status, body) = post(&app, "/v1/checkout/sessions", &pairs).await;
        if ok {
            assert_eq!(status, 200, "{body}");
        } else {
            assert_refused(status, &body, "line_items");
            assert!(body["error"]["message"].as_str().unwrap().contains("20"));
        }
    }
}

#[tokio::test]
async fn metadata_follows_stripe() {
    let app = app();
    let keys: Vec<(String, String)> = (0..51)
        .map(|i| (format!("metadata[k{i}]"), "v".to_owned()))
        .collect();
    let (status, body) = create_payment(&app, "100", "1", &borrowed(&keys[..50])).await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let (status, body) = create_payment(&app, "100", "1", &borrowed(&keys)).await;
    assert_refused(status, &body, "metadata");
    assert!(body["error"]["message"].as_str().unwrap().contains("50"));

    // Updates count the merged result: a 51st key is refused (nothing saved),
    // removing one makes room for another.
    let uri = format!("/v1/checkout/sessions/{id}");
    let (status, body) = post(&app, &uri, &[("metadata[extra]", "v")]).await;
    assert_refused(status, &body, "metadata");
    let (status, body) = post(
        &app,
        &uri,
        &[("metadata[k0]", ""), ("metadata[extra]", "v")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["metadata"].as_object().unwrap().len(), 50);
    assert_eq!(body["metadata"]["extra"], "v");

    let key40 = format!("metadata[{}]", "k".repeat(40));
    let key41 = format!("metadata[{}]", "k".repeat(41));
    let value500 = "v".repeat(500);
    let value501 = "v".repeat(501);
    let (status, body) = create_payment(&app, "100", "1", &[(&key40, &value500)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = create_payment(&app, "100", "1", &[(&key41, "v")]).await;
    assert_refused(status, &body, "metadata");
    let (status, body) = create_payment(&app, "100", "1", &[("metadata[k]", &value501)]).await;
    assert_refused(status, &body, "metadata[k]");
    // Characters, not bytes: 40 two-byte characters are fine.
    let key_e = format!("metadata[{}]", "é".repeat(40));
    let (status, body) = create_payment(&app, "100", "1", &[(&key_e, "v")]).await;
    assert_eq!(status, 200, "{body}");

    // Coupons share the rule.
    let (status, body) = post(&app, "/v1/coupons", &[("percent_off", "10"), (&key41, "v")]).await;
    assert_refused(status, &body, "metadata");
}

// ------------------------------------------------------------------ property

/// Extreme amount or quantity strings.
fn extreme() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_owned()),
        Just("1".to_owned()),
        Just("999999".to_owned()),
        Just("1000000".to_owned()),
        Just(MAX_AMOUNT.to_owned()),
        Just(OVER_AMOUNT.to_owned()),
        Just(i64::MAX.to_string()),
        Just(i64::MIN.to_string()),
        Just(u64::MAX.to_string()),
        Just("-1".to_owned()),
        Just("99999999999999999999999999999999".to_owned()),
        Just("1.5".to_owned()),
        Just(String::new()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        (0u64..=100_000_000).prop_map(|n| n.to_string()),
    ]
}

/// An amount: mostly valid (boundaries included), else extreme.
fn amount() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop_oneof![Just(0u64), Just(1), Just(99_999_999), 0u64..=99_999_999]
            .prop_map(|n| n.to_string()),
        1 => extreme(),
    ]
}

/// A quantity: mostly valid (boundaries included), else extreme.
fn quantity() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop_oneof![Just(1u64), Just(999_999), 1u64..=999_999].prop_map(|n| n.to_string()),
        1 => extreme(),
    ]
}

/// 200, or a 400 naming its parameter.
fn check_answer(step: &str, status: u16, body: &Value) -> Result<(), TestCaseError> {
    prop_assert!(
        status == 200
            || (status == 400
                && body["error"]["type"] == "invalid_request_error"
                && body["error"]["param"]
                    .as_str()
                    .is_some_and(|p| !p.is_empty())),
        "{step}: {status} {body}"
    );
    Ok(())
}

/// The rendered totals add up, within i64, for the session and its items.
fn check_totals(session: &Value) -> Result<(), TestCaseError> {
    let n = |v: &Value| i128::from(v.as_i64().unwrap_or(i64::MIN));
    let subtotal = n(&session["amount_subtotal"]);
    let discount = n(&session["total_details"]["amount_discount"]);
    let shipping = n(&session["total_details"]["amount_shipping"]);
    let total = n(&session["amount_total"]);
    prop_assert!(subtotal >= 0 && discount >= 0 && shipping >= 0, "{session}");
    prop_assert_eq!(total, subtotal - discount + shipping);
    for item in session["line_items"]["data"]
        .as_array()
        .into_iter()
        .flatten()
    {
        prop_assert_eq!(
            n(&item["amount_total"]),
            n(&item["amount_subtotal"]) - n(&item["amount_discount"])
        );
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn scenario(
    subscription: bool,
    amount: String,
    quantity: String,
    added_amount: String,
    added_quantity: String,
    kept_quantity: String,
    shipping: String,
    amount_off: String,
) -> Result<(), TestCaseError> {
    let app = app();
    let recurring = |i: usize| {
        subscription.then(|| {
            (
                format!("line_items[{i}][price_data][recurring][interval]"),
                "month".to_owned(),
            )
        })
    };
    let mut pairs: Vec<(String, String)> = [
        (
            "mode",
            if subscription {
                "subscription"
            } else {
                "payment"
            },
        ),
        ("ui_mode", "custom"),
        ("return_url", "http://x"),
        ("permissions[update_line_items]", "server_only"),
        ("permissions[update_discounts]", "server_only"),
        ("discounts[0][coupon_data][amount_off]", amount_off.as_str()),
        ("discounts[0][coupon_data][currency]", "usd"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    pairs.extend(price_data_item(0, &amount, &quantity));
    pairs.extend(recurring(0));
    if !subscription {
        pairs.extend(
            [
                ("display_name", "Post"),
                ("fixed_amount][amount", shipping.as_str()),
                ("fixed_amount][currency", "usd"),
            ]
            .map(|(f, v)| {
                (
                    format!("shipping_options[0][shipping_rate_data][{f}]"),
                    v.to_owned(),
                )
            }),
        );
    }
    let (status, mut created) = post(&app, "/v1/checkout/sessions", &borrowed(&pairs)).await;
    check_answer("create", status, &created)?;
    if status == 200 {
        check_totals(&created)?;
    } else {
        // A plain session instead, so that the updates run on every case.
        let mut plain = price_data_item(0, "100", "1");
        plain.extend(recurring(0));
        let mut base = pairs;
        base.retain(|(k, _)| {
            !k.starts_with("line_items")
                && !k.starts_with("discounts")
                && !k.starts_with("shipping")
        });
        base.extend(plain);
        let (status, plain) = post(&app, "/v1/checkout/sessions", &borrowed(&base)).await;
        prop_assert_eq!(status, 200, "{}", plain);
        created = plain;
    }
    updates(
        &app,
        &created,
        subscription,
        &added_amount,
        &added_quantity,
        &kept_quantity,
    )
    .await
}

async fn updates(
    app: &Router,
    created: &Value,
    subscription: bool,
    added_amount: &str,
    added_quantity: &str,
    kept_quantity: &str,
) -> Result<(), TestCaseError> {
    let id = created["id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let uri = format!("/v1/checkout/sessions/{id}");
    let (status, session) = get(app, id).await;
    prop_assert_eq!(status, 200, "{}", session);
    check_totals(&session)?;
    let item = session["line_items"]["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Keep the item (new quantity), add one by price_data.
    let mut update = vec![
        ("line_items[0][id]".to_owned(), item.clone()),
        (
            "line_items[0][quantity]".to_owned(),
            kept_quantity.to_owned(),
        ),
    ];
    update.extend(price_data_item(1, added_amount, added_quantity));
    if subscription {
        update.push((
            "line_items[1][price_data][recurring][interval]".to_owned(),
            "month".to_owned(),
        ));
    }
    let (status, body) = post(app, &uri, &borrowed(&update)).await;
    check_answer("update (price_data)", status, &body)?;

    // Keep the first item, add a catalog price by id (recurring: refused in
    // payment mode, with a param).
    let (status, body) = post(
        app,
        &uri,
        &[
            ("line_items[0][id]", item.as_str()),
            ("line_items[1][price]", "price_sandbox_yearly"),
            ("line_items[1][quantity]", added_quantity),
        ],
    )
    .await;
    check_answer("update (price)", status, &body)?;

    // Every read still answers, and its totals add up.
    let (status, session) = get(app, id).await;
    prop_assert_eq!(status, 200, "{}", session);
    check_totals(&session)?;
    let (status, client) = send(
        app,
        "POST",
        &format!("/v1/payment_pages/{id}/init"),
        form(&[("key", "pk_test_sandbox"), ("client_secret", secret)]),
        false,
    )
    .await;
    prop_assert_eq!(status, 200, "{}", client);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the amounts and quantities, every answer is a 200 or a 400
    /// naming its parameter, nothing panics, and later reads answer 200.
    #[test]
    fn extreme_amounts_never_break_a_session(
        subscription in any::<bool>(),
        amount in amount(),
        quantity in quantity(),
        added_amount in amount(),
        added_quantity in quantity(),
        kept_quantity in quantity(),
        shipping in amount(),
        amount_off in amount(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(scenario(
            subscription,
            amount,
            quantity,
            added_amount,
            added_quantity,
            kept_quantity,
            shipping,
            amount_off,
        ))?;
    }
}
