//! `CheckoutProvider`: loads Stripe.js, initialises the checkout and shares
//! its state with the components inside it.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::error::CheckoutError;
use crate::labels::Labels;
use crate::money::format_money;
use crate::session::{Amount, Session};
use crate::stripe_js::{Checkout, SecretFuture, Train};

/// Default merchant endpoint that reports the publishable key and Stripe.js URL.
pub const DEFAULT_CONFIG_URL: &str = checkout_protocol::endpoints::CONFIG;
/// Default merchant endpoint that creates the Checkout Session.
pub const DEFAULT_CLIENT_SECRET_URL: &str = checkout_protocol::endpoints::CREATE_CHECKOUT_SESSION;

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

/// What [`use_checkout`] returns: the checkout's state, tagged.
#[derive(Clone, Debug)]
pub enum CheckoutStatus {
    /// Stripe.js or the session is still loading.
    Loading,
    /// Ready; the session follows Stripe.js's `change` event.
    Ready {
        /// The current session.
        session: Signal<Session>,
    },
    /// The checkout could not be set up (or there is no provider).
    Failed {
        /// A message for the customer.
        message: String,
    },
}

/// How the provider gets the session's client secret.
#[derive(Clone)]
pub enum ClientSecretSource {
    /// POST this merchant endpoint; it answers `{clientSecret}`.
    Endpoint(String),
    /// A secret the page already has.
    Secret(String),
    /// Ask this function.
    Callback(Rc<dyn Fn() -> SecretFuture>),
}

impl Default for ClientSecretSource {
    fn default() -> Self {
        Self::Endpoint(DEFAULT_CLIENT_SECRET_URL.to_owned())
    }
}

impl From<&str> for ClientSecretSource {
    fn from(endpoint: &str) -> Self {
        Self::Endpoint(endpoint.to_owned())
    }
}

impl From<String> for ClientSecretSource {
    fn from(endpoint: String) -> Self {
        Self::Endpoint(endpoint)
    }
}

impl std::fmt::Debug for ClientSecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Endpoint(url) => f.debug_tuple("Endpoint").field(url).finish(),
            Self::Secret(_) => f.write_str("Secret(..)"),
            Self::Callback(_) => f.write_str("Callback(..)"),
        }
    }
}

/// What [`CheckoutProvider`] shares with the components inside it.
///
/// Get it with [`use_checkout_context`]. All fields are signals, so it is `Copy`.
#[derive(Clone, Copy, Debug)]
pub struct CheckoutContext {
    /// Loading, ready or failed.
    pub state: RwSignal<CheckoutState>,
    /// The session as Stripe.js last reported it.
    pub session: RwSignal<Option<Session>>,
    /// The control whose server update (or payment) is running, if any: one at a time.
    pub pending: RwSignal<Option<String>>,
    /// The message of the last failure, cleared by the next success.
    pub error: RwSignal<Option<String>>,
    /// The last polite announcement ("Total is now $135.00 per year").
    pub announcement: RwSignal<String>,
    /// The strings the components show.
    pub labels: Signal<Labels>,
    pub(crate) checkout: StoredValue<Option<Checkout>, LocalStorage>,
    /// How the checkout was started, to start it again after a failure.
    pub(crate) setup: StoredValue<Option<(Setup, Option<JsValue>)>, LocalStorage>,
}

impl CheckoutContext {
    pub(crate) fn new(labels: Signal<Labels>) -> Self {
        Self {
            state: RwSignal::new(CheckoutState::Loading),
            session: RwSignal::new(None),
            pending: RwSignal::new(None),
            error: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            labels,
            checkout: StoredValue::new_local(None),
            setup: StoredValue::new_local(None),
        }
    }

    /// Whether the checkout is ready and its session open for changes.
    pub fn is_open(&self) -> bool {
        self.state.with(|state| *state == CheckoutState::Ready)
            && self
                .session
                .with(|session| session.as_ref().is_some_and(Session::is_open))
    }

