//! The Checkout Session as Stripe.js shows it to the page (basil,
//! `StripeCheckoutSession`), reduced to what the widget displays.
//!
//! Parsing is tolerant: missing fields take defaults, and a value of the
//! wrong type is an error, never a panic.

use crate::json::{Json, ShapeError};

/// An amount as Stripe.js gives it: integer minor units plus a formatted string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Amount {
    /// The amount in the currency's smallest unit (cents for USD).
    pub minor_units_amount: i64,
    /// The amount formatted for display, with the currency symbol (`$150.00`).
    pub amount: String,
}

/// The recurring part of a line item or of the session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recurring {
    /// `day`, `week`, `month` or `year`.
    pub interval: String,
    /// How many intervals between charges.
    pub interval_count: i64,
    /// The free trial, on the session's `recurring` (not on line items).
    pub trial: Option<Trial>,
    /// `dueNext.total`, on the session's `recurring`: the next charge (during
    /// a trial, the first one after it).
    pub due_next: Option<Amount>,
}

/// One line of the order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineItem {
    /// Stripe's line item id (`li_...`).
    pub id: String,
    /// Product name.
    pub name: String,
    /// Quantity.
    pub quantity: i64,
    /// Total of the line after discounts.
    pub total: Amount,
    /// Total of the line before discounts.
    pub subtotal: Amount,
    /// Billing interval, for subscription items.
    pub recurring: Option<Recurring>,
    /// Bounds the customer may choose the quantity within, if adjustable.
    pub adjustable_quantity: Option<QuantityBounds>,
}

/// Bounds of an adjustable quantity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuantityBounds {
    /// Smallest quantity.
    pub minimum: i64,
    /// Largest quantity.
    pub maximum: i64,
}

/// A free trial on a subscription.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trial {
    /// Length of the trial in days.
    pub trial_period_days: i64,
    /// When the trial ends (Unix seconds).
    pub trial_end: i64,
}

/// A discount applied to the session.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiscountAmount {
    /// The discount's name, such as "Customer Discount".
    pub display_name: String,
    /// The amount taken off, in minor units.
    pub minor_units_amount: i64,
    /// The amount taken off, formatted.
    pub amount: String,
    /// Percentage, for percent-off discounts.
    pub percent_off: Option<f64>,
}

/// Totals of the session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Sum of the line items before discounts.
    pub subtotal: Amount,
    /// Sum of the discounts.
    pub discount: Amount,
    /// What the customer pays.
    pub total: Amount,
}

/// The session's state (`{type: 'open'}` and so on).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// `open`, `expired` or `complete`.
    pub kind: String,
    /// For complete sessions: `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: Option<String>,
}

/// The Checkout Session, as the widget reads it from Stripe.js.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    /// The Checkout Session id (`cs_...`).
    pub id: String,
    /// Three-letter ISO currency code, lower case.
    pub currency: String,
    /// The order's lines.
    pub line_items: Vec<LineItem>,
    /// Discounts applied, if any.
    pub discount_amounts: Option<Vec<DiscountAmount>>,
    /// Totals.
    pub total: Totals,
    /// Billing interval of a subscription session; `None` in payment mode.
    pub recurring: Option<Recurring>,
    /// Open, expired or complete.
    pub status: Status,
    /// Minor units per major unit (100 for USD, 1 for JPY).
    pub minor_units_amount_divisor: i64,
    /// The customer's email, once known: the merchant's `customer_email`,
    /// or what the customer gave through `updateEmail`.
    pub email: Option<String>,
}

impl Session {
    /// Parses a session from JSON text (the shape Stripe.js gives the page).
    pub fn from_json(text: &str) -> Result<Self, ShapeError> {
        crate::json::parse(text)
            .ok_or(ShapeError("session"))
            .and_then(|value| Self::read(&value))
    }

    /// Reads the session object Stripe.js handed over.
    pub(crate) fn from_js(value: &wasm_bindgen::JsValue) -> Result<Self, ShapeError> {
        Self::read(value)
    }

