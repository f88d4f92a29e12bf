//! `POST /order-status` `{checkout_session_id}` → `{status, amountTotal?, currency?}`:
//! the fulfilment record of a session, as the webhook left it. The page asks
//! after paying and shows "Order confirmed" once the status is `fulfilled`.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{OrderStatusReply, SessionRequest};

use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::session_id;
use super::messages::MSG_SESSION_REQUIRED;
use super::MerchantState;

/// `POST /order-status`.
pub(crate) async fn order_status(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<SessionRequest>,
) -> Result<Json<OrderStatusReply>, ApiError> {
    let id = session_id(
        body.checkout_session_id,
        ApiError::invalid(MSG_SESSION_REQUIRED),
    )?;
    let reply = match state.fulfillment.order(&id).await {
        Some(record) => OrderStatusReply {
            status: "fulfilled".to_owned(),
            amount_total: record.amount_total,
            currency: record.currency,
        },
        None => OrderStatusReply {
            status: "pending".to_owned(),
            amount_total: None,
            currency: None,
        },
    };
    Ok(Json(reply))
}
