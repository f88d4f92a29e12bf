//! The sandbox's in-memory state: the price catalog and the Checkout Sessions,
//! with their totals. Updates are applied atomically, one after the other.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use rand::distr::{Alphanumeric, SampleString};

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `len` random alphanumeric characters.
pub fn random_alnum(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

/// A new id `<prefix>_<random>`.
pub fn new_id(prefix: &str, len: usize) -> String {
    format!("{prefix}_{}", random_alnum(len))
}

/// Recurring terms of a price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurring {
    /// `day`, `week`, `month` or `year`.
    pub interval: String,
    /// Intervals between charges.
    pub interval_count: u32,
}

/// A catalog price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    /// `price_...`.
    pub id: String,
    /// `prod_...`.
    pub product: String,
    /// Product name (line item description).
    pub product_name: String,
    /// Unit amount, minor units.
    pub unit_amount: i64,
    /// Lowercase currency code.
    pub currency: String,
    /// `None` for one-time prices.
    pub recurring: Option<Recurring>,
    /// Creation time.
    pub created: i64,
    /// Catalog prices are active; prices made from `price_data` are not (as on Stripe).
    pub active: bool,
}

/// The sandbox price catalog: the monthly and yearly subscription prices.
pub fn catalog() -> Vec<Price> {
    let created = 1_735_689_600; // 2025-01-01
    vec![
        Price {
            id: "price_sandbox_monthly".to_owned(),
            product: "prod_sandbox_subscription".to_owned(),
            product_name: "Sandbox subscription (monthly)".to_owned(),
            unit_amount: 1_500,
            currency: "usd".to_owned(),
            recurring: Some(Recurring {
                interval: "month".to_owned(),
                interval_count: 1,
            }),
            created,
            active: true,
        },
        Price {
            id: "price_sandbox_yearly".to_owned(),
            product: "prod_sandbox_subscription".to_owned(),
            product_name: "Sandbox subscription (yearly)".to_owned(),
            unit_amount: 15_000,
            currency: "usd".to_owned(),
            recurring: Some(Recurring {
                interval: "year".to_owned(),
                interval_count: 1,
            }),
            created,
            active: true,
        },
    ]
}

/// A line item of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItem {
    /// `li_...`.
    pub id: String,
    /// The price.
    pub price: Price,
    /// Quantity (≥ 1).
    pub quantity: u64,
}

impl LineItem {
    /// Unit amount × quantity.
    pub fn subtotal(&self) -> i64 {
        self.price
            .unit_amount
            .saturating_mul(i64::try_from(self.quantity).unwrap_or(i64::MAX))
    }
}

/// A shipping rate made from `shipping_options[N][shipping_rate_data]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingRate {
    /// `shr_...`.
    pub id: String,
    /// Shown to the customer.
    pub display_name: String,
    /// Fixed amount, minor units.
    pub amount: i64,
    /// Currency of `amount`.
    pub currency: String,
    /// Creation time.
    pub created: i64,
}

/// A coupon created from `coupon_data` or `POST /v1/coupons`.
#[derive(Debug, Clone, PartialEq)]
pub struct Coupon {
    /// Coupon id.
    pub id: String,
    /// Amount off (minor units), with `currency`.
    pub amount_off: Option<i64>,
    /// Percent off, in (0, 100].
    pub percent_off: Option<f64>,
    /// Currency of `amount_off`.
    pub currency: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// `once`, `forever` or `repeating`.
    pub duration: String,
    /// Months, for `repeating`.
    pub duration_in_months: Option<u32>,
    /// Creation time.
    pub created: i64,
    /// Metadata.
    pub metadata: BTreeMap<String, String>,
}

/// Session status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Open for updates and payment.
    Open,
    /// Paid.
    Complete,
    /// Expired.
    Expired,
}

impl Status {
    /// The API string.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Complete => "complete",
            Status::Expired => "expired",
        }
    }
}

/// `client_only` / `server_only` update permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permissions {
    /// Who may update line items.
    pub update_line_items: String,
    /// Who may update discounts.
    pub update_discounts: String,
}

