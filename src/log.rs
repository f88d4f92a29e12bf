//! The widget's own console messages: each failure once, in words (never a
//! client secret, never a Rust enum).

/// `console.warn("leptos-stripe-checkout: {text}")`.
pub(crate) fn warn(text: &str) {
    leptos::logging::warn!("leptos-stripe-checkout: {text}");
}

/// `console.error("leptos-stripe-checkout: {text}")`: the widget is misused.
pub(crate) fn error(text: &str) {
    leptos::logging::error!("leptos-stripe-checkout: {text}");
}
