//! `EmailField`: the customer's email, part of [`PaymentForm`](crate::PaymentForm)'s flow.
//!
//! Every Checkout Session collects an email: the merchant's `customer_email`
//! at creation, or the customer's own, given to Stripe.js with
//! `updateEmail` (docs/research-stripe-api.md §10, docs/research-stripe-js.md
//! §1). The field shows when the session has none; Stripe.js checks what is
//! typed and answers `incompleteEmail` or `invalidEmail`, shown under the
//! field in the labels' words (`aria-invalid`, `aria-describedby`); Pay
//! stays unavailable until Stripe.js has accepted the address in the field.
//!
//! Stripe's Contact Details Element (dahlia, stripe-js v9.2+) is not used:
//! basil and clover have no such element, so one field serves the three
//! trains, with the widget's labels and focus handling; see
//! docs/research-stripe-js.md §10.

use leptos::prelude::*;

use crate::lifecycle::Lifecycle;
use crate::messages::Alert;
use crate::state::{CheckoutContext, CheckoutState, Closed};

/// The email step of one checkout: shared by the field and the Pay button.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EmailStep {
    /// Whether this checkout asks for the email (`1`; else `0`): its
    /// session had none at some point since it loaded. A session that came
    /// with one (the merchant's `customer_email`) shows no field. The two
    /// flags are `u32`s, a signal type the lifecycle already has, so that
    /// no `RwSignal<bool>` is compiled in (docs/weight.md).
    shown: RwSignal<u32>,
    /// What the field holds (`None` before anything is typed): an
    /// `Option<String>`, a signal type the context already has, so that no
    /// `RwSignal<String>` is compiled in (docs/weight.md).
    draft: RwSignal<Option<String>>,
    /// The address (as sent) that Stripe.js last accepted.
    accepted: RwSignal<Option<String>>,
    /// Why the address was not taken (an `Alert::Email…`), shown under the
    /// field in the labels' words.
    error: RwSignal<Option<Alert>>,
    /// An `updateEmail` call is running (`1`; else `0`).
    busy: RwSignal<u32>,
}

impl EmailStep {
    /// A fresh step that follows `checkout`: reset for each checkout that
    /// loads, shown as soon as a session without an email is seen.
    pub(crate) fn new(checkout: CheckoutContext) -> Self {
        let step = Self {
            shown: RwSignal::new(0),
            draft: RwSignal::new(None),
            accepted: RwSignal::new(None),
            error: RwSignal::new(None),
            busy: RwSignal::new(0),
        };
        Effect::new(move |last: Option<u32>| {
            let generation = checkout.generation().get();
            if last.is_some_and(|last| last != generation) {
                step.shown.set(0);
                step.draft.set(None);
                step.accepted.set(None);
                step.error.set(None);
            }
            let ready = checkout
                .state()
                .with(|state| *state == CheckoutState::Ready);
            let missing = checkout
                .session()
                .with(|session| session.as_ref().is_some_and(|s| s.email.is_none()));
            if ready && missing && step.shown.get_untracked() == 0 {
                step.shown.set(1);
            }
            generation
        });
        step
    }

    /// Whether the email lets Pay go ahead: the session has one and, when the
    /// field shows, it is the address in the field, accepted by Stripe.js.
    pub(crate) fn ready(&self, checkout: CheckoutContext) -> bool {
        let has_email = checkout
            .session()
            .with(|session| session.as_ref().is_some_and(|s| s.email.is_some()));
        if self.shown.get() == 0 {
            return has_email;
        }
        has_email
            && self.busy.get() == 0
            && self.accepted.with(|accepted| {
                self.draft.with(|draft| {
                    accepted.as_deref() == Some(draft.as_deref().unwrap_or_default().trim())
                })
            })
    }

    /// Gives the field's address to Stripe.js (`updateEmail`) unless it
    /// already accepted it; `true` when the session now has it. Calls into
    /// Stripe.js are serialised with the widget's others.
    #[cfg(not(feature = "ssr"))]
    pub(crate) async fn commit(self, lifecycle: Lifecycle) -> bool {
        use crate::stripe_js::EmailOutcome;
        let checkout = lifecycle.context();
        if !checkout.is_open() || lifecycle.checkout().is_none() {
            return false;
        }
        let Some(turn) = lifecycle.take_turn().await else {
            return false;
        };
        let Some(draft) = self.draft.try_get_untracked() else {
            return false;
        };
        let draft = draft.unwrap_or_default().trim().to_owned();
        if self.accepted.get_untracked().as_deref() == Some(draft.as_str())
            && checkout
                .session()
                .with_untracked(|s| s.as_ref().is_some_and(|s| s.email.is_some()))
        {
            return true;
        }
        self.busy.set(1);
        // Still wanted once Stripe.js answers: the form (its step) is still there.
        let busy = self.busy;
        let wanted = move || busy.try_set(0).is_none();
        let Some(outcome) = lifecycle.update_email(&turn, &draft, wanted).await else {
            let _ = self.busy.try_set(0);
            return false;
        };
        match outcome {
            Ok(EmailOutcome::Accepted(_)) => {
                self.error.set(None);
                self.accepted.set(Some(draft));
                true
            }
            Ok(EmailOutcome::Refused(refusal, _message)) => {
                use crate::stripe_js::EmailRefusal;
                self.accepted.set(None);
                self.error.set(Some(match refusal {
                    EmailRefusal::Incomplete => Alert::EmailIncomplete,
                    EmailRefusal::Invalid | EmailRefusal::Other => Alert::EmailInvalid,
                }));
                false
            }
            Err(error) => {
                crate::log::warn(&format!("the email could not be saved: {error}"));
                self.accepted.set(None);
                self.error.set(Some(Alert::EmailNotSaved));
                false
            }
        }
    }

    #[cfg(feature = "ssr")]
    pub(crate) async fn commit(self, _lifecycle: Lifecycle) -> bool {
        false
    }
}

/// The email field: a visible label, `type="email"`, `autocomplete="email"`,
/// Stripe.js's refusal under it (`aria-invalid`, `aria-describedby`).
/// Hidden when the session came with an email, and once it is complete.
#[component]
pub(crate) fn EmailField(lifecycle: Lifecycle, step: EmailStep) -> impl IntoView {
    let checkout = lifecycle.context();
    let id = checkout.element_id("email");
    let error_id = checkout.element_id("email-error");
    let described = error_id.clone();
    let complete = move || checkout.closed() == Some(Closed::Complete);
    let invalid = move || step.error.with(Option::is_some);
    view! {
        <div class="lsc-email" hidden=move || step.shown.get() == 0 || complete()>
            <label class="lsc-email__label" for=id.clone()>
                {move || checkout.labels_ref().with(|labels| labels.email.to_string())}
            </label>
            <input
                id=id
                class="lsc-email__input"
                type="email"
                name="email"
                autocomplete="email"
                inputmode="email"
                spellcheck="false"
                autocapitalize="off"
                aria-required="true"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=move || invalid().then(|| described.clone())
                aria-busy=move || (step.busy.get() != 0).then_some("true")
                prop:value=move || step.draft.get().unwrap_or_default()
                on:input=move |event| step.draft.set(Some(event_target_value(&event)))
                on:change=move |_| {
                    leptos::task::spawn_local(async move {
                        let _ = step.commit(lifecycle).await;
                    });
                }
            />
            <p class="lsc-email__error" id=error_id data-testid="email-error">
                {move || {
                    step.error.get().map(|problem| checkout.labels_ref().with(|labels| problem.text(labels)))
                }}
            </p>
        </div>
    }
}
