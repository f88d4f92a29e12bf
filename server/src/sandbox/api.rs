//! The sandbox's Stripe API routes under `/v1`: create, retrieve and update
//! Checkout Sessions, and the client-side `payment_pages/{id}/init`.
//!
//! Requests are authenticated like Stripe's (`Authorization: Bearer sk_test_...`
//! or HTTP basic with the key as user name), errors use Stripe's
//! `{"error": {...}}` shape, and every response carries a `Request-Id`.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::client_session::client_session;
use super::form;
use super::render::{self, Expand};
use super::store::{
    new_id, now, random_alnum, Coupon, LineItem, Permissions, Price, Recurring, Session,
    ShippingRate, Status,
};
use super::SandboxState;

/// A Stripe API error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// `error.type`.
    pub error_type: &'static str,
    /// `error.code`.
    pub code: Option<&'static str>,
    /// `error.message`.
    pub message: String,
    /// `error.param`.
    pub param: Option<String>,
}

impl StripeApiError {
    /// 400 `invalid_request_error` about `param`.
    pub fn invalid(param: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error_type: "invalid_request_error",
            code: None,
            message: message.into(),
            param: Some(param.into()),
        }
    }

    /// 400 `parameter_missing`.
    pub fn missing(param: &str) -> Self {
        Self {
            code: Some("parameter_missing"),
            ..Self::invalid(param, format!("Missing required param: {param}."))
        }
    }

    /// 400 `parameter_invalid_integer`.
    pub fn invalid_integer(param: &str, value: &str) -> Self {
        Self {
            code: Some("parameter_invalid_integer"),
            ..Self::invalid(param, format!("Invalid integer: {value}"))
        }
    }

    /// 400 (or 404 for `status`) `resource_missing`.
    pub fn resource_missing(status: StatusCode, param: &str, message: String) -> Self {
        Self {
            status,
            code: Some("resource_missing"),
            ..Self::invalid(param, message)
        }
    }

    /// 401 about the API key.
    pub fn unauthorized(message: String) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            error_type: "invalid_request_error",
            code: None,
            message,
            param: None,
        }
    }

    /// 400 "Received unknown parameter" (also what Stripe answers for a
    /// parameter the request's API version does not have).
    pub fn unknown_parameter(param: &str) -> Self {
        Self::invalid(param, format!("Received unknown parameter: {param}"))
    }

    /// A general 400 without a param.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            param: None,
            ..Self::invalid("", message)
        }
    }
}

impl IntoResponse for StripeApiError {
    fn into_response(self) -> Response {
        let mut error = Map::new();
        error.insert("type".to_owned(), json!(self.error_type));
        if let Some(code) = self.code {
            error.insert("code".to_owned(), json!(code));
            error.insert(
                "doc_url".to_owned(),
                json!(format!(
                    "https://stripe.com/docs/error-codes/{}",
                    code.replace('_', "-")
                )),
            );
        }
        error.insert("message".to_owned(), json!(self.message));
        if let Some(param) = self.param {
            error.insert("param".to_owned(), json!(param));
        }
        (self.status, Json(json!({ "error": error }))).into_response()
    }
}

type ApiResult<T> = Result<T, StripeApiError>;

/// The `/v1` routes.
pub fn router(state: Arc<SandboxState>) -> Router {
    let sessions = Router::new()
        .route("/v1/checkout/sessions", post(create_session))
        .route(
            "/v1/checkout/sessions/{id}",
            get(retrieve_session).post(update_session),
        )
        .route("/v1/checkout/sessions/{id}/expire", post(expire_session))
        .route_layer(middleware::from_fn(require_secret_key))
        .route_layer(middleware::from_fn_with_state(state.clone(), inject_faults));
    let catalog = Router::new()
        .route("/v1/coupons", post(create_coupon))
        .route("/v1/coupons/{id}", get(retrieve_coupon))
        .route("/v1/prices/{id}", get(retrieve_price))
        .route_layer(middleware::from_fn(require_secret_key));
    Router::new()
        .merge(sessions)
        .merge(catalog)
        .route("/v1/payment_pages/{id}/init", post(init_payment_page))
        .route("/v1/payment_pages/{id}/confirm", post(confirm_payment_page))
        .layer(middleware::from_fn(add_request_id))
        .with_state(state)
}

/// Adds `Request-Id: req_...` to every response.
async fn add_request_id(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    if let Ok(value) = HeaderValue::from_str(&new_id("req", 14)) {
        response.headers_mut().insert("request-id", value);
    }
    response
}

/// What one request draws from the pending faults.
enum Fault {
    Hang,
    Run {
        delay_ms: Option<u64>,
        fail: Option<u16>,
    },
}

