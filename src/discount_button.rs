//! `ApplyDiscountButton`: asks the merchant server to apply its customer discount.

use leptos::prelude::*;

use crate::ui::classes;
use checkout_protocol::bodies::SessionRequest;

use crate::server_update::use_component_update;
use crate::update_status::ControlAlert;

/// Default element id, as in Stripe's guide.
pub const DISCOUNT_ID: &str = "apply-customer-discount";
/// Default merchant endpoint.
pub const DISCOUNT_ENDPOINT: &str = checkout_protocol::endpoints::APPLY_CUSTOMER_DISCOUNT;

/// A button that POSTs `{checkout_session_id}` to the merchant's
/// `/apply-customer-discount` inside `runServerUpdate`.
///
/// Once the session carries a discount it reads "Discount Applied!" and is
/// disabled with `aria-disabled` (so it keeps keyboard focus). The amount is
/// the merchant server's decision, never the page's.
///
/// It renders nothing when the merchant server's `/config` lists `previews`
/// without `"discounts"`: discounts on update are a Stripe private preview,
/// and such a server answers 404 to the endpoint. A server that sends no
/// list (one of your own) gets the button. Nothing is logged for it.
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! { <CheckoutProvider><ApplyDiscountButton endpoint="/loyalty-discount"/></CheckoutProvider> }
/// # }
/// ```
#[component]
pub fn ApplyDiscountButton(
    /// Element id (default `apply-customer-discount`; with a prefix for the
    /// second and later widgets on a page).
    #[prop(optional, into)]
    id: MaybeProp<String>,
    /// Merchant endpoint (default `/apply-customer-discount`).
    #[prop(optional, into)]
    endpoint: MaybeProp<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(update) = use_component_update("ApplyDiscountButton", endpoint, DISCOUNT_ENDPOINT)
    else {
        return ().into_any();
    };
    let checkout = update.context();
    // A closure, not a `Memo` (see the interval switch).
    let applied = move || {
        checkout
            .session()
            .with(|session| session.as_ref().is_some_and(|s| !s.discounts().is_empty()))
    };
    let unavailable = move || applied() || update.blocked();
    let on_click = move |_| {
        if !untrack(applied) {
            update.run_request(|session_id| SessionRequest {
                checkout_session_id: Some(session_id),
            });
        }
    };
    let offered = move || crate::previews::offered(checkout, crate::previews::DISCOUNTS);
    // A closure, not `<Show>` (see the interval switch).
    (move || {
        offered().then(|| {
            view! {
                <button
                    type="button"
                    id=move || Some(id.get().unwrap_or_else(|| checkout.element_id(DISCOUNT_ID)))
                    class=classes("lsc-button", class)
                    aria-busy=move || update.pending().then_some("true")
                    aria-disabled=move || unavailable().then_some("true")
                    on:click=on_click
                >
                    {move || {
                        checkout.labels_ref().with(|labels| {
                            if applied() {
                                labels.discount_applied.to_string()
                            } else {
                                labels.apply_discount.to_string()
                            }
                        })
                    }}
                </button>
                <ControlAlert checkout control=update.control()/>
            }
        })
    })
    .into_any()
}
