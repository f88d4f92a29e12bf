//! `POST /update-discounts` (Stripe's guide: validate → recompute → update;
//! the recompute is the policy's discount, written by [`Cart::params`])
//! and `POST /apply-customer-discount` (the policy's discount, if eligible).
//! A business-rule refusal answers 200 `{"type":"error","message":…}`, as the
//! guide's server does. Both answer 404 when the discounts preview is off.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{Discounts, SessionRequest, UpdateDiscountsRequest, UpdateReply};
use checkout_protocol::Refusal;

use super::cart::{Cart, DiscountChange, TrialChange};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::required_session_id;
use super::messages::MSG_DISCOUNTS_OFF;
use super::MerchantState;
use crate::stripe_client::{CheckoutSession, UpdateSessionParams};

/// The number of discounts asked for (`[]` or `""`: none, i.e. remove all).
fn requested_discounts(discounts: Discounts) -> Result<usize, ApiError> {
    match discounts {
        Discounts::List(n) => Ok(n),
        Discounts::Missing => Err(ApiError::invalid(
            "discounts is required (a list, or \"\" to remove all discounts).",
        )),
        Discounts::Invalid => Err(ApiError::invalid(
            "discounts must be a list, or \"\" to remove all discounts.",
        )),
    }
}

/// The guide's `validate_discounts`: at most one discount.
fn validate_discounts(requested: usize, _session: &CheckoutSession) -> bool {
    requested <= 1
}

/// `POST /update-discounts`: `[]` removes the discount (written alone: no
/// discount is always allowed); one entry applies the policy's discount, with
/// the line items it was computed for.
pub(crate) async fn update_discounts(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<UpdateDiscountsRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let state = state.for_request();
    let id = required_session_id(body.checkout_session_id)?;
    let requested = requested_discounts(body.discounts)?;
    if !state.config.previews.discounts {
        return Err(ApiError::not_enabled(MSG_DISCOUNTS_OFF));
    }
    let cart = Cart::read(&state, &id, ApiError::discount).await?;
    if !validate_discounts(requested, &cart.session) {
        return Err(Refusal::InvalidDiscounts.into());
    }
    if requested == 0 {
        tracing::info!("removing discounts");
        let params = UpdateSessionParams {
            discounts: Some(Vec::new()),
            ..Default::default()
        };
        cart.write(&state, &params, ApiError::discount).await?;
    } else {
        cart.update(
            &state,
            DiscountChange::Apply,
            TrialChange::Follow,
            ApiError::discount,
        )
        .await?;
    }
    Ok(Json(UpdateReply::SUCCEEDED))
}

/// `POST /apply-customer-discount`: the policy's discount for the line items
/// the session holds, written with them; a refusal (200) when not eligible.
pub(crate) async fn apply_customer_discount(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<SessionRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let state = state.for_request();
    let id = required_session_id(body.checkout_session_id)?;
    if !state.config.previews.discounts {
        return Err(ApiError::not_enabled(MSG_DISCOUNTS_OFF));
    }
    let cart = Cart::read(&state, &id, ApiError::discount).await?;
    let Some(discount) = cart.policy_discount(&state).await? else {
        return Err(Refusal::NotEligible.into());
    };
    tracing::info!(
        amount_off = discount.amount_off,
        "applying customer discount"
    );
    cart.update(
        &state,
        DiscountChange::Apply,
        TrialChange::Follow,
        ApiError::discount,
    )
    .await?;
    Ok(Json(UpdateReply::SUCCEEDED))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn requested_discounts_shapes() {
        assert_eq!(requested_discounts(Discounts::List(0)).unwrap(), 0);
        assert_eq!(requested_discounts(Discounts::List(2)).unwrap(), 2);
        assert!(requested_discounts(Discounts::Invalid).is_err());
        assert!(requested_discounts(Discounts::Missing).is_err());
    }
}
