//! A small typed client for the Stripe Checkout Sessions API (create, retrieve,
//! update), form-encoding parameters in Stripe's bracket notation.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};

use crate::config::{Config, SecretKey};

/// Default request timeout of every Stripe call (`Config::stripe_timeout` overrides it).
pub const TIMEOUT: Duration = crate::config::DEFAULT_STRIPE_TIMEOUT;

/// Errors from a Stripe call.
#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    /// Stripe answered with an error object (`{"error": {...}}`).
    #[error("Stripe API error (HTTP {status}, {error_type}): {message}")]
    Api {
        /// HTTP status code.
        status: u16,
        /// `error.type`, e.g. `invalid_request_error`.
        error_type: String,
        /// `error.code`, e.g. `resource_missing`.
        code: Option<String>,
        /// `error.message`.
        message: String,
        /// `error.param`.
        param: Option<String>,
        /// The `Request-Id` response header.
        request_id: Option<String>,
    },
    /// The request could not be sent or the response not received.
    #[error("could not reach Stripe: {0}")]
    Transport(#[from] reqwest::Error),
    /// The response (or the request parameters) could not be (de)serialized.
    #[error("could not decode the Stripe response: {0}")]
    Decode(String),
}

impl StripeError {
    /// True for a 4xx answer from Stripe: the request was refused (the seeds'
    /// `rescue Stripe::StripeError` branch). False for 5xx, transport and decode
    /// failures (the seeds' `rescue StandardError` branch).
    pub fn is_client_error(&self) -> bool {
        matches!(self, StripeError::Api { status, .. } if (400..500).contains(status))
    }
}

/// One `line_items[N]` entry of a create or update call.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LineItemParam {
    /// Existing line item id (update only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Price id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// Quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u64>,
}

impl LineItemParam {
    /// A new line item for `price` × `quantity`.
    pub fn price(price: impl Into<String>, quantity: u64) -> Self {
        Self {
            id: None,
            price: Some(price.into()),
            quantity: Some(quantity),
        }
    }
}

/// `permissions[...]` on create.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct PermissionsParam {
    /// `client_only` or `server_only`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_line_items: Option<String>,
    /// `client_only` or `server_only`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_discounts: Option<String>,
}

/// Parameters of `POST /v1/checkout/sessions`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CreateSessionParams {
    /// `payment`, `subscription` or `setup`.
    pub mode: String,
    /// `custom` for Elements with the Checkout Sessions API.
    pub ui_mode: String,
    /// The cart.
    pub line_items: Vec<LineItemParam>,
    /// Update permissions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<PermissionsParam>,
    /// Where the customer returns after paying.
    pub return_url: String,
    /// Free-form metadata.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

/// `coupon_data` of a dynamic discount.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CouponDataParam {
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fixed amount off, in minor units (needs `currency`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_off: Option<i64>,
    /// Percentage off, in (0, 100].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_off: Option<f64>,
    /// Currency of `amount_off`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `once` (default), `forever` or `repeating`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
}

/// One `discounts[N]` entry.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct DiscountParam {
    /// An existing coupon id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
    /// An ad-hoc coupon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupon_data: Option<CouponDataParam>,
}

/// Parameters of `POST /v1/checkout/sessions/{id}`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateSessionParams {
    /// The whole new array of line items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_items: Option<Vec<LineItemParam>>,
    /// The new discounts; `Some(vec![])` clears them (sent as `discounts=`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_emptyable"
    )]
    pub discounts: Option<Vec<DiscountParam>>,
    /// `subscription_data` (trial).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription_data: Option<SubscriptionDataParam>,
    /// Metadata to set.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

/// `subscription_data[...]` of an update.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SubscriptionDataParam {
    /// `Some(Some(n))` sets an `n`-day trial; `Some(None)` removes the trial
    /// (sent as `subscription_data[trial_period_days]=`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_emptyable_days"
    )]
    pub trial_period_days: Option<Option<u32>>,
}

fn serialize_emptyable_days<S: Serializer>(
    value: &Option<Option<u32>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(Some(days)) => serializer.serialize_u32(*days),
        _ => serializer.serialize_str(""),
    }
}

/// Serializes an "emptyable" list: an empty list becomes the empty string
/// (`discounts=`), which is how Stripe clears such a parameter.
fn serialize_emptyable<S, T>(value: &Option<Vec<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    match value {
        Some(list) if !list.is_empty() => list.serialize(serializer),
        _ => serializer.serialize_str(""),
    }
}

