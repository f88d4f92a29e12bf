//! `PaymentForm`: Stripe's Payment Element and a Pay button (`confirm`).

use leptos::html;
use leptos::prelude::*;

use crate::email_field::{EmailField, EmailStep};
use crate::lifecycle::{use_lifecycle, Lifecycle};
use crate::messages::Alert;
use crate::session::Session;
use crate::state::{CheckoutContext, CheckoutState, Closed};
use crate::ui::{classes, missing_provider};
use crate::update_status::ControlAlert;

/// The customer's email (when the session has none), the Payment Element
/// (mounted once the checkout is ready) and a Pay button that calls
/// `confirm({redirect: 'if_required'})`.
///
/// Stripe needs the customer's email to confirm a Checkout Session. When the
/// merchant did not pass `customer_email` at creation, an email field comes
/// first: what is typed goes to Stripe.js's `updateEmail` when the field is
/// left (or on Enter), Stripe.js's refusal (`incompleteEmail`,
/// `invalidEmail`) shows under it in the labels' words, and Pay is
/// unavailable until Stripe.js has accepted the address in the field;
/// pressing it then checks the address and moves focus to the field.
///
/// Pay first reads the session again from Stripe.js: when the order changed
/// since it was shown (another tab, an update that landed late) the new
/// order is shown and nothing is charged until the customer presses Pay
/// again. Stripe.js offers no way to confirm only the amount the page
/// showed (docs/research-stripe-js.md §2), so this is the widget's own
/// check; it is unavailable while what is shown is not confirmed.
///
/// Pay also follows Stripe.js's `canConfirm` (the session's; absent reads
/// as yes): while it is `false` Pay is `aria-disabled`, and pressing it
/// calls no `confirm` and says in the alert region what to do
/// ([`Labels::payment_incomplete`](crate::Labels::payment_incomplete));
/// it is checked again after the read before Pay. On endive `canConfirm` is
/// also `false` while a server update is queued or running, the widget's own
/// re-reads included: pressing Pay then does nothing, and Pay comes back
/// when the update ends. Known risk: stripe/react-stripe-js#651 (open, on
/// clover) reports `canConfirm` stuck at `false` although every field is
/// filled in and `confirm` succeeds; on such a Stripe.js Pay stays
/// unavailable (docs/research-stripe-js.md §2.4).
///
/// A declined payment shows in the [`UpdateStatus`](crate::UpdateStatus)
/// alert region (or in the form, when the page has none); a completed one
/// replaces the form with a confirmation, and every update control is
/// disabled from then on.
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! { <CheckoutProvider><PaymentForm/><UpdateStatus/></CheckoutProvider> }
/// # }
/// ```
#[component]
pub fn PaymentForm(
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(lifecycle) = use_lifecycle() else {
        missing_provider("PaymentForm");
        return ().into_any();
    };
    let checkout = lifecycle.context();
    let element = NodeRef::<html::Div>::new();
    let complete = move || checkout.closed() == Some(Closed::Complete);
    // One effect for two jobs (an effect's task and future are code of
    // their own, docs/weight.md); its value is the checkout (by generation)
    // whose Payment Element is mounted, and whether the session was
    // complete.
    Effect::new(move |last: Option<(u32, bool)>| {
        let (mounted, was_complete) = last.unwrap_or((0, true));
        let generation = checkout.generation().get();
        let ready = checkout
            .state()
            .with(|state| *state == CheckoutState::Ready);
        let open = checkout.is_open();
        let mounted = match (ready, open, element.get()) {
            (true, true, Some(container)) if mounted != generation => {
                mount(lifecycle, &container);
                generation
            }
            _ => mounted,
        };
        // Paying hides the Pay button; focus moves to the confirmation
        // instead of falling back to <body> (only when it was in the form,
        // or already lost).
        let now = complete();
        if now && !was_complete {
            focus_confirmation(element);
        }
        (mounted, now)
    });
    let paying = move || checkout.pending().with(|p| p.as_deref() == Some(PAYMENT));
    let stripe_ready = move || confirmable(checkout);
    let email = EmailStep::new(checkout);
    view! {
        <form
            class=classes("lsc-payment", class)
            aria-label=move || Some(checkout.labels_ref().with(|labels| labels.payment_form.to_string()))
            novalidate=true
            on:submit=move |event| {
                event.prevent_default();
                if checkout.blocked() {
                    return;
                }
                if !untrack(|| email.ready(checkout)) {
                    // No accepted email yet: check the field's address (its
                    // refusal shows under it); Pay waits for the next press.
                    leptos::task::spawn_local(async move {
                        if !email.commit(lifecycle).await && checkout.is_alive() {
                            focus_in(element, EMAIL_INPUT);
                        }
                    });
                } else if !untrack(|| shipping_ready(checkout)) {
                    #[cfg(feature = "shipping")]
                    checkout.show_alert(Alert::ShippingIncomplete, Some(PAYMENT.to_owned()));
                } else if !untrack(stripe_ready) {
                    // During the widget's own re-read (endive) Pay comes back
                    // by itself; otherwise the customer has something to do.
                    if !lifecycle.rereading() {
                        not_confirmable(checkout);
                    }
                } else {
                    pay(lifecycle);
                }
            }
        >
            <EmailField lifecycle step=email/>
            <div class="lsc-payment__element" node_ref=element hidden=complete></div>
            <p
                class="lsc-payment__paid"
                data-testid="paid"
                tabindex="-1"
                hidden=move || !complete()
            >
                {move || checkout.labels_ref().with(|labels| labels.paid.to_string())}
            </p>
            <button
                type="submit"
                id=checkout.element_id("pay")
                class="lsc-button lsc-payment__pay"
                hidden=complete
                aria-busy=move || paying().then_some("true")
                aria-disabled=move || {
                    (checkout.blocked() || !email.ready(checkout) || !stripe_ready()
                        || !shipping_ready(checkout))
                        .then_some("true")
                }
            >
                {move || {
                    checkout.labels_ref().with(|labels| {
                        if paying() { labels.paying.to_string() } else { labels.pay.to_string() }
                    })
                }}
            </button>
            <ControlAlert checkout control=PAYMENT.to_owned()/>
        </form>
    }
    .into_any()
}

