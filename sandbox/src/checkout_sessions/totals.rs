//! What a Checkout Session is worth: subtotal, discounts (split over the
//! line items), shipping and total, for this payment and the next invoice.
//!
//! Requests cannot store amounts that overflow (every amount is at most
//! 99,999,999, every quantity at most 999,999, at most 100 items: see
//! [`crate::limits`]), yet all arithmetic here saturates instead of
//! overflowing, so no stored value, however large, can make a read panic.

use crate::model::{Coupon, LineItem, Session};

impl LineItem {
    /// Unit amount × quantity (saturating).
    pub fn subtotal(&self) -> i64 {
        self.price
            .unit_amount
            .saturating_mul(i64::try_from(self.quantity).unwrap_or(i64::MAX))
    }
}

/// Amounts of a session, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Σ unit amount × quantity.
    pub subtotal: i64,
    /// Σ discounts, capped at the subtotal.
    pub discount: i64,
    /// subtotal − discount + shipping.
    pub total: i64,
}

impl Session {
    /// Σ unit amount × quantity (saturating).
    pub fn subtotal(&self) -> i64 {
        sum(self.line_items.iter().map(LineItem::subtotal))
    }

    /// The amount each coupon takes off (in order), never exceeding the subtotal overall.
    pub fn coupon_amounts(&self) -> Vec<i64> {
        coupon_amounts(self.subtotal(), self.discounts.iter())
    }

    /// The selected shipping rate's amount, if any.
    pub fn shipping_amount(&self) -> i64 {
        self.selected_shipping_rate().map_or(0, |r| r.amount)
    }

    /// Subtotal, discount and total (shipping included).
    pub fn totals(&self) -> Totals {
        let subtotal = self.subtotal();
        let discount = sum(self.coupon_amounts());
        Totals {
            subtotal,
            discount,
            total: subtotal
                .saturating_sub(discount)
                .saturating_add(self.shipping_amount()),
        }
    }

    /// The totals of the next invoice (subscriptions): only the recurring
    /// line items ("Line items with one-time Prices will be on the initial
    /// invoice only": API reference, Create a Checkout Session,
    /// `line_items`), and coupons with duration `once` do not apply again.
    pub fn next_totals(&self) -> Totals {
        let subtotal = sum(self
            .line_items
            .iter()
            .filter(|item| item.price.recurring.is_some())
            .map(LineItem::subtotal));
        let discount = sum(coupon_amounts(
            subtotal,
            self.discounts.iter().filter(|c| c.duration != "once"),
        ));
        Totals {
            subtotal,
            discount,
            total: subtotal.saturating_sub(discount),
        }
    }

    /// Splits the session discount over the line items, proportionally to their
    /// subtotals (the last item takes the rounding remainder).
    pub fn item_discounts(&self) -> Vec<i64> {
        let Totals {
            subtotal, discount, ..
        } = self.totals();
        let n = self.line_items.len();
        if n == 0 || subtotal == 0 {
            return vec![0; n];
        }
        let mut left = discount;
        self.line_items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let share = if i + 1 == n {
                    left
                } else {
                    let s =
                        i128::from(discount) * i128::from(item.subtotal()) / i128::from(subtotal);
                    i64::try_from(s).unwrap_or(0)
                };
                left = left.saturating_sub(share);
                share
            })
            .collect()
    }
}

/// The amount one coupon takes off `subtotal`.
pub fn coupon_amount(coupon: &Coupon, subtotal: i64) -> i64 {
    match (coupon.amount_off, coupon.percent_off) {
        (Some(amount), _) => amount,
        (None, Some(percent)) => {
            // Rounded half away from zero; inputs are small enough for f64.
            #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
            let off = (subtotal as f64 * percent / 100.0).round() as i64;
            off
        }
        (None, None) => 0,
    }
}

/// Σ `values`, saturating at the bounds of `i64`.
fn sum(values: impl IntoIterator<Item = i64>) -> i64 {
    values.into_iter().fold(0, i64::saturating_add)
}

fn coupon_amounts<'a>(subtotal: i64, coupons: impl Iterator<Item = &'a Coupon>) -> Vec<i64> {
    let mut left = subtotal.max(0);
    coupons
        .map(|c| {
            let off = coupon_amount(c, subtotal).clamp(0, left);
            left = left.saturating_sub(off);
            off
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::fixtures::{coupon, session};

    #[test]
    fn one_time_items_are_on_the_first_invoice_only() {
        let mut s = session(1, vec![]);
        let mut mug = s.line_items[0].clone();
        mug.id = "li_2".into();
        mug.price.id = "price_mug".into();
        mug.price.unit_amount = 1200;
        mug.price.recurring = None;
        s.line_items.push(mug);
        assert_eq!(s.totals().total, 15000 + 1200);
        assert_eq!(s.next_totals().total, 15000);
    }

    #[test]
    fn totals() {
        let s = session(2, vec![coupon(Some(1500), None)]);
        assert_eq!(
            s.totals(),
            Totals {
                subtotal: 30000,
                discount: 1500,
                total: 28500
            }
        );
        assert_eq!(s.next_totals().discount, 0);
        let s = session(1, vec![coupon(None, Some(12.5))]);
        assert_eq!(s.totals().discount, 1875);
        let s = session(1, vec![coupon(Some(99_999), None)]);
        assert_eq!(s.totals().total, 0);
        assert_eq!(s.item_discounts(), vec![15000]);
    }

    /// Values no request can store any more (they are refused at 99,999,999
    /// and 999,999), should one be stored anyway: every total saturates,
    /// nothing panics, and the renderings still work.
    #[test]
    fn huge_stored_values_saturate() {
        let mut s = session(u64::MAX, vec![coupon(Some(i64::MAX), None)]);
        s.line_items[0].price.unit_amount = i64::MAX;
        let mut second = s.line_items[0].clone();
        second.id = "li_2".into();
        s.line_items.push(second);
        s.shipping_options.push(crate::model::ShippingRate {
            id: "shr_1".into(),
            display_name: "Post".into(),
            amount: i64::MAX,
            currency: "usd".into(),
            created: 0,
            delivery_estimate: None,
        });
        s.trial_period_days = Some(u32::MAX);
        assert_eq!(s.subtotal(), i64::MAX);
        let totals = s.totals();
        assert_eq!(totals.discount, i64::MAX);
        assert_eq!(totals.total, i64::MAX);
        assert_eq!(s.next_totals().total, i64::MAX);
        assert_eq!(
            s.item_discounts()
                .iter()
                .copied()
                .fold(0i64, i64::saturating_add),
            i64::MAX
        );
        let _ = crate::checkout_sessions::render::session(
            &s,
            crate::params::expand::Expand {
                line_items: true,
                discounts: true,
                item_discounts: true,
                shipping_rates: true,
            },
        );
        let _ = crate::payment_pages::client_session::client_session(&s);

        // A percentage of a huge subtotal, and negative stored amounts.
        let mut s = session(u64::MAX, vec![coupon(None, Some(100.0))]);
        s.line_items[0].price.unit_amount = i64::MAX;
        assert_eq!(s.totals().total, 0);
        s.line_items[0].price.unit_amount = i64::MIN;
        s.discounts = vec![coupon(Some(i64::MIN), None)];
        let totals = s.totals();
        assert_eq!((totals.subtotal, totals.discount), (i64::MIN, 0));
        let _ = crate::payment_pages::client_session::client_session(&s);
    }
}
