//! The guides' page: their four controls — switch, discount, status and
//! summary — and nothing else. The size-focused example
//! (`examples/guides/index.html`), built with `--no-default-features
//! --features csr`, as a merchant who needs only these would build it: no
//! payment form, quantity, trial, `mount()` or extra locales in the wasm.

use leptos::prelude::*;
use leptos_stripe_checkout::{
    ApplyDiscountButton, CheckoutProvider, OrderSummary, SubscriptionIntervalSwitch, UpdateStatus,
};

fn main() {
    let app = document().get_element_by_id("app");
    if let Some(app) = app.and_then(|element| {
        wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(element).ok()
    }) {
        leptos::mount::mount_to(app, || {
            view! {
                <main class="lsc-demo lsc-demo--narrow">
                    <h1>"Sandbox subscription"</h1>
                    <CheckoutProvider>
                        <div class="lsc-controls">
                            <SubscriptionIntervalSwitch/>
                            <ApplyDiscountButton/>
                        </div>
                        <UpdateStatus/>
                        <OrderSummary/>
                    </CheckoutProvider>
                </main>
            }
        })
        .forget();
    }
}
