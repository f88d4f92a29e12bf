//! `POST /order-status` `{checkout_session_id}` → `{status, amountTotal?, currency?}`:
//! the customer's return. It runs the webhook's fulfilment
//! ([`super::fulfil::fulfil_checkout`]): webhooks can be late, so a paid
//! session is fulfilled here when its event has not arrived yet (Stripe's
//! "Fulfill orders" guide). `fulfilled` once the order is recorded,
//! `pending` while the session is not paid.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use checkout_protocol::bodies::{OrderStatusReply, SessionRequest};

use super::error::ApiError;
use super::extract::ApiJson;
use super::fulfil::{fulfil_checkout, FulfilError, Fulfilled};
use super::ids::session_id;
use super::messages::MSG_SESSION_REQUIRED;
use super::MerchantState;

/// The source of an order fulfilled on the customer's return.
pub const RETURN_SOURCE: &str = "return";

/// `POST /order-status`.
pub(crate) async fn order_status(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<SessionRequest>,
) -> Result<Json<OrderStatusReply>, ApiError> {
    let id = session_id(
        body.checkout_session_id,
        ApiError::invalid(MSG_SESSION_REQUIRED),
    )?;
    let state = state.for_request();
    let reply = match fulfil_checkout(&state, &id, RETURN_SOURCE).await {
        Ok(Fulfilled::Now(record) | Fulfilled::Before(record)) => OrderStatusReply {
            status: "fulfilled".to_owned(),
            amount_total: record.amount_total,
            currency: record.currency,
        },
        Ok(Fulfilled::NotPaid(_)) => OrderStatusReply {
            status: "pending".to_owned(),
            amount_total: None,
            currency: None,
        },
        Err(FulfilError::Stripe(e)) => return Err(e.into()),
        Err(e) => {
            tracing::error!(session_id = %id, error = %e, "fulfilment on return failed");
            return Err(ApiError::with_status(
                checkout_protocol::Refusal::TryAgain,
                StatusCode::SERVICE_UNAVAILABLE,
            ));
        }
    };
    Ok(Json(reply))
}
