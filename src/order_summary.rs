//! `OrderSummary`: line items, discounts, trial and total of the session.

use leptos::prelude::*;

use crate::labels::{fill, truncate};
use crate::session::{Amount, Session};
use crate::state::{use_checkout_context, CheckoutContext, CheckoutState, Closed, Freshness};
use crate::ui::{classes, missing_provider};

/// Names longer than this (product names, discount names) are cut, with the
/// whole name in the element's `title`.
pub const MAX_NAME_CHARS: usize = 120;

/// A summary of the order that follows the session: each line, the
/// discounts, the trial and the total with its billing interval ("$135.00
/// per year"). During a free trial the total is what is due today ("Due
/// today $0.00"), followed by the first charge after the trial ("Then
/// $150.00 per year after the 14-day trial"). Money is formatted for the
/// session's currency and the labels' locale.
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
        let Some(session) = checkout.session().get() else {
            let closed = checkout.closed();
            let text =
                checkout
                    .labels_ref()
                    .with(|labels| match (closed, checkout.state().get()) {
                        (Some(Closed::Complete), _) => labels.complete.to_string(),
                        (Some(Closed::Expired), _) => labels.expired.to_string(),
                        (Some(Closed::Gone), _) => labels.session_gone.to_string(),
                        (None, CheckoutState::Failed(_)) => labels.unavailable.to_string(),
                        (None, _) => labels.loading.to_string(),
                    });
            return view! { <p class="lsc-summary__loading">{text}</p> }.into_any();
        };
        summary_view(checkout, &session).into_any()
    };
    // Busy while an update runs or the order is being confirmed again.
    let busy = move || {
        checkout.pending().with(Option::is_some)
            || matches!(
                checkout.freshness().get(),
                Freshness::Checking | Freshness::Awaiting
            )
    };
    let stale = move || checkout.freshness().get() != Freshness::Current;
    let title_id = checkout.element_id("lsc-summary-title");
    let labelled_by = title_id.clone();
    view! {
        <section
            class=classes("lsc-summary", class)
            class:lsc-summary--unconfirmed=stale
            aria-labelledby=labelled_by
            aria-busy=move || busy().then_some("true")
        >
            <h2 class="lsc-summary__title" id=title_id>
                {move || checkout.labels_ref().with(|labels| labels.order_summary.to_string())}
            </h2>
            {move || {
                matches!(checkout.freshness().get(), Freshness::Checking | Freshness::Awaiting)
                    .then(|| {
                        view! {
                            <p class="lsc-summary__checking">
                                {checkout.labels_ref().with(|labels| labels.checking.to_string())}
                            </p>
                        }
                    })
            }}
            {body}
        </section>
    }
    .into_any()
}

fn summary_view(checkout: CheckoutContext, session: &Session) -> AnyView {
    // The labels are read in place (`LabelSource`), not copied.
    checkout
        .labels_ref()
        .try_with(|labels| {
            let lines = session
                .line_items
                .iter()
                .map(|item| {
                    let (shown, cut) = truncate(&item.name, MAX_NAME_CHARS);
                    let name = if item.quantity > 1 {
                        format!("{shown} × {}", item.quantity)
                    } else {
                        shown
                    };
                    let title = cut.then(|| item.name.clone());
                    let amount = checkout.money(&item.subtotal);
                    view! {
                        <li class="lsc-summary__line" data-testid="line-item">
                            <span class="lsc-summary__name" title=title>{name}</span>
                            <span class="lsc-summary__amount">{amount}</span>
                        </li>
                    }
                })
                .collect_view();
            let discounts = session
                .discounts()
                .iter()
                .map(|discount| {
                    let (name, cut) = if discount.display_name.is_empty() {
                        (labels.discount.to_string(), false)
                    } else {
                        truncate(&discount.display_name, MAX_NAME_CHARS)
                    };
                    let title = cut.then(|| discount.display_name.clone());
                    let amount = format!(
                        "−{}",
                        checkout.money(&Amount {
                            minor_units_amount: discount.minor_units_amount,
                            amount: discount.amount.clone(),
                        })
                    );
                    view! {
                        <li class="lsc-summary__line lsc-summary__discount" data-testid="discount">
                            <span class="lsc-summary__name" title=title>{name}</span>
                            <span class="lsc-summary__amount">{amount}</span>
                        </li>
                    }
                })
                .collect_view();
            // The selected shipping option, with what it costs.
            #[cfg(feature = "shipping")]
            let shipping = session.shipping.as_ref().map(|shipping| {
                let (name, amount) = crate::shipping_options::name_and_cost(
                    checkout,
                    labels,
                    &shipping.shipping_option,
                );
                view! {
                    <li class="lsc-summary__line lsc-summary__shipping" data-testid="shipping">
                        <span class="lsc-summary__name">{name}</span>
                        <span class="lsc-summary__amount">{amount}</span>
                    </li>
                }
            });
            // The shipping line joins the discounts' (one child of the
            // list: a child of its own costs the subscription build bytes).
            #[cfg(feature = "shipping")]
            let discounts = (discounts, shipping);
            let trial = session.trial().map(|trial| {
                let text = fill(
                    &labels.trial,
                    &[("days", &trial.trial_period_days.to_string())],
                );
                view! { <li class="lsc-summary__line lsc-summary__trial" data-testid="trial">{text}</li> }
            });
            // During a trial the total is what is due today, and the first charge
            // after the trial follows it (`recurring.dueNext`).
            // Otherwise, when the first charge carries one-time items, the next
            // charge follows the total the same way.
            let per = labels.per(session.interval(), session.interval_count());
            let (label, total, after) = match (session.trial_due_next(), session.next_charge_if_different())
            {
                (Some((days, next)), _) => (
                    labels.due_today.to_string(),
                    checkout.money(&session.total.total),
                    next.map(|next| {
                        let then = format!("{}{per}", checkout.money(next));
                        fill(
                            &labels.after_trial,
                            &[("total", &then), ("days", &days.to_string())],
                        )
                    }),
                ),
                (None, Some(next)) => (
                    labels.due_today.to_string(),
                    checkout.money(&session.total.total),
                    Some(fill(
                        &labels.then_next,
                        &[("total", &format!("{}{per}", checkout.money(next)))],
                    )),
                ),
                (None, None) => (
                    labels.total.to_string(),
                    checkout.total_text().unwrap_or_default(),
                    None,
                ),
            };
            let after = after.map(|text| {
                view! { <p class="lsc-summary__next" data-testid="due-next">{text}</p> }
            });
            view! {
                <ul class="lsc-summary__lines">{lines}{discounts}{trial}</ul>
                <p class="lsc-summary__total">
                    <span>{label}</span>
                    <strong data-testid="total">{total}</strong>
                </p>
                {after}
            }
            .into_any()
        })
        .unwrap_or_else(|| ().into_any())
}
