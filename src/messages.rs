//! What the widget tells the customer, typed: the alert (what went wrong;
//! also the email field's refusal) and the polite announcement (what
//! changed). They hold what happened, not
//! words; the words come from the labels when they are shown, so that code
//! asks what is shown with `matches!`, never by comparing texts.

use crate::error::CheckoutError;
use crate::labels::{fill, Labels};
use crate::session::Session;
use crate::wording::Total;

/// What went wrong, as the alert region says it (the `Email…` variants
/// show under the email field instead).
#[derive(Clone, Debug)]
pub(crate) enum Alert {
    /// A failure: the labels' words for it, or a merchant server's own
    /// message when it sent no code the labels know
    /// ([`CheckoutError::customer_message_in`]).
    Failed(CheckoutError),
    /// The session could not be read again (`Labels::sync_failed`).
    SyncFailed,
    /// Stripe.js stopped waiting for an update that may still land
    /// (`Labels::update_slow`).
    UpdateSlow,
    /// The card was declined (`Labels::payment_declined`).
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    PaymentDeclined,
    /// The payment failed for another reason (`Labels::payment_failed`).
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    PaymentFailed,
    /// Pay was pressed while Stripe.js cannot confirm
    /// (`Labels::payment_incomplete`).
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    PaymentIncomplete,
    /// The order changed before payment; nothing was charged
    /// (`Labels::total_changed`, with the total now).
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    TotalChanged(Option<Total>),
    /// The email field: Stripe.js's `incompleteEmail`
    /// (`Labels::email_incomplete`), shown under the field.
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    EmailIncomplete,
    /// The email field: Stripe.js's `invalidEmail` or another refusal
    /// (`Labels::email_invalid`).
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    EmailInvalid,
    /// The email field: `updateEmail` failed (`Labels::email_failed`).
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    EmailNotSaved,
    /// Pay was pressed before an accepted shipping address and option
    /// (`Labels::shipping_incomplete`; feature `shipping`).
    #[cfg(feature = "shipping")]
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    ShippingIncomplete,
}

impl Alert {
    /// The alert in `labels`' words.
    pub(crate) fn text(&self, labels: &Labels) -> String {
        match self {
            Self::Failed(error) => error.customer_message_in(labels),
            Self::SyncFailed => labels.sync_failed.to_string(),
            Self::UpdateSlow => labels.update_slow.to_string(),
            Self::PaymentDeclined => labels.payment_declined.to_string(),
            Self::PaymentFailed => labels.payment_failed.to_string(),
            Self::PaymentIncomplete => labels.payment_incomplete.to_string(),
            Self::TotalChanged(total) => {
                let total = total.as_ref().map(|total| total.text(labels));
                fill(
                    &labels.total_changed,
                    &[("total", total.as_deref().unwrap_or(""))],
                )
            }
            Self::EmailIncomplete => labels.email_incomplete.to_string(),
            Self::EmailInvalid => labels.email_invalid.to_string(),
            Self::EmailNotSaved => labels.email_failed.to_string(),
            #[cfg(feature = "shipping")]
            Self::ShippingIncomplete => labels.shipping_incomplete.to_string(),
        }
    }
}

/// What the polite status region says.
#[derive(Clone, Debug)]
pub(crate) enum Announcement {
    /// An update changed the total (`Labels::total_now`).
    TotalNow(Total),
    /// An update changed the quantity (`Labels::quantity_now`).
    QuantityNow {
        /// The new quantity.
        quantity: i64,
        /// The total after it.
        total: Total,
    },
    /// An update added a trial (`Labels::trial_now`).
    TrialNow {
        /// Its length.
        days: i64,
        /// The total after it.
        total: Total,
    },
    /// A re-read found the order changed elsewhere (`Labels::order_updated`).
    OrderUpdated(Total),
    /// The merchant server has the paid order (`Labels::order_confirmed`).
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    OrderConfirmed,
    /// It did not say so in time (`Labels::order_confirmation_late`).
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    OrderConfirmationLate,
}

