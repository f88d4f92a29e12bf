//! `POST /change-subscription-interval`: moves the plan to another interval
//! of the catalogue (`monthly`, `quarterly`, `yearly`, …), keeping the
//! quantities: every recurring line item becomes its product's price at that
//! interval; one-time items stay. One update writes the new line items and,
//! only when the session has them, the discount the policy gives them and
//! the trial's removal (a trial is offered per plan; the customer adds it
//! again on the new plan). On the guides' session it is the guide's call:
//! `line_items` alone.

use axum::extract::State;
use axum::Json;
use checkout_catalogue::Interval;
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
    let catalogue = state.config.catalogue.clone();
    let offered = || {
        catalogue
            .intervals()
            .iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let interval = match body.interval.as_deref() {
        None => return Err(Refusal::BadRequest.into()),
        Some(name) => Interval::parse(name)
            .filter(|i| catalogue.intervals().contains(i))
            .ok_or_else(|| ApiError::invalid(format!("interval must be one of {}.", offered())))?,
    };
    let mut cart = Cart::read(&state, &id, ApiError::from).await?;
    for item in &mut cart.items {
        let Some((product, _)) = catalogue.price(&item.price) else {
            continue;
        };
        if !product.is_recurring() {
            continue;
        }
        let Some(target) = product.price_at(interval) else {
            return Err(ApiError::invalid(format!(
                "{} is not offered {interval}.",
                product.name
            )));
        };
        if target.price == item.price {
            continue;
        }
        // The plan's amount and interval decide the discount and the trial
        // it may have; read from Stripe once per process (a Price cannot
        // change them).
        let price = state.prices.get(&state.stripe, &target.price).await?;
        *item = CartItem {
            id: None,
            price: target.price.clone(),
            name: None,
            unit_amount: price.unit_amount.unwrap_or(0),
            interval: price.recurring.map(|r| r.interval),
            quantity: item.quantity,
        };
    }
    cart.update(
        &state,
        DiscountChange::Follow,
        TrialChange::RemoveIfAny,
        ApiError::from,
    )
    .await?;
    Ok(Json(UpdateReply::Success))
}
