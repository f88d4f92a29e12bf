//! The merchant endpoints the widget calls (`/config`, `/create-checkout-session`,
//! `/change-subscription-interval`, `/update-discounts`, `/apply-customer-discount`,
//! `/extend-trial-for-yearly`, `/update-line-item-quantity`).
//!
//! Whenever an update changes what the customer buys (interval or quantity)
//! and the session carries a discount, the discount is recomputed by the
//! [`DiscountPolicy`] for the new subtotal and sent in the *same* Stripe
//! update, so a discount never outlives its eligibility.
//!
//! Request bodies are JSON; every error answers `{"type":"error","message":...}`.
//! Session ids are validated before they reach a Stripe URL. Details of
//! failures go to the tracing logs only, never to the client.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use tracing::{field, Instrument, Span};

use crate::config::Config;
use crate::discount::DiscountPolicy;
use crate::stats::RouteCounts;
use crate::stripe_client::{
    CheckoutSession, CouponDataParam, CreateSessionParams, DiscountParam, LineItem, LineItemParam,
    PermissionsParam, StripeClient, StripeError, SubscriptionDataParam, UpdateSessionParams,
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
/// Quantities `/update-line-item-quantity` accepts: integers `1..=MAX_QUANTITY`.
pub const MAX_QUANTITY: u64 = 10;
/// Trial length `/extend-trial-for-yearly` gives yearly plans.
pub const YEARLY_TRIAL_DAYS: u32 = 14;
/// The message for a quantity out of bounds.
pub const MSG_BAD_QUANTITY: &str = "quantity must be a whole number from 1 to 10.";
/// The message for an unknown line item.
pub const MSG_NO_LINE_ITEM: &str = "That item is not in your cart. Please refresh your session.";
/// The message for a trial request on a session that is not a subscription.
pub const MSG_NOT_SUBSCRIPTION: &str = "Trials are only available for subscriptions.";
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
    /// `POST`s received, by endpoint (also shown by `GET /sandbox/stats`).
    pub requests: Arc<RouteCounts>,
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
        let value = match Json::<Value>::from_request(req, state).await {
            Ok(Json(value)) => value,
            Err(rejection) => return Err(json_rejection(&rejection)),
        };
        // serde would read a struct from an array too (`["cs_...", "yearly"]`).
        if !value.is_object() {
            tracing::info!("rejected request body: not a JSON object");
            return Err(ApiError::bad_request(MSG_NOT_OBJECT));
        }
        serde_json::from_value(value).map(ApiJson).map_err(|e| {
            tracing::info!(rejection = %e, "rejected request body");
            ApiError::bad_request(format!("The request body has the wrong shape: {e}"))
        })
    }
}

/// The message for a body that is JSON but not an object.
pub const MSG_NOT_OBJECT: &str = "The request body must be a JSON object.";

/// The message for a session that is expired or complete.
pub const MSG_NOT_OPEN: &str =
    "This checkout session is no longer open. Please refresh your session.";

/// Refuses (400) to change a session that is not `open`.
fn require_open(session: &CheckoutSession) -> Result<(), ApiError> {
    match session.status.as_deref() {
        Some("open") | None => Ok(()),
        Some(status) => {
            tracing::info!(status, "refused to update a session that is not open");
            Err(ApiError::bad_request(MSG_NOT_OPEN))
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

/// The message of a `POST` refused for its `Origin`.
pub const MSG_FORBIDDEN_ORIGIN: &str = "This page is not allowed to call the checkout server.";

/// Counts every merchant `POST` by endpoint, then refuses (403) a `POST`
/// whose `Origin` header is not one of `Config::allowed_origins`. Requests
/// without `Origin` (not from a browser, or same-origin `GET`s) pass.
async fn guard_origin(State(state): State<MerchantState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    state.requests.incr(req.uri().path());
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let allowed = origin
            .to_str()
            .is_ok_and(|o| state.config.origin_allowed(o));
        if !allowed {
            tracing::warn!(
                origin = %String::from_utf8_lossy(origin.as_bytes()),
                path = %req.uri().path(),
                "refused a request from a foreign origin"
            );
            return ApiError::new(StatusCode::FORBIDDEN, MSG_FORBIDDEN_ORIGIN).into_response();
        }
    }
    next.run(req).await
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
        .route("/extend-trial-for-yearly", post(extend_trial_for_yearly))
        .route(
            "/update-line-item-quantity",
            post(update_line_item_quantity),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), guard_origin))
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
        "stripeJsUrl": state.config.page_stripe_js_url(),
        "mode": state.config.mode.as_str(),
        "train": state.config.train.as_str(),
    }))
}

