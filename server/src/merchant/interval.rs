//! `POST /change-subscription-interval`: monthly ⇄ yearly, keeping the
//! quantity, with the discount recomputed for the new price in the same update.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{ChangeIntervalRequest, UpdateReply};

use super::cart::{has_discount, line_items_of, open_session_with_items, policy_discounts};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::session_id;
use super::messages::MSG_BAD_REQUEST;
use super::MerchantState;
use crate::stripe_client::{LineItemParam, UpdateSessionParams};

/// `POST /change-subscription-interval` → `{"type":"success"}`.
pub(crate) async fn change_subscription_interval(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<ChangeIntervalRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let id = session_id(body.checkout_session_id, MSG_BAD_REQUEST)?;
    let price = match body.interval.as_deref() {
        Some("monthly") => &state.config.monthly_price,
        Some("yearly") => &state.config.yearly_price,
        None => return Err(ApiError::bad_request(MSG_BAD_REQUEST)),
        Some(_) => {
            return Err(ApiError::bad_request(
                "interval must be \"monthly\" or \"yearly\".",
            ))
        }
    };
    let session = open_session_with_items(&state, &id).await?;
    let items = line_items_of(&session)?;
    let quantity = items.first().and_then(|li| li.quantity).unwrap_or(1);
    let mut params = UpdateSessionParams {
        line_items: Some(vec![LineItemParam::price(price, quantity)]),
        ..Default::default()
    };
    if has_discount(&session) {
        let new_price = state.stripe.retrieve_price(price).await?;
        let unit = new_price.unit_amount.unwrap_or(0);
        let subtotal = unit.saturating_mul(i64::try_from(quantity).unwrap_or(i64::MAX));
        params.discounts = Some(policy_discounts(&state, &session, subtotal));
    }
    state.stripe.update_session(&id, &params).await?;
    Ok(Json(UpdateReply::Success))
}
