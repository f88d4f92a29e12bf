//! A monthly/yearly `role="switch"` and a total: Leptos's own share of a
//! widget's size, with no Stripe.js, no fetch and no labels.
use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        let (yearly, set_yearly) = signal(false);
        view! {
            <button
                type="button"
                id="change-subscription-interval"
                role="switch"
                aria-checked=move || if yearly.get() { "true" } else { "false" }
                on:click=move |_| set_yearly.update(|on| *on = !*on)
            >
                {move || if yearly.get() { "Use monthly subscription" } else { "Save with a yearly subscription" }}
            </button>
            <p>{move || if yearly.get() { "$150.00 per year" } else { "$15.00 per month" }}</p>
        }
    })
}
