//! `POST /calculate-shipping-options`: the customer's shipping address
//! (Stripe's "Dynamically customize shipping options" guide): checked
//! ([`ShippingAddress::from_request`]), then written with the options the
//! shipping policy gives it and the cart, in one update of those two
//! fields only ([`shipping_options::write`]: each when it differs from the
//! session's); an address the shop does not ship to is refused
//! (`cannot_ship_to`) and nothing is written.
//!
//! The line items are not re-sent (neither is a discount or trial), so a
//! concurrent cart change is never undone; if one lands between the read
//! and this write, the options were priced for the cart before it, and the
//! check of what the update left (`consistency.rs`) writes the right ones.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{ShippingOptionsRequest, UpdateReply};
use checkout_protocol::Refusal;

use super::cart::Cart;
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::required_session_id;
use super::messages::{MSG_NO_SHIPPING, MSG_SHIPPING_DETAILS_REQUIRED};
use super::{consistency, shipping_options, MerchantState};
use crate::policy::ShippingAddress;
use crate::stripe_client::UpdateSessionParams;

/// `POST /calculate-shipping-options` → `{"type":"success"}`.
pub(crate) async fn calculate_shipping_options(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<ShippingOptionsRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let state = state.for_request();
    let id = required_session_id(body.checkout_session_id)?;
    if state.config.catalogue.shipping.is_none() {
        return Err(ApiError::invalid(MSG_NO_SHIPPING));
    }
    let details = body
        .shipping_details
        .ok_or_else(|| ApiError::invalid(MSG_SHIPPING_DETAILS_REQUIRED))?;
    let Some(address) = ShippingAddress::from_request(&details) else {
        tracing::info!("refused an incomplete shipping address");
        return Err(Refusal::BadAddress.into());
    };
    let mut cart = Cart::read(&state, &id, ApiError::from).await?;
    tracing::info!(country = address.country, "setting the shipping address");
    cart.shipping_address = Some(address);
    let shipping = shipping_options::write(&state, &cart).await?;
    if shipping.collected_information.is_none() && shipping.shipping_options.is_none() {
        tracing::info!("the session holds this address and its options; nothing written");
        return Ok(Json(UpdateReply::Success));
    }
    let params = UpdateSessionParams {
        collected_information: shipping.collected_information,
        shipping_options: shipping.shipping_options,
        ..UpdateSessionParams::default()
    };
    let after = cart.write(&state, &params, ApiError::from).await?;
    consistency::settle(&state, &cart, &after).await;
    Ok(Json(UpdateReply::Success))
}
