//! The calls the Stripe.js stand-in makes with the publishable key, as
//! Stripe.js calls Stripe: `payment_pages/{id}/init` (the client-shape
//! session), `payment_pages/{id}` (the customer's email, `updateEmail`) and
//! `payment_pages/{id}/confirm` (pay with a test card). Stripe.js's own
//! wire calls are not public: these routes and their parameters are the
//! emulator's (docs/sandbox-contract.md).

pub mod client_session;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use self::client_session::client_session;
use crate::error::{ApiResult, StripeApiError};
use crate::middleware::auth::check_publishable_key;
use crate::model::{Session, Status};
use crate::params::{body_bytes, decode, form};
use crate::store::Store;
use crate::webhooks::Webhooks;
use checkout_protocol::email::is_valid_email;

/// What the stand-in's routes work on: the sessions, and where a payment's
/// `checkout.session.completed` goes.
#[derive(Debug)]
struct PaymentPages {
    store: Arc<Store>,
    webhooks: Arc<Webhooks>,
}

/// The routes of the Stripe.js stand-in (publishable key in the body) over
/// the sessions of `store`, whose payments `webhooks` notifies.
pub fn routes(store: Arc<Store>, webhooks: Arc<Webhooks>) -> Router {
    Router::new()
        .route("/v1/payment_pages/{id}", post(update_payment_page))
        .route("/v1/payment_pages/{id}/init", post(init_payment_page))
        .route("/v1/payment_pages/{id}/confirm", post(confirm_payment_page))
        .with_state(Arc::new(PaymentPages { store, webhooks }))
}

/// `key` is read (and checked) before these are decoded: [`key_then_decode`].
#[derive(Debug, Deserialize)]
struct InitParams {
    client_secret: Option<String>,
}

