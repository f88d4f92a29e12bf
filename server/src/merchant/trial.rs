//! `POST /extend-trial-for-yearly`: the trial policy's trial for the plan the
//! session holds (14 days on yearly plans; on monthly plans the trial is
//! removed), written with the line items it was decided for, under the
//! trials preview's API version; 404 when the trials preview is off.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{SessionRequest, UpdateReply};
use checkout_protocol::Refusal;

use super::cart::{Cart, DiscountChange, TrialChange};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::required_session_id;
use super::messages::MSG_TRIALS_OFF;
use super::MerchantState;

/// `POST /extend-trial-for-yearly` → `{"type":"success"}`.
pub(crate) async fn extend_trial_for_yearly(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<SessionRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let state = state.for_request();
    let id = required_session_id(body.checkout_session_id)?;
    if !state.config.previews.trials {
        return Err(ApiError::not_enabled(MSG_TRIALS_OFF));
    }
    let cart = Cart::read(&state, &id, ApiError::from).await?;
    if !cart.is_subscription() || cart.interval().is_none() {
        return Err(Refusal::NotSubscription.into());
    }
    tracing::info!("updating the trial");
    cart.update(
        &state,
        DiscountChange::Follow,
        TrialChange::FromPolicy,
        ApiError::from,
    )
    .await?;
    Ok(Json(UpdateReply::Success))
}
