//! `POST /extend-trial-for-yearly`: a free trial for yearly plans, none for monthly.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{SessionRequest, UpdateReply};
use checkout_protocol::limits::YEARLY_TRIAL_DAYS;

use super::cart::{line_items_of, open_session_with_items};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::required_session_id;
use super::messages::MSG_NOT_SUBSCRIPTION;
use super::MerchantState;
use crate::stripe_client::{SubscriptionDataParam, UpdateSessionParams};

/// `POST /extend-trial-for-yearly` → `{"type":"success"}`.
pub(crate) async fn extend_trial_for_yearly(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<SessionRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let id = required_session_id(body.checkout_session_id)?;
    let session = open_session_with_items(&state, &id).await?;
    if session.mode.as_deref() != Some("subscription") {
        return Err(ApiError::bad_request(MSG_NOT_SUBSCRIPTION));
    }
    let items = line_items_of(&session)?;
    let interval = items
        .iter()
        .find_map(|li| li.price.as_ref().and_then(|p| p.recurring.as_ref()))
        .map(|r| r.interval.as_str());
    let trial_period_days = match interval {
        Some("year") => Some(YEARLY_TRIAL_DAYS),
        Some("month") => None,
        _ => return Err(ApiError::bad_request(MSG_NOT_SUBSCRIPTION)),
    };
    tracing::info!(?trial_period_days, "updating the trial");
    let params = UpdateSessionParams {
        subscription_data: Some(SubscriptionDataParam {
            trial_period_days: Some(trial_period_days),
        }),
        ..Default::default()
    };
    state.stripe.update_session(&id, &params).await?;
    Ok(Json(UpdateReply::Success))
}
