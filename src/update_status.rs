//! `UpdateStatus`: the `role="alert"` region for failures.

use leptos::prelude::*;

use crate::provider::{missing_provider, use_checkout, CheckoutState};

/// An alert region that shows why the last update (or loading) failed.
///
/// It is always in the page, empty when there is nothing to say, so screen
/// readers announce a message when it appears. Messages are rendered as text.
#[component]
pub fn UpdateStatus(
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(checkout) = use_checkout() else {
        missing_provider("UpdateStatus");
        return ().into_any();
    };
    let message = move || {
        checkout.error.get().or_else(|| match checkout.state.get() {
            CheckoutState::Failed(error) => Some(error.customer_message()),
            _ => None,
        })
    };
    view! {
        <div
            role="alert"
            class=move || format!("lsc-status {}", class.get().unwrap_or_default())
            data-testid="update-status"
        >
            {message}
        </div>
    }
    .into_any()
}
