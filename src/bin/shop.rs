//! The shop page: a payment-mode checkout of a physical product, with an
//! add-on (gift wrap) and shipping priced by the merchant's server for the
//! customer's address (Stripe's shipping options and payment amounts
//! guides). Built with `--features csr,shop` (`examples/shop/index.html`)
//! and served by a `checkout-server` whose catalogue has `[shipping]` and
//! `[[add_ons]]` (`examples/shops/goods.toml`; `./scripts/dev.sh` runs it
//! beside the subscription demo).

use leptos::prelude::*;
use leptos_stripe_checkout::{
    AddOn, CheckoutProvider, LineItemQuantity, OrderConfirmation, OrderSummary, PaymentForm,
    ShippingAddress, ShippingOptions, UpdateStatus,
};

fn main() {
    let app = document().get_element_by_id("app");
    if let Some(app) = app.and_then(|element| {
        wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(element).ok()
    }) {
        leptos::mount::mount_to(app, || {
            view! {
                <main class="lsc-demo">
                    <h1>"Sandbox shop"</h1>
                    <p class="lsc-demo__lead">
                        "A payment-mode Checkout Session: the merchant server prices the add-on "
                        "and the shipping for your address through "<code>"runServerUpdate"</code>"."
                    </p>
                    <CheckoutProvider>
                        <div class="lsc-layout lsc-layout--split">
                            <div class="lsc-layout__main">
                                <div class="lsc-controls">
                                    <AddOn add_on="gift-wrap"/>
                                </div>
                                <LineItemQuantity/>
                                <ShippingAddress/>
                                <ShippingOptions/>
                                <UpdateStatus/>
                            </div>
                            <div class="lsc-layout__summary">
                                <OrderSummary/>
                            </div>
                            <div class="lsc-layout__pay">
                                <PaymentForm/>
                                <OrderConfirmation/>
                            </div>
                        </div>
                    </CheckoutProvider>
                </main>
            }
        })
        .forget();
    }
}
