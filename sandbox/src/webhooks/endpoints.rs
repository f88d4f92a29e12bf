//! `/v1/webhook_endpoints`: create (the `secret` is returned then only),
//! retrieve, update, list, delete.
//!
//! Stripe (stripe-node `WebhookEndpoints.ts`): create takes `url` and
//! `enabled_events` (required; `['*']` enables all), `api_version`, `connect`,
//! `description`, `metadata`; the object is `{id, object: "webhook_endpoint",
//! api_version, application, created, description, enabled_events, livemode,
//! metadata, secret?, status, url}`, `secret` *"Only returned at creation."*
//! Stripe allows 16 endpoints per account.

use std::collections::BTreeMap;
use std::net::IpAddr;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use reqwest::Url;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::signature::new_secret;
use super::RouteState;
use crate::error::{ApiResult, StripeApiError};
use crate::ids::{new_id, now};
use crate::list::{paginate, ListJson, PageParams};
use crate::params::{apply_metadata, body_bytes, decode};
use crate::render::json_response;

/// Most endpoints at once (Stripe's limit per account).
pub const MAX_ENDPOINTS: usize = 16;

/// A registered endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `we_…`.
    pub id: String,
    /// Where events are posted.
    pub url: String,
    /// Event types (or `*`) delivered to it.
    pub enabled_events: Vec<String>,
    /// `whsec_…`, the signing secret.
    pub secret: String,
    /// `api_version` asked for at creation (events then say it).
    pub api_version: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `metadata`.
    pub metadata: BTreeMap<String, String>,
    /// `false` once updated with `disabled=true`.
    pub enabled: bool,
    /// Creation time.
    pub created: i64,
}

impl Endpoint {
    /// Whether events of `kind` go to this endpoint.
    pub fn wants(&self, kind: &str) -> bool {
        self.enabled && self.enabled_events.iter().any(|p| p == "*" || p == kind)
    }
}

/// The `webhook_endpoint` object.
#[derive(Serialize)]
struct EndpointJson<'a> {
    api_version: Option<&'a str>,
    application: (),
    created: i64,
    description: Option<&'a str>,
    enabled_events: &'a [String],
    id: &'a str,
    livemode: bool,
    metadata: &'a BTreeMap<String, String>,
    object: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
    status: &'static str,
    url: &'a str,
}

impl<'a> EndpointJson<'a> {
    fn new(e: &'a Endpoint, with_secret: bool) -> Self {
        Self {
            api_version: e.api_version.as_deref(),
            application: (),
            created: e.created,
            description: e.description.as_deref(),
            enabled_events: &e.enabled_events,
            id: &e.id,
            livemode: false,
            metadata: &e.metadata,
            object: "webhook_endpoint",
            secret: with_secret.then_some(e.secret.as_str()),
            status: if e.enabled { "enabled" } else { "disabled" },
            url: &e.url,
        }
    }
}

fn no_such_endpoint(id: &str) -> StripeApiError {
    StripeApiError::resource_missing(
        StatusCode::NOT_FOUND,
        "id",
        format!("No such webhook endpoint: '{id}'"),
    )
}

/// Checks a delivery URL: http(s), and a loopback host (127.0.0.0/8, `[::1]`,
/// `localhost`): the emulator is offline and never posts off this machine.
/// (Stripe refuses non-public URLs instead; see docs/emulator-coverage.md.)
pub fn check_url(url: &str) -> ApiResult<String> {
    let invalid = |why: &str| StripeApiError::invalid("url", format!("Invalid URL: {why}"));
    let parsed = Url::parse(url).map_err(|_| invalid("must be an absolute http(s) URL."))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("must be an absolute http(s) URL."));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("must not contain credentials."));
    }
    let loopback = match parsed.host_str() {
        Some("localhost") => true,
        Some(host) => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    };
    if !loopback {
        return Err(invalid(
            "the sandbox delivers webhooks to loopback addresses only (127.0.0.0/8, [::1], \
             localhost): it never contacts the network.",
        ));
    }
    Ok(url.to_owned())
}

