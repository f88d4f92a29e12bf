//! `expand[]`: which sub-objects a response embeds.

use crate::error::{ApiResult, StripeApiError};

/// Which sub-objects a request expanded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expand {
    /// `expand[]=line_items`.
    pub line_items: bool,
    /// `expand[]=discounts` (or `discounts.coupon`): coupon objects instead of ids.
    pub discounts: bool,
    /// `expand[]=line_items.data.discounts`: each item's `discounts` with `discount` objects.
    pub item_discounts: bool,
    /// `expand[]=shipping_options.shipping_rate` / `shipping_cost.shipping_rate`.
    pub shipping_rates: bool,
}

/// Parses the `expand` list of a Checkout Session request.
pub fn parse(expand: Option<Vec<String>>) -> ApiResult<Expand> {
    let mut out = Expand::default();
    for (i, path) in expand.unwrap_or_default().iter().enumerate() {
        match path.as_str() {
            "line_items" | "line_items.data.price" | "line_items.data.price.product" => {
                out.line_items = true;
            }
            "line_items.data.discounts" => {
                out.line_items = true;
                out.item_discounts = true;
            }
            "discounts" | "discounts.coupon" => out.discounts = true,
            "shipping_options.shipping_rate" | "shipping_cost.shipping_rate" => {
                out.shipping_rates = true;
            }
            other => {
                return Err(StripeApiError::invalid(
                    format!("expand[{i}]"),
                    format!("This property cannot be expanded ({other})."),
                ))
            }
        }
    }
    Ok(out)
}
