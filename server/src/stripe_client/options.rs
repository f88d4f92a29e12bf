//! What a [`StripeClient`](super::StripeClient) is made from: where the API
//! is, the key, the API versions it sends, its timeout and how it retries.
//! The server's configuration holds one (`Config::stripe`, read from
//! `STRIPE_API_BASE`, `STRIPE_SECRET_KEY`, `STRIPE_API_VERSION`,
//! `STRIPE_TRIAL_API_VERSION`, `STRIPE_TIMEOUT_MS` and `STRIPE_MAX_RETRIES`);
//! the client reads nothing else.

use std::fmt;
use std::time::Duration;

use checkout_protocol::api_version;

use super::retry::RetryPolicy;

/// Default timeout of every Stripe API call attempt (`STRIPE_TIMEOUT_MS`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A Stripe secret key. Its `Debug` output never shows the key.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a secret key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sk_***redacted")
    }
}

/// How a [`StripeClient`](super::StripeClient) talks to Stripe. Its `Debug`
/// output never shows the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeClientOptions {
    /// Base URL of the Stripe API (no trailing slash), e.g. `https://api.stripe.com`.
    pub base: String,
    /// The secret key sent as `Authorization: Bearer ...`.
    pub key: SecretKey,
    /// The `Stripe-Version` header value.
    pub api_version: String,
    /// The `Stripe-Version` of updates that write the trial
    /// (`subscription_data`; default [`api_version::TRIAL_PREVIEW`], the
    /// version Stripe's trials guide names).
    pub trial_api_version: String,
    /// Timeout of every attempt, connecting included (default [`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
    /// How calls are retried (default: the SDKs' 2 retries and waits).
    pub retry: RetryPolicy,
}

impl StripeClientOptions {
    /// The API at `base` (a trailing `/` is dropped) with `key`, sending
    /// `api_version`; the default trial version, timeout and retries.
    pub fn new(base: &str, key: SecretKey, api_version: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            key,
            api_version: api_version.to_owned(),
            trial_api_version: api_version::TRIAL_PREVIEW.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
        }
    }
}
