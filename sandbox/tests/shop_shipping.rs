//! What a merchant's shop server sends for shipping and add-ons (issue 25),
//! over HTTP: a payment-mode session of catalogue prices created with
//! `shipping_address_collection` and
//! `permissions[update_shipping_details]=server_only`; an add-on
//! (`line_items[N][price_data]`) added while the other items are kept by id;
//! shipping details and shipping options in one update; then line items and
//! shipping options in one update. After each: the line items (description,
//! amounts), `amount_subtotal`, `shipping_cost`, `amount_total` and
//! `total_details`. Then what Stripe refuses (docs/research-stripe-api.md §11).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{json, Value};

/// A shop of one-time prices: a mug (12.00, in the cart) and a poster (25.00).
const SHOP: &str = r#"
currency = "usd"

[[products]]
id = "mug"
name = "Enamel mug"
in_cart = true

[[products.prices]]
price = "price_shop_mug"
amount = 1200

[[products]]
id = "poster"
name = "Poster"

[[products.prices]]
price = "price_shop_poster"
amount = 2500
"#;

const DAHLIA: &str = "2026-03-25.dahlia; checkout_server_update_beta=v1;";

async fn spawn_shop() -> String {
    let catalogue = checkout_catalogue::Catalogue::parse(SHOP).unwrap();
    spawn_emulator_with(stripe_sandbox::SandboxOptions {
        catalogue: std::sync::Arc::new(catalogue),
        ..Default::default()
    })
    .await
}

