//! The Checkout Session as Stripe.js shows it to the page (basil,
//! `StripeCheckoutSession`), reduced to what the widget displays: serde
//! types, read from the JS object with serde (`wire`).
//!
//! Parsing is tolerant: missing fields and `null` take defaults, unknown
//! fields are ignored, and a value of the wrong type is an error, never a
//! panic. Each field carries its own `#[serde(default)]` rather than its
//! struct: serde then makes only a missing field's default, not a whole
//! default value of the struct to take fields from (0.3 KB gzip less wasm,
//! docs/weight.md).

use serde::Deserialize;

use crate::wire::ShapeError;

/// What the errors call the session.
const WHAT: &str = "the session from Stripe.js";

/// An amount as Stripe.js gives it: integer minor units plus a formatted string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Amount {
    /// The amount in the currency's smallest unit (cents for USD).
    #[serde(default)]
    pub minor_units_amount: i64,
    /// The amount formatted for display, with the currency symbol (`$150.00`).
    #[serde(default)]
    pub amount: String,
}

/// The recurring part of a line item or of the session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recurring {
    /// `day`, `week`, `month` or `year`.
    #[serde(default)]
    pub interval: String,
    /// How many intervals between charges.
    #[serde(default)]
    pub interval_count: i64,
    /// The free trial, on the session's `recurring` (not on line items).
    #[serde(default)]
    pub trial: Option<Trial>,
    /// `dueNext.total`, on the session's `recurring`: the next charge (during
    /// a trial, the first one after it).
    #[serde(default, deserialize_with = "due_next_total")]
    pub due_next: Option<Amount>,
}

/// One line of the order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineItem {
    /// Stripe's line item id (`li_...`).
    #[serde(default)]
    pub id: String,
    /// Product name.
    #[serde(default)]
    pub name: String,
    /// Quantity.
    #[serde(default)]
    pub quantity: i64,
    /// Total of the line after discounts.
    #[serde(default)]
    pub total: Amount,
    /// Total of the line before discounts.
    #[serde(default)]
    pub subtotal: Amount,
    /// Billing interval, for subscription items.
    #[serde(default)]
    pub recurring: Option<Recurring>,
    /// Bounds the customer may choose the quantity within, if adjustable.
    #[serde(default)]
    pub adjustable_quantity: Option<QuantityBounds>,
}

/// Bounds of an adjustable quantity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct QuantityBounds {
    /// Smallest quantity.
    #[serde(default)]
    pub minimum: i64,
    /// Largest quantity.
    #[serde(default)]
    pub maximum: i64,
}

/// A free trial on a subscription.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trial {
    /// Length of the trial in days.
    #[serde(default)]
    pub trial_period_days: i64,
    /// When the trial ends (Unix seconds).
    #[serde(default)]
    pub trial_end: i64,
}

/// A discount applied to the session.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscountAmount {
    /// The discount's name, such as "Customer Discount".
    #[serde(default)]
    pub display_name: String,
    /// The amount taken off, in minor units.
    #[serde(default)]
    pub minor_units_amount: i64,
    /// The amount taken off, formatted.
    #[serde(default)]
    pub amount: String,
    /// Percentage, for percent-off discounts.
    #[serde(default)]
    pub percent_off: Option<f64>,
}

/// Totals of the session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Totals {
    /// Sum of the line items before discounts.
    #[serde(default)]
    pub subtotal: Amount,
    /// Sum of the discounts.
    #[serde(default)]
    pub discount: Amount,
    /// What the customer pays.
    #[serde(default)]
    pub total: Amount,
    /// The selected shipping option's cost (`shippingRate`; feature `shipping`).
    #[cfg(feature = "shipping")]
    #[serde(default, rename = "shippingRate")]
    pub shipping_rate: Option<Amount>,
}

