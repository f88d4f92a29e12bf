//! The wire bytes of the rendered objects, against a `Value` reference
//! rendering and Stripe's fixture keys.

#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use crate::coupons::render::discount;
use crate::model::{
    Address, Coupon, DeliveryEstimate, Estimate, Permissions, Price, ShippingDetails, Status,
};
use crate::prices::catalog;

/// The `Value` rendering the direct serialization replaced: the reference
/// the wire bytes must still match.
mod reference {
    use crate::model::{Coupon, LineItem, Price, Session, ShippingRate, Status};
    use crate::params::expand::Expand;
    use serde_json::{json, Map, Value};

    // A `price` object.
    pub(super) fn price(p: &Price) -> Value {
        json!({
            "id": p.id,
            "object": "price",
            "active": p.active,
            "billing_scheme": "per_unit",
            "created": p.created,
            "currency": p.currency,
            "custom_unit_amount": null,
            "livemode": false,
            "lookup_key": null,
            "metadata": {},
            "nickname": null,
            "product": p.product,
            "recurring": p.recurring.as_ref().map(|r| json!({
                "interval": r.interval,
                "interval_count": r.interval_count,
                "meter": null,
                "trial_period_days": null,
                "usage_type": "licensed",
            })),
            "tax_behavior": "unspecified",
            "tiers_mode": null,
            "transform_quantity": null,
            "type": if p.recurring.is_some() { "recurring" } else { "one_time" },
            "unit_amount": p.unit_amount,
            "unit_amount_decimal": p.unit_amount.to_string(),
        })
    }

    // A `discount` object: coupon `c` applied to session `session_id`.
    pub(super) fn discount(c: &Coupon, session_id: &str, start: i64) -> Value {
        json!({
            "id": format!("di_{}", c.id),
            "object": "discount",
            "checkout_session": session_id,
            "customer": null,
            "customer_account": null,
            "end": null,
            "invoice": null,
            "invoice_item": null,
            "promotion_code": null,
            "source": {"coupon": c.id, "type": "coupon"},
            "start": start,
            "subscription": null,
            "subscription_item": null,
        })
    }

    // A `shipping_rate` object.
    pub(super) fn shipping_rate(r: &ShippingRate) -> Value {
        json!({
            "id": r.id,
            "object": "shipping_rate",
            "active": true,
            "created": r.created,
            "delivery_estimate": r.delivery_estimate.as_ref().map(|d| {
                let bound = |e: &Option<crate::model::Estimate>| {
                    e.as_ref().map(|e| json!({"unit": e.unit, "value": e.value}))
                };
                json!({"maximum": bound(&d.maximum), "minimum": bound(&d.minimum)})
            }),
            "display_name": r.display_name,
            "fixed_amount": {"amount": r.amount, "currency": r.currency},
            "livemode": false,
            "metadata": {},
            "tax_behavior": "unspecified",
            "tax_code": null,
            "type": "fixed_amount",
        })
    }

    // A line `item` object, given its share of the session discount.
    pub(super) fn item(li: &LineItem, discount: i64) -> Value {
        let subtotal = li.subtotal();
        json!({
            "id": li.id,
            "object": "item",
            "amount_discount": discount,
            "amount_subtotal": subtotal,
            "amount_tax": 0,
            "amount_total": subtotal - discount,
            "currency": li.price.currency,
            "description": li.price.product_name,
            "price": price(&li.price),
            "quantity": li.quantity,
        })
    }

    // A `coupon` object.
    pub(super) fn coupon(c: &Coupon) -> Value {
        json!({
            "id": c.id,
            "object": "coupon",
            "amount_off": c.amount_off,
            "created": c.created,
            "currency": c.currency,
            "duration": c.duration,
            "duration_in_months": c.duration_in_months,
            "livemode": false,
            "max_redemptions": null,
            "metadata": c.metadata,
            "name": c.name,
            "percent_off": c.percent_off,
            "redeem_by": null,
            "times_redeemed": 1,
            "valid": true,
        })
    }

