//! The widget's state as components see it: [`CheckoutContext`], its state
//! enums, and what is derived from them (closed, open, blocked, the total in
//! words). Everything here is read-only to components: the session, the
//! loading state, freshness and what runs are written by the lifecycle
//! (`lifecycle/`) alone, which hands this module their read-only faces
//! (`read_only.rs`).
//! Components say things through the typed alert and announcement.

use std::any::Any;
use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;

use crate::error::CheckoutError;
use crate::labels::{LabelSource, Labels};
use crate::messages::{Alert, Announcement};
use crate::read_only::ReadOnly;
use crate::session::{Amount, Session};
use crate::wording::Total;

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

/// The lifecycle as the context knows it: it installs itself, so that
/// [`CheckoutContext::retry`] and [`CheckoutContext::start_over`] reach it,
/// and components that ask it to act find it (`lifecycle::use_lifecycle`),
/// without this module naming it.
pub(crate) trait Driver {
    /// See [`CheckoutContext::retry`].
    fn retry(&self);
    /// See [`CheckoutContext::start_over`].
    fn start_over(&self);
    /// See [`CheckoutContext::can_start_over`].
    fn can_start_over(&self) -> bool;
    /// Itself, for the lifecycle to find.
    fn as_any(&self) -> &dyn Any;
}

/// The read-only faces of what the lifecycle writes, given to
/// [`CheckoutContext::new`].
#[derive(Clone, Copy)]
pub(crate) struct Sources {
    pub(crate) state: ReadOnly<CheckoutState>,
    pub(crate) session: ReadOnly<Option<Session>>,
    pub(crate) freshness: ReadOnly<Freshness>,
    pub(crate) closed_override: ReadOnly<Option<Closed>>,
    pub(crate) pending: ReadOnly<Option<String>>,
    pub(crate) generation: ReadOnly<u32>,
    pub(crate) previews: ReadOnly<Option<Vec<String>>>,
    pub(crate) intervals: ReadOnly<Option<Vec<String>>>,
    #[cfg(feature = "add-ons")]
    pub(crate) add_ons: ReadOnly<Option<Vec<checkout_protocol::bodies::AddOnOffer>>>,
}

/// What [`CheckoutProvider`](crate::CheckoutProvider) shares with the
/// components inside it: read-only signals and what is derived from them.
///
/// Get it with [`use_checkout_context`]. It is `Copy` (signals inside). The
/// session, the loading state and freshness change only through the
/// checkout's own lifecycle (Stripe.js's `change` event, updates, re-reads);
/// components read them here.
#[derive(Clone, Copy, Debug)]
pub struct CheckoutContext {
    state: ReadOnly<CheckoutState>,
    session: ReadOnly<Option<Session>>,
    freshness: ReadOnly<Freshness>,
    /// The session's state as the merchant server told it when Stripe.js
    /// could not (its refresh failed): overrides the session's own status.
    closed_override: ReadOnly<Option<Closed>>,
    /// The control whose server update (or payment) is running.
    pending: ReadOnly<Option<String>>,
    /// Bumped each time a checkout finished loading (the Payment Element is
    /// mounted once per checkout).
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    generation: ReadOnly<u32>,
    /// `/config`'s `previews`; `None`: no list (see `previews.rs`).
    previews: ReadOnly<Option<Vec<String>>>,
    /// `/config`'s `intervals` (the plan's, in the catalogue's order);
    /// `None`: not said (monthly and yearly).
    intervals: ReadOnly<Option<Vec<String>>>,
    /// `/config`'s `addOns` (feature `add-ons`); `None`: not said.
    #[cfg(feature = "add-ons")]
    add_ons: ReadOnly<Option<Vec<checkout_protocol::bodies::AddOnOffer>>>,
    /// 1 while the shipping address shown is not one the merchant's server
    /// accepted (typed, refused, or not sent yet): Pay waits (feature
    /// `shipping`; a `u32`, as the widget's other flags, docs/weight.md).
    #[cfg(feature = "shipping")]
    shipping_hold: RwSignal<u32>,
    labels: LabelSource,
    /// What the alert region says, typed; worded when shown.
    alert: RwSignal<Option<Alert>>,
    /// The control the current alert is about (it shows the alert itself
    /// when the page has no [`UpdateStatus`](crate::UpdateStatus)).
    alert_owner: RwSignal<Option<String>>,
    /// What the polite status region says, typed; worded when shown.
    announcement: RwSignal<Option<Announcement>>,
    /// How many `UpdateStatus` regions are mounted.
    status_regions: RwSignal<u32>,
    /// The widget's root element (`lang`, focus after a reload).
    root: NodeRef<html::Div>,
    /// This provider's number among the live ones on the page: element ids
    /// of the first are the guides' (`change-subscription-interval`), the
    /// others' carry a prefix.
    instance: usize,
    /// The lifecycle (installed once it exists).
    driver: StoredValue<Option<Rc<dyn Driver>>, LocalStorage>,
}

