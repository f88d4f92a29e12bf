//! `shipping_options`: at most five fixed-amount rates, payment mode only;
//! `shipping_address_collection[allowed_countries]` (create) and
//! `collected_information[shipping_details]` (update).

use axum::http::StatusCode;
use serde_json::Value;

use crate::checkout_sessions::params::{
    CollectedInformationIn, ShippingAddressCollectionIn, ShippingOptionIn,
};
use crate::error::{ApiResult, StripeApiError};
use crate::ids::{new_id, now};
use crate::model::{Address, DeliveryEstimate, Estimate, ShippingDetails, ShippingRate};
use crate::params::{emptyable_list, one_of, parse_amount, parse_positive};

/// The codes `shipping_address_collection[allowed_countries][]` takes: the
/// `AllowedCountry` union of stripe-node v22.5.0 (`Checkout/Sessions.ts`,
/// `SessionCreateParams.ShippingAddressCollection`), in its order. It leaves
/// out the codes Stripe documents as unsupported (`AS, CX, CC, CU, HM, IR, KP,
/// MH, FM, NF, MP, PW, SY, UM, VI`).
pub(crate) const ALLOWED_COUNTRIES: &[&str] = &[
    "AC", "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO",
    "CR", "CV", "CW", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER",
    "ES", "ET", "FI", "FJ", "FK", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL",
    "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HN", "HR", "HT", "HU", "ID",
    "IE", "IL", "IM", "IN", "IO", "IQ", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI",
    "KM", "KN", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV",
    "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MK", "ML", "MM", "MN", "MO", "MQ", "MR", "MS", "MT",
    "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NG", "NI", "NL", "NO", "NP", "NR", "NU",
    "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PY", "QA",
    "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL",
    "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SZ", "TA", "TC", "TD", "TF", "TG", "TH", "TJ",
    "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "US", "UY", "UZ", "VA",
    "VC", "VE", "VG", "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW", "ZZ",
];

/// Parses `shipping_address_collection` (create): `allowed_countries` is
/// required, a list of codes of [`ALLOWED_COUNTRIES`] (exact case).
pub(crate) fn parse_allowed_countries(
    value: ShippingAddressCollectionIn,
) -> ApiResult<Vec<String>> {
    const PARAM: &str = "shipping_address_collection[allowed_countries]";
    let list = match value.allowed_countries {
        None => return Err(StripeApiError::missing(PARAM)),
        Some(Value::Array(list)) if list.is_empty() => return Err(StripeApiError::missing(PARAM)),
        Some(Value::Array(list)) => list,
        // A string (`…[allowed_countries]=US` or `=`) or an object: Stripe's
        // answer to a non-list where a list belongs.
        Some(_) => return Err(StripeApiError::invalid(PARAM, "Invalid array")),
    };
    list.into_iter()
        .enumerate()
        .map(|(i, code)| {
            let param = format!("{PARAM}[{i}]");
            match code {
                Value::String(code) => {
                    one_of(&code, ALLOWED_COUNTRIES, &param)?;
                    Ok(code)
                }
                _ => Err(StripeApiError::invalid(
                    &param,
                    format!("Invalid {param}: must be a string"),
                )),
            }
        })
        .collect()
}

/// The longest `collected_information[shipping_details][name]` (Stripe's
/// API reference: "The maximum length is 255 characters.").
const NAME_MAX_CHARS: usize = 255;

/// Parses `collected_information` (update): `Some` shipping details when
/// `shipping_details` is given (`name`, `address[country]` and
/// `address[line1]` required; empty optional fields are absent), `None`
/// when it is not (nothing changes). Only `embedded` and `custom` sessions
/// (`embedded_page` and `elements` from dahlia on) take it.
pub(crate) fn parse_collected_information(
    value: CollectedInformationIn,
    ui_mode: &str,
) -> ApiResult<Option<ShippingDetails>> {
    const PARAM: &str = "collected_information[shipping_details]";
    if !matches!(
        ui_mode,
        "custom" | "elements" | "embedded" | "embedded_page"
    ) {
        return Err(StripeApiError::invalid(
            "collected_information",
            "collected_information can only be set when updating `embedded` or `custom` sessions.",
        ));
    }
    let Some(details) = value.shipping_details else {
        return Ok(None);
    };
    let required = |v: Option<String>, field: &str| {
        v.filter(|s| !s.is_empty())
            .ok_or_else(|| StripeApiError::missing(&format!("{PARAM}{field}")))
    };
    let name = required(details.name, "[name]")?;
    let chars = name.chars().count();
    if chars > NAME_MAX_CHARS {
        return Err(StripeApiError::invalid(
            format!("{PARAM}[name]"),
            format!(
                "Invalid string: the name can be at most {NAME_MAX_CHARS} characters long \
                 (this one has {chars})."
            ),
        ));
    }
    let address = details
        .address
        .ok_or_else(|| StripeApiError::missing(&format!("{PARAM}[address]")))?;
    let optional = |v: Option<String>| v.filter(|s| !s.is_empty());
    Ok(Some(ShippingDetails {
        name,
        address: Address {
            country: required(address.country, "[address][country]")?,
            line1: required(address.line1, "[address][line1]")?,
            city: optional(address.city),
            line2: optional(address.line2),
            postal_code: optional(address.postal_code),
            state: optional(address.state),
        },
    }))
}

