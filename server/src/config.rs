//! Server configuration: sandbox mode (no keys, the built-in Stripe API stand-in)
//! or live mode (real Stripe keys and price ids from the environment).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The default `Stripe-Version` header: basil plus the server-update beta.
pub const DEFAULT_API_VERSION: &str = "2025-03-31.basil; checkout_server_update_beta=v1;";

/// Default lifetime of a sandbox Checkout Session (Stripe's default: 24 hours).
pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(24 * 3600);

/// The Stripe.js release train the page loads (`STRIPE_JS_TRAIN`). It decides
/// the script URL, the session's `ui_mode` and the default API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Train {
    /// `basil`: `ui_mode=custom`, `2025-03-31.basil` (the default).
    #[default]
    Basil,
    /// `clover`: `ui_mode=custom`, `2025-09-30.clover`.
    Clover,
    /// `dahlia`: `ui_mode=elements`, `2026-03-25.dahlia`.
    Dahlia,
}

impl Train {
    /// Every train.
    pub const ALL: [Train; 3] = [Train::Basil, Train::Clover, Train::Dahlia];

    /// `basil`, `clover` or `dahlia`.
    pub fn as_str(self) -> &'static str {
        match self {
            Train::Basil => "basil",
            Train::Clover => "clover",
            Train::Dahlia => "dahlia",
        }
    }

    /// Parses a train name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The `Stripe-Version` header of this train, with the server-update beta.
    pub fn api_version(self) -> &'static str {
        match self {
            Train::Basil => DEFAULT_API_VERSION,
            Train::Clover => "2025-09-30.clover; checkout_server_update_beta=v1;",
            Train::Dahlia => "2026-03-25.dahlia; checkout_server_update_beta=v1;",
        }
    }

    /// The `ui_mode` of created sessions: `custom` before dahlia, `elements` from dahlia on.
    pub fn ui_mode(self) -> &'static str {
        match self {
            Train::Basil | Train::Clover => "custom",
            Train::Dahlia => "elements",
        }
    }

    /// Where the page loads Stripe.js from.
    pub fn stripe_js_url(self, mode: Mode) -> String {
        match mode {
            Mode::Sandbox => format!("/sandbox/{}/stripe.js", self.as_str()),
            Mode::Live => format!("https://js.stripe.com/{}/stripe.js", self.as_str()),
        }
    }
}

/// Default timeout of every Stripe API call (`STRIPE_TIMEOUT_MS`).
pub const DEFAULT_STRIPE_TIMEOUT: Duration = Duration::from_secs(10);

/// The page origins allowed by default besides the server's own: the Trunk dev server.
pub const DEFAULT_DEV_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];

