//! Parameters of the Checkout Sessions calls, form-encoded in Stripe's
//! bracket notation by [`encode_form`].

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use super::StripeError;

/// One `line_items[N]` entry of a create or update call.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LineItemParam {
    /// Existing line item id (update only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Price id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// Quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u64>,
}

impl LineItemParam {
    /// A new line item for `price` × `quantity`.
    pub fn price(price: impl Into<String>, quantity: u64) -> Self {
        Self {
            id: None,
            price: Some(price.into()),
            quantity: Some(quantity),
        }
    }
}

/// `permissions[...]` on create.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct PermissionsParam {
    /// `client_only` or `server_only`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_line_items: Option<String>,
    /// `client_only` or `server_only`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_discounts: Option<String>,
}

/// Parameters of `POST /v1/checkout/sessions`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CreateSessionParams {
    /// `payment`, `subscription` or `setup`.
    pub mode: String,
    /// `custom` for Elements with the Checkout Sessions API.
    pub ui_mode: String,
    /// The cart.
    pub line_items: Vec<LineItemParam>,
    /// Update permissions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<PermissionsParam>,
    /// Where the customer returns after paying.
    pub return_url: String,
    /// An existing Stripe Customer (`cus_…`); never with `customer_email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// The merchant's own reference for the customer or cart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_reference_id: Option<String>,
    /// The customer's email, when the merchant knows it: the session's
    /// `email` is then set from the start and the page asks for none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    /// Free-form metadata.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

/// `coupon_data` of a dynamic discount.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CouponDataParam {
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fixed amount off, in minor units (needs `currency`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_off: Option<i64>,
    /// Percentage off, in (0, 100].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_off: Option<f64>,
    /// Currency of `amount_off`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `once` (default), `forever` or `repeating`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
}

/// One `discounts[N]` entry.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct DiscountParam {
    /// An existing coupon id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
    /// An ad-hoc coupon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon_data: Option<CouponDataParam>,
}

/// Parameters of `POST /v1/checkout/sessions/{id}`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateSessionParams {
    /// The whole new array of line items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_items: Option<Vec<LineItemParam>>,
    /// The new discounts; `Some(vec![])` clears them (sent as `discounts=`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_emptyable"
    )]
    pub discounts: Option<Vec<DiscountParam>>,
    /// `subscription_data` (trial).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription_data: Option<SubscriptionDataParam>,
    /// Metadata to set.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

/// `subscription_data[...]` of an update.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SubscriptionDataParam {
    /// `Some(Some(n))` sets an `n`-day trial; `Some(None)` removes the trial
    /// (sent as `subscription_data[trial_period_days]=`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_emptyable_days"
    )]
    pub trial_period_days: Option<Option<u32>>,
}

fn serialize_emptyable_days<S: Serializer>(
    value: &Option<Option<u32>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(Some(days)) => serializer.serialize_u32(*days),
        _ => serializer.serialize_str(""),
    }
}

/// Serializes an "emptyable" list: an empty list becomes the empty string
/// (`discounts=`), which is how Stripe clears such a parameter.
fn serialize_emptyable<S, T>(value: &Option<Vec<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    match value {
        Some(list) if !list.is_empty() => list.serialize(serializer),
        _ => serializer.serialize_str(""),
    }
}

/// Encodes `params` as a Stripe form body (`a[b][0][c]=v`).
pub fn encode_form<T: Serialize>(params: &T) -> Result<String, StripeError> {
    serde_qs::to_string(params)
        .map_err(|e| StripeError::Decode(format!("encoding parameters: {e}")))
}
