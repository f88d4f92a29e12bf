//! Parameters of the coupon endpoints and of `coupon_data`.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
/// Coupon terms: `coupon_data` of a session discount, or the body of `POST /v1/coupons`.
pub struct CouponDataIn {
    /// `amount_off`.
    pub amount_off: Option<String>,
    /// `currency`.
    pub currency: Option<String>,
    /// `percent_off`.
    pub percent_off: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `duration`.
    pub duration: Option<String>,
    /// `duration_in_months`.
    pub duration_in_months: Option<String>,
    /// `metadata`.
    pub metadata: Option<Value>,
}

/// `POST /v1/coupons` parameters (the subset the sandbox supports).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCouponParams {
    /// `id`.
    pub id: Option<String>,
    /// `amount_off`.
    pub amount_off: Option<String>,
    /// `currency`.
    pub currency: Option<String>,
    /// `percent_off`.
    pub percent_off: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `duration`.
    pub duration: Option<String>,
    /// `duration_in_months`.
    pub duration_in_months: Option<String>,
    /// `metadata`.
    pub metadata: Option<Value>,
    /// `expand`.
    pub expand: Option<Vec<String>>,
}
