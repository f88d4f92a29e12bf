//! A checkout page rendered on the server and hydrated in the browser.
//!
//! [`CheckoutPage`] is the page's content. The server (`src/main.rs`,
//! feature `ssr`) renders it to HTML with [`render`], so the switch and the
//! summary's shell are in the first response; the browser (feature
//! `hydrate`) loads this crate's wasm and calls [`hydrate`], which takes
//! over that HTML without re-rendering it. Between the two the widget's
//! initial view must be the same; the end-to-end test
//! (`e2e/ssr.test.mjs`) checks that hydration reports no mismatch and that
//! the guides' two flows work afterwards.
#![deny(missing_docs)]

use leptos::prelude::*;
use leptos_stripe_checkout::{
    ApplyDiscountButton, CheckoutProvider, OrderSummary, PaymentForm, SubscriptionIntervalSwitch,
    UpdateStatus,
};

/// The id of the element the page's content is rendered into and hydrated from.
pub const ROOT_ID: &str = "app";

/// The page's content: the guides' four controls and the payment form.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    view! {
        <main class="lsc-demo lsc-demo--narrow">
            <h1>"Server-rendered checkout"</h1>
            <CheckoutProvider>
                <SubscriptionIntervalSwitch/>
                <ApplyDiscountButton/>
                <UpdateStatus/>
                <OrderSummary/>
                <PaymentForm/>
            </CheckoutProvider>
        </main>
    }
}

/// The page's content as HTML, with the markers hydration needs.
#[cfg(feature = "ssr")]
pub fn render() -> String {
    use hydration_context::SsrSharedContext;
    use leptos::tachys::view::RenderHtml;
    use std::sync::Arc;
    let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new())));
    // The owner (and the widget's cleanup) ends with this request's render.
    owner.with(|| view! { <CheckoutPage/> }.to_html())
}

/// Hydrates the server-rendered content of `#app`; called by `hydrate.js`
/// once the wasm is loaded.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    use wasm_bindgen::JsCast;
    let root = document()
        .get_element_by_id(ROOT_ID)
        .and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok());
    if let Some(root) = root {
        leptos::mount::hydrate_from(root, CheckoutPage).forget();
    }
}
