//! `POST /webhook`: Stripe's event deliveries.
//!
//! The signature is checked on the raw body before anything else
//! ([`crate::webhook_signature`]: 5-minute tolerance, constant-time
//! comparison, any of several `v1` values); a bad one answers 400 and changes
//! nothing. From a verified event only its id, type and session id are
//! read: a paid session is fulfilled by [`super::fulfil::fulfil_checkout`],
//! which asks Stripe, not the event, what was paid. An event id already
//! handled ([`crate::store`]) is acknowledged and ignored (Stripe delivers at
//! least once); one that fails answers 500, so that Stripe delivers it again.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ApiError;
use super::fulfil::{fulfil_checkout, FulfilError, Fulfilled};
use super::ids::is_valid_session_id;
use super::MerchantState;
use crate::fulfillment::unix_now;
use crate::webhook_signature::{verify, DEFAULT_TOLERANCE_SECS, SIGNATURE_HEADER};

/// Largest webhook body, declared or sent chunked: Stripe's events are a few
/// KiB, but a session's event embeds its object (metadata, custom fields),
/// so the limit leaves a wide margin. The app's early-413 guard uses it for
/// this route ([`super::body_limit_of`]).
pub const WEBHOOK_BODY_LIMIT: usize = 1024 * 1024;

/// The message of every refused delivery (the reason goes to the log).
pub const MSG_BAD_SIGNATURE: &str = "Webhook signature verification failed.";

/// The event types the merchant acts on.
pub const HANDLED_EVENTS: [&str; 3] = [
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.expired",
];

#[derive(Debug, Deserialize)]
struct EventIn {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: DataIn,
}

#[derive(Debug, Deserialize)]
struct DataIn {
    object: ObjectIn,
}

#[derive(Debug, Deserialize)]
struct ObjectIn {
    #[serde(default)]
    id: String,
}

/// `POST /webhook`.
pub(crate) async fn webhook(
    State(state): State<MerchantState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body = body.map_err(|rejection| {
        tracing::info!(rejection = %rejection.body_text(), "webhook body refused");
        ApiError::invalid_with_status(rejection.status(), "The webhook body could not be read.")
    })?;
    let Some(secret) = state.config.webhook_secret.as_ref() else {
        tracing::error!(
            "a webhook arrived but no signing secret is configured (STRIPE_WEBHOOK_SECRET)"
        );
        return Err(ApiError::invalid_with_status(
            StatusCode::SERVICE_UNAVAILABLE,
            "Webhooks are not configured on this server.",
        ));
    };
    let header = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    if let Err(why) = verify(&body, header, secret, DEFAULT_TOLERANCE_SECS, unix_now()) {
        tracing::warn!(reason = %why, "webhook refused: bad signature");
        return Err(ApiError::invalid(MSG_BAD_SIGNATURE));
    }
    let event: EventIn = serde_json::from_slice(&body).map_err(|e| {
        tracing::warn!(error = %e, "webhook refused: not an event");
        ApiError::invalid("The webhook body is not a Stripe event.")
    })?;
    if !HANDLED_EVENTS.contains(&event.kind.as_str()) {
        tracing::info!(event_id = %event.id, kind = %event.kind, "webhook: event type not handled");
        return Ok(Json(json!({"received": true})));
    }
    let session_id = event.data.object.id.as_str();
    if !is_valid_session_id(session_id) {
        tracing::warn!(event_id = %event.id, "webhook refused: no Checkout Session id");
        return Err(ApiError::invalid("The event has no Checkout Session."));
    }
    if state
        .store
        .event_handled(&event.id)
        .await
        .map_err(store_failed)?
    {
        tracing::info!(event_id = %event.id, "webhook: event already handled, ignored");
        return Ok(Json(json!({"received": true, "duplicate": true})));
    }
    handle(&state, &event, session_id).await?;
    state
        .store
        .record_event(&event.id, &event.kind, Some(session_id), unix_now())
        .await
        .map_err(store_failed)?;
    Ok(Json(json!({"received": true})))
}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(store_failed)`
fn store_failed(e: crate::store::StoreError) -> ApiError {
    tracing::error!(error = %e, "webhook: the order store failed");
    ApiError::internal()
}

async fn handle(state: &MerchantState, event: &EventIn, session_id: &str) -> Result<(), ApiError> {
    if event.kind == "checkout.session.expired" {
        state
            .fulfillment
            .session_expired(session_id)
            .await
            .map_err(|e| {
                tracing::error!(event_id = %event.id, session_id, error = %e, "releasing an expired session failed");
                ApiError::internal()
            })?;
        tracing::info!(event_id = %event.id, session_id, "webhook: session expired");
        return Ok(());
    }
    match fulfil_checkout(state, session_id, &event.id).await {
        Ok(Fulfilled::Now(_)) => {}
        Ok(Fulfilled::Before(_)) => {
            tracing::info!(event_id = %event.id, session_id, "webhook: already fulfilled");
        }
        Ok(Fulfilled::NotPaid(status)) => {
            // A delayed payment method: fulfilled on async_payment_succeeded
            // (or when the customer returns and it has succeeded).
            tracing::info!(event_id = %event.id, session_id, payment_status = %status, "webhook: not paid yet");
        }
        Err(FulfilError::Stripe(e)) if e.is_client_error() && !e.is_transient() => {
            tracing::error!(event_id = %event.id, session_id, error = %e, "webhook: Stripe refused to retrieve the event's session; not fulfilled");
            return Err(ApiError::invalid(
                "The event's Checkout Session could not be retrieved from Stripe.",
            ));
        }
        Err(e) => {
            tracing::error!(event_id = %event.id, session_id, error = %e, "fulfilment failed");
            return Err(ApiError::internal());
        }
    }
    Ok(())
}
