//! Coupon terms as Stripe checks them.

use std::collections::BTreeMap;

use crate::coupons::params::CouponDataIn;
use crate::error::{ApiResult, StripeApiError};
use crate::ids::{now, random_alnum};
use crate::model::Coupon;
use crate::params::{apply_metadata, one_of, parse_amount, parse_positive};

/// Parses coupon terms; `prefix` names the parameters (`discounts[0][coupon_data]`, or `""`
/// for the top-level parameters of `POST /v1/coupons`).
pub fn parse_coupon(
    prefix: &str,
    data: CouponDataIn,
    session_currency: Option<&str>,
) -> ApiResult<Coupon> {
    let param = |field: &str| {
        if prefix.is_empty() {
            field.to_owned()
        } else {
            format!("{prefix}[{field}]")
        }
    };
    let mut metadata = BTreeMap::new();
    apply_metadata(&mut metadata, data.metadata)?;
    let amount_off = data
        .amount_off
        .as_deref()
        .map(|a| parse_amount(a, &param("amount_off"), 1))
        .transpose()?;
    let percent_off = match data.percent_off.as_deref() {
        None => None,
        Some(p) => match p.parse::<f64>() {
            Ok(v) if v > 0.0 && v <= 100.0 => Some(v),
            _ => {
                return Err(StripeApiError::invalid(
                    param("percent_off"),
                    format!(
                        "Invalid percent_off: must be greater than 0 and less than or equal to 100 (got '{p}')."
                    ),
                ))
            }
        },
    };
    let currency = data.currency.map(|c| c.to_ascii_lowercase());
    match (amount_off, percent_off) {
        (Some(_), Some(_)) => {
            return Err(StripeApiError::invalid(
                param("percent_off"),
                "You may only specify one of amount_off and percent_off.",
            ))
        }
        (None, None) => {
            return Err(StripeApiError::invalid(
                param("amount_off"),
                "You must specify either amount_off or percent_off.",
            ))
        }
        (Some(_), None) => match (&currency, session_currency) {
            (None, _) => return Err(StripeApiError::missing(&param("currency"))),
            (Some(c), Some(s)) if c != s => {
                return Err(StripeApiError::invalid(
                    param("currency"),
                    format!(
                        "The coupon currency ({c}) must match the Checkout Session currency ({s})."
                    ),
                ))
            }
            _ => {}
        },
        (None, Some(_)) => {}
    }
    let duration = data.duration.unwrap_or_else(|| "once".to_owned());
    one_of(
        &duration,
        &["once", "forever", "repeating"],
        &param("duration"),
    )?;
    let duration_in_months = match (duration.as_str(), data.duration_in_months) {
        ("repeating", Some(m)) => Some(
            u32::try_from(parse_positive(&m, &param("duration_in_months"))?)
                .map_err(|_| StripeApiError::invalid_integer(&param("duration_in_months"), &m))?,
        ),
        ("repeating", None) => return Err(StripeApiError::missing(&param("duration_in_months"))),
        (_, Some(_)) => {
            return Err(StripeApiError::invalid(
                param("duration_in_months"),
                "duration_in_months can only be used with duration=repeating.",
            ))
        }
        (_, None) => None,
    };
    Ok(Coupon {
        id: random_alnum(8).to_ascii_uppercase(),
        metadata,
        amount_off,
        percent_off,
        currency: if amount_off.is_some() { currency } else { None },
        name: data.name.filter(|n| !n.is_empty()),
        duration,
        duration_in_months,
        created: now(),
    })
}
