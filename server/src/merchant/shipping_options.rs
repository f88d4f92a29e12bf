//! The shipping part of a cart update: the address the cart holds and the
//! options the [`crate::policy::ShippingPolicy`] gives it for the line
//! items the update leaves, written only when they differ from what the
//! session has (so the customer's selected option stays when nothing
//! changes); and the check `consistency.rs` makes of the session an update
//! left.
//!
//! Options are compared in order: their count and amounts, and, when the
//! session was read with `expand[]=shipping_options.shipping_rate`
//! ([`super::cart::Cart::read`] in a shop that ships), their names and
//! delivery estimates too. Stripe's answer to an update has the rates as
//! ids only, so the check after an update compares count and amounts.

use checkout_catalogue::DeliveryDays;
use checkout_protocol::Refusal;

use super::cart::{policy_failed, Cart};
use super::error::ApiError;
use super::MerchantState;
use crate::policy::{Order, ShippingAddress, ShippingOption, ShippingQuote};
use crate::stripe_client::{
    AddressParam, CheckoutSession, CollectedInformationParam, DeliveryEstimateBoundParam,
    DeliveryEstimateParam, Expandable, FixedAmountParam, ShippingDetailsParam, ShippingOptionParam,
    ShippingRateDataParam,
};

/// Stripe's most shipping options on a session.
const MAX_OPTIONS: usize = checkout_catalogue::MAX_SHIPPING_RATES;

/// The unit of the delivery estimates the server writes.
const BUSINESS_DAY: &str = "business_day";

/// What an update writes about shipping (`None`: nothing).
#[derive(Debug, Clone, Default)]
pub(crate) struct ShippingWrite {
    /// The address, when it differs from the session's.
    pub(crate) collected_information: Option<CollectedInformationParam>,
    /// The options, when they differ from the session's.
    pub(crate) shipping_options: Option<Vec<ShippingOptionParam>>,
}

/// The policy's options for sending `order` to `address`: 503 "try again"
/// when it cannot decide, `cannot_ship_to` when the shop does not ship
/// there, 500 when it answers more than Stripe takes.
pub(crate) async fn options_for(
    state: &MerchantState,
    address: &ShippingAddress,
    order: &Order<'_>,
) -> Result<Vec<ShippingOption>, ApiError> {
    match state
        .shipping
        .options_for(address, order)
        .await
        .map_err(policy_failed)?
    {
        ShippingQuote::CannotShipTo => {
            tracing::info!(
                country = address.country,
                "the shipping policy does not ship there; nothing written"
            );
            Err(Refusal::CannotShipTo.into())
        }
        ShippingQuote::Options(options) if options.is_empty() || options.len() > MAX_OPTIONS => {
            tracing::error!(
                count = options.len(),
                "the shipping policy gave a number of options Stripe does not take (1 to 5)"
            );
            Err(ApiError::internal())
        }
        ShippingQuote::Options(options) => Ok(options),
    }
}

/// What `cart`'s update writes about shipping: nothing without an address;
/// else the address when it is not the session's, and the policy's options
/// for it and the cart's line items when they are not the session's.
pub(crate) async fn write(state: &MerchantState, cart: &Cart) -> Result<ShippingWrite, ApiError> {
    let Some(address) = &cart.shipping_address else {
        return Ok(ShippingWrite::default());
    };
    let options = options_for(state, address, &cart.order()).await?;
    let currency = cart
        .session
        .currency
        .clone()
        .unwrap_or_else(|| state.config.catalogue.currency.clone());
    Ok(ShippingWrite {
        collected_information: (ShippingAddress::of(&cart.session).as_ref() != Some(address))
            .then(|| collected_information(address)),
        shipping_options: (!same_options(&cart.session, &options))
            .then(|| options.iter().map(|o| option_param(o, &currency)).collect()),
    })
}

/// Whether `session` holds the shipping options the policy gives its
/// address for the line items `cart` wrote (the subtotal Stripe reports).
/// No address, or a policy that cannot decide now: "holds" (nothing to
/// repair on a guess); an address the policy refuses holds only without
/// options.
pub(crate) async fn hold(state: &MerchantState, cart: &Cart, session: &CheckoutSession) -> bool {
    let Some(address) = ShippingAddress::of(session) else {
        return true;
    };
    let subtotal = session.amount_subtotal.unwrap_or_else(|| cart.subtotal());
    let order = super::cart::order_of(session, cart.interval(), subtotal, &cart.customer);
    match state.shipping.options_for(&address, &order).await {
        Ok(ShippingQuote::Options(options)) => same_options(session, &options),
        Ok(ShippingQuote::CannotShipTo) => session.shipping_options.is_empty(),
        Err(_) => true,
    }
}

/// Whether the session's options are `options`, as far as it shows them
/// (see the module's documentation).
fn same_options(session: &CheckoutSession, options: &[ShippingOption]) -> bool {
    session.shipping_options.len() == options.len()
        && session
            .shipping_options
            .iter()
            .zip(options)
            .all(|(held, option)| {
                held.shipping_amount == option.amount
                    && match &held.shipping_rate {
                        Expandable::Id(_) => true,
                        Expandable::Object(rate) => {
                            rate.display_name.as_deref() == Some(option.name.as_str())
                                && days_of(rate.delivery_estimate.as_ref()) == option.delivery_days
                        }
                    }
            })
}

/// A rate's delivery estimate, as business days (anything else: `None`).
fn days_of(estimate: Option<&crate::stripe_client::DeliveryEstimate>) -> Option<DeliveryDays> {
    let estimate = estimate?;
    let (min, max) = (estimate.minimum.as_ref()?, estimate.maximum.as_ref()?);
    (min.unit == BUSINESS_DAY && max.unit == BUSINESS_DAY).then_some(DeliveryDays {
        min: min.value,
        max: max.value,
    })
}

/// `collected_information[shipping_details]` for `address`.
fn collected_information(address: &ShippingAddress) -> CollectedInformationParam {
    CollectedInformationParam {
        shipping_details: ShippingDetailsParam {
            name: address.name.clone(),
            address: AddressParam {
                line1: address.line1.clone(),
                line2: address.line2.clone(),
                city: address.city.clone(),
                state: address.state.clone(),
                postal_code: address.postal_code.clone(),
                country: address.country.clone(),
            },
        },
    }
}

/// `shipping_options[N]` for `option`: a fixed-amount rate made inline.
fn option_param(option: &ShippingOption, currency: &str) -> ShippingOptionParam {
    let bound = |value| DeliveryEstimateBoundParam {
        unit: BUSINESS_DAY.to_owned(),
        value,
    };
    ShippingOptionParam {
        shipping_rate_data: ShippingRateDataParam {
            display_name: option.name.clone(),
            kind: "fixed_amount".to_owned(),
            fixed_amount: FixedAmountParam {
                amount: option.amount,
                currency: currency.to_owned(),
            },
            delivery_estimate: option.delivery_days.map(|days| DeliveryEstimateParam {
                maximum: bound(days.max),
                minimum: bound(days.min),
            }),
        },
    }
}
