//! `SubscriptionIntervalSwitch`: monthly (or the plan's other interval) ⇄
//! yearly, as a WAI-ARIA switch.

use leptos::prelude::*;

use crate::ui::classes;
use checkout_protocol::bodies::ChangeIntervalRequest;

use crate::server_update::use_component_update;
use crate::update_status::ControlAlert;

/// Default element id, as in Stripe's guide.
pub const SWITCH_ID: &str = "change-subscription-interval";
/// Default merchant endpoint.
pub const SWITCH_ENDPOINT: &str = checkout_protocol::endpoints::CHANGE_SUBSCRIPTION_INTERVAL;

/// A native `<button role="switch">` that moves the subscription between
/// yearly billing and the plan's other interval (`monthly`, or the first
/// interval of `/config`'s `intervals` that is not yearly: `quarterly` for a
/// quarterly/yearly catalogue) through the merchant's
/// `/change-subscription-interval` (`{checkout_session_id, interval}`).
/// It is left out when `/config`'s `intervals` has no `yearly` (nothing to
/// switch to).
///
/// Its name is [`Labels::interval_switch`](crate::Labels::interval_switch)
/// ("Save with a yearly subscription") in both states; `aria-checked` is
/// `true` when the session bills yearly. It follows the session, so a
/// failed update leaves it as it was. While an update runs the
/// button is `aria-busy` and `aria-disabled` (it keeps focus), and clicks send
/// nothing.
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! { <CheckoutProvider><SubscriptionIntervalSwitch class="my-switch"/></CheckoutProvider> }
/// # }
/// ```
#[component]
pub fn SubscriptionIntervalSwitch(
    /// Element id (default `change-subscription-interval`; with a prefix
    /// for the second and later widgets on a page).
    #[prop(optional, into)]
    id: MaybeProp<String>,
    /// Merchant endpoint (default `/change-subscription-interval`).
    #[prop(optional, into)]
    endpoint: MaybeProp<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(update) =
        use_component_update("SubscriptionIntervalSwitch", endpoint, SWITCH_ENDPOINT)
    else {
        return ().into_any();
    };
    let checkout = update.context();
    // A closure, not a `Memo`: memos of `bool` are code of their own (issue
    // 23, measured), and reading the session again costs less.
    let yearly = move || {
        checkout
            .session()
            .with(|session| session.as_ref().is_some_and(|s| s.is_yearly()))
    };
    // One name in both states (WAI-ARIA switch pattern): the state is
    // aria-checked alone, and the summary shows the plan.
    let label = move || {
        checkout
            .labels_ref()
            .with(|labels| labels.interval_switch.to_string())
    };
    let on_click = move |_| {
        // Off: the plan's other interval (monthly, or as `/config` says:
        // quarterly…); on: yearly.
        let interval = if untrack(yearly) {
            checkout.shorter_interval()
        } else {
            "yearly".to_owned()
        };
        update.run_request(move |session_id| ChangeIntervalRequest {
            checkout_session_id: Some(session_id),
            interval: Some(interval),
        });
    };
    // A plan without a yearly price has nothing to switch to. A closure,
    // not `<Show>`: its `Memo<bool>` is code of its own (the guides' page
    // 0.9 KB gzip larger with it, docs/weight.md). When `/config`'s lists
    // arrive, the closure runs again and the same button is rebuilt in
    // place (tachys keeps the element), so nothing flickers or loses focus.
    let offered = move || checkout.offers_yearly();
    (move || {
        offered().then(|| {
            view! {
            <button
                type="button"
                id=move || Some(id.get().unwrap_or_else(|| checkout.element_id(SWITCH_ID)))
                role="switch"
                class=classes("lsc-switch", class)
                aria-checked=move || Some(if yearly() { "true" } else { "false" })
                aria-busy=move || update.pending().then_some("true")
                aria-disabled=move || update.blocked().then_some("true")
                on:click=on_click
            >
                <span class="lsc-switch__track" aria-hidden="true">
                    <span class="lsc-switch__thumb"></span>
                </span>
                <span class="lsc-switch__label">{label}</span>
            </button>
            <ControlAlert checkout control=update.control()/>
            }
        })
    })
    .into_any()
}
