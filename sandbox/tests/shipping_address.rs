//! `shipping_address_collection[allowed_countries]` on create and
//! `collected_information[shipping_details]` on update, over HTTP: what is
//! stored and rendered, and Stripe's error for what is refused
//! (docs/research-stripe-api.md §11).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{json, Value};

const US_CA: [(&str, &str); 3] = [
    ("shipping_address_collection[allowed_countries][0]", "US"),
    ("shipping_address_collection[allowed_countries][1]", "CA"),
    ("permissions[update_shipping_details]", "server_only"),
];

const ADDRESS: [(&str, &str); 5] = [
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
        "collected_information[shipping_details][address][postal_code]",
        "12345",
    ),
    (
        "collected_information[shipping_details][address][country]",
        "US",
    ),
];

fn assert_error(status: u16, body: &Value, param: &str, code: Option<&str>) {
    assert_eq!(status, 400, "{body}");
    let error = &body["error"];
    assert_eq!(error["type"], "invalid_request_error", "{body}");
    assert_eq!(error["param"], param, "{body}");
    match code {
        Some(code) => assert_eq!(error["code"], code, "{body}"),
        None => assert!(error.get("code").is_none(), "{body}"),
    }
}

#[tokio::test]
async fn allowed_countries_are_stored_and_rendered() {
    let base = spawn_emulator().await;
    let (status, plain) = sandbox_create_payment(&base, &[]).await;
    assert_eq!(status, 200, "{plain}");
    assert_eq!(plain["shipping_address_collection"], Value::Null);
    assert_eq!(plain["collected_information"], Value::Null);

    let (status, s) = sandbox_create_payment(&base, &US_CA).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(
        s["shipping_address_collection"],
        json!({"allowed_countries": ["US", "CA"]})
    );
    assert_eq!(s["collected_information"], Value::Null);
    let (status, got) = sandbox_get(&base, s["id"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(
        got["shipping_address_collection"]["allowed_countries"],
        json!(["US", "CA"])
    );

    // Not limited to payment mode (unlike shipping_options).
    let (status, sub) = sandbox_try_create(
        &base,
        &[("shipping_address_collection[allowed_countries][0]", "GB")],
    )
    .await;
    assert_eq!(status, 200, "{sub}");
    assert_eq!(sub["mode"], "subscription");
    assert_eq!(
        sub["shipping_address_collection"]["allowed_countries"],
        json!(["GB"])
    );
}

#[tokio::test]
async fn allowed_countries_refusals() {
    let base = spawn_emulator().await;
    // A code outside stripe-node's AllowedCountry list, one Stripe lists as
    // unsupported, and a lower-case one: the enum error on that element.
    for bad in ["XX", "AS", "us"] {
        let (status, body) = sandbox_create_payment(
            &base,
            &[
                ("shipping_address_collection[allowed_countries][0]", "US"),
                ("shipping_address_collection[allowed_countries][1]", bad),
            ],
        )
        .await;
        let param = "shipping_address_collection[allowed_countries][1]";
        assert_error(status, &body, param, None);
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("Invalid {param}: must be one of AC, AD, AE,")),
            "{message}"
        );
        assert!(message.ends_with(", ZW, ZZ"), "{message}");
    }
    // Not a list.
    for value in ["US", ""] {
        let (status, body) = sandbox_create_payment(
            &base,
            &[("shipping_address_collection[allowed_countries]", value)],
        )
        .await;
        assert_error(
            status,
            &body,
            "shipping_address_collection[allowed_countries]",
            None,
        );
        assert_eq!(body["error"]["message"], "Invalid array");
    }
}

