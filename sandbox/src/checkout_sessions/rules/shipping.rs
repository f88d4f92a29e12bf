//! `shipping_options`: at most five fixed-amount rates, payment mode only.

use axum::http::StatusCode;
use serde_json::Value;

use crate::checkout_sessions::params::ShippingOptionIn;
use crate::error::{ApiResult, StripeApiError};
use crate::ids::{new_id, now};
use crate::model::ShippingRate;
use crate::params::{emptyable_list, one_of, parse_amount};

/// Parses emptyable `shipping_options` (`""` clears; at most 5; payment mode only).
pub(crate) fn parse_shipping_options(
    value: Value,
    mode: &str,
    currency: Option<&str>,
    existing: &[ShippingRate],
) -> ApiResult<Vec<ShippingRate>> {
    let Some(list) = emptyable_list(
        value,
        "shipping_options",
        "shipping_options must be a list, or an empty string to remove them.",
    )?
    else {
        return Ok(Vec::new());
    };
    if mode != "payment" {
        return Err(StripeApiError::invalid(
            "shipping_options",
            "shipping_options can only be used in `payment` mode.",
        ));
    }
    if list.len() > 5 {
        return Err(StripeApiError::invalid(
            "shipping_options",
            "You may only specify up to 5 shipping options.",
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, entry) in list.into_iter().enumerate() {
        let param = |field: &str| format!("shipping_options[{i}][{field}]");
        let entry: ShippingOptionIn = serde_json::from_value(entry).map_err(|e| {
            StripeApiError::invalid(
                format!("shipping_options[{i}]"),
                format!("Invalid shipping option: {e}"),
            )
        })?;
        match (entry.shipping_rate, entry.shipping_rate_data) {
            (Some(_), Some(_)) => return Err(StripeApiError::invalid(
                param("shipping_rate_data"),
                "You may only specify one of these parameters: shipping_rate, shipping_rate_data.",
            )),
            (Some(id), None) => {
                let Some(rate) = existing.iter().find(|r| r.id == id) else {
                    return Err(StripeApiError::resource_missing(
                        StatusCode::BAD_REQUEST,
                        &param("shipping_rate"),
                        format!("No such shipping rate: '{id}'"),
                    ));
                };
                out.push(rate.clone());
            }
            (None, Some(data)) => {
                let dparam =
                    |field: &str| format!("shipping_options[{i}][shipping_rate_data][{field}]");
                let display_name = data
                    .display_name
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| StripeApiError::missing(&dparam("display_name")))?;
                if let Some(kind) = data.kind.as_deref() {
                    one_of(kind, &["fixed_amount"], &dparam("type"))?;
                }
                if let Some(tb) = data.tax_behavior.as_deref() {
                    one_of(
                        tb,
                        &["exclusive", "inclusive", "unspecified"],
                        &dparam("tax_behavior"),
                    )?;
                }
                let _ = (data.tax_code, data.metadata, data.delivery_estimate);
                let fixed = data
                    .fixed_amount
                    .ok_or_else(|| StripeApiError::missing(&dparam("fixed_amount")))?;
                let amount_param = dparam("fixed_amount][amount");
                let amount = fixed
                    .amount
                    .ok_or_else(|| StripeApiError::missing(&amount_param))?;
                let amount = parse_amount(&amount, &amount_param, 0)?;
                let rate_currency = fixed
                    .currency
                    .ok_or_else(|| StripeApiError::missing(&dparam("fixed_amount][currency")))?
                    .to_ascii_lowercase();
                if let Some(c) = currency {
                    if c != rate_currency {
                        return Err(StripeApiError::invalid(
                            dparam("fixed_amount][currency"),
                            format!(
                                "The shipping rate currency ({rate_currency}) must match the Checkout Session currency ({c})."
                            ),
                        ));
                    }
                }
                out.push(ShippingRate {
                    id: new_id("shr", 24),
                    display_name,
                    amount,
                    currency: rate_currency,
                    created: now(),
                });
            }
            (None, None) => return Err(StripeApiError::missing(&param("shipping_rate"))),
        }
    }
    Ok(out)
}
