//! `OrderSummary`: line items, discounts, trial and total of the session.

use leptos::prelude::*;

use crate::labels::fill;
use crate::provider::{
    classes, missing_provider, use_checkout_context, CheckoutContext, CheckoutState,
};
use crate::session::{Amount, Session};

/// A summary of the order that follows the session: each line, the
/// discounts, the trial and the total with its billing interval ("$135.00
/// per year"). Money is formatted for the session's currency and the labels'
/// locale.
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! { <CheckoutProvider><OrderSummary class="my-summary"/></CheckoutProvider> }
/// # }
/// ```
#[component]
pub fn OrderSummary(
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Ok(checkout) = use_checkout_context() else {
        missing_provider("OrderSummary");
        return ().into_any();
    };
    let body = move || {
        let Some(session) = checkout.session.get() else {
            let text = checkout.labels.with(|labels| match checkout.state.get() {
                CheckoutState::Failed(_) => labels.unavailable.clone(),
                _ => labels.loading.clone(),
            });
            return view! { <p class="lsc-summary__loading">{text}</p> }.into_any();
        };
        summary_view(checkout, &session).into_any()
    };
    view! {
        <section
            class=classes("lsc-summary", class)
            aria-labelledby="lsc-summary-title"
            aria-busy=move || checkout.pending.with(Option::is_some).then_some("true")
        >
            <h2 class="lsc-summary__title" id="lsc-summary-title">
                {move || checkout.labels.with(|labels| labels.order_summary.clone())}
            </h2>
            {body}
        </section>
    }
    .into_any()
}

fn summary_view(checkout: CheckoutContext, session: &Session) -> impl IntoView {
    let labels = checkout.labels.get();
    let lines = session
        .line_items
        .iter()
        .map(|item| {
            let name = if item.quantity > 1 {
                format!("{} × {}", item.name, item.quantity)
            } else {
                item.name.clone()
            };
            let amount = checkout.money(&item.subtotal);
            view! {
                <li class="lsc-summary__line" data-testid="line-item">
                    <span>{name}</span>
                    <span>{amount}</span>
                </li>
            }
        })
        .collect_view();
    let discounts = session
        .discounts()
        .iter()
        .map(|discount| {
            let name = if discount.display_name.is_empty() {
                labels.discount.clone()
            } else {
                discount.display_name.clone()
            };
            let amount = format!(
                "−{}",
                checkout.money(&Amount {
                    minor_units_amount: discount.minor_units_amount,
                    amount: discount.amount.clone(),
                })
            );
            view! {
                <li class="lsc-summary__line lsc-summary__discount" data-testid="discount">
                    <span>{name}</span>
                    <span>{amount}</span>
                </li>
            }
        })
        .collect_view();
    let trial = session.trial().map(|trial| {
        let text = fill(
            &labels.trial,
            &[("days", &trial.trial_period_days.to_string())],
        );
        view! { <li class="lsc-summary__line lsc-summary__trial" data-testid="trial">{text}</li> }
    });
    let total = checkout.total_text().unwrap_or_default();
    view! {
        <ul class="lsc-summary__lines">{lines}{discounts}{trial}</ul>
        <p class="lsc-summary__total">
            <span>{labels.total.clone()}</span>
            <strong data-testid="total">{total}</strong>
        </p>
    }
}
