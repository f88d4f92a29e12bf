//! The sandbox's Stripe API routes under `/v1`: create, retrieve and update
//! Checkout Sessions, and the client-side `payment_pages/{id}/init`.
//!
//! Requests are authenticated like Stripe's (`Authorization: Bearer sk_test_...`
//! or HTTP basic with the key as user name), errors use Stripe's
//! `{"error": {...}}` shape, and every response carries a `Request-Id`.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};

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
use super::store::{new_id, now, random_alnum, Coupon, LineItem, Permissions, Session, Status};
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
        .route_layer(middleware::from_fn(require_secret_key))
        .route_layer(middleware::from_fn_with_state(state.clone(), inject_faults));
    Router::new()
        .merge(sessions)
        .route("/v1/payment_pages/{id}/init", post(init_payment_page))
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

/// Answers the configured fault while `/sandbox/faults` says so.
async fn inject_faults(
    State(state): State<Arc<SandboxState>>,
    req: Request,
    next: Next,
) -> Response {
    let fault = {
        let mut faults = state.faults.lock().unwrap_or_else(PoisonError::into_inner);
        if faults.remaining > 0 {
            faults.remaining -= 1;
            Some(faults.status)
        } else {
            None
        }
    };
    match fault {
        Some(status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            tracing::info!(%status, path = %req.uri().path(), "sandbox fault injected");
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
            "discounts" | "discounts.coupon" => out.discounts = true,
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
    quantity: Option<String>,
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
}

/// `POST /v1/checkout/sessions/{id}` parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateParams {
    line_items: Option<Vec<LineItemIn>>,
    discounts: Option<Value>,
    metadata: Option<Value>,
    expand: Option<Vec<String>>,
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
                if let Some(price) = item.price.as_deref() {
                    next.price = price_of(price)?;
                }
                if let Some(q) = quantity {
                    next.quantity = q;
                }
                out.push(next);
            }
            (None, _) => {
                let Some(price) = item.price.as_deref() else {
                    return Err(StripeApiError::missing(&param("price")));
                };
                let price = price_of(price)?;
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

/// `POST /v1/checkout/sessions`.
async fn create_session(
    State(state): State<Arc<SandboxState>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Value>> {
    let params: CreateParams = decode(&body_bytes(body)?)?;
    let expand = parse_expand(params.expand)?;
    let mode = params.mode.ok_or_else(|| StripeApiError::missing("mode"))?;
    one_of(&mode, &["payment", "subscription", "setup"], "mode")?;
    let ui_mode = params.ui_mode.unwrap_or_else(|| "hosted".to_owned());
    if ui_mode != "custom" {
        return Err(StripeApiError::invalid(
            "ui_mode",
            format!("The sandbox only supports ui_mode=custom (got '{ui_mode}')."),
        ));
    }
    let return_url = params
        .return_url
        .ok_or_else(|| StripeApiError::missing("return_url"))?;
    if !(return_url.starts_with("http://") || return_url.starts_with("https://")) {
        return Err(StripeApiError::invalid("return_url", "Not a valid URL"));
    }
    let items = resolve_line_items(&state, params.line_items.unwrap_or_default(), None)?;
    let currency = check_items(&mode, &items)?;
    let permissions = params.permissions.unwrap_or_default();
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
        Some(days) => Some(
            u32::try_from(parse_positive(
                &days,
                "subscription_data[trial_period_days]",
            )?)
            .map_err(|_| {
                StripeApiError::invalid_integer("subscription_data[trial_period_days]", &days)
            })?,
        ),
    };
    let id = new_id("cs_test", 58);
    let created = now();
    let session = Session {
        client_secret: format!("{id}_secret_{}", random_alnum(24)),
        id,
        created,
        expires_at: created + 24 * 3600,
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
    };
    tracing::info!(session_id = %session.id, mode = %session.mode, "sandbox: session created");
    let body = render::session(&session, expand);
    state.store.insert(session);
    Ok(Json(body))
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
) -> ApiResult<Json<Value>> {
    let params: RetrieveParams = decode(query.unwrap_or_default().as_bytes())?;
    let expand = parse_expand(params.expand)?;
    let session = state.store.get(&id).ok_or_else(|| no_such_session(&id))?;
    Ok(Json(render::session(&session, expand)))
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

fn parse_coupon(i: usize, data: CouponDataIn, session_currency: Option<&str>) -> ApiResult<Coupon> {
    let param = |field: &str| format!("discounts[{i}][coupon_data][{field}]");
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
                    format!("percent_off must be greater than 0 and at most 100 (got '{p}')."),
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
        amount_off,
        percent_off,
        currency: if amount_off.is_some() { currency } else { None },
        name: data.name.filter(|n| !n.is_empty()),
        duration,
        duration_in_months,
        created: now(),
    })
}

fn apply_discounts(session: &mut Session, value: Value) -> ApiResult<()> {
    require_server_only(&session.permissions.update_discounts, "discounts")?;
    let list = match value {
        Value::String(s) if s.is_empty() => Vec::new(),
        Value::Array(list) => list,
        _ => {
            return Err(StripeApiError::invalid(
                "discounts",
                "discounts must be a list, or an empty string to remove all discounts.",
            ))
        }
    };
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
                    format!("discounts[{i}]"),
                    "You may only specify one of coupon and coupon_data.",
                ))
            }
            (Some(id), None) => {
                // Only coupons already on this session exist in the sandbox.
                let Some(existing) = session.discounts.iter().find(|c| c.id == id) else {
                    return Err(StripeApiError::resource_missing(
                        StatusCode::BAD_REQUEST,
                        &format!("discounts[{i}][coupon]"),
                        format!("No such coupon: '{id}'"),
                    ));
                };
                next.push(existing.clone());
            }
            (None, Some(data)) => next.push(parse_coupon(i, data, session.currency.as_deref())?),
            (None, None) => {
                return Err(StripeApiError::missing(&format!("discounts[{i}][coupon]")))
            }
        }
    }
    session.discounts = next;
    Ok(())
}

/// `POST /v1/checkout/sessions/{id}`.
async fn update_session(
    State(state): State<Arc<SandboxState>>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Value>> {
    let params: UpdateParams = decode(&body_bytes(body)?)?;
    let expand = parse_expand(params.expand)?;
    let updated = state.store.update(&id, |session| {
        if session.status != Status::Open {
            return Err(StripeApiError::bad_request(format!(
                "This Checkout Session is {} and can no longer be updated.",
                session.status.as_str()
            )));
        }
        if let Some(items) = params.line_items {
            require_server_only(&session.permissions.update_line_items, "line_items")?;
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
            apply_discounts(session, discounts)?;
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
    Ok(Json(render::session(&session, expand)))
}

#[derive(Debug, Deserialize)]
struct InitParams {
    key: Option<String>,
    client_secret: Option<String>,
}

/// `POST /v1/payment_pages/{id}/init`: the client-shape session for Stripe.js.
async fn init_payment_page(
    State(state): State<Arc<SandboxState>>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Value>> {
    let params: InitParams = decode(&body_bytes(body)?)?;
    match params.key.as_deref() {
        Some(key) if key.starts_with("pk_test_") && key.len() > "pk_test_".len() => {}
        Some(key) => {
            return Err(StripeApiError::unauthorized(format!(
                "Invalid API Key provided: {}",
                mask_key(key)
            )))
        }
        None => {
            return Err(StripeApiError::unauthorized(
                "You did not provide an API key.".to_owned(),
            ))
        }
    }
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
