//! A small typed client for the Stripe Checkout Sessions API (create, retrieve,
//! update), form-encoding parameters in Stripe's bracket notation, retrying
//! as Stripe's SDKs do ([`retry`]) within an optional deadline. It is made
//! from its own [`StripeClientOptions`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;

mod error;
mod objects;
mod options;
mod params;
pub mod retry;

pub use error::StripeError;
pub use objects::*;
pub use options::{SecretKey, StripeClientOptions, DEFAULT_TIMEOUT};
pub use params::*;
pub use retry::RetryPolicy;

use retry::{new_idempotency_key, Outcome};

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

/// What every call of one client shares.
struct Inner {
    http: reqwest::Client,
    options: StripeClientOptions,
}

/// The Stripe API client. Cheap to clone; its `Debug` output never shows the key.
///
/// Each call is one logical operation: a `POST` gets one `Idempotency-Key`,
/// sent again on each retry ([`retry`]). A client made with
/// [`StripeClient::until`] gives up at its deadline: every attempt's timeout
/// is cut to the time left, and no retry starts whose wait would end past it
/// ([`StripeError::DeadlineExceeded`]).
#[derive(Clone)]
pub struct StripeClient {
    inner: Arc<Inner>,
    deadline: Option<Instant>,
}

impl fmt::Debug for StripeClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let options = &self.inner.options;
        f.debug_struct("StripeClient")
            .field("base", &options.base)
            .field("key", &options.key)
            .field("api_version", &options.api_version)
            .field("trial_api_version", &options.trial_api_version)
            .field("retry", &options.retry)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// One request, as each attempt sends it.
struct Call<'a> {
    /// What the call does, for the metrics (`create_session`, …).
    operation: &'static str,
    method: Method,
    path: &'a str,
    query: &'a [(&'a str, &'a str)],
    body: Option<String>,
    version: &'a str,
}

