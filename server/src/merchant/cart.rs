//! A session's cart as read from Stripe, and the one kind of update the
//! merchant endpoints send: the line items, and of what the policies derive
//! from them only what the update changes (see the invariant in
//! [`crate::policy`]).

use std::collections::BTreeMap;

use super::error::ApiError;
use super::MerchantState;
use checkout_protocol::Refusal;

use crate::policy::{Customer, Discount, Order, PolicyError, ShippingAddress};
use crate::stripe_client::{
    CheckoutSession, CouponDataParam, DiscountParam, LineItemParam, PriceDataParam,
    ProductDataParam, StripeError, SubscriptionDataParam, UpdateSessionParams,
};

/// Refuses (400) to change a session that is not `open`.
pub(crate) fn require_open(session: &CheckoutSession) -> Result<(), ApiError> {
    match session.status.as_deref() {
        Some("open") | None => Ok(()),
        Some(status) => {
            tracing::info!(status, "refused to update a session that is not open");
            Err(Refusal::NotOpen.into())
        }
    }
}

/// One line of the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CartItem {
    /// The line item's id; `None` for a line item this update adds: by its
    /// `price` id, or, when `price` is empty, as an inline price
    /// (`price_data`) of `unit_amount` named `name` (an add-on).
    pub(crate) id: Option<String>,
    /// The price id (for a new line item; empty for an inline price).
    pub(crate) price: String,
    /// The line item's name (Stripe's `description`: its product's name).
    pub(crate) name: Option<String>,
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
    /// Who is buying (what the session was created with).
    pub(crate) customer: Customer,
    /// Where to ship: the address the session holds, or the one this update
    /// writes (`/calculate-shipping-options`).
    pub(crate) shipping_address: Option<ShippingAddress>,
}

/// The metadata key under which the server remembers the trial it wrote
/// (days; absent: none). Stripe's server-side Checkout Session does not show
/// the trial (`subscription_data` is an update parameter, not a session
/// field: stripe-node's `Checkout.Session` type), and the trials guide says a
/// trial is removed "with the same field that it was set with"; so the
/// trial and this key are written together, in one update, and read back
/// from the session's `metadata`.
pub const TRIAL_METADATA_KEY: &str = "checkout_trial_period_days";

/// What an update does to the discount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiscountChange {
    /// Keep it true to the written line items: when the session has a
    /// discount, write the policy's for them (`discounts=` when none);
    /// when it has none, send nothing about discounts.
    Follow,
    /// Write the policy's discount for the written line items.
    Apply,
}

/// What an update does to the trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TrialChange {
    /// Keep it true to the written plan: when the session has a trial that
    /// the policy does not give the plan, write the policy's (or remove it);
    /// otherwise send nothing about trials.
    Follow,
    /// The plan's interval changes: remove the trial when the session has
    /// one (a trial is offered per plan); send nothing when it has none.
    RemoveIfAny,
    /// Write the policy's trial for the written plan (remove it when none).
    FromPolicy,
}

