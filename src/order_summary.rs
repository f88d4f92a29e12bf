//! `OrderSummary`: line items, discount and total of the session.

use leptos::prelude::*;

use crate::provider::{missing_provider, use_checkout, CheckoutState};
use crate::session::{Amount, Session};

/// "per month", "per year", ... for a billing interval.
fn per_interval(interval: Option<&str>) -> &'static str {
    match interval {
        Some("day") => " per day",
        Some("week") => " per week",
        Some("month") => " per month",
        Some("year") => " per year",
        _ => "",
    }
}

/// An amount as text: Stripe.js's formatted string, else minor units / 100.
fn money(amount: &Amount, currency: &str) -> String {
    if amount.amount.is_empty() {
        let units = amount.minor_units_amount;
        let sign = if units < 0 { "-" } else { "" };
        let units = units.unsigned_abs();
        format!(
            "{sign}{}.{:02} {}",
            units / 100,
            units % 100,
            currency.to_uppercase()
        )
    } else {
        amount.amount.clone()
    }
}

/// A summary of the order that follows the session: each line, the discount
/// and the total with its billing interval ("$135.00 per year").
#[component]
pub fn OrderSummary(
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(checkout) = use_checkout() else {
        missing_provider("OrderSummary");
        return ().into_any();
    };
    let body = move || {
        let Some(session) = checkout.session.get() else {
            return match checkout.state.get() {
                CheckoutState::Failed(_) => {
                    view! { <p>"Your order is not available."</p> }.into_any()
                }
                _ => view! { <p class="lsc-summary__loading">"Loading your order…"</p> }.into_any(),
            };
        };
        summary_view(&session).into_any()
    };
    view! {
        <section
            class=move || format!("lsc-summary {}", class.get().unwrap_or_default())
            aria-label="Order summary"
            aria-busy=move || checkout.pending.with(Option::is_some).then_some("true")
        >
            <h2 class="lsc-summary__title">"Order summary"</h2>
            {body}
        </section>
    }
    .into_any()
}

fn summary_view(session: &Session) -> impl IntoView {
    let currency = session.currency.clone();
    let per = per_interval(session.interval());
    let lines = session
        .line_items
        .iter()
        .map(|item| {
            let name = if item.quantity > 1 {
                format!("{} × {}", item.name, item.quantity)
            } else {
                item.name.clone()
            };
            let amount = money(&item.subtotal, &currency);
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
                "Discount".to_owned()
            } else {
                discount.display_name.clone()
            };
            let amount = format!(
                "−{}",
                money(
                    &Amount {
                        minor_units_amount: discount.minor_units_amount,
                        amount: discount.amount.clone(),
                    },
                    &currency,
                )
            );
            view! {
                <li class="lsc-summary__line lsc-summary__discount" data-testid="discount">
                    <span>{name}</span>
                    <span>{amount}</span>
                </li>
            }
        })
        .collect_view();
    let total = format!("{}{per}", money(&session.total.total, &currency));
    view! {
        <ul class="lsc-summary__lines">{lines}{discounts}</ul>
        <p class="lsc-summary__total">
            <span>"Total"</span>
            <strong data-testid="total">{total}</strong>
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_prefers_the_formatted_amount() {
        let amount = Amount {
            minor_units_amount: 15000,
            amount: "$150.00".into(),
        };
        assert_eq!(money(&amount, "usd"), "$150.00");
        let raw = Amount {
            minor_units_amount: -1505,
            amount: String::new(),
        };
        assert_eq!(money(&raw, "eur"), "-15.05 EUR");
        let extreme = Amount {
            minor_units_amount: i64::MIN,
            amount: String::new(),
        };
        assert!(money(&extreme, "usd").starts_with('-'));
    }

    #[test]
    fn intervals() {
        assert_eq!(per_interval(Some("year")), " per year");
        assert_eq!(per_interval(Some("month")), " per month");
        assert_eq!(per_interval(None), "");
        assert_eq!(per_interval(Some("fortnight")), "");
    }
}
