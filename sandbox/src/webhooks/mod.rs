//! Webhooks through Stripe's own routes: endpoints (`/v1/webhook_endpoints`),
//! events (`/v1/events`), and their signed delivery with bounded retries.
//!
//! Events are created where Stripe creates them, by the resources, with
//! [`Webhooks::emit`]: `checkout.session.completed` when the Stripe.js
//! stand-in completes a payment, `checkout.session.expired` when a session
//! is expired with `POST /v1/checkout/sessions/{id}/expire` or passes its
//! `expires_at` (the store's expiry hook; a sweeper here looks once a second
//! while any endpoint exists, and every read of sessions or events looks
//! too). This module knows no resource but the sessions' [`Store`], for that
//! sweep.
//! Each event goes to every enabled endpoint that wants its type
//! ([`delivery`]); `GET /sandbox/stats` counts them under `webhooks`.

pub mod delivery;
pub mod endpoints;
pub mod events;
pub mod signature;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use serde::Serialize;

use self::delivery::{enqueue, Delivery, DeliveryPolicy, MAX_CONCURRENT_POSTS};
use self::endpoints::{Endpoint, MAX_ENDPOINTS};
use self::events::{new_event, Event, EventLog, RequestRef, EVENT_API_VERSION};
use crate::error::{ApiResult, StripeApiError};
use crate::ids::now;
use crate::stats::RouteCounts;
use crate::store::Store;

pub use self::events::{CHECKOUT_SESSION_COMPLETED, CHECKOUT_SESSION_EXPIRED};

/// The name `GET /sandbox/stats` shows the webhook counters under.
pub const STATS_NAME: &str = "webhooks";

/// How often the expiry sweeper looks for sessions past `expires_at`.
pub const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// Endpoints, events and deliveries.
#[derive(Debug)]
pub struct Webhooks {
    endpoints: Mutex<Vec<Endpoint>>,
    events: Mutex<EventLog>,
    /// `events_created`, `deliveries_*` (shown by `GET /sandbox/stats`).
    pub counts: Arc<RouteCounts>,
    policy: Mutex<DeliveryPolicy>,
    pending: AtomicUsize,
    posts: tokio::sync::Semaphore,
    client: OnceLock<reqwest::Client>,
    sweeper: AtomicBool,
}

