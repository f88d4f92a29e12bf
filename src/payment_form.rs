//! `PaymentForm`: Stripe's Payment Element and a Pay button (`confirm`).

use leptos::html;
use leptos::prelude::*;

use crate::provider::{classes, missing_provider, use_checkout_context, CheckoutState};

/// The Payment Element (mounted once the checkout is ready) and a Pay button
/// that calls `confirm({redirect: 'if_required'})`. A declined payment shows
/// in the [`UpdateStatus`](crate::UpdateStatus) alert region; a completed one
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
    let Ok(checkout) = use_checkout_context() else {
        missing_provider("PaymentForm");
        return ().into_any();
    };
    let element = NodeRef::<html::Div>::new();
    let mounted = StoredValue::new(false);
    Effect::new(move |_| {
        let ready = checkout.state.with(|state| *state == CheckoutState::Ready);
        if let (true, Some(container), false) = (ready, element.get(), mounted.get_value()) {
            mounted.set_value(true);
            mount(checkout, &container);
        }
    });
    let complete = move || {
        checkout
            .session
            .with(|session| session.as_ref().is_some_and(|s| s.is_complete()))
    };
    // Paying hides the Pay button; focus moves to the confirmation instead of
    // falling back to <body> (only when it was in the form, or already lost).
    let form = NodeRef::<html::Form>::new();
    let paid = NodeRef::<html::P>::new();
    Effect::new(move |was_complete: Option<bool>| {
        let now = complete();
        if now && was_complete == Some(false) {
            focus_confirmation(form, paid);
        }
        now
    });
    let paying = move || checkout.pending.with(|p| p.as_deref() == Some(PAYMENT));
    let blocked = move || !checkout.is_open() || checkout.pending.with(Option::is_some);
    view! {
        <form
            node_ref=form
            class=classes("lsc-payment", class)
            aria-label="Payment"
            on:submit=move |event| {
                event.prevent_default();
                if !blocked() {
                    pay(checkout);
                }
            }
        >
            <div class="lsc-payment__element" node_ref=element hidden=complete></div>
            <p
                class="lsc-payment__paid"
                data-testid="paid"
                tabindex="-1"
                node_ref=paid
                hidden=move || !complete()
            >
                {move || checkout.labels.with(|labels| labels.paid.clone())}
            </p>
            <button
                type="submit"
                id="pay"
                class="lsc-button lsc-payment__pay"
                hidden=complete
                aria-busy=move || paying().then_some("true")
                aria-disabled=move || blocked().then_some("true")
            >
                {move || {
                    checkout.labels.with(|labels| {
                        if paying() { labels.paying.clone() } else { labels.pay.clone() }
                    })
                }}
            </button>
        </form>
    }
    .into_any()
}

const PAYMENT: &str = "payment";

#[cfg(not(feature = "ssr"))]
fn focus_confirmation(form: NodeRef<html::Form>, paid: NodeRef<html::P>) {
    request_animation_frame(move || {
        let (Some(form), Some(paid)) = (form.get_untracked(), paid.get_untracked()) else {
            return;
        };
        let active = document().active_element();
        let lost = active.as_ref().is_none_or(|element| {
            element.tag_name().eq_ignore_ascii_case("body") || form.contains(Some(element))
        });
        if lost {
            let _ = paid.focus();
        }
    });
}

#[cfg(feature = "ssr")]
fn focus_confirmation(_form: NodeRef<html::Form>, _paid: NodeRef<html::P>) {}

#[cfg(not(feature = "ssr"))]
fn mount(checkout: crate::CheckoutContext, container: &web_sys::HtmlDivElement) {
    if let Some(stripe) = checkout.checkout() {
        if let Err(error) = stripe.mount_payment_element(container) {
            leptos::logging::error!("the Payment Element could not be mounted: {error}");
            checkout.error.set(Some(checkout.customer_message(&error)));
        }
    }
}

#[cfg(feature = "ssr")]
fn mount(_checkout: crate::CheckoutContext, _container: &web_sys::HtmlDivElement) {}

#[cfg(not(feature = "ssr"))]
fn pay(checkout: crate::CheckoutContext) {
    use crate::stripe_js::ConfirmOutcome;
    let Some(stripe) = checkout.checkout() else {
        return;
    };
    checkout.pending.set(Some(PAYMENT.to_owned()));
    leptos::task::spawn_local(async move {
        match stripe.confirm().await {
            Ok(ConfirmOutcome::Complete) => {
                checkout.error.set(None);
                if let Ok(session) = stripe.session_value() {
                    if let Err(error) = checkout.accept_session(&session) {
                        leptos::logging::warn!("ignored a session update: {error}");
                    }
                }
            }
            Ok(ConfirmOutcome::Failed(message)) => {
                let error = crate::CheckoutError::Update(message);
                checkout.error.set(Some(checkout.customer_message(&error)));
            }
            Err(error) => {
                leptos::logging::warn!("confirm failed: {error:?}");
                checkout.error.set(Some(checkout.customer_message(&error)));
            }
        }
        checkout.pending.set(None);
    });
}

#[cfg(feature = "ssr")]
fn pay(_checkout: crate::CheckoutContext) {}