/// The payment's name in [`CheckoutContext::pending`](crate::CheckoutContext::pending).
pub(crate) const PAYMENT: &str = crate::update_status::PAYMENT_CONTROL;

/// Whether Stripe.js says the session can be confirmed (`canConfirm`; a
/// session without it, or none yet, does not say no). Tracked in a view.
fn confirmable(checkout: CheckoutContext) -> bool {
    checkout
        .session()
        .try_with(|session| session.as_ref().is_none_or(Session::confirmable))
        .unwrap_or(false)
}

/// With a [`ShippingAddress`](crate::ShippingAddress): whether the address
/// shown is accepted and an option selected (feature `shipping`; a plain
/// function, so that a build without it carries no closure for it).
fn shipping_ready(checkout: CheckoutContext) -> bool {
    #[cfg(feature = "shipping")]
    return checkout.shipping_ready();
    #[cfg(not(feature = "shipping"))]
    {
        let _ = checkout;
        true
    }
}

/// Pay was pressed while Stripe.js cannot confirm: the alert says what to do.
fn not_confirmable(checkout: CheckoutContext) {
    checkout.show_alert(Alert::PaymentIncomplete, Some(PAYMENT.to_owned()));
}

#[cfg(not(feature = "ssr"))]
fn focus_confirmation(element: NodeRef<html::Div>) {
    request_animation_frame(move || {
        let Some(form) = element
            .try_get_untracked()
            .flatten()
            .and_then(|e| e.parent_element())
        else {
            return;
        };
        let active = document().active_element();
        let lost = active.as_ref().is_none_or(|element| {
            element.tag_name().eq_ignore_ascii_case("body") || form.contains(Some(element))
        });
        if lost {
            focus_in_form(&form, PAID);
        }
    });
}

#[cfg(feature = "ssr")]
fn focus_confirmation(_element: NodeRef<html::Div>) {}

/// The email field and the confirmation, found in their form when focus
/// moves to them: the form is the Payment Element's container's parent, and
/// that container's node ref is the form's only one (each element type's
/// `NodeRef` is code of its own, docs/weight.md).
const EMAIL_INPUT: &str = ".lsc-email__input";
const PAID: &str = ".lsc-payment__paid";

/// Moves focus to the element `selector` finds in the form around `element`.
fn focus_in(element: NodeRef<html::Div>, selector: &str) {
    if let Some(form) = element.get_untracked().and_then(|e| e.parent_element()) {
        focus_in_form(&form, selector);
    }
}

