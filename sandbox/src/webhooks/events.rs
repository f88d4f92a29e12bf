//! Events as Stripe creates them, their bounded log, and `GET /v1/events[/{id}]`.
//!
//! The `event` object (openapi `fixtures3.json` `event`; spec's required
//! fields `created, data, id, livemode, object, pending_webhooks, type`):
//! `{"id": "evt_…", "object": "event", "api_version", "created",
//! "data": {"object": {…}}, "livemode": false, "pending_webhooks",
//! "request": {"id", "idempotency_key"}, "type"}`. `request.id` is the API
//! request that caused the event, `null` when the event was automatic (a
//! session expiring by time, a customer paying on the payment page).

use std::collections::VecDeque;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::RouteState;
use crate::error::{ApiResult, StripeApiError};
use crate::ids::{new_id, now};
use crate::list::{paginate, Created, ListJson, PageParams};
use crate::middleware::request_id::REQUEST_ID;
use crate::params::decode;
use crate::render::json_response;

/// Most events kept; creating one more drops the oldest (Stripe keeps 30 days).
pub const MAX_EVENTS: usize = 5_000;

/// The API version events are rendered in: the emulator account's default
/// (basil), without the beta flag, as Stripe writes `api_version` on events.
pub const EVENT_API_VERSION: &str = "2025-03-31.basil";

/// `checkout.session.completed`: "Occurs when a Checkout Session has been
/// successfully completed."
pub const CHECKOUT_SESSION_COMPLETED: &str = "checkout.session.completed";
/// `checkout.session.expired`: "Occurs when a Checkout Session is expired."
pub const CHECKOUT_SESSION_EXPIRED: &str = "checkout.session.expired";

/// The API request that caused an event (`request` on the event).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestRef {
    /// `Request-Id` of the request; `None` for automatic events.
    pub id: Option<String>,
    /// Its `Idempotency-Key`, if any.
    pub idempotency_key: Option<String>,
}

impl RequestRef {
    /// An event no API request caused.
    pub fn automatic() -> Self {
        Self::default()
    }

    /// The request whose headers are `headers` (its `Request-Id` is set by the
    /// emulator's request-id layer before handlers run).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Self {
            id: get(REQUEST_ID.as_str()),
            idempotency_key: get("idempotency-key"),
        }
    }
}

/// One stored event.
#[derive(Debug, Clone)]
pub struct Event {
    /// `evt_…`.
    pub id: String,
    /// `checkout.session.completed`, …
    pub kind: String,
    /// Creation time.
    pub created: i64,
    /// `data.object`, compact JSON.
    pub object: String,
    /// What caused it.
    pub request: RequestRef,
    /// Endpoints not yet delivered to successfully.
    pub pending_webhooks: u32,
}

/// The `event` object, fields in the order Stripe's payloads have them.
#[derive(Serialize)]
pub struct EventJson<'a> {
    id: &'a str,
    object: &'static str,
    api_version: &'a str,
    created: i64,
    data: EventData,
    livemode: bool,
    pending_webhooks: u32,
    request: &'a RequestRef,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct EventData {
    object: Value,
}

impl Event {
    /// The `event` object in API version `api_version`.
    pub fn json<'a>(&'a self, api_version: &'a str) -> EventJson<'a> {
        EventJson {
            id: &self.id,
            object: "event",
            api_version,
            created: self.created,
            data: EventData {
                object: serde_json::from_str(&self.object).unwrap_or(Value::Null),
            },
            livemode: false,
            pending_webhooks: self.pending_webhooks,
            request: &self.request,
            kind: &self.kind,
        }
    }
}

/// The events, oldest first, at most [`MAX_EVENTS`].
#[derive(Debug, Default)]
pub struct EventLog {
    events: VecDeque<Event>,
}

impl EventLog {
    /// Stores a new event (dropping the oldest past [`MAX_EVENTS`]).
    pub fn push(&mut self, event: Event) {
        if self.events.len() >= MAX_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }

    /// Event `id`.
    pub fn get(&self, id: &str) -> Option<&Event> {
        self.events.iter().rev().find(|e| e.id == id)
    }

    /// One endpoint received event `id`: one fewer pending webhook.
    pub fn delivered(&mut self, id: &str) {
        if let Some(event) = self.events.iter_mut().rev().find(|e| e.id == id) {
            event.pending_webhooks = event.pending_webhooks.saturating_sub(1);
        }
    }

    /// Newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().rev()
    }

    /// Number of stored events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether none is stored.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

/// A new event id, `evt_` + 24 alphanumerics (the length of Stripe's).
pub fn new_event_id() -> String {
    new_id("evt", 24)
}

