//! `CheckoutProvider`: loads Stripe.js, initialises the checkout and shares
//! its state with the components inside it.

use std::cell::RefCell;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::error::CheckoutError;
use crate::labels::Labels;
use crate::money::format_money;
use crate::session::{Amount, Session};
use crate::setup::{ClientSecretSource, Setup, DEFAULT_CONFIG_URL, DEFAULT_STATUS_URL};
use crate::stripe_js::{Checkout, Train};

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

/// Why the session can no longer be changed or paid. Completed and expired
/// sessions are states, not errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    /// Paid (or otherwise completed).
    Complete,
    /// Past its expiry.
    Expired,
    /// Unknown to Stripe and to the merchant server (evicted, or the
    /// emulator restarted).
    Gone,
}

/// How sure the widget is that what it shows is what Stripe holds.
///
/// After any failure whose outcome is uncertain (a network error, Stripe.js's
/// timeout, a refresh that failed) the widget reads the session again; until
/// it has, every control and Pay are unavailable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Freshness {
    /// What is shown is the session as Stripe.js last read it, and nothing
    /// uncertain happened since.
    #[default]
    Current,
    /// Reading the session again after something uncertain.
    Checking,
    /// Stripe.js gave up waiting for an update that may still land; the
    /// widget waits for its own request to end, then reads the session again.
    Awaiting,
    /// The session could not be read again (offline, server unreachable); the
    /// widget tries again when the page is back online or visible again, and
    /// every few seconds.
    Stale,
}

impl Freshness {
    /// Whether controls and Pay must wait.
    pub fn blocks(self) -> bool {
        self != Self::Current
    }
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
    /// The message of the last failure, cleared when the next action starts.
    pub error: RwSignal<Option<String>>,
    /// The last polite announcement ("Total is now $135.00 per year").
    pub announcement: RwSignal<String>,
    /// Whether what is shown is known to be what Stripe holds.
    pub freshness: RwSignal<Freshness>,
    /// The strings the components show.
    pub labels: Signal<Labels>,
    /// The session's state as the merchant server told it when Stripe.js
    /// could not (its refresh failed): overrides the session's own status.
    pub(crate) closed_override: RwSignal<Option<Closed>>,
    /// The control the current alert is about (it shows the alert itself
    /// when the page has no [`UpdateStatus`](crate::UpdateStatus)).
    pub(crate) alert_owner: RwSignal<Option<String>>,
    /// How many `UpdateStatus` regions are mounted.
    pub(crate) status_regions: RwSignal<usize>,
    /// Bumped each time a checkout finished loading (the Payment Element is
    /// mounted once per checkout).
    pub(crate) generation: RwSignal<u32>,
    /// The widget's root element (`lang`, focus after a reload).
    pub(crate) root: NodeRef<html::Div>,
    /// This provider's number among the live ones on the page: element ids
    /// of the first are the guides' (`change-subscription-interval`), the
    /// others' carry a prefix.
    pub(crate) instance: usize,
    pub(crate) checkout: StoredValue<Option<Checkout>, LocalStorage>,
    /// How the checkout was started, to start it again after a failure.
    pub(crate) setup: StoredValue<Option<(Setup, Option<JsValue>)>, LocalStorage>,
    /// Serialises this widget's calls into Stripe.js (`runServerUpdate`,
    /// `confirm`): each waits for the one before.
    pub(crate) queue: StoredValue<Option<js_sys::Promise>, LocalStorage>,
    /// Bookkeeping of re-reads (retries, log once).
    pub(crate) sync: StoredValue<crate::sync::SyncBook, LocalStorage>,
    /// `/config`'s `previews`; `None`: no list (see `crate::previews`).
    pub(crate) previews: RwSignal<Option<Vec<String>>>,
    /// Whether focus moves into the widget once it has loaded (after "Try
    /// again" or "Start a new checkout").
    pub(crate) focus_on_ready: StoredValue<bool>,
}

impl CheckoutContext {
    pub(crate) fn new(labels: Signal<Labels>, instance: usize) -> Self {
        Self {
            state: RwSignal::new(CheckoutState::Loading),
            session: RwSignal::new(None),
            pending: RwSignal::new(None),
            error: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            freshness: RwSignal::new(Freshness::Current),
            labels,
            closed_override: RwSignal::new(None),
            alert_owner: RwSignal::new(None),
            status_regions: RwSignal::new(0),
            generation: RwSignal::new(0),
            root: NodeRef::new(),
            instance,
            checkout: StoredValue::new_local(None),
            setup: StoredValue::new_local(None),
            queue: StoredValue::new_local(None),
            sync: StoredValue::new_local(crate::sync::SyncBook::default()),
            previews: RwSignal::new(None),
            focus_on_ready: StoredValue::new(false),
        }
    }

    /// Whether the provider that owns this context is still mounted. Tasks
    /// that outlive an `await` check it before touching anything reactive.
    pub fn is_alive(&self) -> bool {
        !self.state.is_disposed()
    }

