//! `POST /webhook`: Stripe's event deliveries.
//!
//! The signature is checked on the raw body before anything else
//! ([`crate::webhook_signature`]: 5-minute tolerance, constant-time
//! comparison, any of several `v1` values); a bad one answers 400 and changes
//! nothing. An event id already handled is acknowledged (200) and ignored, as
//! Stripe may deliver an event more than once. Paid sessions go to the
//! [`Fulfillment`](crate::fulfillment::Fulfillment); a failed fulfilment
//! answers 500 so that Stripe retries, and the event is not marked handled.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::error::ApiError;
use super::MerchantState;
use crate::fulfillment::{unix_now, PaidOrder};
use crate::webhook_signature::{verify, DEFAULT_TOLERANCE_SECS, SIGNATURE_HEADER};

/// Largest webhook body (events are a few KiB; Stripe's payloads are pretty-printed).
pub const WEBHOOK_BODY_LIMIT: usize = 256 * 1024;

/// How many handled event ids are remembered (the oldest are forgotten).
pub const REMEMBERED_EVENTS: usize = 10_000;

/// The message of every refused delivery (the reason goes to the log).
pub const MSG_BAD_SIGNATURE: &str = "Webhook signature verification failed.";

/// The event types the merchant acts on.
pub const HANDLED_EVENTS: [&str; 3] = [
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.expired",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Handling {
    InProgress,
    Done,
}

/// Event ids seen, bounded.
#[derive(Debug, Default)]
pub struct HandledEvents {
    inner: Mutex<(HashMap<String, Handling>, VecDeque<String>)>,
}

enum Claim {
    New,
    Done,
    InProgress,
}

impl HandledEvents {
    fn claim(&self, id: &str) -> Claim {
        let mut guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let (seen, order) = &mut *guard;
        match seen.get(id) {
            Some(Handling::Done) => Claim::Done,
            Some(Handling::InProgress) => Claim::InProgress,
            None => {
                while seen.len() >= REMEMBERED_EVENTS {
                    let Some(oldest) = order.pop_front() else {
                        break;
                    };
                    seen.remove(&oldest);
                }
                seen.insert(id.to_owned(), Handling::InProgress);
                order.push_back(id.to_owned());
                Claim::New
            }
        }
    }

    fn finish(&self, id: &str, ok: bool) {
        let mut guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let (seen, order) = &mut *guard;
        if ok {
            seen.insert(id.to_owned(), Handling::Done);
        } else {
            seen.remove(id);
            order.retain(|o| o != id);
        }
    }
}

#[derive(Debug, Deserialize)]
struct EventIn {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: DataIn,
}

#[derive(Debug, Deserialize)]
struct DataIn {
    object: Map<String, Value>,
}

fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn paid_order(event_id: &str, object: &Map<String, Value>) -> Option<PaidOrder> {
    let session_id = text(object, "id")?;
    Some(PaidOrder {
        session_id,
        event_id: event_id.to_owned(),
        amount_total: object.get("amount_total").and_then(Value::as_i64),
        currency: text(object, "currency"),
        mode: text(object, "mode"),
        client_reference_id: text(object, "client_reference_id"),
        customer_email: text(object, "customer_email").or_else(|| {
            object
                .get("customer_details")
                .and_then(|d| d.get("email"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        }),
        metadata: object
            .get("metadata")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect()
            })
            .unwrap_or_default(),
    })
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
    match state.handled.claim(&event.id) {
        Claim::Done => {
            tracing::info!(event_id = %event.id, "webhook: event already handled, ignored");
            return Ok(Json(json!({"received": true, "duplicate": true})));
        }
        Claim::InProgress => {
            tracing::info!(event_id = %event.id, "webhook: event being handled by another delivery");
            return Err(ApiError::invalid_with_status(
                StatusCode::CONFLICT,
                "This event is being handled; retry later.",
            ));
        }
        Claim::New => {}
    }
    let outcome = handle(&state, &event).await;
    state.handled.finish(&event.id, outcome.is_ok());
    outcome.map(|()| Json(json!({"received": true})))
}

async fn handle(state: &MerchantState, event: &EventIn) -> Result<(), ApiError> {
    let object = &event.data.object;
    let session_id = text(object, "id").unwrap_or_default();
    let fail = |e: crate::fulfillment::FulfillmentError| {
        tracing::error!(event_id = %event.id, session_id = %session_id, error = %e, "fulfilment failed");
        ApiError::internal()
    };
    match event.kind.as_str() {
        "checkout.session.expired" => {
            state
                .fulfillment
                .session_expired(&session_id)
                .await
                .map_err(fail)?;
            tracing::info!(event_id = %event.id, session_id = %session_id, "webhook: session expired");
        }
        kind => {
            let paid = matches!(
                text(object, "payment_status").as_deref(),
                Some("paid" | "no_payment_required")
            );
            if kind == "checkout.session.completed" && !paid {
                // A delayed payment method: fulfil on async_payment_succeeded.
                tracing::info!(event_id = %event.id, session_id = %session_id, "webhook: completed, payment pending");
                return Ok(());
            }
            let order = paid_order(&event.id, object)
                .ok_or_else(|| ApiError::invalid("The event has no Checkout Session."))?;
            state.fulfillment.fulfill(&order).await.map_err(fail)?;
        }
    }
    Ok(())
}
