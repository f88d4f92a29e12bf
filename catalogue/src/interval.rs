//! A recurring interval as Stripe has them (`day`, `week`, `month`, `year`
//! with an `interval_count`), and its name in the catalogue and on the wire
//! (`interval` of `/change-subscription-interval`): `daily`, `weekly`,
//! `monthly`, `quarterly` (3 months), `yearly`, or `every-<n>-<unit>s`
//! (`every-6-months`).

use std::fmt;

/// A unit of a recurring interval (Stripe's `recurring.interval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntervalUnit {
    /// `day`.
    Day,
    /// `week`.
    Week,
    /// `month`.
    Month,
    /// `year`.
    Year,
}

impl IntervalUnit {
    /// Stripe's name (`recurring.interval`).
    pub fn as_str(self) -> &'static str {
        match self {
            IntervalUnit::Day => "day",
            IntervalUnit::Week => "week",
            IntervalUnit::Month => "month",
            IntervalUnit::Year => "year",
        }
    }

    /// The unit of Stripe's name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "day" => Some(IntervalUnit::Day),
            "week" => Some(IntervalUnit::Week),
            "month" => Some(IntervalUnit::Month),
            "year" => Some(IntervalUnit::Year),
            _ => None,
        }
    }

    /// Stripe's longest interval in this unit: "Maximum of three years
    /// interval allowed (3 years, 36 months, or 156 weeks)" (API reference,
    /// `recurring.interval_count`); days are bounded the same way (1095).
    pub fn max_count(self) -> u32 {
        match self {
            IntervalUnit::Day => 1095,
            IntervalUnit::Week => 156,
            IntervalUnit::Month => 36,
            IntervalUnit::Year => 3,
        }
    }
}

/// A recurring interval: `count` × `unit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Interval {
    /// The unit.
    pub unit: IntervalUnit,
    /// How many units between charges (1 to [`IntervalUnit::max_count`]).
    pub count: u32,
}

impl Interval {
    /// Monthly.
    pub const MONTHLY: Interval = Interval {
        unit: IntervalUnit::Month,
        count: 1,
    };
    /// Yearly.
    pub const YEARLY: Interval = Interval {
        unit: IntervalUnit::Year,
        count: 1,
    };

    /// The interval of Stripe's `recurring` (`interval`, `interval_count`).
    pub fn from_stripe(unit: &str, count: u32) -> Option<Self> {
        let unit = IntervalUnit::parse(unit)?;
        (1..=unit.max_count())
            .contains(&count)
            .then_some(Interval { unit, count })
    }

    /// Its name (see the module's documentation).
    pub fn name(self) -> String {
        match (self.unit, self.count) {
            (IntervalUnit::Day, 1) => "daily".to_owned(),
            (IntervalUnit::Week, 1) => "weekly".to_owned(),
            (IntervalUnit::Month, 1) => "monthly".to_owned(),
            (IntervalUnit::Month, 3) => "quarterly".to_owned(),
            (IntervalUnit::Year, 1) => "yearly".to_owned(),
            (unit, count) => format!("every-{count}-{}s", unit.as_str()),
        }
    }

    /// The interval a name names.
    pub fn parse(name: &str) -> Option<Self> {
        let named = |unit, count| Some(Interval { unit, count });
        match name {
            "daily" => named(IntervalUnit::Day, 1),
            "weekly" => named(IntervalUnit::Week, 1),
            "monthly" => named(IntervalUnit::Month, 1),
            "quarterly" => named(IntervalUnit::Month, 3),
            "yearly" => named(IntervalUnit::Year, 1),
            _ => {
                let rest = name.strip_prefix("every-")?;
                let (count, unit) = rest.split_once('-')?;
                let unit = unit.strip_suffix('s')?;
                let interval = Self::from_stripe(unit, count.parse().ok()?)?;
                // One spelling per interval: `every-1-months` is `monthly`.
                (interval.name() == name).then_some(interval)
            }
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn names_round_trip_and_have_one_spelling() {
        for name in [
            "daily",
            "weekly",
            "monthly",
            "quarterly",
            "yearly",
            "every-6-months",
            "every-2-weeks",
            "every-3-years",
        ] {
            assert_eq!(Interval::parse(name).unwrap().name(), name);
        }
        for bad in [
            "every-1-months",
            "every-3-months",
            "every-37-months",
            "every-0-days",
            "every-2-fortnights",
            "Monthly",
            "",
        ] {
            assert_eq!(Interval::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Interval::from_stripe("month", 3),
            Interval::parse("quarterly")
        );
        assert_eq!(Interval::from_stripe("year", 4), None);
    }
}