/// Body of `POST /create-checkout-session`: none, or `{}`. Amounts and
/// prices come from the server's configuration only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateSessionBody {}

/// Checks the (optional) body of `POST /create-checkout-session`: empty with no
/// `Content-Type` (what the widget sends), or a JSON `{}` with `application/json`.
fn check_create_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(), ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "The request body is too large (limit {} KiB).",
                    BODY_LIMIT / 1024
                ),
            )
        } else {
            ApiError::bad_request("The request body could not be read.")
        }
    })?;
    let content_type = headers.get(header::CONTENT_TYPE);
    if body.is_empty() && content_type.is_none() {
        return Ok(());
    }
    let is_json = content_type
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::bad_request(
            "Expected a JSON body with `Content-Type: application/json`.",
        ));
    }
    let value: Value = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("The request body is not valid JSON."))?;
    if !value.is_object() {
        return Err(ApiError::bad_request(MSG_NOT_OBJECT));
    }
    serde_json::from_value::<CreateSessionBody>(value)
        .map(|_| ())
        .map_err(|e| ApiError::bad_request(format!("The request body has the wrong shape: {e}")))
}

/// `POST /create-checkout-session` → `{"clientSecret": ...}`.
async fn create_checkout_session(
    State(state): State<MerchantState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    async move {
        let result = match check_create_body(&headers, body) {
            Ok(()) => create_session_inner(&state).await,
            Err(e) => Err(e),
        };
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
        ui_mode: state.config.train.ui_mode().to_owned(),
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
#[serde(deny_unknown_fields)]
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
    let session = retrieve_with_items(state, &id).await?;
    require_open(&session)?;
    let items = line_items_of(&session)?;
    let quantity = items.first().and_then(|li| li.quantity).unwrap_or(1);
    let mut params = UpdateSessionParams {
        line_items: Some(vec![LineItemParam::price(price, quantity)]),
        ..Default::default()
    };
    if has_discount(&session) {
        let new_price = state.stripe.retrieve_price(price).await.map_err(|e| {
            log_stripe_error(&e, "retrieve price");
            ApiError::from_stripe(&e, MSG_BAD_REQUEST, MSG_INTERNAL)
        })?;
        let unit = new_price.unit_amount.unwrap_or(0);
        let subtotal = unit.saturating_mul(i64::try_from(quantity).unwrap_or(i64::MAX));
        params.discounts = Some(policy_discounts(state, &session, subtotal));
    }
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

/// Retrieves a session with `expand[]=line_items`.
async fn retrieve_with_items(state: &MerchantState, id: &str) -> Result<CheckoutSession, ApiError> {
    state
        .stripe
        .retrieve_session(id, &["line_items"])
        .await
        .map_err(|e| {
            log_stripe_error(&e, "retrieve session");
            ApiError::from_stripe(&e, MSG_BAD_REQUEST, MSG_INTERNAL)
        })
}

/// The (complete) line items of a session retrieved with `expand[]=line_items`.
fn line_items_of(session: &CheckoutSession) -> Result<&[LineItem], ApiError> {
    match &session.line_items {
        Some(list) if !list.has_more => Ok(&list.data),
        Some(_) => {
            tracing::error!(
                "the session has more line items than one page; refusing to rewrite them"
            );
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                MSG_INTERNAL,
            ))
        }
        None => {
            tracing::error!("Stripe did not expand line_items");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                MSG_INTERNAL,
            ))
        }
    }
}

/// Whether the session carries a discount now.
fn has_discount(session: &CheckoutSession) -> bool {
    session.discounts.as_ref().is_some_and(|d| !d.is_empty())
        || session
            .total_details
            .as_ref()
            .is_some_and(|t| t.amount_discount > 0)
}