/// Checks `enabled_events`: a non-empty list of `*` or event names
/// (`word.word[.word…]`, lowercase, digits and underscores).
fn check_events(events: Option<Vec<String>>) -> ApiResult<Vec<String>> {
    let events = events.ok_or_else(|| StripeApiError::missing("enabled_events"))?;
    if events.is_empty() {
        return Err(StripeApiError::missing("enabled_events"));
    }
    for (i, name) in events.iter().enumerate() {
        let well_formed = name == "*"
            || (name.contains('.')
                && name.split('.').all(|part| {
                    !part.is_empty()
                        && part
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                }));
        if !well_formed {
            return Err(StripeApiError::invalid(
                format!("enabled_events[{i}]"),
                format!("Invalid enabled_events[{i}]: {name:?} is not an event type."),
            ));
        }
    }
    Ok(events)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateParams {
    url: Option<String>,
    enabled_events: Option<Vec<String>>,
    api_version: Option<String>,
    connect: Option<String>,
    description: Option<String>,
    metadata: Option<Value>,
    expand: Option<Vec<String>>,
}

fn refuse_expand(expand: Option<Vec<String>>) -> ApiResult<()> {
    match expand.unwrap_or_default().first() {
        None => Ok(()),
        Some(path) => Err(StripeApiError::invalid(
            "expand[0]",
            format!("This property cannot be expanded ({path})."),
        )),
    }
}

/// `POST /v1/webhook_endpoints`.
pub(crate) async fn create_endpoint(
    State(state): State<RouteState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let params: CreateParams = decode(&body_bytes(body)?)?;
    refuse_expand(params.expand)?;
    let url = check_url(&params.url.ok_or_else(|| StripeApiError::missing("url"))?)?;
    let enabled_events = check_events(params.enabled_events)?;
    if params.connect.as_deref().is_some_and(|c| c != "false") {
        return Err(StripeApiError::invalid(
            "connect",
            "The sandbox has no connected accounts: connect must be false.",
        ));
    }
    if let Some(version) = &params.api_version {
        if crate::middleware::version::ApiVersion::parse(version).is_none() {
            return Err(StripeApiError::invalid(
                "api_version",
                format!("Invalid Stripe API version: {version}"),
            ));
        }
    }
    let mut metadata = BTreeMap::new();
    apply_metadata(&mut metadata, params.metadata)?;
    let endpoint = Endpoint {
        id: new_id("we", 24),
        url,
        enabled_events,
        secret: new_secret(),
        api_version: params.api_version,
        description: params.description,
        metadata,
        enabled: true,
        created: now(),
    };
    state.webhooks.add_endpoint(endpoint.clone())?;
    super::start_expiry_sweeper(&state.webhooks, &state.sessions);
    tracing::info!(endpoint = %endpoint.id, url = %endpoint.url, "sandbox: webhook endpoint created");
    Ok(json_response(&EndpointJson::new(&endpoint, true)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RetrieveParams {
    expand: Option<Vec<String>>,
}

/// `GET /v1/webhook_endpoints/{id}` (no `secret`).
pub(crate) async fn retrieve_endpoint(
    State(state): State<RouteState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let params: RetrieveParams = decode(query.unwrap_or_default().as_bytes())?;
    refuse_expand(params.expand)?;
    let endpoint = state
        .webhooks
        .endpoint(&id)
        .ok_or_else(|| no_such_endpoint(&id))?;
    Ok(json_response(&EndpointJson::new(&endpoint, false)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateParams {
    url: Option<String>,
    enabled_events: Option<Vec<String>>,
    description: Option<String>,
    disabled: Option<String>,
    metadata: Option<Value>,
    expand: Option<Vec<String>>,
}

/// `POST /v1/webhook_endpoints/{id}`: `url`, `enabled_events`, `description`,
/// `disabled`, `metadata`.
pub(crate) async fn update_endpoint(
    State(state): State<RouteState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let params: UpdateParams = decode(&body_bytes(body)?)?;
    refuse_expand(params.expand)?;
    let url = params.url.as_deref().map(check_url).transpose()?;
    let events = match params.enabled_events {
        Some(events) => Some(check_events(Some(events))?),
        None => None,
    };
    let disabled = match params.disabled.as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            return Err(StripeApiError::invalid(
                "disabled",
                format!("Invalid boolean: {other}"),
            ))
        }
    };
    let updated = state.webhooks.update_endpoint(&id, |e| {
        if let Some(url) = url {
            e.url = url;
        }
        if let Some(events) = events {
            e.enabled_events = events;
        }
        if let Some(description) = params.description {
            e.description = (!description.is_empty()).then_some(description);
        }
        if let Some(disabled) = disabled {
            e.enabled = !disabled;
        }
        apply_metadata(&mut e.metadata, params.metadata)
    })?;
    let endpoint = updated.ok_or_else(|| no_such_endpoint(&id))?;
    Ok(json_response(&EndpointJson::new(&endpoint, false)))
}

/// `DELETE /v1/webhook_endpoints/{id}` → `{id, object, deleted: true}`.
pub(crate) async fn delete_endpoint(
    State(state): State<RouteState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    #[derive(Serialize)]
    struct Deleted<'a> {
        deleted: bool,
        id: &'a str,
        object: &'static str,
    }
    if !state.webhooks.remove_endpoint(&id) {
        return Err(no_such_endpoint(&id));
    }
    Ok(json_response(&Deleted {
        deleted: true,
        id: &id,
        object: "webhook_endpoint",
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    limit: Option<String>,
    starting_after: Option<String>,
    ending_before: Option<String>,
    expand: Option<Vec<String>>,
}

/// `GET /v1/webhook_endpoints`: newest first.
pub(crate) async fn list_endpoints(
    State(state): State<RouteState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let params: ListParams = decode(query.unwrap_or_default().as_bytes())?;
    refuse_expand(params.expand)?;
    let page = PageParams {
        limit: params.limit,
        starting_after: params.starting_after,
        ending_before: params.ending_before,
    }
    .page()?;
    let endpoints = state.webhooks.endpoints();
    let (data, has_more) = paginate(endpoints.iter().rev(), |e| e.id.as_str(), |_| true, &page)
        .map_err(|missing| missing.error("webhook endpoint"))?;
    let data: Vec<EndpointJson<'_>> = data
        .into_iter()
        .map(|e| EndpointJson::new(e, false))
        .collect();
    Ok(json_response(&ListJson::new(
        data,
        has_more,
        "/v1/webhook_endpoints",
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for ok in [
            "http://127.0.0.1:4242/webhook",
            "https://localhost/hook",
            "http://[::1]:8080/x",
            "http://127.1.2.3/",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ftp://127.0.0.1/x",
            "http://example.com/hook",
            "http://10.0.0.1/hook",
            "127.0.0.1/hook",
            "http://user:pw@127.0.0.1/",
            "",
        ] {
            assert_eq!(
                check_url(bad).err().and_then(|e| e.param).as_deref(),
                Some("url"),
                "{bad}"
            );
        }
    }

    #[test]
    fn events() {
        assert!(check_events(Some(vec!["*".into()])).is_ok());
        assert!(check_events(Some(vec!["checkout.session.completed".into()])).is_ok());
        assert!(check_events(Some(vec![])).is_err());
        assert!(check_events(None).is_err());
        assert!(check_events(Some(vec!["Checkout".into()])).is_err());
        assert!(check_events(Some(vec!["a..b".into()])).is_err());
    }
}
