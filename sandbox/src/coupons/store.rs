//! The coupons of `POST /v1/coupons`, and the one every emulator starts with
//! ([`SEEDED_COUPON`]), by id.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use crate::error::{ApiResult, StripeApiError};
use crate::model::Coupon;

/// The id of the coupon every sandbox starts with: 10 % off, `forever`.
pub const SEEDED_COUPON: &str = "SANDBOX10";

/// At most this many coupons can be created with `POST /v1/coupons`; beyond it
/// the sandbox answers 400 (restart it to start afresh).
pub const MAX_COUPONS: usize = 10_000;

/// The coupons by id.
#[derive(Debug)]
pub struct Coupons(Mutex<HashMap<String, Coupon>>);

impl Default for Coupons {
    /// The seeded coupon alone.
    fn default() -> Self {
        let seeded = Coupon {
            id: SEEDED_COUPON.to_owned(),
            amount_off: None,
            percent_off: Some(10.0),
            currency: None,
            name: Some("Sandbox 10% off".to_owned()),
            duration: "forever".to_owned(),
            duration_in_months: None,
            created: 1_735_689_600,
            metadata: Default::default(),
        };
        Self(Mutex::new(HashMap::from([(seeded.id.clone(), seeded)])))
    }
}

impl Coupons {
    /// A copy of coupon `id`.
    pub fn get(&self, id: &str) -> Option<Coupon> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
            .cloned()
    }

    /// Adds `coupon`: 400 `resource_already_exists` when its id is taken,
    /// 400 past [`MAX_COUPONS`].
    pub fn add(&self, coupon: Coupon) -> ApiResult<()> {
        let mut coupons = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if coupons.contains_key(&coupon.id) {
            return Err(StripeApiError {
                code: Some("resource_already_exists"),
                ..StripeApiError::invalid("id", "Coupon already exists.")
            });
        }
        if coupons.len() >= MAX_COUPONS {
            return Err(StripeApiError::bad_request(format!(
                "The sandbox holds at most {MAX_COUPONS} coupons; restart it to start afresh."
            )));
        }
        coupons.insert(coupon.id.clone(), coupon);
        Ok(())
    }
}
