//! Starting the checkout in the browser (nothing runs under `ssr`): the
//! session this tab already has (remembered in `sessionStorage`), else a new
//! one. "Try again" and "Start a new checkout" start it again.
//!
//! A spawned task that writes the loading state, not a `LocalResource` read
//! under `<Suspense>`. Both were built and measured (`trunk build
//! --release`'s pipeline, gzip -9 of the wasm): loading through a
//! `LocalResource` (retry = `refetch`) made the guides' page 147,846 →
//! 157,662 B (+9.8 KB) and the demo 195,823 → 205,251 B (+9.4 KB); with
//! `<Suspense>` for the provider's `fallback` (instead of `<Show>`),
//! 164,005 B (+16.2 KB) and 211,615 B (+15.8 KB). The state also has more
//! writers than the load: the merchant server's word on a remembered
//! session (`unusable` below) and "Start a new checkout", which empties the
//! session before loading again.

use wasm_bindgen::JsValue;

use super::Lifecycle;
use crate::setup::Setup;

/// Starts loading the checkout (no-op when server-rendering). `adopt` is a
/// checkout the page created itself.
pub(super) fn start(lifecycle: Lifecycle, setup: Setup, adopt: Option<JsValue>) {
    #[cfg(not(feature = "ssr"))]
    leptos::task::spawn_local(async move {
        use leptos::prelude::Set as _;
        if let Err(error) = browser::initialise(lifecycle, setup, adopt).await {
            if lifecycle.context.is_alive() {
                crate::log::warn(&format!("the checkout could not be loaded: {error}"));
                lifecycle
                    .state
                    .set(crate::state::CheckoutState::Failed(error));
            }
        }
    });
    #[cfg(feature = "ssr")]
    let _ = (lifecycle, setup, adopt);
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsValue;

    use checkout_protocol::bodies::{ClientSecretReply, ConfigReply};

    use crate::error::CheckoutError;
    use crate::lifecycle::Lifecycle;
    use crate::setup::{ClientSecretSource, Setup};
    use crate::state::{CheckoutState, Closed, Freshness};
    use crate::stripe_js::{load_stripe_js, Checkout, SecretFuture, Stripe, Train};

    /// `GET /config` of the merchant server (`{publishableKey, stripeJsUrl,
    /// train?, previews?}`), as the checkout starts with it.
    #[derive(Clone, Debug, Default)]
    struct MerchantConfig {
        publishable_key: String,
        stripe_js_url: String,
        train: Option<String>,
    }

    fn secret_fetcher(
        source: ClientSecretSource,
        storage_key: Option<String>,
        early: Option<js_sys::Promise>,
    ) -> impl FnOnce() -> SecretFuture {
        move || match source {
            ClientSecretSource::Endpoint(url) => Box::pin(async move {
                let ClientSecretReply { client_secret } = match early {
                    // Created while the wasm loaded (checkout-start.js).
                    Some(started) => crate::wire::from_json(
                        &crate::early::body(started).await?,
                        &format!("{url}'s reply"),
                    )?,
                    None => crate::http::post_empty(&url).await?.parse(&url)?,
                };
                if let Some(key) = &storage_key {
                    crate::storage::remember(key, &client_secret);
                }
                Ok(client_secret)
            }),
            ClientSecretSource::Secret(secret) => Box::pin(async move { Ok(secret) }),
            ClientSecretSource::Callback(callback) => callback(),
        }
    }

    pub(super) async fn initialise(
        lifecycle: Lifecycle,
        setup: Setup,
        adopt: Option<JsValue>,
    ) -> Result<(), CheckoutError> {
        let checkout = match adopt {
            Some(existing) => Checkout::adopt(existing, setup.train.unwrap_or_default()).await?,
            None => create(lifecycle, setup).await?,
        };
        if !lifecycle.context.is_alive() {
            return Ok(());
        }
        lifecycle.accept_session(&checkout.session_value()?)?;
        checkout.on_change(move |value| {
            if lifecycle.context.is_alive() {
                lifecycle.follow_session(&value);
            }
        })?;
        let _ = lifecycle.held(|held| held.checkout = Some(checkout));
        lifecycle.freshness.set(Freshness::Current);
        lifecycle.generation.update(|n| *n = n.wrapping_add(1));
        lifecycle.state.set(CheckoutState::Ready);
        lifecycle.tell_page();
        Ok(())
    }

    async fn create(lifecycle: Lifecycle, setup: Setup) -> Result<Checkout, CheckoutError> {
        let secret_url = match &setup.client_secret {
            ClientSecretSource::Endpoint(url) => Some(url.as_str()),
            _ => None,
        };
        let early = crate::early::take(lifecycle.context.instance(), &setup.config_url, secret_url);
        // Stripe.js started by the page, when it loaded it from the config.
        let mut early_stripe = None;
        let config = match (&setup.publishable_key, &setup.stripe_js_url) {
            (Some(key), Some(url)) => MerchantConfig {
                publishable_key: key.clone(),
                stripe_js_url: url.clone(),
                train: None,
            },
            _ => {
                if setup.stripe_js_url.is_none() {
                    early_stripe = early.stripe;
                }
                let reply: ConfigReply = match early.config {
                    // Fetched while the wasm loaded (checkout-start.js).
                    Some(started) => crate::wire::from_json(
                        &crate::early::body(started).await?,
                        &format!("{}'s reply", setup.config_url),
                    )?,
                    None => crate::http::get(&setup.config_url)
                        .await?
                        .parse(&setup.config_url)?,
                };
                // The controls of previews the server does not send go.
                let _ = lifecycle.previews.try_set(reply.previews);
                let _ = lifecycle.intervals.try_set(reply.intervals);
                #[cfg(feature = "add-ons")]
                let _ = lifecycle.add_ons.try_set(reply.add_ons);
                let mut config = MerchantConfig {
                    publishable_key: reply.publishable_key,
                    stripe_js_url: reply.stripe_js_url,
                    train: Some(reply.train).filter(|train| !train.is_empty()),
                };
                if let Some(key) = &setup.publishable_key {
                    config.publishable_key.clone_from(key);
                }
                if let Some(url) = &setup.stripe_js_url {
                    config.stripe_js_url.clone_from(url);
                }
                config
            }
        };
        let train = match (setup.train, config.train.as_deref()) {
            (Some(train), _) => train,
            (None, Some(name)) => name.parse()?,
            (None, None) => Train::default(),
        };
        let url = if config.stripe_js_url.is_empty() {
            train.script_url().to_owned()
        } else {
            config.stripe_js_url.clone()
        };
        if let Some(started) = early_stripe {
            if !crate::early::loaded(started).await {
                return Err(CheckoutError::ScriptLoad(url));
            }
        }
        load_stripe_js(&url).await?;
        // The session this tab already has, if any: a reload shows it (paid,
        // expired or open) rather than creating another.
        let remembered = setup
            .storage_key
            .as_deref()
            .and_then(crate::storage::recall);
        // The checkout the page started (checkout-start.js), when it is the
        // one made here: the config's key, Stripe.js and train, Stripe's
        // default Elements options and the same client secret. When it
        // failed, this makes its own.
        let same_as_started = setup.publishable_key.is_none()
            && setup.stripe_js_url.is_none()
            && setup.elements_options.is_none()
            && config.train.as_deref() == Some(train.as_str())
            && early.remembered == remembered;
        if let Some(started) = early.checkout.filter(|_| same_as_started) {
            if let Some(value) = crate::early::value(started).await {
                if remembered.is_none() {
                    // The endpoint's new session: remembered as the tab's.
                    secret_fetcher(
                        setup.client_secret.clone(),
                        setup.storage_key.clone(),
                        early.secret.clone(),
                    )()
                    .await?;
                }
                if let Ok(checkout) = Checkout::adopt(value, train).await {
                    return Ok(checkout);
                }
            }
        }
        let stripe = Stripe::new(&config.publishable_key, train)?;
        let elements_options =
            crate::setup::json_option(setup.elements_options.as_deref(), "elements_options")?;
        if let Some(secret) = remembered {
            let source = ClientSecretSource::Secret(secret.clone());
            match stripe
                .init_checkout(secret_fetcher(source, None, None), &elements_options)
                .await
            {
                Ok(checkout) => return Ok(checkout),
                Err(error) => return Err(unusable(lifecycle, &setup, &secret, error).await),
            }
        }
        stripe
            .init_checkout(
                secret_fetcher(setup.client_secret, setup.storage_key, early.secret),
                &elements_options,
            )
            .await
    }

    /// Stripe.js could not load the remembered session: the merchant server
    /// says whether it is gone or closed (then the widget says so and offers
    /// a new checkout) or whether this was a passing failure ("Try again").
    async fn unusable(
        lifecycle: Lifecycle,
        setup: &Setup,
        secret: &str,
        error: CheckoutError,
    ) -> CheckoutError {
        let id = secret.split("_secret_").next().unwrap_or_default();
        let status = crate::lifecycle::sync::session_status(&setup.status_url, id).await;
        if let Some(Some(closed)) = status {
            if closed != Closed::Complete {
                crate::storage::forget(&setup.storage_key);
            }
            let _ = lifecycle.closed_override.try_set(Some(closed));
        }
        error
    }
}