/// Answers the configured faults while `/sandbox/faults` says so: hangs
/// (no answer for up to [`super::MAX_HANG`], then 504), delays, failures.
async fn inject_faults(
    State(state): State<Arc<SandboxState>>,
    req: Request,
    next: Next,
) -> Response {
    let fault = {
        let mut faults = state.faults.lock().unwrap_or_else(PoisonError::into_inner);
        if faults.hang_remaining > 0 {
            faults.hang_remaining -= 1;
            Fault::Hang
        } else {
            let delay_ms = (faults.delay_remaining > 0).then(|| {
                faults.delay_remaining -= 1;
                faults.delay_ms
            });
            let fail = (faults.remaining > 0).then(|| {
                faults.remaining -= 1;
                faults.status
            });
            Fault::Run { delay_ms, fail }
        }
    };
    let path = req.uri().path().to_owned();
    let (delay_ms, fail) = match fault {
        Fault::Hang => {
            state.fault_counts.hung.fetch_add(1, Ordering::Relaxed);
            tracing::info!(path, "sandbox fault injected: hanging");
            let released = state.release_hangs.notified();
            tokio::select! {
                () = tokio::time::sleep(super::MAX_HANG) => {},
                () = released => {},
            }
            return StripeApiError {
                status: StatusCode::GATEWAY_TIMEOUT,
                error_type: "api_error",
                code: None,
                message: "Sandbox fault injected (hang)".to_owned(),
                param: None,
            }
            .into_response();
        }
        Fault::Run { delay_ms, fail } => (delay_ms, fail),
    };
    if let Some(ms) = delay_ms {
        state.fault_counts.delayed.fetch_add(1, Ordering::Relaxed);
        tracing::info!(path, delay_ms = ms, "sandbox fault injected: delay");
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    match fail {
        Some(status) => {
            state.fault_counts.failed.fetch_add(1, Ordering::Relaxed);
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            tracing::info!(%status, path, "sandbox fault injected");
            StripeApiError {
                status,
                error_type: "api_error",
                code: None,
                message: "Sandbox fault injected".to_owned(),
                param: None,
            }
            .into_response()
        }
        None => next.run(req).await,
    }
}

/// `sk_test_abc...1234` → `sk_test_*****1234`.
pub fn mask_key(key: &str) -> String {
    let prefix_len = key
        .match_indices('_')
        .nth(1)
        .map(|(i, _)| i + 1)
        .unwrap_or(0);
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < prefix_len + 8 {
        return "*".repeat(chars.len().max(1));
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!(
        "{}{}{tail}",
        &key[..prefix_len],
        "*".repeat(chars.len() - prefix_len - 4)
    )
}

fn decode_base64(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in input.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// The API key of a request: bearer token, or the basic-auth user name.
pub fn api_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        Some(rest.to_owned())
    } else if scheme.eq_ignore_ascii_case("basic") {
        let decoded = String::from_utf8(decode_base64(rest)?).ok()?;
        Some(decoded.split(':').next().unwrap_or_default().to_owned())
    } else {
        None
    }
}

/// Requires a test secret key.
async fn require_secret_key(req: Request, next: Next) -> Response {
    match api_key(req.headers()) {
        None => StripeApiError::unauthorized(
            "You did not provide an API key. You need to provide your API key in the \
             Authorization header, using Bearer auth (e.g. 'Authorization: Bearer \
             YOUR_SECRET_KEY')."
                .to_owned(),
        )
        .into_response(),
        Some(key) if key.starts_with("sk_test_") && key.len() > "sk_test_".len() => {
            next.run(req).await
        }
        Some(key) => {
            StripeApiError::unauthorized(format!("Invalid API Key provided: {}", mask_key(&key)))
                .into_response()
        }
    }
}

/// The API version a request asked for (`Stripe-Version`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersion {
    /// `YYYY-MM-DD` of the version.
    pub date: String,
    /// Whether `checkout_server_update_beta=v1` was sent.
    pub server_update_beta: bool,
}

/// The version the sandbox account is pinned to, used when a request sends
/// no `Stripe-Version` header: basil with the server-update beta.
pub const ACCOUNT_DEFAULT_VERSION: &str = "2025-03-31.basil; checkout_server_update_beta=v1;";

/// The first version of the dahlia train, where `ui_mode=elements` replaces `custom`.
pub const DAHLIA: &str = "2026-03-25";

/// The version where `line_items` on update became generally available.
pub const LINE_ITEMS_GA: &str = "2025-12-15";

impl ApiVersion {
    /// Parses `2025-03-31.basil; checkout_server_update_beta=v1;`.
    pub fn parse(header: &str) -> Option<Self> {
        let mut parts = header.split(';').map(str::trim).filter(|p| !p.is_empty());
        let version = parts.next()?;
        let date = version.split('.').next()?;
        let bytes = date.as_bytes();
        let well_formed = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    *b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !well_formed {
            return None;
        }
        let mut server_update_beta = false;
        for beta in parts {
            let (name, value) = beta.split_once('=')?;
            if name.trim() == "checkout_server_update_beta" && value.trim() == "v1" {
                server_update_beta = true;
            }
        }
        Some(Self {
            date: date.to_owned(),
            server_update_beta,
        })
    }

    /// The version of a request (the account default when no header is sent).
    pub fn of(headers: &HeaderMap) -> ApiResult<Self> {
        let header = match headers.get("stripe-version") {
            None => ACCOUNT_DEFAULT_VERSION,
            Some(v) => v.to_str().unwrap_or(""),
        };
        Self::parse(header).ok_or_else(|| {
            StripeApiError::bad_request(format!("Invalid Stripe API version: {header}"))
        })
    }

    /// Whether this version is dahlia or later.
    pub fn is_dahlia_or_later(&self) -> bool {
        self.date.as_str() >= DAHLIA
    }

    /// Fails with "unknown parameter" unless the server-update beta was sent.
    fn require_beta(&self, param: &str) -> ApiResult<()> {
        if self.server_update_beta {
            Ok(())
        } else {
            Err(StripeApiError::unknown_parameter(param))
        }
    }
}

fn body_bytes(body: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    body.map_err(|rejection| StripeApiError {
        status: rejection.status(),
        ..StripeApiError::bad_request(format!(
            "The request body could not be read: {}",
            rejection.body_text()
        ))
    })
}

