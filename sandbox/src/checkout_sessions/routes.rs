//! The Checkout Sessions routes: create, retrieve, update and expire.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use checkout_protocol::email::is_valid_email;

use super::params::{CreateParams, RetrieveParams, UpdateParams};
use super::render::SessionJson;
use super::rules::{
    apply_discounts, check_items, check_ui_mode, not_open, parse_allowed_countries,
    parse_collected_information, parse_shipping_options, parse_trial_days, permission,
    require_server_only, resolve_line_items,
};
use super::Sessions;
use crate::error::{ApiResult, StripeApiError};
use crate::ids::{new_id, now, random_alnum};
use crate::middleware::version::ApiVersion;
use crate::model::{Permissions, Session, Status};
use crate::params::{apply_metadata, body_bytes, decode, expand, one_of};
use crate::render::json_response;

/// The Checkout Sessions routes over `state` (the caller adds the key and
/// fault layers).
pub fn routes(state: Arc<Sessions>) -> Router {
    Router::new()
        .route(
            "/v1/checkout/sessions",
            post(create_session).get(super::list::list_sessions),
        )
        .route(
            "/v1/checkout/sessions/{id}/line_items",
            get(super::list::list_line_items),
        )
        .route(
            "/v1/checkout/sessions/{id}",
            get(retrieve_session).post(update_session),
        )
        .route("/v1/checkout/sessions/{id}/expire", post(expire_session))
        .with_state(state)
}

/// `POST /v1/checkout/sessions`.
async fn create_session(
    State(state): State<Arc<Sessions>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let version = ApiVersion::of(&headers)?;
    let params: CreateParams = decode(&body_bytes(body)?)?;
    let expand = expand::parse(params.expand)?;
    let mode = params.mode.ok_or_else(|| StripeApiError::missing("mode"))?;
    one_of(&mode, &["payment", "subscription", "setup"], "mode")?;
    let ui_mode = params.ui_mode.unwrap_or_else(|| "hosted".to_owned());
    check_ui_mode(&ui_mode, &version)?;
    let return_url = params
        .return_url
        .ok_or_else(|| StripeApiError::missing("return_url"))?;
    if !(return_url.starts_with("http://") || return_url.starts_with("https://")) {
        return Err(StripeApiError::invalid("return_url", "Not a valid URL"));
    }
    let items = resolve_line_items(&state, params.line_items.unwrap_or_default(), None)?;
    let currency = check_items(&mode, &items)?;
    let permissions = params.permissions.unwrap_or_default();
    if permissions.update_line_items.is_some() {
        version.require_beta("permissions[update_line_items]")?;
    }
    if permissions.update_discounts.is_some() {
        version.require_beta("permissions[update_discounts]")?;
    }
    let update_shipping_details = permissions
        .update_shipping_details
        .map(|value| permission(Some(value), "permissions[update_shipping_details]"))
        .transpose()?;
    let permissions = Permissions {
        update_line_items: permission(
            permissions.update_line_items,
            "permissions[update_line_items]",
        )?,
        update_discounts: permission(
            permissions.update_discounts,
            "permissions[update_discounts]",
        )?,
        update_shipping_details,
    };
    let mut metadata = BTreeMap::new();
    apply_metadata(&mut metadata, params.metadata)?;
    let trial_period_days = match params.subscription_data.and_then(|d| d.trial_period_days) {
        None => None,
        Some(_) if mode != "subscription" => {
            return Err(StripeApiError::invalid(
                "subscription_data",
                "subscription_data can only be used in subscription mode.",
            ))
        }
        Some(days) if days.is_empty() => None,
        Some(days) => parse_trial_days(&days)?,
    };
    let shipping_options = match params.shipping_options {
        None => Vec::new(),
        Some(value) => parse_shipping_options(value, &mode, currency.as_deref(), &[])?,
    };
    let allowed_countries = params
        .shipping_address_collection
        .map(parse_allowed_countries)
        .transpose()?;
    if params.customer.is_some() && params.customer_email.is_some() {
        return Err(StripeApiError::invalid(
            "customer",
            "You may only specify one of these parameters: customer, customer_email.",
        ));
    }
    let customer = match params.customer.filter(|c| !c.is_empty()) {
        Some(id) => Some(state.customers.get(&id, "customer")?),
        None => None,
    };
    let customer_email = match params.customer_email {
        Some(email) if is_valid_email(&email) => Some(email.trim().to_owned()),
        Some(email) => return Err(StripeApiError::email_invalid("customer_email", &email)),
        None => None,
    };
    let id = new_id("cs_test", 58);
    let created = now();
    let mut session = Session {
        client_secret: format!("{id}_secret_{}", random_alnum(24)),
        id,
        created,
        expires_at: created.saturating_add(state.ttl_secs),
        payment_status: if mode == "setup" {
            "no_payment_required".to_owned()
        } else {
            "unpaid".to_owned()
        },
        mode,
        ui_mode,
        status: Status::Open,
        currency,
        line_items: items,
        discounts: Vec::new(),
        permissions,
        return_url,
        metadata,
        client_reference_id: params.client_reference_id,
        customer_email,
        customer: customer.as_ref().map(|c| c.id.clone()),
        customer_record_email: customer.and_then(|c| c.email),
        collected_email: None,
        trial_period_days,
        shipping_options,
        allowed_countries,
        shipping_details: None,
        selected_shipping_rate: None,
    };
    if let Some(discounts) = params.discounts {
        apply_discounts(&state, &mut session, discounts)?;
    }
    tracing::info!(session_id = %session.id, mode = %session.mode, "sandbox: session created");
    let body = json_response(&SessionJson::new(&session, expand));
    let evicted = state.store.insert(session);
    if evicted > 0 {
        tracing::info!(evicted, "sandbox: evicted old sessions");
    }
    Ok(body)
}