fn focus_in_form(form: &web_sys::Element, selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = form
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

#[cfg(not(feature = "ssr"))]
fn mount(lifecycle: Lifecycle, container: &web_sys::HtmlDivElement) {
    if let Some(stripe) = lifecycle.checkout() {
        // What a checkout mounted here before (one that expired) goes first.
        container.set_inner_html("");
        let (options, theme) = lifecycle.payment_setup().unwrap_or_default();
        if theme {
            if let Some(appearance) = lifecycle
                .context()
                .root()
                .get_untracked()
                .and_then(|root| crate::theme::appearance(&root))
            {
                if let Err(error) = stripe.change_appearance(&appearance) {
                    crate::log::warn(&format!("the widget's theme was not applied: {error}"));
                }
            }
        }
        let options = crate::setup::json_option(options.as_deref(), "payment_element_options");
        if let Err(error) =
            options.and_then(|options| stripe.mount_payment_element_with(container, &options))
        {
            crate::log::warn(&format!(
                "the Payment Element could not be mounted: {error}"
            ));
            lifecycle
                .context()
                .show_alert(Alert::Failed(error), Some(PAYMENT.to_owned()));
        }
    }
}

#[cfg(feature = "ssr")]
fn mount(_lifecycle: Lifecycle, _container: &web_sys::HtmlDivElement) {}

/// Pay: one payment at a time, like an update (`pending` names it).
#[cfg(not(feature = "ssr"))]
fn pay(lifecycle: Lifecycle) {
    if lifecycle.checkout().is_none() {
        return;
    }
    lifecycle.run_as(
        PAYMENT.to_owned(),
        browser::pay(lifecycle, wasm_bindgen::JsValue::UNDEFINED),
    );
}

#[cfg(feature = "ssr")]
fn pay(_lifecycle: Lifecycle) {}

/// A wallet's payment (the Express Checkout Element's `confirm` `event`):
/// Pay's path, without the Payment Element's checks (the wallet gave its
/// details), and the wallet's sheet told when it did not go through.
#[cfg(all(feature = "express", not(feature = "ssr")))]
pub(crate) fn pay_with_wallet(lifecycle: Lifecycle, event: wasm_bindgen::JsValue) {
    // Not open, or something else in flight (one payment or update at a
    // time): the wallet is told at once.
    if lifecycle.context().blocked() {
        crate::stripe_js::express_payment_failed(&event);
        return;
    }
    lifecycle.run_as(PAYMENT.to_owned(), browser::pay(lifecycle, event));
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use leptos::prelude::untrack;
    use wasm_bindgen::JsValue;

    use super::PAYMENT;
    use crate::lifecycle::{Lifecycle, Mode, Reread};
    use crate::messages::Alert;
    use crate::stripe_js::ConfirmOutcome;

    /// Pay, or a wallet's payment when `express` is its `confirm` event.
    pub(super) async fn pay(lifecycle: Lifecycle, express: JsValue) {
        let paid = confirm(lifecycle, &express).await;
        #[cfg(feature = "express")]
        if !paid && !express.is_undefined() {
            crate::stripe_js::express_payment_failed(&express);
        }
        let _ = paid;
    }

    /// Whether the payment went through.
    async fn confirm(lifecycle: Lifecycle, express: &JsValue) -> bool {
        let checkout = lifecycle.context();
        // What the customer saw when they pressed Pay.
        let shown = checkout.total_text();
        match lifecycle.resync(Mode::BeforePay).await {
            Reread::Current => {}
            // Closed or unreadable: the re-read said so.
            Reread::Closed | Reread::Unavailable => return false,
        }
        let now = checkout.total_text();
        if now != shown {
            crate::log::warn("the order changed before payment; not charged");
            checkout.show_alert(
                Alert::TotalChanged(checkout.total()),
                Some(PAYMENT.to_owned()),
            );
            return false;
        }
        // Stripe.js's verdict on the session just read (the Payment
        // Element's; a wallet gave its details itself).
        if express.is_undefined() && !untrack(|| super::confirmable(checkout)) {
            super::not_confirmable(checkout);
            return false;
        }
        let outcome = match lifecycle.take_turn().await {
            Some(turn) => lifecycle.confirm(&turn, express).await,
            None => return false,
        };
        let Some(outcome) = outcome else {
            return false;
        };
        match outcome {
            Ok(ConfirmOutcome::Complete) => {
                checkout.clear_alert();
                return true;
            }
            Ok(ConfirmOutcome::Declined(message)) => {
                crate::log::warn(&format!("the payment was declined: {message}"));
                checkout.show_alert(Alert::PaymentDeclined, Some(PAYMENT.to_owned()));
            }
            Ok(ConfirmOutcome::Failed(message)) => {
                crate::log::warn(&format!("the payment failed: {message}"));
                uncertain(lifecycle).await;
            }
            Err(error) => {
                crate::log::warn(&format!("the payment failed: {error}"));
                uncertain(lifecycle).await;
            }
        }
        false
    }

    /// A payment that failed for a reason other than the card: the session
    /// may have expired, be gone, or even be paid (an answer lost on the
    /// way). Read it again and say what holds.
    async fn uncertain(lifecycle: Lifecycle) {
        if let Reread::Current = lifecycle.resync(Mode::AfterFailure).await {
            let checkout = lifecycle.context();
            if checkout.is_alive() && checkout.closed().is_none() {
                checkout.show_alert(Alert::PaymentFailed, Some(PAYMENT.to_owned()));
            }
        }
    }
}