/// The units of `shipping_rate_data[delivery_estimate][maximum|minimum][unit]`:
/// stripe-node v22.5.0 (`Checkout/Sessions.ts`,
/// `ShippingRateData.DeliveryEstimate.Maximum.Unit` / `Minimum.Unit`).
const ESTIMATE_UNITS: &[&str] = &["business_day", "day", "hour", "month", "week"];

/// Parses `shipping_rate_data[delivery_estimate]` (at `param`): an object
/// with optional `maximum` and `minimum`, each `{unit, value}` (both
/// required; `unit` one of [`ESTIMATE_UNITS`]; `value` "Must be greater than
/// 0", stripe-node). A non-object is refused (the wording is the emulator's).
/// A delivery estimate, or one of its bounds, that is not a hash (the
/// wording is the emulator's).
const MSG_NOT_A_HASH: &str = "Invalid object: a delivery estimate and its bounds are hashes.";

fn parse_delivery_estimate(value: Value, param: &str) -> ApiResult<DeliveryEstimate> {
    let Value::Object(mut map) = value else {
        return Err(StripeApiError::invalid(param, MSG_NOT_A_HASH));
    };
    let mut bound = |key: &str| -> ApiResult<Option<Estimate>> {
        let bparam = format!("{param}[{key}]");
        match map.remove(key) {
            None => Ok(None),
            Some(Value::Object(mut b)) => {
                let Some(Value::String(unit)) = b.remove("unit") else {
                    return Err(StripeApiError::missing(&format!("{bparam}[unit]")));
                };
                one_of(&unit, ESTIMATE_UNITS, &format!("{bparam}[unit]"))?;
                let vparam = format!("{bparam}[value]");
                let value = match b.remove("value") {
                    Some(Value::String(v)) => parse_positive(&v, &vparam)?,
                    Some(Value::Number(n)) => parse_positive(&n.to_string(), &vparam)?,
                    _ => return Err(StripeApiError::missing(&vparam)),
                };
                if let Some(other) = b.keys().next() {
                    return Err(StripeApiError::unknown_parameter(&format!(
                        "{bparam}[{other}]"
                    )));
                }
                Ok(Some(Estimate { unit, value }))
            }
            Some(_) => Err(StripeApiError::invalid(&bparam, MSG_NOT_A_HASH)),
        }
    };
    let maximum = bound("maximum")?;
    let minimum = bound("minimum")?;
    if let Some(other) = map.keys().next() {
        return Err(StripeApiError::unknown_parameter(&format!(
            "{param}[{other}]"
        )));
    }
    Ok(DeliveryEstimate { maximum, minimum })
}

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
                let _ = (data.tax_code, data.metadata);
                let delivery_estimate = data
                    .delivery_estimate
                    .map(|v| parse_delivery_estimate(v, &dparam("delivery_estimate")))
                    .transpose()?;
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
                    delivery_estimate,
                });
            }
            (None, None) => return Err(StripeApiError::missing(&param("shipping_rate"))),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::checkout_sessions::params::{AddressIn, ShippingDetailsIn};

    fn info() -> CollectedInformationIn {
        CollectedInformationIn {
            shipping_details: Some(ShippingDetailsIn {
                name: Some("Ada".into()),
                address: Some(AddressIn {
                    city: None,
                    country: Some("US".into()),
                    line1: Some("1 Main St".into()),
                    line2: Some(String::new()),
                    postal_code: None,
                    state: None,
                }),
            }),
        }
    }

    #[test]
    fn collected_information_only_for_embedded_and_custom_sessions() {
        for ui_mode in ["custom", "elements", "embedded", "embedded_page"] {
            let details = parse_collected_information(info(), ui_mode)
                .unwrap()
                .unwrap();
            assert_eq!(
                details.address.line2, None,
                "empty optional fields are absent"
            );
        }
        for ui_mode in ["hosted", "hosted_page", "form"] {
            let e = parse_collected_information(info(), ui_mode).unwrap_err();
            assert_eq!(e.param.as_deref(), Some("collected_information"));
        }
    }

    #[test]
    fn the_country_list_is_stripe_nodes() {
        assert_eq!(ALLOWED_COUNTRIES.len(), 238);
        for unsupported in [
            "AS", "CX", "CC", "CU", "HM", "IR", "KP", "MH", "FM", "NF", "MP", "PW", "SY", "UM",
            "VI",
        ] {
            assert!(!ALLOWED_COUNTRIES.contains(&unsupported), "{unsupported}");
        }
    }
}
