//! What Stripe allows on a Checkout Session, without HTTP: permissions,
//! `ui_mode` per API version, trials, discounts, line items and shipping.

mod line_items;
mod shipping;

pub(crate) use line_items::{check_items, resolve_line_items};
pub(crate) use shipping::{
    parse_allowed_countries, parse_collected_information, parse_shipping_options,
};

use axum::http::StatusCode;
use serde_json::Value;

use crate::checkout_sessions::params::DiscountIn;
use crate::checkout_sessions::Sessions;
use crate::coupons::rules::parse_coupon;
use crate::error::{ApiResult, StripeApiError};
use crate::middleware::version::ApiVersion;
use crate::model::Session;
use crate::params::{emptyable_list, one_of, parse_positive};

pub(crate) fn permission(value: Option<String>, param: &str) -> ApiResult<String> {
    let value = value.unwrap_or_else(|| "client_only".to_owned());
    one_of(&value, &["client_only", "server_only"], param)?;
    Ok(value)
}

/// Checks `ui_mode` against the request's API version: `custom` before
/// dahlia, `elements` from dahlia on (the sandbox serves no other UI mode).
pub(crate) fn check_ui_mode(ui_mode: &str, version: &ApiVersion) -> ApiResult<()> {
    let (allowed, other) = if version.is_dahlia_or_later() {
        ("elements", "custom")
    } else {
        ("custom", "elements")
    };
    if ui_mode == allowed {
        return Ok(());
    }
    let message = if ui_mode == other {
        format!(
            "Invalid ui_mode: `{ui_mode}` is not available in API version {}; use `{allowed}`.",
            version.date
        )
    } else {
        format!(
            "The sandbox only supports ui_mode={allowed} in this API version (got '{ui_mode}')."
        )
    };
    Err(StripeApiError::invalid("ui_mode", message))
}

/// Parses `subscription_data[trial_period_days]`: `""` → `None` (remove), else 1..=730.
pub(crate) fn parse_trial_days(days: &str) -> ApiResult<Option<u32>> {
    const PARAM: &str = "subscription_data[trial_period_days]";
    if days.is_empty() {
        return Ok(None);
    }
    let n = parse_positive(days, PARAM)?;
    if n > 730 {
        return Err(StripeApiError::invalid(
            PARAM,
            "The maximum number of trial period days is 730 (2 years).",
        ));
    }
    u32::try_from(n)
        .map(Some)
        .map_err(|_| StripeApiError::invalid_integer(PARAM, days))
}

pub(crate) fn require_server_only(value: &str, param: &str) -> ApiResult<()> {
    if value == "server_only" {
        Ok(())
    } else {
        Err(StripeApiError::invalid(
            param,
            format!(
                "To update {param} from your server, create the Checkout Session with \
                 permissions[update_{param}]=server_only."
            ),
        ))
    }
}

pub(crate) fn apply_discounts(
    state: &Sessions,
    session: &mut Session,
    value: Value,
) -> ApiResult<()> {
    let list = emptyable_list(
        value,
        "discounts",
        "discounts must be a list, or an empty string to remove all discounts.",
    )?
    .unwrap_or_default();
    if list.len() > 1 {
        return Err(StripeApiError::invalid(
            "discounts",
            "You may only specify one discount on a Checkout Session.",
        ));
    }
    let mut next = Vec::with_capacity(list.len());
    for (i, entry) in list.into_iter().enumerate() {
        let entry: DiscountIn = serde_json::from_value(entry).map_err(|e| {
            StripeApiError::invalid(format!("discounts[{i}]"), format!("Invalid discount: {e}"))
        })?;
        match (entry.coupon, entry.coupon_data) {
            (Some(_), Some(_)) => {
                return Err(StripeApiError::invalid(
                    format!("discounts[{i}][coupon_data]"),
                    "You may only specify one of these parameters: coupon, coupon_data.",
                ))
            }
            (Some(id), None) => {
                // Coupons of `POST /v1/coupons` (and the seeded one), or one already on this session.
                let found = state
                    .coupons
                    .get(&id)
                    .or_else(|| session.discounts.iter().find(|c| c.id == id).cloned());
                let Some(existing) = found else {
                    return Err(StripeApiError::resource_missing(
                        StatusCode::BAD_REQUEST,
                        &format!("discounts[{i}][coupon]"),
                        format!("No such coupon: '{id}'"),
                    ));
                };
                if let (Some(cur), Some(session_cur)) = (&existing.currency, &session.currency) {
                    if cur != session_cur {
                        return Err(StripeApiError::invalid(
                            format!("discounts[{i}][coupon]"),
                            format!(
                                "The coupon currency ({cur}) must match the Checkout Session currency ({session_cur})."
                            ),
                        ));
                    }
                }
                next.push(existing);
            }
            (None, Some(data)) => next.push(parse_coupon(
                &format!("discounts[{i}][coupon_data]"),
                data,
                session.currency.as_deref(),
            )?),
            (None, None) => {
                return Err(StripeApiError::missing(&format!("discounts[{i}][coupon]")))
            }
        }
    }
    session.discounts = next;
    Ok(())
}

pub(crate) fn not_open(session: &Session) -> StripeApiError {
    StripeApiError::bad_request(format!(
        "This Checkout Session is {} and can no longer be updated.",
        session.status.as_str()
    ))
}
