//! The merchant endpoints the widget calls (`/config`, `/create-checkout-session`,
//! `/change-subscription-interval`, `/update-discounts`, `/apply-customer-discount`).
//!
//! Request bodies are JSON; every error answers `{"type":"error","message":...}`.
//! Session ids are validated before they reach a Stripe URL. Details of
//! failures go to the tracing logs only, never to the client.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use tracing::{field, Instrument, Span};

use crate::config::Config;
use crate::discount::DiscountPolicy;
use crate::stripe_client::{
    CheckoutSession, CouponDataParam, CreateSessionParams, DiscountParam, LineItemParam,
    PermissionsParam, StripeClient, StripeError, UpdateSessionParams,
};

/// Maximum size of a merchant request body.
pub const BODY_LIMIT: usize = 16 * 1024;

/// The seeds' message for a refused request (bad input or a Stripe 4xx).
pub const MSG_BAD_REQUEST: &str = "We couldn't process your request. Please try again later.";
/// The seeds' message for an unexpected failure.
pub const MSG_INTERNAL: &str = "Something went wrong on our end. Please try again later.";
/// The seeds' message for more than one discount.
pub const MSG_INVALID_DISCOUNTS: &str = "Your discounts are invalid. Please refresh your session.";
/// The seeds' message for a failed discount update.
pub const MSG_DISCOUNT_FAILED: &str = "We could not update your discounts. Please try again.";
/// The message for a session that is not eligible for the customer discount.
pub const MSG_NOT_ELIGIBLE: &str = "Customer discounts apply to orders over $100.00.";

/// Shared state of the merchant routes.
#[derive(Clone)]
pub struct MerchantState {
    /// Configuration (keys, prices).
    pub config: Arc<Config>,
    /// The Stripe API client.
    pub stripe: StripeClient,
    /// The discount rules.
    pub policy: Arc<dyn DiscountPolicy>,
}

/// An error answer: `status` with `{"type":"error","message":message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Message for the customer.
    pub message: String,
}

impl ApiError {
    /// A new error answer.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// Maps a Stripe failure: 4xx → 400, anything else → 500 (with the given messages).
    fn from_stripe(err: &StripeError, client_msg: &str, server_msg: &str) -> Self {
        if err.is_client_error() {
            Self::bad_request(client_msg)
        } else {
            Self::new(StatusCode::INTERNAL_SERVER_ERROR, server_msg)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"type": "error", "message": self.message})),
        )
            .into_response()
    }
}

/// A JSON body extractor whose rejections answer the merchant error shape:
/// 400 for bad JSON, a wrong/missing `Content-Type`, wrong types or missing
/// fields; 413 for bodies over [`BODY_LIMIT`].
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> ApiError {
    tracing::info!(rejection = %rejection.body_text(), "rejected request body");
    match rejection {
        _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "The request body is too large (limit {} KiB).",
                BODY_LIMIT / 1024
            ),
        ),
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::bad_request("Expected a JSON body with `Content-Type: application/json`.")
        }
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::bad_request("The request body is not valid JSON.")
        }
        JsonRejection::JsonDataError(e) => ApiError::bad_request(format!(
            "The request body has the wrong shape: {}",
            data_error(e)
        )),
        _ => ApiError::bad_request("The request body could not be read."),
    }
}

/// The serde part of a JSON data error (e.g. "missing field `x` at line 1 column 2").
fn data_error(e: &axum::extract::rejection::JsonDataError) -> String {
    let text = e.body_text();
    match text.split_once(": ") {
        Some((_, detail)) => detail.to_owned(),
        None => text,
    }
}

