//! Parameters of the Checkout Sessions endpoints, as Stripe names them
//! (unknown ones are refused with Stripe's "Received unknown parameter").

use serde::Deserialize;
use serde_json::Value;

use crate::coupons::params::CouponDataIn;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LineItemIn {
    pub(crate) id: Option<String>,
    pub(crate) price: Option<String>,
    pub(crate) price_data: Option<PriceDataIn>,
    pub(crate) quantity: Option<String>,
}

/// `line_items[N][price_data]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PriceDataIn {
    pub(crate) currency: Option<String>,
    pub(crate) product: Option<String>,
    pub(crate) product_data: Option<ProductDataIn>,
    pub(crate) recurring: Option<RecurringIn>,
    pub(crate) unit_amount: Option<String>,
    pub(crate) unit_amount_decimal: Option<String>,
    pub(crate) tax_behavior: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProductDataIn {
    pub(crate) name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) metadata: Option<Value>,
    pub(crate) images: Option<Value>,
    pub(crate) tax_code: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecurringIn {
    pub(crate) interval: Option<String>,
    pub(crate) interval_count: Option<String>,
}

/// `shipping_options[N]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShippingOptionIn {
    pub(crate) shipping_rate: Option<String>,
    pub(crate) shipping_rate_data: Option<ShippingRateDataIn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShippingRateDataIn {
    pub(crate) display_name: Option<String>,
    pub(crate) fixed_amount: Option<FixedAmountIn>,
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
    pub(crate) tax_behavior: Option<String>,
    pub(crate) tax_code: Option<String>,
    pub(crate) metadata: Option<Value>,
    pub(crate) delivery_estimate: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FixedAmountIn {
    pub(crate) amount: Option<String>,
    pub(crate) currency: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PermissionsIn {
    pub(crate) update_line_items: Option<String>,
    pub(crate) update_discounts: Option<String>,
    pub(crate) update_shipping_details: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubscriptionDataIn {
    pub(crate) trial_period_days: Option<String>,
}

/// `shipping_address_collection` (create).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShippingAddressCollectionIn {
    pub(crate) allowed_countries: Option<Value>,
}

/// `collected_information` (update).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CollectedInformationIn {
    pub(crate) shipping_details: Option<ShippingDetailsIn>,
}

/// `collected_information[shipping_details]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShippingDetailsIn {
    pub(crate) name: Option<String>,
    pub(crate) address: Option<AddressIn>,
}

/// `collected_information[shipping_details][address]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AddressIn {
    pub(crate) city: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) line1: Option<String>,
    pub(crate) line2: Option<String>,
    pub(crate) postal_code: Option<String>,
    pub(crate) state: Option<String>,
}

/// `POST /v1/checkout/sessions` parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateParams {
    pub(crate) mode: Option<String>,
    pub(crate) ui_mode: Option<String>,
    pub(crate) line_items: Option<Vec<LineItemIn>>,
    pub(crate) permissions: Option<PermissionsIn>,
    pub(crate) return_url: Option<String>,
    pub(crate) metadata: Option<Value>,
    pub(crate) expand: Option<Vec<String>>,
    pub(crate) client_reference_id: Option<String>,
    pub(crate) customer_email: Option<String>,
    pub(crate) customer: Option<String>,
    pub(crate) subscription_data: Option<SubscriptionDataIn>,
    pub(crate) shipping_options: Option<Value>,
    pub(crate) shipping_address_collection: Option<ShippingAddressCollectionIn>,
    pub(crate) discounts: Option<Value>,
}

/// `POST /v1/checkout/sessions/{id}` parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateParams {
    pub(crate) line_items: Option<Vec<LineItemIn>>,
    pub(crate) discounts: Option<Value>,
    pub(crate) metadata: Option<Value>,
    pub(crate) expand: Option<Vec<String>>,
    pub(crate) subscription_data: Option<SubscriptionDataIn>,
    pub(crate) shipping_options: Option<Value>,
    pub(crate) collected_information: Option<CollectedInformationIn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiscountIn {
    pub(crate) coupon: Option<String>,
    pub(crate) coupon_data: Option<CouponDataIn>,
}

/// `GET` query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetrieveParams {
    pub(crate) expand: Option<Vec<String>>,
}