impl Announcement {
    /// What changed between two sessions, as the announcement after an
    /// update: a trial added, else a quantity changed, else the total.
    pub(crate) fn change(before: Option<&Session>, after: &Session) -> Self {
        let total = Total::of(after);
        let trial_added = after.trial().map(|trial| trial.trial_period_days);
        let trial_before = before.and_then(|b| b.trial().map(|trial| trial.trial_period_days));
        if let (Some(days), None) = (trial_added, trial_before) {
            return Self::TrialNow { days, total };
        }
        let quantity = |s: &Session| s.line_items.first().map(|item| item.quantity);
        match (before.and_then(quantity), quantity(after)) {
            (Some(old), Some(new)) if old != new => Self::QuantityNow {
                quantity: new,
                total,
            },
            _ => Self::TotalNow(total),
        }
    }

    /// Whether it tells the outcome of `OrderConfirmation`.
    pub(crate) fn is_confirmation(&self) -> bool {
        matches!(self, Self::OrderConfirmed | Self::OrderConfirmationLate)
    }

    /// The announcement in `labels`' words.
    pub(crate) fn text(&self, labels: &Labels) -> String {
        match self {
            Self::TotalNow(total) => fill(&labels.total_now, &[("total", &total.text(labels))]),
            Self::QuantityNow { quantity, total } => fill(
                &labels.quantity_now,
                &[
                    ("quantity", &quantity.to_string()),
                    ("total", &total.text(labels)),
                ],
            ),
            Self::TrialNow { days, total } => fill(
                &labels.trial_now,
                &[("days", &days.to_string()), ("total", &total.text(labels))],
            ),
            Self::OrderUpdated(total) => {
                fill(&labels.order_updated, &[("total", &total.text(labels))])
            }
            Self::OrderConfirmed => labels.order_confirmed.to_string(),
            Self::OrderConfirmationLate => labels.order_confirmation_late.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn session(quantity: i64, total: i64, trial: Option<i64>) -> Session {
        let trial = trial
            .map(|days| format!(r#","trial":{{"trialPeriodDays":{days}}}"#))
            .unwrap_or_default();
        Session::from_json(&format!(
            r#"{{"id":"cs_test_1","currency":"usd","status":{{"type":"open"}},
               "lineItems":[{{"id":"li_1","name":"Plan","quantity":{quantity}}}],
               "total":{{"total":{{"minorUnitsAmount":{total},"amount":"${total}"}}}},
               "recurring":{{"interval":"year","intervalCount":1{trial}}}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn a_change_says_what_changed() {
        let en = Labels::en();
        let one = session(1, 150, None);
        let change = Announcement::change(Some(&one), &session(2, 300, None));
        assert!(matches!(
            change,
            Announcement::QuantityNow { quantity: 2, .. }
        ));
        assert!(change.text(&en).contains("$300"), "{}", change.text(&en));
        let change = Announcement::change(Some(&one), &session(1, 0, Some(14)));
        assert!(matches!(change, Announcement::TrialNow { days: 14, .. }));
        let change = Announcement::change(Some(&one), &session(1, 135, None));
        assert!(matches!(change, Announcement::TotalNow(_)));
        assert!(!change.is_confirmation());
        assert!(Announcement::OrderConfirmed.is_confirmation());
    }

    #[test]
    fn alerts_are_worded_in_the_labels_language() {
        let fr = Labels::fr();
        assert_eq!(Alert::SyncFailed.text(&fr), fr.sync_failed);
        assert_eq!(
            Alert::Failed(CheckoutError::Network("Failed to fetch".into())).text(&fr),
            fr.network_error
        );
        let changed = Alert::TotalChanged(Some(Total::of(&session(1, 135, None)))).text(&fr);
        assert!(changed.contains("$135"), "{changed}");
        assert!(!changed.contains('{'), "{changed}");
    }
}