/// The `Content-Security-Policy` of every checkout-server response.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://js.stripe.com; frame-src https://js.stripe.com; connect-src 'self' https://api.stripe.com";

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
    /// A variable has a value the server does not understand.
    #[error("{name} has an invalid value {value:?}: {expected}")]
    Invalid {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// What it should be.
        expected: &'static str,
    },
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
    /// The Stripe.js release train (`STRIPE_JS_TRAIN`).
    pub train: Train,
    /// Lifetime of sandbox sessions (`SANDBOX_SESSION_TTL_SECS`, default 24 h).
    pub session_ttl: Duration,
    /// Page origins whose `POST`s the merchant endpoints accept (`Origin` header);
    /// requests without `Origin` are accepted too. Default: [`DEFAULT_DEV_ORIGINS`]
    /// plus the server's own origin; `ALLOWED_ORIGINS` (comma-separated) replaces
    /// the dev origins, the server's own origin always stays.
    pub allowed_origins: Vec<String>,
    /// Timeout of every Stripe API call (`STRIPE_TIMEOUT_MS`, default 10 s).
    pub stripe_timeout: Duration,
    /// Sandbox only: the Stripe.js stand-in's `runServerUpdate` timeout
    /// (`SANDBOX_UPDATE_TIMEOUT_MS`), passed as `?update_timeout_ms=N` on `stripeJsUrl`.
    pub sandbox_update_timeout_ms: Option<u64>,
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
            train: Train::Basil,
            session_ttl: DEFAULT_SESSION_TTL,
            allowed_origins: default_origins(sandbox_base),
            stripe_timeout: DEFAULT_STRIPE_TIMEOUT,
            sandbox_update_timeout_ms: None,
        }
    }

    /// Whether a request with `Origin: origin` may call the merchant endpoints.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/');
        self.allowed_origins.iter().any(|o| o == origin)
    }

    /// The Stripe.js URL `GET /config` hands out (with `?update_timeout_ms=N`
    /// in sandbox mode when [`Config::sandbox_update_timeout_ms`] is set).
    pub fn page_stripe_js_url(&self) -> String {
        match (self.mode, self.sandbox_update_timeout_ms) {
            (Mode::Sandbox, Some(ms)) => {
                let sep = if self.stripe_js_url.contains('?') {
                    '&'
                } else {
                    '?'
                };
                format!("{}{sep}update_timeout_ms={ms}", self.stripe_js_url)
            }
            _ => self.stripe_js_url.clone(),
        }
    }

    /// Switches to `train`: its Stripe.js URL and its default API version.
    pub fn with_train(mut self, train: Train) -> Self {
        self.train = train;
        self.stripe_js_url = train.stripe_js_url(self.mode);
        self.api_version = train.api_version().to_owned();
        self
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
                    train: Train::Basil,
                    session_ttl: DEFAULT_SESSION_TTL,
                    allowed_origins: default_origins(sandbox_base),
                    stripe_timeout: DEFAULT_STRIPE_TIMEOUT,
                    sandbox_update_timeout_ms: None,
                }
            }
        };
        if let Some(name) = get("STRIPE_JS_TRAIN") {
            let train = Train::parse(name.trim()).ok_or(ConfigError::Invalid {
                name: "STRIPE_JS_TRAIN",
                value: name.clone(),
                expected: "one of basil, clover, dahlia",
            })?;
            config = config.with_train(train);
        }
        if let Some(ttl) = get("SANDBOX_SESSION_TTL_SECS") {
            let secs: u64 =
                ttl.trim()
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or(ConfigError::Invalid {
                        name: "SANDBOX_SESSION_TTL_SECS",
                        value: ttl.clone(),
                        expected: "a positive number of seconds",
                    })?;
            config.session_ttl = Duration::from_secs(secs);
        }
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
        if let Some(list) = get("ALLOWED_ORIGINS") {
            let mut origins = Vec::new();
            for raw in list.split(',').map(str::trim).filter(|o| !o.is_empty()) {
                origins.push(parse_origin(raw).ok_or(ConfigError::Invalid {
                    name: "ALLOWED_ORIGINS",
                    value: list.clone(),
                    expected: "comma-separated origins like http://127.0.0.1:8080 (scheme://host[:port], no path)",
                })?);
            }
            origins.extend(parse_origin(sandbox_base));
            origins.dedup();
            config.allowed_origins = origins;
        }
        if let Some(ms) = get("STRIPE_TIMEOUT_MS") {
            config.stripe_timeout = Duration::from_millis(positive_ms("STRIPE_TIMEOUT_MS", &ms)?);
        }
        if let Some(ms) = get("SANDBOX_UPDATE_TIMEOUT_MS") {
            config.sandbox_update_timeout_ms = Some(positive_ms("SANDBOX_UPDATE_TIMEOUT_MS", &ms)?);
        }
        Ok(config)
    }
}

fn positive_ms(name: &'static str, value: &str) -> Result<u64, ConfigError> {
    value
        .trim()
        .parse()
        .ok()
        .filter(|ms| *ms > 0)
        .ok_or(ConfigError::Invalid {
            name,
            value: value.to_owned(),
            expected: "a positive number of milliseconds",
        })
}

/// `scheme://host[:port]` of an http(s) URL without path, query or user info.
fn parse_origin(raw: &str) -> Option<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"))?;
    let ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    ok.then(|| trimmed.to_ascii_lowercase())
}

