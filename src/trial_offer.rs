//! `TrialOffer`: asks the merchant server for its free trial on yearly plans.

use leptos::prelude::*;

use crate::labels::fill;
use crate::ui::classes;
use checkout_protocol::bodies::SessionRequest;

use crate::server_update::use_component_update;
use crate::update_status::ControlAlert;

/// Default merchant endpoint.
pub const TRIAL_ENDPOINT: &str = checkout_protocol::endpoints::EXTEND_TRIAL_FOR_YEARLY;

/// A button that POSTs `{checkout_session_id}` to the merchant's
/// `/extend-trial-for-yearly`. It is offered on yearly plans; once the
/// session has a trial it says so and is disabled (`aria-disabled`).
///
/// It renders nothing when the merchant server's `/config` lists `previews`
/// without `"trials"`: trials on update are a Stripe private preview, and
/// such a server answers 404 to the endpoint. A server that sends no list
/// (one of your own) gets the offer. Nothing is logged for it.
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! { <CheckoutProvider><TrialOffer/></CheckoutProvider> }
/// # }
/// ```
#[component]
pub fn TrialOffer(
    /// Element id (default `extend-trial`; with a prefix for the second and
    /// later widgets on a page).
    #[prop(optional, into)]
    id: MaybeProp<String>,
    /// Merchant endpoint (default `/extend-trial-for-yearly`).
    #[prop(optional, into)]
    endpoint: MaybeProp<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(update) = use_component_update("TrialOffer", endpoint, TRIAL_ENDPOINT) else {
        return ().into_any();
    };
    let checkout = update.context();
    // A closure, not a `Memo` (see the interval switch).
    let state = move || {
        checkout.session().with(|session| {
            session.as_ref().map(|s| {
                (
                    s.is_yearly(),
                    s.trial().map(|trial| trial.trial_period_days),
                )
            })
        })
    };
    let trial_days = move || state().and_then(|(_, days)| days);
    let offered = move || state().is_some_and(|(yearly, _)| yearly);
    let unavailable = move || !offered() || trial_days().is_some() || update.blocked();
    let text = move || {
        checkout.labels_ref().with(|labels| match trial_days() {
            Some(days) => fill(&labels.trial_added, &[("days", &days.to_string())]),
            None => labels.trial_offer.to_string(),
        })
    };
    let previewed = move || crate::previews::offered(checkout, crate::previews::TRIALS);
    // A closure, not `<Show>` (see the interval switch).
    (move || {
        previewed().then(|| {
            view! {
                <button
                    type="button"
                    id=move || Some(id.get().unwrap_or_else(|| checkout.element_id("extend-trial")))
                    class=classes("lsc-button lsc-button--secondary", class)
                    hidden=move || !offered()
                    aria-busy=move || update.pending().then_some("true")
                    aria-disabled=move || unavailable().then_some("true")
                    on:click=move |_| {
                        if untrack(move || offered() && trial_days().is_none()) {
                            update.run_request(|session_id| SessionRequest {
                                checkout_session_id: Some(session_id),
                            });
                        }
                    }
                >
                    {text}
                </button>
                <ControlAlert checkout control=update.control()/>
            }
        })
    })
    .into_any()
}
