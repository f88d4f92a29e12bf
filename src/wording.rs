//! How the order's money reads: amounts in the session's currency and the
//! labels' locale, and the total in words ("$135.00 per year", "$0.00 due
//! today, then $150.00 per year after the 14-day trial"). Typed values in,
//! the labels' words out, at display time.

use crate::labels::{fill, Labels};
use crate::money::format_money;
use crate::session::{Amount, Session};

/// `amount` of `session`, formatted for the labels' locale.
pub(crate) fn money(session: &Session, amount: &Amount, labels: &Labels) -> String {
    format_money(
        amount,
        &session.currency,
        session.minor_units_amount_divisor,
        &labels.locale,
    )
}

/// The order's total as it stood at one moment (what an announcement or an
/// alert is about): the session then, worded when it is shown.
#[derive(Clone, Debug)]
pub(crate) struct Total(Box<Session>);

impl Total {
    /// The total of `session`.
    pub(crate) fn of(session: &Session) -> Self {
        Self(Box::new(session.clone()))
    }

    /// The total in words, in `labels`' language (see [`total_line`]).
    pub(crate) fn text(&self, labels: &Labels) -> String {
        total_text(&self.0, labels)
    }
}

/// The total of `session` in words, in `labels`' language (see [`total_line`]).
pub(crate) fn total_text(session: &Session, labels: &Labels) -> String {
    let money = |amount: &Amount| money(session, amount, labels);
    let trial = session
        .trial_due_next()
        .map(|(days, next)| (days, next.map(money)));
    total_line(
        labels,
        &money(&session.total.total),
        session.interval(),
        trial,
    )
}

/// The total in words: `"{today}{per}"` ("$135.00 per year"); during a
/// trial, `total_in_trial` ("$0.00 due today, then $150.00 per year after
/// the 14-day trial"), or "Due today $0.00" when Stripe.js gave no
/// `dueNext`. Never a bare "$0.00 per year".
pub(crate) fn total_line(
    labels: &Labels,
    today: &str,
    interval: Option<&str>,
    trial: Option<(i64, Option<String>)>,
) -> String {
    match trial {
        None => format!("{today}{}", labels.per(interval)),
        Some((days, Some(next))) => fill(
            &labels.total_in_trial,
            &[
                ("today", today),
                ("total", &format!("{next}{}", labels.per(interval))),
                ("days", &days.to_string()),
            ],
        ),
        Some((_, None)) => format!("{} {today}", labels.due_today),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_trial_total_says_today_and_then() {
        let en = Labels::en();
        assert_eq!(
            total_line(&en, "$135.00", Some("year"), None),
            "$135.00 per year"
        );
        assert_eq!(
            total_line(
                &en,
                "$0.00",
                Some("year"),
                Some((14, Some("$150.00".into())))
            ),
            "$0.00 due today, then $150.00 per year after the 14-day trial"
        );
        assert_eq!(
            total_line(&en, "$0.00", Some("year"), Some((14, None))),
            "Due today $0.00"
        );
        for labels in [Labels::fr(), Labels::ja()] {
            let text = total_line(&labels, "0", Some("year"), Some((14, Some("150".into()))));
            assert!(
                text.contains('0') && text.contains("150") && text.contains("14"),
                "{text}"
            );
            assert!(!text.contains('{'), "{text}");
        }
    }

    #[test]
    fn a_total_is_worded_when_shown() {
        let session = Session::from_json(
            r#"{"id":"cs_test_1","currency":"usd","minorUnitsAmountDivisor":100,
               "total":{"total":{"minorUnitsAmount":13500,"amount":"$135.00"}},
               "recurring":{"interval":"year","intervalCount":1}}"#,
        )
        .unwrap();
        let total = Total::of(&session);
        assert_eq!(total.text(&Labels::en()), "$135.00 per year");
        assert_ne!(total.text(&Labels::fr()), total.text(&Labels::en()));
    }
}