#[tokio::test]
async fn shipping_details_are_stored_and_rendered() {
    let base = spawn_emulator().await;
    let (_, s) = sandbox_create_payment(&base, &US_CA).await;
    let id = s["id"].as_str().unwrap();
    let path = format!("/v1/checkout/sessions/{id}");
    let (status, updated) = sandbox_post(&base, &path, &ADDRESS).await;
    assert_eq!(status, 200, "{updated}");
    let expected = json!({
        "business_name": null,
        "individual_name": null,
        "shipping_details": {
            "address": {
                "city": "Springfield",
                "country": "US",
                "line1": "1 Main St",
                "line2": null,
                "postal_code": "12345",
                "state": null,
            },
            "name": "Ada Lovelace",
        },
    });
    assert_eq!(updated["collected_information"], expected);
    let (status, got) = sandbox_get(&base, id).await;
    assert_eq!(status, 200);
    assert_eq!(got["collected_information"], expected);

    // A later update replaces the details; one without them keeps them.
    let (status, updated) = sandbox_post(
        &base,
        &path,
        &[
            (
                "collected_information[shipping_details][name]",
                "Grace Hopper",
            ),
            (
                "collected_information[shipping_details][address][line1]",
                "2 Elm St",
            ),
            (
                "collected_information[shipping_details][address][line2]",
                "Apt 3",
            ),
            (
                "collected_information[shipping_details][address][state]",
                "ON",
            ),
            (
                "collected_information[shipping_details][address][country]",
                "CA",
            ),
        ],
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    let details = &updated["collected_information"]["shipping_details"];
    assert_eq!(details["name"], "Grace Hopper");
    assert_eq!(
        details["address"],
        json!({"city": null, "country": "CA", "line1": "2 Elm St", "line2": "Apt 3",
               "postal_code": null, "state": "ON"})
    );
    let (status, updated) = sandbox_post(&base, &path, &[("metadata[k]", "v")]).await;
    assert_eq!(status, 200);
    assert_eq!(
        updated["collected_information"]["shipping_details"]["name"],
        "Grace Hopper"
    );
}

#[tokio::test]
async fn shipping_details_refusals() {
    let base = spawn_emulator().await;
    let (_, s) = sandbox_create_payment(&base, &US_CA).await;
    let id = s["id"].as_str().unwrap();
    let path = format!("/v1/checkout/sessions/{id}");
    // Each required field left out in turn (or sent empty).
    for (field, param) in [
        ("[name]", "collected_information[shipping_details][name]"),
        (
            "[address][line1]",
            "collected_information[shipping_details][address][line1]",
        ),
        (
            "[address][country]",
            "collected_information[shipping_details][address][country]",
        ),
    ] {
        for empty in [false, true] {
            let key = format!("collected_information[shipping_details]{field}");
            let form: Vec<(&str, &str)> = ADDRESS
                .iter()
                .copied()
                .filter(|(k, _)| *k != key)
                .chain(empty.then_some((key.as_str(), "")))
                .collect();
            let (status, body) = sandbox_post(&base, &path, &form).await;
            assert_error(status, &body, param, Some("parameter_missing"));
            assert_eq!(
                body["error"]["message"],
                format!("Missing required param: {param}.")
            );
        }
    }
    let (status, body) = sandbox_post(
        &base,
        &path,
        &[("collected_information[shipping_details][name]", "Ada")],
    )
    .await;
    assert_error(
        status,
        &body,
        "collected_information[shipping_details][address]",
        Some("parameter_missing"),
    );
    // The name: at most 255 characters.
    let long = "a".repeat(256);
    let mut form: Vec<(&str, &str)> = ADDRESS[1..].to_vec();
    form.push(("collected_information[shipping_details][name]", &long));
    let (status, body) = sandbox_post(&base, &path, &form).await;
    assert_error(
        status,
        &body,
        "collected_information[shipping_details][name]",
        None,
    );
    let max = "a".repeat(255);
    form.pop();
    form.push(("collected_information[shipping_details][name]", &max));
    let (status, body) = sandbox_post(&base, &path, &form).await;
    assert_eq!(status, 200, "{body}");
    // Nothing was stored by the refused updates but the last one.
    assert_eq!(
        body["collected_information"]["shipping_details"]["name"],
        max.as_str()
    );
}

#[tokio::test]
async fn shipping_details_not_refused_without_a_confirmed_rule() {
    let base = spawn_emulator().await;
    // client_only (the default) and a country outside allowed_countries:
    // Stripe's refusal of either is not confirmed, so the emulator takes them.
    let (_, s) = sandbox_create_payment(
        &base,
        &[("shipping_address_collection[allowed_countries][0]", "CA")],
    )
    .await;
    let id = s["id"].as_str().unwrap();
    let (status, body) =
        sandbox_post(&base, &format!("/v1/checkout/sessions/{id}"), &ADDRESS).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["collected_information"]["shipping_details"]["address"]["country"],
        "US"
    );
}

#[tokio::test]
async fn shipping_details_of_a_closed_session_are_refused() {
    let base = spawn_emulator().await;
    let (_, s) = sandbox_create_payment(&base, &US_CA).await;
    let id = s["id"].as_str().unwrap();
    let (status, _) = sandbox_post(&base, &format!("/v1/checkout/sessions/{id}/expire"), &[]).await;
    assert_eq!(status, 200);
    let (status, body) =
        sandbox_post(&base, &format!("/v1/checkout/sessions/{id}"), &ADDRESS).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert_eq!(
        body["error"]["message"],
        "This Checkout Session is expired and can no longer be updated."
    );
    assert!(body["error"].get("param").is_none(), "{body}");
    let (_, got) = sandbox_get(&base, id).await;
    assert_eq!(got["collected_information"], Value::Null);
}