/// Decodes a form body (or query string) into typed params.
fn decode<T: DeserializeOwned>(input: &[u8]) -> ApiResult<T> {
    let value = form::parse(input).map_err(|e| StripeApiError::bad_request(e.to_string()))?;
    serde_json::from_value(value).map_err(|e| {
        let message = e.to_string();
        match message
            .strip_prefix("unknown field `")
            .and_then(|m| m.split('`').next())
        {
            Some(name) => {
                StripeApiError::invalid(name, format!("Received unknown parameter: {name}"))
            }
            None => StripeApiError::bad_request(format!("Invalid parameters: {message}")),
        }
    })
}

fn parse_expand(expand: Option<Vec<String>>) -> ApiResult<Expand> {
    let mut out = Expand::default();
    for (i, path) in expand.unwrap_or_default().iter().enumerate() {
        match path.as_str() {
            "line_items" | "line_items.data.price" | "line_items.data.price.product" => {
                out.line_items = true;
            }
            "line_items.data.discounts" => {
                out.line_items = true;
                out.item_discounts = true;
            }
            "discounts" | "discounts.coupon" => out.discounts = true,
            "shipping_options.shipping_rate" | "shipping_cost.shipping_rate" => {
                out.shipping_rates = true;
            }
            other => {
                return Err(StripeApiError::invalid(
                    format!("expand[{i}]"),
                    format!("This property cannot be expanded ({other})."),
                ))
            }
        }
    }
    Ok(out)
}

fn parse_positive(value: &str, param: &str) -> ApiResult<u64> {
    match value.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        Ok(_) => Err(StripeApiError::invalid(
            param,
            format!("This value must be greater than or equal to 1 (it currently is '{value}')."),
        )),
        Err(_) => Err(StripeApiError::invalid_integer(param, value)),
    }
}

fn one_of(value: &str, allowed: &[&str], param: &str) -> ApiResult<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(StripeApiError::invalid(
            param,
            format!("Invalid {param}: must be one of {}", allowed.join(", ")),
        ))
    }
}

/// Applies `metadata`: `""` clears, `metadata[k]=` removes `k`, else sets.
fn apply_metadata(target: &mut BTreeMap<String, String>, value: Option<Value>) -> ApiResult<()> {
    match value {
        None => Ok(()),
        Some(Value::String(s)) if s.is_empty() => {
            target.clear();
            Ok(())
        }
        Some(Value::Object(map)) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if s.is_empty() => {
                        target.remove(&k);
                    }
                    Value::String(s) => {
                        target.insert(k, s);
                    }
                    _ => {
                        return Err(StripeApiError::invalid(
                            format!("metadata[{k}]"),
                            "Metadata values must be strings.",
                        ))
                    }
                }
            }
            Ok(())
        }
        Some(_) => Err(StripeApiError::invalid(
            "metadata",
            "Invalid object: metadata must be a hash of keys and values.",
        )),
    }
}

/// One `line_items[N]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineItemIn {
    id: Option<String>,
    price: Option<String>,
    price_data: Option<PriceDataIn>,
    quantity: Option<String>,
}