/// A shipping option the merchant's server offers
/// (`StripeCheckoutShippingOption`; feature `shipping`).
#[cfg(feature = "shipping")]
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShippingOption {
    /// Its id (`shr_…`), what `updateShippingOption` takes.
    #[serde(default)]
    pub id: String,
    /// Its name (`Express shipping`).
    #[serde(default)]
    pub display_name: Option<String>,
    /// Its cost in minor units.
    #[serde(default)]
    pub minor_units_amount: i64,
    /// Its cost, formatted.
    #[serde(default)]
    pub amount: String,
    /// How long delivery takes, when the merchant says.
    #[serde(default)]
    pub delivery_estimate: Option<DeliveryEstimate>,
}

/// A delivery estimate (`StripeCheckoutDeliveryEstimate`).
#[cfg(feature = "shipping")]
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct DeliveryEstimate {
    /// The soonest.
    #[serde(default)]
    pub minimum: Option<Estimate>,
    /// The latest.
    #[serde(default)]
    pub maximum: Option<Estimate>,
}

/// One bound of a delivery estimate (`StripeCheckoutEstimate`).
#[cfg(feature = "shipping")]
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Estimate {
    /// `business_day`, `day`, `hour`, `week` or `month`.
    #[serde(default)]
    pub unit: String,
    /// How many.
    #[serde(default)]
    pub value: i64,
}

/// The selected shipping option (`StripeCheckoutShipping`).
#[cfg(feature = "shipping")]
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shipping {
    /// The option.
    #[serde(default)]
    pub shipping_option: ShippingOption,
}

/// The session's state (`{type: 'open'}` and so on).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// `open`, `expired` or `complete`.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// For complete sessions: `paid`, `unpaid` or `no_payment_required`.
    #[serde(default)]
    pub payment_status: Option<String>,
}

/// The Checkout Session, as the widget reads it from Stripe.js.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// The Checkout Session id (`cs_...`).
    #[serde(default)]
    pub id: String,
    /// Three-letter ISO currency code, lower case.
    #[serde(default)]
    pub currency: String,
    /// The order's lines.
    #[serde(default)]
    pub line_items: Vec<LineItem>,
    /// Discounts applied, if any.
    #[serde(default)]
    pub discount_amounts: Option<Vec<DiscountAmount>>,
    /// Totals.
    #[serde(default)]
    pub total: Totals,
    /// Billing interval of a subscription session; `None` in payment mode.
    #[serde(default)]
    pub recurring: Option<Recurring>,
    /// Open, expired or complete.
    #[serde(default)]
    pub status: Status,
    /// Minor units per major unit (100 for USD, 1 for JPY).
    #[serde(default)]
    pub minor_units_amount_divisor: i64,
    /// The customer's email, once known: the merchant's `customer_email`,
    /// or what the customer gave through `updateEmail`. `""` reads as none.
    #[serde(default, deserialize_with = "non_empty")]
    pub email: Option<String>,
    /// Stripe.js's `canConfirm`: whether it would confirm the session now
    /// (an email, complete payment details, no confirmation in flight; on
    /// endive also no server update queued or running). `None` when
    /// Stripe.js does not say (absent or `null`): read as yes, see
    /// [`Session::confirmable`]. A value that is not a boolean is an error,
    /// like any field of the wrong type.
    #[serde(default)]
    pub can_confirm: Option<bool>,
    /// The shipping options the merchant's server wrote for the address
    /// (feature `shipping`); empty before one.
    #[cfg(feature = "shipping")]
    #[serde(default)]
    pub shipping_options: Vec<ShippingOption>,
    /// The selected one, if any (feature `shipping`).
    #[cfg(feature = "shipping")]
    #[serde(default)]
    pub shipping: Option<Shipping>,
}

/// `recurring.dueNext` (`StripeCheckoutDueNext`), of which the widget shows
/// the `total`.
#[derive(Deserialize)]
struct DueNext {
    #[serde(default)]
    total: Amount,
}

fn due_next_total<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Amount>, D::Error> {
    Ok(Option::<DueNext>::deserialize(d)?.map(|due| due.total))
}

