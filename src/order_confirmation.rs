//! `OrderConfirmation`: "Order confirmed" from the merchant server's
//! fulfilment record, not from the page's own belief.

use leptos::prelude::*;

use crate::state::{use_checkout_context, CheckoutContext};
use crate::ui::{classes, missing_provider};

/// The merchant path asked for the fulfilment record.
pub const ORDER_STATUS_ENDPOINT: &str = checkout_protocol::endpoints::ORDER_STATUS;

/// How often, and how many times, the record is asked for after paying.
const POLL_EVERY_MS: i32 = 500;
const POLL_TIMES: u32 = 40;

// Where the confirmation is: a `u32`, a signal type the lifecycle already
// has, so that no new one is compiled in (docs/weight.md).
const IDLE: u32 = 0;
const WAITING: u32 = 1;
const CONFIRMED: u32 = 2;
const LATE: u32 = 3;

/// The `data-state` attribute's value of `state`.
fn state_name(state: u32) -> &'static str {
    match state {
        WAITING => "waiting",
        CONFIRMED => "confirmed",
        LATE => "late",
        _ => "idle",
    }
}

/// Once the session is complete, asks the merchant server
/// (`POST /order-status {checkout_session_id}`) for its fulfilment record
/// every half second, for up to 20 seconds, and says "Order confirmed" when
/// the server reports `fulfilled`: the server fulfils from Stripe's
/// `checkout.session.completed` webhook, so the confirmation means the
/// merchant has the order. The texts are the labels' `order_confirming`,
/// `order_confirmed` and `order_confirmation_late`; the outcome is announced
/// once in the checkout's polite status region (`UpdateStatus`).
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! { <CheckoutProvider><PaymentForm/><OrderConfirmation/></CheckoutProvider> }
/// # }
/// ```
#[component]
pub fn OrderConfirmation(
    /// The merchant endpoint (default [`ORDER_STATUS_ENDPOINT`]).
    #[prop(optional, into)]
    endpoint: Option<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Ok(checkout) = use_checkout_context() else {
        missing_provider("OrderConfirmation");
        return ().into_any();
    };
    let endpoint = endpoint.unwrap_or_else(|| ORDER_STATUS_ENDPOINT.to_owned());
    let state = RwSignal::new(IDLE);
    // Whether the asking started: the effect's own value, not a
    // `StoredValue<bool>` (a stored type of its own, docs/weight.md).
    Effect::new(move |started: Option<bool>| {
        let started = started.unwrap_or(false);
        let paid = checkout.session().with(|session| {
            session
                .as_ref()
                .filter(|s| s.is_complete())
                .map(|s| s.id.clone())
        });
        match (paid, started) {
            (Some(id), false) => {
                state.set(WAITING);
                poll(checkout, endpoint.clone(), id, state);
                true
            }
            _ => started,
        }
    });
    let text = move || {
        checkout.labels_ref().with(|labels| match state.get() {
            WAITING => labels.order_confirming.to_string(),
            CONFIRMED => labels.order_confirmed.to_string(),
            LATE => labels.order_confirmation_late.to_string(),
            _ => String::new(),
        })
    };
    view! {
        <p
            class=classes("lsc-order-confirmation", class)
            data-testid="order-confirmation"
            data-state=move || Some(state_name(state.get()))
        >
            {text}
        </p>
    }
    .into_any()
}

/// Asks for the fulfilment record until it says `fulfilled` or the time is
/// up; the outcome is shown (`state`) and said once in the checkout's
/// polite region, here rather than by an effect following `state` (an
/// effect's task and future are code of their own, docs/weight.md).
#[cfg(not(feature = "ssr"))]
fn poll(checkout: CheckoutContext, endpoint: String, session_id: String, state: RwSignal<u32>) {
    use crate::messages::Announcement;
    use checkout_protocol::bodies::{OrderStatusReply, SessionRequest};
    leptos::task::spawn_local(async move {
        let body = SessionRequest {
            checkout_session_id: Some(session_id),
        };
        for _ in 0..POLL_TIMES {
            if let Ok(reply) = crate::http::post(&endpoint, &body).await {
                let fulfilled = reply
                    .parse::<OrderStatusReply>(&endpoint)
                    .is_ok_and(|reply| reply.status == "fulfilled");
                if fulfilled {
                    // `Some`: the widget was unmounted meanwhile.
                    if state.try_set(CONFIRMED).is_none() {
                        checkout.announce(Announcement::OrderConfirmed);
                    }
                    return;
                }
            }
            sleep(POLL_EVERY_MS).await;
            if state.try_get_untracked().is_none() {
                return;
            }
        }
        if state.try_set(LATE).is_none() {
            checkout.announce(Announcement::OrderConfirmationLate);
        }
    });
}

/// `ms` milliseconds: a promise around `setTimeout`. gloo-timers'
/// `TimeoutFuture` does the same; as a dependency it made the demo's wasm
/// 551 B gzip larger (195,823 → 196,374 B, measured), so it is not used.
#[cfg(not(feature = "ssr"))]
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(feature = "ssr")]
fn poll(_checkout: CheckoutContext, _endpoint: String, _session_id: String, _state: RwSignal<u32>) {
}
