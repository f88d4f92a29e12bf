//! The widget's one layout, shared by the demo page and `mount()`: the
//! controls, the quantity and the status on one side, the order summary
//! beside them, the payment form below (one column in a narrow container).
//! It carries its own classes (`lsc-layout…`, `lsc-controls`), styled by the
//! widget's stylesheet, so that an embedding page needs no CSS of its own.
//!
//! The optional parts exist only in builds with their cargo feature
//! (`trial`, `quantity`, `payment`); asked for in a build without them, they
//! render nothing (`mount()` refuses them first).

use leptos::prelude::*;

use crate::{ApplyDiscountButton, OrderSummary, SubscriptionIntervalSwitch, UpdateStatus};

/// Which parts a widget shows.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Parts {
    pub(crate) switch: bool,
    pub(crate) discount: bool,
    pub(crate) trial: bool,
    pub(crate) quantity: bool,
    pub(crate) status: bool,
    pub(crate) summary: bool,
    pub(crate) payment: bool,
    pub(crate) confirmation: bool,
}

impl Parts {
    /// Everything this build has (the demo page).
    pub(crate) const ALL: Self = Self {
        switch: true,
        discount: true,
        trial: true,
        quantity: true,
        status: true,
        summary: true,
        payment: true,
        confirmation: true,
    };
}

/// The parts inside a `CheckoutProvider`, laid out.
pub(crate) fn widget(parts: Parts) -> impl IntoView {
    let Parts {
        switch,
        discount,
        trial,
        quantity,
        status,
        summary,
        payment,
        confirmation,
    } = parts;
    let split = summary && (switch || discount || trial || quantity || status || payment);
    view! {
        <div class="lsc-layout" class:lsc-layout--split=split>
            <div class="lsc-layout__main">
                {(switch || discount || trial).then(|| view! {
                    <div class="lsc-controls">
                        {switch.then(|| view! { <SubscriptionIntervalSwitch/> })}
                        {discount.then(|| view! { <ApplyDiscountButton/> })}
                        {trial_offer(trial)}
                    </div>
                })}
                {line_item_quantity(quantity)}
                {status.then(|| view! { <UpdateStatus/> })}
            </div>
            {summary.then(|| view! {
                <div class="lsc-layout__summary"><OrderSummary/></div>
            })}
            {payment_form(payment, confirmation)}
        </div>
    }
}

fn trial_offer(on: bool) -> impl IntoView {
    #[cfg(feature = "trial")]
    {
        on.then(|| view! { <crate::TrialOffer/> })
    }
    #[cfg(not(feature = "trial"))]
    let _ = on;
}

fn line_item_quantity(on: bool) -> impl IntoView {
    #[cfg(feature = "quantity")]
    {
        on.then(|| view! { <crate::LineItemQuantity/> })
    }
    #[cfg(not(feature = "quantity"))]
    let _ = on;
}

fn payment_form(on: bool, confirmation: bool) -> impl IntoView {
    #[cfg(feature = "payment")]
    {
        (on || confirmation).then(|| {
            view! {
                <div class="lsc-layout__pay">
                    {on.then(|| view! { <crate::PaymentForm/> })}
                    {confirmation.then(|| view! { <crate::OrderConfirmation/> })}
                </div>
            }
        })
    }
    #[cfg(not(feature = "payment"))]
    let _ = (on, confirmation);
}
