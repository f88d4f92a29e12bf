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
    use serde::Deserialize;
    use wasm_bindgen::JsValue;

    use crate::error::CheckoutError;
    use crate::provider::{
        CheckoutContext, CheckoutState, ClientSecretSource, MerchantConfig, Setup,
    };
    use crate::stripe_js::{load_stripe_js, Checkout, SecretFuture, Stripe, Train};

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct ClientSecretReply {
        client_secret: String,
    }

    pub(crate) async fn get_json<T: for<'de> Deserialize<'de>>(
        request: gloo_net::http::RequestBuilder,
    ) -> Result<T, CheckoutError> {
        let response = request
            .send()
            .await
            .map_err(|error| CheckoutError::Network(error.to_string()))?;
        if !response.ok() {
            return Err(CheckoutError::Network(format!(
                "{} answered {}",
                response.url(),
                response.status()
            )));
        }
        response
            .json::<T>()
            .await
            .map_err(|error| CheckoutError::Unexpected(error.to_string()))
    }

    fn secret_fetcher(source: ClientSecretSource) -> impl FnOnce() -> SecretFuture {
        move || match source {
            ClientSecretSource::Endpoint(url) => Box::pin(async move {
                let reply: ClientSecretReply =
                    get_json(gloo_net::http::Request::post(&url)).await?;
                Ok(reply.client_secret)
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
                let mut config: MerchantConfig =
                    get_json(gloo_net::http::Request::get(&setup.config_url)).await?;
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
            train.script_url()
        } else {
            config.stripe_js_url.clone()
        };
        load_stripe_js(&url).await?;
        let stripe = Stripe::new(&config.publishable_key, train)?;
        let elements_options = match &setup.elements_options {
            Some(options) => options
                .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                .map_err(|error| CheckoutError::Integration(error.to_string()))?,
            None => JsValue::UNDEFINED,
        };
        stripe
            .init_checkout(secret_fetcher(setup.client_secret), &elements_options)
            .await
    }

    use serde::Serialize as _;
}
