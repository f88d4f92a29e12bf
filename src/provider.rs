//! `CheckoutProvider`: wiring. It reads its props into a `Setup`, creates
//! the checkout's lifecycle (`lifecycle/`), provides the context components
//! read (`state.rs`; the lifecycle is installed in it), and renders the
//! widget's root.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::instances::{release_instance, take_instance};
use crate::labels::{LabelSource, Labels};
use crate::lifecycle::Lifecycle;
use crate::setup::{ClientSecretSource, Setup, DEFAULT_CONFIG_URL, DEFAULT_STATUS_URL};
use crate::state::CheckoutState;
use crate::stripe_js::Train;

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
    /// Without it, the Payment Element gets an appearance derived from the
    /// widget's `--lsc-*` theme (`changeAppearance`).
    #[prop(optional, into)]
    elements_options: MaybeProp<String>,
    /// The Payment Element's options as JSON text (`createPaymentElement`'s:
    /// `{"layout": "accordion"}`, `paymentMethodOrder`, …; Stripe.js checks
    /// them; feature `payment`).
    #[prop(optional, into)]
    payment_element_options: MaybeProp<String>,
    /// Customer-visible strings (default: chosen from the page's `lang`).
    #[prop(optional, into)]
    labels: MaybeProp<Labels>,
    /// Shown instead of the children while the checkout loads (default: the children show their own loading state).
    #[prop(optional, into)]
    fallback: Option<ViewFn>,
    /// A checkout the page already created (basil: the object `initCheckout` resolved; clover, dahlia and endive: the SDK object), to adopt instead of creating one.
    #[prop(optional)]
    checkout: Option<JsValue>,
    /// Merchant endpoint answering `{status}` for a session id, asked when
    /// Stripe.js cannot read the session (default `/checkout-session-status`).
    #[prop(optional, into)]
    status_url: MaybeProp<String>,
    /// Whether this tab remembers the session it created (its client secret,
    /// in `sessionStorage`) so that a reload shows the same session, paid or
    /// not, instead of creating another (default `true`; only when the
    /// secret comes from an endpoint).
    #[prop(default = true)]
    remember_session: bool,
    /// Called with what the widget tells the page: ready, a change of the
    /// order as shown, a failed update, the completed order (also the
    /// `lsc-*` DOM events on its root; both need the cargo feature `events`).
    #[prop(optional, into)]
    on_event: Option<Callback<crate::host_events::CheckoutEvent>>,
    /// The checkout UI.
    children: ChildrenFn,
) -> impl IntoView {
    let page_lang = page_lang();
    let labels = LabelSource::new(labels, crate::labels::built_in(&page_lang));
    let instance = take_instance();
    on_cleanup(move || release_instance(instance));
    let client_secret = client_secret.unwrap_or_default();
    let storage_key = match (&client_secret, remember_session) {
        (ClientSecretSource::Endpoint(url), true) => Some(crate::storage::key(instance, url)),
        _ => None,
    };
    let setup = Setup {
        config_url: config_url
            .get_untracked()
            .unwrap_or_else(|| DEFAULT_CONFIG_URL.to_owned()),
        publishable_key: publishable_key.get_untracked(),
        stripe_js_url: stripe_js_url.get_untracked(),
        train: train.get_untracked(),
        client_secret,
        elements_options: elements_options.get_untracked(),
        #[cfg(feature = "payment")]
        payment_element_options: payment_element_options.get_untracked(),
        status_url: status_url
            .get_untracked()
            .unwrap_or_else(|| DEFAULT_STATUS_URL.to_owned()),
        storage_key,
        #[cfg(feature = "events")]
        hooks: std::rc::Rc::new(crate::host_events::Hooks {
            page: crate::host_events::take_handed_over(),
            on_event,
        }),
    };

    // `undefined` / `null` mean "create one", as in JS.
    let adopt = checkout.filter(|value| !value.is_undefined() && !value.is_null());
    #[cfg(not(feature = "payment"))]
    let _ = payment_element_options;
    let lifecycle = Lifecycle::new(labels, instance, setup, adopt);
    let context = lifecycle.context();
    provide_context(context);
    #[cfg(not(feature = "events"))]
    if on_event.is_some() {
        crate::log::error("on_event needs the cargo feature `events`");
    }
    lifecycle.begin();
    // The widget's root carries `lang` when its language is not the page's.
    let page_language = crate::labels::primary_language(&page_lang);
    let lang = move || {
        context
            .labels_ref()
            .with(|labels| (labels.language() != page_language).then(|| labels.locale.to_string()))
    };
    let content = match fallback {
        Some(fallback) => view! {
            <Show
                when=move || context.state().with(|state| *state != CheckoutState::Loading)
                fallback=fallback
            >
                {children()}
            </Show>
        }
        .into_any(),
        None => children().into_any(),
    };
    view! {
        <div class="lsc-checkout" lang=lang node_ref=context.root()>
            {content}
        </div>
    }
}

/// The page's `<html lang>` (empty off the browser).
fn page_lang() -> String {
    #[cfg(all(target_arch = "wasm32", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element())
            .and_then(|element| element.get_attribute("lang"))
            .unwrap_or_default()
    }
    #[cfg(not(all(target_arch = "wasm32", not(feature = "ssr"))))]
    String::new()
}
