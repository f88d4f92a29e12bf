//! Shipping in the Stripe.js stand-in's session, over HTTP: the routes the
//! stand-in calls (`POST /v1/payment_pages/{id}/init` and `/{id}`) show the
//! shipping options with their delivery estimates, the server's shipping
//! address and the selected option; `shipping_rate` (the stand-in's
//! `updateShippingOption`) selects another one, and the totals (client and
//! API) follow it (docs/sandbox-contract.md, docs/research-stripe-js.md §12).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{json, Value};

const PK: (&str, &str) = ("key", "pk_test_sandbox");

/// Standard (5.00, no estimate) and Express (15.00, 1 to 2 business days).
const OPTIONS: [(&str, &str); 10] = [
    (
        "shipping_options[0][shipping_rate_data][display_name]",
        "Standard",
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
        "shipping_options[1][shipping_rate_data][display_name]",
        "Express",
    ),
    (
        "shipping_options[1][shipping_rate_data][fixed_amount][amount]",
        "1500",
    ),
    (
        "shipping_options[1][shipping_rate_data][fixed_amount][currency]",
        "usd",
    ),
    (
        "shipping_options[1][shipping_rate_data][delivery_estimate][minimum][unit]",
        "business_day",
    ),
    (
        "shipping_options[1][shipping_rate_data][delivery_estimate][minimum][value]",
        "1",
    ),
    (
        "shipping_options[1][shipping_rate_data][delivery_estimate][maximum][unit]",
        "business_day",
    ),
    (
        "shipping_options[1][shipping_rate_data][delivery_estimate][maximum][value]",
        "2",
    ),
];

