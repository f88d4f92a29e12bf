//! Which plans may have a free trial.

use checkout_protocol::limits::YEARLY_TRIAL_DAYS;

use super::{Order, PolicyFuture};

/// Decides the free trial (in days) an order's plan may have; it may ask the
/// merchant's systems about [`Order::customer`] (one trial per customer).
/// An error refuses the update with 503 "try again" and changes nothing.
pub trait TrialPolicy: Send + Sync {
    /// The trial for `order`, or `None` when its plan may have no trial.
    fn trial_days<'a>(&'a self, order: &'a Order<'a>) -> PolicyFuture<'a, Option<u32>>;
}

/// A trial of `days` on yearly plans, none on any other plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearlyTrialPolicy {
    /// Trial length (default [`YEARLY_TRIAL_DAYS`], 14).
    pub days: u32,
}

impl Default for YearlyTrialPolicy {
    fn default() -> Self {
        Self {
            days: YEARLY_TRIAL_DAYS,
        }
    }
}

impl YearlyTrialPolicy {
    /// The rule: `days` for a yearly plan, none otherwise.
    pub fn days_for(&self, interval: Option<&str>) -> Option<u32> {
        (interval == Some("year")).then_some(self.days)
    }
}

impl TrialPolicy for YearlyTrialPolicy {
    fn trial_days<'a>(&'a self, order: &'a Order<'a>) -> PolicyFuture<'a, Option<u32>> {
        let days = self.days_for(order.interval);
        Box::pin(async move { Ok(days) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yearly_only() {
        let policy = YearlyTrialPolicy::default();
        assert_eq!(policy.days_for(Some("year")), Some(14));
        assert_eq!(policy.days_for(Some("month")), None);
        assert_eq!(policy.days_for(None), None);
    }
}