    // The `line_items` list of a session.
    pub(super) fn line_items(s: &Session) -> Value {
        line_items_with(s, Expand::default())
    }

    fn line_items_with(s: &Session, expand: Expand) -> Value {
        let discounts = s.item_discounts();
        let data: Vec<Value> = s
            .line_items
            .iter()
            .zip(discounts)
            .map(|(li, d)| {
                let mut v = item(li, d);
                if expand.item_discounts {
                    // One entry per coupon, each splitting that coupon's amount like the total.
                    let entries: Vec<Value> = s
                        .discounts
                        .iter()
                        .map(|c| json!({"amount": d, "discount": discount(c, &s.id, s.created)}))
                        .collect();
                    if let Value::Object(m) = &mut v {
                        m.insert("discounts".to_owned(), json!(entries));
                    }
                }
                v
            })
            .collect();
        json!({
            "object": "list",
            "data": data,
            "has_more": false,
            "url": format!("/v1/checkout/sessions/{}/line_items", s.id),
        })
    }

    fn put(map: &mut Map<String, Value>, fields: Value) {
        if let Value::Object(fields) = fields {
            map.extend(fields);
        }
    }

    // A `checkout.session` object.
    pub(super) fn session(s: &Session, expand: Expand) -> Value {
        let totals = s.totals();
        let has_amounts = s.mode != "setup";
        let amount = |v: i64| if has_amounts { json!(v) } else { Value::Null };
        let discounts: Vec<Value> = s
            .discounts
            .iter()
            .map(|c| {
                json!({
                    "coupon": if expand.discounts { coupon(c) } else { json!(c.id) },
                    "promotion_code": null,
                })
            })
            .collect();
        let rate_ref = |r: &ShippingRate| {
            if expand.shipping_rates {
                shipping_rate(r)
            } else {
                json!(r.id)
            }
        };
        let shipping_options: Vec<Value> = s
            .shipping_options
            .iter()
            .map(|r| json!({"shipping_amount": r.amount, "shipping_rate": rate_ref(r)}))
            .collect();
        let shipping_cost = s.selected_shipping_rate().map(|r| {
            json!({
                "amount_subtotal": r.amount,
                "amount_tax": 0,
                "amount_total": r.amount,
                "shipping_rate": rate_ref(r),
            })
        });
        let mut m = Map::new();
        put(
            &mut m,
            json!({
                "id": s.id,
                "object": "checkout.session",
                "adaptive_pricing": {"enabled": false},
                "after_expiration": null,
                "allow_promotion_codes": null,
                "amount_subtotal": amount(totals.subtotal),
                "amount_total": amount(totals.total),
                "automatic_tax": {"enabled": false, "enablement_details": null, "liability": null, "provider": null, "status": null},
                "billing_address_collection": null,
                "cancel_url": null,
                "client_reference_id": s.client_reference_id,
                "client_secret": s.client_secret,
                "collected_information": s.shipping_details.as_ref().map(|d| json!({
                    "business_name": null,
                    "individual_name": null,
                    "shipping_details": {
                        "address": {
                            "city": d.address.city,
                            "country": d.address.country,
                            "line1": d.address.line1,
                            "line2": d.address.line2,
                            "postal_code": d.address.postal_code,
                            "state": d.address.state,
                        },
                        "name": d.name,
                    },
                })),
                "consent": null,
                "consent_collection": null,
                "created": s.created,
                "currency": s.currency,
                "currency_conversion": null,
                "custom_fields": [],
            }),
        );
        put(
            &mut m,
            json!({
                "custom_text": {
                    "after_submit": null,
                    "shipping_address": null,
                    "submit": null,
                    "terms_of_service_acceptance": null,
                },
                "customer": null,
                "customer_account": null,
                "customer_creation": if s.mode == "payment" { json!("if_required") } else { json!("always") },
                "customer_details": if s.status == Status::Complete {
                    json!({
                        "address": {"city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null},
                        "business_name": null,
                        "email": s.email(),
                        "individual_name": null,
                        "name": null,
                        "phone": null,
                        "tax_exempt": "none",
                        "tax_ids": [],
                    })
                } else {
                    Value::Null
                },
                "customer_email": s.customer_email,
                "discounts": discounts,
                "expires_at": s.expires_at,
                "integration_identifier": null,
                "invoice": null,
                "invoice_creation": null,
                "livemode": false,
                "locale": null,
                "managed_payments": {"enabled": false},
                "metadata": s.metadata,
                "mode": s.mode,
                "origin_context": null,
                "payment_intent": null,
                "payment_link": null,
                "payment_method_collection": if s.mode == "subscription" { json!("always") } else { Value::Null },
            }),
        );
        put(
            &mut m,
            json!({
                "payment_method_configuration_details": null,
                "payment_method_options": {},
                "payment_method_types": ["card"],
                "payment_status": s.payment_status,
                "permissions": {
                    "update_line_items": s.permissions.update_line_items,
                    "update_discounts": s.permissions.update_discounts,
                    "update_shipping_details": null,
                },
                "phone_number_collection": {"enabled": false},
                "recovered_from": null,
                "return_url": s.return_url,
                "saved_payment_method_options": null,
                "setup_intent": null,
                "shipping_address_collection": s.allowed_countries.as_ref().map(|c| json!({"allowed_countries": c})),
                "shipping_cost": shipping_cost,
                "shipping_options": shipping_options,
                "status": s.status.as_str(),
                "submit_type": null,
                "subscription": null,
                "success_url": null,
                "total_details": if has_amounts {
                    json!({"amount_discount": totals.discount, "amount_shipping": s.shipping_amount(), "amount_tax": 0})
                } else {
                    Value::Null
                },
                "ui_mode": s.ui_mode,
                "url": null,
                "wallet_options": null,
            }),
        );
        if expand.line_items {
            m.insert("line_items".to_owned(), line_items_with(s, expand));
        }
        Value::Object(m)
    }
}

// Key sets of the official fixtures (stripe-fixtures.json).
const SESSION_KEYS: &[&str] = &[
    "adaptive_pricing",
    "after_expiration",
    "allow_promotion_codes",
    "amount_subtotal",
    "amount_total",
    "automatic_tax",
    "billing_address_collection",
    "cancel_url",
    "client_reference_id",
    "client_secret",
    "collected_information",
    "consent",
    "consent_collection",
    "created",
    "currency",
    "currency_conversion",
    "custom_fields",
    "custom_text",
    "customer",
    "customer_account",
    "customer_creation",
    "customer_details",
    "customer_email",
    "discounts",
    "expires_at",
    "id",
    "integration_identifier",
    "invoice",
    "invoice_creation",
    "livemode",
    "locale",
    "managed_payments",
    "metadata",
    "mode",
    "object",
    "origin_context",
    "payment_intent",
    "payment_link",
    "payment_method_collection",
    "payment_method_configuration_details",
    "payment_method_options",
    "payment_method_types",
    "payment_status",
    "permissions",
    "phone_number_collection",
    "recovered_from",
    "saved_payment_method_options",
    "setup_intent",
    "shipping_address_collection",
    "shipping_cost",
    "shipping_options",
    "status",
    "submit_type",
    "subscription",
    "success_url",
    "total_details",
    "ui_mode",
    "url",
    "wallet_options",
];
const ITEM_KEYS: &[&str] = &[
    "amount_discount",
    "amount_subtotal",
    "amount_tax",
    "amount_total",
    "currency",
    "description",
    "id",
    "object",
    "price",
    "quantity",
];
const PRICE_KEYS: &[&str] = &[
    "active",
    "billing_scheme",
    "created",
    "currency",
    "custom_unit_amount",
    "id",
    "livemode",
    "lookup_key",
    "metadata",
    "nickname",
    "object",
    "product",
    "recurring",
    "tax_behavior",
    "tiers_mode",
    "transform_quantity",
    "type",
    "unit_amount",
    "unit_amount_decimal",
];
const COUPON_KEYS: &[&str] = &[
    "amount_off",
    "created",
    "currency",
    "duration",
    "duration_in_months",
    "id",
    "livemode",
    "max_redemptions",
    "metadata",
    "name",
    "object",
    "percent_off",
    "redeem_by",
    "times_redeemed",
    "valid",
];

fn has_keys(v: &Value, keys: &[&str]) {
    for k in keys {
        assert!(v.get(k).is_some(), "missing key {k} in {v}");
    }
}

fn sample() -> Session {
    Session {
        id: "cs_test_abc".into(),
        client_secret: "cs_test_abc_secret_x".into(),
        created: 1,
        expires_at: 2,
        mode: "subscription".into(),
        ui_mode: "custom".into(),
        status: Status::Open,
        payment_status: "unpaid".into(),
        currency: Some("usd".into()),
        line_items: vec![LineItem {
            id: "li_1".into(),
            price: catalog().remove(1),
            quantity: 1,
        }],
        discounts: vec![Coupon {
            id: "COUPON1".into(),
            amount_off: Some(1500),
            percent_off: None,
            currency: Some("usd".into()),
            name: Some("Customer Discount".into()),
            duration: "once".into(),
            duration_in_months: None,
            created: 1,
            metadata: BTreeMap::new(),
        }],
        permissions: Permissions {
            update_line_items: "server_only".into(),
            update_discounts: "server_only".into(),
            update_shipping_details: None,
        },
        return_url: "http://x".into(),
        metadata: BTreeMap::new(),
        client_reference_id: None,
        customer_email: None,
        collected_email: None,
        customer: None,
        customer_record_email: None,
        trial_period_days: None,
        shipping_options: Vec::new(),
        allowed_countries: None,
        shipping_details: None,
        selected_shipping_rate: None,
    }
}

#[test]
fn session_has_all_fixture_keys() {
    let v = session(&sample(), Expand::default());
    has_keys(&v, SESSION_KEYS);
    assert_eq!(v["object"], "checkout.session");
    assert_eq!(v["ui_mode"], "custom");
    assert_eq!(v["livemode"], false);
    assert_eq!(v["url"], Value::Null);
    assert_eq!(v["amount_subtotal"], 15000);
    assert_eq!(v["amount_total"], 13500);
    assert_eq!(v["total_details"]["amount_discount"], 1500);
    assert_eq!(v["discounts"][0]["coupon"], "COUPON1");
    assert!(v.get("line_items").is_none());
}

#[test]
fn shipping_address_collection_and_collected_information() {
    let mut s = sample();
    let v = session(&s, Expand::default());
    assert_eq!(v["shipping_address_collection"], Value::Null);
    assert_eq!(v["collected_information"], Value::Null);
    s.allowed_countries = Some(vec!["US".into(), "GB".into()]);
    s.shipping_details = Some(ShippingDetails {
        name: "Ada Lovelace".into(),
        address: Address {
            city: None,
            country: "GB".into(),
            line1: "12 St James's Square".into(),
            line2: None,
            postal_code: Some("SW1Y 4JH".into()),
            state: None,
        },
    });
    let v = session(&s, Expand::default());
    assert_eq!(
        v["shipping_address_collection"],
        serde_json::json!({"allowed_countries": ["US", "GB"]})
    );
    assert_eq!(
        v["collected_information"],
        serde_json::json!({
            "business_name": null,
            "individual_name": null,
            "shipping_details": {
                "address": {
                    "city": null,
                    "country": "GB",
                    "line1": "12 St James's Square",
                    "line2": null,
                    "postal_code": "SW1Y 4JH",
                    "state": null,
                },
                "name": "Ada Lovelace",
            },
        })
    );
}

#[test]
fn expanded_items_and_coupons() {
    let v = session(
        &sample(),
        Expand {
            line_items: true,
            discounts: true,
            ..Expand::default()
        },
    );
    let items = &v["line_items"];
    assert_eq!(items["object"], "list");
    assert_eq!(items["url"], "/v1/checkout/sessions/cs_test_abc/line_items");
    let item = &items["data"][0];
    has_keys(item, ITEM_KEYS);
    has_keys(&item["price"], PRICE_KEYS);
    assert_eq!(item["amount_discount"], 1500);
    assert_eq!(item["price"]["recurring"]["interval"], "year");
    has_keys(&v["discounts"][0]["coupon"], COUPON_KEYS);
}

fn variants() -> Vec<Session> {
    let base = sample();
    let mut percent = sample();
    percent.discounts[0].amount_off = None;
    percent.discounts[0].currency = None;
    percent.discounts[0].percent_off = Some(12.5);
    percent.discounts[0].duration = "repeating".into();
    percent.discounts[0].duration_in_months = Some(3);
    percent.discounts[0]
        .metadata
        .insert("k".into(), "v \"quoted\" é".into());
    let mut payment = sample();
    payment.mode = "payment".into();
    payment.discounts.clear();
    payment.line_items.push(LineItem {
        id: "li_2".into(),
        price: Price {
            lookup_key: None,
            recurring: None,
            ..catalog().remove(0)
        },
        quantity: 3,
    });
    payment.shipping_options = vec![
        ShippingRate {
            id: "shr_1".into(),
            display_name: "Standard".into(),
            amount: 500,
            currency: "usd".into(),
            created: 3,
            delivery_estimate: None,
        },
        ShippingRate {
            id: "shr_2".into(),
            display_name: "Express".into(),
            amount: 1500,
            currency: "usd".into(),
            created: 3,
            delivery_estimate: Some(DeliveryEstimate {
                maximum: None,
                minimum: Some(Estimate {
                    unit: "business_day".into(),
                    value: 1,
                }),
            }),
        },
    ];
    payment.allowed_countries = Some(vec!["US".into(), "CA".into()]);
    payment.shipping_details = Some(ShippingDetails {
        name: "Ada \"Lovelace\" é".into(),
        address: Address {
            city: Some("Springfield".into()),
            country: "US".into(),
            line1: "1 Main St".into(),
            line2: None,
            postal_code: Some("12345".into()),
            state: None,
        },
    });
    payment.client_reference_id = Some("ref".into());
    payment.customer_email = Some("a@b.c".into());
    payment.metadata.insert("order".into(), "42".into());
    let mut setup = sample();
    setup.mode = "setup".into();
    setup.line_items.clear();
    setup.currency = None;
    setup.status = Status::Expired;
    let mut paid = sample();
    paid.status = Status::Complete;
    paid.payment_status = "paid".into();
    paid.collected_email = Some("ada@example.com".into());
    vec![base, percent, payment, setup, paid]
}

#[test]
fn direct_serialization_matches_the_value_rendering_byte_for_byte() {
    for s in variants() {
        for bits in 0..16u8 {
            let expand = Expand {
                line_items: bits & 1 != 0,
                discounts: bits & 2 != 0,
                item_discounts: bits & 4 != 0,
                shipping_rates: bits & 8 != 0,
            };
            let direct = serde_json::to_string(&SessionJson::new(&s, expand)).unwrap();
            let reference = serde_json::to_string(&reference::session(&s, expand)).unwrap();
            assert_eq!(direct, reference, "{expand:?}");
            assert_eq!(session(&s, expand), reference::session(&s, expand));
        }
        for c in &s.discounts {
            assert_eq!(
                serde_json::to_string(&CouponJson::new(c)).unwrap(),
                serde_json::to_string(&reference::coupon(c)).unwrap()
            );
            assert_eq!(discount(c, &s.id, 7), reference::discount(c, &s.id, 7));
        }
        for li in &s.line_items {
            assert_eq!(
                serde_json::to_string(&PriceJson::new(&li.price)).unwrap(),
                serde_json::to_string(&reference::price(&li.price)).unwrap()
            );
            assert_eq!(item(li, 5), reference::item(li, 5));
        }
        for r in &s.shipping_options {
            assert_eq!(shipping_rate(r), reference::shipping_rate(r));
        }
        assert_eq!(line_items(&s), reference::line_items(&s));
    }
}
