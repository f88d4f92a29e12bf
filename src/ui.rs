//! Small helpers every component uses: its `class` attribute, the message
//! for a component placed outside a provider, a timer, and moving focus to
//! the first usable control. Nothing here knows the checkout's state.
//!
//! One convention every component keeps, for the wasm's size: a reactive
//! attribute returns `Option<&'static str>` (a fixed value such as
//! `aria-busy="true"`, or none) or `Option<String>` (a computed one: `id`,
//! `aria-label`, `lang`), never a bare `&str` or `String`. Leptos compiles
//! its render code once per value type; each type left out took 0.2–0.6 KB
//! gzip off a page (docs/weight.md). (A text that may be empty stays an
//! `Option<String>`: an empty text node does not survive the server's HTML,
//! so hydration would not find it.)

use leptos::html;
use leptos::prelude::*;

/// The `class` attribute of a component: its own classes, then the `class` prop's.
pub(crate) fn classes(base: &'static str, extra: MaybeProp<String>) -> impl Fn() -> String {
    move || match extra.get() {
        Some(extra) if !extra.is_empty() => format!("{base} {extra}"),
        _ => base.to_owned(),
    }
}

/// Logs that `component` was used outside a `<CheckoutProvider>`.
pub(crate) fn missing_provider(component: &str) {
    crate::log::error(&format!(
        "<{component}/> must be placed inside a <CheckoutProvider>."
    ));
}

/// Runs `f` after `ms` milliseconds (never off the browser).
///
/// Leptos's own `set_timeout` (a `setTimeout` with a Rust closure), kept:
/// it is already in the build, and gloo-timers would be a dependency for the
/// same call (see `order_confirmation.rs`'s `sleep` for its measured cost).
pub(crate) fn after_ms(ms: i32, f: impl FnOnce() + 'static) {
    #[cfg(not(feature = "ssr"))]
    leptos::prelude::set_timeout(
        f,
        std::time::Duration::from_millis(u64::try_from(ms).unwrap_or(0)),
    );
    #[cfg(feature = "ssr")]
    let _ = (ms, f);
}

/// Moves focus to the first control inside `root` that can be used, unless
/// the customer already put it somewhere else on the page.
pub(crate) fn focus_first_control(root: NodeRef<html::Div>) {
    #[cfg(not(feature = "ssr"))]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let Some(root) = root.try_get_untracked().flatten() else {
            return;
        };
        let active = document().active_element();
        let lost = active.as_ref().is_none_or(|element| {
            element.tag_name().eq_ignore_ascii_case("body") || root.contains(Some(element))
        });
        if !lost {
            return;
        }
        let Ok(candidates) = root.query_selector_all(
            "button:not([hidden]):not([aria-disabled=true]), input:not([disabled])",
        ) else {
            return;
        };
        for index in 0..candidates.length() {
            let Some(element) = candidates
                .item(index)
                .and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                continue;
            };
            // Rendered (not inside something hidden).
            if element.offset_parent().is_some() {
                let _ = element.focus();
                return;
            }
        }
    });
    #[cfg(feature = "ssr")]
    let _ = root;
}