impl CheckoutContext {
    /// A context reading `sources` (the lifecycle keeps the write halves).
    pub(crate) fn new(labels: LabelSource, instance: usize, sources: Sources) -> Self {
        let Sources {
            state,
            session,
            freshness,
            closed_override,
            pending,
            generation,
            previews,
            intervals,
            #[cfg(feature = "add-ons")]
            add_ons,
        } = sources;
        Self {
            state,
            session,
            freshness,
            closed_override,
            pending,
            generation,
            previews,
            intervals,
            #[cfg(feature = "add-ons")]
            add_ons,
            #[cfg(feature = "shipping")]
            shipping_hold: RwSignal::new(0),
            labels,
            alert: RwSignal::new(None),
            alert_owner: RwSignal::new(None),
            announcement: RwSignal::new(None),
            status_regions: RwSignal::new(0),
            root: NodeRef::new(),
            instance,
            driver: StoredValue::new_local(None),
        }
    }

    /// Connects the lifecycle (once, when it is created).
    pub(crate) fn install(&self, driver: Rc<dyn Driver>) {
        self.driver.set_value(Some(driver));
    }

    /// The lifecycle, once installed (`None` once the widget is gone).
    pub(crate) fn driver(&self) -> Option<Rc<dyn Driver>> {
        self.driver.try_get_value().flatten()
    }

    /// Loading, ready or failed.
    pub fn state(&self) -> ReadOnly<CheckoutState> {
        self.state
    }

    /// The session as Stripe.js last reported it.
    pub fn session(&self) -> ReadOnly<Option<Session>> {
        self.session
    }

    /// Whether what is shown is known to be what Stripe holds.
    pub fn freshness(&self) -> ReadOnly<Freshness> {
        self.freshness
    }

    /// The control whose server update (or payment) is running, if any: one
    /// at a time.
    pub fn pending(&self) -> ReadOnly<Option<String>> {
        self.pending
    }

    /// The strings the components show (a copy per read: the components
    /// read them in place).
    pub fn labels(&self) -> Signal<Labels> {
        let labels = self.labels;
        Signal::derive(move || labels.with(Labels::clone))
    }

    /// The strings the components show, read in place.
    pub(crate) fn labels_ref(&self) -> LabelSource {
        self.labels
    }

    /// The alert's text (why the last update, payment or re-read failed), in
    /// the labels' words; `None` when there is none. Emptied when the next
    /// action starts.
    pub fn error(&self) -> Signal<Option<String>> {
        let context = *self;
        Signal::derive(move || context.alert_text())
    }