/// `line_items[N][price_data]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceDataIn {
    currency: Option<String>,
    product: Option<String>,
    product_data: Option<ProductDataIn>,
    recurring: Option<RecurringIn>,
    unit_amount: Option<String>,
    unit_amount_decimal: Option<String>,
    tax_behavior: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductDataIn {
    name: Option<String>,
    description: Option<String>,
    metadata: Option<Value>,
    images: Option<Value>,
    tax_code: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecurringIn {
    interval: Option<String>,
    interval_count: Option<String>,
}

/// `shipping_options[N]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShippingOptionIn {
    shipping_rate: Option<String>,
    shipping_rate_data: Option<ShippingRateDataIn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShippingRateDataIn {
    display_name: Option<String>,
    fixed_amount: Option<FixedAmountIn>,
    #[serde(rename = "type")]
    kind: Option<String>,
    tax_behavior: Option<String>,
    tax_code: Option<String>,
    metadata: Option<Value>,
    delivery_estimate: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixedAmountIn {
    amount: Option<String>,
    currency: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PermissionsIn {
    update_line_items: Option<String>,
    update_discounts: Option<String>,
    update_shipping_details: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubscriptionDataIn {
    trial_period_days: Option<String>,
}

/// Parses `subscription_data[trial_period_days]`: `""` → `None` (remove), else 1..=730.
fn parse_trial_days(days: &str) -> ApiResult<Option<u32>> {
    const PARAM: &str = "subscription_data[trial_period_days]";
    if days.is_empty() {
        return Ok(None);
    }
    let n = parse_positive(days, PARAM)?;
    if n > 730 {
        return Err(StripeApiError::invalid(
            PARAM,
            "The maximum number of trial period days is 730 (2 years).",
        ));
    }
    u32::try_from(n)
        .map(Some)
        .map_err(|_| StripeApiError::invalid_integer(PARAM, days))
}

/// `POST /v1/checkout/sessions` parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateParams {
    mode: Option<String>,
    ui_mode: Option<String>,
    line_items: Option<Vec<LineItemIn>>,
    permissions: Option<PermissionsIn>,
    return_url: Option<String>,
    metadata: Option<Value>,
    expand: Option<Vec<String>>,
    client_reference_id: Option<String>,
    customer_email: Option<String>,
    subscription_data: Option<SubscriptionDataIn>,
    shipping_options: Option<Value>,
    discounts: Option<Value>,
}

/// `POST /v1/checkout/sessions/{id}` parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateParams {
    line_items: Option<Vec<LineItemIn>>,
    discounts: Option<Value>,
    metadata: Option<Value>,
    expand: Option<Vec<String>>,
    subscription_data: Option<SubscriptionDataIn>,
    shipping_options: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscountIn {
    coupon: Option<String>,
    coupon_data: Option<CouponDataIn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CouponDataIn {
    amount_off: Option<String>,
    currency: Option<String>,
    percent_off: Option<String>,
    name: Option<String>,
    duration: Option<String>,
    duration_in_months: Option<String>,
    metadata: Option<Value>,
}

/// `POST /v1/coupons` parameters (the subset the sandbox supports).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateCouponParams {
    id: Option<String>,
    amount_off: Option<String>,
    currency: Option<String>,
    percent_off: Option<String>,
    name: Option<String>,
    duration: Option<String>,
    duration_in_months: Option<String>,
    metadata: Option<Value>,
    expand: Option<Vec<String>>,
}

/// `GET` query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RetrieveParams {
    expand: Option<Vec<String>>,
}

/// Resolves `line_items` against the catalog and (for updates) the current items.
fn resolve_line_items(
    state: &SandboxState,
    input: Vec<LineItemIn>,
    existing: Option<&[LineItem]>,
) -> ApiResult<Vec<LineItem>> {
    let mut used_ids: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(input.len());
    for (i, item) in input.into_iter().enumerate() {
        let param = |field: &str| format!("line_items[{i}][{field}]");
        let price_of = |id: &str| {
            state.price(id).cloned().ok_or_else(|| {
                StripeApiError::resource_missing(
                    StatusCode::BAD_REQUEST,
                    &param("price"),
                    format!("No such price: '{id}'"),
                )
            })
        };
        let quantity = item
            .quantity
            .as_deref()
            .map(|q| parse_positive(q, &param("quantity")))
            .transpose()?;
        match (item.id, existing) {
            (Some(_), None) => {
                return Err(StripeApiError::invalid(
                    param("id"),
                    "Line item ids can only be given when updating a Checkout Session.",
                ))
            }
            (Some(id), Some(existing)) => {
                let Some(current) = existing.iter().find(|li| li.id == id) else {
                    return Err(StripeApiError::resource_missing(
                        StatusCode::BAD_REQUEST,
                        &param("id"),
                        format!("No such line item on this Checkout Session: '{id}'"),
                    ));
                };
                if used_ids.contains(&id) {
                    return Err(StripeApiError::invalid(
                        param("id"),
                        format!("Line item '{id}' is listed more than once."),
                    ));
                }
                used_ids.push(id);
                let mut next = current.clone();
                match (item.price.as_deref(), item.price_data) {
                    (Some(_), Some(_)) => return Err(price_and_price_data(i)),
                    (Some(price), None) => next.price = price_of(price)?,
                    (None, Some(data)) => next.price = price_from_data(i, data)?,
                    (None, None) => {}
                }
                if let Some(q) = quantity {
                    next.quantity = q;
                }
                out.push(next);
            }
            (None, _) => {
                let price = match (item.price.as_deref(), item.price_data) {
                    (Some(_), Some(_)) => return Err(price_and_price_data(i)),
                    (Some(price), None) => price_of(price)?,
                    (None, Some(data)) => price_from_data(i, data)?,
                    (None, None) => return Err(StripeApiError::missing(&param("price"))),
                };
                let Some(quantity) = quantity else {
                    return Err(StripeApiError::missing(&param("quantity")));
                };
                out.push(LineItem {
                    id: new_id("li", 24),
                    price,
                    quantity,
                });
            }
        }
    }
    Ok(out)
}

fn price_and_price_data(i: usize) -> StripeApiError {
    StripeApiError::invalid(
        format!("line_items[{i}][price_data]"),
        "You may only specify one of these parameters: price, price_data.",
    )
}

/// An inline price from `line_items[i][price_data]` (inactive, as on Stripe).
fn price_from_data(i: usize, data: PriceDataIn) -> ApiResult<Price> {
    let param = |field: &str| format!("line_items[{i}][price_data][{field}]");
    let currency = data
        .currency
        .ok_or_else(|| StripeApiError::missing(&param("currency")))?
        .to_ascii_lowercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(StripeApiError::invalid(
            param("currency"),
            format!("Invalid currency: {currency}"),
        ));
    }
    let unit_amount =
        match (data.unit_amount, data.unit_amount_decimal) {
            (Some(_), Some(_)) => return Err(StripeApiError::invalid(
                param("unit_amount_decimal"),
                "You may only specify one of these parameters: unit_amount, unit_amount_decimal.",
            )),
            (Some(a), None) => a
                .parse::<i64>()
                .ok()
                .filter(|a| *a >= 0)
                .ok_or_else(|| StripeApiError::invalid_integer(&param("unit_amount"), &a))?,
            (None, Some(d)) => d
                .parse::<f64>()
                .ok()
                .filter(|d| *d >= 0.0 && d.fract() == 0.0 && *d < 1e15)
                .map(|d| {
                    #[allow(clippy::cast_possible_truncation)]
                    let v = d as i64;
                    v
                })
                .ok_or_else(|| {
                    StripeApiError::invalid(
                        param("unit_amount_decimal"),
                        "The sandbox supports whole-number unit_amount_decimal values only.",
                    )
                })?,
            (None, None) => return Err(StripeApiError::missing(&param("unit_amount"))),
        };
    if let Some(tb) = data.tax_behavior.as_deref() {
        one_of(
            tb,
            &["exclusive", "inclusive", "unspecified"],
            &param("tax_behavior"),
        )?;
    }
    let (product, product_name) = match (data.product, data.product_data) {
        (Some(_), Some(_)) => {
            return Err(StripeApiError::invalid(
                param("product_data"),
                "You may only specify one of these parameters: product, product_data.",
            ))
        }
        (Some(product), None) => (product.clone(), product),
        (None, Some(pd)) => {
            let name = pd
                .name
                .filter(|n| !n.is_empty())
                .ok_or_else(|| StripeApiError::missing(&param("product_data][name")))?;
            let _ = (pd.description, pd.metadata, pd.images, pd.tax_code);
            (new_id("prod", 14), name)
        }
        (None, None) => return Err(StripeApiError::missing(&param("product"))),
    };
    let recurring = match data.recurring {
        None => None,
        Some(r) => {
            let interval = r
                .interval
                .ok_or_else(|| StripeApiError::missing(&param("recurring][interval")))?;
            one_of(
                &interval,
                &["day", "week", "month", "year"],
                &param("recurring][interval"),
            )?;
            let interval_count = match r.interval_count {
                None => 1,
                Some(c) => u32::try_from(parse_positive(&c, &param("recurring][interval_count"))?)
                    .map_err(|_| {
                        StripeApiError::invalid_integer(&param("recurring][interval_count"), &c)
                    })?,
            };
            Some(Recurring {
                interval,
                interval_count,
            })
        }
    };
    Ok(Price {
        id: new_id("price", 24),
        product,
        product_name,
        unit_amount,
        currency,
        recurring,
        created: now(),
        active: false,
    })
}

/// An "emptyable" list parameter as Stripe's form encoding sends it: `None`
/// for `param=` (clear it), the list for `param[0]...`, an error otherwise.
fn emptyable_list(value: Value, param: &str, message: &str) -> ApiResult<Option<Vec<Value>>> {
    match value {
        Value::String(s) if s.is_empty() => Ok(None),
        Value::Array(list) => Ok(Some(list)),
        _ => Err(StripeApiError::invalid(param, message)),
    }
}

/// Parses emptyable `shipping_options` (`""` clears; at most 5; payment mode only).
fn parse_shipping_options(
    value: Value,
    mode: &str,
    currency: Option<&str>,
    existing: &[ShippingRate],
) -> ApiResult<Vec<ShippingRate>> {
    let Some(list) = emptyable_list(
        value,
        "shipping_options",
        "shipping_options must be a list, or an empty string to remove them.",
    )?
    else {
        return Ok(Vec::new());
    };
    if mode != "payment" {
        return Err(StripeApiError::invalid(
            "shipping_options",
            "shipping_options can only be used in `payment` mode.",
        ));
    }
    if list.len() > 5 {
        return Err(StripeApiError::invalid(
            "shipping_options",
            "You may only specify up to 5 shipping options.",
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, entry) in list.into_iter().enumerate() {
        let param = |field: &str| format!("shipping_options[{i}][{field}]");
        let entry: ShippingOptionIn = serde_json::from_value(entry).map_err(|e| {
            StripeApiError::invalid(
                format!("shipping_options[{i}]"),
                format!("Invalid shipping option: {e}"),
            )
        })?;
        match (entry.shipping_rate, entry.shipping_rate_data) {
            (Some(_), Some(_)) => return Err(StripeApiError::invalid(
                param("shipping_rate_data"),
                "You may only specify one of these parameters: shipping_rate, shipping_rate_data.",
            )),
            (Some(id), None) => {
                let Some(rate) = existing.iter().find(|r| r.id == id) else {
                    return Err(StripeApiError::resource_missing(
                        StatusCode::BAD_REQUEST,
                        &param("shipping_rate"),
                        format!("No such shipping rate: '{id}'"),
                    ));
                };
                out.push(rate.clone());
            }
            (None, Some(data)) => {
                let dparam =
                    |field: &str| format!("shipping_options[{i}][shipping_rate_data][{field}]");
                let display_name = data
                    .display_name
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| StripeApiError::missing(&dparam("display_name")))?;
                if let Some(kind) = data.kind.as_deref() {
                    one_of(kind, &["fixed_amount"], &dparam("type"))?;
                }
                if let Some(tb) = data.tax_behavior.as_deref() {
                    one_of(
                        tb,
                        &["exclusive", "inclusive", "unspecified"],
                        &dparam("tax_behavior"),
                    )?;
                }
                let _ = (data.tax_code, data.metadata, data.delivery_estimate);
                let fixed = data
                    .fixed_amount
                    .ok_or_else(|| StripeApiError::missing(&dparam("fixed_amount")))?;
                let amount_param = dparam("fixed_amount][amount");
                let amount = fixed
                    .amount
                    .ok_or_else(|| StripeApiError::missing(&amount_param))?;
                let amount = amount
                    .parse::<i64>()
                    .ok()
                    .filter(|a| *a >= 0)
                    .ok_or_else(|| StripeApiError::invalid_integer(&amount_param, &amount))?;
                let rate_currency = fixed
                    .currency
                    .ok_or_else(|| StripeApiError::missing(&dparam("fixed_amount][currency")))?
                    .to_ascii_lowercase();
                if let Some(c) = currency {
                    if c != rate_currency {
                        return Err(StripeApiError::invalid(
                            dparam("fixed_amount][currency"),
                            format!(
                                "The shipping rate currency ({rate_currency}) must match the Checkout Session currency ({c})."
                            ),
                        ));
                    }
                }
                out.push(ShippingRate {
                    id: new_id("shr", 24),
                    display_name,
                    amount,
                    currency: rate_currency,
                    created: now(),
                });
            }
            (None, None) => return Err(StripeApiError::missing(&param("shipping_rate"))),
        }
    }
    Ok(out)
}

/// Checks that the items suit the session mode and share one currency.
/// Returns that currency.
fn check_items(mode: &str, items: &[LineItem]) -> ApiResult<Option<String>> {
    if mode == "setup" {
        if items.is_empty() {
            return Ok(None);
        }
        return Err(StripeApiError::invalid(
            "line_items",
            "line_items cannot be used in setup mode.",
        ));
    }
    if items.is_empty() {
        return Err(StripeApiError::missing("line_items"));
    }
    let currency = items[0].price.currency.clone();
    for (i, item) in items.iter().enumerate() {
        let param = format!("line_items[{i}][price]");
        if mode == "subscription" && item.price.recurring.is_none() {
            return Err(StripeApiError::invalid(
                param,
                format!(
                    "The price '{}' is a one-time price, but subscription mode needs recurring prices.",
                    item.price.id
                ),
            ));
        }
        if mode == "payment" && item.price.recurring.is_some() {
            return Err(StripeApiError::invalid(
                param,
                "You specified `payment` mode but passed a recurring price. Either switch to \
                 `subscription` mode or use only one-time prices.",
            ));
        }
        if item.price.currency != currency {
            return Err(StripeApiError::invalid(
                param,
                "All prices of a Checkout Session must use the same currency.",
            ));
        }
    }
    Ok(Some(currency))
}

fn permission(value: Option<String>, param: &str) -> ApiResult<String> {
    let value = value.unwrap_or_else(|| "client_only".to_owned());
    one_of(&value, &["client_only", "server_only"], param)?;
    Ok(value)
}

/// Checks `ui_mode` against the request's API version: `custom` before
/// dahlia, `elements` from dahlia on (the sandbox serves no other UI mode).
fn check_ui_mode(ui_mode: &str, version: &ApiVersion) -> ApiResult<()> {
    let (allowed, other) = if version.is_dahlia_or_later() {
        ("elements", "custom")
    } else {
        ("custom", "elements")
    };
    if ui_mode == allowed {
        return Ok(());
    }
    let message = if ui_mode == other {
        format!(
            "Invalid ui_mode: `{ui_mode}` is not available in API version {}; use `{allowed}`.",
            version.date
        )
    } else {
        format!(
            "The sandbox only supports ui_mode={allowed} in this API version (got '{ui_mode}')."
        )
    };
    Err(StripeApiError::invalid("ui_mode", message))
}

/// `POST /v1/checkout/sessions`.
async fn create_session(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let version = ApiVersion::of(&headers)?;
    let params: CreateParams = decode(&body_bytes(body)?)?;
    let expand = parse_expand(params.expand)?;
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
    let permissions_shipping = permissions.update_shipping_details;
    let permissions = Permissions {
        update_line_items: permission(
            permissions.update_line_items,
            "permissions[update_line_items]",
        )?,
        update_discounts: permission(
            permissions.update_discounts,
            "permissions[update_discounts]",
        )?,
    };
    permission(permissions_shipping, "permissions[update_shipping_details]")?;
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
    let id = new_id("cs_test", 58);
    let created = now();
    let mut session = Session {
        client_secret: format!("{id}_secret_{}", random_alnum(24)),
        id,
        created,
        expires_at: created.saturating_add(state.session_ttl_secs),
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
        customer_email: params.customer_email,
        trial_period_days,
        shipping_options,
    };
    if let Some(discounts) = params.discounts {
        apply_discounts(&state, &mut session, discounts)?;
    }
    tracing::info!(session_id = %session.id, mode = %session.mode, "sandbox: session created");
    let body = render::json_response(&render::SessionJson::new(&session, expand));
    let evicted = state.store.insert(session);
    if evicted > 0 {
        tracing::info!(evicted, "sandbox: evicted old sessions");
    }
    Ok(body)
}

fn no_such_session(id: &str) -> StripeApiError {
    StripeApiError::resource_missing(
        StatusCode::NOT_FOUND,
        "id",
        format!("No such checkout.session: '{id}'"),
    )
}

/// `GET /v1/checkout/sessions/{id}`.
async fn retrieve_session(
    State(state): State<Arc<SandboxState>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let params: RetrieveParams = decode(query.unwrap_or_default().as_bytes())?;
    let expand = parse_expand(params.expand)?;
    let session = state.store.get(&id).ok_or_else(|| no_such_session(&id))?;
    Ok(render::json_response(&render::SessionJson::new(
        &session, expand,
    )))
}

fn require_server_only(value: &str, param: &str) -> ApiResult<()> {
    if value == "server_only" {
        Ok(())
    } else {
        Err(StripeApiError::invalid(
            param,
            format!(
                "To update {param} from your server, create the Checkout Session with \
                 permissions[update_{param}]=server_only."
            ),
        ))
    }
}

/// Parses coupon terms; `prefix` names the parameters (`discounts[0][coupon_data]`, or `""`
/// for the top-level parameters of `POST /v1/coupons`).
fn parse_coupon(
    prefix: &str,
    data: CouponDataIn,
    session_currency: Option<&str>,
) -> ApiResult<Coupon> {
    let param = |field: &str| {
        if prefix.is_empty() {
            field.to_owned()
        } else {
            format!("{prefix}[{field}]")
        }
    };
    let mut metadata = BTreeMap::new();
    apply_metadata(&mut metadata, data.metadata)?;
    let amount_off = data
        .amount_off
        .as_deref()
        .map(|a| parse_positive(a, &param("amount_off")))
        .transpose()?
        .map(|a| i64::try_from(a).unwrap_or(i64::MAX));
    let percent_off = match data.percent_off.as_deref() {
        None => None,
        Some(p) => match p.parse::<f64>() {
            Ok(v) if v > 0.0 && v <= 100.0 => Some(v),
            _ => {
                return Err(StripeApiError::invalid(
                    param("percent_off"),
                    format!(
                        "Invalid percent_off: must be greater than 0 and less than or equal to 100 (got '{p}')."
                    ),
                ))
            }
        },
    };
    let currency = data.currency.map(|c| c.to_ascii_lowercase());
    match (amount_off, percent_off) {
        (Some(_), Some(_)) => {
            return Err(StripeApiError::invalid(
                param("percent_off"),
                "You may only specify one of amount_off and percent_off.",
            ))
        }
        (None, None) => {
            return Err(StripeApiError::invalid(
                param("amount_off"),
                "You must specify either amount_off or percent_off.",
            ))
        }
        (Some(_), None) => match (&currency, session_currency) {
            (None, _) => return Err(StripeApiError::missing(&param("currency"))),
            (Some(c), Some(s)) if c != s => {
                return Err(StripeApiError::invalid(
                    param("currency"),
                    format!(
                        "The coupon currency ({c}) must match the Checkout Session currency ({s})."
                    ),
                ))
            }
            _ => {}
        },
        (None, Some(_)) => {}
    }
    let duration = data.duration.unwrap_or_else(|| "once".to_owned());
    one_of(
        &duration,
        &["once", "forever", "repeating"],
        &param("duration"),
    )?;
    let duration_in_months = match (duration.as_str(), data.duration_in_months) {
        ("repeating", Some(m)) => Some(
            u32::try_from(parse_positive(&m, &param("duration_in_months"))?)
                .map_err(|_| StripeApiError::invalid_integer(&param("duration_in_months"), &m))?,
        ),
        ("repeating", None) => return Err(StripeApiError::missing(&param("duration_in_months"))),
        (_, Some(_)) => {
            return Err(StripeApiError::invalid(
                param("duration_in_months"),
                "duration_in_months can only be used with duration=repeating.",
            ))
        }
        (_, None) => None,
    };
    Ok(Coupon {
        id: random_alnum(8).to_ascii_uppercase(),
        metadata,
        amount_off,
        percent_off,
        currency: if amount_off.is_some() { currency } else { None },
        name: data.name.filter(|n| !n.is_empty()),
        duration,
        duration_in_months,
        created: now(),
    })
}

fn apply_discounts(state: &SandboxState, session: &mut Session, value: Value) -> ApiResult<()> {
    let list = emptyable_list(
        value,
        "discounts",
        "discounts must be a list, or an empty string to remove all discounts.",
    )?
    .unwrap_or_default();
    if list.len() > 1 {
        return Err(StripeApiError::invalid(
            "discounts",
            "You may only specify one discount on a Checkout Session.",
        ));
    }
    let mut next = Vec::with_capacity(list.len());
    for (i, entry) in list.into_iter().enumerate() {
        let entry: DiscountIn = serde_json::from_value(entry).map_err(|e| {
            StripeApiError::invalid(format!("discounts[{i}]"), format!("Invalid discount: {e}"))
        })?;
        match (entry.coupon, entry.coupon_data) {
            (Some(_), Some(_)) => {
                return Err(StripeApiError::invalid(
                    format!("discounts[{i}][coupon_data]"),
                    "You may only specify one of these parameters: coupon, coupon_data.",
                ))
            }
            (Some(id), None) => {
                // Coupons of `POST /v1/coupons` (and the seeded one), or one already on this session.
                let found = state
                    .coupon(&id)
                    .or_else(|| session.discounts.iter().find(|c| c.id == id).cloned());
                let Some(existing) = found else {
                    return Err(StripeApiError::resource_missing(
                        StatusCode::BAD_REQUEST,
                        &format!("discounts[{i}][coupon]"),
                        format!("No such coupon: '{id}'"),
                    ));
                };
                if let (Some(cur), Some(session_cur)) = (&existing.currency, &session.currency) {
                    if cur != session_cur {
                        return Err(StripeApiError::invalid(
                            format!("discounts[{i}][coupon]"),
                            format!(
                                "The coupon currency ({cur}) must match the Checkout Session currency ({session_cur})."
                            ),
                        ));
                    }
                }
                next.push(existing);
            }
            (None, Some(data)) => next.push(parse_coupon(
                &format!("discounts[{i}][coupon_data]"),
                data,
                session.currency.as_deref(),
            )?),
            (None, None) => {
                return Err(StripeApiError::missing(&format!("discounts[{i}][coupon]")))
            }
        }
    }
    session.discounts = next;
    Ok(())
}

fn not_open(session: &Session) -> StripeApiError {
    StripeApiError::bad_request(format!(
        "This Checkout Session is {} and can no longer be updated.",
        session.status.as_str()
    ))
}

/// `POST /v1/checkout/sessions/{id}`.
async fn update_session(
    State(state): State<Arc<SandboxState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let version = ApiVersion::of(&headers)?;
    let params: UpdateParams = decode(&body_bytes(body)?)?;
    let expand = parse_expand(params.expand)?;
    // Parameters the request's version does not have are unknown, whatever the session.
    let line_items_beta = params.line_items.is_some() && version.date.as_str() < LINE_ITEMS_GA;
    if line_items_beta {
        version.require_beta("line_items")?;
    }
    if params.discounts.is_some() {
        version.require_beta("discounts")?;
    }
    if params.subscription_data.is_some() {
        version.require_beta("subscription_data")?;
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
            session.shipping_options = parse_shipping_options(
                options,
                &session.mode,
                session.currency.as_deref(),
                &session.shipping_options,
            )?;
        }
        apply_metadata(&mut session.metadata, params.metadata)?;
        Ok(())
    })?;
    let session = updated.ok_or_else(|| no_such_session(&id))?;
    state.session_updates.fetch_add(1, Ordering::Relaxed);
    let totals = session.totals();
    tracing::info!(
        session_id = %session.id,
        amount_total = totals.total,
        amount_discount = totals.discount,
        "sandbox: session updated"
    );
    Ok(render::json_response(&render::SessionJson::new(
        &session, expand,
    )))
}