fn non_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|text| !text.is_empty()))
}

impl Session {
    /// Parses a session from JSON text (the shape Stripe.js gives the page).
    pub fn from_json(text: &str) -> Result<Self, ShapeError> {
        if !text.trim_start().starts_with('{') {
            return Err(ShapeError::new(WHAT, "not an object"));
        }
        crate::wire::from_json(text, WHAT)
    }

    /// Reads the session object Stripe.js handed over.
    pub(crate) fn from_js(value: &wasm_bindgen::JsValue) -> Result<Self, ShapeError> {
        // Named plainly: an array or a string is not a session.
        if !value.is_object() || js_sys::Array::is_array(value) {
            return Err(ShapeError::new(WHAT, "not an object"));
        }
        crate::wire::from_js(value.clone(), WHAT)
    }

    /// The billing interval (`month`, `year`, ...) of a subscription, if any.
    pub fn interval(&self) -> Option<&str> {
        self.recurring
            .as_ref()
            .map(|recurring| recurring.interval.as_str())
            .or_else(|| {
                self.line_items
                    .iter()
                    .find_map(|item| item.recurring.as_ref())
                    .map(|recurring| recurring.interval.as_str())
            })
            .filter(|interval| !interval.is_empty())
    }

    /// How many intervals between charges (1 when Stripe.js does not say).
    pub fn interval_count(&self) -> i64 {
        self.recurring
            .as_ref()
            .map(|recurring| recurring.interval_count)
            .or_else(|| {
                self.line_items
                    .iter()
                    .find_map(|item| item.recurring.as_ref())
                    .map(|recurring| recurring.interval_count)
            })
            .filter(|count| *count > 0)
            .unwrap_or(1)
    }

    /// Outside a trial, when one-time items ride on the first charge of a
    /// subscription, the next charge (`recurring.dueNext.total`), if it
    /// differs from today's.
    pub fn next_charge_if_different(&self) -> Option<&Amount> {
        let one_time_items =
            self.recurring.is_some() && self.line_items.iter().any(|item| item.recurring.is_none());
        if self.trial().is_some() || !one_time_items {
            return None;
        }
        self.recurring
            .as_ref()
            .and_then(|r| r.due_next.as_ref())
            .filter(|next| next.minor_units_amount != self.total.total.minor_units_amount)
    }

    /// Whether the subscription is billed yearly.
    pub fn is_yearly(&self) -> bool {
        self.interval() == Some("year")
    }

    /// The discounts applied (empty when none).
    pub fn discounts(&self) -> &[DiscountAmount] {
        self.discount_amounts.as_deref().unwrap_or_default()
    }

    /// The trial on the subscription, if any.
    pub fn trial(&self) -> Option<&Trial> {
        self.recurring
            .as_ref()
            .and_then(|recurring| recurring.trial.as_ref())
            .filter(|trial| trial.trial_period_days > 0)
    }

    /// During a trial: its length in days and, when Stripe.js gives it, the
    /// first charge after it (`recurring.dueNext.total`). `total.total` is
    /// then what is due today.
    pub fn trial_due_next(&self) -> Option<(i64, Option<&Amount>)> {
        let trial = self.trial()?;
        let next = self.recurring.as_ref().and_then(|r| r.due_next.as_ref());
        Some((trial.trial_period_days, next))
    }

    /// Whether the session is complete (paid).
    pub fn is_complete(&self) -> bool {
        self.status.kind == "complete"
    }

    /// Whether the session has expired.
    pub fn is_expired(&self) -> bool {
        self.status.kind == "expired"
    }

    /// Whether the session can still be changed.
    pub fn is_open(&self) -> bool {
        self.status.kind.is_empty() || self.status.kind == "open"
    }

    /// Whether Stripe.js says the session can be confirmed now: its
    /// `canConfirm`, or yes when the session does not carry one (a page or
    /// train without it keeps working; Stripe.js refuses `confirm` itself
    /// when something is missing).
    pub fn confirmable(&self) -> bool {
        self.can_confirm != Some(false)
    }

