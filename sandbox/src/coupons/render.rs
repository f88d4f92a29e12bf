//! `coupon` and `discount` objects.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::model::Coupon;
use crate::render::{to_value, Null};

#[derive(Serialize)]
pub(crate) struct DiscountSource<'a> {
    coupon: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
pub(crate) struct DiscountJson<'a> {
    checkout_session: &'a str,
    customer: Null,
    customer_account: Null,
    end: Null,
    id: String,
    invoice: Null,
    invoice_item: Null,
    object: &'static str,
    promotion_code: Null,
    source: DiscountSource<'a>,
    start: i64,
    subscription: Null,
    subscription_item: Null,
}

impl<'a> DiscountJson<'a> {
    pub(crate) fn new(c: &'a Coupon, session_id: &'a str, start: i64) -> Self {
        Self {
            checkout_session: session_id,
            customer: (),
            customer_account: (),
            end: (),
            id: format!("di_{}", c.id),
            invoice: (),
            invoice_item: (),
            object: "discount",
            promotion_code: (),
            source: DiscountSource {
                coupon: &c.id,
                kind: "coupon",
            },
            start,
            subscription: (),
            subscription_item: (),
        }
    }
}

/// A `discount` object: coupon `c` applied to session `session_id`.
pub fn discount(c: &Coupon, session_id: &str, start: i64) -> Value {
    to_value(&DiscountJson::new(c, session_id, start))
}

/// A `coupon` object, serialized directly.
#[derive(Serialize)]
pub struct CouponJson<'a> {
    amount_off: Option<i64>,
    created: i64,
    currency: Option<&'a str>,
    duration: &'a str,
    duration_in_months: Option<u32>,
    id: &'a str,
    livemode: bool,
    max_redemptions: Null,
    metadata: &'a BTreeMap<String, String>,
    name: Option<&'a str>,
    object: &'static str,
    percent_off: Option<f64>,
    redeem_by: Null,
    times_redeemed: u32,
    valid: bool,
}

impl<'a> CouponJson<'a> {
    /// The `coupon` object of `c`.
    pub fn new(c: &'a Coupon) -> Self {
        Self {
            amount_off: c.amount_off,
            created: c.created,
            currency: c.currency.as_deref(),
            duration: &c.duration,
            duration_in_months: c.duration_in_months,
            id: &c.id,
            livemode: false,
            max_redemptions: (),
            metadata: &c.metadata,
            name: c.name.as_deref(),
            object: "coupon",
            percent_off: c.percent_off,
            redeem_by: (),
            times_redeemed: 1,
            valid: true,
        }
    }
}

/// A `coupon` object.
pub fn coupon(c: &Coupon) -> Value {
    to_value(&CouponJson::new(c))
}
