//! `SubscriptionIntervalSwitch`: monthly ⇄ yearly, as a WAI-ARIA switch.

use leptos::prelude::*;
use serde_json::json;

use crate::provider::{missing_provider, use_checkout};

/// Default element id, as in Stripe's guide.
pub const SWITCH_ID: &str = "change-subscription-interval";
/// Default merchant endpoint.
pub const SWITCH_ENDPOINT: &str = "/change-subscription-interval";

/// A `<button role="switch">` that moves the subscription between monthly and
/// yearly billing through the merchant's `/change-subscription-interval`.
///
/// `aria-checked` is `true` when the session bills yearly; it follows the
/// session, so a failed update leaves it as it was. While the update runs the
/// button is `aria-busy` and `aria-disabled`, and further clicks send nothing.
#[component]
pub fn SubscriptionIntervalSwitch(
    /// Element id (default `change-subscription-interval`).
    #[prop(optional, into)]
    id: MaybeProp<String>,
    /// Merchant endpoint to POST `{checkout_session_id, interval}` to.
    #[prop(optional, into)]
    endpoint: MaybeProp<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(checkout) = use_checkout() else {
        missing_provider("SubscriptionIntervalSwitch");
        return ().into_any();
    };
    let id = move || id.get().unwrap_or_else(|| SWITCH_ID.to_owned());
    let yearly = Memo::new(move |_| {
        checkout
            .session
            .with(|session| session.as_ref().is_some_and(|s| s.is_yearly()))
    });
    let busy = move || checkout.pending.with(|p| p.as_deref() == Some(&id()));
    let unavailable = move || !checkout.is_open() || checkout.pending.with(Option::is_some);
    let label = move || {
        if yearly.get() {
            "Use monthly subscription"
        } else {
            "Save with a yearly subscription"
        }
    };
    let on_click =
        move |_| {
            if unavailable() {
                return;
            }
            let interval = if yearly.get_untracked() {
                "monthly"
            } else {
                "yearly"
            };
            let endpoint = endpoint
                .get_untracked()
                .unwrap_or_else(|| SWITCH_ENDPOINT.to_owned());
            checkout.run_update(&id(), endpoint, move |session_id| {
            json!({ "checkout_session_id": session_id, "interval": interval })
        });
        };
    view! {
        <button
            type="button"
            id=id
            role="switch"
            class=move || format!("lsc-switch {}", class.get().unwrap_or_default())
            aria-checked=move || yearly.get().to_string()
            aria-busy=move || busy().then_some("true")
            aria-disabled=move || unavailable().then_some("true")
            on:click=on_click
        >
            <span class="lsc-switch__track" aria-hidden="true">
                <span class="lsc-switch__thumb"></span>
            </span>
            <span class="lsc-switch__label">{label}</span>
        </button>
    }
    .into_any()
}