/// A new event of `kind` about `object` (rendered now).
pub fn new_event(kind: &str, object: &impl Serialize, request: RequestRef) -> Event {
    Event {
        id: new_event_id(),
        kind: kind.to_owned(),
        created: now(),
        object: serde_json::to_string(object).unwrap_or_else(|_| "null".to_owned()),
        request,
        pending_webhooks: 0,
    }
}

/// Whether event type `kind` matches `pattern` (`*` matches everything,
/// `checkout.session.*` a group).
pub fn type_matches(pattern: &str, kind: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => kind.starts_with(prefix),
        None => pattern == kind,
    }
}

fn no_such_event(id: &str) -> StripeApiError {
    StripeApiError::resource_missing(
        StatusCode::NOT_FOUND,
        "id",
        format!("No such event: '{id}'"),
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RetrieveParams {
    expand: Option<Vec<String>>,
}

/// Refuses any `expand` (events have nothing the emulator expands).
fn no_expand(expand: Option<Vec<String>>) -> ApiResult<()> {
    match expand.unwrap_or_default().first() {
        None => Ok(()),
        Some(path) => Err(StripeApiError::invalid(
            "expand[0]",
            format!("This property cannot be expanded ({path})."),
        )),
    }
}

/// `GET /v1/events/{id}`.
pub(crate) async fn retrieve_event(
    State(state): State<RouteState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let params: RetrieveParams = decode(query.unwrap_or_default().as_bytes())?;
    no_expand(params.expand)?;
    state.sessions.expire_due(now());
    let log = state.webhooks.events();
    let event = log.get(&id).ok_or_else(|| no_such_event(&id))?;
    Ok(json_response(&event.json(EVENT_API_VERSION)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    limit: Option<String>,
    starting_after: Option<String>,
    ending_before: Option<String>,
    expand: Option<Vec<String>>,
    created: Option<Value>,
    #[serde(rename = "type")]
    kind: Option<String>,
    types: Option<Vec<String>>,
    delivery_success: Option<String>,
}

/// Most `types[]`: Stripe's "An array of up to 20 strings".
const MAX_TYPES: usize = 20;

/// `GET /v1/events`: newest first; `type` (with `*` wildcards) or `types[]`,
/// `created`, `delivery_success`.
pub(crate) async fn list_events(
    State(state): State<RouteState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let params: ListParams = decode(query.unwrap_or_default().as_bytes())?;
    let page = PageParams {
        limit: params.limit,
        starting_after: params.starting_after,
        ending_before: params.ending_before,
    }
    .page()?;
    if let Some(path) = params.expand.unwrap_or_default().first() {
        return Err(StripeApiError::invalid(
            "expand[0]",
            format!("This property cannot be expanded ({path})."),
        ));
    }
    let created = Created::parse(params.created)?;
    let patterns: Vec<String> = match (params.kind, params.types) {
        (Some(_), Some(_)) => {
            return Err(StripeApiError::bad_request(
                "You may pass either `type` or `types`, but not both.",
            ))
        }
        (Some(kind), None) => vec![kind],
        (None, Some(types)) if types.len() > MAX_TYPES => {
            return Err(StripeApiError::invalid(
                "types",
                format!("You may pass at most {MAX_TYPES} types."),
            ))
        }
        (None, Some(types)) => types,
        (None, None) => Vec::new(),
    };
    let delivered = match params.delivery_success.as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            return Err(StripeApiError::invalid(
                "delivery_success",
                format!("Invalid boolean: {other}"),
            ))
        }
    };
    state.sessions.expire_due(now());
    let log = state.webhooks.events();
    let keep = |e: &&Event| {
        created.accepts(e.created)
            && (patterns.is_empty() || patterns.iter().any(|p| type_matches(p, &e.kind)))
            && delivered.is_none_or(|d| d == (e.pending_webhooks == 0))
    };
    let (events, has_more) = paginate(log.newest_first(), |e| e.id.as_str(), keep, &page)
        .map_err(|missing| missing.error("event"))?;
    let data: Vec<EventJson<'_>> = events
        .into_iter()
        .map(|e| e.json(EVENT_API_VERSION))
        .collect();
    Ok(json_response(&ListJson::new(data, has_more, "/v1/events")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(type_matches("*", "checkout.session.completed"));
        assert!(type_matches(
            "checkout.session.*",
            "checkout.session.expired"
        ));
        assert!(!type_matches(
            "checkout.session.completed",
            "checkout.session.expired"
        ));
        assert!(!type_matches("invoice.*", "checkout.session.expired"));
    }

    #[test]
    fn log_is_bounded() {
        let mut log = EventLog::default();
        for _ in 0..MAX_EVENTS + 3 {
            log.push(new_event("x.y", &1, RequestRef::automatic()));
        }
        assert_eq!(log.len(), MAX_EVENTS);
    }
}