impl Default for Webhooks {
    fn default() -> Self {
        Self {
            endpoints: Mutex::default(),
            events: Mutex::default(),
            counts: Arc::default(),
            policy: Mutex::default(),
            pending: AtomicUsize::new(0),
            posts: tokio::sync::Semaphore::new(MAX_CONCURRENT_POSTS),
            client: OnceLock::new(),
            sweeper: AtomicBool::new(false),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Webhooks {
    /// The event log (locked).
    pub fn events(&self) -> MutexGuard<'_, EventLog> {
        lock(&self.events)
    }

    /// A copy of the endpoints, oldest first.
    pub fn endpoints(&self) -> Vec<Endpoint> {
        lock(&self.endpoints).clone()
    }

    /// A copy of endpoint `id`.
    pub fn endpoint(&self, id: &str) -> Option<Endpoint> {
        lock(&self.endpoints).iter().find(|e| e.id == id).cloned()
    }

    /// Adds an endpoint (400 past [`MAX_ENDPOINTS`]).
    pub fn add_endpoint(&self, endpoint: Endpoint) -> ApiResult<()> {
        let mut endpoints = lock(&self.endpoints);
        if endpoints.len() >= MAX_ENDPOINTS {
            return Err(StripeApiError::bad_request(format!(
                "You have reached the maximum of {MAX_ENDPOINTS} test webhook endpoints."
            )));
        }
        endpoints.push(endpoint);
        Ok(())
    }

    /// Applies `f` to a copy of endpoint `id`, kept only when `f` succeeds.
    pub fn update_endpoint(
        &self,
        id: &str,
        f: impl FnOnce(&mut Endpoint) -> ApiResult<()>,
    ) -> ApiResult<Option<Endpoint>> {
        let mut endpoints = lock(&self.endpoints);
        let Some(current) = endpoints.iter_mut().find(|e| e.id == id) else {
            return Ok(None);
        };
        let mut next = current.clone();
        f(&mut next)?;
        *current = next.clone();
        Ok(Some(next))
    }

    /// Removes endpoint `id`; `false` if there was none.
    pub fn remove_endpoint(&self, id: &str) -> bool {
        let mut endpoints = lock(&self.endpoints);
        let before = endpoints.len();
        endpoints.retain(|e| e.id != id);
        endpoints.len() != before
    }

    /// Registers an endpoint without the API (the merchant server does for
    /// its own `/webhook` in emulator mode); returns its secret.
    pub fn register(&self, url: &str, enabled_events: &[&str]) -> ApiResult<String> {
        let endpoint = Endpoint {
            id: crate::ids::new_id("we", 24),
            url: endpoints::check_url(url)?,
            enabled_events: enabled_events.iter().map(|e| (*e).to_owned()).collect(),
            secret: signature::new_secret(),
            api_version: None,
            description: Some("registered by the merchant server at start-up".to_owned()),
            metadata: Default::default(),
            enabled: true,
            created: now(),
        };
        let secret = endpoint.secret.clone();
        self.add_endpoint(endpoint)?;
        Ok(secret)
    }

    /// The delivery policy in force.
    pub fn policy(&self) -> DeliveryPolicy {
        *lock(&self.policy)
    }

    /// Replaces the delivery policy (tests shorten the backoff).
    pub fn set_policy(&self, policy: DeliveryPolicy) {
        *lock(&self.policy) = policy;
    }

    /// Deliveries under way (attempting or waiting to retry).
    pub fn pending_deliveries(&self) -> usize {
        self.pending.load(Ordering::SeqCst)
    }

    fn client(&self) -> reqwest::Result<&reqwest::Client> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        // No proxy (the environment's must not see loopback deliveries), no
        // redirects (Stripe counts a 3xx as a failure).
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(self.client.get_or_init(|| client))
    }

    /// Creates an event of `kind` about `object` and starts its deliveries;
    /// returns its id.
    pub fn emit(
        self: &Arc<Self>,
        kind: &str,
        object: &impl Serialize,
        request: RequestRef,
    ) -> String {
        let mut event: Event = new_event(kind, object, request);
        let targets: Vec<Endpoint> = lock(&self.endpoints)
            .iter()
            .filter(|e| e.wants(kind))
            .cloned()
            .collect();
        event.pending_webhooks = u32::try_from(targets.len()).unwrap_or(u32::MAX);
        let id = event.id.clone();
        self.counts.incr("events_created");
        tracing::info!(event = %id, kind, endpoints = targets.len(), "sandbox: event created");
        let mut payloads: Vec<(Option<String>, Arc<Vec<u8>>)> = Vec::new();
        for endpoint in targets {
            let version = endpoint.api_version.clone();
            let payload = match payloads.iter().find(|(v, _)| *v == version) {
                Some((_, p)) => p.clone(),
                None => {
                    let json = event.json(version.as_deref().unwrap_or(EVENT_API_VERSION));
                    let p = Arc::new(serde_json::to_vec_pretty(&json).unwrap_or_default());
                    payloads.push((version, p.clone()));
                    p
                }
            };
            enqueue(
                self,
                Delivery {
                    event_id: id.clone(),
                    endpoint_id: endpoint.id,
                    url: endpoint.url,
                    secret: endpoint.secret,
                    payload,
                },
            );
        }
        self.events().push(event);
        id
    }
}

/// Starts (once) the task that expires sessions past `expires_at` once a
/// second, so their `checkout.session.expired` events are delivered without
/// waiting for a read. It stops when the sessions are dropped.
pub(crate) fn start_expiry_sweeper(webhooks: &Webhooks, sessions: &Arc<Store>) {
    if webhooks.sweeper.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        webhooks.sweeper.store(false, Ordering::SeqCst);
        return;
    };
    let weak: Weak<Store> = Arc::downgrade(sessions);
    handle.spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(sessions) = weak.upgrade() else {
                return;
            };
            sessions.expire_due(now());
        }
    });
}

/// What the webhook routes work on: the endpoints and events, and the
/// sessions, whose expiry by time creates events (looked at before every
/// read of events, and by the sweeper once an endpoint exists).
#[derive(Debug, Clone)]
pub(crate) struct RouteState {
    pub(crate) webhooks: Arc<Webhooks>,
    pub(crate) sessions: Arc<Store>,
}

/// The webhook routes over `webhooks` and the `sessions` whose expiry
/// creates events (the caller adds the key layer).
pub fn routes(webhooks: Arc<Webhooks>, sessions: Arc<Store>) -> Router {
    Router::new()
        .route(
            "/v1/webhook_endpoints",
            get(endpoints::list_endpoints).post(endpoints::create_endpoint),
        )
        .route(
            "/v1/webhook_endpoints/{id}",
            get(endpoints::retrieve_endpoint)
                .post(endpoints::update_endpoint)
                .delete(endpoints::delete_endpoint),
        )
        .route("/v1/events", get(events::list_events))
        .route("/v1/events/{id}", get(events::retrieve_event))
        .with_state(RouteState { webhooks, sessions })
}
