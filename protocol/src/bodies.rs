//! The JSON bodies of the merchant endpoints (feature `serde`): what the
//! widget sends and what the server answers.
//!
//! Request fields are `Option`s so that the server can answer a missing field
//! with its own message rather than serde's; unknown fields are refused
//! (`deny_unknown_fields`), so a page cannot slip in an amount or a price.

use core::fmt;

use alloc::string::String;
use alloc::vec::Vec;
use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::limits::{MAX_QUANTITY, MIN_QUANTITY};
use crate::Refusal;

/// `POST /create-checkout-session`: no body, `{}`, or `{"customer_email": …}`.
/// Amounts and prices come from the server's configuration only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateSessionRequest {
    /// The customer's email, when the merchant already knows it: passed to
    /// Stripe as `customer_email`, so the session's `email` is set from the
    /// start and the page asks for none. Must pass
    /// [`check_email`](crate::email::check_email) (else 400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
}

/// `POST /change-subscription-interval`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangeIntervalRequest {
    /// The session (`cs_test_…` / `cs_live_…`).
    pub checkout_session_id: Option<String>,
    /// One of `/config`'s `intervals` (`"monthly"`, `"quarterly"`, `"yearly"`, …).
    pub interval: Option<String>,
}

/// `POST /apply-customer-discount` and `POST /extend-trial-for-yearly`: the session only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionRequest {
    /// The session.
    pub checkout_session_id: Option<String>,
}

/// `POST /update-discounts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateDiscountsRequest {
    /// The session.
    pub checkout_session_id: Option<String>,
    /// The discounts asked for: a list (`[]` removes them), or `""`.
    #[serde(default)]
    pub discounts: Discounts,
}

/// The `discounts` of `/update-discounts`, as the server reads it: only how
/// many entries the list has matters (the server decides what they are worth).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Discounts {
    /// Absent or `null`.
    #[default]
    Missing,
    /// A list of this many entries, or `""` (no entries: remove all).
    List(usize),
    /// Anything else (a number, an object, a non-empty string).
    Invalid,
}

impl<'de> Deserialize<'de> for Discounts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Discounts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of discounts, or \"\"")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Discounts, A::Error> {
                let mut n = 0usize;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Discounts::List(n))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Discounts, E> {
                Ok(if v.is_empty() {
                    Discounts::List(0)
                } else {
                    Discounts::Invalid
                })
            }
            fn visit_unit<E: de::Error>(self) -> Result<Discounts, E> {
                Ok(Discounts::Missing)
            }
            fn visit_none<E: de::Error>(self) -> Result<Discounts, E> {
                Ok(Discounts::Missing)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Discounts, E> {
                Ok(Discounts::Invalid)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Discounts, E> {
                Ok(Discounts::Invalid)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Discounts, E> {
                Ok(Discounts::Invalid)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Discounts, E> {
                Ok(Discounts::Invalid)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Discounts, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Discounts::Invalid)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `POST /update-line-item-quantity`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateQuantityRequest {
    /// The session.
    pub checkout_session_id: Option<String>,
    /// The line item (`li_…`).
    pub line_item_id: Option<String>,
    /// The new quantity.
    #[serde(default)]
    pub quantity: Quantity,
}

/// `POST /calculate-shipping-options`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShippingOptionsRequest {
    /// The session.
    pub checkout_session_id: Option<String>,
    /// The address as the Shipping Address Element gives it (`{name,
    /// address}`; Stripe's `collected_information.shipping_details`).
    pub shipping_details: Option<ShippingDetails>,
}

/// A shipping address: the shape of Stripe.js's Shipping Address Element
/// value and of Stripe's `collected_information[shipping_details]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShippingDetails {
    /// The recipient's name (required).
    pub name: Option<String>,
    /// The address (`line1` and `country` required).
    pub address: Option<Address>,
}

/// A postal address (Stripe's `Address`; empty strings count as absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Address {
    /// Street, PO box or company name (required).
    pub line1: Option<String>,
    /// Apartment, suite, unit or building.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    /// City, district, suburb, town or village.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State, county, province or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// ZIP or postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Two-letter country code (ISO 3166-1 alpha-2, required).
    pub country: Option<String>,
}

/// `POST /update-add-on`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AddOnRequest {
    /// The session.
    pub checkout_session_id: Option<String>,
    /// One of `/config`'s `addOns` ids (`"gift-wrap"`).
    pub add_on: Option<String>,
    /// `true` adds it (once), `false` removes it.
    pub selected: Option<bool>,
}

/// A requested quantity, as the server reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Quantity {
    /// Absent or `null`.
    #[default]
    Missing,
    /// A whole JSON number in `MIN_QUANTITY..=MAX_QUANTITY`.
    Valid(u64),
    /// Anything else: out of bounds, negative, fractional (`3.0` included), a string.
    Invalid,
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Discounts {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "Discounts".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The discounts asked for: a list (only its length matters: `[]` removes the discount, one entry applies the merchant's, more is refused with `invalid_discounts`), or `\"\"` (remove all).",
            "oneOf": [
                {"type": "array", "items": {}},
                {"type": "string", "const": ""}
            ]
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Quantity {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "Quantity".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A whole number; anything else (out of bounds, fractional, a string) is refused with `bad_quantity`.",
            "type": "integer",
            "minimum": MIN_QUANTITY,
            "maximum": MAX_QUANTITY
        })
    }
}

