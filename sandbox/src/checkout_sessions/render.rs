//! The `checkout.session` object (every key of the real one), its line
//! `item`s and shipping rates, serialized straight to JSON.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::coupons::render::{CouponJson, DiscountJson};
use crate::model::{Estimate, LineItem, Session, ShippingDetails, ShippingRate, Status};
use crate::params::expand::Expand;
use crate::prices::PriceJson;
use crate::render::{to_value, Disabled, EmptyObject, Null, DISABLED};

#[derive(Serialize)]
struct FixedAmount<'a> {
    amount: i64,
    currency: &'a str,
}

#[derive(Serialize)]
struct EstimateJson<'a> {
    unit: &'a str,
    value: u64,
}

impl<'a> EstimateJson<'a> {
    fn new(e: &'a Estimate) -> Self {
        Self {
            unit: &e.unit,
            value: e.value,
        }
    }
}

/// `delivery_estimate` (stripe-node `ShippingRate.DeliveryEstimate`:
/// `maximum` and `minimum`, each `{unit, value}` or null).
#[derive(Serialize)]
struct DeliveryEstimateJson<'a> {
    maximum: Option<EstimateJson<'a>>,
    minimum: Option<EstimateJson<'a>>,
}

#[derive(Serialize)]
struct ShippingRateJson<'a> {
    active: bool,
    created: i64,
    delivery_estimate: Option<DeliveryEstimateJson<'a>>,
    display_name: &'a str,
    fixed_amount: FixedAmount<'a>,
    id: &'a str,
    livemode: bool,
    metadata: EmptyObject,
    object: &'static str,
    tax_behavior: &'static str,
    tax_code: Null,
    #[serde(rename = "type")]
    kind: &'static str,
}

impl<'a> ShippingRateJson<'a> {
    fn new(r: &'a ShippingRate) -> Self {
        Self {
            active: true,
            created: r.created,
            delivery_estimate: r.delivery_estimate.as_ref().map(|d| DeliveryEstimateJson {
                maximum: d.maximum.as_ref().map(EstimateJson::new),
                minimum: d.minimum.as_ref().map(EstimateJson::new),
            }),
            display_name: &r.display_name,
            fixed_amount: FixedAmount {
                amount: r.amount,
                currency: &r.currency,
            },
            id: &r.id,
            livemode: false,
            metadata: EmptyObject,
            object: "shipping_rate",
            tax_behavior: "unspecified",
            tax_code: (),
            kind: "fixed_amount",
        }
    }
}

/// A `shipping_rate` object.
pub fn shipping_rate(r: &ShippingRate) -> Value {
    to_value(&ShippingRateJson::new(r))
}

/// One entry of an item's expanded `discounts`.
#[derive(Serialize)]
struct ItemDiscountJson<'a> {
    amount: i64,
    discount: DiscountJson<'a>,
}

#[derive(Serialize)]
pub(crate) struct ItemJson<'a> {
    amount_discount: i64,
    amount_subtotal: i64,
    amount_tax: i64,
    amount_total: i64,
    currency: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    discounts: Option<Vec<ItemDiscountJson<'a>>>,
    pub(crate) id: &'a str,
    object: &'static str,
    price: PriceJson<'a>,
    quantity: u64,
}

impl<'a> ItemJson<'a> {
    fn new(li: &'a LineItem, discount: i64) -> Self {
        let subtotal = li.subtotal();
        Self {
            amount_discount: discount,
            amount_subtotal: subtotal,
            amount_tax: 0,
            amount_total: subtotal.saturating_sub(discount),
            currency: &li.price.currency,
            description: &li.price.product_name,
            discounts: None,
            id: &li.id,
            object: "item",
            price: PriceJson::new(&li.price),
            quantity: li.quantity,
        }
    }
}

/// A line `item` object, given its share of the session discount.
pub fn item(li: &LineItem, discount: i64) -> Value {
    to_value(&ItemJson::new(li, discount))
}

