//! `LineItemQuantity`: − / + for one line item's quantity, on the server.

use leptos::prelude::*;

use crate::labels::fill;
use crate::labels::truncate;
use crate::ui::classes;
use checkout_protocol::bodies::{Quantity, UpdateQuantityRequest};

use crate::server_update::use_component_update;
use crate::update_status::ControlAlert;

/// Default merchant endpoint.
pub const QUANTITY_ENDPOINT: &str = checkout_protocol::endpoints::UPDATE_LINE_ITEM_QUANTITY;
/// Default largest quantity when the line item does not say.
pub const DEFAULT_MAX_QUANTITY: i64 = checkout_protocol::limits::MAX_QUANTITY as i64;

/// Decrease and increase buttons around a line item's quantity, which POST
/// `{checkout_session_id, line_item_id, quantity}` to the merchant's
/// `/update-line-item-quantity`. The server checks the bounds; the buttons
/// are disabled at them (the line item's `adjustableQuantity`, else 1..=10).
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! { <CheckoutProvider><LineItemQuantity/></CheckoutProvider> }
/// # }
/// ```
#[component]
pub fn LineItemQuantity(
    /// The line item (`li_...`); default: the first line of the order.
    #[prop(optional, into)]
    line_item_id: MaybeProp<String>,
    /// Merchant endpoint (default `/update-line-item-quantity`).
    #[prop(optional, into)]
    endpoint: MaybeProp<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(update) = use_component_update("LineItemQuantity", endpoint, QUANTITY_ENDPOINT) else {
        return ().into_any();
    };
    let checkout = update.context();
    // (id, name, quantity, minimum, maximum) of the line item shown. A
    // closure, not a `Memo` (see the interval switch).
    let item = move || {
        let wanted = line_item_id.get();
        checkout.session().with(|session| {
            let session = session.as_ref()?;
            let item = match &wanted {
                Some(id) => session.line_items.iter().find(|item| &item.id == id),
                None => session.line_items.first(),
            }?;
            let (minimum, maximum) = item
                .adjustable_quantity
                .as_ref()
                .map(|bounds| (bounds.minimum.max(1), bounds.maximum))
                .unwrap_or((1, DEFAULT_MAX_QUANTITY));
            Some((
                item.id.clone(),
                item.name.clone(),
                item.quantity,
                minimum,
                maximum,
            ))
        })
    };
    let change = move |delta: i64| {
        if let Some((id, _, quantity, minimum, maximum)) = untrack(item) {
            let next = quantity.saturating_add(delta);
            if (minimum..=maximum).contains(&next) {
                let quantity = u64::try_from(next).map_or(Quantity::Invalid, Quantity::Valid);
                update.run_request(move |session_id| UpdateQuantityRequest {
                    checkout_session_id: Some(session_id),
                    line_item_id: Some(id),
                    quantity,
                });
            }
        }
    };
    // The product's name in the labels (cut when over-long); none while
    // the order is loading or could not load.
    let name = move || {
        item()
            .map(|(_, name, ..)| truncate(&name, crate::order_summary::MAX_NAME_CHARS).0)
            .filter(|name| !name.trim().is_empty())
    };
    let quantity = move || item().map(|(_, _, quantity, ..)| quantity.to_string());
    let at_min = move || item().is_none_or(|(_, _, q, min, _)| q <= min);
    let at_max = move || item().is_none_or(|(_, _, q, _, max)| q >= max);
    let label = move |named: fn(&crate::Labels) -> &str, plain: fn(&crate::Labels) -> &str| {
        checkout.labels_ref().with(|labels| match name() {
            Some(name) => fill(named(labels), &[("name", &name)]),
            None => plain(labels).to_owned(),
        })
    };
    view! {
        <div
            class=classes("lsc-quantity", class)
            role="group"
            aria-label=move || Some(label(|l| &l.quantity_of, |l| &l.quantity))
            aria-busy=move || update.pending().then_some("true")
        >
            // What it counts, visibly: the line item's name ("Quantity"
            // while the order loads).
            <span class="lsc-quantity__name">
                {move || name().unwrap_or_else(|| checkout.labels_ref().with(|l| l.quantity.to_string()))}
            </span>
            <button
                type="button"
                class="lsc-quantity__step"
                aria-label=move || Some(label(|l| &l.decrease_quantity, |l| &l.decrease))
                aria-disabled=move || (update.blocked() || at_min()).then_some("true")
                on:click=move |_| change(-1)
            >
                "−"
            </button>
            // Not a live region: the status region says the new quantity
            // and total once.
            <span class="lsc-quantity__value" data-testid="quantity">{quantity}</span>
            <button
                type="button"
                class="lsc-quantity__step"
                aria-label=move || Some(label(|l| &l.increase_quantity, |l| &l.increase))
                aria-disabled=move || (update.blocked() || at_max()).then_some("true")
                on:click=move |_| change(1)
            >
                "+"
            </button>
        </div>
        <ControlAlert checkout control=update.control()/>
    }
    .into_any()
}
