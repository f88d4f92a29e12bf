//! Server configuration: sandbox mode (no keys, the built-in Stripe API stand-in)
//! or live mode (real Stripe keys and price ids from the environment).

use std::fmt;
use std::path::PathBuf;

/// The default `Stripe-Version` header: basil plus the server-update beta.
pub const DEFAULT_API_VERSION: &str = "2025-03-31.basil; checkout_server_update_beta=v1;";

/// The default `return_url` of created Checkout Sessions.
pub const DEFAULT_RETURN_URL: &str =
    "http://127.0.0.1:8080/return?session_id={CHECKOUT_SESSION_ID}";

/// Whether the server talks to its own sandbox or to the real Stripe API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No Stripe keys are configured; the built-in sandbox serves `/v1/...`.
    Sandbox,
    /// Real Stripe keys are configured.
    Live,
}

impl Mode {
    /// `"sandbox"` or `"live"`, as exposed by `GET /config`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Sandbox => "sandbox",
            Mode::Live => "live",
        }
    }
}

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

/// Configuration errors (live mode with missing variables).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// A required environment variable is not set (or is empty).
    #[error("STRIPE_SECRET_KEY is set, so live mode needs {0} too, but it is missing or empty")]
    Missing(&'static str),
}

/// Everything the server needs to know at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Sandbox or live.
    pub mode: Mode,
    /// Base URL of the Stripe API (no trailing slash), e.g. `https://api.stripe.com`.
    pub stripe_api_base: String,
    /// The secret key sent as `Authorization: Bearer ...`.
    pub secret_key: SecretKey,
    /// The publishable key handed to the browser by `GET /config`.
    pub publishable_key: String,
    /// The `Stripe-Version` header value.
    pub api_version: String,
    /// Price id of the monthly subscription.
    pub monthly_price: String,
    /// Price id of the yearly subscription.
    pub yearly_price: String,
    /// Where the browser loads Stripe.js (or the sandbox stand-in) from.
    pub stripe_js_url: String,
    /// The `return_url` of created sessions (`{CHECKOUT_SESSION_ID}` is filled by Stripe).
    pub return_url: String,
    /// A directory of static files (the built widget) served as the fallback route.
    pub static_dir: Option<PathBuf>,
}

impl Config {
    /// The sandbox configuration whose Stripe API is served at `sandbox_base`.
    pub fn sandbox(sandbox_base: &str) -> Self {
        Self {
            mode: Mode::Sandbox,
            stripe_api_base: sandbox_base.trim_end_matches('/').to_owned(),
            secret_key: SecretKey::new("sk_test_sandbox"),
            publishable_key: "pk_test_sandbox".to_owned(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            monthly_price: "price_sandbox_monthly".to_owned(),
            yearly_price: "price_sandbox_yearly".to_owned(),
            stripe_js_url: "/sandbox/basil/stripe.js".to_owned(),
            return_url: DEFAULT_RETURN_URL.to_owned(),
            static_dir: None,
        }
    }

    /// Reads the configuration from the process environment.
    ///
    /// Without `STRIPE_SECRET_KEY` the server runs in sandbox mode against
    /// `sandbox_base` (its own listener). With it, `STRIPE_PUBLISHABLE_KEY`,
    /// `MONTHLY_PRICE_ID` and `YEARLY_PRICE_ID` are required too.
    pub fn from_env(sandbox_base: &str) -> Result<Self, ConfigError> {
        Self::from_lookup(sandbox_base, |name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup`.
    pub fn from_lookup(
        sandbox_base: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut config = match get("STRIPE_SECRET_KEY") {
            None => Self::sandbox(sandbox_base),
            Some(secret) => {
                let require = |name: &'static str| get(name).ok_or(ConfigError::Missing(name));
                Self {
                    mode: Mode::Live,
                    stripe_api_base: "https://api.stripe.com".to_owned(),
                    secret_key: SecretKey::new(secret),
                    publishable_key: require("STRIPE_PUBLISHABLE_KEY")?,
                    api_version: DEFAULT_API_VERSION.to_owned(),
                    monthly_price: require("MONTHLY_PRICE_ID")?,
                    yearly_price: require("YEARLY_PRICE_ID")?,
                    stripe_js_url: "https://js.stripe.com/basil/stripe.js".to_owned(),
                    return_url: DEFAULT_RETURN_URL.to_owned(),
                    static_dir: None,
                }
            }
        };
        if let Some(base) = get("STRIPE_API_BASE") {
            config.stripe_api_base = base.trim_end_matches('/').to_owned();
        }
        if let Some(version) = get("STRIPE_API_VERSION") {
            config.api_version = version;
        }
        if let Some(url) = get("RETURN_URL") {
            config.return_url = url;
        }
        config.static_dir = get("STATIC_DIR").map(PathBuf::from);
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn no_secret_key_means_sandbox() {
        let c = Config::from_lookup("http://127.0.0.1:4242", lookup(&[])).unwrap();
        assert_eq!(c.mode, Mode::Sandbox);
        assert_eq!(c.stripe_api_base, "http://127.0.0.1:4242");
        assert_eq!(c.secret_key.expose(), "sk_test_sandbox");
        assert_eq!(c.publishable_key, "pk_test_sandbox");
        assert_eq!(c.monthly_price, "price_sandbox_monthly");
        assert_eq!(c.yearly_price, "price_sandbox_yearly");
        assert_eq!(c.stripe_js_url, "/sandbox/basil/stripe.js");
        assert_eq!(c.api_version, DEFAULT_API_VERSION);
        assert!(c.static_dir.is_none());
    }

    #[test]
    fn live_mode_requires_all_variables() {
        let err = Config::from_lookup("http://x", lookup(&[("STRIPE_SECRET_KEY", "sk_live_1")]))
            .unwrap_err();
        assert_eq!(err, ConfigError::Missing("STRIPE_PUBLISHABLE_KEY"));
        assert!(err.to_string().contains("STRIPE_PUBLISHABLE_KEY"));
        let c = Config::from_lookup(
            "http://x",
            lookup(&[
                ("STRIPE_SECRET_KEY", "sk_live_1"),
                ("STRIPE_PUBLISHABLE_KEY", "pk_live_1"),
                ("MONTHLY_PRICE_ID", "price_m"),
                ("YEARLY_PRICE_ID", "price_y"),
                ("STRIPE_API_VERSION", "2025-03-31.basil"),
                ("STATIC_DIR", "/tmp/dist"),
            ]),
        )
        .unwrap();
        assert_eq!(c.mode, Mode::Live);
        assert_eq!(c.stripe_api_base, "https://api.stripe.com");
        assert_eq!(c.stripe_js_url, "https://js.stripe.com/basil/stripe.js");
        assert_eq!(c.api_version, "2025-03-31.basil");
        assert_eq!(c.static_dir, Some(PathBuf::from("/tmp/dist")));
    }

    #[test]
    fn api_base_override_and_redacted_debug() {
        let c = Config::from_lookup(
            "http://x",
            lookup(&[("STRIPE_API_BASE", "http://127.0.0.1:9999/")]),
        )
        .unwrap();
        assert_eq!(c.stripe_api_base, "http://127.0.0.1:9999");
        let debug = format!("{c:?}");
        assert!(debug.contains("sk_***redacted"));
        assert!(!debug.contains("sk_test_sandbox"));
    }
}
