//! The checkout's lifecycle, the one writer of the widget's state: it holds
//! the `RwSignal`s of what [`CheckoutContext`] reads (the loading state,
//! Stripe's session, freshness, what runs, generation, previews), handing
//! the context only their [`ReadOnly`] faces, and the Stripe.js checkout.
//! Its fields are private to this module, so nothing else writes them;
//! components ask it to act.
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | [`Lifecycle`]: creating the context, accepting a session from Stripe.js, "Try again", "Start a new checkout" |
//! | `start.rs` | starting the checkout in the browser (the tab's own session first) |
//! | `sync.rs` | reading the session again (after uncertain failures, when the tab is shown again, on `online`, before Pay) |
//! | `queue.rs` | one call into Stripe.js at a time, one update or payment at a time (`pending`) |
//! | `update.rs` | a server update, from the POST inside `runServerUpdate` to what the customer is told |
//! | `calls.rs` | the other Stripe.js calls that hand back a session (`confirm`, `updateEmail`) |

mod calls;
mod queue;
mod start;
mod sync;
mod update;

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::error::CheckoutError;
use crate::labels::LabelSource;
use crate::read_only::ReadOnly;
use crate::session::Session;
use crate::setup::{ClientSecretSource, Setup};
use crate::state::{CheckoutContext, CheckoutState, Closed, Driver, Freshness, Sources};
use crate::stripe_js::Checkout;

#[cfg(not(feature = "ssr"))]
pub(crate) use queue::Turn;
pub(crate) use sync::{Mode, Reread};
pub(crate) use update::BodyFn;

/// The lifecycle of one provider's checkout. `Copy` (signals and stored
/// values inside); components get it with [`use_lifecycle`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lifecycle {
    context: CheckoutContext,
    state: RwSignal<CheckoutState>,
    session: RwSignal<Option<Session>>,
    freshness: RwSignal<Freshness>,
    closed_override: RwSignal<Option<Closed>>,
    pending: RwSignal<Option<String>>,
    generation: RwSignal<u32>,
    previews: RwSignal<Option<Vec<String>>>,
    intervals: RwSignal<Option<Vec<String>>>,
    /// `/config`'s `addOns` (feature `add-ons`).
    #[cfg(feature = "add-ons")]
    add_ons: RwSignal<Option<Vec<checkout_protocol::bodies::AddOnOffer>>>,
    /// What it keeps that nothing renders ([`Lifecycle::held`]).
    held: StoredValue<Held, LocalStorage>,
}

/// What the lifecycle keeps that nothing renders, in one stored value: each
/// stored type costs its own code (the guides' page 2.4 KB gzip smaller
/// than with a stored value per field, docs/weight.md).
struct Held {
    /// The Stripe.js checkout, once ready.
    checkout: Option<Checkout>,
    /// How the checkout was started (and the checkout the page handed
    /// over), to start it again.
    setup: (Setup, Option<JsValue>),
    /// Serialises this widget's calls into Stripe.js (`runServerUpdate`,
    /// `confirm`, `updateEmail`): each waits for the one before.
    queue: Option<js_sys::Promise>,
    /// Bookkeeping of re-reads (retries, log once) and of focus after
    /// "Try again" / "Start a new checkout".
    book: sync::SyncBook,
    /// What the page has been told (`host_events.rs`).
    #[cfg(feature = "events")]
    told: crate::host_events::Told,
}

/// The lifecycle of the nearest provider (installed in its context).
pub(crate) fn use_lifecycle() -> Option<Lifecycle> {
    let driver = crate::state::use_checkout_context().ok()?.driver()?;
    driver.as_any().downcast_ref::<Lifecycle>().copied()
}

impl Lifecycle {
    /// A checkout that will start from `setup` (`adopt`: a checkout the page
    /// created itself), and the context that reads it.
    pub(crate) fn new(
        labels: LabelSource,
        instance: usize,
        setup: Setup,
        adopt: Option<JsValue>,
    ) -> Self {
        let state = RwSignal::new(CheckoutState::Loading);
        let session = RwSignal::new(None);
        let freshness = RwSignal::new(Freshness::Current);
        let closed_override = RwSignal::new(None);
        let pending = RwSignal::new(None);
        let generation = RwSignal::new(0);
        let previews = RwSignal::new(None);
        let intervals = RwSignal::new(None);
        #[cfg(feature = "add-ons")]
        let add_ons = RwSignal::new(None);
        let context = CheckoutContext::new(
            labels,
            instance,
            Sources {
                state: ReadOnly::of(state),
                session: ReadOnly::of(session),
                freshness: ReadOnly::of(freshness),
                closed_override: ReadOnly::of(closed_override),
                pending: ReadOnly::of(pending),
                generation: ReadOnly::of(generation),
                previews: ReadOnly::of(previews),
                intervals: ReadOnly::of(intervals),
                #[cfg(feature = "add-ons")]
                add_ons: ReadOnly::of(add_ons),
            },
        );
        let lifecycle = Self {
            context,
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
            held: StoredValue::new_local(Held {
                checkout: None,
                setup: (setup, adopt),
                queue: None,
                book: sync::SyncBook::default(),
                #[cfg(feature = "events")]
                told: Default::default(),
            }),
        };
        context.install(Rc::new(lifecycle));
        lifecycle
    }

