//! `UpdateStatus`: the `role="alert"` region for failures and a polite region
//! for what changed, with the actions that get the customer out of a failure
//! ("Try again", "Check again", "Start a new checkout").

use std::sync::Arc;

use leptos::prelude::*;

use crate::lifecycle::{use_lifecycle, Mode, Reread};
use crate::messages::Announcement;
use crate::state::{use_checkout_context, CheckoutContext, CheckoutState, Closed, Freshness};
use crate::ui::{classes, missing_provider};

/// Two live regions, in the page (and in the accessibility tree) from the
/// start, so that screen readers announce what appears in them, without
/// moving focus:
///
/// - `role="alert"`: why the last update, payment or loading failed; that
///   the session expired or is gone;
/// - `role="status"` (polite): what changed ("Total is now $135.00 per
///   year"), once per change, and that a completed order can no longer be
///   changed, followed by what `OrderConfirmation` learns from the merchant
///   server ("… changed. Order confirmed"; a text node of its own, so only
///   the addition is announced).
///
/// Its buttons: "Try again" when the checkout could not load, "Check again"
/// when the order could not be read again (it is also retried
/// automatically), "Start a new checkout" when the session expired or is
/// gone. When a button disappears while focused, focus moves to the
/// checkout's first usable control. Messages are rendered as text, never as
/// HTML.
///
/// Without an `UpdateStatus` in the provider, each control shows its own
/// failures next to itself.
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
    checkout.add_status_region();
    let complete = move || checkout.closed() == Some(Closed::Complete);
    let labels = checkout.labels_ref();
    let status = move || {
        if complete() {
            labels.with(|labels| labels.complete.to_string())
        } else {
            checkout.announcement_text(|_| true).unwrap_or_default()
        }
    };
    // After completion only `OrderConfirmation`'s outcome is added.
    let confirmation = move || {
        if !complete() {
            return None;
        }
        checkout
            .announcement_text(Announcement::is_confirmation)
            .map(|said| format!(" {said}"))
    };
    view! {
        <div class=classes("lsc-status", class)>
            <div role="alert" class="lsc-status__alert" data-testid="update-status">
                {move || alert_text(checkout)}
            </div>
            <Actions checkout/>
            <div role="status" aria-live="polite" class="lsc-status__info" data-testid="update-info">
                {status}
                {confirmation}
            </div>
        </div>
    }
    .into_any()
}

/// The alert the customer should see now, if any.
pub(crate) fn alert_text(checkout: CheckoutContext) -> Option<String> {
    let closed = checkout.closed();
    checkout.labels_ref().with(|labels| match closed {
        Some(Closed::Expired) => Some(labels.expired.to_string()),
        Some(Closed::Gone) => Some(labels.session_gone.to_string()),
        _ => checkout
            .alert_text()
            .or_else(|| match checkout.state().get() {
                CheckoutState::Failed(error) => Some(error.customer_message_in(labels)),
                _ => None,
            }),
    })
}

const IDLE: u32 = 0;
const RETRY: u32 = 1;
const CHECK: u32 = 2;
const START_OVER: u32 = 3;

/// The ways out of a failure, each shown only when it can help.
#[component]
fn Actions(checkout: CheckoutContext) -> impl IntoView {
    // The button that was used stays (busy) until what it started is done,
    // so that focus does not fall to <body> meanwhile.
    // Which button (`RETRY`, `CHECK`, `START_OVER`; `IDLE`): a `u32`, a
    // signal type the lifecycle already has, so no new one is compiled in
    // (issue 23: −0.3 KB gzip per signal type, measured).
    let working = RwSignal::new(IDLE);
    let lifecycle = use_lifecycle();
    Effect::new(move |_| {
        let loading = checkout.state().with(|s| *s == CheckoutState::Loading);
        if !loading && working.with_untracked(|w| matches!(*w, RETRY | START_OVER)) {
            working.set(IDLE);
        }
    });
    let failed = move || {
        checkout
            .state()
            .with(|state| matches!(state, CheckoutState::Failed(_)))
            && checkout.closed().is_none()
    };
    let stale = move || {
        checkout.state().with(|s| *s == CheckoutState::Ready)
            && checkout.closed().is_none()
            && checkout.freshness().get() == Freshness::Stale
    };
    let ended = move || {
        matches!(checkout.closed(), Some(Closed::Expired | Closed::Gone))
            && checkout.can_start_over()
    };
    let shown = move |button: u32, when: bool| when || working.get() == button;
    let busy = move |button: u32| (working.get() == button).then_some("true");
    view! {
        <div class="lsc-status__actions">
            <button
                type="button"
                class="lsc-button lsc-status__retry"
                hidden=move || !shown(RETRY, failed())
                aria-busy=move || busy(RETRY)
                aria-disabled=move || busy(RETRY)
                on:click=move |_| {
                    if untrack(failed) {
                        working.set(RETRY);
                        checkout.retry();
                    }
                }
            >
                {move || checkout.labels_ref().with(|labels| labels.retry.to_string())}
            </button>
            <button
                type="button"
                class="lsc-button lsc-status__check"
                hidden=move || !shown(CHECK, stale())
                aria-busy=move || busy(CHECK)
                aria-disabled=move || busy(CHECK)
                on:click=move |_| {
                    if let (true, Some(lifecycle)) = (untrack(stale), lifecycle) {
                        working.set(CHECK);
                        leptos::task::spawn_local(async move {
                            let reread = lifecycle.resync(Mode::AfterFailure).await;
                            let _ = working.try_set(IDLE);
                            if reread != Reread::Unavailable && checkout.is_alive() {
                                crate::ui::focus_first_control(checkout.root());
                            }
                        });
                    }
                }
            >
                {move || checkout.labels_ref().with(|labels| labels.check_again.to_string())}
            </button>
            <button
                type="button"
                class="lsc-button lsc-status__start-over"
                hidden=move || !shown(START_OVER, ended())
                aria-busy=move || busy(START_OVER)
                aria-disabled=move || busy(START_OVER)
                on:click=move |_| {
                    if untrack(ended) {
                        working.set(START_OVER);
                        checkout.start_over();
                    }
                }
            >
                {move || checkout.labels_ref().with(|labels| labels.start_over.to_string())}
            </button>
        </div>
    }
}

/// The payment form's name in [`CheckoutContext::pending`] and
/// `alert_owner` (here, so that builds without the `payment` feature know it).
pub(crate) const PAYMENT_CONTROL: &str = "payment";

/// A control's own alert region, used only when the page has no
/// [`UpdateStatus`]: it shows the alert when this control's action caused
/// it (the payment form also shows failures nobody caused, such as a
/// re-read that failed).
#[component]
pub(crate) fn ControlAlert(checkout: CheckoutContext, control: String) -> impl IntoView {
    let mine = Arc::new(move || match checkout.alert_owner() {
        Some(owner) => owner == control,
        None => control == PAYMENT_CONTROL,
    });
    move || {
        (checkout.status_regions() == 0).then(|| {
            let (alert, actions) = (mine.clone(), mine.clone());
            view! {
                <div class="lsc-status lsc-status--inline">
                    <div role="alert" class="lsc-status__alert">
                        {move || alert().then(|| alert_text(checkout)).flatten()}
                    </div>
                    {move || actions().then(|| view! { <Actions checkout/> })}
                </div>
            }
        })
    }
}