/// A field that Stripe returns either as an id or, when expanded, as an object.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Expandable<T> {
    /// Not expanded: the id.
    Id(String),
    /// Expanded object.
    Object(Box<T>),
}

/// `total_details` of a session.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct TotalDetails {
    /// Total discount, minor units.
    pub amount_discount: i64,
    /// Shipping, minor units.
    pub amount_shipping: Option<i64>,
    /// Tax, minor units.
    pub amount_tax: i64,
}

/// A Stripe list object.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct List<T> {
    /// The page.
    pub data: Vec<T>,
    /// Whether more pages exist.
    pub has_more: bool,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        Self {
            data: Vec::new(),
            has_more: false,
        }
    }
}

/// The recurring part of a price.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Recurring {
    /// `day`, `week`, `month` or `year`.
    pub interval: String,
    /// Number of intervals between charges.
    pub interval_count: u32,
}

/// A price (as nested in a line item).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Price {
    /// `price_...`.
    pub id: String,
    /// Unit amount in minor units.
    pub unit_amount: Option<i64>,
    /// Currency.
    pub currency: String,
    /// Recurring details; `None` for one-time prices.
    pub recurring: Option<Recurring>,
}

/// A line item of a session (`expand[]=line_items`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct LineItem {
    /// `li_...`.
    pub id: String,
    /// Product name.
    pub description: Option<String>,
    /// Quantity.
    pub quantity: Option<u64>,
    /// Subtotal in minor units.
    pub amount_subtotal: i64,
    /// Total in minor units.
    pub amount_total: i64,
    /// The price.
    pub price: Option<Price>,
}

/// A coupon (as nested in a session discount when expanded).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Coupon {
    /// Coupon id.
    pub id: String,
    /// Amount off, minor units.
    pub amount_off: Option<i64>,
    /// Percent off.
    pub percent_off: Option<f64>,
    /// Currency of `amount_off`.
    pub currency: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// `once`, `forever` or `repeating`.
    pub duration: Option<String>,
}

/// One entry of a session's `discounts`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct SessionDiscount {
    /// The coupon (id or expanded object).
    pub coupon: Option<Expandable<Coupon>>,
    /// The promotion code id, if any.
    pub promotion_code: Option<Expandable<serde_json::Value>>,
}

/// A `checkout.session`, with only the fields this server reads. Unknown fields
/// are ignored and missing ones default, so API changes don't break decoding.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct CheckoutSession {
    /// `cs_...`.
    pub id: String,
    /// The client secret (custom and embedded UI modes).
    pub client_secret: Option<String>,
    /// `payment`, `subscription` or `setup`.
    pub mode: Option<String>,
    /// `open`, `complete` or `expired`.
    pub status: Option<String>,
    /// Three-letter currency code.
    pub currency: Option<String>,
    /// Amount before discounts, shipping and tax (minor units).
    pub amount_subtotal: Option<i64>,
    /// Amount after discounts, shipping and tax (minor units).
    pub amount_total: Option<i64>,
    /// Breakdown of the total.
    pub total_details: Option<TotalDetails>,
    /// Present only when retrieved with `expand[]=line_items`.
    pub line_items: Option<List<LineItem>>,
    /// Applied discounts.
    pub discounts: Option<Vec<SessionDiscount>>,
    /// Customer id (or object when expanded).
    pub customer: Option<Expandable<serde_json::Value>>,
    /// The merchant's own reference.
    pub client_reference_id: Option<String>,
    /// Metadata.
    pub metadata: Option<BTreeMap<String, String>>,
}

/// Stripe's error body: `{"error": {...}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorBody {
    error: ErrorObject,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorObject {
    #[serde(rename = "type")]
    error_type: Option<String>,
    code: Option<String>,
    message: Option<String>,
    param: Option<String>,
}

/// Encodes `params` as a Stripe form body (`a[b][0][c]=v`).
pub fn encode_form<T: Serialize>(params: &T) -> Result<String, StripeError> {
    serde_qs::to_string(params)
        .map_err(|e| StripeError::Decode(format!("encoding parameters: {e}")))
}

/// The Stripe API client. Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct StripeClient {
    http: reqwest::Client,
    base: String,
    key: SecretKey,
    api_version: String,
}

impl fmt::Debug for StripeClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeClient")
            .field("base", &self.base)
            .field("key", &self.key)
            .field("api_version", &self.api_version)
            .finish_non_exhaustive()
    }
}