    /// Starts loading, follows the page (visibility, `online`), moves focus
    /// in after "Try again" / "Start a new checkout", and removes the
    /// Payment Element when the provider goes.
    pub(crate) fn begin(self) {
        if let Some((setup, adopt)) = self.held(|held| held.setup.clone()) {
            start::start(self, setup, adopt);
        }
        sync::watch_page(self);
        self.focus_when_ready();
        on_cleanup(move || {
            if let Some(checkout) = self.checkout() {
                checkout.destroy_payment_element();
            }
        });
    }

    /// Reads or changes what the lifecycle holds; `None` once the widget
    /// is gone.
    fn held<R>(&self, f: impl FnOnce(&mut Held) -> R) -> Option<R> {
        self.held.try_update_value(f)
    }

    /// What the Payment Element is created with: `createPaymentElement`'s
    /// options (JSON text), and whether the widget gives the Elements its
    /// theme: only when the page set no `elementsOptions` and handed over no
    /// checkout of its own (either way, the Elements' look is the page's).
    #[cfg(feature = "payment")]
    pub(crate) fn payment_setup(&self) -> Option<(Option<String>, bool)> {
        self.held(|held| {
            let (setup, adopted) = &held.setup;
            (
                setup.payment_element_options.clone(),
                setup.elements_options.is_none() && adopted.is_none(),
            )
        })
    }

    /// What components read.
    pub(crate) fn context(&self) -> CheckoutContext {
        self.context
    }

    /// The Stripe.js checkout, once ready.
    pub(crate) fn checkout(&self) -> Option<Checkout> {
        self.held(|held| held.checkout.clone()).flatten()
    }

    /// Replaces the session from a value Stripe.js handed over. Nothing
    /// happens once the widget is gone.
    fn accept_session(&self, value: &JsValue) -> Result<(), CheckoutError> {
        let session = Session::from_js(value)?;
        if session.is_open() {
            let _ = self.closed_override.try_set(None);
        }
        let _ = self.session.try_set(Some(session));
        self.tell_page();
        Ok(())
    }

    /// Tells the page what the widget shows now, if that is news
    /// (`host_events.rs`): after each change of the session, the loading
    /// state or what closed the session.
    pub(crate) fn tell_page(&self) {
        #[cfg(feature = "events")]
        {
            let Some((hooks, mut told)) =
                self.held(|held| (held.setup.0.hooks.clone(), std::mem::take(&mut held.told)))
            else {
                return;
            };
            crate::host_events::shown(self.context, &hooks, &mut told);
            let _ = self.held(|held| held.told = told);
        }
    }

    /// [`Lifecycle::accept_session`] for a session Stripe.js handed over
    /// unasked (its `change` event, after `confirm`): a bad one is logged
    /// and the last good session stays.
    fn follow_session(&self, value: &JsValue) {
        if let Err(error) = self.accept_session(value) {
            crate::log::warn(&format!("ignored a session from Stripe.js: {error}"));
        }
    }

    /// Once the checkout is ready after "Try again" or "Start a new checkout"
    /// (whose buttons then disappear), focus moves to the first control that
    /// can be used, never to `<body>`.
    fn focus_when_ready(self) {
        let context = self.context;
        Effect::new(move |_| {
            let ready = context.state().with(|state| *state == CheckoutState::Ready);
            if ready
                && self
                    .held(|held| std::mem::take(&mut held.book.focus_on_ready))
                    .unwrap_or(false)
            {
                crate::ui::focus_first_control(context.root());
            }
        });
    }
}

impl Driver for Lifecycle {
    fn retry(&self) {
        let failed = self
            .context
            .state()
            .try_with_untracked(|state| matches!(state, CheckoutState::Failed(_)))
            .unwrap_or(false);
        if !failed {
            return;
        }
        let Some((setup, adopt)) = self.held(|held| {
            held.book.focus_on_ready = true;
            held.setup.clone()
        }) else {
            return;
        };
        self.state.set(CheckoutState::Loading);
        start::start(*self, setup, adopt);
    }

    fn can_start_over(&self) -> bool {
        self.held(|held| {
            let (setup, adopt) = &held.setup;
            adopt.is_none() && !matches!(setup.client_secret, ClientSecretSource::Secret(_))
        })
        .unwrap_or(false)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn start_over(&self) {
        let loading = self
            .context
            .state()
            .try_with_untracked(|state| *state == CheckoutState::Loading)
            .unwrap_or(true);
        if !self.can_start_over() || loading {
            return;
        }
        let Some((setup, adopt, checkout)) = self.held(|held| {
            held.book.focus_on_ready = true;
            let (setup, adopt) = held.setup.clone();
            (setup, adopt, held.checkout.take())
        }) else {
            return;
        };
        crate::storage::forget(&setup.storage_key);
        if let Some(checkout) = checkout {
            checkout.destroy_payment_element();
        }
        self.context.clear_alert();
        self.context.clear_announcement();
        self.closed_override.set(None);
        self.freshness.set(Freshness::Current);
        self.session.set(None);
        self.state.set(CheckoutState::Loading);
        start::start(*self, setup, adopt);
    }
}