    /// Why the session can no longer be changed, if it cannot: completed,
    /// expired, or no longer known.
    pub fn closed(&self) -> Option<Closed> {
        reading(|| self.closed_tracked())
    }

    fn closed_tracked(&self) -> Option<Closed> {
        if let Some(closed) = self.closed_override.try_get().flatten() {
            return Some(closed);
        }
        self.session
            .try_with(|session| {
                let session = session.as_ref()?;
                if session.is_complete() {
                    Some(Closed::Complete)
                } else if session.is_expired() {
                    Some(Closed::Expired)
                } else {
                    None
                }
            })
            .flatten()
    }

    /// Whether the checkout is ready and its session open for changes.
    pub fn is_open(&self) -> bool {
        reading(|| self.is_open_tracked())
    }

    fn is_open_tracked(&self) -> bool {
        self.state
            .try_with(|state| *state == CheckoutState::Ready)
            .unwrap_or(false)
            && self
                .session
                .try_with(|session| session.as_ref().is_some_and(Session::is_open))
                .unwrap_or(false)
            && self.closed().is_none()
    }

    /// Whether a control or Pay would be refused now: the checkout is not
    /// open, something is running, or what is shown is not confirmed.
    pub fn blocked(&self) -> bool {
        reading(|| self.blocked_tracked())
    }

    fn blocked_tracked(&self) -> bool {
        !self.is_open()
            || self.pending.try_with(Option::is_some).unwrap_or(true)
            || self.freshness.try_get().is_none_or(Freshness::blocks)
    }

    /// The element id for `base`: `base` for the first widget on the page,
    /// `lsc{n}-{base}` for the others.
    pub fn element_id(&self, base: &str) -> String {
        if self.instance == 0 {
            base.to_owned()
        } else {
            format!("lsc{}-{base}", self.instance + 1)
        }
    }

    /// Shows `text` in the alert region (or, without one, next to
    /// `control`). The same text twice in a row is announced twice: the
    /// region is emptied first.
    pub(crate) fn show_alert(&self, text: String, control: Option<String>) {
        if !self.is_alive() {
            return;
        }
        let _ = self.alert_owner.try_set(control);
        if self
            .error
            .with_untracked(|current| current.as_deref() == Some(text.as_str()))
        {
            self.error.set(None);
            let error = self.error;
            crate::ui::after_ms(150, move || {
                let _ = error.try_set(Some(text));
            });
        } else {
            self.error.set(Some(text));
        }
    }

    /// Empties the alert region.
    pub(crate) fn clear_alert(&self) {
        let _ = self.error.try_set(None);
    }

    /// Says `text` in the polite status region, once; the same text twice
    /// in a row is said twice.
    pub(crate) fn announce(&self, text: String) {
        if !self.is_alive() {
            return;
        }
        if self.announcement.with_untracked(|current| *current == text) {
            self.announcement.set(String::new());
            let announcement = self.announcement;
            crate::ui::after_ms(150, move || {
                let _ = announcement.try_set(text);
            });
        } else {
            self.announcement.set(text);
        }
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
            self.focus_on_ready.set_value(true);
            self.state.set(CheckoutState::Loading);
            crate::init::start(*self, setup, adopt);
        }
    }

    /// Whether [`CheckoutContext::start_over`] can create a new session (the
    /// client secret comes from an endpoint or a callback, not from the page).
    pub fn can_start_over(&self) -> bool {
        self.setup.with_value(|setup| {
            setup.as_ref().is_some_and(|(setup, adopt)| {
                adopt.is_none() && !matches!(setup.client_secret, ClientSecretSource::Secret(_))
            })
        })
    }

    /// Forgets this checkout (and the session remembered for this tab) and
    /// starts a new one: "Start a new checkout" after expiry, or when the
    /// session is gone.
    pub fn start_over(&self) {
        if !self.can_start_over() || self.state.with_untracked(|s| *s == CheckoutState::Loading) {
            return;
        }
        let Some((setup, adopt)) = self.setup.get_value() else {
            return;
        };
        crate::storage::forget(&setup.storage_key);
        if let Some(checkout) = self.checkout.get_value() {
            checkout.destroy_payment_element();
        }
        self.checkout.set_value(None);
        self.focus_on_ready.set_value(true);
        self.clear_alert();
        self.announcement.set(String::new());
        self.closed_override.set(None);
        self.freshness.set(Freshness::Current);
        self.session.set(None);
        self.state.set(CheckoutState::Loading);
        crate::init::start(*self, setup, adopt);
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
        reading(|| {
            self.labels
                .try_with(|labels| error.customer_message_in(labels))
                .unwrap_or_default()
        })
    }

    /// A label, read without tracking (empty once the widget is gone).
    pub(crate) fn label(&self, pick: impl FnOnce(&Labels) -> String) -> String {
        self.labels.try_with_untracked(pick).unwrap_or_default()
    }

    /// Formats an amount of the current session for display.
    pub fn money(&self, amount: &Amount) -> String {
        reading(|| self.money_tracked(amount))
    }

    fn money_tracked(&self, amount: &Amount) -> String {
        let (currency, divisor) = self
            .session
            .try_with(|session| {
                session
                    .as_ref()
                    .map(|s| (s.currency.clone(), s.minor_units_amount_divisor))
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        self.labels
            .try_with(|labels| format_money(amount, &currency, divisor, &labels.locale))
            .unwrap_or_default()
    }

    /// The session's total as the customer should hear it: "$135.00 per
    /// year", or during a trial "$0.00 due today, then $150.00 per year after
    /// the 14-day trial".
    pub fn total_text(&self) -> Option<String> {
        reading(|| self.total_text_tracked())
    }

    fn total_text_tracked(&self) -> Option<String> {
        let (total, interval, trial) = self
            .session
            .try_with(|session| {
                session.as_ref().map(|s| {
                    let trial = s.trial_due_next().map(|(days, next)| (days, next.cloned()));
                    (
                        s.total.total.clone(),
                        s.interval().map(str::to_owned),
                        trial,
                    )
                })
            })
            .flatten()?;
        let today = self.money(&total);
        let trial = trial.map(|(days, next)| (days, next.map(|next| self.money(&next))));
        self.labels.try_with(|labels| {
            crate::order_summary::total_line(labels, &today, interval.as_deref(), trial)
        })
    }

    /// Replaces the session from a value Stripe.js handed over. Nothing
    /// happens once the widget is gone.
    pub(crate) fn accept_session(&self, value: &JsValue) -> Result<(), CheckoutError> {
        let session = Session::from_js(value)?;
        if session.is_open() {
            let _ = self.closed_override.try_set(None);
        }
        let _ = self.session.try_set(Some(session));
        Ok(())
    }

    /// The Stripe.js checkout, once ready.
    pub(crate) fn checkout(&self) -> Option<Checkout> {
        self.checkout.try_get_value().flatten()
    }
}

/// Runs `read`, tracking what it reads when called from a reactive context
/// (a view, an effect), and without tracking (or warnings) from a task or a
/// handler.
fn reading<T>(read: impl FnOnce() -> T) -> T {
    if leptos::reactive::graph::Observer::get().is_some() {
        read()
    } else {
        untrack(read)
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
            crate::log::error(&format!("use_checkout(): {error}"));
            let message = error.to_string();
            Signal::derive(move || CheckoutStatus::Failed {
                message: message.clone(),
            })
        }
    }
}

