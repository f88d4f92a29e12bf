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

/// `POST /webhook`: [`deliver`], counted in `webhook_events_total`.
pub(crate) async fn webhook(
    State(state): State<MerchantState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let mut kind = "other";
    let (result, answer) = deliver(&state, &headers, body, &mut kind).await;
    crate::metrics::webhook_event(kind, result);
    answer
}

/// Handles one delivery; says what became of it (the metric's `result`)
/// and sets `kind` to its type when it is one of [`HANDLED_EVENTS`].
async fn deliver(
    state: &MerchantState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    kind: &mut &'static str,
) -> (&'static str, Result<Json<Value>, ApiError>) {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            tracing::info!(rejection = %rejection.body_text(), "webhook body refused");
            return (
                "unreadable",
                Err(ApiError::invalid_with_status(
                    rejection.status(),
                    "The webhook body could not be read.",
                )),
            );
        }
    };
    let Some(secret) = state.config.webhook_secret.as_ref() else {
        tracing::error!(
            "a webhook arrived but no signing secret is configured (STRIPE_WEBHOOK_SECRET)"
        );
        return (
            "not_configured",
            Err(ApiError::invalid_with_status(
                StatusCode::SERVICE_UNAVAILABLE,
                "Webhooks are not configured on this server.",
            )),
        );
    };
    let header = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    if let Err(why) = verify(&body, header, secret, DEFAULT_TOLERANCE_SECS, unix_now()) {
        tracing::warn!(reason = %why, "webhook refused: bad signature");
        return ("bad_signature", Err(ApiError::invalid(MSG_BAD_SIGNATURE)));
    }
    let event: EventIn = match serde_json::from_slice(&body) {
        Ok(event) => event,
        Err(e) => {
            tracing::warn!(error = %e, "webhook refused: not an event");
            return (
                "not_an_event",
                Err(ApiError::invalid("The webhook body is not a Stripe event.")),
            );
        }
    };
    let Some(handled) = HANDLED_EVENTS.iter().find(|k| **k == event.kind) else {
        tracing::info!(event_id = %event.id, kind = %event.kind, "webhook: event type not handled");
        return ("ignored", Ok(Json(json!({"received": true}))));
    };
    *kind = handled;
    let session_id = event.data.object.id.as_str();
    if !is_valid_session_id(session_id) {
        tracing::warn!(event_id = %event.id, "webhook refused: no Checkout Session id");
        return (
            "no_session",
            Err(ApiError::invalid("The event has no Checkout Session.")),
        );
    }
    match state.store.event_handled(&event.id).await {
        Ok(true) => {
            tracing::info!(event_id = %event.id, "webhook: event already handled, ignored");
            return (
                "duplicate",
                Ok(Json(json!({"received": true, "duplicate": true}))),
            );
        }
        Ok(false) => {}
        Err(e) => return ("failed", Err(store_failed(e))),
    }
    let result = match handle(state, &event, session_id).await {
        Ok(result) => result,
        Err((result, error)) => return (result, Err(error)),
    };
    if let Err(e) = state
        .store
        .record_event(&event.id, &event.kind, Some(session_id), unix_now())
        .await
    {
        return ("failed", Err(store_failed(e)));
    }
    (result, Ok(Json(json!({"received": true}))))
}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(store_failed)`
fn store_failed(e: crate::store::StoreError) -> ApiError {
    tracing::error!(error = %e, "webhook: the order store failed");
    ApiError::internal()
}

/// What the event did (the metric's `result`), or why it failed.
async fn handle(
    state: &MerchantState,
    event: &EventIn,
    session_id: &str,
) -> Result<&'static str, (&'static str, ApiError)> {
    if event.kind == "checkout.session.expired" {
        state
            .fulfillment
            .session_expired(session_id)
            .await
            .map_err(|e| {
                tracing::error!(event_id = %event.id, session_id, error = %e, "releasing an expired session failed");
                ("failed", ApiError::internal())
            })?;
        tracing::info!(event_id = %event.id, session_id, "webhook: session expired");
        return Ok("expired");
    }
    match fulfil_checkout(state, session_id, &event.id).await {
        Ok(Fulfilled::Now(_)) => Ok("fulfilled"),
        Ok(Fulfilled::Before(_)) => {
            tracing::info!(event_id = %event.id, session_id, "webhook: already fulfilled");
            Ok("already_fulfilled")
        }
        Ok(Fulfilled::NotPaid(status)) => {
            // A delayed payment method: fulfilled on async_payment_succeeded
            // (or when the customer returns and it has succeeded).
            tracing::info!(event_id = %event.id, session_id, payment_status = %status, "webhook: not paid yet");
            Ok("not_paid")
        }
        Err(FulfilError::Stripe(e)) if e.is_client_error() && !e.is_transient() => {
            tracing::error!(event_id = %event.id, session_id, error = %e, "webhook: Stripe refused to retrieve the event's session; not fulfilled");
            Err((
                "unknown_session",
                ApiError::invalid(
                    "The event's Checkout Session could not be retrieved from Stripe.",
                ),
            ))
        }
        Err(e) => {
            tracing::error!(event_id = %event.id, session_id, error = %e, "fulfilment failed");
            Err(("failed", ApiError::internal()))
        }
    }
}
