//! `POST /update-discounts` (Stripe's guide: validate → recompute → update)
//! and `POST /apply-customer-discount` (the policy's discount, if eligible).
//! A business-rule refusal answers 200 `{"type":"error","message":…}`, as the
//! guide's server does.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{Discounts, SessionRequest, UpdateDiscountsRequest, UpdateReply};

use super::cart::{coupon_data, require_open};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::required_session_id;
use super::messages::{MSG_INVALID_DISCOUNTS, MSG_NOT_ELIGIBLE};
use super::MerchantState;
use crate::discount::DiscountPolicy;
use crate::stripe_client::{CheckoutSession, DiscountParam, UpdateSessionParams};

/// The number of discounts asked for (`[]` or `""`: none, i.e. remove all).
fn requested_discounts(discounts: Discounts) -> Result<usize, ApiError> {
    match discounts {
        Discounts::List(n) => Ok(n),
        Discounts::Missing => Err(ApiError::bad_request(
            "discounts is required (a list, or \"\" to remove all discounts).",
        )),
        Discounts::Invalid => Err(ApiError::bad_request(
            "discounts must be a list, or \"\" to remove all discounts.",
        )),
    }
}

/// The guide's `validate_discounts`: at most one discount.
fn validate_discounts(requested: usize, _session: &CheckoutSession) -> bool {
    requested <= 1
}

/// The guide's `recompute_discounts`, with the policy as `calculate_customer_discount`.
fn recompute_discounts(
    requested: usize,
    session: &CheckoutSession,
    policy: &dyn DiscountPolicy,
) -> Vec<DiscountParam> {
    if requested == 0 {
        return Vec::new();
    }
    policy
        .discount_for(session)
        .map(|d| vec![coupon_data(d)])
        .unwrap_or_default()
}

/// `POST /update-discounts`.
pub(crate) async fn update_discounts(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<UpdateDiscountsRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let id = required_session_id(body.checkout_session_id)?;
    let requested = requested_discounts(body.discounts)?;
    let session = state
        .stripe
        .retrieve_session(&id, &[])
        .await
        .map_err(ApiError::discount)?;
    require_open(&session)?;
    if !validate_discounts(requested, &session) {
        return Ok(Json(UpdateReply::Error {
            message: MSG_INVALID_DISCOUNTS.to_owned(),
        }));
    }
    let discounts = recompute_discounts(requested, &session, state.policy.as_ref());
    tracing::info!(discounts = discounts.len(), "updating discounts");
    let params = UpdateSessionParams {
        discounts: Some(discounts),
        ..Default::default()
    };
    state
        .stripe
        .update_session(&id, &params)
        .await
        .map_err(ApiError::discount)?;
    Ok(Json(UpdateReply::SUCCEEDED))
}

/// `POST /apply-customer-discount`.
pub(crate) async fn apply_customer_discount(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<SessionRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let id = required_session_id(body.checkout_session_id)?;
    let session = state
        .stripe
        .retrieve_session(&id, &[])
        .await
        .map_err(ApiError::discount)?;
    require_open(&session)?;
    let Some(discount) = state.policy.discount_for(&session) else {
        return Ok(Json(UpdateReply::Error {
            message: MSG_NOT_ELIGIBLE.to_owned(),
        }));
    };
    tracing::info!(
        amount_off = discount.amount_off,
        "applying customer discount"
    );
    let params = UpdateSessionParams {
        discounts: Some(vec![coupon_data(discount)]),
        ..Default::default()
    };
    state
        .stripe
        .update_session(&id, &params)
        .await
        .map_err(ApiError::discount)?;
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
