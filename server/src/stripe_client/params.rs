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
    /// An inline price (a new line item without a catalog price).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_data: Option<PriceDataParam>,
    /// Quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u64>,
}

impl LineItemParam {
    /// A new line item for `price` × `quantity`.
    pub fn price(price: impl Into<String>, quantity: u64) -> Self {
        Self {
            price: Some(price.into()),
            quantity: Some(quantity),
            ..Self::default()
        }
    }

    /// A kept line item: its `id` and `quantity`.
    pub fn kept(id: impl Into<String>, quantity: u64) -> Self {
        Self {
            id: Some(id.into()),
            quantity: Some(quantity),
            ..Self::default()
        }
    }
}

/// `line_items[N][price_data]`: a one-time price made for this line item.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct PriceDataParam {
    /// Three-letter currency code.
    pub currency: String,
    /// Unit amount, minor units.
    pub unit_amount: i64,
    /// The product it makes (its name is the line item's).
    pub product_data: ProductDataParam,
}

/// `price_data[product_data]`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ProductDataParam {
    /// The product's (and line item's) name.
    pub name: String,
}

/// `shipping_address_collection[...]` on create.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ShippingAddressCollectionParam {
    /// Two-letter codes of the countries the customer may enter.
    pub allowed_countries: Vec<String>,
}

/// An address as sent (`collected_information[shipping_details][address]`):
/// empty parts are not sent.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct AddressParam {
    /// Street, PO box or company name.
    pub line1: String,
    /// Apartment, suite, unit or building.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State, county, province or region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// ZIP or postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Two-letter country code.
    pub country: String,
}

/// `collected_information[shipping_details]`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ShippingDetailsParam {
    /// The recipient.
    pub name: String,
    /// Where to.
    pub address: AddressParam,
}

/// `collected_information[...]` of an update.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct CollectedInformationParam {
    /// The shipping name and address.
    pub shipping_details: ShippingDetailsParam,
}

/// One bound of `delivery_estimate` (`unit`, `value`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DeliveryEstimateBoundParam {
    /// `business_day` here.
    pub unit: String,
    /// How many.
    pub value: u32,
}

/// `shipping_rate_data[delivery_estimate]`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DeliveryEstimateParam {
    /// The upper bound.
    pub maximum: DeliveryEstimateBoundParam,
    /// The lower bound.
    pub minimum: DeliveryEstimateBoundParam,
}

/// `shipping_rate_data[fixed_amount]`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct FixedAmountParam {
    /// Minor units.
    pub amount: i64,
    /// Three-letter currency code (the session's).
    pub currency: String,
}

/// `shipping_options[N][shipping_rate_data]`: a rate made for this session.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ShippingRateDataParam {
    /// Its name for the customer.
    pub display_name: String,
    /// `fixed_amount` (the only type).
    #[serde(rename = "type")]
    pub kind: String,
    /// Its amount.
    pub fixed_amount: FixedAmountParam,
    /// Its delivery estimate, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_estimate: Option<DeliveryEstimateParam>,
}

/// One `shipping_options[N]` entry of an update.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ShippingOptionParam {
    /// The rate, made inline.
    pub shipping_rate_data: ShippingRateDataParam,
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
    /// `client_only` or `server_only` (generally available).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_shipping_details: Option<String>,
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
    /// The countries the Shipping Address Element offers, if it is shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_address_collection: Option<ShippingAddressCollectionParam>,
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
    /// The customer's shipping name and address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected_information: Option<CollectedInformationParam>,
    /// The new shipping options; `Some(vec![])` clears them
    /// (`shipping_options=`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_emptyable"
    )]
    pub shipping_options: Option<Vec<ShippingOptionParam>>,
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
