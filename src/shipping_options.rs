//! `ShippingOptions`: the shipping options the merchant's server wrote for
//! the customer's address, as a radio group (feature `shipping`).

use leptos::html;
use leptos::prelude::*;

use crate::labels::{fill, Labels};
use crate::lifecycle::{use_lifecycle, Lifecycle};
use crate::session::{Amount, ShippingOption};
use crate::state::CheckoutContext;
use crate::ui::{classes, missing_provider};
use crate::update_status::ControlAlert;

/// This control's name in the context's `pending` and alert.
const CONTROL: &str = "shipping-option";

/// The session's shipping options (`shippingOptions`), as native radio
/// buttons in a `fieldset` (`role="radiogroup"`, named by its legend): each
/// with its name, its cost ("Free" at 0) and its delivery estimate in
/// business days. Choosing one calls Stripe.js's `updateShippingOption(id)`
/// (every train; docs/research-stripe-js.md §12), one call at a time with
/// the other updates; the selection follows the session (`shipping`), so a
/// choice Stripe.js refuses leaves the one before, and the alert says so.
///
/// Before [`ShippingAddress`](crate::ShippingAddress) has an accepted
/// address (and while one is typed or refused) it offers no option and says
/// to enter an address: the options are the ones of the address the
/// merchant's server accepted.
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! { <CheckoutProvider><ShippingAddress/><ShippingOptions/></CheckoutProvider> }
/// # }
/// ```
#[component]
pub fn ShippingOptions(
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(lifecycle) = use_lifecycle() else {
        missing_provider("ShippingOptions");
        return ().into_any();
    };
    let checkout = lifecycle.context();
    let group = NodeRef::<html::Fieldset>::new();
    let legend_id = checkout.element_id("lsc-shipping-method");
    let name = legend_id.clone();
    let selected = move || {
        checkout.session().with(|session| {
            session
                .as_ref()
                .and_then(|s| s.selected_shipping().map(str::to_owned))
        })
    };
    // The options of the accepted address; none before one.
    let options = move || {
        if checkout.shipping_hold().get() != 0 {
            return Vec::new();
        }
        checkout.session().with(|session| {
            session
                .as_ref()
                .map(|s| s.shipping_options.clone())
                .unwrap_or_default()
        })
    };
    let choose = move |id: String| {
        if checkout.blocked() || untrack(selected).as_deref() == Some(id.as_str()) {
            resync(group, untrack(selected).as_deref());
            return;
        }
        choose_option(lifecycle, id, move || {
            resync(group, untrack(selected).as_deref())
        });
    };
    let labelled_by = legend_id.clone();
    view! {
        <fieldset
            class=classes("lsc-shipping-options", class)
            role="radiogroup"
            aria-labelledby=labelled_by
            aria-busy=move || checkout.pending().with(|p| p.as_deref() == Some(CONTROL)).then_some("true")
            node_ref=group
        >
            <legend id=legend_id class="lsc-shipping-options__legend">
                {move || checkout.labels_ref().with(|l| l.shipping_method.to_string())}
            </legend>
            {move || {
                options()
                    .is_empty()
                    .then(|| {
                        view! {
                            <p class="lsc-shipping-options__hint">
                                {checkout.labels_ref().with(|l| l.shipping_pending.to_string())}
                            </p>
                        }
                    })
            }}
            <For
                each=options
                key=|option| (option.id.clone(), option.minor_units_amount)
                children=move |option| {
                    let id = option.id.clone();
                    let checked_id = id.clone();
                    let (label, cost, estimate) = describe(checkout, &option);
                    view! {
                        <label class="lsc-shipping-option" data-testid="shipping-option">
                            <input
                                type="radio"
                                name=name.clone()
                                value=id.clone()
                                prop:checked=move || selected().as_deref() == Some(checked_id.as_str())
                                on:change=move |_| choose(id.clone())
                            />
                            <span class="lsc-shipping-option__name">{label}</span>
                            <span class="lsc-shipping-option__cost">{cost}</span>
                            {estimate.map(|text| view! { <span class="lsc-shipping-option__estimate">{text}</span> })}
                        </label>
                    }
                }
            />
        </fieldset>
        <ControlAlert checkout control=CONTROL.to_owned()/>
    }
    .into_any()
}