impl StripeClient {
    /// A client for `base` (e.g. `https://api.stripe.com`).
    pub fn new(base: &str, key: SecretKey, api_version: &str) -> Self {
        Self::with_timeout(base, key, api_version, TIMEOUT)
    }

    /// Like [`StripeClient::new`], with `timeout` for every call (connect included).
    pub fn with_timeout(base: &str, key: SecretKey, api_version: &str, timeout: Duration) -> Self {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .tcp_nodelay(true)
            .build()
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "could not build the HTTP client; using defaults");
                reqwest::Client::default()
            });
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            key,
            api_version: api_version.to_owned(),
        }
    }

    /// A client configured from `config`.
    pub fn from_config(config: &Config) -> Self {
        Self::with_timeout(
            &config.stripe_api_base,
            config.secret_key.clone(),
            &config.api_version,
            config.stripe_timeout,
        )
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(self.key.expose())
            .header("Stripe-Version", &self.api_version)
    }

    async fn send<T: DeserializeOwned>(
        &self,
        builder: reqwest::RequestBuilder,
    ) -> Result<T, StripeError> {
        let response = builder.send().await?;
        let status = response.status();
        let request_id = response
            .headers()
            .get("request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        tracing::info!(
            stripe_status = status.as_u16(),
            stripe_request_id = request_id.as_deref().unwrap_or(""),
            path = response.url().path(),
            "Stripe answered"
        );
        let body = response.bytes().await?;
        if status.is_success() {
            return serde_json::from_slice(&body).map_err(|e| StripeError::Decode(e.to_string()));
        }
        let parsed: ErrorBody = serde_json::from_slice(&body).unwrap_or_default();
        Err(StripeError::Api {
            status: status.as_u16(),
            error_type: parsed
                .error
                .error_type
                .unwrap_or_else(|| "api_error".to_owned()),
            code: parsed.error.code,
            message: parsed
                .error
                .message
                .unwrap_or_else(|| format!("HTTP {status} without a Stripe error body")),
            param: parsed.error.param,
            request_id,
        })
    }

    fn form_post(&self, path: &str, body: String) -> reqwest::RequestBuilder {
        self.request(reqwest::Method::POST, path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
    }

    /// `POST /v1/checkout/sessions`.
    pub async fn create_session(
        &self,
        params: &CreateSessionParams,
    ) -> Result<CheckoutSession, StripeError> {
        let body = encode_form(params)?;
        self.send(self.form_post("/v1/checkout/sessions", body))
            .await
    }

    /// `GET /v1/checkout/sessions/{id}?expand[]=...`.
    pub async fn retrieve_session(
        &self,
        id: &str,
        expand: &[&str],
    ) -> Result<CheckoutSession, StripeError> {
        let query: Vec<(&str, &str)> = expand.iter().map(|e| ("expand[]", *e)).collect();
        let builder = self
            .request(reqwest::Method::GET, &format!("/v1/checkout/sessions/{id}"))
            .query(&query);
        self.send(builder).await
    }

    /// `GET /v1/prices/{id}`.
    pub async fn retrieve_price(&self, id: &str) -> Result<Price, StripeError> {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(StripeError::Decode(format!("not a price id: {id:?}")));
        }
        self.send(self.request(reqwest::Method::GET, &format!("/v1/prices/{id}")))
            .await
    }

    /// `POST /v1/checkout/sessions/{id}`.
    pub async fn update_session(
        &self,
        id: &str,
        params: &UpdateSessionParams,
    ) -> Result<CheckoutSession, StripeError> {
        let body = encode_form(params)?;
        self.send(self.form_post(&format!("/v1/checkout/sessions/{id}"), body))
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn create_params_use_bracket_notation() {
        let params = CreateSessionParams {
            mode: "subscription".into(),
            ui_mode: "custom".into(),
            line_items: vec![LineItemParam::price("price_m", 1)],
            permissions: Some(PermissionsParam {
                update_line_items: Some("server_only".into()),
                update_discounts: Some("server_only".into()),
            }),
            return_url: "http://x/return?session_id={CHECKOUT_SESSION_ID}&a=b".into(),
            metadata: BTreeMap::new(),
        };
        let s = encode_form(&params).unwrap();
        assert!(s.contains("line_items[0][price]=price_m"), "{s}");
        assert!(s.contains("line_items[0][quantity]=1"), "{s}");
        assert!(
            s.contains("permissions[update_line_items]=server_only"),
            "{s}"
        );
        assert!(
            s.contains("permissions[update_discounts]=server_only"),
            "{s}"
        );
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&s).unwrap();
        assert!(pairs.contains(&(
            "return_url".into(),
            "http://x/return?session_id={CHECKOUT_SESSION_ID}&a=b".into()
        )));
        assert!(!s.contains("metadata"));
    }

    #[test]
    fn empty_discounts_encode_as_empty_string() {
        let params = UpdateSessionParams {
            discounts: Some(vec![]),
            ..Default::default()
        };
        assert_eq!(encode_form(&params).unwrap(), "discounts=");
        let none = UpdateSessionParams::default();
        assert_eq!(encode_form(&none).unwrap(), "");
    }

    #[test]
    fn coupon_data_encoding() {
        let params = UpdateSessionParams {
            discounts: Some(vec![DiscountParam {
                coupon: None,
                coupon_data: Some(CouponDataParam {
                    name: Some("Customer Discount".into()),
                    amount_off: Some(1500),
                    currency: Some("usd".into()),
                    ..Default::default()
                }),
            }]),
            ..Default::default()
        };
        let s = encode_form(&params).unwrap();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&s).unwrap();
        assert_eq!(
            pairs,
            vec![
                (
                    "discounts[0][coupon_data][name]".into(),
                    "Customer Discount".into()
                ),
                (
                    "discounts[0][coupon_data][amount_off]".into(),
                    "1500".into()
                ),
                ("discounts[0][coupon_data][currency]".into(), "usd".into()),
            ]
        );
    }

    #[test]
    fn trial_encoding() {
        let set = UpdateSessionParams {
            subscription_data: Some(SubscriptionDataParam {
                trial_period_days: Some(Some(14)),
            }),
            ..Default::default()
        };
        assert_eq!(
            encode_form(&set).unwrap(),
            "subscription_data[trial_period_days]=14"
        );
        let remove = UpdateSessionParams {
            subscription_data: Some(SubscriptionDataParam {
                trial_period_days: Some(None),
            }),
            ..Default::default()
        };
        assert_eq!(
            encode_form(&remove).unwrap(),
            "subscription_data[trial_period_days]="
        );
    }

    #[test]
    fn line_items_update_encoding() {
        let params = UpdateSessionParams {
            line_items: Some(vec![
                LineItemParam {
                    id: Some("li_1".into()),
                    price: None,
                    quantity: Some(3),
                },
                LineItemParam::price("price_y", 1),
            ]),
            ..Default::default()
        };
        assert_eq!(
            encode_form(&params).unwrap(),
            "line_items[0][id]=li_1&line_items[0][quantity]=3&line_items[1][price]=price_y&line_items[1][quantity]=1"
        );
    }

    #[test]
    fn session_decoding_is_tolerant() {
        let s: CheckoutSession = serde_json::from_str(
            r#"{"id":"cs_test_1","object":"checkout.session","amount_subtotal":15000,
                "currency":"usd","customer":null,"unknown":{"x":1},
                "discounts":[{"coupon":"abc","promotion_code":null}],
                "line_items":{"object":"list","data":[{"id":"li_1","quantity":1,
                  "price":{"id":"price_y","unit_amount":15000,"currency":"usd",
                  "recurring":{"interval":"year","interval_count":1}}}],"has_more":false}}"#,
        )
        .unwrap();
        assert_eq!(s.amount_subtotal, Some(15000));
        assert_eq!(
            s.discounts.unwrap()[0].coupon,
            Some(Expandable::Id("abc".into()))
        );
        let items = s.line_items.unwrap();
        assert_eq!(items.data[0].price.as_ref().unwrap().id, "price_y");
    }

    #[test]
    fn client_debug_hides_key() {
        let c = StripeClient::new("http://x", SecretKey::new("sk_test_secret"), "v");
        assert!(!format!("{c:?}").contains("sk_test_secret"));
    }

    #[test]
    fn client_error_classification() {
        let api = |status| StripeError::Api {
            status,
            error_type: "x".into(),
            code: None,
            message: "m".into(),
            param: None,
            request_id: None,
        };
        assert!(api(400).is_client_error());
        assert!(api(404).is_client_error());
        assert!(!api(500).is_client_error());
        assert!(!StripeError::Decode("x".into()).is_client_error());
    }
}
