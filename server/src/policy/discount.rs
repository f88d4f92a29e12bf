//! Which discount a session deserves. The default, [`CustomerDiscountPolicy`],
//! is `calculate_customer_discount` of Stripe's "Dynamically update discounts"
//! guide: 10 % off orders over $100, at most $20.

use super::{Order, PolicyFuture};

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

/// Decides which discount (if any) an order deserves; it may ask the
/// merchant's systems (loyalty, the customer's history) about
/// [`Order::customer`]. An error refuses the update with 503 "try again"
/// and changes nothing.
pub trait DiscountPolicy: Send + Sync {
    /// The discount for `order`, or `None` when it is not eligible.
    fn discount_for<'a>(&'a self, order: &'a Order<'a>) -> PolicyFuture<'a, Option<Discount>>;
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

impl CustomerDiscountPolicy {
    /// The guide's rule for a subtotal (before discounts, so that applying
    /// it twice changes nothing).
    pub fn discount(&self, subtotal: i64, currency: &str) -> Option<Discount> {
        if subtotal <= self.threshold {
            return None;
        }
        let amount_off = (subtotal.saturating_mul(self.percent) / 100).min(self.cap);
        (amount_off > 0).then(|| Discount {
            name: self.name.clone(),
            amount_off,
            currency: currency.to_owned(),
        })
    }
}

impl DiscountPolicy for CustomerDiscountPolicy {
    fn discount_for<'a>(&'a self, order: &'a Order<'a>) -> PolicyFuture<'a, Option<Discount>> {
        let discount = self.discount(order.subtotal, order.currency);
        Box::pin(async move { Ok(discount) })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn ten_percent_over_100_capped_at_20() {
        let policy = CustomerDiscountPolicy::default();
        let d = policy.discount(15_000, "usd").unwrap();
        assert_eq!(
            (d.amount_off, d.currency.as_str(), d.name.as_str()),
            (1_500, "usd", "Customer Discount")
        );
        assert_eq!(policy.discount(25_000, "usd").unwrap().amount_off, 2_000);
        assert_eq!(policy.discount(10_000, "usd"), None, "over, not at");
        assert_eq!(policy.discount(9_000, "usd"), None);
    }
}