/// An option's name, cost and delivery estimate, in the labels' words.
fn describe(
    checkout: CheckoutContext,
    option: &ShippingOption,
) -> (String, String, Option<String>) {
    checkout.labels_ref().with(|labels| {
        let (name, cost) = name_and_cost(checkout, labels, option);
        // Business days, as the merchant's rates give them; another
        // unit is left unsaid rather than worded wrong.
        let estimate = option.delivery_estimate.as_ref().and_then(|estimate| {
            let days = |bound: &Option<crate::session::Estimate>| {
                bound
                    .as_ref()
                    .filter(|b| b.unit == "business_day" && b.value > 0)
                    .map(|b| b.value)
            };
            let (min, max) = match (days(&estimate.minimum), days(&estimate.maximum)) {
                (Some(min), Some(max)) => (min, max),
                (Some(one), None) | (None, Some(one)) => (one, one),
                (None, None) => return None,
            };
            Some(fill(
                &labels.delivery_days,
                &[("min", &min.to_string()), ("max", &max.to_string())],
            ))
        });
        (name, cost, estimate)
    })
}

/// An option's name ("Shipping" when it has none) and cost ("Free" at 0),
/// as the radio group and the order summary show them.
pub(crate) fn name_and_cost(
    checkout: CheckoutContext,
    labels: &Labels,
    option: &ShippingOption,
) -> (String, String) {
    let name = option
        .display_name
        .clone()
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| labels.shipping.to_string());
    let cost = if option.minor_units_amount == 0 {
        labels.shipping_free.to_string()
    } else {
        checkout.money(&Amount {
            minor_units_amount: option.minor_units_amount,
            amount: option.amount.clone(),
        })
    };
    (name, cost)
}

/// Sets each radio button to the session's selection (after a choice that
/// did not go through, the browser's own state would differ).
#[cfg(not(feature = "ssr"))]
fn resync(group: NodeRef<html::Fieldset>, selected: Option<&str>) {
    use wasm_bindgen::JsCast;
    let Some(group) = group.get_untracked() else {
        return;
    };
    let Ok(inputs) = group.query_selector_all("input[type=radio]") else {
        return;
    };
    for index in 0..inputs.length() {
        if let Some(input) = inputs
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_checked(selected == Some(input.value().as_str()));
        }
    }
}

#[cfg(not(feature = "ssr"))]
fn choose_option(lifecycle: Lifecycle, id: String, after: impl FnOnce() + 'static) {
    use crate::error::CheckoutError;
    use crate::messages::Alert;
    let checkout = lifecycle.context();
    lifecycle.run_as(CONTROL.to_owned(), async move {
        let Some(turn) = lifecycle.take_turn().await else {
            return;
        };
        let failure = match lifecycle.update_shipping_option(&turn, &id).await {
            None => return,
            Some(Ok(Ok(()))) => None,
            Some(Ok(Err(message))) => Some(CheckoutError::Update(message)),
            Some(Err(error)) => Some(error),
        };
        if let Some(error) = failure {
            crate::log::warn(&format!("the shipping option was not selected: {error}"));
            checkout.show_alert(Alert::Failed(error), Some(CONTROL.to_owned()));
        }
        after();
    });
}

#[cfg(feature = "ssr")]
fn resync(_group: NodeRef<html::Fieldset>, _selected: Option<&str>) {}

#[cfg(feature = "ssr")]
fn choose_option(_lifecycle: Lifecycle, _id: String, _after: impl FnOnce() + 'static) {}
