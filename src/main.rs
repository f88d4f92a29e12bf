//! Mounts the demo checkout page.

fn main() {
    leptos::mount::mount_to_body(leptos_stripe_checkout::CheckoutDemo);
}
