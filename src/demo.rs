//! The demo checkout page that `trunk serve` shows.

use leptos::prelude::*;

use crate::{
    ApplyDiscountButton, CheckoutProvider, OrderSummary, SubscriptionIntervalSwitch, UpdateStatus,
};

/// The demo page: the two seed flows and the order summary.
#[component]
pub fn CheckoutDemo() -> impl IntoView {
    view! {
        <main class="lsc-demo">
            <h1>"Sandbox subscription"</h1>
            <p class="lsc-demo__lead">
                "A Stripe Checkout Session in custom UI mode, changed by the merchant server "
                "through "<code>"checkout.runServerUpdate"</code>"."
            </p>
            <CheckoutProvider>
                <div class="lsc-demo__controls">
                    <SubscriptionIntervalSwitch/>
                    <ApplyDiscountButton/>
                </div>
                <UpdateStatus/>
                <OrderSummary/>
            </CheckoutProvider>
        </main>
    }
}