/// The dev origins plus the server's own origin (`own_base`).
fn default_origins(own_base: &str) -> Vec<String> {
    let mut origins: Vec<String> = DEFAULT_DEV_ORIGINS
        .iter()
        .map(|o| (*o).to_owned())
        .collect();
    if let Some(own) = parse_origin(own_base) {
        if !origins.contains(&own) {
            origins.push(own);
        }
    }
    origins
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
    fn trains() {
        let c = Config::from_lookup("http://x", lookup(&[("STRIPE_JS_TRAIN", "dahlia")])).unwrap();
        assert_eq!(c.train, Train::Dahlia);
        assert_eq!(c.stripe_js_url, "/sandbox/dahlia/stripe.js");
        assert_eq!(
            c.api_version,
            "2026-03-25.dahlia; checkout_server_update_beta=v1;"
        );
        assert_eq!(c.train.ui_mode(), "elements");
        let c = Config::from_lookup(
            "http://x",
            lookup(&[
                ("STRIPE_JS_TRAIN", "clover"),
                ("STRIPE_API_VERSION", "2025-10-29.clover"),
                ("STRIPE_SECRET_KEY", "sk_live_1"),
                ("STRIPE_PUBLISHABLE_KEY", "pk_live_1"),
                ("MONTHLY_PRICE_ID", "price_m"),
                ("YEARLY_PRICE_ID", "price_y"),
            ]),
        )
        .unwrap();
        assert_eq!(c.stripe_js_url, "https://js.stripe.com/clover/stripe.js");
        assert_eq!(c.api_version, "2025-10-29.clover");
        assert_eq!(c.train.ui_mode(), "custom");
        let err =
            Config::from_lookup("http://x", lookup(&[("STRIPE_JS_TRAIN", "acacia")])).unwrap_err();
        assert!(err.to_string().contains("STRIPE_JS_TRAIN"));
        let c =
            Config::from_lookup("http://x", lookup(&[("SANDBOX_SESSION_TTL_SECS", "5")])).unwrap();
        assert_eq!(c.session_ttl, Duration::from_secs(5));
        assert!(
            Config::from_lookup("http://x", lookup(&[("SANDBOX_SESSION_TTL_SECS", "0")])).is_err()
        );
    }

    #[test]
    fn origins_and_timeouts() {
        let c = Config::from_lookup("http://127.0.0.1:4242", lookup(&[])).unwrap();
        assert_eq!(
            c.allowed_origins,
            [
                "http://127.0.0.1:8080",
                "http://localhost:8080",
                "http://127.0.0.1:4242"
            ]
        );
        assert!(c.origin_allowed("http://localhost:8080"));
        assert!(!c.origin_allowed("http://evil.example"));
        assert!(!c.origin_allowed("null"));
        assert_eq!(c.stripe_timeout, DEFAULT_STRIPE_TIMEOUT);
        assert_eq!(c.page_stripe_js_url(), "/sandbox/basil/stripe.js");
        let c = Config::from_lookup(
            "http://127.0.0.1:4242",
            lookup(&[
                (
                    "ALLOWED_ORIGINS",
                    "https://shop.example, https://www.shop.example/",
                ),
                ("STRIPE_TIMEOUT_MS", "250"),
                ("SANDBOX_UPDATE_TIMEOUT_MS", "1500"),
            ]),
        )
        .unwrap();
        assert_eq!(
            c.allowed_origins,
            [
                "https://shop.example",
                "https://www.shop.example",
                "http://127.0.0.1:4242"
            ]
        );
        assert!(!c.origin_allowed("http://127.0.0.1:8080"));
        assert_eq!(c.stripe_timeout, Duration::from_millis(250));
        assert_eq!(
            c.page_stripe_js_url(),
            "/sandbox/basil/stripe.js?update_timeout_ms=1500"
        );
        for (name, value) in [
            ("ALLOWED_ORIGINS", "shop.example"),
            ("ALLOWED_ORIGINS", "https://shop.example/path"),
            ("STRIPE_TIMEOUT_MS", "0"),
            ("SANDBOX_UPDATE_TIMEOUT_MS", "soon"),
        ] {
            let err = Config::from_lookup("http://x", lookup(&[(name, value)])).unwrap_err();
            assert!(err.to_string().contains(name), "{err}");
        }
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