/// As the widget sends it: a number; `Missing` as `null`, `Invalid` as a
/// string (which the server reads back as `Invalid`).
impl Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Quantity::Missing => serializer.serialize_none(),
            Quantity::Valid(n) => serializer.serialize_u64(*n),
            Quantity::Invalid => serializer.serialize_str("invalid"),
        }
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(if (MIN_QUANTITY..=MAX_QUANTITY).contains(&v) {
                    Quantity::Valid(v)
                } else {
                    Quantity::Invalid
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Ok(Quantity::Invalid),
                }
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Quantity, E> {
                Ok(Quantity::Invalid)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Quantity, E> {
                Ok(Quantity::Invalid)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Quantity, E> {
                Ok(Quantity::Invalid)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Quantity, E> {
                Ok(Quantity::Missing)
            }
            fn visit_none<E: de::Error>(self) -> Result<Quantity, E> {
                Ok(Quantity::Missing)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Quantity, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Quantity::Invalid)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Quantity, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Quantity::Invalid)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `GET /config`: what the browser needs. Never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConfigReply {
    /// The publishable key.
    pub publishable_key: String,
    /// Where the page loads Stripe.js from.
    pub stripe_js_url: String,
    /// The plan's intervals, in the catalogue's order (`["monthly",
    /// "yearly"]`): what `/change-subscription-interval` accepts. Absent
    /// from servers that predate it: the widget then assumes monthly and yearly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intervals: Option<Vec<String>>,
    /// `"sandbox"` (the built-in emulator), `"test"` (the Stripe API with
    /// test keys) or `"live"` (live keys). A merchant server of its own may
    /// leave it out.
    #[serde(default)]
    pub mode: String,
    /// The release train's name (empty or absent: the widget's default).
    #[serde(default)]
    pub train: String,
    /// The private-preview updates the server sends (`"discounts"`,
    /// `"trials"`); the widget leaves out the controls of the others. Absent
    /// (a merchant server of its own): every control is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previews: Option<Vec<String>>,
    /// The add-ons `/update-add-on` offers (the catalogue's), in order.
    /// Absent: none. (Feature `shop`.)
    #[cfg(feature = "shop")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_ons: Option<Vec<AddOnOffer>>,
    /// Whether the session asks for a shipping address that
    /// `/calculate-shipping-options` prices (the catalogue has `[shipping]`).
    /// (Feature `shop`.)
    #[cfg(feature = "shop")]
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub shipping: bool,
}

/// One add-on of `/config` (feature `shop`).
#[cfg(feature = "shop")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AddOnOffer {
    /// What `/update-add-on` takes (`"gift-wrap"`).
    pub id: String,
    /// Its line item's name on the session (how the page sees it is there).
    pub name: String,
    /// Its price in minor units of the catalogue's currency.
    pub amount: i64,
}

/// `POST /create-checkout-session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientSecretReply {
    /// The session's client secret.
    pub client_secret: String,
}

/// What an update endpoint answers: `{"type":"success"}`,
/// `{"type":"object","value":{"succeeded":true}}` (the discount endpoints, as
/// in Stripe's guide) or `{"type":"error","message":…}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum UpdateReply {
    /// The update was applied.
    Success,
    /// The discount endpoints' success.
    Object {
        /// `{"succeeded": true}`.
        value: Succeeded,
    },
    /// Refused or failed; `message` is for the customer, `code` (a
    /// [`Refusal`]'s) lets a page show its own words for it.
    Error {
        /// Shown to the customer (in the server's language); absent reads as empty.
        #[serde(default)]
        message: String,
        /// Which refusal this is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
    },
}

/// How a page reads an [`UpdateReply`]: its flat fields, each as it comes,
/// any other field ignored. The widget reads this rather than the tagged
/// enum: it decides on `type == "error"` alone (a merchant server of one's
/// own may answer a success in any shape), and serde's buffering of
/// internally tagged enums costs the wasm about 8 KB.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct UpdateReplyFields {
    /// `"success"`, `"object"` or `"error"`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The error's message.
    pub message: Option<String>,
    /// The error's code.
    pub code: Option<String>,
}

impl UpdateReplyFields {
    /// Whether this is `{"type": "error"}`.
    pub fn is_error(&self) -> bool {
        self.kind.as_deref() == Some("error")
    }
}

/// `{"succeeded": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Succeeded {
    /// Always `true`.
    pub succeeded: bool,
}

impl UpdateReply {
    /// `{"type":"object","value":{"succeeded":true}}`.
    pub const SUCCEEDED: UpdateReply = UpdateReply::Object {
        value: Succeeded { succeeded: true },
    };

