//! Starting the checkout in the browser (nothing runs under `ssr`).

use wasm_bindgen::JsValue;

use crate::provider::{CheckoutContext, Setup};

/// Starts loading the checkout for `context` (no-op when server-rendering).
pub(crate) fn start(context: CheckoutContext, setup: Setup, adopt: Option<JsValue>) {
    // `undefined` / `null` mean "create one", as in JS.
    let adopt = adopt.filter(|value| !value.is_undefined() && !value.is_null());
    #[cfg(not(feature = "ssr"))]
    leptos::task::spawn_local(async move {
        use leptos::prelude::Set as _;
        if let Err(error) = browser::initialise(context, setup, adopt).await {
            leptos::logging::error!("checkout failed to load: {error}");
            context
                .state
                .set(crate::provider::CheckoutState::Failed(error));
        }
    });
    #[cfg(feature = "ssr")]
    let _ = (context, setup, adopt);
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsValue;

    use crate::error::CheckoutError;
    use crate::json::Json as _;
    use crate::provider::{
        CheckoutContext, CheckoutState, ClientSecretSource, MerchantConfig, Setup,
    };
    use crate::stripe_js::{load_stripe_js, Checkout, SecretFuture, Stripe, Train};

    fn secret_fetcher(source: ClientSecretSource) -> impl FnOnce() -> SecretFuture {
        move || match source {
            ClientSecretSource::Endpoint(url) => Box::pin(async move {
                let reply = crate::fetch::json("POST", &url).await?;
                match reply.opt_text_at("clientSecret")? {
                    Some(secret) => Ok(secret),
                    None => Err(CheckoutError::Unexpected(format!(
                        "{url} answered no clientSecret"
                    ))),
                }
            }),
            ClientSecretSource::Secret(secret) => Box::pin(async move { Ok(secret) }),
            ClientSecretSource::Callback(callback) => callback(),
        }
    }

    pub(super) async fn initialise(
        context: CheckoutContext,
        setup: Setup,
        adopt: Option<JsValue>,
    ) -> Result<(), CheckoutError> {
        let checkout = match adopt {
            Some(existing) => Checkout::adopt(existing, setup.train.unwrap_or_default()).await?,
            None => create(setup).await?,
        };
        context.accept_session(&checkout.session_value()?)?;
        checkout.on_change(move |value| {
            if let Err(error) = context.accept_session(&value) {
                leptos::logging::warn!("ignored a session update: {error}");
            }
        })?;
        context.checkout.set_value(Some(checkout));
        context.state.set(CheckoutState::Ready);
        Ok(())
    }

    async fn create(setup: Setup) -> Result<Checkout, CheckoutError> {
        let config = match (&setup.publishable_key, &setup.stripe_js_url) {
            (Some(key), Some(url)) => MerchantConfig {
                publishable_key: key.clone(),
                stripe_js_url: url.clone(),
                train: None,
            },
            _ => {
                let reply = crate::fetch::json("GET", &setup.config_url).await?;
                let mut config = MerchantConfig {
                    publishable_key: reply.text_at("publishableKey")?,
                    stripe_js_url: reply.text_at("stripeJsUrl")?,
                    train: reply.opt_text_at("train")?,
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
        load_stripe_js(&url).await?;
        let stripe = Stripe::new(&config.publishable_key, train)?;
        let elements_options = match &setup.elements_options {
            Some(options) => js_sys::JSON::parse(options).map_err(|_| {
                CheckoutError::Integration("elements_options is not JSON".to_owned())
            })?,
            None => JsValue::UNDEFINED,
        };
        stripe
            .init_checkout(secret_fetcher(setup.client_secret), &elements_options)
            .await
    }
}