    /// The last polite announcement ("Total is now $135.00 per year") in the
    /// labels' words; empty when there is none.
    pub fn announcement(&self) -> Signal<String> {
        let context = *self;
        Signal::derive(move || context.announcement_text(|_| true).unwrap_or_default())
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

    /// Whether the merchant server said the session is closed (Stripe.js
    /// could not read it). Untracked.
    pub(crate) fn closed_by_server(&self) -> bool {
        self.closed_override
            .try_with_untracked(Option::is_some)
            .unwrap_or(false)
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

    /// This provider's number among the live ones on the page.
    pub(crate) fn instance(&self) -> usize {
        self.instance
    }

    /// After loading failed (Stripe.js did not load, the server was down),
    /// starts the checkout again. Does nothing in any other state.
    pub fn retry(&self) {
        if let Some(driver) = self.driver() {
            driver.retry();
        }
    }

    /// Whether [`CheckoutContext::start_over`] can create a new session (the
    /// client secret comes from an endpoint or a callback, not from the page).
    pub fn can_start_over(&self) -> bool {
        self.driver().is_some_and(|driver| driver.can_start_over())
    }

    /// Forgets this checkout (and the session remembered for this tab) and
    /// starts a new one: "Start a new checkout" after expiry, or when the
    /// session is gone.
    pub fn start_over(&self) {
        if let Some(driver) = self.driver() {
            driver.start_over();
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
        reading(|| {
            self.labels
                .try_with(|labels| error.customer_message_in(labels))
                .unwrap_or_default()
        })
    }

    /// Formats an amount of the current session for display.
    pub fn money(&self, amount: &Amount) -> String {
        reading(|| {
            self.session
                .try_with(|session| {
                    let fallback = Session::default();
                    let session = session.as_ref().unwrap_or(&fallback);
                    self.labels
                        .try_with(|labels| crate::wording::money(session, amount, labels))
                })
                .flatten()
                .unwrap_or_default()
        })
    }

    /// The session's total as the customer should hear it: "$135.00 per
    /// year", or during a trial "$0.00 due today, then $150.00 per year after
    /// the 14-day trial".
    pub fn total_text(&self) -> Option<String> {
        reading(|| {
            self.session
                .try_with(|session| {
                    let session = session.as_ref()?;
                    self.labels
                        .try_with(|labels| crate::wording::total_text(session, labels))
                })
                .flatten()
        })
    }

    /// The session's total, typed (for an alert or announcement). Untracked.
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    pub(crate) fn total(&self) -> Option<Total> {
        self.session
            .try_with_untracked(|session| session.as_ref().map(Total::of))
            .flatten()
    }

    /// Whether the plan has a yearly price: `/config`'s `intervals` list
    /// `yearly`, or the server does not say (monthly and yearly). Tracked.
    pub(crate) fn offers_yearly(&self) -> bool {
        self.intervals
            .try_with(|list| {
                list.as_ref()
                    .is_none_or(|list| list.iter().any(|name| name == "yearly"))
            })
            .unwrap_or(true)
    }

    /// The interval the switch moves a yearly plan to: the first of
    /// `/config`'s `intervals` that is not `yearly` (`monthly` when the
    /// server does not say).
    pub(crate) fn shorter_interval(&self) -> String {
        self.intervals
            .try_with_untracked(|list| {
                list.as_ref()
                    .and_then(|list| list.iter().find(|name| *name != "yearly").cloned())
            })
            .flatten()
            .unwrap_or_else(|| "monthly".to_owned())
    }

    /// `/config`'s `previews`, tracked; `None`: no list.
    pub(crate) fn previews(&self) -> ReadOnly<Option<Vec<String>>> {
        self.previews
    }

    /// `/config`'s `addOns`, tracked (feature `add-ons`).
    #[cfg(feature = "add-ons")]
    pub(crate) fn add_ons(&self) -> ReadOnly<Option<Vec<checkout_protocol::bodies::AddOnOffer>>> {
        self.add_ons
    }

    /// Whether the shipping address shown is not accepted yet (feature `shipping`).
    #[cfg(feature = "shipping")]
    pub(crate) fn shipping_hold(&self) -> RwSignal<u32> {
        self.shipping_hold
    }

    /// Whether shipping lets Pay go ahead: the address shown (if a
    /// [`ShippingAddress`](crate::ShippingAddress) shows one) is the one the
    /// merchant's server accepted, and a session with shipping options has
    /// one selected (feature `shipping`). Tracked in a view.
    #[cfg(feature = "shipping")]
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    pub(crate) fn shipping_ready(&self) -> bool {
        self.shipping_hold.try_get().unwrap_or(1) == 0
            && self.session.with(|session| {
                session.as_ref().is_none_or(|s| {
                    s.shipping_options.is_empty() || s.selected_shipping().is_some()
                })
            })
    }

    /// Bumped each time a checkout finished loading.
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    pub(crate) fn generation(&self) -> ReadOnly<u32> {
        self.generation
    }

    /// The widget's root element.
    pub(crate) fn root(&self) -> NodeRef<html::Div> {
        self.root
    }

    /// The alert in the labels' words, if any (tracked in a view).
    pub(crate) fn alert_text(&self) -> Option<String> {
        self.alert
            .try_with(|alert| {
                let alert = alert.as_ref()?;
                self.labels.try_with(|labels| alert.text(labels))
            })
            .flatten()
    }

    /// Whether `is` holds for the alert shown now. Untracked.
    pub(crate) fn alert_is(&self, is: impl FnOnce(&Alert) -> bool) -> bool {
        self.alert
            .try_with_untracked(|alert| alert.as_ref().is_some_and(is))
            .unwrap_or(false)
    }

    /// The control the current alert is about (tracked).
    pub(crate) fn alert_owner(&self) -> Option<String> {
        self.alert_owner.try_get().flatten()
    }

    /// Makes `control` the one the next alert is about.
    pub(crate) fn own_alert(&self, control: Option<String>) {
        let _ = self.alert_owner.try_set(control);
    }

    /// Shows `alert` in the alert region (or, without one, next to
    /// `control`). The same words twice in a row are announced twice: the
    /// region is emptied first (screen readers say a live region's text
    /// when it changes).
    pub(crate) fn show_alert(&self, alert: Alert, control: Option<String>) {
        if !self.is_alive() {
            return;
        }
        self.own_alert(control);
        self.say(self.alert, alert, Alert::text);
    }

    /// Empties the alert region.
    pub(crate) fn clear_alert(&self) {
        let _ = self.alert.try_set(None);
    }

    /// The announcement in the labels' words, if there is one and `which`
    /// holds for it (tracked in a view).
    pub(crate) fn announcement_text(
        &self,
        which: impl FnOnce(&Announcement) -> bool,
    ) -> Option<String> {
        self.announcement
            .try_with(|said| {
                let said = said.as_ref().filter(|said| which(said))?;
                self.labels.try_with(|labels| said.text(labels))
            })
            .flatten()
    }

    /// Says `announcement` in the polite status region, once; the same words
    /// twice in a row are said twice.
    pub(crate) fn announce(&self, announcement: Announcement) {
        if !self.is_alive() {
            return;
        }
        self.say(self.announcement, announcement, Announcement::text);
    }

    /// Puts `message` in the live `region`. When the region already says
    /// the same words, it is emptied first and filled a moment later, so
    /// that a screen reader says them again (a live region is read when its
    /// text changes).
    fn say<T: Send + Sync + 'static>(
        &self,
        region: RwSignal<Option<T>>,
        message: T,
        text: fn(&T, &Labels) -> String,
    ) {
        let same_words = region.with_untracked(|current| {
            current.as_ref().is_some_and(|current| {
                self.labels
                    .try_with_untracked(|labels| text(current, labels) == text(&message, labels))
                    .unwrap_or(false)
            })
        });
        if same_words {
            region.set(None);
            crate::ui::after_ms(150, move || {
                let _ = region.try_set(Some(message));
            });
        } else {
            region.set(Some(message));
        }
    }

    /// Empties the polite status region.
    pub(crate) fn clear_announcement(&self) {
        let _ = self.announcement.try_set(None);
    }

    /// Counts an `UpdateStatus` region while it is mounted (controls then
    /// leave their alerts to it).
    pub(crate) fn add_status_region(&self) {
        self.status_regions.update(|n| *n += 1);
        let regions = self.status_regions;
        on_cleanup(move || {
            let _ = regions.try_update(|n| *n = n.saturating_sub(1));
        });
    }

    /// How many `UpdateStatus` regions are mounted (tracked).
    pub(crate) fn status_regions(&self) -> u32 {
        self.status_regions.try_get().unwrap_or(0)
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

/// The context of the nearest [`CheckoutProvider`](crate::CheckoutProvider),
/// or [`CheckoutError::MissingProvider`] naming what is missing.
pub fn use_checkout_context() -> Result<CheckoutContext, CheckoutError> {
    use_context::<CheckoutContext>().ok_or(CheckoutError::MissingProvider)
}

/// The checkout's state, tagged: loading, ready with the session as a signal,
/// or failed with a message. Outside a
/// [`CheckoutProvider`](crate::CheckoutProvider) it is `Failed` with a message
/// that says so (and logs an error).
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