    /// `{"type":"error","message":…,"code":…}`: `refusal`'s code, with
    /// `message` (its own, or what exactly is wrong).
    pub fn refused(refusal: Refusal, message: impl Into<String>) -> Self {
        UpdateReply::Error {
            message: message.into(),
            code: Some(refusal.code().into()),
        }
    }
}

impl UpdateReplyFields {
    /// The refusal an error reply names, if its code is one.
    pub fn refusal(&self) -> Option<Refusal> {
        self.code.as_deref().and_then(Refusal::from_code)
    }
}

/// `POST /checkout-session-status`: what the page may learn about a session
/// whose id it holds. Never a client secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionStatusReply {
    /// `"open"`, `"complete"`, `"expired"`, or `"unknown"` (Stripe does not
    /// know the id: never created, or no longer kept).
    pub status: String,
}

/// `POST /order-status`: whether the server fulfilled the session's order
/// (from Stripe's `checkout.session.completed` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderStatusReply {
    /// `"fulfilled"`, or `"pending"` while the event has not arrived.
    pub status: String,
    /// The amount paid (minor units), once fulfilled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_total: Option<i64>,
    /// Its currency, once fulfilled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn quantity(json: &str) -> Quantity {
        serde_json::from_str::<UpdateQuantityRequest>(&alloc::format!(r#"{{"quantity":{json}}}"#))
            .unwrap()
            .quantity
    }

    #[test]
    fn quantities() {
        assert_eq!(quantity("1"), Quantity::Valid(1));
        assert_eq!(quantity("10"), Quantity::Valid(10));
        for bad in [
            "0",
            "11",
            "2.5",
            "3.0",
            "-1",
            "\"3\"",
            "1e308",
            "18446744073709551616",
            "[]",
            "{}",
            "true",
        ] {
            assert_eq!(quantity(bad), Quantity::Invalid, "{bad}");
        }
        assert_eq!(quantity("null"), Quantity::Missing);
        let none: UpdateQuantityRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(none.quantity, Quantity::Missing);
    }

    #[test]
    fn discounts() {
        let d = |json: &str| {
            serde_json::from_str::<UpdateDiscountsRequest>(&alloc::format!(
                r#"{{"discounts":{json}}}"#
            ))
            .unwrap()
            .discounts
        };
        assert_eq!(d("[]"), Discounts::List(0));
        assert_eq!(d("\"\""), Discounts::List(0));
        assert_eq!(d("[{}, {\"coupon\": [1]}]"), Discounts::List(2));
        assert_eq!(d("\"x\""), Discounts::Invalid);
        assert_eq!(d("{\"a\": 1}"), Discounts::Invalid);
        assert_eq!(d("null"), Discounts::Missing);
    }

    #[test]
    fn replies_have_the_guides_shape() {
        assert_eq!(
            serde_json::to_string(&UpdateReply::Success).unwrap(),
            r#"{"type":"success"}"#
        );
        assert_eq!(
            serde_json::to_string(&UpdateReply::SUCCEEDED).unwrap(),
            r#"{"type":"object","value":{"succeeded":true}}"#
        );
        assert_eq!(
            serde_json::to_string(&UpdateReply::Error {
                message: "no".into(),
                code: None,
            })
            .unwrap(),
            r#"{"type":"error","message":"no"}"#
        );
        assert_eq!(
            serde_json::to_string(&UpdateReply::refused(Refusal::NotOpen, "no")).unwrap(),
            r#"{"type":"error","message":"no","code":"not_open"}"#
        );
        assert!(serde_json::from_str::<ChangeIntervalRequest>(r#"{"amount":1}"#).is_err());
    }

    #[test]
    fn update_replies_read_as_their_fields() {
        let read = |reply: &UpdateReply| {
            serde_json::from_str::<UpdateReplyFields>(&serde_json::to_string(reply).unwrap())
                .unwrap()
        };
        assert!(!read(&UpdateReply::Success).is_error());
        assert!(!read(&UpdateReply::SUCCEEDED).is_error());
        let error = read(&UpdateReply::refused(Refusal::NotOpen, "no"));
        assert!(error.is_error());
        assert_eq!(error.message.as_deref(), Some("no"));
        assert_eq!(error.code.as_deref(), Some("not_open"));
        assert_eq!(error.refusal(), Some(Refusal::NotOpen));
    }

    #[test]
    fn quantity_requests_round_trip() {
        for quantity in [Quantity::Valid(3), Quantity::Missing, Quantity::Invalid] {
            let request = UpdateQuantityRequest {
                checkout_session_id: Some("cs_test_1".into()),
                line_item_id: Some("li_1".into()),
                quantity,
            };
            let text = serde_json::to_string(&request).unwrap();
            assert_eq!(
                serde_json::from_str::<UpdateQuantityRequest>(&text).unwrap(),
                request
            );
        }
        assert_eq!(
            serde_json::to_string(&UpdateQuantityRequest {
                checkout_session_id: Some("cs_test_1".into()),
                line_item_id: Some("li_1".into()),
                quantity: Quantity::Valid(2),
            })
            .unwrap(),
            r#"{"checkout_session_id":"cs_test_1","line_item_id":"li_1","quantity":2}"#
        );
    }
}
