//! Mounts the demo checkout page into `#app` (pages without one, such as
//! `examples/embed.html`, use the `mount` export instead).

fn main() {
    let app = leptos::prelude::document().get_element_by_id("app");
    if let Some(app) = app.and_then(|element| {
        wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(element).ok()
    }) {
        leptos::mount::mount_to(app, leptos_stripe_checkout::CheckoutDemo).forget();
    }
}
