//! `POST /update-line-item-quantity`: one line item's quantity; the others
//! kept by id, and the discount the policy gives the new subtotal (when the
//! session has one), in the same update.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{Quantity, UpdateQuantityRequest, UpdateReply};
use checkout_protocol::Refusal;

use super::cart::{Cart, DiscountChange, TrialChange};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::{is_valid_line_item_id, required_session_id};
use super::MerchantState;

/// `POST /update-line-item-quantity` → `{"type":"success"}`.
pub(crate) async fn update_line_item_quantity(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<UpdateQuantityRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let state = state.for_request();
    let id = required_session_id(body.checkout_session_id)?;
    let Quantity::Valid(quantity) = body.quantity else {
        return Err(Refusal::BadQuantity.into());
    };
    let line_item_id = body
        .line_item_id
        .filter(|li| is_valid_line_item_id(li))
        .ok_or_else(|| ApiError::invalid("line_item_id is not a valid line item id."))?;
    let mut cart = Cart::read(&state, &id, ApiError::from).await?;
    let Some(item) = cart
        .items
        .iter_mut()
        .find(|item| item.id.as_deref() == Some(line_item_id.as_str()))
    else {
        return Err(Refusal::NoLineItem.into());
    };
    // The product's bounds (the catalogue's), within the widget's.
    if let Some((product, _)) = state.config.catalogue.price(&item.price) {
        if !product.quantity.allows(quantity) {
            let bounds = product.quantity;
            return Err(ApiError {
                message: format!(
                    "quantity must be a whole number from {} to {}.",
                    bounds.min, bounds.max
                )
                .into(),
                ..Refusal::BadQuantity.into()
            });
        }
    }
    item.quantity = quantity;
    tracing::info!(quantity, "updating a line item quantity");
    cart.update(
        &state,
        DiscountChange::Follow,
        TrialChange::Follow,
        ApiError::from,
    )
    .await?;
    Ok(Json(UpdateReply::Success))
}
