//! `POST /change-subscription-interval`: monthly ⇄ yearly, keeping the
//! quantity. One update writes the new line item and, only when the session
//! has them, the discount the policy gives it and the trial's removal (a
//! trial is offered per plan; the customer adds it again on the new plan).
//! On a session with neither it is the guide's call: `line_items` alone.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{ChangeIntervalRequest, UpdateReply};
use checkout_protocol::Refusal;

use super::cart::{Cart, CartItem, DiscountChange, TrialChange};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::session_id;
use super::MerchantState;

/// `POST /change-subscription-interval` → `{"type":"success"}`.
pub(crate) async fn change_subscription_interval(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<ChangeIntervalRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let state = state.for_request();
    let id = session_id(body.checkout_session_id, Refusal::BadRequest.into())?;
    let price_id = match body.interval.as_deref() {
        Some("monthly") => &state.config.monthly_price,
        Some("yearly") => &state.config.yearly_price,
        None => return Err(Refusal::BadRequest.into()),
        Some(_) => {
            return Err(ApiError::invalid(
                "interval must be \"monthly\" or \"yearly\".",
            ))
        }
    };
    let mut cart = Cart::read(&state, &id, ApiError::from).await?;
    let quantity = cart.items.first().map_or(1, |item| item.quantity);
    // The plan's amount and interval decide the discount and the trial it
    // may have; read once per process (a Price cannot change them).
    let price = state.prices.get(&state.stripe, price_id).await?;
    cart.items = vec![CartItem {
        id: None,
        price: price_id.clone(),
        unit_amount: price.unit_amount.unwrap_or(0),
        interval: price.recurring.map(|r| r.interval),
        quantity,
    }];
    cart.update(
        &state,
        DiscountChange::Follow,
        TrialChange::RemoveIfAny,
        ApiError::from,
    )
    .await?;
    Ok(Json(UpdateReply::Success))
}
