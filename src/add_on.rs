//! `AddOn`: an add-on the merchant's server adds to the order or removes,
//! at its own price (feature `add-ons`).

use leptos::prelude::*;

use checkout_protocol::bodies::AddOnRequest;

use crate::labels::fill;
use crate::server_update::use_component_update;
use crate::session::Amount;
use crate::ui::classes;
use crate::update_status::ControlAlert;

/// Default merchant endpoint.
pub const ADD_ON_ENDPOINT: &str = checkout_protocol::endpoints::UPDATE_ADD_ON;

/// One of `/config`'s `addOns` (gift wrap, a warranty) as a checkbox: a
/// native `<button role="checkbox">` named by
/// [`Labels::add_on`](crate::Labels::add_on) ("Add Gift wrap ($5.00)",
/// the price `/config` gives), `aria-checked` when the order has its line
/// item (by name). Pressing it POSTs `{checkout_session_id, add_on,
/// selected}` to the merchant's `/update-add-on` inside `runServerUpdate`;
/// the server adds or removes it at its own price (Stripe's payment amounts
/// guide: "Don't trust client-provided prices or totals"). It follows the
/// session, so a refused update leaves it as it was; while an update runs
/// it is `aria-busy` and `aria-disabled`. It is left out while `/config`
/// does not offer the add-on.
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! { <CheckoutProvider><AddOn add_on="gift-wrap"/></CheckoutProvider> }
/// # }
/// ```
#[component]
pub fn AddOn(
    /// The add-on's id among `/config`'s `addOns` (`gift-wrap`).
    #[prop(into)]
    add_on: Signal<String>,
    /// Merchant endpoint (default `/update-add-on`).
    #[prop(optional, into)]
    endpoint: MaybeProp<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(update) = use_component_update("AddOn", endpoint, ADD_ON_ENDPOINT) else {
        return ().into_any();
    };
    let checkout = update.context();
    // (name, price) of the add-on, as `/config` offers it.
    let offer = move || {
        let id = add_on.get();
        checkout.add_ons().with(|offers| {
            offers
                .iter()
                .flatten()
                .find(|offer| offer.id == id)
                .map(|offer| (offer.name.clone(), offer.amount))
        })
    };
    let in_order = move |name: &str| {
        checkout.session().with(|session| {
            session
                .as_ref()
                .is_some_and(|s| s.line_items.iter().any(|item| item.name == name))
        })
    };
    (move || {
        offer().map(|(name, amount)| {
            let label = {
                let name = name.clone();
                move || {
                    let price = checkout.money(&Amount {
                        minor_units_amount: amount,
                        amount: String::new(),
                    });
                    checkout
                        .labels_ref()
                        .with(|l| fill(&l.add_on, &[("name", &name), ("amount", &price)]))
                }
            };
            let checked_name = name.clone();
            let checked = move || in_order(&checked_name);
            let on_click = move |_| {
                let selected = !untrack(|| in_order(&name));
                let add_on = add_on.get_untracked();
                update.run_request(move |session_id| AddOnRequest {
                    checkout_session_id: Some(session_id),
                    add_on: Some(add_on),
                    selected: Some(selected),
                });
            };
            view! {
                <button
                    type="button"
                    role="checkbox"
                    class=classes("lsc-add-on", class)
                    aria-checked=move || Some(if checked() { "true" } else { "false" })
                    aria-busy=move || update.pending().then_some("true")
                    aria-disabled=move || update.blocked().then_some("true")
                    on:click=on_click
                >
                    <span class="lsc-add-on__box" aria-hidden="true"></span>
                    <span class="lsc-add-on__label">{label}</span>
                </button>
                <ControlAlert checkout control=update.control()/>
            }
        })
    })
    .into_any()
}