/// POSTs a form with the test key and, when given, a `Stripe-Version`.
async fn post(
    base: &str,
    path: &str,
    version: Option<&str>,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = http()
        .post(format!("{base}{path}"))
        .bearer_auth(KEY)
        .form(form);
    if let Some(version) = version {
        request = request.header("Stripe-Version", version);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Creates the shop's session (two mugs) as the merchant server does.
async fn create_shop_session(base: &str, version: Option<&str>, ui_mode: &str) -> Value {
    let (status, body) = post(
        base,
        "/v1/checkout/sessions",
        version,
        &[
            ("mode", "payment"),
            ("ui_mode", ui_mode),
            ("return_url", "http://127.0.0.1:8080/return"),
            ("customer_email", "ada@example.com"),
            ("line_items[0][price]", "price_shop_mug"),
            ("line_items[0][quantity]", "2"),
            ("shipping_address_collection[allowed_countries][0]", "US"),
            ("shipping_address_collection[allowed_countries][1]", "CA"),
            ("permissions[update_shipping_details]", "server_only"),
            ("permissions[update_line_items]", "server_only"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// `[(description, quantity, unit_amount, amount_subtotal, amount_total)]`
/// of an expanded session's line items.
fn lines(session: &Value) -> Vec<(&str, u64, i64, i64, i64)> {
    session["line_items"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|li| {
            (
                li["description"].as_str().unwrap(),
                li["quantity"].as_u64().unwrap(),
                li["price"]["unit_amount"].as_i64().unwrap(),
                li["amount_subtotal"].as_i64().unwrap(),
                li["amount_total"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// `(amount_subtotal, amount_shipping, amount_total)` and the rest of
/// `total_details`, checked to agree.
fn totals(session: &Value) -> (i64, i64, i64) {
    let details = &session["total_details"];
    assert_eq!(details["amount_discount"], 0, "{session}");
    assert_eq!(details["amount_tax"], 0, "{session}");
    (
        session["amount_subtotal"].as_i64().unwrap(),
        details["amount_shipping"].as_i64().unwrap(),
        session["amount_total"].as_i64().unwrap(),
    )
}

const ADDRESS: [(&str, &str); 6] = [
    (
        "collected_information[shipping_details][name]",
        "Ada Lovelace",
    ),
    (
        "collected_information[shipping_details][address][line1]",
        "1 Main St",
    ),
    (
        "collected_information[shipping_details][address][line2]",
        "Apt 2",
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
];

/// `shipping_options[i][shipping_rate_data]` for `(name, amount, min days, max days)`.
fn option_fields(options: &[(&str, &str, &str, &str)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, (name, amount, min, max)) in options.iter().enumerate() {
        let p = format!("shipping_options[{i}][shipping_rate_data]");
        out.extend([
            (format!("{p}[display_name]"), (*name).to_owned()),
            (format!("{p}[type]"), "fixed_amount".to_owned()),
            (format!("{p}[fixed_amount][amount]"), (*amount).to_owned()),
            (format!("{p}[fixed_amount][currency]"), "usd".to_owned()),
            (
                format!("{p}[delivery_estimate][minimum][unit]"),
                "business_day".to_owned(),
            ),
            (
                format!("{p}[delivery_estimate][minimum][value]"),
                (*min).to_owned(),
            ),
            (
                format!("{p}[delivery_estimate][maximum][unit]"),
                "business_day".to_owned(),
            ),
            (
                format!("{p}[delivery_estimate][maximum][value]"),
                (*max).to_owned(),
            ),
        ]);
    }
    out
}

fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn the_shop_flow_add_on_shipping_then_a_cart_change() {
    let base = spawn_shop().await;
    for (version, ui_mode) in [(None, "custom"), (Some(DAHLIA), "elements")] {
        let created = create_shop_session(&base, version, ui_mode).await;
        let id = created["id"].as_str().unwrap();
        let path = format!("/v1/checkout/sessions/{id}");
        assert_eq!(totals(&created), (2400, 0, 2400));
        assert_eq!(created["shipping_cost"], Value::Null);
        assert_eq!(created["shipping_options"], json!([]));
        assert_eq!(
            created["permissions"]["update_shipping_details"],
            "server_only"
        );
        assert_eq!(
            created["shipping_address_collection"]["allowed_countries"],
            json!(["US", "CA"])
        );
        let (_, got) = sandbox_get(&base, id).await;
        let mug = got["line_items"]["data"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(lines(&got), [("Enamel mug", 2, 1200, 2400, 2400)]);

        // 1. The add-on: a price_data item (Gift wrap, 5.00), the mug kept by id.
        let (status, s) = post(
            &base,
            &path,
            version,
            &[
                ("line_items[0][id]", &mug),
                ("line_items[0][quantity]", "2"),
                ("line_items[1][price_data][currency]", "usd"),
                ("line_items[1][price_data][unit_amount]", "500"),
                ("line_items[1][price_data][product_data][name]", "Gift wrap"),
                ("line_items[1][quantity]", "1"),
                ("expand[]", "line_items"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{s}");
        assert_eq!(
            lines(&s),
            [
                ("Enamel mug", 2, 1200, 2400, 2400),
                ("Gift wrap", 1, 500, 500, 500),
            ]
        );
        let wrap = &s["line_items"]["data"][1];
        assert_eq!(s["line_items"]["data"][0]["id"], mug.as_str());
        assert!(wrap["id"].as_str().unwrap().starts_with("li_"), "{wrap}");
        assert_eq!(wrap["price"]["currency"], "usd");
        assert_eq!(wrap["price"]["active"], false, "an inline price");
        assert_eq!(wrap["price"]["type"], "one_time");
        assert!(wrap["price"]["product"]
            .as_str()
            .unwrap()
            .starts_with("prod_"));
        assert_eq!(totals(&s), (2900, 0, 2900));
        assert_eq!(s["shipping_cost"], Value::Null);
        let wrap_id = wrap["id"].as_str().unwrap().to_owned();

        // 2. The address and the options it gives, in one update.
        let mut form = ADDRESS.to_vec();
        form.push((
            "collected_information[shipping_details][address][country]",
            "US",
        ));
        let options =
            option_fields(&[("Standard", "500", "3", "5"), ("Express", "1500", "1", "2")]);
        form.extend(borrowed(&options));
        form.push(("expand[]", "line_items"));
        let (status, s) = post(&base, &path, version, &form).await;
        assert_eq!(status, 200, "{s}");
        assert_eq!(totals(&s), (2900, 500, 3400));
        let standard = s["shipping_options"][0]["shipping_rate"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(s["shipping_options"][0]["shipping_amount"], 500);
        assert_eq!(s["shipping_options"][1]["shipping_amount"], 1500);
        assert_eq!(
            s["shipping_cost"],
            json!({"amount_subtotal": 500, "amount_tax": 0, "amount_total": 500,
                   "shipping_rate": standard})
        );
        assert_eq!(
            s["collected_information"]["shipping_details"],
            json!({"name": "Ada Lovelace", "address": {"line1": "1 Main St", "line2": "Apt 2",
                   "city": "Springfield", "state": "IL", "postal_code": "62701", "country": "US"}})
        );
        assert_eq!(lines(&s).len(), 2, "the line items are untouched");
        let (_, rate) = sandbox_post(
            &base,
            &path,
            &[("expand[]", "shipping_options.shipping_rate")],
        )
        .await;
        assert_eq!(
            rate["shipping_options"][1]["shipping_rate"]["delivery_estimate"],
            json!({"minimum": {"unit": "business_day", "value": 1},
                   "maximum": {"unit": "business_day", "value": 2}})
        );
        assert_eq!(
            rate["shipping_options"][1]["shipping_rate"]["display_name"],
            "Express"
        );

        // 3. The cart changes: three mugs, no gift wrap, a poster; new options
        //    (shipping free over 50.00), in one update.
        let options = option_fields(&[("Standard", "0", "3", "5"), ("Express", "1000", "1", "2")]);
        let mut form = vec![
            ("line_items[0][id]", mug.as_str()),
            ("line_items[0][quantity]", "3"),
            ("line_items[1][price]", "price_shop_poster"),
            ("line_items[1][quantity]", "1"),
            ("expand[]", "line_items"),
        ];
        form.extend(borrowed(&options));
        let (status, s) = post(&base, &path, version, &form).await;
        assert_eq!(status, 200, "{s}");
        assert_eq!(
            lines(&s),
            [
                ("Enamel mug", 3, 1200, 3600, 3600),
                ("Poster", 1, 2500, 2500, 2500),
            ]
        );
        assert!(
            s["line_items"]["data"]
                .as_array()
                .unwrap()
                .iter()
                .all(|li| li["id"] != wrap_id.as_str()),
            "the gift wrap is gone"
        );
        assert_eq!(totals(&s), (6100, 0, 6100));
        assert_ne!(
            s["shipping_cost"]["shipping_rate"],
            standard.as_str(),
            "new rates"
        );
        assert_eq!(s["shipping_cost"]["amount_total"], 0);
        assert_eq!(
            s["collected_information"]["shipping_details"]["name"], "Ada Lovelace",
            "kept"
        );

        // The same on a retrieve and on the line items' own list.
        let (_, got) = sandbox_get(&base, id).await;
        assert_eq!(totals(&got), (6100, 0, 6100));
        assert_eq!(lines(&got), lines(&s));
        let list: Value = http()
            .get(format!("{base}{path}/line_items"))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let descriptions: Vec<&str> = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|li| li["description"].as_str().unwrap())
            .collect();
        assert_eq!(descriptions, ["Enamel mug", "Poster"]);

        // The stand-in's session shows the same amounts.
        let secret = created["client_secret"].as_str().unwrap();
        let (status, page) = page_post(
            &base,
            &format!("/v1/payment_pages/{id}/init"),
            &[("key", "pk_test_sandbox"), ("client_secret", secret)],
        )
        .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["total"]["subtotal"]["minorUnitsAmount"], 6100);
        assert_eq!(page["total"]["shippingRate"]["minorUnitsAmount"], 0);
        assert_eq!(page["total"]["total"]["minorUnitsAmount"], 6100);
        assert_eq!(page["lineItems"][1]["name"], "Poster");
        // …and the permission, in the emulator's private field the stand-in
        // reads (its Express Checkout Element renders no wallet then).
        assert_eq!(
            page["sandbox"],
            json!({"permissions": {"update_shipping_details": "server_only"}})
        );
    }
    // Without the permission: null, in the API object and for the stand-in.
    let (status, plain) = sandbox_create_payment(&base, &[]).await;
    assert_eq!(status, 200, "{plain}");
    assert_eq!(plain["permissions"]["update_shipping_details"], Value::Null);
    let (_, page) = page_post(
        &base,
        &format!("/v1/payment_pages/{}/init", plain["id"].as_str().unwrap()),
        &[
            ("key", "pk_test_sandbox"),
            ("client_secret", plain["client_secret"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(
        page["sandbox"],
        json!({"permissions": {"update_shipping_details": null}})
    );
    let (status, client_only) = sandbox_create_payment(
        &base,
        &[("permissions[update_shipping_details]", "client_only")],
    )
    .await;
    assert_eq!(status, 200, "{client_only}");
    assert_eq!(
        client_only["permissions"]["update_shipping_details"],
        "client_only"
    );
    let (status, body) =
        sandbox_create_payment(&base, &[("permissions[update_shipping_details]", "nobody")]).await;
    assert_refused(status, &body, "permissions[update_shipping_details]", None);
}

/// An existing item given `price_data` (with its id) takes the new price, its quantity kept.
#[tokio::test]
async fn price_data_replaces_the_price_of_a_kept_item() {
    let base = spawn_shop().await;
    let created = create_shop_session(&base, None, "custom").await;
    let id = created["id"].as_str().unwrap();
    let (_, got) = sandbox_get(&base, id).await;
    let mug = got["line_items"]["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, s) = post(
        &base,
        &format!("/v1/checkout/sessions/{id}"),
        None,
        &[
            ("line_items[0][id]", &mug),
            ("line_items[0][price_data][currency]", "usd"),
            ("line_items[0][price_data][unit_amount_decimal]", "999"),
            (
                "line_items[0][price_data][product_data][name]",
                "Mug (sale)",
            ),
            ("expand[]", "line_items"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(lines(&s), [("Mug (sale)", 2, 999, 1998, 1998)]);
    assert_eq!(s["line_items"]["data"][0]["id"], mug.as_str());
    assert_eq!(totals(&s), (1998, 0, 1998));
}

fn assert_refused(status: u16, body: &Value, param: &str, code: Option<&str>) {
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
    assert_eq!(body["error"]["param"], param, "{body}");
    match code {
        Some(code) => assert_eq!(body["error"]["code"], code, "{body}"),
        None => assert!(body["error"].get("code").is_none(), "{body}"),
    }
}

/// Shipping options: payment mode only, on create and on update; at most
/// five, on create and on update. A refused update changes nothing.
#[tokio::test]
async fn shipping_options_refusals_on_create_and_update() {
    let base = spawn_shop().await;
    let one = option_fields(&[("Standard", "500", "3", "5")]);
    let six = option_fields(&[
        ("A", "100", "1", "2"),
        ("B", "200", "1", "2"),
        ("C", "300", "1", "2"),
        ("D", "400", "1", "2"),
        ("E", "500", "1", "2"),
        ("F", "600", "1", "2"),
    ]);
    let five = &six[..5 * 8];

    // Subscription mode (the demo catalogue's monthly price): refused on
    // create and on update.
    let demo = spawn_emulator().await;
    let (status, body) = sandbox_try_create(&demo, &borrowed(&one)).await;
    assert_refused(status, &body, "shipping_options", None);
    assert_eq!(
        body["error"]["message"],
        "shipping_options can only be used in `payment` mode."
    );
    let sub = sandbox_create(&demo, &[]).await;
    let sub_path = format!("/v1/checkout/sessions/{}", sub["id"].as_str().unwrap());
    let (status, body) = sandbox_post(&demo, &sub_path, &borrowed(&one)).await;
    assert_refused(status, &body, "shipping_options", None);
    assert_eq!(
        body["error"]["message"],
        "shipping_options can only be used in `payment` mode."
    );
    let (_, got) = sandbox_get(&demo, sub["id"].as_str().unwrap()).await;
    assert_eq!(got["shipping_options"], json!([]));
    assert_eq!(got["shipping_cost"], Value::Null);
    // …also together with shipping details, which alone are taken.
    let mut form = ADDRESS.to_vec();
    form.push((
        "collected_information[shipping_details][address][country]",
        "US",
    ));
    let with_details: Vec<(&str, &str)> = form.iter().copied().chain(borrowed(&one)).collect();
    let (status, body) = sandbox_post(&demo, &sub_path, &with_details).await;
    assert_refused(status, &body, "shipping_options", None);
    let (_, got) = sandbox_get(&demo, sub["id"].as_str().unwrap()).await;
    assert_eq!(got["collected_information"], Value::Null, "nothing applied");

    // More than five: refused on create and on update; five are taken.
    let (status, body) = sandbox_create_payment(&base, &borrowed(&six)).await;
    assert_refused(status, &body, "shipping_options", None);
    assert_eq!(
        body["error"]["message"],
        "You may only specify up to 5 shipping options."
    );
    let (status, body) = sandbox_create_payment(&base, &borrowed(five)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["shipping_options"].as_array().unwrap().len(), 5);
    let created = create_shop_session(&base, None, "custom").await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/v1/checkout/sessions/{id}");
    let (status, body) = sandbox_post(&base, &path, &borrowed(&six)).await;
    assert_refused(status, &body, "shipping_options", None);
    assert_eq!(
        body["error"]["message"],
        "You may only specify up to 5 shipping options."
    );
    let (_, got) = sandbox_get(&base, id).await;
    assert_eq!(got["shipping_options"], json!([]));
    let (status, body) = sandbox_post(&base, &path, &borrowed(five)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(totals(&body), (2400, 100, 2500));
}

/// `line_items[N][price_data]`: not with `price`; `currency`, a unit amount
/// and a product (`product` or `product_data`) required; on update as on
/// create. A refused update changes nothing.
#[tokio::test]
async fn price_data_refusals_on_update_and_create() {
    let base = spawn_shop().await;
    let created = create_shop_session(&base, None, "custom").await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/v1/checkout/sessions/{id}");
    let (_, got) = sandbox_get(&base, id).await;
    let mug = got["line_items"]["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    const PD: &str = "line_items[1][price_data]";
    let full = [
        ("line_items[1][price_data][currency]", "usd"),
        ("line_items[1][price_data][unit_amount]", "500"),
        ("line_items[1][price_data][product_data][name]", "Gift wrap"),
        ("line_items[1][quantity]", "1"),
    ];
    let without = |key: &str| -> Vec<(&str, &str)> {
        full.iter().copied().filter(|(k, _)| *k != key).collect()
    };
    // (the form of item 1, the refused param, its code, the message)
    type Case<'a> = (Vec<(&'a str, &'a str)>, String, Option<&'a str>, String);
    let cases: Vec<Case<'_>> = vec![
        (
            full.iter()
                .copied()
                .chain([("line_items[1][price]", "price_shop_poster")])
                .collect(),
            PD.to_owned(),
            None,
            "You may only specify one of these parameters: price, price_data.".into(),
        ),
        (
            without("line_items[1][price_data][currency]"),
            format!("{PD}[currency]"),
            Some("parameter_missing"),
            format!("Missing required param: {PD}[currency]."),
        ),
        (
            without("line_items[1][price_data][unit_amount]"),
            format!("{PD}[unit_amount]"),
            Some("parameter_missing"),
            format!("Missing required param: {PD}[unit_amount]."),
        ),
        (
            without("line_items[1][price_data][product_data][name]"),
            format!("{PD}[product]"),
            Some("parameter_missing"),
            format!("Missing required param: {PD}[product]."),
        ),
        (
            full.iter()
                .copied()
                .chain([("line_items[1][price_data][unit_amount_decimal]", "500")])
                .collect(),
            format!("{PD}[unit_amount_decimal]"),
            None,
            "You may only specify one of these parameters: unit_amount, unit_amount_decimal."
                .into(),
        ),
        (
            full.iter()
                .copied()
                .chain([("line_items[1][price_data][product]", "prod_x")])
                .collect(),
            format!("{PD}[product_data]"),
            None,
            "You may only specify one of these parameters: product, product_data.".into(),
        ),
    ];
    for (item, param, code, message) in &cases {
        let mut form = vec![("line_items[0][id]", mug.as_str())];
        form.extend(item.iter().copied());
        let (status, body) = sandbox_post(&base, &path, &form).await;
        assert_refused(status, &body, param, *code);
        assert_eq!(body["error"]["message"], message.as_str(), "{body}");
        // On create, the same item after a catalogue one.
        let mut form = vec![
            ("mode", "payment"),
            ("ui_mode", "custom"),
            ("return_url", "http://x/return"),
            ("line_items[0][price]", "price_shop_mug"),
            ("line_items[0][quantity]", "1"),
        ];
        form.extend(item.iter().copied());
        let (status, body) = sandbox_post(&base, "/v1/checkout/sessions", &form).await;
        assert_refused(status, &body, param, *code);
    }
    // price and price_data on a kept item (with its id) too.
    let (status, body) = sandbox_post(
        &base,
        &path,
        &[
            ("line_items[0][id]", &mug),
            ("line_items[0][price]", "price_shop_poster"),
            ("line_items[0][price_data][currency]", "usd"),
            ("line_items[0][price_data][unit_amount]", "500"),
            ("line_items[0][price_data][product_data][name]", "X"),
        ],
    )
    .await;
    assert_refused(status, &body, "line_items[0][price_data]", None);
    let (_, got) = sandbox_get(&base, id).await;
    assert_eq!(lines(&got), [("Enamel mug", 2, 1200, 2400, 2400)]);
    assert_eq!(totals(&got), (2400, 0, 2400));
}

/// A `complete` or `expired` session takes no update: line items, shipping
/// options, shipping details, each alone.
#[tokio::test]
async fn closed_sessions_take_no_update() {
    let base = spawn_shop().await;
    let options = option_fields(&[("Standard", "500", "3", "5")]);
    let mut details = ADDRESS.to_vec();
    details.push((
        "collected_information[shipping_details][address][country]",
        "US",
    ));
    for closed in ["complete", "expired"] {
        let created = create_shop_session(&base, None, "custom").await;
        let id = created["id"].as_str().unwrap();
        let path = format!("/v1/checkout/sessions/{id}");
        let (_, got) = sandbox_get(&base, id).await;
        let mug = got["line_items"]["data"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        if closed == "complete" {
            let secret = created["client_secret"].as_str().unwrap();
            let (status, body) = page_post(
                &base,
                &format!("/v1/payment_pages/{id}/confirm"),
                &[
                    ("key", "pk_test_sandbox"),
                    ("client_secret", secret),
                    ("payment_method[card][number]", "4242424242424242"),
                ],
            )
            .await;
            assert_eq!(status, 200, "{body}");
        } else {
            let (status, body) = sandbox_post(&base, &format!("{path}/expire"), &[]).await;
            assert_eq!(status, 200, "{body}");
        }
        let line_items = [
            ("line_items[0][id]", mug.as_str()),
            ("line_items[1][price_data][currency]", "usd"),
            ("line_items[1][price_data][unit_amount]", "500"),
            ("line_items[1][price_data][product_data][name]", "Gift wrap"),
            ("line_items[1][quantity]", "1"),
        ];
        let forms: [Vec<(&str, &str)>; 3] =
            [line_items.to_vec(), borrowed(&options), details.clone()];
        for form in forms {
            let (status, body) = sandbox_post(&base, &path, &form).await;
            assert_eq!(status, 400, "{body}");
            assert_eq!(body["error"]["type"], "invalid_request_error");
            assert_eq!(
                body["error"]["message"],
                format!("This Checkout Session is {closed} and can no longer be updated.")
            );
            assert!(body["error"].get("param").is_none(), "{body}");
        }
        let (_, got) = sandbox_get(&base, id).await;
        assert_eq!(got["status"], closed);
        assert_eq!(totals(&got), (2400, 0, 2400));
        assert_eq!(got["line_items"]["data"].as_array().unwrap().len(), 1);
        assert_eq!(got["collected_information"], Value::Null);
    }
}
