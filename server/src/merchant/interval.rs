//! `POST /change-subscription-interval`: monthly ⇄ yearly, keeping the
//! quantity. One update writes the new line item, the discount the policy
//! gives it (when the session had one) and removes the trial (a trial is
//! offered per plan; the customer adds it again on the new plan).

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{ChangeIntervalRequest, UpdateReply};

use super::cart::{Cart, CartItem, TrialChange};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::session_id;
use super::messages::MSG_BAD_REQUEST;
use super::MerchantState;

/// `POST /change-subscription-interval` → `{"type":"success"}`.
pub(crate) async fn change_subscription_interval(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<ChangeIntervalRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let state = state.for_request();
    let id = session_id(body.checkout_session_id, MSG_BAD_REQUEST)?;
    let price_id = match body.interval.as_deref() {
        Some("monthly") => &state.config.monthly_price,
        Some("yearly") => &state.config.yearly_price,
        None => return Err(ApiError::bad_request(MSG_BAD_REQUEST)),
        Some(_) => {
            return Err(ApiError::bad_request(
                "interval must be \"monthly\" or \"yearly\".",
            ))
        }
    };
    let mut cart = Cart::read(&state, &id, ApiError::from).await?;
    let quantity = cart.items.first().map_or(1, |item| item.quantity);
    let discount = cart.has_discount();
    let (unit_amount, interval) = if discount {
        let price = state.prices.get(&state.stripe, price_id).await?;
        (
            price.unit_amount.unwrap_or(0),
            price.recurring.map(|r| r.interval),
        )
    } else {
        (0, None)
    };
    cart.items = vec![CartItem {
        id: None,
        price: price_id.clone(),
        unit_amount,
        interval,
        quantity,
    }];
    let params = cart.snapshot(&state, discount, TrialChange::Remove);
    cart.write(&state, &params, ApiError::from).await?;
    Ok(Json(UpdateReply::Success))
}