    /// After loading failed (Stripe.js did not load, the server was down),
    /// starts the checkout again. Does nothing in any other state.
    pub fn retry(&self) {
        if !self
            .state
            .with_untracked(|state| matches!(state, CheckoutState::Failed(_)))
        {
            return;
        }
        if let Some((setup, adopt)) = self.setup.get_value() {
            self.state.set(CheckoutState::Loading);
            crate::init::start(*self, setup, adopt);
        }
    }

    /// The tagged state.
    pub fn status(&self) -> CheckoutStatus {
        let session = self.session;
        match self.state.get() {
            CheckoutState::Loading => CheckoutStatus::Loading,
            CheckoutState::Ready => CheckoutStatus::Ready {
                session: Signal::derive(move || session.get().unwrap_or_default()),
            },
            CheckoutState::Failed(error) => CheckoutStatus::Failed {
                message: self.customer_message(&error),
            },
        }
    }

    /// The customer-facing text for `error`, in the provider's labels.
    pub fn customer_message(&self, error: &CheckoutError) -> String {
        self.labels.with(|labels| error.customer_message_in(labels))
    }

    /// Formats an amount of the current session for display.
    pub fn money(&self, amount: &Amount) -> String {
        let (currency, divisor) = self.session.with(|session| {
            session
                .as_ref()
                .map(|s| (s.currency.clone(), s.minor_units_amount_divisor))
                .unwrap_or_default()
        });
        self.labels
            .with(|labels| format_money(amount, &currency, divisor, &labels.locale))
    }

    /// The session's total as the summary shows it ("$135.00 per year").
    pub fn total_text(&self) -> Option<String> {
        let (total, interval) = self.session.with(|session| {
            session
                .as_ref()
                .map(|s| (s.total.total.clone(), s.interval().map(str::to_owned)))
        })?;
        let per = self
            .labels
            .with(|labels| labels.per(interval.as_deref()).to_owned());
        Some(format!("{}{per}", self.money(&total)))
    }

    /// Replaces the session from a value Stripe.js handed over.
    pub(crate) fn accept_session(&self, value: &JsValue) -> Result<(), CheckoutError> {
        let session = Session::from_js(value)?;
        self.session.set(Some(session));
        Ok(())
    }

    /// The Stripe.js checkout, once ready.
    pub(crate) fn checkout(&self) -> Option<Checkout> {
        self.checkout.get_value()
    }
}

/// The context of the nearest [`CheckoutProvider`], or
/// [`CheckoutError::MissingProvider`] naming what is missing.
pub fn use_checkout_context() -> Result<CheckoutContext, CheckoutError> {
    use_context::<CheckoutContext>().ok_or(CheckoutError::MissingProvider)
}

/// The checkout's state, tagged: loading, ready with the session as a signal,
/// or failed with a message. Outside a [`CheckoutProvider`] it is `Failed`
/// with a message that says so (and logs an error).
pub fn use_checkout() -> Signal<CheckoutStatus> {
    match use_checkout_context() {
        Ok(context) => Signal::derive(move || context.status()),
        Err(error) => {
            leptos::logging::error!("use_checkout(): {error}");
            let message = error.to_string();
            Signal::derive(move || CheckoutStatus::Failed {
                message: message.clone(),
            })
        }
    }
}

/// The `class` attribute of a component: its own classes, then the `class` prop's.
pub(crate) fn classes(base: &'static str, extra: MaybeProp<String>) -> impl Fn() -> String {
    move || match extra.get() {
        Some(extra) if !extra.is_empty() => format!("{base} {extra}"),
        _ => base.to_owned(),
    }
}

/// Logs that `component` was used outside a `<CheckoutProvider>`.
pub(crate) fn missing_provider(component: &str) {
    leptos::logging::error!("<{component}/> must be placed inside a <CheckoutProvider>.");
}

/// `GET /config` of the merchant server (`{publishableKey, stripeJsUrl, train?}`).
#[derive(Clone, Debug, Default)]
pub(crate) struct MerchantConfig {
    pub(crate) publishable_key: String,
    pub(crate) stripe_js_url: String,
    pub(crate) train: Option<String>,
}

