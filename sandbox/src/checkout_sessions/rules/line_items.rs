//! Line items: resolving `line_items[N]` (catalog prices, `price_data`,
//! existing items kept by id) and checking them against the session's mode
//! and currency.

use axum::http::StatusCode;

use crate::checkout_sessions::params::{LineItemIn, PriceDataIn};
use crate::checkout_sessions::Sessions;
use crate::error::{ApiResult, StripeApiError};
use crate::ids::{new_id, now};
use crate::limits::{
    MAX_AMOUNT, MAX_LINE_ITEMS_PAYMENT, MAX_LINE_ITEMS_SUBSCRIPTION, MAX_QUANTITY,
};
use crate::model::{LineItem, Price, Recurring};
use crate::params::{one_of, parse_amount, parse_bounded, parse_positive, too_large};

/// Resolves `line_items` against the catalog and (for updates) the current items.
pub(crate) fn resolve_line_items(
    state: &Sessions,
    input: Vec<LineItemIn>,
    existing: Option<&[LineItem]>,
) -> ApiResult<Vec<LineItem>> {
    let mut used_ids: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(input.len());
    for (i, item) in input.into_iter().enumerate() {
        let param = |field: &str| format!("line_items[{i}][{field}]");
        let price_of = |id: &str| {
            state.prices.price(id).cloned().ok_or_else(|| {
                StripeApiError::resource_missing(
                    StatusCode::BAD_REQUEST,
                    &param("price"),
                    format!("No such price: '{id}'"),
                )
            })
        };
        let quantity = item
            .quantity
            .as_deref()
            .map(|q| parse_bounded(q, &param("quantity"), 1, MAX_QUANTITY))
            .transpose()?;
        match (item.id, existing) {
            (Some(_), None) => {
                return Err(StripeApiError::invalid(
                    param("id"),
                    "Line item ids can only be given when updating a Checkout Session.",
                ))
            }
            (Some(id), Some(existing)) => {
                let Some(current) = existing.iter().find(|li| li.id == id) else {
                    return Err(StripeApiError::resource_missing(
                        StatusCode::BAD_REQUEST,
                        &param("id"),
                        format!("No such line item on this Checkout Session: '{id}'"),
                    ));
                };
                if used_ids.contains(&id) {
                    return Err(StripeApiError::invalid(
                        param("id"),
                        format!("Line item '{id}' is listed more than once."),
                    ));
                }
                used_ids.push(id);
                let mut next = current.clone();
                match (item.price.as_deref(), item.price_data) {
                    (Some(_), Some(_)) => return Err(price_and_price_data(i)),
                    (Some(price), None) => next.price = price_of(price)?,
                    (None, Some(data)) => next.price = price_from_data(i, data)?,
                    (None, None) => {}
                }
                if let Some(q) = quantity {
                    next.quantity = q;
                }
                out.push(next);
            }
            (None, _) => {
                let price = match (item.price.as_deref(), item.price_data) {
                    (Some(_), Some(_)) => return Err(price_and_price_data(i)),
                    (Some(price), None) => price_of(price)?,
                    (None, Some(data)) => price_from_data(i, data)?,
                    (None, None) => return Err(StripeApiError::missing(&param("price"))),
                };
                let Some(quantity) = quantity else {
                    return Err(StripeApiError::missing(&param("quantity")));
                };
                out.push(LineItem {
                    id: new_id("li", 24),
                    price,
                    quantity,
                });
            }
        }
    }
    Ok(out)
}

fn price_and_price_data(i: usize) -> StripeApiError {
    StripeApiError::invalid(
        format!("line_items[{i}][price_data]"),
        "You may only specify one of these parameters: price, price_data.",
    )
}

/// An inline price from `line_items[i][price_data]` (inactive, as on Stripe).
fn price_from_data(i: usize, data: PriceDataIn) -> ApiResult<Price> {
    let param = |field: &str| format!("line_items[{i}][price_data][{field}]");
    let currency = data
        .currency
        .ok_or_else(|| StripeApiError::missing(&param("currency")))?
        .to_ascii_lowercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(StripeApiError::invalid(
            param("currency"),
            format!("Invalid currency: {currency}"),
        ));
    }
    let unit_amount =
        match (data.unit_amount, data.unit_amount_decimal) {
            (Some(_), Some(_)) => return Err(StripeApiError::invalid(
                param("unit_amount_decimal"),
                "You may only specify one of these parameters: unit_amount, unit_amount_decimal.",
            )),
            (Some(a), None) => parse_amount(&a, &param("unit_amount"), 0)?,
            (None, Some(d)) => parse_whole_decimal(&d, &param("unit_amount_decimal"))?,
            (None, None) => return Err(StripeApiError::missing(&param("unit_amount"))),
        };
    if let Some(tb) = data.tax_behavior.as_deref() {
        one_of(
            tb,
            &["exclusive", "inclusive", "unspecified"],
            &param("tax_behavior"),
        )?;
    }
    let (product, product_name) = match (data.product, data.product_data) {
        (Some(_), Some(_)) => {
            return Err(StripeApiError::invalid(
                param("product_data"),
                "You may only specify one of these parameters: product, product_data.",
            ))
        }
        (Some(product), None) => (product.clone(), product),
        (None, Some(pd)) => {
            let name = pd
                .name
                .filter(|n| !n.is_empty())
                .ok_or_else(|| StripeApiError::missing(&param("product_data][name")))?;
            let _ = (pd.description, pd.metadata, pd.images, pd.tax_code);
            (new_id("prod", 14), name)
        }
        (None, None) => return Err(StripeApiError::missing(&param("product"))),
    };
    let recurring = match data.recurring {
        None => None,
        Some(r) => {
            let interval = r
                .interval
                .ok_or_else(|| StripeApiError::missing(&param("recurring][interval")))?;
            one_of(
                &interval,
                &["day", "week", "month", "year"],
                &param("recurring][interval"),
            )?;
            let interval_count = match r.interval_count {
                None => 1,
                Some(c) => u32::try_from(parse_positive(&c, &param("recurring][interval_count"))?)
                    .map_err(|_| {
                        StripeApiError::invalid_integer(&param("recurring][interval_count"), &c)
                    })?,
            };
            Some(Recurring {
                interval,
                interval_count,
            })
        }
    };
    Ok(Price {
        lookup_key: None,
        id: new_id("price", 24),
        product,
        product_name,
        unit_amount,
        currency,
        recurring,
        created: now(),
        active: false,
    })
}

