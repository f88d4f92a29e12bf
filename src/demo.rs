//! The demo checkout page that `trunk serve` shows.

use leptos::prelude::*;

use crate::{
    ApplyDiscountButton, CheckoutProvider, LineItemQuantity, OrderConfirmation, OrderSummary,
    PaymentForm, SubscriptionIntervalSwitch, TrialOffer, UpdateStatus,
};

/// The demo page: the seed flows, the sibling guides' controls, the order
/// summary and the payment form.
#[component]
pub fn CheckoutDemo() -> impl IntoView {
    view! {
        <main class="lsc-demo">
            <h1>"Sandbox subscription"</h1>
            <p class="lsc-demo__lead">
                "A Stripe Checkout Session in custom UI mode, changed by the merchant server "
                "through "<code>"runServerUpdate"</code>"."
            </p>
            <CheckoutProvider>
                <div class="lsc-demo__controls">
                    <SubscriptionIntervalSwitch/>
                    <ApplyDiscountButton/>
                    <TrialOffer/>
                </div>
                <LineItemQuantity/>
                <UpdateStatus/>
                <OrderSummary/>
                <PaymentForm/>
                <OrderConfirmation/>
            </CheckoutProvider>
        </main>
    }
}
