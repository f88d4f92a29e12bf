//! Delivering events: a background task per delivery posts the event to an
//! endpoint, signed, and retries a bounded number of times with exponential
//! backoff when the endpoint fails (not 2xx, including redirects, which are
//! not followed; a timeout; a refused connection).
//!
//! Stripe (docs/research-stripe-api.md §6): *"We retry event deliveries
//! created in a sandbox three times over the course of a few hours"*; 3xx
//! counts as a failure; each retry carries *"a new signature and timestamp"*.
//! The emulator keeps the three retries but waits seconds, not hours
//! ([`DeliveryPolicy`]). The headers other than `Stripe-Signature` are those
//! Stripe's deliveries are commonly seen with (not confirmed in Stripe's
//! docs): `User-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)`,
//! `Content-Type: application/json; charset=utf-8`. The body is the event,
//! pretty-printed with two spaces as Stripe sends it, so that a receiver that
//! verifies a re-serialized body instead of the raw one fails here as it
//! would with Stripe.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use super::signature::{header_value, HEADER};
use super::Webhooks;
use crate::ids::now;

/// How deliveries are attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryPolicy {
    /// Attempts per delivery, the first included (Stripe's sandbox: 1 + 3 retries).
    pub attempts: u32,
    /// Wait before the first retry; each later retry waits twice as long.
    pub first_retry: Duration,
    /// Longest wait for an endpoint's answer.
    pub timeout: Duration,
}

impl Default for DeliveryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            first_retry: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Most deliveries under way at once (attempting or waiting to retry);
/// beyond it new deliveries are dropped and counted (`deliveries_dropped`).
pub const MAX_PENDING_DELIVERIES: usize = 1_000;

/// Most HTTP posts in flight at once.
pub const MAX_CONCURRENT_POSTS: usize = 8;

/// One event for one endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub(crate) event_id: String,
    pub(crate) endpoint_id: String,
    pub(crate) url: String,
    pub(crate) secret: String,
    /// The pretty-printed event, the same bytes on every attempt.
    pub(crate) payload: Arc<Vec<u8>>,
}

/// Starts `delivery` in the background (on the current Tokio runtime), or
/// counts it dropped when too many are pending or there is no runtime.
pub(crate) fn enqueue(webhooks: &Arc<Webhooks>, delivery: Delivery) {
    let pending = webhooks.pending.fetch_add(1, Ordering::SeqCst);
    let runtime = tokio::runtime::Handle::try_current();
    match runtime {
        Ok(handle) if pending < MAX_PENDING_DELIVERIES => {
            let webhooks = webhooks.clone();
            handle.spawn(async move {
                deliver(&webhooks, delivery).await;
                webhooks.pending.fetch_sub(1, Ordering::SeqCst);
            });
        }
        _ => {
            webhooks.pending.fetch_sub(1, Ordering::SeqCst);
            webhooks.counts.incr("deliveries_dropped");
            tracing::warn!(
                event = %delivery.event_id,
                endpoint = %delivery.endpoint_id,
                "sandbox: webhook delivery dropped (too many pending, or no runtime)"
            );
        }
    }
}

async fn deliver(webhooks: &Webhooks, delivery: Delivery) {
    let policy = webhooks.policy();
    let attempts = policy.attempts.max(1);
    let mut wait = policy.first_retry;
    for attempt in 1..=attempts {
        webhooks.counts.incr("deliveries_attempted");
        let outcome = post(webhooks, &delivery, policy.timeout).await;
        match outcome {
            Ok(()) => {
                webhooks.counts.incr("deliveries_succeeded");
                webhooks.events().delivered(&delivery.event_id);
                tracing::info!(
                    event = %delivery.event_id,
                    endpoint = %delivery.endpoint_id,
                    attempt,
                    "sandbox: webhook delivered"
                );
                return;
            }
            Err(why) => {
                webhooks.counts.incr("deliveries_failed");
                tracing::info!(
                    event = %delivery.event_id,
                    endpoint = %delivery.endpoint_id,
                    attempt,
                    why = %why,
                    "sandbox: webhook delivery failed"
                );
            }
        }
        if attempt < attempts {
            webhooks.counts.incr("deliveries_retried");
            tokio::time::sleep(wait).await;
            wait = wait.saturating_mul(2);
        }
    }
    webhooks.counts.incr("deliveries_abandoned");
    tracing::warn!(
        event = %delivery.event_id,
        endpoint = %delivery.endpoint_id,
        attempts,
        "sandbox: webhook delivery abandoned"
    );
}

/// One attempt: `Ok` on a 2xx answer.
async fn post(webhooks: &Webhooks, delivery: &Delivery, timeout: Duration) -> Result<(), String> {
    let _permit = webhooks
        .posts
        .acquire()
        .await
        .map_err(|_| "closed".to_owned())?;
    let client = webhooks.client().map_err(|e| e.to_string())?;
    let signature = header_value(&delivery.secret, now(), &delivery.payload);
    let response = client
        .post(&delivery.url)
        .timeout(timeout)
        .header("Content-Type", "application/json; charset=utf-8")
        .header(
            "User-Agent",
            "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        )
        .header("Cache-Control", "no-cache")
        .header("Accept", "*/*; q=0.5, application/xml")
        .header(HEADER, signature)
        .body(delivery.payload.as_ref().clone())
        .send()
        .await
        .map_err(|e| format!("{e}"))?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("answered {status}"))
    }
}
