//! `ApplyDiscountButton`: asks the merchant server to apply its customer discount.

use leptos::prelude::*;
use serde_json::json;

use crate::provider::{missing_provider, use_checkout};

/// Default element id, as in Stripe's guide.
pub const DISCOUNT_ID: &str = "apply-customer-discount";
/// Default merchant endpoint.
pub const DISCOUNT_ENDPOINT: &str = "/apply-customer-discount";

/// A button that POSTs `{checkout_session_id}` to the merchant's
/// `/apply-customer-discount` inside `runServerUpdate`.
///
/// Once the session carries a discount it reads "Discount Applied!" and is
/// disabled (`aria-disabled`, so it keeps keyboard focus). The amount comes
/// from the merchant server, never from the page.
#[component]
pub fn ApplyDiscountButton(
    /// Element id (default `apply-customer-discount`).
    #[prop(optional, into)]
    id: MaybeProp<String>,
    /// Merchant endpoint to POST `{checkout_session_id}` to.
    #[prop(optional, into)]
    endpoint: MaybeProp<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(checkout) = use_checkout() else {
        missing_provider("ApplyDiscountButton");
        return ().into_any();
    };
    let id = move || id.get().unwrap_or_else(|| DISCOUNT_ID.to_owned());
    let applied = Memo::new(move |_| {
        checkout
            .session
            .with(|session| session.as_ref().is_some_and(|s| !s.discounts().is_empty()))
    });
    let busy = move || checkout.pending.with(|p| p.as_deref() == Some(&id()));
    let unavailable =
        move || applied.get() || !checkout.is_open() || checkout.pending.with(Option::is_some);
    let on_click = move |_| {
        if unavailable() {
            return;
        }
        let endpoint = endpoint
            .get_untracked()
            .unwrap_or_else(|| DISCOUNT_ENDPOINT.to_owned());
        checkout.run_update(
            &id(),
            endpoint,
            |session_id| json!({ "checkout_session_id": session_id }),
        );
    };
    view! {
        <button
            type="button"
            id=id
            class=move || format!("lsc-button {}", class.get().unwrap_or_default())
            aria-busy=move || busy().then_some("true")
            aria-disabled=move || unavailable().then_some("true")
            on:click=on_click
        >
            {move || if applied.get() { "Discount Applied!" } else { "Apply Customer Discount" }}
        </button>
    }
    .into_any()
}