/// The policy's discounts for `session` if its subtotal became `subtotal`
/// (`[]`, i.e. removal, when no longer eligible).
fn policy_discounts(
    state: &MerchantState,
    session: &CheckoutSession,
    subtotal: i64,
) -> Vec<DiscountParam> {
    let would_be = CheckoutSession {
        id: session.id.clone(),
        mode: session.mode.clone(),
        currency: session.currency.clone(),
        amount_subtotal: Some(subtotal),
        amount_total: Some(subtotal),
        ..Default::default()
    };
    let discounts: Vec<DiscountParam> = state
        .policy
        .discount_for(&would_be)
        .map(|d| vec![coupon_data(d)])
        .unwrap_or_default();
    tracing::info!(
        subtotal,
        discounts = discounts.len(),
        "discount recomputed for the new cart"
    );
    discounts
}

fn coupon_data(d: crate::discount::Discount) -> DiscountParam {
    DiscountParam {
        coupon: None,
        coupon_data: Some(CouponDataParam {
            name: Some(d.name),
            amount_off: Some(d.amount_off),
            currency: Some(d.currency),
            ..Default::default()
        }),
    }
}

/// Body of `POST /extend-trial-for-yearly`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtendTrialBody {
    checkout_session_id: Option<String>,
}

/// `POST /extend-trial-for-yearly`: a 14-day trial for yearly plans, none for monthly.
async fn extend_trial_for_yearly(
    State(state): State<MerchantState>,
    body: Result<ApiJson<ExtendTrialBody>, ApiError>,
) -> Response {
    async move {
        let result = match body {
            Ok(ApiJson(body)) => extend_trial_inner(&state, body).await,
            Err(e) => Err(e),
        };
        record_outcome(&result);
        match result {
            Ok(()) => Json(json!({"type": "success"})).into_response(),
            Err(e) => e.into_response(),
        }
    }
    .instrument(endpoint_span("extend-trial-for-yearly"))
    .await
}

async fn extend_trial_inner(state: &MerchantState, body: ExtendTrialBody) -> Result<(), ApiError> {
    let id = session_id(body.checkout_session_id, "checkout_session_id is required.")?;
    let session = retrieve_with_items(state, &id).await?;
    require_open(&session)?;
    if session.mode.as_deref() != Some("subscription") {
        return Err(ApiError::bad_request(MSG_NOT_SUBSCRIPTION));
    }
    let items = line_items_of(&session)?;
    let interval = items
        .iter()
        .find_map(|li| li.price.as_ref().and_then(|p| p.recurring.as_ref()))
        .map(|r| r.interval.as_str());
    let trial_period_days = match interval {
        Some("year") => Some(YEARLY_TRIAL_DAYS),
        Some("month") => None,
        _ => return Err(ApiError::bad_request(MSG_NOT_SUBSCRIPTION)),
    };
    tracing::info!(?trial_period_days, "updating the trial");
    let params = UpdateSessionParams {
        subscription_data: Some(SubscriptionDataParam {
            trial_period_days: Some(trial_period_days),
        }),
        ..Default::default()
    };
    state
        .stripe
        .update_session(&id, &params)
        .await
        .map_err(|e| {
            log_stripe_error(&e, "update trial");
            ApiError::from_stripe(&e, MSG_BAD_REQUEST, MSG_INTERNAL)
        })?;
    Ok(())
}

/// Body of `POST /update-line-item-quantity`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateQuantityBody {
    checkout_session_id: Option<String>,
    line_item_id: Option<String>,
    quantity: Option<Value>,
}

/// `POST /update-line-item-quantity` → `{"type":"success"}`.
async fn update_line_item_quantity(
    State(state): State<MerchantState>,
    body: Result<ApiJson<UpdateQuantityBody>, ApiError>,
) -> Response {
    async move {
        let result = match body {
            Ok(ApiJson(body)) => update_quantity_inner(&state, body).await,
            Err(e) => Err(e),
        };
        record_outcome(&result);
        match result {
            Ok(()) => Json(json!({"type": "success"})).into_response(),
            Err(e) => e.into_response(),
        }
    }
    .instrument(endpoint_span("update-line-item-quantity"))
    .await
}