/// A Checkout Session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// `cs_test_...`.
    pub id: String,
    /// `<id>_secret_<random>`.
    pub client_secret: String,
    /// Creation time.
    pub created: i64,
    /// Expiry (+24 h).
    pub expires_at: i64,
    /// `payment`, `subscription` or `setup`.
    pub mode: String,
    /// Always `custom` here.
    pub ui_mode: String,
    /// open / complete / expired.
    pub status: Status,
    /// `unpaid`, `paid` or `no_payment_required`.
    pub payment_status: String,
    /// Currency (from the prices), if any.
    pub currency: Option<String>,
    /// The cart.
    pub line_items: Vec<LineItem>,
    /// Applied coupons.
    pub discounts: Vec<Coupon>,
    /// Update permissions.
    pub permissions: Permissions,
    /// Return URL.
    pub return_url: String,
    /// Metadata.
    pub metadata: BTreeMap<String, String>,
    /// `client_reference_id`.
    pub client_reference_id: Option<String>,
    /// `customer_email`.
    pub customer_email: Option<String>,
    /// `subscription_data[trial_period_days]`.
    pub trial_period_days: Option<u32>,
    /// Shipping options (payment mode); the first one is the selected one.
    pub shipping_options: Vec<ShippingRate>,
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
    /// Σ unit amount × quantity.
    pub fn subtotal(&self) -> i64 {
        self.line_items.iter().map(LineItem::subtotal).sum()
    }

    /// The amount each coupon takes off (in order), never exceeding the subtotal overall.
    pub fn coupon_amounts(&self) -> Vec<i64> {
        coupon_amounts(self.subtotal(), self.discounts.iter())
    }

    /// The selected shipping rate's amount (the first option), if any.
    pub fn shipping_amount(&self) -> i64 {
        self.shipping_options.first().map_or(0, |r| r.amount)
    }

    /// Subtotal, discount and total (shipping included).
    pub fn totals(&self) -> Totals {
        let subtotal = self.subtotal();
        let discount: i64 = self.coupon_amounts().iter().sum();
        Totals {
            subtotal,
            discount,
            total: subtotal - discount + self.shipping_amount(),
        }
    }

    /// Marks the session expired when its `expires_at` has passed.
    pub fn refresh_status(&mut self, now: i64) {
        if self.status == Status::Open && now >= self.expires_at {
            self.status = Status::Expired;
        }
    }

    /// The totals of the next invoice (subscriptions): coupons with duration
    /// `once` do not apply again.
    pub fn next_totals(&self) -> Totals {
        let subtotal = self.subtotal();
        let discount: i64 = coupon_amounts(
            subtotal,
            self.discounts.iter().filter(|c| c.duration != "once"),
        )
        .iter()
        .sum();
        Totals {
            subtotal,
            discount,
            total: subtotal - discount,
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
                left -= share;
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

fn coupon_amounts<'a>(subtotal: i64, coupons: impl Iterator<Item = &'a Coupon>) -> Vec<i64> {
    let mut left = subtotal.max(0);
    coupons
        .map(|c| {
            let off = coupon_amount(c, subtotal).clamp(0, left);
            left -= off;
            off
        })
        .collect()
}

/// Default cap on stored sessions (see [`Store::with_limits`]).
pub const DEFAULT_MAX_SESSIONS: usize = 100_000;

/// How long an expired session stays retrievable (with `status: expired`)
/// before it is evicted.
pub const EXPIRED_RETENTION_SECS: i64 = 3600;

#[derive(Debug, Default)]
struct Sessions {
    by_id: HashMap<String, Session>,
    /// Ids in creation order (all sessions share one TTL, so this is also
    /// expiry order). May hold ids already evicted.
    order: VecDeque<String>,
}

/// Sessions by id, bounded: expired sessions are evicted
/// [`EXPIRED_RETENTION_SECS`] after `expires_at` (swept on every insert), and
/// when the store holds `max_sessions`, inserting evicts the oldest session.
#[derive(Debug)]
pub struct Store {
    sessions: Mutex<Sessions>,
    max_sessions: usize,
}

impl Default for Store {
    fn default() -> Self {
        Self::with_limits(DEFAULT_MAX_SESSIONS)
    }
}

impl Store {
    /// A store holding at most `max_sessions` sessions (at least 1).
    pub fn with_limits(max_sessions: usize) -> Self {
        Self {
            sessions: Mutex::new(Sessions::default()),
            max_sessions: max_sessions.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Sessions> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Number of stored sessions.
    pub fn len(&self) -> usize {
        self.lock().by_id.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stores a new session, first evicting long-expired sessions and, at the
    /// cap, the oldest ones. Returns how many sessions were evicted.
    pub fn insert(&self, session: Session) -> usize {
        let now = now();
        let mut guard = self.lock();
        let sessions = &mut *guard;
        let mut evicted = 0;
        while let Some(front) = sessions.order.front() {
            let stale = match sessions.by_id.get(front) {
                None => true,
                Some(s) => {
                    sessions.by_id.len() >= self.max_sessions
                        || now >= s.expires_at.saturating_add(EXPIRED_RETENTION_SECS)
                }
            };
            if !stale {
                break;
            }
            if let Some(id) = sessions.order.pop_front() {
                if sessions.by_id.remove(&id).is_some() {
                    evicted += 1;
                }
            }
        }
        sessions.order.push_back(session.id.clone());
        sessions.by_id.insert(session.id.clone(), session);
        evicted
    }

    /// A copy of the session `id` (with its status brought up to date).
    pub fn get(&self, id: &str) -> Option<Session> {
        let now = now();
        let mut sessions = self.lock();
        let session = sessions.by_id.get_mut(id)?;
        session.refresh_status(now);
        Some(session.clone())
    }

    /// Applies `f` to a copy of session `id` and stores the copy only if `f`
    /// succeeds, all under the lock: updates are atomic and serialized.
    /// `Ok(None)` means no such session.
    pub fn update<E>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Session) -> Result<(), E>,
    ) -> Result<Option<Session>, E> {
        let now = now();
        let mut sessions = self.lock();
        let Some(current) = sessions.by_id.get_mut(id) else {
            return Ok(None);
        };
        current.refresh_status(now);
        let mut next = current.clone();
        f(&mut next)?;
        *current = next.clone();
        Ok(Some(next))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn session(quantity: u64, coupons: Vec<Coupon>) -> Session {
        let price = catalog().remove(1);
        Session {
            id: "cs_test_x".into(),
            client_secret: "cs_test_x_secret_y".into(),
            created: 0,
            expires_at: now() + 3600,
            mode: "subscription".into(),
            ui_mode: "custom".into(),
            status: Status::Open,
            payment_status: "unpaid".into(),
            currency: Some("usd".into()),
            line_items: vec![LineItem {
                id: "li_1".into(),
                price,
                quantity,
            }],
            discounts: coupons,
            permissions: Permissions {
                update_line_items: "server_only".into(),
                update_discounts: "server_only".into(),
            },
            return_url: "http://x".into(),
            metadata: BTreeMap::new(),
            client_reference_id: None,
            customer_email: None,
            trial_period_days: None,
            shipping_options: Vec::new(),
        }
    }

    fn coupon(amount_off: Option<i64>, percent_off: Option<f64>) -> Coupon {
        Coupon {
            id: "c".into(),
            amount_off,
            percent_off,
            currency: amount_off.map(|_| "usd".into()),
            name: None,
            duration: "once".into(),
            duration_in_months: None,
            created: 0,
            metadata: BTreeMap::new(),
        }
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

    #[test]
    fn atomic_update() {
        let store = Store::default();
        store.insert(session(1, vec![]));
        let r: Result<_, &str> = store.update("cs_test_x", |s| {
            s.line_items.clear();
            Err("nope")
        });
        assert!(r.is_err());
        assert_eq!(store.get("cs_test_x").unwrap().line_items.len(), 1);
        let r: Result<_, &str> = store.update("cs_test_missing", |_| Ok(()));
        assert_eq!(r, Ok(None));
    }

    #[test]
    fn expiry_and_cap() {
        let store = Store::with_limits(2);
        let mut old = session(1, vec![]);
        old.id = "cs_test_old".into();
        old.expires_at = now() - EXPIRED_RETENTION_SECS - 1;
        store.insert(old);
        let mut expired = session(1, vec![]);
        expired.id = "cs_test_expired".into();
        expired.expires_at = now() - 1;
        assert_eq!(store.insert(expired), 1, "long-expired session evicted");
        assert_eq!(
            store.get("cs_test_expired").unwrap().status,
            Status::Expired
        );
        let mut a = session(1, vec![]);
        a.id = "cs_test_a".into();
        a.expires_at = now() + 100;
        store.insert(a);
        let mut b = session(1, vec![]);
        b.id = "cs_test_b".into();
        b.expires_at = now() + 100;
        assert_eq!(store.insert(b), 1, "at the cap the oldest goes");
        assert!(store.get("cs_test_expired").is_none());
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn ids() {
        let id = new_id("cs_test", 58);
        assert!(id.starts_with("cs_test_"));
        assert_eq!(id.len(), 8 + 58);
    }
}