/// Whether `id` looks like a Checkout Session id: `cs_(test|live)_[A-Za-z0-9]{1,250}`.
pub fn is_valid_session_id(id: &str) -> bool {
    let rest = id
        .strip_prefix("cs_test_")
        .or_else(|| id.strip_prefix("cs_live_"));
    matches!(rest, Some(r) if (1..=250).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn session_id(raw: Option<String>, missing_msg: &str) -> Result<String, ApiError> {
    let Some(id) = raw else {
        return Err(ApiError::bad_request(missing_msg));
    };
    Span::current().record("session_id", field::display(&id));
    if is_valid_session_id(&id) {
        Ok(id)
    } else {
        Err(ApiError::bad_request(
            "checkout_session_id is not a valid Checkout Session id.",
        ))
    }
}

fn record_outcome<T>(result: &Result<T, ApiError>) {
    let span = Span::current();
    match result {
        Ok(_) => {
            span.record("outcome", "ok");
            tracing::info!("request succeeded");
        }
        Err(e) => {
            span.record("outcome", field::display(e.status));
            tracing::info!(status = %e.status, reason = %e.message, "request failed");
        }
    }
}

fn log_stripe_error(err: &StripeError, action: &str) {
    match err {
        StripeError::Api {
            status,
            error_type,
            code,
            message,
            param,
            request_id,
        } => tracing::warn!(
            action,
            status,
            error_type,
            code = code.as_deref().unwrap_or(""),
            param = param.as_deref().unwrap_or(""),
            request_id = request_id.as_deref().unwrap_or(""),
            stripe_message = %message,
            "Stripe refused the call"
        ),
        other => tracing::error!(action, error = %other, "Stripe call failed"),
    }
}

/// The merchant routes (with their 16 KiB body limit), given their state.
pub fn router(state: MerchantState) -> Router {
    Router::new()
        .route("/config", get(config))
        .route("/create-checkout-session", post(create_checkout_session))
        .route(
            "/change-subscription-interval",
            post(change_subscription_interval),
        )
        .route("/update-discounts", post(update_discounts))
        .route("/apply-customer-discount", post(apply_customer_discount))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

fn endpoint_span(endpoint: &'static str) -> Span {
    tracing::info_span!(
        "merchant",
        endpoint,
        session_id = field::Empty,
        outcome = field::Empty
    )
}

/// `GET /config`: what the browser needs. Never contains a secret.
async fn config(State(state): State<MerchantState>) -> Json<Value> {
    Json(json!({
        "publishableKey": state.config.publishable_key,
        "stripeJsUrl": state.config.stripe_js_url,
        "mode": state.config.mode.as_str(),
    }))
}

/// `POST /create-checkout-session` → `{"clientSecret": ...}`.
async fn create_checkout_session(State(state): State<MerchantState>) -> Response {
    async move {
        let result = create_session_inner(&state).await;
        record_outcome(&result);
        match result {
            Ok(secret) => Json(json!({ "clientSecret": secret })).into_response(),
            Err(e) => e.into_response(),
        }
    }
    .instrument(endpoint_span("create-checkout-session"))
    .await
}

async fn create_session_inner(state: &MerchantState) -> Result<String, ApiError> {
    let params = CreateSessionParams {
        mode: "subscription".to_owned(),
        ui_mode: "custom".to_owned(),
        line_items: vec![LineItemParam::price(&state.config.monthly_price, 1)],
        permissions: Some(PermissionsParam {
            update_line_items: Some("server_only".to_owned()),
            update_discounts: Some("server_only".to_owned()),
        }),
        return_url: state.config.return_url.clone(),
        metadata: Default::default(),
    };
    let session = state.stripe.create_session(&params).await.map_err(|e| {
        log_stripe_error(&e, "create session");
        ApiError::from_stripe(&e, MSG_BAD_REQUEST, MSG_INTERNAL)
    })?;
    Span::current().record("session_id", field::display(&session.id));
    session.client_secret.ok_or_else(|| {
        tracing::error!("Stripe returned a session without a client_secret");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, MSG_INTERNAL)
    })
}

/// Body of `POST /change-subscription-interval`.
#[derive(Debug, Deserialize)]
struct ChangeIntervalBody {
    checkout_session_id: Option<String>,
    interval: Option<String>,
}

/// `POST /change-subscription-interval` → `{"type":"success"}`.
async fn change_subscription_interval(
    State(state): State<MerchantState>,
    body: Result<ApiJson<ChangeIntervalBody>, ApiError>,
) -> Response {
    async move {
        let result = match body {
            Ok(ApiJson(body)) => change_interval_inner(&state, body).await,
            Err(e) => Err(e),
        };
        record_outcome(&result);
        match result {
            Ok(()) => Json(json!({"type": "success"})).into_response(),
            Err(e) => e.into_response(),
        }
    }
    .instrument(endpoint_span("change-subscription-interval"))
    .await
}

async fn change_interval_inner(
    state: &MerchantState,
    body: ChangeIntervalBody,
) -> Result<(), ApiError> {
    let id = session_id(body.checkout_session_id, MSG_BAD_REQUEST)?;
    let price = match body.interval.as_deref() {
        Some("monthly") => &state.config.monthly_price,
        Some("yearly") => &state.config.yearly_price,
        None => return Err(ApiError::bad_request(MSG_BAD_REQUEST)),
        Some(_) => {
            return Err(ApiError::bad_request(
                "interval must be \"monthly\" or \"yearly\".",
            ))
        }
    };
    let params = UpdateSessionParams {
        line_items: Some(vec![LineItemParam::price(price, 1)]),
        ..Default::default()
    };
    state
        .stripe
        .update_session(&id, &params)
        .await
        .map_err(|e| {
            log_stripe_error(&e, "update line items");
            ApiError::from_stripe(&e, MSG_BAD_REQUEST, MSG_INTERNAL)
        })?;
    Ok(())
}

/// Body of `POST /update-discounts`.
#[derive(Debug, Deserialize)]
struct UpdateDiscountsBody {
    checkout_session_id: Option<String>,
    discounts: Option<Value>,
}

/// What a `/update-discounts` or `/apply-customer-discount` call answers on success
/// or on a business-rule refusal (both HTTP 200).
enum DiscountOutcome {
    Updated,
    Refused(&'static str),
}

impl IntoResponse for DiscountOutcome {
    fn into_response(self) -> Response {
        match self {
            DiscountOutcome::Updated => {
                Json(json!({"type": "object", "value": {"succeeded": true}})).into_response()
            }
            DiscountOutcome::Refused(message) => {
                Json(json!({"type": "error", "message": message})).into_response()
            }
        }
    }
}

/// `POST /update-discounts`: the seeds' validate → recompute → update.
async fn update_discounts(
    State(state): State<MerchantState>,
    body: Result<ApiJson<UpdateDiscountsBody>, ApiError>,
) -> Response {
    async move {
        let result = match body {
            Ok(ApiJson(body)) => update_discounts_inner(&state, body).await,
            Err(e) => Err(e),
        };
        record_outcome(&result);
        match result {
            Ok(outcome) => outcome.into_response(),
            Err(e) => e.into_response(),
        }
    }
    .instrument(endpoint_span("update-discounts"))
    .await
}

/// The requested discounts: `[]`/`""` (remove all) or a list.
fn requested_discounts(value: Option<Value>) -> Result<Vec<Value>, ApiError> {
    match value {
        Some(Value::Array(list)) => Ok(list),
        Some(Value::String(s)) if s.is_empty() => Ok(Vec::new()),
        Some(Value::Null) | None => Err(ApiError::bad_request(
            "discounts is required (a list, or \"\" to remove all discounts).",
        )),
        Some(_) => Err(ApiError::bad_request(
            "discounts must be a list, or \"\" to remove all discounts.",
        )),
    }
}

/// The seeds' `validate_discounts`: at most one discount.
fn validate_discounts(discounts: &[Value], _session: &CheckoutSession) -> bool {
    discounts.len() <= 1
}

/// The seeds' `recompute_discounts`, with the policy as `calculate_customer_discount`.
fn recompute_discounts(
    discounts: &[Value],
    session: &CheckoutSession,
    policy: &dyn DiscountPolicy,
) -> Vec<DiscountParam> {
    if discounts.is_empty() {
        return Vec::new();
    }
    policy
        .discount_for(session)
        .map(|d| {
            vec![DiscountParam {
                coupon: None,
                coupon_data: Some(CouponDataParam {
                    name: Some(d.name),
                    amount_off: Some(d.amount_off),
                    currency: Some(d.currency),
                    ..Default::default()
                }),
            }]
        })
        .unwrap_or_default()
}

fn discount_stripe_error(e: &StripeError, action: &str) -> ApiError {
    log_stripe_error(e, action);
    ApiError::from_stripe(e, MSG_DISCOUNT_FAILED, MSG_DISCOUNT_FAILED)
}

async fn update_discounts_inner(
    state: &MerchantState,
    body: UpdateDiscountsBody,
) -> Result<DiscountOutcome, ApiError> {
    let id = session_id(body.checkout_session_id, "checkout_session_id is required.")?;
    let requested = requested_discounts(body.discounts)?;
    let session = state
        .stripe
        .retrieve_session(&id, &[])
        .await
        .map_err(|e| discount_stripe_error(&e, "retrieve session"))?;
    if !validate_discounts(&requested, &session) {
        return Ok(DiscountOutcome::Refused(MSG_INVALID_DISCOUNTS));
    }
    let discounts = recompute_discounts(&requested, &session, state.policy.as_ref());
    tracing::info!(discounts = discounts.len(), "updating discounts");
    let params = UpdateSessionParams {
        discounts: Some(discounts),
        ..Default::default()
    };
    state
        .stripe
        .update_session(&id, &params)
        .await
        .map_err(|e| discount_stripe_error(&e, "update discounts"))?;
    Ok(DiscountOutcome::Updated)
}

/// Body of `POST /apply-customer-discount`.
#[derive(Debug, Deserialize)]
struct ApplyDiscountBody {
    checkout_session_id: Option<String>,
}

/// `POST /apply-customer-discount`: apply the policy's discount, if eligible.
async fn apply_customer_discount(
    State(state): State<MerchantState>,
    body: Result<ApiJson<ApplyDiscountBody>, ApiError>,
) -> Response {
    async move {
        let result = match body {
            Ok(ApiJson(body)) => apply_discount_inner(&state, body).await,
            Err(e) => Err(e),
        };
        record_outcome(&result);
        match result {
            Ok(outcome) => outcome.into_response(),
            Err(e) => e.into_response(),
        }
    }
    .instrument(endpoint_span("apply-customer-discount"))
    .await
}

async fn apply_discount_inner(
    state: &MerchantState,
    body: ApplyDiscountBody,
) -> Result<DiscountOutcome, ApiError> {
    let id = session_id(body.checkout_session_id, "checkout_session_id is required.")?;
    let session = state
        .stripe
        .retrieve_session(&id, &[])
        .await
        .map_err(|e| discount_stripe_error(&e, "retrieve session"))?;
    let Some(discount) = state.policy.discount_for(&session) else {
        return Ok(DiscountOutcome::Refused(MSG_NOT_ELIGIBLE));
    };
    tracing::info!(
        amount_off = discount.amount_off,
        "applying customer discount"
    );
    let params = UpdateSessionParams {
        discounts: Some(vec![DiscountParam {
            coupon: None,
            coupon_data: Some(CouponDataParam {
                name: Some(discount.name),
                amount_off: Some(discount.amount_off),
                currency: Some(discount.currency),
                ..Default::default()
            }),
        }]),
        ..Default::default()
    };
    state
        .stripe
        .update_session(&id, &params)
        .await
        .map_err(|e| discount_stripe_error(&e, "apply discount"))?;
    Ok(DiscountOutcome::Updated)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn session_id_shape() {
        assert!(is_valid_session_id("cs_test_abc123"));
        assert!(is_valid_session_id("cs_live_A1"));
        assert!(!is_valid_session_id("cs_test_"));
        assert!(!is_valid_session_id("cs_test_abc/../x"));
        assert!(!is_valid_session_id("cs_prod_abc"));
        assert!(!is_valid_session_id("cs_test_a?b"));
        assert!(is_valid_session_id(&format!("cs_test_{}", "a".repeat(250))));
        assert!(!is_valid_session_id(&format!(
            "cs_test_{}",
            "a".repeat(251)
        )));
    }

    #[test]
    fn requested_discounts_shapes() {
        assert_eq!(requested_discounts(Some(json!([]))).unwrap().len(), 0);
        assert_eq!(requested_discounts(Some(json!(""))).unwrap().len(), 0);
        assert_eq!(requested_discounts(Some(json!([{}, {}]))).unwrap().len(), 2);
        assert!(requested_discounts(Some(json!("x"))).is_err());
        assert!(requested_discounts(None).is_err());
    }
}