#[tokio::test]
async fn the_stand_ins_session_shows_and_selects_shipping() {
    let base = spawn_emulator().await;
    let mut extra = OPTIONS.to_vec();
    extra.extend_from_slice(&[
        ("shipping_address_collection[allowed_countries][0]", "US"),
        ("permissions[update_shipping_details]", "server_only"),
    ]);
    let (status, created) = sandbox_create_payment(&base, &extra).await;
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let keys = [PK, ("client_secret", secret)];
    let init = format!("/v1/payment_pages/{id}/init");
    let page = format!("/v1/payment_pages/{id}");
    let standard = created["shipping_options"][0]["shipping_rate"]
        .as_str()
        .unwrap()
        .to_owned();
    let express = created["shipping_options"][1]["shipping_rate"]
        .as_str()
        .unwrap()
        .to_owned();

    // The API: the first option is the selected one, its estimate stored.
    assert_eq!(created["shipping_cost"]["shipping_rate"], standard.as_str());
    assert_eq!(created["amount_total"], 2500);
    let (_, expanded) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        &[("expand[]", "shipping_options.shipping_rate")],
    )
    .await;
    assert_eq!(
        expanded["shipping_options"][1]["shipping_rate"]["delivery_estimate"],
        json!({"maximum": {"unit": "business_day", "value": 2},
               "minimum": {"unit": "business_day", "value": 1}}),
        "{expanded}"
    );
    assert_eq!(
        expanded["shipping_options"][0]["shipping_rate"]["delivery_estimate"],
        Value::Null
    );

    // The client shape: options (amounts as StripeCheckoutAmount), the
    // selection, no address yet.
    let (status, s) = page_post(&base, &init, &keys).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(
        s["shippingOptions"],
        json!([
            {"id": standard, "minorUnitsAmount": 500, "amount": "$5.00", "currency": "usd",
             "displayName": "Standard", "deliveryEstimate": null},
            {"id": express, "minorUnitsAmount": 1500, "amount": "$15.00", "currency": "usd",
             "displayName": "Express", "deliveryEstimate": {
                 "maximum": {"unit": "business_day", "value": 2},
                 "minimum": {"unit": "business_day", "value": 1}}},
        ])
    );
    assert_eq!(
        s["shipping"],
        json!({"shippingOption": s["shippingOptions"][0], "taxAmounts": null})
    );
    assert_eq!(s["shippingAddress"], Value::Null);
    assert_eq!(s["total"]["shippingRate"]["minorUnitsAmount"], 500);
    assert_eq!(s["total"]["total"]["minorUnitsAmount"], 2500);

    // updateShippingOption(express): the selection and the totals follow.
    let (status, s) = page_post(
        &base,
        &page,
        &[keys[0], keys[1], ("shipping_rate", &express)],
    )
    .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["shipping"]["shippingOption"]["id"], express.as_str());
    assert_eq!(s["total"]["shippingRate"]["minorUnitsAmount"], 1500);
    assert_eq!(s["total"]["total"]["minorUnitsAmount"], 3500);
    assert_eq!(s["total"]["total"]["amount"], "$35.00");
    let (_, api) = sandbox_get(&base, id).await;
    assert_eq!(api["shipping_cost"]["shipping_rate"], express.as_str());
    assert_eq!(api["shipping_cost"]["amount_total"], 1500);
    assert_eq!(api["amount_total"], 3500);
    assert_eq!(api["total_details"]["amount_shipping"], 1500);
    let (_, s) = page_post(&base, &init, &keys).await;
    assert_eq!(
        s["shipping"]["shippingOption"]["id"],
        express.as_str(),
        "kept"
    );

    // An id that is not one of the options: refused, nothing changes.
    let (status, body) = page_post(
        &base,
        &page,
        &[keys[0], keys[1], ("shipping_rate", "shr_unknown")],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["param"], "shipping_rate");
    assert_eq!(body["error"]["code"], "resource_missing");
    let (_, s) = page_post(&base, &init, &keys).await;
    assert_eq!(s["shipping"]["shippingOption"]["id"], express.as_str());

    // The server's shipping details show as shippingAddress.
    let (status, _) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        &[
            (
                "collected_information[shipping_details][name]",
                "Ada Lovelace",
            ),
            (
                "collected_information[shipping_details][address][line1]",
                "1 Main St",
            ),
            (
                "collected_information[shipping_details][address][postal_code]",
                "12345",
            ),
            (
                "collected_information[shipping_details][address][country]",
                "US",
            ),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (_, s) = page_post(&base, &init, &keys).await;
    assert_eq!(
        s["shippingAddress"],
        json!({"name": "Ada Lovelace", "address": {
            "country": "US", "line1": "1 Main St", "line2": null, "city": null,
            "postal_code": "12345", "state": null}})
    );

    // The server updates the options: the selection stays while the
    // selected rate is among them, else it falls back to the first.
    let (status, body) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        &[
            ("shipping_options[0][shipping_rate]", &standard),
            ("shipping_options[1][shipping_rate]", &express),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["shipping_cost"]["shipping_rate"], express.as_str());
    let (status, body) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        &[("shipping_options[0][shipping_rate]", &standard)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["shipping_cost"]["shipping_rate"], standard.as_str());
    assert_eq!(body["amount_total"], 2500);
    let (_, s) = page_post(&base, &init, &keys).await;
    assert_eq!(s["shipping"]["shippingOption"]["id"], standard.as_str());
    // No options: no shipping, nothing to select.
    let (status, body) = sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        &[("shipping_options", "")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, s) = page_post(&base, &init, &keys).await;
    assert_eq!(s["shipping"], Value::Null);
    assert_eq!(s["total"]["shippingRate"]["minorUnitsAmount"], 0);
    let (status, _) = page_post(
        &base,
        &page,
        &[keys[0], keys[1], ("shipping_rate", &standard)],
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn delivery_estimates_are_checked() {
    let base = spawn_emulator().await;
    const P: &str = "shipping_options[0][shipping_rate_data]";
    let base_form = [
        (
            "shipping_options[0][shipping_rate_data][display_name]",
            "Post",
        ),
        (
            "shipping_options[0][shipping_rate_data][fixed_amount][amount]",
            "500",
        ),
        (
            "shipping_options[0][shipping_rate_data][fixed_amount][currency]",
            "usd",
        ),
    ];
    let unit = format!("{P}[delivery_estimate][maximum][unit]");
    let value = format!("{P}[delivery_estimate][maximum][value]");
    // (the estimate's fields, the refused param, part of the message)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case<'_>; 4] = [
        (
            &[(&unit, "fortnight"), (&value, "1")],
            "maximum][unit",
            "Invalid",
        ),
        (
            &[(&unit, "day"), (&value, "0")],
            "maximum][value",
            "greater than or equal to 1",
        ),
        (&[(&value, "1")], "maximum][unit", "Missing required param"),
        (
            &[(&unit, "day")],
            "maximum][value",
            "Missing required param",
        ),
    ];
    for (extra, param, message) in cases {
        let mut form = base_form.to_vec();
        form.extend_from_slice(extra);
        let (status, body) = sandbox_create_payment(&base, &form).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(
            body["error"]["param"],
            format!("{P}[delivery_estimate][{param}]"),
            "{body}"
        );
        let got = body["error"]["message"].as_str().unwrap();
        assert!(got.contains(message), "{got}");
    }
    // Every unit of stripe-node's list is taken; one bound is enough.
    for u in ["business_day", "day", "hour", "month", "week"] {
        let mut form = base_form.to_vec();
        form.extend_from_slice(&[(&unit, u), (&value, "3")]);
        let (status, body) = sandbox_create_payment(&base, &form).await;
        assert_eq!(status, 200, "{u}: {body}");
    }
}