/// A session's `line_items` list (all of them).
#[derive(Serialize)]
pub(crate) struct LineItemsJson<'a> {
    pub(crate) data: Vec<ItemJson<'a>>,
    has_more: bool,
    object: &'static str,
    pub(crate) url: String,
}

impl<'a> LineItemsJson<'a> {
    pub(crate) fn new(s: &'a Session, expand: Expand) -> Self {
        let discounts = s.item_discounts();
        let data = s
            .line_items
            .iter()
            .zip(discounts)
            .map(|(li, d)| {
                let mut item = ItemJson::new(li, d);
                if expand.item_discounts {
                    // One entry per coupon, each splitting that coupon's amount like the total.
                    item.discounts = Some(
                        s.discounts
                            .iter()
                            .map(|c| ItemDiscountJson {
                                amount: d,
                                discount: DiscountJson::new(c, &s.id, s.created),
                            })
                            .collect(),
                    );
                }
                item
            })
            .collect();
        Self {
            data,
            has_more: false,
            object: "list",
            url: format!("/v1/checkout/sessions/{}/line_items", s.id),
        }
    }
}

/// The `line_items` list of a session.
pub fn line_items(s: &Session) -> Value {
    to_value(&LineItemsJson::new(s, Expand::default()))
}

/// A coupon id, or (expanded) the coupon.
#[derive(Serialize)]
#[serde(untagged)]
enum CouponRef<'a> {
    Id(&'a str),
    Object(CouponJson<'a>),
}

#[derive(Serialize)]
struct SessionDiscountJson<'a> {
    coupon: CouponRef<'a>,
    promotion_code: Null,
}

/// A shipping rate id, or (expanded) the rate.
#[derive(Serialize)]
#[serde(untagged)]
enum RateRef<'a> {
    Id(&'a str),
    Object(ShippingRateJson<'a>),
}

impl<'a> RateRef<'a> {
    fn new(r: &'a ShippingRate, expand: Expand) -> Self {
        if expand.shipping_rates {
            RateRef::Object(ShippingRateJson::new(r))
        } else {
            RateRef::Id(&r.id)
        }
    }
}

#[derive(Serialize)]
struct ShippingOptionJson<'a> {
    shipping_amount: i64,
    shipping_rate: RateRef<'a>,
}

#[derive(Serialize)]
struct ShippingCostJson<'a> {
    amount_subtotal: i64,
    amount_tax: i64,
    amount_total: i64,
    shipping_rate: RateRef<'a>,
}

#[derive(Serialize)]
struct AutomaticTax {
    enabled: bool,
    enablement_details: Null,
    liability: Null,
    provider: Null,
    status: Null,
}

#[derive(Serialize)]
struct CustomText {
    after_submit: Null,
    shipping_address: Null,
    submit: Null,
    terms_of_service_acceptance: Null,
}

/// `collected_information.shipping_details.address`.
#[derive(Serialize)]
struct ShippingAddressJson<'a> {
    city: Option<&'a str>,
    country: &'a str,
    line1: &'a str,
    line2: Option<&'a str>,
    postal_code: Option<&'a str>,
    state: Option<&'a str>,
}

#[derive(Serialize)]
struct ShippingDetailsJson<'a> {
    address: ShippingAddressJson<'a>,
    name: &'a str,
}

/// `collected_information`: `null` until the merchant's server has set
/// shipping details (the emulator collects nothing else).
#[derive(Serialize)]
struct CollectedInformationJson<'a> {
    business_name: Null,
    individual_name: Null,
    shipping_details: ShippingDetailsJson<'a>,
}

impl<'a> CollectedInformationJson<'a> {
    fn of(d: &'a ShippingDetails) -> Self {
        let a = &d.address;
        Self {
            business_name: (),
            individual_name: (),
            shipping_details: ShippingDetailsJson {
                address: ShippingAddressJson {
                    city: a.city.as_deref(),
                    country: &a.country,
                    line1: &a.line1,
                    line2: a.line2.as_deref(),
                    postal_code: a.postal_code.as_deref(),
                    state: a.state.as_deref(),
                },
                name: &d.name,
            },
        }
    }
}