pub(crate) fn no_such_session(id: &str) -> StripeApiError {
    StripeApiError::resource_missing(
        StatusCode::NOT_FOUND,
        "id",
        format!("No such checkout.session: '{id}'"),
    )
}

/// `GET /v1/checkout/sessions/{id}`.
async fn retrieve_session(
    State(state): State<Arc<Sessions>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let params: RetrieveParams = decode(query.unwrap_or_default().as_bytes())?;
    let expand = expand::parse(params.expand)?;
    let session = state.store.get(&id).ok_or_else(|| no_such_session(&id))?;
    Ok(json_response(&SessionJson::new(&session, expand)))
}

/// `POST /v1/checkout/sessions/{id}`.
async fn update_session(
    State(state): State<Arc<Sessions>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let version = ApiVersion::of(&headers)?;
    let params: UpdateParams = decode(&body_bytes(body)?)?;
    let expand = expand::parse(params.expand)?;
    // Parameters the request's version does not have are unknown, whatever the session.
    let line_items_beta = params.line_items.is_some() && version.line_items_update_is_beta();
    if line_items_beta {
        version.require_beta("line_items")?;
    }
    if params.discounts.is_some() {
        version.require_beta("discounts")?;
    }
    if params.subscription_data.is_some() {
        version.require_trial_preview("subscription_data")?;
    }
    let updated = state.store.update(&id, |session| {
        if session.status != Status::Open {
            return Err(not_open(session));
        }
        if let Some(items) = params.line_items {
            if version.server_update_beta {
                require_server_only(&session.permissions.update_line_items, "line_items")?;
            }
            let items = resolve_line_items(&state, items, Some(&session.line_items))?;
            let currency = check_items(&session.mode, &items)?;
            if currency.is_some() && currency != session.currency {
                return Err(StripeApiError::invalid(
                    "line_items",
                    "The new line items must use the Checkout Session's currency.",
                ));
            }
            session.line_items = items;
        }
        if let Some(discounts) = params.discounts {
            require_server_only(&session.permissions.update_discounts, "discounts")?;
            apply_discounts(&state, session, discounts)?;
        }
        if let Some(data) = params.subscription_data {
            if session.mode != "subscription" {
                return Err(StripeApiError::invalid(
                    "subscription_data",
                    "subscription_data can only be used in subscription mode.",
                ));
            }
            if let Some(days) = data.trial_period_days {
                session.trial_period_days = parse_trial_days(&days)?;
            }
        }
        if let Some(options) = params.shipping_options {
            let options = parse_shipping_options(
                options,
                &session.mode,
                session.currency.as_deref(),
                &session.shipping_options,
            )?;
            session.set_shipping_options(options);
        }
        if let Some(info) = params.collected_information {
            if let Some(details) = parse_collected_information(info, &session.ui_mode)? {
                session.shipping_details = Some(details);
            }
        }
        apply_metadata(&mut session.metadata, params.metadata)?;
        Ok(())
    })?;
    let session = updated.ok_or_else(|| no_such_session(&id))?;
    state.updated();
    let totals = session.totals();
    tracing::info!(
        session_id = %session.id,
        amount_total = totals.total,
        amount_discount = totals.discount,
        "sandbox: session updated"
    );
    Ok(json_response(&SessionJson::new(&session, expand)))
}

/// `POST /v1/checkout/sessions/{id}/expire`: an open session becomes `expired`
/// (and a `checkout.session.expired` event is created).
async fn expire_session(
    State(state): State<Arc<Sessions>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let params: RetrieveParams = decode(&body_bytes(body)?)?;
    let expand = expand::parse(params.expand)?;
    let updated = state.store.update(&id, |session| {
        if session.status != Status::Open {
            return Err(StripeApiError::bad_request(format!(
                "Only Checkout Sessions with a status in [\"open\"] can be expired. This session has status \"{}\".",
                session.status.as_str()
            )));
        }
        session.status = Status::Expired;
        session.expires_at = session.expires_at.min(now());
        Ok(())
    })?;
    let session = updated.ok_or_else(|| no_such_session(&id))?;
    super::events::emit(
        &state.webhooks,
        crate::webhooks::CHECKOUT_SESSION_EXPIRED,
        &session,
        crate::webhooks::events::RequestRef::from_headers(&headers),
    );
    Ok(json_response(&SessionJson::new(&session, expand)))
}
