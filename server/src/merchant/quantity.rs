//! `POST /update-line-item-quantity`: one line item's quantity, the others kept
//! by id, the discount recomputed for the new subtotal in the same update.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{Quantity, UpdateQuantityRequest, UpdateReply};

use super::cart::{has_discount, line_items_of, open_session_with_items, policy_discounts};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::{is_valid_line_item_id, required_session_id};
use super::messages::{MSG_BAD_QUANTITY, MSG_NO_LINE_ITEM};
use super::MerchantState;
use crate::stripe_client::{LineItemParam, UpdateSessionParams};

/// `POST /update-line-item-quantity` → `{"type":"success"}`.
pub(crate) async fn update_line_item_quantity(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<UpdateQuantityRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let id = required_session_id(body.checkout_session_id)?;
    let Quantity::Valid(quantity) = body.quantity else {
        return Err(ApiError::bad_request(MSG_BAD_QUANTITY));
    };
    let line_item_id = body
        .line_item_id
        .filter(|li| is_valid_line_item_id(li))
        .ok_or_else(|| ApiError::bad_request("line_item_id is not a valid line item id."))?;
    let session = open_session_with_items(&state, &id).await?;
    let items = line_items_of(&session)?;
    if !items.iter().any(|li| li.id == line_item_id) {
        return Err(ApiError::bad_request(MSG_NO_LINE_ITEM));
    }
    // The whole array again: the others kept by id, the target with its new quantity.
    let mut subtotal: i64 = 0;
    let line_items: Vec<LineItemParam> = items
        .iter()
        .map(|li| {
            let target = li.id == line_item_id;
            let q = if target {
                quantity
            } else {
                li.quantity.unwrap_or(1)
            };
            let unit = li.price.as_ref().and_then(|p| p.unit_amount).unwrap_or(0);
            subtotal =
                subtotal.saturating_add(unit.saturating_mul(i64::try_from(q).unwrap_or(i64::MAX)));
            LineItemParam {
                id: Some(li.id.clone()),
                price: None,
                quantity: target.then_some(quantity),
            }
        })
        .collect();
    let mut params = UpdateSessionParams {
        line_items: Some(line_items),
        ..Default::default()
    };
    if has_discount(&session) {
        params.discounts = Some(policy_discounts(&state, &session, subtotal));
    }
    tracing::info!(quantity, "updating a line item quantity");
    state.stripe.update_session(&id, &params).await?;
    Ok(Json(UpdateReply::Success))
}