/// `shipping_address_collection`.
#[derive(Serialize)]
struct ShippingAddressCollectionJson<'a> {
    allowed_countries: &'a [String],
}

#[derive(Serialize)]
struct PermissionsJson<'a> {
    update_discounts: &'a str,
    update_line_items: &'a str,
    update_shipping_details: Option<&'a str>,
}

#[derive(Serialize)]
struct TotalDetailsJson {
    amount_discount: i64,
    amount_shipping: i64,
    amount_tax: i64,
}

/// A `checkout.session` object (every key of the real one), serialized
/// directly; `line_items` only when expanded.
#[derive(Serialize)]
pub struct SessionJson<'a> {
    adaptive_pricing: Disabled,
    after_expiration: Null,
    allow_promotion_codes: Null,
    amount_subtotal: Option<i64>,
    amount_total: Option<i64>,
    automatic_tax: AutomaticTax,
    billing_address_collection: Null,
    cancel_url: Null,
    client_reference_id: Option<&'a str>,
    client_secret: &'a str,
    collected_information: Option<CollectedInformationJson<'a>>,
    consent: Null,
    consent_collection: Null,
    created: i64,
    currency: Option<&'a str>,
    currency_conversion: Null,
    custom_fields: [Null; 0],
    custom_text: CustomText,
    customer: Option<&'a str>,
    customer_account: Null,
    customer_creation: &'static str,
    customer_details: Option<CustomerDetailsJson<'a>>,
    customer_email: Option<&'a str>,
    discounts: Vec<SessionDiscountJson<'a>>,
    expires_at: i64,
    id: &'a str,
    integration_identifier: Null,
    invoice: Null,
    invoice_creation: Null,
    #[serde(skip_serializing_if = "Option::is_none")]
    line_items: Option<LineItemsJson<'a>>,
    livemode: bool,
    locale: Null,
    managed_payments: Disabled,
    metadata: &'a BTreeMap<String, String>,
    mode: &'a str,
    object: &'static str,
    origin_context: Null,
    payment_intent: Null,
    payment_link: Null,
    payment_method_collection: Option<&'static str>,
    payment_method_configuration_details: Null,
    payment_method_options: EmptyObject,
    payment_method_types: [&'static str; 1],
    payment_status: &'a str,
    permissions: PermissionsJson<'a>,
    phone_number_collection: Disabled,
    recovered_from: Null,
    return_url: &'a str,
    saved_payment_method_options: Null,
    setup_intent: Null,
    shipping_address_collection: Option<ShippingAddressCollectionJson<'a>>,
    shipping_cost: Option<ShippingCostJson<'a>>,
    shipping_options: Vec<ShippingOptionJson<'a>>,
    status: &'static str,
    submit_type: Null,
    subscription: Null,
    success_url: Null,
    total_details: Option<TotalDetailsJson>,
    ui_mode: &'a str,
    url: Null,
    wallet_options: Null,
}

/// `customer_details.address`: the emulator collects no address.
#[derive(Serialize)]
struct AddressJson {
    city: Null,
    country: Null,
    line1: Null,
    line2: Null,
    postal_code: Null,
    state: Null,
}

/// `customer_details`: what the customer gave at checkout. The emulator
/// collects only the email, so it is there once the session is complete
/// (`null` before, as on Stripe until the customer has paid).
#[derive(Serialize)]
pub(crate) struct CustomerDetailsJson<'a> {
    address: AddressJson,
    business_name: Null,
    email: Option<&'a str>,
    individual_name: Null,
    name: Null,
    phone: Null,
    tax_exempt: &'static str,
    tax_ids: [Null; 0],
}

impl<'a> CustomerDetailsJson<'a> {
    fn of(s: &'a Session) -> Option<Self> {
        (s.status == Status::Complete).then(|| Self {
            address: AddressJson {
                city: (),
                country: (),
                line1: (),
                line2: (),
                postal_code: (),
                state: (),
            },
            business_name: (),
            email: s.email(),
            individual_name: (),
            name: (),
            phone: (),
            tax_exempt: "none",
            tax_ids: [],
        })
    }
}