    /// The selected shipping option's id, if any (feature `shipping`).
    #[cfg(feature = "shipping")]
    pub fn selected_shipping(&self) -> Option<&str> {
        self.shipping
            .as_ref()
            .map(|shipping| shipping.shipping_option.id.as_str())
            .filter(|id| !id.is_empty())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_the_client_shape() {
        let session = Session::from_json(
            r#"{"id":"cs_test_1","currency":"usd",
               "lineItems":[{"id":"li_1","name":"Plan","quantity":1,
                 "total":{"minorUnitsAmount":15000,"amount":"$150.00"},
                 "recurring":{"interval":"year","intervalCount":1,"isProrated":false}}],
               "discountAmounts":[{"displayName":"Customer Discount","minorUnitsAmount":1500,"amount":"$15.00","percentOff":null,"promotionCode":null}],
               "total":{"total":{"minorUnitsAmount":13500,"amount":"$135.00"}},
               "recurring":{"interval":"year","intervalCount":1,"trial":null},
               "status":{"type":"open"},"unknownField":[1,2,3]}"#,
        )
        .unwrap();
        assert!(session.is_yearly());
        assert_eq!(session.total.total.amount, "$135.00");
        assert_eq!(session.discounts()[0].minor_units_amount, 1500);
        assert!(session.is_open());
        assert_eq!(session.email, None);
        assert_eq!(session.trial_due_next(), None);
        // No canConfirm: confirmable, as before Stripe.js said otherwise.
        assert_eq!(session.can_confirm, None);
        assert!(session.confirmable());
    }

    #[test]
    fn can_confirm_is_read_and_only_false_says_no() {
        let read = |value: &str| {
            Session::from_json(&format!(r#"{{"id":"cs_test_1","canConfirm":{value}}}"#))
        };
        assert!(!read("false").unwrap().confirmable());
        assert!(read("true").unwrap().confirmable());
        assert!(read("null").unwrap().confirmable());
        for wrong in [r#""false""#, "0", "{}", "[]"] {
            assert!(read(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn a_trial_says_what_is_due_next_and_the_email_is_read() {
        let session = Session::from_json(
            r#"{"id":"cs_test_1","currency":"usd","email":"ada@example.com",
               "total":{"total":{"minorUnitsAmount":0,"amount":"$0.00"}},
               "recurring":{"interval":"year","intervalCount":1,
                 "trial":{"trialEnd":1900000000,"trialPeriodDays":14},
                 "dueNext":{"total":{"minorUnitsAmount":15000,"amount":"$150.00"}}}}"#,
        )
        .unwrap();
        assert_eq!(session.email.as_deref(), Some("ada@example.com"));
        let (days, next) = session.trial_due_next().unwrap();
        assert_eq!(days, 14);
        assert_eq!(next.unwrap().minor_units_amount, 15000);
        let empty = Session::from_json(r#"{"id":"cs_test_1","email":""}"#).unwrap();
        assert_eq!(empty.email, None);
        assert!(Session::from_json(r#"{"id":"cs_test_1","email":5}"#).is_err());
    }

    #[test]
    fn nulls_and_missing_fields_are_defaults() {
        let session =
            Session::from_json(r#"{"id":"cs_test_1","discountAmounts":null,"recurring":null}"#)
                .unwrap();
        assert!(session.discounts().is_empty());
        assert_eq!(session.interval(), None);
        assert!(!session.is_yearly());
    }

    #[test]
    fn wrong_types_are_errors_not_panics() {
        for text in [
            r#"{"id":5}"#,
            r#"{"lineItems":"x"}"#,
            r#"{"total":{"total":{"minorUnitsAmount":"12"}}}"#,
            r#"null"#,
        ] {
            assert!(Session::from_json(text).is_err(), "{text}");
        }
    }
}
