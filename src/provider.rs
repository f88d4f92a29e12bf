//! `CheckoutProvider`: loads Stripe.js, initialises the checkout and shares
//! its state with the components inside it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::error::CheckoutError;
use crate::session::Session;
use crate::stripe_js::{load_stripe_js, Checkout, Stripe};

/// Default merchant endpoint that reports the publishable key and Stripe.js URL.
pub const DEFAULT_CONFIG_URL: &str = "/config";
/// Default merchant endpoint that creates the Checkout Session.
pub const DEFAULT_CLIENT_SECRET_URL: &str = "/create-checkout-session";

/// Where the checkout is in its life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckoutState {
    /// Stripe.js or the session is still loading.
    Loading,
    /// The checkout is ready; the session is in [`CheckoutContext::session`].
    Ready,
    /// The checkout could not be set up.
    Failed(CheckoutError),
}

/// What [`CheckoutProvider`] shares with the components inside it.
///
/// Read it with [`use_checkout`]. All fields are signals, so the context is `Copy`.
#[derive(Clone, Copy, Debug)]
pub struct CheckoutContext {
    /// Loading, ready or failed.
    pub state: RwSignal<CheckoutState>,
    /// The session as Stripe.js last reported it.
    pub session: RwSignal<Option<Session>>,
    /// The control whose server update is running, if any (one at a time).
    pub pending: RwSignal<Option<String>>,
    /// The message of the last failed update, cleared by the next success.
    pub error: RwSignal<Option<String>>,
    pub(crate) checkout: StoredValue<Option<Checkout>, LocalStorage>,
}

impl CheckoutContext {
    fn new() -> Self {
        Self {
            state: RwSignal::new(CheckoutState::Loading),
            session: RwSignal::new(None),
            pending: RwSignal::new(None),
            error: RwSignal::new(None),
            checkout: StoredValue::new_local(None),
        }
    }

    /// Whether the checkout is ready and its session open for changes.
    pub fn is_open(&self) -> bool {
        self.state.with(|state| *state == CheckoutState::Ready)
            && self
                .session
                .with(|session| session.as_ref().is_some_and(Session::is_open))
    }

    /// Replaces the session from a value Stripe.js handed over.
    pub(crate) fn accept_session(&self, value: &JsValue) -> Result<(), CheckoutError> {
        let session: Session = serde_wasm_bindgen::from_value(value.clone())
            .map_err(|error| CheckoutError::Unexpected(error.to_string()))?;
        self.session.set(Some(session));
        Ok(())
    }
}

/// The checkout of the nearest [`CheckoutProvider`], or `None` outside one.
pub fn use_checkout() -> Option<CheckoutContext> {
    use_context::<CheckoutContext>()
}

/// Logs that `component` was used outside a `<CheckoutProvider>`.
pub(crate) fn missing_provider(component: &str) {
    web_sys::console::error_1(
        &format!("<{component}/> must be placed inside a <CheckoutProvider>.").into(),
    );
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigReply {
    publishable_key: String,
    stripe_js_url: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientSecretReply {
    client_secret: String,
}

async fn get_json<T: for<'de> Deserialize<'de>>(
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

async fn initialise(
    context: CheckoutContext,
    config_url: String,
    client_secret_url: String,
) -> Result<(), CheckoutError> {
    let config: ConfigReply = get_json(gloo_net::http::Request::get(&config_url)).await?;
    load_stripe_js(&config.stripe_js_url).await?;
    let stripe = Stripe::new(&config.publishable_key)?;
    let checkout = stripe
        .init_checkout(move || {
            let url = client_secret_url.clone();
            async move {
                let reply: ClientSecretReply =
                    get_json(gloo_net::http::Request::post(&url)).await?;
                Ok(reply.client_secret)
            }
        })
        .await?;
    context.accept_session(&checkout.session_value()?)?;
    checkout.on_change(move |value| {
        if let Err(error) = context.accept_session(&value) {
            web_sys::console::warn_1(&format!("ignored a session update: {error}").into());
        }
    })?;
    context.checkout.set_value(Some(checkout));
    context.state.set(CheckoutState::Ready);
    Ok(())
}

/// Sets up Stripe Checkout (custom UI, server updates beta) and provides it to
/// its children.
///
/// It fetches `config_url` (`{publishableKey, stripeJsUrl}`), loads Stripe.js
/// from `stripeJsUrl` unless the page already has it, calls
/// `Stripe(pk, {betas: ['custom_checkout_server_updates_1']})` and
/// `initCheckout` with a client secret from `client_secret_url`, then follows
/// the session through Stripe.js's `change` event.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_stripe_checkout::*;
///
/// # fn app() -> impl IntoView {
/// view! {
///     <CheckoutProvider>
///         <SubscriptionIntervalSwitch/>
///         <ApplyDiscountButton/>
///         <UpdateStatus/>
///         <OrderSummary/>
///     </CheckoutProvider>
/// }
/// # }
/// ```
#[component]
pub fn CheckoutProvider(
    /// Merchant endpoint answering `{publishableKey, stripeJsUrl}` (default `/config`).
    #[prop(optional, into)]
    config_url: MaybeProp<String>,
    /// Merchant endpoint answering `{clientSecret}` to a POST (default `/create-checkout-session`).
    #[prop(optional, into)]
    client_secret_url: MaybeProp<String>,
    /// The checkout UI.
    children: Children,
) -> impl IntoView {
    let context = CheckoutContext::new();
    provide_context(context);
    let config_url = config_url
        .get_untracked()
        .unwrap_or_else(|| DEFAULT_CONFIG_URL.to_owned());
    let client_secret_url = client_secret_url
        .get_untracked()
        .unwrap_or_else(|| DEFAULT_CLIENT_SECRET_URL.to_owned());
    spawn_local(async move {
        if let Err(error) = initialise(context, config_url, client_secret_url).await {
            web_sys::console::error_1(&format!("checkout failed to load: {error}").into());
            context.state.set(CheckoutState::Failed(error));
        }
    });
    children()
}
