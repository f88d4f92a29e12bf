//! A session's cart as read from Stripe, and the one kind of update the
//! merchant endpoints send: a consistent snapshot of the line items and of
//! everything the policies derive from them (see the invariant in
//! [`crate::policy`]).

use super::error::ApiError;
use super::messages::{MSG_CART_CHANGED, MSG_NOT_OPEN};
use super::MerchantState;
use crate::policy::{Discount, Plan};
use crate::stripe_client::{
    CheckoutSession, CouponDataParam, DiscountParam, LineItemParam, StripeError,
    SubscriptionDataParam, UpdateSessionParams,
};

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

/// One line of the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CartItem {
    /// The line item's id; `None` for a line item this update adds.
    pub(crate) id: Option<String>,
    /// The price id (for a new line item).
    pub(crate) price: String,
    /// Unit amount, minor units.
    pub(crate) unit_amount: i64,
    /// The price's recurring interval, if any.
    pub(crate) interval: Option<String>,
    /// Quantity.
    pub(crate) quantity: u64,
}

impl CartItem {
    fn subtotal(&self) -> i64 {
        self.unit_amount
            .saturating_mul(i64::try_from(self.quantity).unwrap_or(i64::MAX))
    }
}

/// An open session's cart: its line items (complete) and whether it holds a
/// discount now.
#[derive(Debug, Clone)]
pub(crate) struct Cart {
    /// The session as read.
    pub(crate) session: CheckoutSession,
    /// Its line items, in order.
    pub(crate) items: Vec<CartItem>,
}

/// What an update does to the trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TrialChange {
    /// Leave it: the update pins the line items by id, so the plan it was
    /// allowed for is unchanged.
    Keep,
    /// Set it to the policy's trial for the written plan (removed when none).
    FromPolicy,
    /// Remove it (the plan's interval changes).
    Remove,
}

impl Cart {
    /// Reads an open session with its line items; a Stripe failure becomes
    /// `on_error`'s answer.
    pub(crate) async fn read(
        state: &MerchantState,
        id: &str,
        on_error: fn(StripeError) -> ApiError,
    ) -> Result<Self, ApiError> {
        let session = state
            .stripe
            .retrieve_session(id, &["line_items"])
            .await
            .map_err(on_error)?;
        Self::from_session(session)
    }

    /// The cart of `session` (retrieved with `expand[]=line_items`), if open.
    pub(crate) fn from_session(session: CheckoutSession) -> Result<Self, ApiError> {
        require_open(&session)?;
        let list = match &session.line_items {
            Some(list) if !list.has_more => list,
            Some(_) => {
                tracing::error!(
                    "the session has more line items than one page; refusing to rewrite them"
                );
                return Err(ApiError::internal());
            }
            None => {
                tracing::error!("Stripe did not expand line_items");
                return Err(ApiError::internal());
            }
        };
        let items = list
            .data
            .iter()
            .map(|li| {
                let price = li.price.as_ref();
                CartItem {
                    id: Some(li.id.clone()),
                    price: price.map(|p| p.id.clone()).unwrap_or_default(),
                    unit_amount: price.and_then(|p| p.unit_amount).unwrap_or(0),
                    interval: price
                        .and_then(|p| p.recurring.as_ref())
                        .map(|r| r.interval.clone()),
                    quantity: li.quantity.unwrap_or(1),
                }
            })
            .collect();
        Ok(Self { session, items })
    }

    /// Σ unit amount × quantity.
    pub(crate) fn subtotal(&self) -> i64 {
        self.items
            .iter()
            .fold(0i64, |sum, item| sum.saturating_add(item.subtotal()))
    }

    /// The plan's recurring interval (the first recurring line item's).
    pub(crate) fn interval(&self) -> Option<&str> {
        self.items.iter().find_map(|item| item.interval.as_deref())
    }

    /// Whether the session holds a discount now.
    pub(crate) fn has_discount(&self) -> bool {
        let s = &self.session;
        s.discounts.as_ref().is_some_and(|d| !d.is_empty())
            || s.total_details
                .as_ref()
                .is_some_and(|t| t.amount_discount > 0)
    }

    /// Whether the session is a subscription.
    pub(crate) fn is_subscription(&self) -> bool {
        self.session.mode.as_deref() == Some("subscription")
    }

    /// The discount policy's discount for these line items, if eligible.
    pub(crate) fn policy_discount(&self, state: &MerchantState) -> Option<Discount> {
        let subtotal = self.subtotal();
        let would_be = CheckoutSession {
            id: self.session.id.clone(),
            mode: self.session.mode.clone(),
            currency: self.session.currency.clone(),
            amount_subtotal: Some(subtotal),
            amount_total: Some(subtotal),
            ..Default::default()
        };
        state.policy.discount_for(&would_be)
    }

    /// The trial the trial policy allows these line items.
    pub(crate) fn policy_trial(&self, state: &MerchantState) -> Option<u32> {
        state.trials.trial_days(&Plan {
            interval: self.interval(),
            subtotal: self.subtotal(),
        })
    }

    /// The one update that writes this cart as a consistent snapshot: every
    /// line item (kept ones by id, with their quantity; new ones by price),
    /// the discount the policy gives them when `discount` (else none), and the
    /// trial as `trial` says.
    pub(crate) fn snapshot(
        &self,
        state: &MerchantState,
        discount: bool,
        trial: TrialChange,
    ) -> UpdateSessionParams {
        let line_items = self
            .items
            .iter()
            .map(|item| match &item.id {
                Some(id) => LineItemParam {
                    id: Some(id.clone()),
                    price: None,
                    quantity: Some(item.quantity),
                },
                None => LineItemParam::price(&item.price, item.quantity),
            })
            .collect();
        let discounts: Vec<DiscountParam> = if discount {
            self.policy_discount(state)
                .map(|d| vec![coupon_data(d)])
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let trial_period_days = match trial {
            TrialChange::Keep => None,
            _ if !self.is_subscription() => None,
            TrialChange::FromPolicy => Some(self.policy_trial(state)),
            TrialChange::Remove => Some(None),
        };
        tracing::info!(
            subtotal = self.subtotal(),
            discounts = discounts.len(),
            trial = ?trial_period_days,
            "writing the cart"
        );
        UpdateSessionParams {
            line_items: Some(line_items),
            discounts: Some(discounts),
            subscription_data: trial_period_days.map(|days| SubscriptionDataParam {
                trial_period_days: Some(days),
            }),
            ..Default::default()
        }
    }

    /// Sends `params` to the session. A refusal naming a line item means a
    /// concurrent update replaced the line items this one was computed for:
    /// 409 with [`MSG_CART_CHANGED`], nothing written. Any other Stripe
    /// failure becomes `on_error`'s answer.
    pub(crate) async fn write(
        &self,
        state: &MerchantState,
        params: &UpdateSessionParams,
        on_error: fn(StripeError) -> ApiError,
    ) -> Result<(), ApiError> {
        match state.stripe.update_session(&self.session.id, params).await {
            Ok(_) => Ok(()),
            Err(e) if is_line_item_gone(&e) => {
                tracing::info!("the line items changed since they were read; nothing written");
                Err(ApiError::new(
                    axum::http::StatusCode::CONFLICT,
                    MSG_CART_CHANGED,
                ))
            }
            Err(e) => Err(on_error(e)),
        }
    }
}

/// Whether Stripe refused an update because a line item id it names is not on
/// the session (any more).
fn is_line_item_gone(err: &StripeError) -> bool {
    matches!(err, StripeError::Api { status: 400 | 404, code: Some(code), param: Some(param), .. }
        if code == "resource_missing" && param.starts_with("line_items"))
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