/// A quantity from JSON: an integer in `1..=MAX_QUANTITY` (`3.0` is refused too).
fn parse_quantity(value: Option<&Value>) -> Option<u64> {
    value
        .and_then(Value::as_u64)
        .filter(|q| (1..=MAX_QUANTITY).contains(q))
}

/// Whether `id` looks like a line item id (`li_` + letters, digits, `_`).
fn is_valid_line_item_id(id: &str) -> bool {
    id.strip_prefix("li_").is_some_and(|r| {
        (1..=250).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

async fn update_quantity_inner(
    state: &MerchantState,
    body: UpdateQuantityBody,
) -> Result<(), ApiError> {
    let id = session_id(body.checkout_session_id, "checkout_session_id is required.")?;
    let quantity = parse_quantity(body.quantity.as_ref())
        .ok_or_else(|| ApiError::bad_request(MSG_BAD_QUANTITY))?;
    let line_item_id = body
        .line_item_id
        .filter(|li| is_valid_line_item_id(li))
        .ok_or_else(|| ApiError::bad_request("line_item_id is not a valid line item id."))?;
    let session = retrieve_with_items(state, &id).await?;
    require_open(&session)?;
    let items = line_items_of(&session)?;
    if !items.iter().any(|li| li.id == line_item_id) {
        return Err(ApiError::bad_request(MSG_NO_LINE_ITEM));
    }
    // The whole array again: the others kept by id, the target with its new quantity.
    let mut subtotal: i64 = 0;
    let line_items: Vec<LineItemParam> = items
        .iter()
        .map(|li| {
            let target = li.id == line_item_id;
            let q = if target {
                quantity
            } else {
                li.quantity.unwrap_or(1)
            };
            let unit = li.price.as_ref().and_then(|p| p.unit_amount).unwrap_or(0);
            subtotal =
                subtotal.saturating_add(unit.saturating_mul(i64::try_from(q).unwrap_or(i64::MAX)));
            LineItemParam {
                id: Some(li.id.clone()),
                price: None,
                quantity: target.then_some(quantity),
            }
        })
        .collect();
    let mut params = UpdateSessionParams {
        line_items: Some(line_items),
        ..Default::default()
    };
    if has_discount(&session) {
        params.discounts = Some(policy_discounts(state, &session, subtotal));
    }
    tracing::info!(quantity, "updating a line item quantity");
    state
        .stripe
        .update_session(&id, &params)
        .await
        .map_err(|e| {
            log_stripe_error(&e, "update quantity");
            ApiError::from_stripe(&e, MSG_BAD_REQUEST, MSG_INTERNAL)
        })?;
    Ok(())
}

/// Body of `POST /update-discounts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
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
        .map(|d| vec![coupon_data(d)])
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
    require_open(&session)?;
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
#[serde(deny_unknown_fields)]
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
    require_open(&session)?;
    let Some(discount) = state.policy.discount_for(&session) else {
        return Ok(DiscountOutcome::Refused(MSG_NOT_ELIGIBLE));
    };
    tracing::info!(
        amount_off = discount.amount_off,
        "applying customer discount"
    );
    let params = UpdateSessionParams {
        discounts: Some(vec![coupon_data(discount)]),
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
    fn quantity_bounds() {
        assert_eq!(parse_quantity(Some(&json!(1))), Some(1));
        assert_eq!(parse_quantity(Some(&json!(10))), Some(10));
        assert_eq!(parse_quantity(Some(&json!(0))), None);
        assert_eq!(parse_quantity(Some(&json!(11))), None);
        assert_eq!(parse_quantity(Some(&json!(2.5))), None);
        assert_eq!(parse_quantity(Some(&json!(-1))), None);
        assert_eq!(parse_quantity(Some(&json!("3"))), None);
        assert_eq!(parse_quantity(None), None);
        assert!(is_valid_line_item_id("li_abc_123"));
        assert!(!is_valid_line_item_id("li_"));
        assert!(!is_valid_line_item_id("li_a/b"));
        assert!(!is_valid_line_item_id("price_x"));
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