#[derive(Debug, Deserialize)]
struct UpdateParams {
    client_secret: Option<String>,
    email: Option<String>,
    shipping_rate: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ConfirmParams {
    client_secret: Option<String>,
    email: Option<String>,
    payment_method: Option<PaymentMethodIn>,
    expected_amount: Option<String>,
    return_url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PaymentMethodIn {
    card: Option<CardIn>,
}

#[derive(Debug, Deserialize)]
struct CardIn {
    number: Option<String>,
}

/// Checks the publishable key (`key`) with a linear scan of the body, then
/// decodes it: a request with a bad key answers 401 without the full parse
/// (and its limits), as a request without a secret key does on the other routes.
fn key_then_decode<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<T> {
    let body = body_bytes(body)?;
    check_publishable_key(form::last_value(&body, "key").as_deref())?;
    decode(&body)
}

fn card_error(status: StatusCode, code: &'static str, message: &str) -> StripeApiError {
    StripeApiError {
        status,
        error_type: "card_error",
        code: Some(code),
        message: message.to_owned(),
        param: None,
    }
}

/// `POST /v1/payment_pages/{id}/confirm`: pays an open session with a test card.
/// `4242424242424242` succeeds; `4000000000000002` is declined (402); any other
/// number is incorrect (400).
async fn confirm_payment_page(
    State(state): State<Arc<PaymentPages>>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = confirm_inner(&state, &id, body);
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) if e.code == Some("card_declined") => (
            e.status,
            Json(json!({"error": {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
                "doc_url": "https://stripe.com/docs/error-codes/card-declined",
            }})),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

fn confirm_inner(
    state: &PaymentPages,
    id: &str,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Value> {
    let params: ConfirmParams = key_then_decode(body)?;
    let _ = params.expected_amount;
    let missing = || {
        StripeApiError::resource_missing(
            StatusCode::NOT_FOUND,
            "client_secret",
            format!("No such payment_page: '{id}'"),
        )
    };
    let secret = params.client_secret.ok_or_else(missing)?;
    let number: String = params
        .payment_method
        .and_then(|pm| pm.card)
        .and_then(|c| c.number)
        .ok_or_else(|| StripeApiError::missing("payment_method[card][number]"))?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let updated = state.store.update(id, |session| {
        if session.client_secret != secret {
            return Err(missing());
        }
        if params.return_url.is_some() && !session.return_url.is_empty() {
            return Err(StripeApiError::invalid("return_url", MSG_RETURN_URL_SET));
        }
        if session.status != Status::Open {
            return Err(StripeApiError::bad_request(format!(
                "This Checkout Session is {} and can no longer be confirmed.",
                session.status.as_str()
            )));
        }
        if let Some(email) = params.email.as_deref() {
            set_email(session, email)?;
        }
        if session.email().is_none() {
            return Err(StripeApiError {
                code: Some("parameter_missing"),
                ..StripeApiError::invalid("email", MSG_EMAIL_REQUIRED)
            });
        }
        match number.as_str() {
            "4242424242424242" => {
                session.status = Status::Complete;
                session.payment_status = if session.mode == "setup" {
                    "no_payment_required".to_owned()
                } else {
                    "paid".to_owned()
                };
                Ok(())
            }
            "4000000000000002" => Err(card_error(
                StatusCode::PAYMENT_REQUIRED,
                "card_declined",
                "Your card was declined.",
            )),
            _ => Err(StripeApiError {
                param: Some("payment_method[card][number]".to_owned()),
                ..card_error(
                    StatusCode::BAD_REQUEST,
                    "incorrect_number",
                    "Your card number is incorrect.",
                )
            }),
        }
    })?;
    let session = updated.ok_or_else(missing)?;
    tracing::info!(session_id = %session.id, "sandbox: session paid");
    crate::checkout_sessions::events::emit(
        &state.webhooks,
        crate::webhooks::CHECKOUT_SESSION_COMPLETED,
        &session,
        crate::webhooks::events::RequestRef::automatic(),
    );
    Ok(client_session(&session))
}

/// Confirming a session without an email (none at creation, none given by
/// the customer). Stripe's own wording is unpublished (docs/research-stripe-api.md
/// §10): the emulator's.
pub const MSG_EMAIL_REQUIRED: &str =
    "This Checkout Session needs the customer's email address before it can be confirmed.";

/// A customer email other than the merchant's `customer_email` (Stripe
/// refuses one at confirmation; stripe-android#13372 quotes its message).
pub const MSG_EMAIL_MISMATCH: &str = "customer_email was provided when creating the Checkout Session, but a different email was provided.";

/// `confirm({returnUrl})` on a session created with `return_url` (every
/// session of the emulator has one). Stripe.js throws then (basil changelog:
/// "An error is now thrown when passing in `returnUrl` on `confirm` when
/// `return_url` has been already set on the Checkout Session"); the
/// stand-in turns this refusal (400, `param: return_url`, no code) into an
/// `IntegrationError`. The wording is the emulator's.
pub const MSG_RETURN_URL_SET: &str = "returnUrl cannot be passed to confirm(): return_url was already set when creating the Checkout Session.";

/// `updateEmail(email)` on a session created with `customer_email`.
/// Stripe.js throws then (beta_6 changelog: "`updateEmail` now throws an
/// error if `customer_email` was provided when creating the Checkout
/// Session"); the stand-in turns this refusal (400, `param: email`, no code)
/// into an `IntegrationError`. The wording is the emulator's.
pub const MSG_CUSTOMER_EMAIL_SET: &str =
    "updateEmail() cannot be used: customer_email was provided when creating the Checkout Session.";

/// Records the customer's email on an open session: `""` clears it
/// (`updateEmail(null)`); anything but a valid address is `email_invalid`;
/// an address other than the merchant's `customer_email` is refused (the
/// same one, in any case, keeps the merchant's).
fn set_email(session: &mut Session, email: &str) -> ApiResult<()> {
    let email = email.trim();
    if email.is_empty() {
        session.collected_email = None;
        return Ok(());
    }
    if !is_valid_email(email) {
        return Err(StripeApiError::email_invalid("email", email));
    }
    if let Some(merchant) = &session.customer_email {
        if !merchant.eq_ignore_ascii_case(email) {
            return Err(StripeApiError::invalid("email", MSG_EMAIL_MISMATCH));
        }
        // The merchant's address stands.
        session.collected_email = None;
        return Ok(());
    }
    session.collected_email = Some(email.to_owned());
    Ok(())
}

/// Selects the shipping option `id` (`updateShippingOption`): one of the
/// session's `shipping_options`, else 400 `resource_missing`, param
/// `shipping_rate` (the emulator's wording; Stripe.js's is unpublished).
fn select_shipping_rate(session: &mut Session, id: &str) -> ApiResult<()> {
    if !session.shipping_options.iter().any(|r| r.id == id) {
        return Err(StripeApiError::resource_missing(
            StatusCode::BAD_REQUEST,
            "shipping_rate",
            format!("No such shipping option on this Checkout Session: '{id}'"),
        ));
    }
    session.selected_shipping_rate = Some(id.to_owned());
    Ok(())
}

/// `POST /v1/payment_pages/{id}`: the stand-in's `updateEmail(email)` and
/// `updateShippingOption(id)`. Form: `key`, `client_secret`, and `email`
/// (`""` clears it) and/or `shipping_rate` (the id of one of the session's
/// shipping options: [`select_shipping_rate`]; the field name is the
/// emulator's, Stripe.js's own wire call is not public). Answers the
/// client-shape session; 400 `email_invalid` for a malformed address, 400
/// `param: email` ([`MSG_CUSTOMER_EMAIL_SET`]) whatever the address when
/// the session was created with `customer_email`, 400 for a session that
/// is not open, 404 as `init` for an unknown session or secret.
async fn update_payment_page(
    State(state): State<Arc<PaymentPages>>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Value>> {
    let params: UpdateParams = key_then_decode(body)?;
    let missing = || {
        StripeApiError::resource_missing(
            StatusCode::NOT_FOUND,
            "client_secret",
            format!("No such payment_page: '{id}'"),
        )
    };
    let secret = params.client_secret.ok_or_else(missing)?;
    if params.email.is_none() && params.shipping_rate.is_none() {
        return Err(StripeApiError::missing("email"));
    }
    let updated = state.store.update(&id, |session| {
        if session.client_secret != secret {
            return Err(missing());
        }
        if session.status != Status::Open {
            return Err(StripeApiError::bad_request(format!(
                "This Checkout Session is {} and can no longer be updated.",
                session.status.as_str()
            )));
        }
        if let Some(rate) = params.shipping_rate.as_deref() {
            select_shipping_rate(session, rate)?;
        }
        if let Some(email) = params.email.as_deref() {
            if session.customer_email.is_some() {
                return Err(StripeApiError::invalid("email", MSG_CUSTOMER_EMAIL_SET));
            }
            set_email(session, email)?;
        }
        Ok(())
    })?;
    let session = updated.ok_or_else(missing)?;
    Ok(Json(client_session(&session)))
}

/// `POST /v1/payment_pages/{id}/init`: the client-shape session for Stripe.js.
async fn init_payment_page(
    State(state): State<Arc<PaymentPages>>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Value>> {
    let params: InitParams = key_then_decode(body)?;
    let missing = || {
        StripeApiError::resource_missing(
            StatusCode::NOT_FOUND,
            "client_secret",
            format!("No such payment_page: '{id}'"),
        )
    };
    let session = state.store.get(&id).ok_or_else(missing)?;
    if params.client_secret.as_deref() != Some(session.client_secret.as_str()) {
        return Err(missing());
    }
    Ok(Json(client_session(&session)))
}