impl<'a> SessionJson<'a> {
    /// The `checkout.session` object of `s`, with the sub-objects `expand` asks for.
    pub fn new(s: &'a Session, expand: Expand) -> Self {
        let totals = s.totals();
        let has_amounts = s.mode != "setup";
        let amount = |v: i64| has_amounts.then_some(v);
        Self {
            adaptive_pricing: DISABLED,
            after_expiration: (),
            allow_promotion_codes: (),
            amount_subtotal: amount(totals.subtotal),
            amount_total: amount(totals.total),
            automatic_tax: AutomaticTax {
                enabled: false,
                enablement_details: (),
                liability: (),
                provider: (),
                status: (),
            },
            billing_address_collection: (),
            cancel_url: (),
            client_reference_id: s.client_reference_id.as_deref(),
            client_secret: &s.client_secret,
            collected_information: s
                .shipping_details
                .as_ref()
                .map(CollectedInformationJson::of),
            consent: (),
            consent_collection: (),
            created: s.created,
            currency: s.currency.as_deref(),
            currency_conversion: (),
            custom_fields: [],
            custom_text: CustomText {
                after_submit: (),
                shipping_address: (),
                submit: (),
                terms_of_service_acceptance: (),
            },
            customer: s.customer.as_deref(),
            customer_account: (),
            customer_creation: if s.mode == "payment" {
                "if_required"
            } else {
                "always"
            },
            customer_details: CustomerDetailsJson::of(s),
            customer_email: s.customer_email.as_deref(),
            discounts: s
                .discounts
                .iter()
                .map(|c| SessionDiscountJson {
                    coupon: if expand.discounts {
                        CouponRef::Object(CouponJson::new(c))
                    } else {
                        CouponRef::Id(&c.id)
                    },
                    promotion_code: (),
                })
                .collect(),
            expires_at: s.expires_at,
            id: &s.id,
            integration_identifier: (),
            invoice: (),
            invoice_creation: (),
            line_items: expand.line_items.then(|| LineItemsJson::new(s, expand)),
            livemode: false,
            locale: (),
            managed_payments: DISABLED,
            metadata: &s.metadata,
            mode: &s.mode,
            object: "checkout.session",
            origin_context: (),
            payment_intent: (),
            payment_link: (),
            payment_method_collection: (s.mode == "subscription").then_some("always"),
            payment_method_configuration_details: (),
            payment_method_options: EmptyObject,
            payment_method_types: ["card"],
            payment_status: &s.payment_status,
            permissions: PermissionsJson {
                update_discounts: &s.permissions.update_discounts,
                update_line_items: &s.permissions.update_line_items,
                update_shipping_details: s.permissions.update_shipping_details.as_deref(),
            },
            phone_number_collection: DISABLED,
            recovered_from: (),
            return_url: &s.return_url,
            saved_payment_method_options: (),
            setup_intent: (),
            shipping_address_collection: s
                .allowed_countries
                .as_deref()
                .map(|allowed_countries| ShippingAddressCollectionJson { allowed_countries }),
            shipping_cost: s.selected_shipping_rate().map(|r| ShippingCostJson {
                amount_subtotal: r.amount,
                amount_tax: 0,
                amount_total: r.amount,
                shipping_rate: RateRef::new(r, expand),
            }),
            shipping_options: s
                .shipping_options
                .iter()
                .map(|r| ShippingOptionJson {
                    shipping_amount: r.amount,
                    shipping_rate: RateRef::new(r, expand),
                })
                .collect(),
            status: s.status.as_str(),
            submit_type: (),
            subscription: (),
            success_url: (),
            total_details: has_amounts.then(|| TotalDetailsJson {
                amount_discount: totals.discount,
                amount_shipping: s.shipping_amount(),
                amount_tax: 0,
            }),
            ui_mode: &s.ui_mode,
            url: (),
            wallet_options: (),
        }
    }
}

/// A `checkout.session` object.
pub fn session(s: &Session, expand: Expand) -> Value {
    to_value(&SessionJson::new(s, expand))
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