impl StripeClient {
    /// A client as `options` say.
    pub fn new(mut options: StripeClientOptions) -> Self {
        let http = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .tcp_nodelay(true)
            .build()
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "could not build the HTTP client; using defaults");
                reqwest::Client::default()
            });
        options
            .base
            .truncate(options.base.trim_end_matches('/').len());
        Self {
            inner: Arc::new(Inner { http, options }),
            deadline: None,
        }
    }

    /// The options this client was made with.
    pub fn options(&self) -> &StripeClientOptions {
        &self.inner.options
    }

    /// This client with every call, retries included, ending by `deadline`.
    pub fn until(&self, deadline: Instant) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            deadline: Some(deadline),
        }
    }

    /// The deadline of [`StripeClient::until`], if any.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Sends `call`, retrying as the policy says, one idempotency key for
    /// every attempt of a `POST`.
    async fn send<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, StripeError> {
        let key = (call.method == Method::POST).then(new_idempotency_key);
        let policy = self.inner.options.retry;
        let mut retries = 0;
        loop {
            let timeout = match self.deadline {
                None => self.inner.options.timeout,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(StripeError::DeadlineExceeded {
                            attempts: retries,
                            last: "none (no time left to start)".to_owned(),
                        });
                    }
                    left.min(self.inner.options.timeout)
                }
            };
            let started = Instant::now();
            let attempt = self.attempt(&call, key.as_deref(), timeout, retries).await;
            crate::metrics::stripe_attempt(
                call.operation,
                match &attempt {
                    Ok(_) => "ok",
                    Err((_, error)) => error.metric_outcome(),
                },
                started.elapsed(),
            );
            let (outcome, error) = match attempt {
                Ok(value) => return Ok(value),
                Err(failed) => failed,
            };
            if !policy.should_retry(outcome, retries) {
                return Err(error);
            }
            retries += 1;
            crate::metrics::stripe_retry(call.operation);
            let wait = policy.delay_after(outcome, retries);
            if let Some(deadline) = self.deadline {
                if Instant::now() + wait >= deadline {
                    tracing::warn!(attempts = retries, error = %error, "Stripe call: no time left for a retry");
                    return Err(StripeError::DeadlineExceeded {
                        attempts: retries,
                        last: error.to_string(),
                    });
                }
            }
            tracing::warn!(
                retry = retries,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                idempotency_key = key.as_deref().unwrap_or(""),
                error = %error,
                "retrying the Stripe call"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt; a failure comes with what it means for retrying.
    async fn attempt<T: DeserializeOwned>(
        &self,
        call: &Call<'_>,
        idempotency_key: Option<&str>,
        timeout: Duration,
        retries: u32,
    ) -> Result<T, (Outcome, StripeError)> {
        let inner = &*self.inner;
        let mut builder = inner
            .http
            .request(
                call.method.clone(),
                format!("{}{}", inner.options.base, call.path),
            )
            .bearer_auth(inner.options.key.expose())
            .header("Stripe-Version", call.version)
            .timeout(timeout);
        if !call.query.is_empty() {
            builder = builder.query(call.query);
        }
        if let Some(key) = idempotency_key {
            builder = builder.header("Idempotency-Key", key);
        }
        if let Some(body) = &call.body {
            builder = builder
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body.clone());
        }
        let connection_error = |e: reqwest::Error| {
            let outcome = if e.is_builder() {
                Outcome::NotSent
            } else {
                Outcome::ConnectionError
            };
            (outcome, StripeError::Transport(e))
        };
        let response = builder.send().await.map_err(connection_error)?;
        let status = response.status();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let request_id = header("request-id");
        let should_retry = match header("stripe-should-retry").as_deref() {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        };
        let replayed = header("idempotent-replayed").as_deref() == Some("true");
        let retry_after = header("retry-after")
            .as_deref()
            .and_then(retry::parse_retry_after);
        tracing::info!(
            stripe_status = status.as_u16(),
            stripe_request_id = request_id.as_deref().unwrap_or(""),
            path = response.url().path(),
            attempt = retries + 1,
            replayed,
            "Stripe answered"
        );
        let outcome = Outcome::Answer {
            status: status.as_u16(),
            should_retry,
            retry_after,
        };
        let body = response.bytes().await.map_err(connection_error)?;
        if status.is_success() {
            return serde_json::from_slice(&body)
                .map_err(|e| (outcome, StripeError::Decode(e.to_string())));
        }
        let parsed: ErrorBody = serde_json::from_slice(&body).unwrap_or_default();
        Err((
            outcome,
            StripeError::Api {
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
            },
        ))
    }

    /// `POST /v1/checkout/sessions`.
    pub async fn create_session(
        &self,
        params: &CreateSessionParams,
    ) -> Result<CheckoutSession, StripeError> {
        self.send(Call {
            operation: "create_session",
            method: Method::POST,
            path: "/v1/checkout/sessions",
            query: &[],
            body: Some(encode_form(params)?),
            version: &self.inner.options.api_version,
        })
        .await
    }

    /// `GET /v1/checkout/sessions/{id}?expand[]=...`.
    pub async fn retrieve_session(
        &self,
        id: &str,
        expand: &[&str],
    ) -> Result<CheckoutSession, StripeError> {
        let query: Vec<(&str, &str)> = expand.iter().map(|e| ("expand[]", *e)).collect();
        self.send(Call {
            operation: "retrieve_session",
            method: Method::GET,
            path: &format!("/v1/checkout/sessions/{id}"),
            query: &query,
            body: None,
            version: &self.inner.options.api_version,
        })
        .await
    }

    /// `GET /v1/prices/{id}`.
    pub async fn retrieve_price(&self, id: &str) -> Result<Price, StripeError> {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(StripeError::Decode(format!("not a price id: {id:?}")));
        }
        self.send(Call {
            operation: "retrieve_price",
            method: Method::GET,
            path: &format!("/v1/prices/{id}"),
            query: &[],
            body: None,
            version: &self.inner.options.api_version,
        })
        .await
    }

    /// `GET /v1/prices?lookup_keys[]=…&active=true&limit=100`: the active
    /// prices of up to 10 lookup keys (Stripe: "You can specify up to 10
    /// lookup_keys").
    pub async fn list_prices_by_lookup_keys(
        &self,
        keys: &[&str],
    ) -> Result<List<Price>, StripeError> {
        let mut query: Vec<(&str, &str)> = keys.iter().map(|k| ("lookup_keys[]", *k)).collect();
        query.push(("active", "true"));
        query.push(("limit", "100"));
        self.send(Call {
            operation: "list_prices",
            method: Method::GET,
            path: "/v1/prices",
            query: &query,
            body: None,
            version: &self.inner.options.api_version,
        })
        .await
    }

    /// The `Stripe-Version` of an update: Stripe's trials guide wants the
    /// private-preview version for `subscription_data` (the trial), so an
    /// update that writes it (an interval change, a trial) is sent with
    /// [`StripeClientOptions::trial_api_version`]; any other with
    /// [`StripeClientOptions::api_version`].
    pub fn update_api_version(&self, params: &UpdateSessionParams) -> &str {
        let options = &self.inner.options;
        if params.subscription_data.is_some() {
            &options.trial_api_version
        } else {
            &options.api_version
        }
    }

    /// `POST /v1/checkout/sessions/{id}`.
    pub async fn update_session(
        &self,
        id: &str,
        params: &UpdateSessionParams,
    ) -> Result<CheckoutSession, StripeError> {
        self.send(Call {
            operation: "update_session",
            method: Method::POST,
            path: &format!("/v1/checkout/sessions/{id}"),
            query: &[],
            body: Some(encode_form(params)?),
            version: self.update_api_version(params),
        })
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
                update_shipping_details: None,
            }),
            return_url: "http://x/return?session_id={CHECKOUT_SESSION_ID}&a=b".into(),
            customer: None,
            client_reference_id: Some("acct 42".into()),
            customer_email: Some("ada+shop@example.com".into()),
            metadata: BTreeMap::new(),
            shipping_address_collection: None,
        };
        let s = encode_form(&params).unwrap();
        assert!(s.contains("customer_email=ada%2Bshop@example.com"), "{s}");
        assert!(s.contains("client_reference_id=acct+42"), "{s}");
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
                LineItemParam::kept("li_1", 3),
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
        let c = StripeClient::new(StripeClientOptions::new(
            "http://x",
            SecretKey::new("sk_test_secret"),
            "v",
        ));
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
        for status in [409, 429, 500, 503] {
            assert!(api(status).is_transient(), "{status}");
        }
        for status in [400, 401, 402, 404] {
            assert!(!api(status).is_transient(), "{status}");
        }
        assert!(StripeError::DeadlineExceeded {
            attempts: 2,
            last: "x".into()
        }
        .is_transient());
        assert!(!StripeError::Decode("x".into()).is_transient());
    }

    #[test]
    fn trial_updates_use_the_preview_version() {
        let mut options =
            StripeClientOptions::new("http://x/", SecretKey::new("sk_test_1"), "2025-03-31.basil");
        assert_eq!(options.base, "http://x");
        let c = StripeClient::new(options.clone());
        let trial = UpdateSessionParams {
            subscription_data: Some(SubscriptionDataParam {
                trial_period_days: Some(None),
            }),
            ..Default::default()
        };
        assert_eq!(
            c.update_api_version(&trial),
            checkout_protocol::api_version::TRIAL_PREVIEW
        );
        assert_eq!(
            c.update_api_version(&UpdateSessionParams::default()),
            "2025-03-31.basil"
        );
        options.trial_api_version = "2026-09-30.preview; checkout_server_update_beta=v1;".into();
        let c = StripeClient::new(options);
        assert!(c
            .update_api_version(&trial)
            .starts_with("2026-09-30.preview"));
    }
}
