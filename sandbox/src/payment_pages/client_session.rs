//! The client-shape session (basil / stripe-js v7 `StripeCheckoutSession`) that
//! `POST /v1/payment_pages/{id}/init` returns to the Stripe.js stand-in,
//! including money formatting.

use serde_json::{json, Value};

use crate::checkout_sessions::{coupon_amount, Totals};
use crate::model::{Coupon, Estimate, LineItem, Session, ShippingDetails, ShippingRate, Status};

/// Currencies without minor units.
const ZERO_DECIMAL: &[&str] = &[
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
    "xaf", "xof", "xpf",
];

/// Whether `currency` has no minor units.
pub fn is_zero_decimal(currency: &str) -> bool {
    ZERO_DECIMAL.contains(&currency.to_ascii_lowercase().as_str())
}

/// Minor units per major unit: 1 or 100.
pub fn divisor(currency: &str) -> i64 {
    if is_zero_decimal(currency) {
        1
    } else {
        100
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Formats `minor` units of `currency`: `$1,500.00`, `€150.00`, `£150.00`,
/// `¥150`, otherwise `150.00 XYZ`.
pub fn format_amount(minor: i64, currency: &str) -> String {
    let cur = currency.to_ascii_lowercase();
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let number = if is_zero_decimal(&cur) {
        group_thousands(&abs.to_string())
    } else {
        format!(
            "{}.{:02}",
            group_thousands(&(abs / 100).to_string()),
            abs % 100
        )
    };
    let symbol = match cur.as_str() {
        "usd" => Some("$"),
        "eur" => Some("€"),
        "gbp" => Some("£"),
        "jpy" => Some("¥"),
        _ => None,
    };
    match symbol {
        Some(symbol) => format!("{sign}{symbol}{number}"),
        None => format!("{sign}{number} {}", cur.to_ascii_uppercase()),
    }
}

/// `{"minorUnitsAmount": n, "amount": "<formatted>"}`.
pub fn amount(minor: i64, currency: &str) -> Value {
    json!({"minorUnitsAmount": minor, "amount": format_amount(minor, currency)})
}

fn discount_amount(c: &Coupon, off: i64, currency: &str) -> Value {
    let display_name = c
        .name
        .clone()
        .unwrap_or_else(|| match (c.percent_off, c.amount_off) {
            (Some(p), _) => format!("{p}% off"),
            (None, Some(a)) => format!("{} off", format_amount(a, currency)),
            (None, None) => c.id.clone(),
        });
    let recurring = match (c.duration.as_str(), c.duration_in_months) {
        ("forever", _) => json!({"type": "forever"}),
        ("repeating", Some(months)) => json!({"type": "repeating", "durationInMonths": months}),
        _ => Value::Null,
    };
    json!({
        "displayName": display_name,
        "minorUnitsAmount": off,
        "amount": format_amount(off, currency),
        "promotionCode": null,
        "recurring": recurring,
        "percentOff": c.percent_off,
    })
}

fn status(s: &Session) -> Value {
    match s.status {
        Status::Open => json!({"type": "open"}),
        Status::Expired => json!({"type": "expired"}),
        Status::Complete => json!({"type": "complete", "paymentStatus": s.payment_status}),
    }
}

/// Whether the session's subscription starts with a trial.
fn in_trial(s: &Session) -> bool {
    s.mode == "subscription" && s.trial_period_days.is_some()
}

/// What the customer pays today, as `total` shows it. Without a trial, the
/// session's totals. During a trial the recurring line items cost nothing
/// until it ends, so only one-time items (and shipping) are due today, with
/// the coupons applied to them; the first charge after the trial is
/// `recurring.dueNext`. This follows the published types and their reading in
/// docs/research-stripe-js.md §4 ("due today" = `total.total`, "then" =
/// `recurring.dueNext.total`), not a statement by Stripe: unconfirmed.
pub fn due_today(s: &Session) -> Totals {
    if !in_trial(s) {
        return s.totals();
    }
    let subtotal: i64 = s
        .line_items
        .iter()
        .filter(|li| li.price.recurring.is_none())
        .map(LineItem::subtotal)
        .sum();
    let mut left = subtotal.max(0);
    let discount: i64 = s
        .discounts
        .iter()
        .map(|c| {
            let off = coupon_amount(c, subtotal).clamp(0, left);
            left -= off;
            off
        })
        .sum();
    Totals {
        subtotal,
        discount,
        total: subtotal - discount + s.shipping_amount(),
    }
}

/// A `StripeCheckoutShippingOption` (stripe-js v7.9.0, v8.11.0, v9.13.0
/// `types/stripe-js/checkout.d.ts`: `StripeCheckoutAmount & {id, currency,
/// displayName, deliveryEstimate}`).
fn shipping_option(r: &ShippingRate) -> Value {
    let bound = |e: &Option<Estimate>| {
        e.as_ref()
            .map(|e| json!({"unit": e.unit, "value": e.value}))
    };
    json!({
        "id": r.id,
        "minorUnitsAmount": r.amount,
        "amount": format_amount(r.amount, &r.currency),
        "currency": r.currency,
        "displayName": r.display_name,
        "deliveryEstimate": r.delivery_estimate.as_ref().map(|d| json!({
            "maximum": bound(&d.maximum),
            "minimum": bound(&d.minimum),
        })),
    })
}

/// A `StripeCheckoutContact` (`{name, address}`; the address keys are the
/// API's snake_case ones, `postal_code`, as the types spell them).
fn contact(d: &ShippingDetails) -> Value {
    let a = &d.address;
    json!({
        "name": d.name,
        "address": {
            "country": a.country,
            "line1": a.line1,
            "line2": a.line2,
            "city": a.city,
            "postal_code": a.postal_code,
            "state": a.state,
        },
    })
}

/// The client-shape session.
pub fn client_session(s: &Session) -> Value {
    let currency = s.currency.clone().unwrap_or_else(|| "usd".to_owned());
    let cur = currency.as_str();
    let zero = amount(0, cur);
    let Totals {
        subtotal,
        discount,
        total,
    } = due_today(s);
    let item_discounts = s.item_discounts();
    let line_items: Vec<Value> = s
        .line_items
        .iter()
        .zip(item_discounts)
        .map(|(li, d)| {
            let sub = li.subtotal();
            json!({
                "id": li.id,
                "name": li.price.product_name,
                "description": null,
                "quantity": li.quantity,
                "unitAmount": amount(li.price.unit_amount, cur),
                "subtotal": amount(sub, cur),
                "total": amount(sub.saturating_sub(d), cur),
                "discount": amount(d, cur),
                "taxExclusive": zero,
                "taxInclusive": zero,
                "discountAmounts": null,
                "taxAmounts": null,
                "recurring": li.price.recurring.as_ref().map(|r| json!({
                    "interval": r.interval,
                    "intervalCount": r.interval_count,
                    "isProrated": false,
                    "usageType": "licensed",
                })),
                "adjustableQuantity": null,
                "images": [],
            })
        })
        .collect();
    let discount_amounts: Vec<Value> = s
        .discounts
        .iter()
        .zip(s.coupon_amounts())
        .map(|(c, off)| discount_amount(c, off, cur))
        .collect();
    let recurring = if s.mode == "subscription" {
        s.line_items
            .iter()
            .find_map(|li| li.price.recurring.as_ref())
            .map(|r| {
                let next = s.next_totals();
                let trial = s.trial_period_days.map(|days| {
                    json!({
                        "trialEnd": s.created.saturating_add(i64::from(days) * 86_400),
                        "trialPeriodDays": days,
                    })
                });
                json!({
                    "interval": r.interval,
                    "intervalCount": r.interval_count,
                    "trial": trial,
                    "dueNext": {
                        "subtotal": amount(next.subtotal, cur),
                        "total": amount(next.total, cur),
                        "discount": amount(next.discount, cur),
                        "taxInclusive": zero,
                        "taxExclusive": zero,
                        "billingCycleAnchor": null,
                    },
                })
            })
    } else {
        None
    };
    let shipping_options: Vec<Value> = s.shipping_options.iter().map(shipping_option).collect();
    let shipping = s
        .selected_shipping_rate()
        .map(|r| json!({"shippingOption": shipping_option(r), "taxAmounts": null}));
    json!({
        "id": s.id,
        "currency": currency,
        "livemode": false,
        "minorUnitsAmountDivisor": divisor(cur),
        // Stripe.js's own rule is unpublished (docs/research-stripe-js.md
        // §2.4); here: open, and an email known (every Checkout Session
        // collects one).
        "canConfirm": s.status == Status::Open && s.email().is_some(),
        "businessName": "Sandbox Merchant",
        "email": s.email(),
        "phoneNumber": null,
        "billingAddress": null,
        "shippingAddress": s.shipping_details.as_ref().map(contact),
        "shipping": shipping,
        "shippingOptions": shipping_options,
        "tax": {"status": "ready"},
        "taxAmounts": null,
        "taxIdInfo": null,
        "savedPaymentMethods": null,
        "lastPaymentError": null,
        "currencyOptions": null,
        "status": status(s),
        "lineItems": line_items,
        "discountAmounts": if discount_amounts.is_empty() { Value::Null } else { json!(discount_amounts) },
        "total": {
            "subtotal": amount(subtotal, cur),
            "discount": amount(discount, cur),
            "total": amount(total, cur),
            "shippingRate": amount(s.shipping_amount(), cur),
            "taxExclusive": zero,
            "taxInclusive": zero,
            "appliedBalance": zero,
            "balanceAppliedToNextInvoice": false,
        },
        "recurring": recurring,
        // Not Stripe.js's: what the stand-in needs of the API session and
        // removes from the session it hands out. `server_only` shipping
        // details disable the wallets ("these wallets are automatically
        // disabled": Stripe's shipping guide; docs/sandbox-contract.md).
        "sandbox": {
            "permissions": {
                "update_shipping_details": s.permissions.update_shipping_details,
            },
        },
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_trial_is_free_today_and_due_next() {
        use crate::fixtures::{coupon, session};
        let mut s = session(1, vec![coupon(Some(1500), None)]);
        let plan = s.totals();
        assert_eq!(due_today(&s), plan, "no trial: today is the plan");
        s.trial_period_days = Some(14);
        assert_eq!(
            due_today(&s),
            Totals {
                subtotal: 0,
                discount: 0,
                total: 0
            }
        );
        let client = client_session(&s);
        assert_eq!(client["total"]["total"]["minorUnitsAmount"], 0);
        assert_eq!(client["recurring"]["trial"]["trialPeriodDays"], 14);
        assert_eq!(
            client["recurring"]["dueNext"]["total"]["minorUnitsAmount"],
            s.next_totals().total
        );
    }

    #[test]
    fn shipping_follows_the_selection() {
        use crate::fixtures::session;
        use crate::model::{Address, DeliveryEstimate, Estimate, ShippingDetails, ShippingRate};
        let rate = |id: &str, amount: i64| ShippingRate {
            id: id.into(),
            display_name: id.into(),
            amount,
            currency: "usd".into(),
            created: 0,
            delivery_estimate: None,
        };
        let mut s = session(1, vec![]);
        s.mode = "payment".into();
        let client = client_session(&s);
        assert_eq!(client["shipping"], Value::Null, "no options, no shipping");
        assert_eq!(client["shippingAddress"], Value::Null);

        let mut express = rate("shr_b", 1500);
        express.delivery_estimate = Some(DeliveryEstimate {
            maximum: None,
            minimum: Some(Estimate {
                unit: "hour".into(),
                value: 4,
            }),
        });
        s.set_shipping_options(vec![rate("shr_a", 500), express]);
        let client = client_session(&s);
        assert_eq!(client["shipping"]["shippingOption"]["id"], "shr_a");
        assert_eq!(client["shipping"]["taxAmounts"], Value::Null);
        assert_eq!(client["total"]["shippingRate"]["minorUnitsAmount"], 500);
        assert_eq!(
            client["shippingOptions"][1]["deliveryEstimate"],
            json!({"maximum": null, "minimum": {"unit": "hour", "value": 4}})
        );
        assert_eq!(client["shippingOptions"][1]["minorUnitsAmount"], 1500);

        s.selected_shipping_rate = Some("shr_b".into());
        let client = client_session(&s);
        assert_eq!(client["shipping"]["shippingOption"]["id"], "shr_b");
        assert_eq!(
            client["total"]["total"]["minorUnitsAmount"],
            s.subtotal() + 1500
        );
        // Options without the selected one: back to the first.
        s.set_shipping_options(vec![rate("shr_c", 700), rate("shr_a", 500)]);
        assert_eq!(s.selected_shipping_rate.as_deref(), Some("shr_c"));
        assert_eq!(
            client_session(&s)["total"]["shippingRate"]["minorUnitsAmount"],
            700
        );
        // Options that keep it: kept.
        s.selected_shipping_rate = Some("shr_a".into());
        s.set_shipping_options(vec![rate("shr_d", 900), rate("shr_a", 500)]);
        assert_eq!(s.selected_shipping_rate.as_deref(), Some("shr_a"));

        s.shipping_details = Some(ShippingDetails {
            name: "Ada".into(),
            address: Address {
                city: Some("Paris".into()),
                country: "FR".into(),
                line1: "1 rue".into(),
                line2: None,
                postal_code: Some("75001".into()),
                state: None,
            },
        });
        assert_eq!(
            client_session(&s)["shippingAddress"],
            json!({"name": "Ada", "address": {"country": "FR", "line1": "1 rue", "line2": null,
                   "city": "Paris", "postal_code": "75001", "state": null}})
        );
    }

    #[test]
    fn formatting() {
        assert_eq!(format_amount(15000, "usd"), "$150.00");
        assert_eq!(format_amount(1500, "USD"), "$15.00");
        assert_eq!(format_amount(5, "usd"), "$0.05");
        assert_eq!(format_amount(150_000, "usd"), "$1,500.00");
        assert_eq!(format_amount(15000, "eur"), "€150.00");
        assert_eq!(format_amount(15000, "gbp"), "£150.00");
        assert_eq!(format_amount(150, "jpy"), "¥150");
        assert_eq!(format_amount(1_234_567, "jpy"), "¥1,234,567");
        assert_eq!(format_amount(15000, "chf"), "150.00 CHF");
        assert_eq!(format_amount(-1500, "usd"), "-$15.00");
        assert_eq!(format_amount(0, "usd"), "$0.00");
        assert_eq!(divisor("jpy"), 1);
        assert_eq!(divisor("usd"), 100);
    }
}
