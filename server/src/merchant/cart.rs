//! Reading a session's cart from Stripe and deciding the discount it deserves.

use super::error::ApiError;
use super::messages::MSG_NOT_OPEN;
use super::MerchantState;
use crate::discount::Discount;
use crate::stripe_client::{CheckoutSession, CouponDataParam, DiscountParam, LineItem};

/// Refuses (400) to change a session that is not `open`.
pub(crate) fn require_open(session: &CheckoutSession) -> Result<(), ApiError> {
    match session.status.as_deref() {
        Some("open") | None => Ok(()),
        Some(status) => {
            tracing::info!(status, "refused to update a session that is not open");
            Err(ApiError::bad_request(MSG_NOT_OPEN))
        }
    }
}

/// Retrieves an open session with `expand[]=line_items`.
pub(crate) async fn open_session_with_items(
    state: &MerchantState,
    id: &str,
) -> Result<CheckoutSession, ApiError> {
    let session = state.stripe.retrieve_session(id, &["line_items"]).await?;
    require_open(&session)?;
    Ok(session)
}

/// The (complete) line items of a session retrieved with `expand[]=line_items`.
pub(crate) fn line_items_of(session: &CheckoutSession) -> Result<&[LineItem], ApiError> {
    match &session.line_items {
        Some(list) if !list.has_more => Ok(&list.data),
        Some(_) => {
            tracing::error!(
                "the session has more line items than one page; refusing to rewrite them"
            );
            Err(ApiError::internal())
        }
        None => {
            tracing::error!("Stripe did not expand line_items");
            Err(ApiError::internal())
        }
    }
}

/// Whether the session carries a discount now.
pub(crate) fn has_discount(session: &CheckoutSession) -> bool {
    session.discounts.as_ref().is_some_and(|d| !d.is_empty())
        || session
            .total_details
            .as_ref()
            .is_some_and(|t| t.amount_discount > 0)
}

/// The policy's discounts for `session` if its subtotal became `subtotal`
/// (`[]`, i.e. removal, when no longer eligible).
pub(crate) fn policy_discounts(
    state: &MerchantState,
    session: &CheckoutSession,
    subtotal: i64,
) -> Vec<DiscountParam> {
    let would_be = CheckoutSession {
        id: session.id.clone(),
        mode: session.mode.clone(),
        currency: session.currency.clone(),
        amount_subtotal: Some(subtotal),
        amount_total: Some(subtotal),
        ..Default::default()
    };
    let discounts: Vec<DiscountParam> = state
        .policy
        .discount_for(&would_be)
        .map(|d| vec![coupon_data(d)])
        .unwrap_or_default();
    tracing::info!(
        subtotal,
        discounts = discounts.len(),
        "discount recomputed for the new cart"
    );
    discounts
}

/// An ad-hoc coupon (`coupon_data`) for `d`.
pub(crate) fn coupon_data(d: Discount) -> DiscountParam {
    DiscountParam {
        coupon: None,
        coupon_data: Some(CouponDataParam {
            name: Some(d.name),
            amount_off: Some(d.amount_off),
            currency: Some(d.currency),
            ..Default::default()
        }),
    }
}