/// `POST /v1/checkout/sessions/{id}/expire`: an open session becomes `expired`.
async fn expire_session(
    State(state): State<Arc<SandboxState>>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let params: RetrieveParams = decode(&body_bytes(body)?)?;
    let expand = parse_expand(params.expand)?;
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
    Ok(render::json_response(&render::SessionJson::new(
        &session, expand,
    )))
}

/// `POST /v1/coupons`.
async fn create_coupon(
    State(state): State<Arc<SandboxState>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let params: CreateCouponParams = decode(&body_bytes(body)?)?;
    parse_expand(params.expand)?;
    let mut coupon = parse_coupon(
        "",
        CouponDataIn {
            amount_off: params.amount_off,
            currency: params.currency,
            percent_off: params.percent_off,
            name: params.name,
            duration: params.duration,
            duration_in_months: params.duration_in_months,
            metadata: params.metadata,
        },
        None,
    )?;
    if let Some(id) = params.id {
        if id.is_empty()
            || id.len() > 200
            || !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(StripeApiError::invalid(
                "id",
                format!("Invalid coupon id: '{id}'"),
            ));
        }
        coupon.id = id;
    }
    let mut coupons = state.coupons.lock().unwrap_or_else(PoisonError::into_inner);
    if coupons.contains_key(&coupon.id) {
        return Err(StripeApiError {
            code: Some("resource_already_exists"),
            ..StripeApiError::invalid("id", "Coupon already exists.")
        });
    }
    if coupons.len() >= super::MAX_COUPONS {
        return Err(StripeApiError::bad_request(format!(
            "The sandbox holds at most {} coupons; restart it to start afresh.",
            super::MAX_COUPONS
        )));
    }
    let body = render::json_response(&render::CouponJson::new(&coupon));
    coupons.insert(coupon.id.clone(), coupon);
    Ok(body)
}

