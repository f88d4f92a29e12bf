//! The Stripe objects this server reads, with only the fields it uses.
//! Unknown fields are ignored and missing ones default, so API changes
//! don't break decoding.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A field that Stripe returns either as an id or, when expanded, as an object.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Expandable<T> {
    /// Not expanded: the id.
    Id(String),
    /// Expanded object.
    Object(Box<T>),
}

/// `total_details` of a session.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct TotalDetails {
    /// Total discount, minor units.
    pub amount_discount: i64,
    /// Shipping, minor units.
    pub amount_shipping: Option<i64>,
    /// Tax, minor units.
    pub amount_tax: i64,
}

/// A Stripe list object.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct List<T> {
    /// The page.
    pub data: Vec<T>,
    /// Whether more pages exist.
    pub has_more: bool,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        Self {
            data: Vec::new(),
            has_more: false,
        }
    }
}

/// The recurring part of a price.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Recurring {
    /// `day`, `week`, `month` or `year`.
    pub interval: String,
    /// Number of intervals between charges.
    pub interval_count: u32,
}

/// A price (as nested in a line item).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Price {
    /// `price_...`.
    pub id: String,
    /// Unit amount in minor units.
    pub unit_amount: Option<i64>,
    /// Currency.
    pub currency: String,
    /// Recurring details; `None` for one-time prices.
    pub recurring: Option<Recurring>,
    /// Whether it can be used in new purchases.
    pub active: bool,
    /// Its lookup key, if any.
    pub lookup_key: Option<String>,
}

/// A line item of a session (`expand[]=line_items`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct LineItem {
    /// `li_...`.
    pub id: String,
    /// Product name.
    pub description: Option<String>,
    /// Quantity.
    pub quantity: Option<u64>,
    /// Subtotal in minor units.
    pub amount_subtotal: i64,
    /// Total in minor units.
    pub amount_total: i64,
    /// The price.
    pub price: Option<Price>,
}

/// A coupon (as nested in a session discount when expanded).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Coupon {
    /// Coupon id.
    pub id: String,
    /// Amount off, minor units.
    pub amount_off: Option<i64>,
    /// Percent off.
    pub percent_off: Option<f64>,
    /// Currency of `amount_off`.
    pub currency: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// `once`, `forever` or `repeating`.
    pub duration: Option<String>,
}

/// One entry of a session's `discounts`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct SessionDiscount {
    /// The coupon (id or expanded object).
    pub coupon: Option<Expandable<Coupon>>,
    /// The promotion code id, if any.
    pub promotion_code: Option<Expandable<serde_json::Value>>,
}

/// `customer_details` of a session.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct CustomerDetails {
    /// The customer's email.
    pub email: Option<String>,
}

/// A postal address (Stripe's `Address`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Address {
    /// Street, PO box or company name.
    pub line1: Option<String>,
    /// Apartment, suite, unit or building.
    pub line2: Option<String>,
    /// City, district, suburb, town or village.
    pub city: Option<String>,
    /// State, county, province or region.
    pub state: Option<String>,
    /// ZIP or postal code.
    pub postal_code: Option<String>,
    /// Two-letter country code.
    pub country: Option<String>,
}

/// `collected_information.shipping_details` of a session.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ShippingDetails {
    /// The recipient.
    pub name: Option<String>,
    /// Where to.
    pub address: Option<Address>,
}

/// `collected_information` of a session (what the server set).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct CollectedInformation {
    /// The shipping name and address.
    pub shipping_details: Option<ShippingDetails>,
}

/// One bound of a shipping rate's `delivery_estimate`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct DeliveryEstimateBound {
    /// `business_day`, `day`, `hour`, `month` or `week`.
    pub unit: String,
    /// How many.
    pub value: u32,
}

/// A shipping rate's `delivery_estimate`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct DeliveryEstimate {
    /// The lower bound.
    pub minimum: Option<DeliveryEstimateBound>,
    /// The upper bound.
    pub maximum: Option<DeliveryEstimateBound>,
}

/// A `shipping_rate` (as expanded in a session's `shipping_options`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ShippingRate {
    /// `shr_...`.
    pub id: String,
    /// Its name for the customer.
    pub display_name: Option<String>,
    /// The delivery estimate, if any.
    pub delivery_estimate: Option<DeliveryEstimate>,
}

/// One of a session's `shipping_options`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct ShippingOption {
    /// Its amount, minor units.
    #[serde(default)]
    pub shipping_amount: i64,
    /// The rate (an id, or the object with
    /// `expand[]=shipping_options.shipping_rate`).
    pub shipping_rate: Expandable<ShippingRate>,
}

/// A session's `shipping_cost`: the selected option.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct ShippingCost {
    /// Its total, minor units.
    #[serde(default)]
    pub amount_total: i64,
    /// The selected rate.
    pub shipping_rate: Option<Expandable<ShippingRate>>,
}

/// A `checkout.session`, with only the fields this server reads. Unknown fields
/// are ignored and missing ones default, so API changes don't break decoding.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct CheckoutSession {
    /// `cs_...`.
    pub id: String,
    /// The client secret (custom and embedded UI modes).
    pub client_secret: Option<String>,
    /// `payment`, `subscription` or `setup`.
    pub mode: Option<String>,
    /// `open`, `complete` or `expired`.
    pub status: Option<String>,
    /// `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: Option<String>,
    /// Three-letter currency code.
    pub currency: Option<String>,
    /// Amount before discounts, shipping and tax (minor units).
    pub amount_subtotal: Option<i64>,
    /// Amount after discounts, shipping and tax (minor units).
    pub amount_total: Option<i64>,
    /// Breakdown of the total.
    pub total_details: Option<TotalDetails>,
    /// Present only when retrieved with `expand[]=line_items`.
    pub line_items: Option<List<LineItem>>,
    /// Applied discounts.
    pub discounts: Option<Vec<SessionDiscount>>,
    /// Customer id (or object when expanded).
    pub customer: Option<Expandable<serde_json::Value>>,
    /// The merchant's own reference.
    pub client_reference_id: Option<String>,
    /// The email the session was created with, if any.
    pub customer_email: Option<String>,
    /// What the customer gave at checkout.
    pub customer_details: Option<CustomerDetails>,
    /// Metadata.
    pub metadata: Option<BTreeMap<String, String>>,
    /// What the server set: the shipping name and address.
    pub collected_information: Option<CollectedInformation>,
    /// The shipping options offered, in order.
    pub shipping_options: Vec<ShippingOption>,
    /// The selected shipping option, if any.
    pub shipping_cost: Option<ShippingCost>,
}