thread_local! {
    /// Which provider numbers are in use on the page.
    static INSTANCES: RefCell<Vec<bool>> = const { RefCell::new(Vec::new()) };
}

/// The lowest provider number not in use, now in use.
fn take_instance() -> usize {
    INSTANCES.with(|live| {
        let mut live = live.borrow_mut();
        match live.iter().position(|used| !used) {
            Some(free) => {
                live[free] = true;
                free
            }
            None => {
                live.push(true);
                live.len() - 1
            }
        }
    })
}

fn release_instance(instance: usize) {
    INSTANCES.with(|live| {
        if let Some(used) = live.borrow_mut().get_mut(instance) {
            *used = false;
        }
    });
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
    /// The checkout UI.
    children: ChildrenFn,
) -> impl IntoView {
    let labels = Signal::derive(move || labels.get().unwrap_or_else(page_labels));
    let instance = take_instance();
    on_cleanup(move || release_instance(instance));
    let context = CheckoutContext::new(labels, instance);
    provide_context(context);
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
        status_url: status_url
            .get_untracked()
            .unwrap_or_else(|| DEFAULT_STATUS_URL.to_owned()),
        storage_key,
    };
    // `undefined` / `null` mean "create one", as in JS.
    let adopt = checkout.filter(|value| !value.is_undefined() && !value.is_null());
    context
        .setup
        .set_value(Some((setup.clone(), adopt.clone())));
    crate::init::start(context, setup, adopt);
    crate::sync::watch_page(context);
    focus_when_ready(context);
    on_cleanup(move || {
        if let Some(checkout) = context.checkout.try_get_value().flatten() {
            checkout.destroy_payment_element();
        }
    });
    // The widget's root carries `lang` when its language is not the page's.
    let page_language = crate::labels::primary_language(&page_lang());
    let lang = move || {
        let labels = context.labels.get();
        (labels.language() != page_language).then(|| labels.locale.clone())
    };
    let content = match fallback {
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
    };
    view! {
        <div class="lsc-checkout" lang=lang node_ref=context.root>
            {content}
        </div>
    }
}

/// Once the checkout is ready after "Try again" or "Start a new checkout"
/// (whose buttons then disappear), focus moves to the first control that
/// can be used, never to `<body>`.
fn focus_when_ready(context: CheckoutContext) {
    Effect::new(move |_| {
        let ready = context.state.with(|state| *state == CheckoutState::Ready);
        if ready && context.focus_on_ready.try_get_value().unwrap_or(false) {
            context.focus_on_ready.set_value(false);
            crate::ui::focus_first_control(context.root);
        }
    });
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

/// Labels for the page's `<html lang>`, English by default.
fn page_labels() -> Labels {
    Labels::for_locale(&page_lang())
}
