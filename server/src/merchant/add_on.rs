//! `POST /update-add-on`: adds or removes one of the catalogue's add-ons
//! (Stripe's "Dynamically update line items" guide, for a one-time extra),
//! at the catalogue's amount, never the page's: a line item of its own with
//! `price_data` (the catalogue's currency, the add-on's amount, its name as
//! the product's name) and quantity 1; the other line items kept by id. The
//! add-on's line item is recognised by its name (Stripe's line item
//! `description`: the product's name), which the catalogue keeps unique
//! among products and add-ons. Selecting an add-on the cart has, or removing
//! one it has not, writes nothing. The discount and shipping options follow
//! the new cart in the same update ([`Cart::update`]).

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{AddOnRequest, UpdateReply};

use super::cart::{Cart, CartItem, DiscountChange, TrialChange};
use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::required_session_id;
use super::messages::MSG_SELECTED_REQUIRED;
use super::MerchantState;

/// `POST /update-add-on` → `{"type":"success"}`.
pub(crate) async fn update_add_on(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<AddOnRequest>,
) -> Result<Json<UpdateReply>, ApiError> {
    let state = state.for_request();
    let id = required_session_id(body.checkout_session_id)?;
    let catalogue = state.config.catalogue.clone();
    let offered = || {
        let ids: Vec<String> = catalogue
            .add_ons
            .iter()
            .map(|a| format!("\"{}\"", a.id))
            .collect();
        if ids.is_empty() {
            "This shop has no add-ons.".to_owned()
        } else {
            format!("add_on must be one of {}.", ids.join(", "))
        }
    };
    let add_on = match body.add_on.as_deref() {
        None => {
            return Err(ApiError::invalid(format!(
                "add_on is required. {}",
                offered()
            )))
        }
        Some(name) => catalogue
            .add_on(name)
            .ok_or_else(|| ApiError::invalid(offered()))?,
    };
    let selected = body
        .selected
        .ok_or_else(|| ApiError::invalid(MSG_SELECTED_REQUIRED))?;
    let mut cart = Cart::read(&state, &id, ApiError::from).await?;
    let held = cart
        .items
        .iter()
        .position(|item| item.name.as_deref() == Some(add_on.name.as_str()));
    match (selected, held) {
        (true, Some(_)) | (false, None) => {
            tracing::info!(selected, "the cart already is as asked; nothing written");
            return Ok(Json(UpdateReply::Success));
        }
        (true, None) => cart.items.push(CartItem {
            id: None,
            price: String::new(),
            name: Some(add_on.name.clone()),
            unit_amount: add_on.amount,
            interval: None,
            quantity: 1,
        }),
        (false, Some(index)) => {
            cart.items.remove(index);
        }
    }
    tracing::info!(selected, "updating an add-on");
    cart.update(
        &state,
        DiscountChange::Follow,
        TrialChange::Follow,
        ApiError::from,
    )
    .await?;
    Ok(Json(UpdateReply::Success))
}