/// A whole-number `unit_amount_decimal` in `0..=`[`MAX_AMOUNT`].
fn parse_whole_decimal(value: &str, param: &str) -> ApiResult<i64> {
    let whole = value
        .parse::<f64>()
        .ok()
        .filter(|d| d.is_finite() && *d >= 0.0 && d.fract() == 0.0)
        .ok_or_else(|| {
            StripeApiError::invalid(
                param,
                "The sandbox supports whole-number unit_amount_decimal values only.",
            )
        })?;
    #[allow(clippy::cast_precision_loss)]
    if whole > MAX_AMOUNT as f64 {
        return Err(too_large(param, value, MAX_AMOUNT));
    }
    // Whole, finite and within 0..=MAX_AMOUNT: the cast is exact.
    #[allow(clippy::cast_possible_truncation)]
    Ok(whole as i64)
}

/// Refuses more line items than Stripe allows in `mode`: in `subscription`
/// mode, 20 with recurring prices and 20 with one-time prices.
fn check_item_count(mode: &str, items: &[LineItem]) -> ApiResult<()> {
    let too_many = |max: usize, what: &str, count: usize| {
        Err(StripeApiError::invalid(
            "line_items",
            format!("You may only specify up to {max} {what} (got {count})."),
        ))
    };
    match mode {
        "payment" if items.len() > MAX_LINE_ITEMS_PAYMENT => too_many(
            MAX_LINE_ITEMS_PAYMENT,
            "line items in `payment` mode",
            items.len(),
        ),
        "subscription" => {
            let recurring = items.iter().filter(|i| i.price.recurring.is_some()).count();
            let one_time = items.len() - recurring;
            if recurring > MAX_LINE_ITEMS_SUBSCRIPTION {
                return too_many(
                    MAX_LINE_ITEMS_SUBSCRIPTION,
                    "line items with recurring prices in `subscription` mode",
                    recurring,
                );
            }
            if one_time > MAX_LINE_ITEMS_SUBSCRIPTION {
                return too_many(
                    MAX_LINE_ITEMS_SUBSCRIPTION,
                    "line items with one-time prices in `subscription` mode",
                    one_time,
                );
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A subscription needs at least one recurring price; one-time prices ride
/// along on the first invoice (Stripe's error text, as its users report it;
/// docs/research-stripe-shop.md). Prices of different intervals are not
/// refused: Stripe supports mixed intervals on subscriptions since
/// 2025-07-30.basil, and whether Checkout refuses them is not confirmed.
fn check_has_recurring(items: &[LineItem]) -> ApiResult<()> {
    if items.iter().any(|i| i.price.recurring.is_some()) {
        return Ok(());
    }
    Err(StripeApiError::invalid(
        "line_items",
        "You must provide at least one recurring price in `subscription` mode when using prices.",
    ))
}

/// Checks that the items suit the session mode and share one currency.
/// Returns that currency.
pub(crate) fn check_items(mode: &str, items: &[LineItem]) -> ApiResult<Option<String>> {
    if mode == "setup" {
        if items.is_empty() {
            return Ok(None);
        }
        return Err(StripeApiError::invalid(
            "line_items",
            "line_items cannot be used in setup mode.",
        ));
    }
    if items.is_empty() {
        return Err(StripeApiError::missing("line_items"));
    }
    check_item_count(mode, items)?;
    if mode == "subscription" {
        check_has_recurring(items)?;
    }
    let currency = items[0].price.currency.clone();
    for (i, item) in items.iter().enumerate() {
        let param = format!("line_items[{i}][price]");
        if mode == "payment" && item.price.recurring.is_some() {
            return Err(StripeApiError::invalid(
                param,
                "You specified `payment` mode but passed a recurring price. Either switch to \
                 `subscription` mode or use only one-time prices.",
            ));
        }
        if item.price.currency != currency {
            return Err(StripeApiError::invalid(
                param,
                "All prices of a Checkout Session must use the same currency.",
            ));
        }
    }
    Ok(Some(currency))
}