/// What the provider needs to start, from its props.
#[derive(Clone, Debug)]
pub(crate) struct Setup {
    pub(crate) config_url: String,
    pub(crate) publishable_key: Option<String>,
    pub(crate) stripe_js_url: Option<String>,
    pub(crate) train: Option<Train>,
    pub(crate) client_secret: ClientSecretSource,
    pub(crate) elements_options: Option<String>,
}

/// Sets up Stripe Checkout (custom UI, server updates beta) and provides it to
/// its children.
///
/// Unless both `publishable_key` and `stripe_js_url` are given, it fetches
/// `config_url` (`{publishableKey, stripeJsUrl, train?}`). It loads Stripe.js
/// unless the page already has it, calls
/// `Stripe(pk, {betas: ['custom_checkout_server_updates_1']})`, initialises the
/// checkout the way the release train wants it with the client secret from
/// `client_secret`, and follows the session through the `change` event.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_stripe_checkout::*;
///
/// # fn app() -> impl IntoView {
/// view! {
///     <CheckoutProvider labels=Labels::fr()>
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
    /// Merchant endpoint answering `{publishableKey, stripeJsUrl, train}` (default `/config`).
    #[prop(optional, into)]
    config_url: MaybeProp<String>,
    /// Publishable key (`pk_...`); with `stripe_js_url` it makes `config_url` unnecessary.
    #[prop(optional, into)]
    publishable_key: MaybeProp<String>,
    /// Where to load Stripe.js from (default: from the config, else `https://js.stripe.com/<train>/stripe.js`).
    #[prop(optional, into)]
    stripe_js_url: MaybeProp<String>,
    /// Stripe.js release train (default: the config's `train`, else basil).
    #[prop(optional, into)]
    train: MaybeProp<Train>,
    /// How to get the client secret: an endpoint (default `/create-checkout-session`), a secret or a callback.
    #[prop(optional, into)]
    client_secret: Option<ClientSecretSource>,
    /// `elementsOptions` for Stripe.js as JSON text, such as `{"appearance": {"theme": "stripe"}}`.
    #[prop(optional, into)]
    elements_options: MaybeProp<String>,
    /// Customer-visible strings (default: chosen from the page's `lang`).
    #[prop(optional, into)]
    labels: MaybeProp<Labels>,
    /// Shown instead of the children while the checkout loads (default: the children show their own loading state).
    #[prop(optional, into)]
    fallback: Option<ViewFn>,
    /// A checkout the page already created (basil: the object `initCheckout` resolved; clover and dahlia: the SDK object), to adopt instead of creating one.
    #[prop(optional)]
    checkout: Option<JsValue>,
    /// The checkout UI.
    children: ChildrenFn,
) -> impl IntoView {
    let labels = Signal::derive(move || labels.get().unwrap_or_else(page_labels));
    let context = CheckoutContext::new(labels);
    provide_context(context);
    let setup = Setup {
        config_url: config_url
            .get_untracked()
            .unwrap_or_else(|| DEFAULT_CONFIG_URL.to_owned()),
        publishable_key: publishable_key.get_untracked(),
        stripe_js_url: stripe_js_url.get_untracked(),
        train: train.get_untracked(),
        client_secret: client_secret.unwrap_or_default(),
        elements_options: elements_options.get_untracked(),
    };
    context
        .setup
        .set_value(Some((setup.clone(), checkout.clone())));
    crate::init::start(context, setup, checkout);
    match fallback {
        Some(fallback) => view! {
            <Show
                when=move || context.state.with(|state| *state != CheckoutState::Loading)
                fallback=fallback
            >
                {children()}
            </Show>
        }
        .into_any(),
        None => children().into_any(),
    }
}

/// Labels for the page's `<html lang>`, English by default.
fn page_labels() -> Labels {
    #[cfg(all(target_arch = "wasm32", not(feature = "ssr")))]
    {
        let lang = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element())
            .and_then(|element| element.get_attribute("lang"))
            .unwrap_or_default();
        Labels::for_locale(&lang)
    }
    #[cfg(not(all(target_arch = "wasm32", not(feature = "ssr"))))]
    Labels::en()
}
