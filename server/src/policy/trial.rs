//! Which plans may have a free trial.

use checkout_protocol::limits::YEARLY_TRIAL_DAYS;

/// A plan as the trial policy sees it: what the session's line items are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan<'a> {
    /// The recurring interval of the subscription (`month`, `year`, …), if any.
    pub interval: Option<&'a str>,
    /// Σ unit amount × quantity, in minor units.
    pub subtotal: i64,
}

/// Decides the free trial (in days) a plan may have.
pub trait TrialPolicy: Send + Sync {
    /// The trial for `plan`, or `None` when the plan may have no trial.
    fn trial_days(&self, plan: &Plan<'_>) -> Option<u32>;
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

impl TrialPolicy for YearlyTrialPolicy {
    fn trial_days(&self, plan: &Plan<'_>) -> Option<u32> {
        (plan.interval == Some("year")).then_some(self.days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yearly_only() {
        let plan = |interval| Plan {
            interval,
            subtotal: 15_000,
        };
        let policy = YearlyTrialPolicy::default();
        assert_eq!(policy.trial_days(&plan(Some("year"))), Some(14));
        assert_eq!(policy.trial_days(&plan(Some("month"))), None);
        assert_eq!(policy.trial_days(&plan(None)), None);
    }
}
