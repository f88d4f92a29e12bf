//! `GET /v1/checkout/sessions` and `GET /v1/checkout/sessions/{id}/line_items`:
//! Stripe's list objects with cursor pagination ([`crate::list`]).
//!
//! Stripe (stripe-node `Checkout/Sessions.ts`): the sessions list takes
//! `created`, `customer`, `customer_account`, `customer_details[email]`,
//! `payment_intent`, `payment_link`, `status` and `subscription`; the line
//! items list *"the full (paginated) list of line items"*, in the session's
//! order.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use super::render::{LineItemsJson, SessionJson};
use super::routes::no_such_session;
use super::Sessions;
use crate::error::ApiResult;
use crate::ids::now;
use crate::list::{item_expands, paginate, Created, ListJson, PageParams};
use crate::model::{Session, Status};
use crate::params::{decode, expand, one_of};
use crate::render::json_response;

/// `GET /v1/checkout/sessions` parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    limit: Option<String>,
    starting_after: Option<String>,
    ending_before: Option<String>,
    expand: Option<Vec<String>>,
    created: Option<Value>,
    status: Option<String>,
    // The emulator's sessions have no customer, payment intent, payment link
    // or subscription: a filter on any of them matches nothing.
    // `customer_details[email]` matches completed sessions paid with that email.
    customer: Option<String>,
    customer_account: Option<String>,
    customer_details: Option<Value>,
    payment_intent: Option<String>,
    payment_link: Option<String>,
    subscription: Option<String>,
}

/// `GET /v1/checkout/sessions`: newest first.
pub(crate) async fn list_sessions(
    State(state): State<Arc<Sessions>>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let params: ListParams = decode(query.unwrap_or_default().as_bytes())?;
    let page = PageParams {
        limit: params.limit,
        starting_after: params.starting_after,
        ending_before: params.ending_before,
    }
    .page()?;
    let expand = expand::parse(item_expands(params.expand)?)?;
    let created = Created::parse(params.created)?;
    if let Some(status) = &params.status {
        one_of(status, &["open", "complete", "expired"], "status")?;
    }
    let details_email = params.customer_details.as_ref().map(|details| {
        details
            .get("email")
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    let matches_nothing = params.customer.is_some()
        || params.customer_account.is_some()
        || matches!(details_email, Some(None))
        || params.payment_intent.is_some()
        || params.payment_link.is_some()
        || params.subscription.is_some();
    // Sessions past their expiry read `expired` (and their events are created).
    state.store.expire_due(now());
    let keep = |s: &&Session| {
        !matches_nothing
            && created.accepts(s.created)
            && details_email.as_ref().is_none_or(|email| {
                s.status == Status::Complete
                    && s.email().is_some_and(|own| email.as_deref() == Some(own))
            })
            && params
                .status
                .as_deref()
                .is_none_or(|status| s.status.as_str() == status)
    };
    let (sessions, has_more) = state
        .store
        .with_newest_first(|sessions| {
            paginate(sessions, |s| s.id.as_str(), keep, &page)
                .map(|(data, more)| (data.into_iter().cloned().collect::<Vec<_>>(), more))
        })
        .map_err(|missing| missing.error("checkout.session"))?;
    let data: Vec<SessionJson<'_>> = sessions
        .iter()
        .map(|s| SessionJson::new(s, expand))
        .collect();
    Ok(json_response(&ListJson::new(
        data,
        has_more,
        "/v1/checkout/sessions",
    )))
}

/// `GET /v1/checkout/sessions/{id}/line_items` parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineItemsParams {
    limit: Option<String>,
    starting_after: Option<String>,
    ending_before: Option<String>,
    expand: Option<Vec<String>>,
}

/// `GET /v1/checkout/sessions/{id}/line_items`: in the session's order.
pub(crate) async fn list_line_items(
    State(state): State<Arc<Sessions>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let params: LineItemsParams = decode(query.unwrap_or_default().as_bytes())?;
    let page = PageParams {
        limit: params.limit,
        starting_after: params.starting_after,
        ending_before: params.ending_before,
    }
    .page()?;
    // `data.discounts` here is `line_items.data.discounts` on the session.
    let expand = expand::parse(item_expands(params.expand)?.map(|paths| {
        paths
            .into_iter()
            .map(|p| format!("line_items.data.{p}"))
            .collect()
    }))?;
    let session = state.store.get(&id).ok_or_else(|| no_such_session(&id))?;
    let all = LineItemsJson::new(&session, expand);
    let (data, has_more) = paginate(all.data.into_iter(), |item| item.id, |_| true, &page)
        .map_err(|missing| missing.error("line item"))?;
    Ok(json_response(&ListJson::new(data, has_more, all.url)))
}
