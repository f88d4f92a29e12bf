//! [`Config::from_env`]: the configuration read from the environment
//! (`STRIPE_*`, `ALLOWED_ORIGINS`, `RETURN_URL`, `STATIC_DIR`, the listener's
//! limits and, in emulator mode, the emulator's `SANDBOX_*`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use checkout_catalogue::Catalogue;

use checkout_listener::Limits;
use checkout_protocol::{api_version, Train};

use super::origins::parse_origin;
use super::rate_limit::{ClientKey, RateLimit};
use super::{
    is_live_key, Config, ConfigError, Mode, Previews, DEFAULT_DATABASE_URL, MAX_RETRIES_LIMIT,
    RUN_SERVER_UPDATE_TIMEOUT, STRIPE_MODE_VARIABLES,
};
use crate::stripe_client::{SecretKey, StripeClientOptions};
use crate::webhook_signature::WebhookSecret;

impl Config {
    /// Reads the configuration from the process environment.
    ///
    /// With `CHECKOUT_MODE=emulator` the server runs in emulator mode against
    /// `sandbox_base` (its own listener; a build without the `sandbox`
    /// feature, or a live key in the environment, refuses to start so).
    /// Otherwise `STRIPE_SECRET_KEY` is required, and with it
    /// `STRIPE_PUBLISHABLE_KEY` (of the same mode), `CHECKOUT_CATALOGUE` and
    /// `STRIPE_WEBHOOK_SECRET` (unless `WEBHOOKS=off`);
    /// with none of them the error names them all.
    pub fn from_env(sandbox_base: &str) -> Result<Self, ConfigError> {
        Self::from_lookup(sandbox_base, |name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup`.
    pub fn from_lookup(
        sandbox_base: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let emulator = match get("CHECKOUT_MODE").as_deref().map(str::trim) {
            None | Some("stripe") => false,
            Some("emulator") => true,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "CHECKOUT_MODE",
                    value: other.to_owned(),
                    expected: "emulator or stripe",
                })
            }
        };
        let mut config = if emulator {
            emulator_config(sandbox_base, &get)?
        } else {
            let Some(secret) = get("STRIPE_SECRET_KEY") else {
                return Err(ConfigError::NoMode(STRIPE_MODE_VARIABLES.to_vec()));
            };
            let require = |name: &'static str| get(name).ok_or(ConfigError::Missing(name));
            let publishable_key = require("STRIPE_PUBLISHABLE_KEY")?;
            check_keys(secret.trim(), publishable_key.trim())?;
            // The emulator's defaults but for what Stripe mode sets:
            // Stripe's API, the account's keys and prices, Stripe.js,
            // and no preview unless named.
            Self {
                mode: Mode::Stripe,
                stripe: StripeClientOptions::new(
                    "https://api.stripe.com",
                    SecretKey::new(secret.trim()),
                    api_version::DEFAULT,
                ),
                publishable_key: publishable_key.trim().to_owned(),
                catalogue: Arc::new(load_catalogue(&require("CHECKOUT_CATALOGUE")?)?),
                stripe_js_url: Train::Basil.script_url().to_owned(),
                previews: Previews::NONE,
                rate_limit: Some(RateLimit::default()),
                ..Self::sandbox(sandbox_base)
            }
        };
        if config.mode == Mode::Emulator {
            if let Some(path) = get("CHECKOUT_CATALOGUE") {
                // The emulator names a price of a lookup key by the key
                // (checkout_catalogue::emulator_price_id); with Stripe, the
                // ids are looked up at start (serve.rs).
                config.catalogue = Arc::new(load_catalogue(&path)?.resolved_for_emulator());
            }
        }
        config.database_url =
            get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if let Some(name) = get("STRIPE_JS_TRAIN") {
            let train = Train::parse(name.trim()).ok_or(ConfigError::Invalid {
                name: "STRIPE_JS_TRAIN",
                value: name.clone(),
                expected: "one of basil, clover, dahlia, endive",
            })?;
            config = config.with_train(train);
        }
        if let Some(base) = get("STRIPE_API_BASE") {
            config.stripe.base = base.trim_end_matches('/').to_owned();
        }
        if let Some(version) = get("STRIPE_API_VERSION") {
            config.stripe.api_version = version;
        }
        if let Some(url) = get("RETURN_URL") {
            let url = url.trim();
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(' ') {
                return Err(ConfigError::Invalid {
                    name: "RETURN_URL",
                    value: url.to_owned(),
                    expected: "an absolute URL, like https://shop.example/return?session_id={CHECKOUT_SESSION_ID}",
                });
            }
            config.return_url = url.to_owned();
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
        if let Some(secret) = get("STRIPE_WEBHOOK_SECRET") {
            let secret = secret.trim();
            if !secret.starts_with("whsec_") || secret.len() <= "whsec_".len() {
                return Err(ConfigError::Invalid {
                    name: "STRIPE_WEBHOOK_SECRET",
                    value: "(not shown)".to_owned(),
                    expected: "the endpoint's signing secret, whsec_…",
                });
            }
            config.webhook_secret = Some(WebhookSecret::new(secret));
        }
        let webhooks_off = match get("WEBHOOKS").as_deref().map(str::trim) {
            None | Some("on") => false,
            Some("off") => true,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "WEBHOOKS",
                    value: other.to_owned(),
                    expected: "on or off",
                })
            }
        };
        if config.mode == Mode::Stripe && config.webhook_secret.is_none() && !webhooks_off {
            return Err(ConfigError::Refused(
                "STRIPE_WEBHOOK_SECRET is required with Stripe keys: it is how paid orders are fulfilled when the customer does not come back to the page (set WEBHOOKS=off to fulfil only on the customer's return)",
            ));
        }
        config.rate_limit = rate_limit(&get, config.rate_limit)?;
        config.metrics_token = get("METRICS_TOKEN").map(|t| t.trim().to_owned());
        if let Some(ms) = get("STRIPE_TIMEOUT_MS") {
            config.stripe.timeout = Duration::from_millis(positive_ms("STRIPE_TIMEOUT_MS", &ms)?);
        }
        config.listener = Limits::from_lookup(get)?;
        if let Some(n) = get("STRIPE_MAX_RETRIES") {
            config.stripe.retry.max_retries = n
                .trim()
                .parse()
                .ok()
                .filter(|n| *n <= MAX_RETRIES_LIMIT)
                .ok_or(ConfigError::Invalid {
                    name: "STRIPE_MAX_RETRIES",
                    value: n.clone(),
                    expected: "a number of retries from 0 to 10",
                })?;
        }
        if let Some(ms) = get("STRIPE_UPDATE_DEADLINE_MS") {
            let deadline = Duration::from_millis(positive_ms("STRIPE_UPDATE_DEADLINE_MS", &ms)?);
            if deadline >= RUN_SERVER_UPDATE_TIMEOUT {
                return Err(ConfigError::Invalid {
                    name: "STRIPE_UPDATE_DEADLINE_MS",
                    value: ms,
                    expected:
                        "fewer than 20000 ms (Stripe.js's runServerUpdate gives up after 20 s)",
                });
            }
            config.update_deadline = deadline;
        }
        if let Some(version) = get("STRIPE_TRIAL_API_VERSION") {
            config.stripe.trial_api_version = version;
        }
        if let Some(list) = get("STRIPE_PREVIEWS") {
            config.previews = Previews::parse(&list)?;
        }
        config.previews.check(&config.stripe.api_version)?;
        #[cfg(feature = "sandbox")]
        {
            config.emulator = stripe_sandbox::SandboxOptions {
                catalogue: config.catalogue.clone(),
                ..stripe_sandbox::SandboxOptions::from_lookup(get)?
            };
            config.stand_in = stripe_sandbox::StandInOptions::from_lookup(get)?;
        }
        Ok(config)
    }
}

/// The emulator's configuration: refused with a live key, which belongs to
/// real payments.
fn emulator_config(
    sandbox_base: &str,
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Config, ConfigError> {
    let live = ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY"]
        .iter()
        .any(|name| get(name).is_some_and(|key| is_live_key(key.trim())));
    if live {
        return Err(ConfigError::Refused(
            "the emulator refuses to start with a live Stripe key: unset STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY, or leave CHECKOUT_MODE unset to use Stripe",
        ));
    }
    #[cfg(feature = "sandbox")]
    return Ok(Config::sandbox(sandbox_base));
    #[cfg(not(feature = "sandbox"))]
    {
        let _ = sandbox_base;
        Err(ConfigError::Refused(
            "this build has no emulator (it was built without the `sandbox` feature)",
        ))
    }
}

/// The catalogue file at `path`.
fn load_catalogue(path: &str) -> Result<Catalogue, ConfigError> {
    Catalogue::load(std::path::Path::new(path.trim()))
        .map_err(|e| ConfigError::Catalogue(e.to_string()))
}

/// `RATE_LIMIT_*` over the mode's default (`RATE_LIMIT_PER_MINUTE=0`: off).
fn rate_limit(
    get: &impl Fn(&str) -> Option<String>,
    default: Option<RateLimit>,
) -> Result<Option<RateLimit>, ConfigError> {
    let number = |name: &'static str| -> Result<Option<u32>, ConfigError> {
        get(name)
            .map(|v| {
                v.trim().parse::<u32>().map_err(|_| ConfigError::Invalid {
                    name,
                    value: v.clone(),
                    expected: "a whole number (RATE_LIMIT_PER_MINUTE=0 turns the limit off)",
                })
            })
            .transpose()
    };
    let per_minute = number("RATE_LIMIT_PER_MINUTE")?;
    let burst = number("RATE_LIMIT_BURST")?;
    let client = match get("RATE_LIMIT_CLIENT").as_deref().map(str::trim) {
        None => None,
        Some("peer") => Some(ClientKey::Peer),
        Some("forwarded") => Some(ClientKey::Forwarded),
        Some(other) => {
            return Err(ConfigError::Invalid {
                name: "RATE_LIMIT_CLIENT",
                value: other.to_owned(),
                expected: "peer (the TCP peer) or forwarded (X-Forwarded-For, behind a proxy only)",
            })
        }
    };
    if per_minute == Some(0) {
        return Ok(None);
    }
    if default.is_none() && per_minute.is_none() && burst.is_none() && client.is_none() {
        return Ok(None);
    }
    let base = default.unwrap_or_default();
    Ok(Some(RateLimit {
        per_minute: per_minute.unwrap_or(base.per_minute),
        burst: burst.filter(|b| *b > 0).unwrap_or(base.burst),
        client: client.unwrap_or(base.client),
    }))
}

/// A secret (`sk_`/`rk_`) and a publishable key (`pk_`) of one mode.
fn check_keys(secret: &str, publishable: &str) -> Result<(), ConfigError> {
    if !(secret.starts_with("sk_") || secret.starts_with("rk_")) {
        return Err(ConfigError::Invalid {
            name: "STRIPE_SECRET_KEY",
            value: "(not shown)".to_owned(),
            expected: "a secret key, sk_test_… or sk_live_… (or a restricted key, rk_…)",
        });
    }
    if !publishable.starts_with("pk_") {
        return Err(ConfigError::Invalid {
            name: "STRIPE_PUBLISHABLE_KEY",
            value: publishable.to_owned(),
            expected: "a publishable key, pk_test_… or pk_live_…",
        });
    }
    if is_live_key(secret) != is_live_key(publishable) {
        return Err(ConfigError::Refused(
            "STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY must be of one mode: both test keys or both live keys",
        ));
    }
    Ok(())
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

#[cfg(feature = "sandbox")]
#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::collections::HashMap;

    use super::super::DEFAULT_UPDATE_DEADLINE;

    /// The demo's catalogue file, as a merchant's.
    const DEMO_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../catalogue/demo.toml");

    /// `vars`, with the emulator asked for when they set no secret key, and
    /// a webhook secret when they set one: what each mode needs to start.
    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let mut map = exactly(vars);
        if map.contains_key("STRIPE_SECRET_KEY") {
            map.entry("STRIPE_WEBHOOK_SECRET".to_owned())
                .or_insert_with(|| "whsec_test".to_owned());
        } else {
            map.insert("CHECKOUT_MODE".to_owned(), "emulator".to_owned());
        }
        move |name| map.get(name).cloned()
    }

    fn exactly(vars: &[(&str, &str)]) -> HashMap<String, String> {
        vars.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn only(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map = exactly(vars);
        move |name| map.get(name).cloned()
    }

    #[test]
    fn rate_limits_default_on_with_stripe_keys_and_off_in_the_emulator() {
        let stripe = [
            ("STRIPE_SECRET_KEY", "sk_test_1"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_test_1"),
            ("CHECKOUT_CATALOGUE", DEMO_FILE),
        ];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut vars = stripe.to_vec();
            vars.extend_from_slice(extra);
            Config::from_lookup("http://x", lookup(&vars))
        };
        assert_eq!(with(&[]).unwrap().rate_limit, Some(RateLimit::default()));
        assert_eq!(
            with(&[("RATE_LIMIT_PER_MINUTE", "0")]).unwrap().rate_limit,
            None
        );
        let c = with(&[
            ("RATE_LIMIT_BURST", "5"),
            ("RATE_LIMIT_CLIENT", "forwarded"),
        ])
        .unwrap();
        assert_eq!(
            c.rate_limit,
            Some(RateLimit {
                per_minute: 60,
                burst: 5,
                client: ClientKey::Forwarded
            })
        );
        for (name, value) in [("RATE_LIMIT_CLIENT", "ip"), ("RATE_LIMIT_BURST", "-1")] {
            let err = with(&[(name, value)]).unwrap_err();
            assert!(err.to_string().contains(name), "{err}");
        }
        let emulator = Config::from_lookup("http://x", lookup(&[])).unwrap();
        assert_eq!(emulator.rate_limit, None);
        let asked = Config::from_lookup("http://x", lookup(&[("RATE_LIMIT_PER_MINUTE", "10")]));
        assert_eq!(asked.unwrap().rate_limit.map(|r| r.per_minute), Some(10));
    }

    #[test]
    fn the_emulator_is_asked_for_and_keys_are_of_one_mode() {
        // Nothing set: no silent emulator; every Stripe variable named.
        let err = Config::from_lookup("http://x", only(&[])).unwrap_err();
        assert_eq!(err, ConfigError::NoMode(STRIPE_MODE_VARIABLES.to_vec()));
        assert!(err.to_string().contains("--emulator"), "{err}");
        let err = Config::from_lookup("http://x", only(&[("CHECKOUT_MODE", "fake")])).unwrap_err();
        assert!(err.to_string().contains("CHECKOUT_MODE"), "{err}");
        // The emulator refuses a live key, secret or publishable.
        for key in [
            ("STRIPE_SECRET_KEY", "sk_live_1"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_live_1"),
        ] {
            let err = Config::from_lookup("http://x", only(&[("CHECKOUT_MODE", "emulator"), key]))
                .unwrap_err();
            assert!(err.to_string().contains("live Stripe key"), "{err}");
        }
        let stripe = [
            ("STRIPE_SECRET_KEY", "sk_test_1"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_test_1"),
            ("CHECKOUT_CATALOGUE", DEMO_FILE),
        ];
        // Stripe mode needs the webhook secret, unless webhooks are off.
        let err = Config::from_lookup("http://x", only(&stripe)).unwrap_err();
        assert!(err.to_string().contains("STRIPE_WEBHOOK_SECRET"), "{err}");
        let mut off = stripe.to_vec();
        off.push(("WEBHOOKS", "off"));
        let c = Config::from_lookup("http://x", only(&off)).unwrap();
        assert!(c.webhook_secret.is_none());
        assert_eq!(c.mode_name(), "test");
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        // Keys of two modes, or not keys at all.
        for (secret, publishable, says) in [
            ("sk_test_1", "pk_live_1", "both test keys or both live keys"),
            ("sk_live_1", "pk_test_1", "both test keys or both live keys"),
            ("pk_test_1", "pk_test_1", "STRIPE_SECRET_KEY"),
            ("sk_test_1", "sk_test_1", "STRIPE_PUBLISHABLE_KEY"),
        ] {
            let err = Config::from_lookup(
                "http://x",
                lookup(&[
                    ("STRIPE_SECRET_KEY", secret),
                    ("STRIPE_PUBLISHABLE_KEY", publishable),
                ]),
            )
            .unwrap_err();
            assert!(
                err.to_string().contains(says),
                "{secret} {publishable}: {err}"
            );
        }
        let c = Config::from_lookup(
            "http://x",
            lookup(&[
                ("STRIPE_SECRET_KEY", "rk_live_1"),
                ("STRIPE_PUBLISHABLE_KEY", "pk_live_1"),
                ("CHECKOUT_CATALOGUE", DEMO_FILE),
                ("DATABASE_URL", "postgres://127.0.0.1/shop"),
            ]),
        )
        .unwrap();
        assert_eq!(c.mode_name(), "live");
        assert_eq!(c.database_url, "postgres://127.0.0.1/shop");
        let c = Config::from_lookup("http://127.0.0.1:4242", lookup(&[])).unwrap();
        assert_eq!(c.mode_name(), "sandbox");
        assert_eq!(
            c.return_url,
            "http://127.0.0.1:4242/return.html?session_id={CHECKOUT_SESSION_ID}"
        );
        let err =
            Config::from_lookup("http://x", lookup(&[("RETURN_URL", "/return")])).unwrap_err();
        assert!(err.to_string().contains("RETURN_URL"), "{err}");
    }

    #[test]
    fn no_secret_key_means_sandbox() {
        let c = Config::from_lookup("http://127.0.0.1:4242", lookup(&[])).unwrap();
        assert_eq!(c.mode, Mode::Emulator);
        assert_eq!(c.stripe.base, "http://127.0.0.1:4242");
        assert_eq!(c.stripe.key.expose(), "sk_test_sandbox");
        assert_eq!(c.publishable_key, "pk_test_sandbox");
        assert_eq!(*c.catalogue, Catalogue::demo());
        assert_eq!(c.emulator.catalogue, c.catalogue);
        let coffee = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/shops/coffee.toml");
        let c = Config::from_lookup("http://x", lookup(&[("CHECKOUT_CATALOGUE", coffee)])).unwrap();
        assert_eq!(c.catalogue.products[0].id, "coffee-box");
        assert_eq!(
            c.emulator.catalogue, c.catalogue,
            "the emulator holds the same prices"
        );
        let err = Config::from_lookup("http://x", lookup(&[("CHECKOUT_CATALOGUE", "/nope.toml")]))
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("CHECKOUT_CATALOGUE: could not read the catalogue /nope.toml"),
            "{err}"
        );
        assert_eq!(c.stripe_js_url, "/sandbox/basil/stripe.js");
        assert_eq!(c.stripe.api_version, api_version::DEFAULT);
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
                ("CHECKOUT_CATALOGUE", DEMO_FILE),
                ("STRIPE_API_VERSION", "2025-12-15.clover"),
                ("STATIC_DIR", "/tmp/dist"),
            ]),
        )
        .unwrap();
        assert_eq!(c.mode, Mode::Stripe);
        assert_eq!(c.stripe.base, "https://api.stripe.com");
        assert_eq!(c.stripe_js_url, "https://js.stripe.com/basil/stripe.js");
        assert_eq!(c.stripe.api_version, "2025-12-15.clover");
        assert_eq!(c.previews, Previews::NONE, "no preview unless asked");
        // Without the beta, line-item updates need 2025-12-15 or later.
        let err = Config::from_lookup(
            "http://x",
            lookup(&[
                ("STRIPE_SECRET_KEY", "sk_live_1"),
                ("STRIPE_PUBLISHABLE_KEY", "pk_live_1"),
                ("CHECKOUT_CATALOGUE", DEMO_FILE),
                ("STRIPE_API_VERSION", "2025-03-31.basil"),
            ]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("STRIPE_API_VERSION"), "{err}");
        // Previews need the beta.
        let err = Config::from_lookup(
            "http://x",
            lookup(&[
                ("STRIPE_API_VERSION", "2025-12-15.clover"),
                ("STRIPE_PREVIEWS", "discounts"),
            ]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("STRIPE_PREVIEWS"), "{err}");
        assert_eq!(c.static_dir, Some(PathBuf::from("/tmp/dist")));
    }

    #[test]
    fn trains() {
        let c = Config::from_lookup("http://x", lookup(&[("STRIPE_JS_TRAIN", "dahlia")])).unwrap();
        assert_eq!(c.train, Train::Dahlia);
        assert_eq!(c.stripe_js_url, "/sandbox/dahlia/stripe.js");
        assert_eq!(
            c.stripe.api_version,
            "2026-03-25.dahlia; checkout_server_update_beta=v1;"
        );
        assert_eq!(c.train.ui_mode(), "elements");
        let c = Config::from_lookup(
            "http://x",
            lookup(&[
                ("STRIPE_JS_TRAIN", "clover"),
                ("STRIPE_API_VERSION", "2026-01-28.clover"),
                ("STRIPE_SECRET_KEY", "sk_live_1"),
                ("STRIPE_PUBLISHABLE_KEY", "pk_live_1"),
                ("CHECKOUT_CATALOGUE", DEMO_FILE),
            ]),
        )
        .unwrap();
        assert_eq!(c.stripe_js_url, "https://js.stripe.com/clover/stripe.js");
        assert_eq!(c.stripe.api_version, "2026-01-28.clover");
        assert_eq!(c.train.ui_mode(), "custom");
        let err =
            Config::from_lookup("http://x", lookup(&[("STRIPE_JS_TRAIN", "acacia")])).unwrap_err();
        assert!(err.to_string().contains("STRIPE_JS_TRAIN"));
        let c =
            Config::from_lookup("http://x", lookup(&[("SANDBOX_SESSION_TTL_SECS", "5")])).unwrap();
        assert_eq!(c.emulator.session_ttl, Duration::from_secs(5));
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
        assert_eq!(c.stripe.timeout, crate::stripe_client::DEFAULT_TIMEOUT);
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
        assert_eq!(c.stripe.timeout, Duration::from_millis(250));
        assert_eq!(c.stripe.retry.max_retries, 2);
        assert_eq!(c.update_deadline, DEFAULT_UPDATE_DEADLINE);
        assert_eq!(
            c.page_stripe_js_url(),
            "/sandbox/basil/stripe.js?update_timeout_ms=1500"
        );
        for (name, value) in [
            ("ALLOWED_ORIGINS", "shop.example"),
            ("ALLOWED_ORIGINS", "https://shop.example/path"),
            ("STRIPE_TIMEOUT_MS", "0"),
            ("SANDBOX_UPDATE_TIMEOUT_MS", "soon"),
            ("STRIPE_MAX_RETRIES", "-1"),
            ("STRIPE_MAX_RETRIES", "11"),
            ("STRIPE_UPDATE_DEADLINE_MS", "0"),
            ("STRIPE_UPDATE_DEADLINE_MS", "20000"),
            ("SANDBOX_RATE_LIMIT", "0"),
            ("SANDBOX_LATENCY_MS", "400-150"),
        ] {
            let err = Config::from_lookup("http://x", lookup(&[(name, value)])).unwrap_err();
            assert!(err.to_string().contains(name), "{err}");
        }
    }

    #[test]
    fn listener_limits() {
        let c = Config::from_lookup("http://x", lookup(&[])).unwrap();
        assert_eq!(c.listener, Limits::default());
        let c = Config::from_lookup(
            "http://x",
            lookup(&[
                ("HEADER_READ_TIMEOUT_MS", "300"),
                ("REQUEST_TIMEOUT_MS", "400"),
                ("IDLE_TIMEOUT_MS", "500"),
                ("MAX_CONNECTIONS", "8"),
            ]),
        )
        .unwrap();
        assert_eq!(c.listener.header_read_timeout, Duration::from_millis(300));
        assert_eq!(c.listener.request_timeout, Duration::from_millis(400));
        assert_eq!(c.listener.idle_timeout, Duration::from_millis(500));
        assert_eq!(c.listener.max_connections, 8);
        let err =
            Config::from_lookup("http://x", lookup(&[("MAX_CONNECTIONS", "lots")])).unwrap_err();
        assert!(err.to_string().contains("MAX_CONNECTIONS"), "{err}");
    }

    #[test]
    fn retries_deadline_and_trial_version() {
        let c = Config::from_lookup("http://x", lookup(&[])).unwrap();
        assert_eq!(c.stripe.trial_api_version, api_version::TRIAL_PREVIEW);
        assert_eq!(c.stripe.retry, crate::stripe_client::RetryPolicy::default());
        let c = Config::from_lookup(
            "http://x",
            lookup(&[
                ("STRIPE_MAX_RETRIES", "0"),
                ("STRIPE_UPDATE_DEADLINE_MS", "19999"),
                (
                    "STRIPE_TRIAL_API_VERSION",
                    "2026-09-30.preview; checkout_server_update_beta=v1;",
                ),
                ("SANDBOX_RATE_LIMIT", "25"),
                ("SANDBOX_LATENCY_MS", "150-400"),
            ]),
        )
        .unwrap();
        assert_eq!(c.stripe.retry.max_retries, 0);
        assert_eq!(c.update_deadline, Duration::from_millis(19_999));
        assert!(c.stripe.trial_api_version.starts_with("2026-09-30.preview"));
        assert_eq!(c.emulator.rate_limit, Some(25));
        assert_eq!(
            c.emulator.latency.map(|l| (l.min_ms, l.max_ms)),
            Some((150, 400))
        );
    }

    #[test]
    fn webhook_secret() {
        let c = Config::from_lookup(
            "http://x",
            lookup(&[("STRIPE_WEBHOOK_SECRET", "whsec_abc123")]),
        )
        .unwrap();
        assert_eq!(c.webhook_secret.as_ref().unwrap().expose(), "whsec_abc123");
        assert!(!format!("{c:?}").contains("whsec_abc123"));
        let err = Config::from_lookup("http://x", lookup(&[("STRIPE_WEBHOOK_SECRET", "sk_x")]))
            .unwrap_err();
        assert!(err.to_string().contains("STRIPE_WEBHOOK_SECRET"));
        assert!(!err.to_string().contains("sk_x"));
    }

    #[test]
    fn api_base_override_and_redacted_debug() {
        let c = Config::from_lookup(
            "http://x",
            lookup(&[("STRIPE_API_BASE", "http://127.0.0.1:9999/")]),
        )
        .unwrap();
        assert_eq!(c.stripe.base, "http://127.0.0.1:9999");
        let debug = format!("{c:?}");
        assert!(debug.contains("sk_***redacted"));
        assert!(!debug.contains("sk_test_sandbox"));
    }
}
