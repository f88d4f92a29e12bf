//! A small typed client for the Stripe Checkout Sessions API (create, retrieve,
//! update), form-encoding parameters in Stripe's bracket notation.

use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::config::{Config, SecretKey};

/// Default request timeout of every Stripe call (`Config::stripe_timeout` overrides it).
pub const TIMEOUT: Duration = crate::config::DEFAULT_STRIPE_TIMEOUT;

mod error;
mod objects;
mod params;

pub use error::StripeError;
pub use objects::*;
pub use params::*;

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
    use std::collections::BTreeMap;

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
