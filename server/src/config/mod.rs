//! Server configuration, read from the environment. Two modes:
//!
//! - **emulator mode**, only when asked (`checkout-server --emulator` or
//!   `CHECKOUT_MODE=emulator`): the server talks to its built-in offline
//!   emulation of the Stripe API (`stripe-sandbox`, feature `sandbox`),
//!   served on its own listener; it refuses a live key;
//! - **Stripe mode** (`STRIPE_SECRET_KEY` set): the server talks to the Stripe
//!   API with your account's keys and price ids. With `sk_test_…` keys that is
//!   Stripe's test mode (a Stripe "sandbox" in Stripe's own words); with
//!   `sk_live_…` keys, real payments.
//!
//! [`Config`] is what the server knows at start-up; `env.rs` reads it from
//! the environment ([`Config::from_env`]), [`error`] is what it refuses,
//! [`previews`] the private previews in use, `origins.rs` the page origins
//! allowed.

mod env;
pub mod error;
mod origins;
pub mod previews;
pub mod rate_limit;

use std::path::PathBuf;
use std::sync::Arc;

use checkout_catalogue::Catalogue;
use std::time::Duration;

use checkout_listener::Limits;
use checkout_protocol::{api_version, Train};

pub use error::ConfigError;
pub use previews::Previews;

pub use crate::store::DEFAULT_DATABASE_URL;
use crate::store::IN_MEMORY_DATABASE_URL;
use crate::stripe_client::{SecretKey, StripeClientOptions};
use crate::webhook_signature::WebhookSecret;
pub use rate_limit::{ClientKey, RateLimit};

/// Default deadline of one merchant update, retries included
/// (`STRIPE_UPDATE_DEADLINE_MS`).
pub const DEFAULT_UPDATE_DEADLINE: Duration = Duration::from_secs(15);

/// Stripe.js's `runServerUpdate` "enforces a 20-second timeout for your update
/// function" (docs.stripe.com/js/custom_checkout/run_server_update): a merchant
/// update must answer before it, so its deadline must be shorter.
pub const RUN_SERVER_UPDATE_TIMEOUT: Duration = Duration::from_secs(20);

/// The most retries `STRIPE_MAX_RETRIES` accepts.
pub const MAX_RETRIES_LIMIT: u32 = 10;

/// The page origins allowed by default besides the server's own: the Trunk dev server.
pub const DEFAULT_DEV_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];

/// The path of the default `return_url` of created Checkout Sessions, on
/// the server's own origin: the demo's return page (`examples/return.html`).
pub const DEFAULT_RETURN_PATH: &str = "/return.html?session_id={CHECKOUT_SESSION_ID}";

/// The variables Stripe mode requires (named when none is set).
pub const STRIPE_MODE_VARIABLES: [&str; 4] = [
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "CHECKOUT_CATALOGUE",
    "STRIPE_WEBHOOK_SECRET",
];

/// Whether the server talks to the offline emulator or to the Stripe API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Asked for (`--emulator`, `CHECKOUT_MODE=emulator`): the offline
    /// emulator (`stripe-sandbox`) answers `/v1/...`.
    Emulator,
    /// `STRIPE_SECRET_KEY` is set: the Stripe API (test or live keys).
    Stripe,
}

/// Whether a Stripe key (`sk_`, `rk_`, `pk_`) is a live-mode one.
pub fn is_live_key(key: &str) -> bool {
    ["sk_live_", "rk_live_", "pk_live_"]
        .iter()
        .any(|prefix| key.starts_with(prefix))
}