/// `GET /v1/coupons/{id}`.
async fn retrieve_coupon(
    State(state): State<Arc<SandboxState>>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let coupon = state.coupon(&id).ok_or_else(|| {
        StripeApiError::resource_missing(
            StatusCode::NOT_FOUND,
            "id",
            format!("No such coupon: '{id}'"),
        )
    })?;
    Ok(render::json_response(&render::CouponJson::new(&coupon)))
}

/// `GET /v1/prices/{id}` (catalog prices only).
async fn retrieve_price(
    State(state): State<Arc<SandboxState>>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let price = state.price(&id).ok_or_else(|| {
        StripeApiError::resource_missing(
            StatusCode::NOT_FOUND,
            "price",
            format!("No such price: '{id}'"),
        )
    })?;
    Ok(render::json_response(&render::PriceJson::new(price)))
}

#[derive(Debug, Deserialize)]
struct InitParams {
    key: Option<String>,
    client_secret: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ConfirmParams {
    key: Option<String>,
    client_secret: Option<String>,
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

fn check_publishable_key(key: Option<&str>) -> ApiResult<()> {
    match key {
        Some(key) if key.starts_with("pk_test_") && key.len() > "pk_test_".len() => Ok(()),
        Some(key) => Err(StripeApiError::unauthorized(format!(
            "Invalid API Key provided: {}",
            mask_key(key)
        ))),
        None => Err(StripeApiError::unauthorized(
            "You did not provide an API key.".to_owned(),
        )),
    }
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
    State(state): State<Arc<SandboxState>>,
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
    state: &SandboxState,
    id: &str,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Value> {
    let params: ConfirmParams = decode(&body_bytes(body)?)?;
    check_publishable_key(params.key.as_deref())?;
    let _ = (params.expected_amount, params.return_url);
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
        if session.status != Status::Open {
            return Err(StripeApiError::bad_request(format!(
                "This Checkout Session is {} and can no longer be confirmed.",
                session.status.as_str()
            )));
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
    Ok(client_session(&session))
}

/// `POST /v1/payment_pages/{id}/init`: the client-shape session for Stripe.js.
async fn init_payment_page(
    State(state): State<Arc<SandboxState>>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Value>> {
    let params: InitParams = decode(&body_bytes(body)?)?;
    check_publishable_key(params.key.as_deref())?;
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn masking() {
        assert_eq!(mask_key("sk_test_abcdefgh1234"), "sk_test_********1234");
        assert_eq!(mask_key("sk_live_12345678"), "sk_live_****5678");
        assert_eq!(mask_key("short"), "*****");
        assert!(!mask_key("sk_live_secretsecret").contains("secret"));
    }

    #[test]
    fn basic_auth() {
        let mut headers = HeaderMap::new();
        // "sk_test_abc:" in base64
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic c2tfdGVzdF9hYmM6"),
        );
        assert_eq!(api_key(&headers).as_deref(), Some("sk_test_abc"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer sk_test_x"),
        );
        assert_eq!(api_key(&headers).as_deref(), Some("sk_test_x"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Token x"));
        assert_eq!(api_key(&headers), None);
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGk").unwrap(), b"hi");
        assert!(decode_base64("a*b").is_none());
    }
}