impl Cart {
    /// Reads an open session with its line items (and, in a shop that
    /// ships, its shipping options' rates, to compare them by name and
    /// delivery estimate too); a Stripe failure becomes `on_error`'s answer.
    pub(crate) async fn read(
        state: &MerchantState,
        id: &str,
        on_error: fn(StripeError) -> ApiError,
    ) -> Result<Self, ApiError> {
        let expand: &[&str] = if state.config.catalogue.shipping.is_some() {
            &["line_items", "shipping_options.shipping_rate"]
        } else {
            &["line_items"]
        };
        let session = state
            .stripe
            .retrieve_session(id, expand)
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
                    name: li.description.clone(),
                    unit_amount: price.and_then(|p| p.unit_amount).unwrap_or(0),
                    interval: price
                        .and_then(|p| p.recurring.as_ref())
                        .map(|r| r.interval.clone()),
                    quantity: li.quantity.unwrap_or(1),
                }
            })
            .collect();
        let customer = Customer::of(&session);
        let shipping_address = ShippingAddress::of(&session);
        Ok(Self {
            session,
            items,
            customer,
            shipping_address,
        })
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

    /// These line items, for the customer, as the policies see them.
    pub(crate) fn order(&self) -> Order<'_> {
        order_of(
            &self.session,
            self.interval(),
            self.subtotal(),
            &self.customer,
        )
    }

    /// The discount policy's discount for these line items, if eligible.
    pub(crate) async fn policy_discount(
        &self,
        state: &MerchantState,
    ) -> Result<Option<Discount>, ApiError> {
        state
            .policy
            .discount_for(&self.order())
            .await
            .map_err(policy_failed)
    }

    /// The trial the trial policy allows these line items.
    pub(crate) async fn policy_trial(
        &self,
        state: &MerchantState,
    ) -> Result<Option<u32>, ApiError> {
        state
            .trials
            .trial_days(&self.order())
            .await
            .map_err(policy_failed)
    }

    /// The trial the server wrote on this session (its metadata), if any.
    pub(crate) fn trial_marker(&self) -> Option<u32> {
        trial_marker(&self.session)
    }

    /// The one update that writes this cart: every line item (kept ones by
    /// id, with their quantity; new ones by price, or by `price_data` in
    /// the catalogue's currency), plus exactly what the policies derive from
    /// them and this update changes — the discount as `discount` says, the
    /// trial as `trial` says, the shipping address and options as
    /// [`super::shipping_options::write`] says. What is not needed is not
    /// sent: no `discounts` on a session that has none and gets none, no
    /// trial field (nor the preview API version it needs) on a session that
    /// has no trial and gets none, nothing of a preview that is off, and
    /// nothing about shipping that does not change.
    pub(crate) async fn params(
        &self,
        state: &MerchantState,
        discount: DiscountChange,
        trial: TrialChange,
    ) -> Result<UpdateSessionParams, ApiError> {
        let previews = state.config.previews;
        let line_items = self
            .items
            .iter()
            .map(|item| match &item.id {
                Some(id) => LineItemParam::kept(id, item.quantity),
                None if item.price.is_empty() => LineItemParam {
                    price_data: Some(PriceDataParam {
                        currency: state.config.catalogue.currency.clone(),
                        unit_amount: item.unit_amount,
                        product_data: ProductDataParam {
                            name: item.name.clone().unwrap_or_default(),
                        },
                    }),
                    quantity: Some(item.quantity),
                    ..LineItemParam::default()
                },
                None => LineItemParam::price(&item.price, item.quantity),
            })
            .collect();
        let write_discount = previews.discounts
            && match discount {
                DiscountChange::Apply => true,
                DiscountChange::Follow => self.has_discount(),
            };
        let discounts = if write_discount {
            Some(
                self.policy_discount(state)
                    .await?
                    .map(|d| vec![coupon_data(d)])
                    .unwrap_or_default(),
            )
        } else {
            None
        };
        let marker = self.trial_marker();
        let trial_days = if previews.trials && self.is_subscription() {
            match (trial, marker) {
                (TrialChange::FromPolicy, _) => Some(self.policy_trial(state).await?),
                (TrialChange::RemoveIfAny, marker) => marker.map(|_| None),
                (TrialChange::Follow, None) => None,
                (TrialChange::Follow, Some(days)) => {
                    let allowed = self.policy_trial(state).await?;
                    (allowed != Some(days)).then_some(allowed)
                }
            }
        } else {
            None
        };
        let mut metadata = BTreeMap::new();
        if let Some(days) = trial_days {
            metadata.insert(
                TRIAL_METADATA_KEY.to_owned(),
                days.map(|d| d.to_string()).unwrap_or_default(),
            );
        }
        let shipping = super::shipping_options::write(state, self).await?;
        tracing::info!(
            subtotal = self.subtotal(),
            discounts = ?discounts.as_ref().map(Vec::len),
            trial = ?trial_days,
            shipping_address = shipping.collected_information.is_some(),
            shipping_options = ?shipping.shipping_options.as_ref().map(Vec::len),
            "writing the cart"
        );
        Ok(UpdateSessionParams {
            line_items: Some(line_items),
            discounts,
            subscription_data: trial_days.map(|days| SubscriptionDataParam {
                trial_period_days: Some(days),
            }),
            metadata,
            collected_information: shipping.collected_information,
            shipping_options: shipping.shipping_options,
        })
    }

    /// Writes this cart ([`Cart::params`]), then makes sure the session it
    /// left holds what the policies allow ([`super::consistency`]).
    pub(crate) async fn update(
        &self,
        state: &MerchantState,
        discount: DiscountChange,
        trial: TrialChange,
        on_error: fn(StripeError) -> ApiError,
    ) -> Result<(), ApiError> {
        let params = self.params(state, discount, trial).await?;
        let after = self.write(state, &params, on_error).await?;
        super::consistency::settle(state, self, &after).await;
        Ok(())
    }

    /// Sends `params` to the session; the session as Stripe answers it. A
    /// refusal naming a line item means a
    /// concurrent update replaced the line items this one was computed for:
    /// 409 [`Refusal::CartChanged`], nothing written. Any other Stripe
    /// failure becomes `on_error`'s answer.
    pub(crate) async fn write(
        &self,
        state: &MerchantState,
        params: &UpdateSessionParams,
        on_error: fn(StripeError) -> ApiError,
    ) -> Result<CheckoutSession, ApiError> {
        match state.stripe.update_session(&self.session.id, params).await {
            Ok(session) => Ok(session),
            Err(e) if is_line_item_gone(&e) => {
                tracing::info!("the line items changed since they were read; nothing written");
                Err(Refusal::CartChanged.into())
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

/// The order the policies see: `session`'s, with the line items an update
/// would leave (`interval`, `subtotal`), for `customer`.
pub(crate) fn order_of<'a>(
    session: &'a CheckoutSession,
    interval: Option<&'a str>,
    subtotal: i64,
    customer: &'a Customer,
) -> Order<'a> {
    Order {
        session_id: &session.id,
        mode: session.mode.as_deref().unwrap_or_default(),
        currency: session.currency.as_deref().unwrap_or("usd"),
        interval,
        subtotal,
        customer,
    }
}

/// A policy that could not decide: 503 "try again", nothing written.
#[allow(clippy::needless_pass_by_value)] // used as `map_err(policy_failed)`
pub(crate) fn policy_failed(error: PolicyError) -> ApiError {
    tracing::error!(error = %error, "a policy could not decide; nothing written");
    Refusal::TryAgain.into()
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

/// The trial the server wrote on `session` ([`TRIAL_METADATA_KEY`]), if any.
pub(crate) fn trial_marker(session: &CheckoutSession) -> Option<u32> {
    session
        .metadata
        .as_ref()
        .and_then(|m| m.get(TRIAL_METADATA_KEY))
        .and_then(|days| days.parse().ok())
}