/// Everything the server needs to know at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Emulator or Stripe.
    pub mode: Mode,
    /// How the Stripe client talks to Stripe: the API base
    /// (`STRIPE_API_BASE`; in emulator mode, the server's own address), the
    /// secret key (`STRIPE_SECRET_KEY`), the `Stripe-Version`
    /// (`STRIPE_API_VERSION`, default the train's), the version of updates
    /// that write the trial (`STRIPE_TRIAL_API_VERSION`, default
    /// [`api_version::TRIAL_PREVIEW`], the version Stripe's trials guide
    /// names), each attempt's timeout (`STRIPE_TIMEOUT_MS`, default 10 s) and
    /// the retries (`STRIPE_MAX_RETRIES`, default 2; the waits are the SDKs').
    pub stripe: StripeClientOptions,
    /// The publishable key handed to the browser by `GET /config`.
    pub publishable_key: String,
    /// The merchant's catalogue (`CHECKOUT_CATALOGUE`, a TOML file;
    /// required with Stripe keys, the demo shop's in emulator mode): what a
    /// new checkout holds and which prices are interval alternatives.
    pub catalogue: Arc<Catalogue>,
    /// Where the browser loads Stripe.js (or the emulator's stand-in) from.
    pub stripe_js_url: String,
    /// The `return_url` of created sessions (`RETURN_URL`; Stripe fills
    /// `{CHECKOUT_SESSION_ID}`): where Stripe sends the customer after a
    /// payment that needed a redirect (the widget confirms with
    /// `redirect: 'if_required'`, so a card payment stays on the page).
    /// Default: [`DEFAULT_RETURN_PATH`] on the server's own origin.
    pub return_url: String,
    /// A directory of static files (the built widget) served as the fallback route.
    pub static_dir: Option<PathBuf>,
    /// The Stripe.js release train (`STRIPE_JS_TRAIN`).
    pub train: Train,
    /// Page origins whose `POST`s the merchant endpoints accept (`Origin` header);
    /// requests without `Origin` are accepted too. Default: [`DEFAULT_DEV_ORIGINS`]
    /// plus the server's own origin; `ALLOWED_ORIGINS` (comma-separated) replaces
    /// the dev origins, the server's own origin always stays.
    pub allowed_origins: Vec<String>,
    /// What the listener allows slow or numerous clients, and the request
    /// guards of the application (`HEADER_READ_TIMEOUT_MS`,
    /// `REQUEST_TIMEOUT_MS`, `IDLE_TIMEOUT_MS`, `MAX_CONNECTIONS`).
    pub listener: Limits,
    /// The deadline of one merchant update, all its Stripe calls and retries
    /// included (`STRIPE_UPDATE_DEADLINE_MS`, default 15 s, under
    /// [`RUN_SERVER_UPDATE_TIMEOUT`]); past it the customer gets 503 "try again".
    pub update_deadline: Duration,
    /// The private-preview features the account has (`STRIPE_PREVIEWS`:
    /// `discounts`, `trials`, `none`; default: both in emulator mode, none
    /// with Stripe): with one off, no call carries its parameters or
    /// permissions and its endpoints answer 404 ([`Previews`]).
    pub previews: Previews,
    /// The signing secret of the webhook endpoint that posts to `/webhook`
    /// (`STRIPE_WEBHOOK_SECRET`, `whsec_…`). In emulator mode the server
    /// registers its own endpoint at start-up and uses that one's secret.
    pub webhook_secret: Option<WebhookSecret>,
    /// The order store (`DATABASE_URL`): [`DEFAULT_DATABASE_URL`], a SQLite
    /// file, for the binary; [`IN_MEMORY_DATABASE_URL`] in [`Config::sandbox`].
    pub database_url: String,
    /// The per-client limit on the merchant endpoints that call Stripe
    /// (`RATE_LIMIT_PER_MINUTE`, `RATE_LIMIT_BURST`, `RATE_LIMIT_CLIENT`;
    /// `RATE_LIMIT_PER_MINUTE=0` turns it off). Default: on with Stripe keys
    /// ([`RateLimit::default`]), off in emulator mode.
    pub rate_limit: Option<RateLimit>,
    /// The bearer token `GET /metrics` asks for (`METRICS_TOKEN`); without
    /// one, `/metrics` answers anyone who reaches it (keep it off the public
    /// proxy then).
    pub metrics_token: Option<String>,
    /// The offline emulator's options (`SANDBOX_SESSION_TTL_SECS`,
    /// `SANDBOX_RATE_LIMIT`, `SANDBOX_LATENCY_MS`, read by `stripe-sandbox`).
    #[cfg(feature = "sandbox")]
    pub emulator: stripe_sandbox::SandboxOptions,
    /// The Stripe.js stand-in's settings (`SANDBOX_UPDATE_TIMEOUT_MS`, read
    /// by `stripe-sandbox`), on the URL `GET /config` hands out in emulator mode.
    #[cfg(feature = "sandbox")]
    pub stand_in: stripe_sandbox::StandInOptions,
}

impl Config {
    /// The emulator configuration whose Stripe API is served at `sandbox_base`.
    pub fn sandbox(sandbox_base: &str) -> Self {
        Self {
            mode: Mode::Emulator,
            stripe: StripeClientOptions::new(
                sandbox_base,
                SecretKey::new("sk_test_sandbox"),
                api_version::DEFAULT,
            ),
            publishable_key: "pk_test_sandbox".to_owned(),
            catalogue: Arc::new(Catalogue::demo()),
            stripe_js_url: Train::Basil.emulator_script_path().to_owned(),
            return_url: format!(
                "{}{DEFAULT_RETURN_PATH}",
                sandbox_base.trim_end_matches('/')
            ),
            static_dir: None,
            train: Train::Basil,
            allowed_origins: origins::default_origins(sandbox_base),
            listener: Limits::default(),
            update_deadline: DEFAULT_UPDATE_DEADLINE,
            previews: Previews::ALL,
            webhook_secret: None,
            database_url: IN_MEMORY_DATABASE_URL.to_owned(),
            rate_limit: None,
            metrics_token: None,
            #[cfg(feature = "sandbox")]
            emulator: stripe_sandbox::SandboxOptions::default(),
            #[cfg(feature = "sandbox")]
            stand_in: stripe_sandbox::StandInOptions::default(),
        }
    }

    /// The name `GET /config` gives the mode: `"sandbox"` for the emulator,
    /// `"test"` or `"live"` for the Stripe API, by the keys.
    pub fn mode_name(&self) -> &'static str {
        match self.mode {
            Mode::Emulator => "sandbox",
            Mode::Stripe if is_live_key(&self.publishable_key) => "live",
            Mode::Stripe => "test",
        }
    }

    /// Whether a request with `Origin: origin` may call the merchant endpoints.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/');
        self.allowed_origins.iter().any(|o| o == origin)
    }

    /// The Stripe.js URL `GET /config` hands out (in emulator mode, with the
    /// stand-in's settings: `?update_timeout_ms=N` when
    /// `SANDBOX_UPDATE_TIMEOUT_MS` is set).
    pub fn page_stripe_js_url(&self) -> String {
        #[cfg(feature = "sandbox")]
        if self.mode == Mode::Emulator {
            return self.stand_in.url(&self.stripe_js_url);
        }
        self.stripe_js_url.clone()
    }

    /// Switches to `train`: its Stripe.js URL and its default API version.
    pub fn with_train(mut self, train: Train) -> Self {
        self.train = train;
        self.stripe_js_url = match self.mode {
            Mode::Emulator => train.emulator_script_path(),
            Mode::Stripe => train.script_url(),
        }
        .to_owned();
        self.stripe.api_version = train.api_version().to_owned();
        self
    }
}
