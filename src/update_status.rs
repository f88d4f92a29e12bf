//! `UpdateStatus`: the `role="alert"` region for failures and a polite region
//! for what changed.

use leptos::prelude::*;

use crate::provider::{classes, missing_provider, use_checkout_context, CheckoutState};

/// Two live regions, always in the page so that screen readers announce what
/// appears in them, without moving focus:
///
/// - `role="alert"`: why the last update, payment or loading failed;
/// - `role="status"` (polite): what changed ("Total is now $135.00 per
///   year") and, once the session is complete or expired, that the order can
///   no longer be changed.
///
/// When the checkout could not load (Stripe.js unreachable, server down), a
/// "Try again" button starts it again. Messages are rendered as text, never
/// as HTML.
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! { <CheckoutProvider><UpdateStatus class="my-status"/></CheckoutProvider> }
/// # }
/// ```
#[component]
pub fn UpdateStatus(
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Ok(checkout) = use_checkout_context() else {
        missing_provider("UpdateStatus");
        return ().into_any();
    };
    let alert = move || {
        checkout.error.get().or_else(|| match checkout.state.get() {
            CheckoutState::Failed(error) => Some(checkout.customer_message(&error)),
            _ => None,
        })
    };
    let failed = move || {
        checkout
            .state
            .with(|state| matches!(state, CheckoutState::Failed(_)))
    };
    let status = move || {
        let closed = checkout.session.with(|session| {
            session
                .as_ref()
                .map(|s| (s.is_complete(), s.is_expired()))
                .unwrap_or_default()
        });
        checkout.labels.with(|labels| match closed {
            (true, _) => labels.complete.clone(),
            (_, true) => labels.expired.clone(),
            _ => checkout.announcement.get(),
        })
    };
    view! {
        <div class=classes("lsc-status", class)>
            <div role="alert" class="lsc-status__alert" data-testid="update-status">
                {alert}
            </div>
            <button
                type="button"
                class="lsc-button lsc-status__retry"
                hidden=move || !failed()
                on:click=move |_| checkout.retry()
            >
                {move || checkout.labels.with(|labels| labels.retry.clone())}
            </button>
            <div role="status" aria-live="polite" class="lsc-status__info" data-testid="update-info">
                {status}
            </div>
        </div>
    }
    .into_any()
}
