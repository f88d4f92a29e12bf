//! `POST /extend-trial-for-yearly`: the trial policy's trial for the plan the
//! session holds (14 days on yearly plans; on monthly plans the trial is
//! removed), written with the line items it was decided for.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{SessionRequest, UpdateReply};

use super::cart::{Cart, TrialChange};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::required_session_id;
use super::messages::MSG_NOT_SUBSCRIPTION;
use super::MerchantState;

/// `POST /extend-trial-for-yearly` → `{"type":"success"}`.
pub(crate) async fn extend_trial_for_yearly(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<SessionRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let state = state.for_request();
    let id = required_session_id(body.checkout_session_id)?;
    let cart = Cart::read(&state, &id, ApiError::from).await?;
    if !cart.is_subscription() || cart.interval().is_none() {
        return Err(ApiError::bad_request(MSG_NOT_SUBSCRIPTION));
    }
    let params = cart.snapshot(&state, cart.has_discount(), TrialChange::FromPolicy);
    tracing::info!(trial = ?cart.policy_trial(&state), "updating the trial");
    cart.write(&state, &params, ApiError::from).await?;
    Ok(Json(UpdateReply::Success))
}
