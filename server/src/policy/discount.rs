//! Which discount a session deserves. The default, [`CustomerDiscountPolicy`],
//! is `calculate_customer_discount` of Stripe's "Dynamically update discounts"
//! guide: 10 % off orders over $100, at most $20.

use crate::stripe_client::CheckoutSession;

/// An amount-off discount to apply to a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discount {
    /// Display name of the ad-hoc coupon.
    pub name: String,
    /// Amount off, in minor units.
    pub amount_off: i64,
    /// Currency of `amount_off`.
    pub currency: String,
}

/// Decides which discount (if any) a session deserves.
pub trait DiscountPolicy: Send + Sync {
    /// The discount for `session`, or `None` when it is not eligible.
    fn discount_for(&self, session: &CheckoutSession) -> Option<Discount>;
}

/// 10 % off orders over USD 100, at most USD 20 (in minor units), computed on
/// the amount *before* discounts so that applying it twice changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDiscountPolicy {
    /// Orders must exceed this amount (minor units).
    pub threshold: i64,
    /// Percentage off.
    pub percent: i64,
    /// Maximum discount (minor units).
    pub cap: i64,
    /// Coupon display name.
    pub name: String,
}

impl Default for CustomerDiscountPolicy {
    fn default() -> Self {
        Self {
            threshold: 10_000,
            percent: 10,
            cap: 2_000,
            name: "Customer Discount".to_owned(),
        }
    }
}

impl DiscountPolicy for CustomerDiscountPolicy {
    fn discount_for(&self, session: &CheckoutSession) -> Option<Discount> {
        let amount = session.amount_subtotal.or(session.amount_total)?;
        if amount <= self.threshold {
            return None;
        }
        let amount_off = (amount.saturating_mul(self.percent) / 100).min(self.cap);
        (amount_off > 0).then(|| Discount {
            name: self.name.clone(),
            amount_off,
            currency: session.currency.clone().unwrap_or_else(|| "usd".to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn session(subtotal: i64) -> CheckoutSession {
        CheckoutSession {
            id: "cs_test_1".into(),
            currency: Some("usd".into()),
            amount_subtotal: Some(subtotal),
            amount_total: Some(subtotal - 500),
            ..Default::default()
        }
    }

    #[test]
    fn ten_percent_over_100() {
        let d = CustomerDiscountPolicy::default()
            .discount_for(&session(15_000))
            .unwrap();
        assert_eq!(d.amount_off, 1_500);
        assert_eq!(d.currency, "usd");
        assert_eq!(d.name, "Customer Discount");
    }

    #[test]
    fn capped_at_20() {
        let d = CustomerDiscountPolicy::default()
            .discount_for(&session(25_000))
            .unwrap();
        assert_eq!(d.amount_off, 2_000);
    }

    #[test]
    fn not_eligible_at_or_below_100() {
        assert_eq!(
            CustomerDiscountPolicy::default().discount_for(&session(9_000)),
            None
        );
        assert_eq!(
            CustomerDiscountPolicy::default().discount_for(&session(10_000)),
            None
        );
    }

    #[test]
    fn uses_amount_before_discounts() {
        // 15000 subtotal with an existing 1500 discount still yields 1500.
        let mut s = session(15_000);
        s.amount_total = Some(13_500);
        let d = CustomerDiscountPolicy::default().discount_for(&s).unwrap();
        assert_eq!(d.amount_off, 1_500);
    }
}
