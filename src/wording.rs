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
    let per = labels.per(session.interval(), session.interval_count());
    let next = session.next_charge_if_different().map(money);
    total_line(labels, &money(&session.total.total), &per, trial, next)
}

/// The total in words: `"{today}{per}"` ("$135.00 per year", `per` from
/// [`Labels::per`]); during a trial, `total_in_trial` ("$0.00 due today,
/// then $150.00 per year after the 14-day trial"), or "Due today $0.00"
/// when Stripe.js gave no `dueNext`; when the next charge differs from
/// today's (`next`: one-time items on the first invoice),
/// `total_then_next` ("$96.00 due today, then $84.00 every 3 months").
/// Never a bare "$0.00 per year".
pub(crate) fn total_line(
    labels: &Labels,
    today: &str,
    per: &str,
    trial: Option<(i64, Option<String>)>,
    next: Option<String>,
) -> String {
    match (trial, next) {
        (Some((days, Some(next))), _) => fill(
            &labels.total_in_trial,
            &[
                ("today", today),
                ("total", &format!("{next}{per}")),
                ("days", &days.to_string()),
            ],
        ),
        (Some((_, None)), _) => format!("{} {today}", labels.due_today),
        (None, Some(next)) => fill(
            &labels.total_then_next,
            &[("today", today), ("total", &format!("{next}{per}"))],
        ),
        (None, None) => format!("{today}{per}"),
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
            total_line(&en, "$135.00", &en.per(Some("year"), 1), None, None),
            "$135.00 per year"
        );
        assert_eq!(
            total_line(
                &en,
                "$0.00",
                &en.per(Some("year"), 1),
                Some((14, Some("$150.00".into()))),
                None
            ),
            "$0.00 due today, then $150.00 per year after the 14-day trial"
        );
        assert_eq!(
            total_line(
                &en,
                "$0.00",
                &en.per(Some("year"), 1),
                Some((14, None)),
                None
            ),
            "Due today $0.00"
        );
        for labels in [Labels::fr(), Labels::ja()] {
            let text = total_line(
                &labels,
                "0",
                &labels.per(Some("year"), 1),
                Some((14, Some("150".into()))),
                None,
            );
            assert!(
                text.contains('0') && text.contains("150") && text.contains("14"),
                "{text}"
            );
            assert!(!text.contains('{'), "{text}");
        }
    }

    #[test]
    fn intervals_of_several_units_and_a_first_charge_with_one_time_items() {
        let en = Labels::en();
        assert_eq!(en.per(Some("month"), 3), " every 3 months");
        assert_eq!(Labels::fr().per(Some("month"), 3), " tous les 3 mois");
        assert_eq!(Labels::ja().per(Some("week"), 2), "／2週間ごと");
        let session = Session::from_json(
            r#"{"id":"cs_test_1","currency":"usd","minorUnitsAmountDivisor":100,
               "total":{"total":{"minorUnitsAmount":9600,"amount":"$96.00"}},
               "lineItems":[
                 {"id":"li_1","recurring":{"interval":"month","intervalCount":3}},
                 {"id":"li_2","recurring":null}],
               "recurring":{"interval":"month","intervalCount":3,
                 "dueNext":{"total":{"minorUnitsAmount":8400,"amount":"$84.00"}}}}"#,
        )
        .unwrap();
        assert_eq!(
            Total::of(&session).text(&en),
            "$96.00 due today, then $84.00 every 3 months"
        );
        // Without one-time items the total is the plan's (a discount applied
        // once says nothing of the next charge here).
        let plan_only = Session::from_json(
            r#"{"id":"cs_test_1","currency":"usd","minorUnitsAmountDivisor":100,
               "total":{"total":{"minorUnitsAmount":13500,"amount":"$135.00"}},
               "lineItems":[{"id":"li_1","recurring":{"interval":"year","intervalCount":1}}],
               "recurring":{"interval":"year","intervalCount":1,
                 "dueNext":{"total":{"minorUnitsAmount":15000,"amount":"$150.00"}}}}"#,
        )
        .unwrap();
        assert_eq!(Total::of(&plan_only).text(&en), "$135.00 per year");
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
