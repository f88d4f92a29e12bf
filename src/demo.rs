//! The demo checkout page that `./scripts/dev.sh` serves: the widget's one layout
//! (the same tree as `mount()`), with every part this build has.

use leptos::prelude::*;

use crate::controls::Parts;
use crate::layout::widget;
use crate::CheckoutProvider;

/// The demo page: the seed flows, the sibling guides' controls, the order
/// summary beside the payment form.
#[component]
pub fn CheckoutDemo() -> impl IntoView {
    view! {
        <main class="lsc-demo">
            <h1>"Sandbox subscription"</h1>
            <p class="lsc-demo__lead">
                "A Stripe Checkout Session in custom UI mode, changed by the merchant server "
                "through "<code>"runServerUpdate"</code>"."
            </p>
            <CheckoutProvider>{widget(Parts::all(), &Default::default())}</CheckoutProvider>
        </main>
    }
}