    fn read<V: Json>(value: &V) -> Result<Self, ShapeError> {
        if !value.is_object() {
            return Err(ShapeError("session"));
        }
        let line_items = value
            .opt_array_at("lineItems")?
            .unwrap_or_default()
            .iter()
            .map(LineItem::read)
            .collect::<Result<_, _>>()?;
        let discount_amounts = value
            .opt_array_at("discountAmounts")?
            .map(|items| items.iter().map(DiscountAmount::read).collect())
            .transpose()?;
        Ok(Self {
            id: value.text_at("id")?,
            currency: value.text_at("currency")?,
            line_items,
            discount_amounts,
            total: object(value, "total", Totals::read)?,
            recurring: value
                .opt_object_at("recurring")?
                .map(|r| Recurring::read(&r))
                .transpose()?,
            status: object(value, "status", Status::read)?,
            minor_units_amount_divisor: value.int_at("minorUnitsAmountDivisor")?,
            email: value
                .opt_text_at("email")?
                .filter(|email| !email.is_empty()),
        })
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
}

/// Field `key` of `value` read by `read`; absent is the default.
fn object<V: Json, T: Default>(
    value: &V,
    key: &'static str,
    read: fn(&V) -> Result<T, ShapeError>,
) -> Result<T, ShapeError> {
    value
        .opt_object_at(key)?
        .map_or_else(|| Ok(T::default()), |inner| read(&inner))
}

impl Amount {
    fn read<V: Json>(value: &V) -> Result<Self, ShapeError> {
        Ok(Self {
            minor_units_amount: value.int_at("minorUnitsAmount")?,
            amount: value.text_at("amount")?,
        })
    }
}

impl Recurring {
    fn read<V: Json>(value: &V) -> Result<Self, ShapeError> {
        Ok(Self {
            interval: value.text_at("interval")?,
            interval_count: value.int_at("intervalCount")?,
            trial: value
                .opt_object_at("trial")?
                .map(|trial| Trial::read(&trial))
                .transpose()?,
            due_next: value
                .opt_object_at("dueNext")?
                .map(|due| object(&due, "total", Amount::read))
                .transpose()?,
        })
    }
}

impl LineItem {
    fn read<V: Json>(value: &V) -> Result<Self, ShapeError> {
        if !value.is_object() {
            return Err(ShapeError("lineItems"));
        }
        Ok(Self {
            id: value.text_at("id")?,
            name: value.text_at("name")?,
            quantity: value.int_at("quantity")?,
            total: object(value, "total", Amount::read)?,
            subtotal: object(value, "subtotal", Amount::read)?,
            recurring: value
                .opt_object_at("recurring")?
                .map(|recurring| Recurring::read(&recurring))
                .transpose()?,
            adjustable_quantity: value
                .opt_object_at("adjustableQuantity")?
                .map(|bounds| QuantityBounds::read(&bounds))
                .transpose()?,
        })
    }
}

impl QuantityBounds {
    fn read<V: Json>(value: &V) -> Result<Self, ShapeError> {
        Ok(Self {
            minimum: value.int_at("minimum")?,
            maximum: value.int_at("maximum")?,
        })
    }
}

impl Trial {
    fn read<V: Json>(value: &V) -> Result<Self, ShapeError> {
        Ok(Self {
            trial_period_days: value.int_at("trialPeriodDays")?,
            trial_end: value.int_at("trialEnd")?,
        })
    }
}

impl DiscountAmount {
    fn read<V: Json>(value: &V) -> Result<Self, ShapeError> {
        if !value.is_object() {
            return Err(ShapeError("discountAmounts"));
        }
        Ok(Self {
            display_name: value.text_at("displayName")?,
            minor_units_amount: value.int_at("minorUnitsAmount")?,
            amount: value.text_at("amount")?,
            percent_off: value.opt_number_at("percentOff")?,
        })
    }
}

impl Totals {
    fn read<V: Json>(value: &V) -> Result<Self, ShapeError> {
        Ok(Self {
            subtotal: object(value, "subtotal", Amount::read)?,
            discount: object(value, "discount", Amount::read)?,
            total: object(value, "total", Amount::read)?,
        })
    }
}

impl Status {
    fn read<V: Json>(value: &V) -> Result<Self, ShapeError> {
        Ok(Self {
            kind: value.text_at("type")?,
            payment_status: value.opt_text_at("paymentStatus")?,
        })
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
