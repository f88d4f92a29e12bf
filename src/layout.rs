//! The widget's one layout, shared by the demo page and `mount()`: the
//! controls, the quantity and the status on one side, the order summary
//! beside them, the payment form below (one column in a narrow container).
//! It carries its own classes (`lsc-layout…`, `lsc-controls`), styled by the
//! widget's stylesheet, so that an embedding page needs no CSS of its own.
//! Which control goes where is each control's [`Slot`] in
//! [`crate::controls`].
//!
//! The optional parts exist only in builds with their cargo feature
//! (`trial`, `quantity`, `payment`); asked for in a build without them, they
//! render nothing (`mount()` refuses them first).

use leptos::prelude::*;

use crate::controls::{Control, Parts, Slot};

/// What `mount()` set on each control, by [`Control`]: a merchant endpoint
/// (`endpoints`), or the Express Checkout Element's options as JSON text.
pub(crate) type Settings = [Option<String>; Control::ALL.len()];

/// The parts inside a `CheckoutProvider`, laid out, each with
/// `settings[control]` when there is one.
pub(crate) fn widget(parts: Parts, settings: &Settings) -> impl IntoView {
    let views = |slot| {
        parts
            .in_slot(slot)
            .map(|c| c.view(settings[c as usize].clone()))
            .collect_view()
    };
    let main = parts.any_in(Slot::Controls) || parts.any_in(Slot::Main) || parts.any_in(Slot::Pay);
    let split = parts.any_in(Slot::Summary) && main;
    view! {
        <div class="lsc-layout" class:lsc-layout--split=split>
            <div class="lsc-layout__main">
                {parts.any_in(Slot::Controls).then(|| view! {
                    <div class="lsc-controls">{views(Slot::Controls)}</div>
                })}
                {views(Slot::Main)}
            </div>
            {parts.any_in(Slot::Summary).then(|| view! {
                <div class="lsc-layout__summary">{views(Slot::Summary)}</div>
            })}
            {payment(parts, views(Slot::Pay))}
        </div>
    }
}

/// The payment form and, on the demo page, the order's confirmation.
fn payment(parts: Parts, form: impl IntoView + 'static) -> impl IntoView {
    #[cfg(feature = "payment")]
    {
        (parts.any_in(Slot::Pay) || parts.confirmation).then(|| {
            view! {
                <div class="lsc-layout__pay">
                    {form}
                    {parts.confirmation.then(|| view! { <crate::OrderConfirmation/> })}
                </div>
            }
        })
    }
    #[cfg(not(feature = "payment"))]
    let _ = (parts, form);
}
