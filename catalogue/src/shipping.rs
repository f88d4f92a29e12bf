//! The catalogue's optional `[shipping]` section (the shipping rates the
//! server offers for an address) and `[[add_ons]]` (one-time extras the
//! customer may add during checkout), as the TOML file spells them, and the
//! one rule that prices a rate for a cart ([`ShippingRate::amount_for`]).

use serde::Deserialize;

/// Stripe's most shipping options on a session (`shipping_options`: "Up to
/// a maximum of 5").
pub const MAX_SHIPPING_RATES: usize = 5;

/// `[shipping]`: where the shop ships and at what rates (payment mode only).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shipping {
    /// The countries the Shipping Address Element offers (Stripe's
    /// `shipping_address_collection[allowed_countries]`; two-letter codes,
    /// upper case). A country listed here that no rate serves can be
    /// entered, and is then refused (`cannot_ship_to`).
    pub allowed_countries: Vec<String>,
    /// The rates, in the order the customer sees them (at most
    /// [`MAX_SHIPPING_RATES`]).
    pub rates: Vec<ShippingRate>,
}

/// One `[[shipping.rates]]`: a fixed-amount shipping option.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShippingRate {
    /// The merchant's name for it (`[a-z0-9_-]`, unique).
    pub id: String,
    /// Its name for people (Stripe's `shipping_rate_data[display_name]`).
    pub name: String,
    /// Its amount in minor units of the catalogue's currency.
    pub amount: i64,
    /// The delivery estimate in business days, if any.
    #[serde(default)]
    pub delivery_days: Option<DeliveryDays>,
    /// The countries it is offered in (within `allowed_countries`).
    pub countries: Vec<String>,
    /// Free (amount 0) when the goods' subtotal is at least this (minor
    /// units), if set.
    #[serde(default)]
    pub free_over: Option<i64>,
}

/// A delivery estimate in business days (`min ≤ max`, both at least 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryDays {
    /// The fewest business days.
    pub min: u32,
    /// The most business days.
    pub max: u32,
}

/// One `[[add_ons]]`: a one-time extra at a fixed amount (payment mode
/// only), added as a line item of its own.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddOn {
    /// The merchant's name for it (`[a-z0-9_-]`, unique): what
    /// `/update-add-on` takes.
    pub id: String,
    /// Its line item's name (unique among products and add-ons: the server
    /// recognises the add-on's line item by it).
    pub name: String,
    /// Its amount in minor units of the catalogue's currency.
    pub amount: i64,
}

impl Shipping {
    /// The rates offered in `country` (two-letter code), in order.
    pub fn rates_to<'a>(&'a self, country: &'a str) -> impl Iterator<Item = &'a ShippingRate> {
        self.rates
            .iter()
            .filter(move |rate| rate.countries.iter().any(|c| c == country))
    }
}

impl ShippingRate {
    /// Its amount for goods worth `subtotal` (minor units): 0 from
    /// `free_over` on, else `amount`.
    pub fn amount_for(&self, subtotal: i64) -> i64 {
        match self.free_over {
            Some(over) if subtotal >= over => 0,
            _ => self.amount,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_from_free_over_on() {
        let rate = ShippingRate {
            id: "standard".into(),
            name: "Standard".into(),
            amount: 500,
            delivery_days: None,
            countries: vec!["US".into()],
            free_over: Some(10_000),
        };
        assert_eq!(rate.amount_for(9_999), 500);
        assert_eq!(rate.amount_for(10_000), 0, "at least, not over");
        let shipping = Shipping {
            allowed_countries: vec!["US".into(), "JP".into()],
            rates: vec![rate],
        };
        assert_eq!(shipping.rates_to("US").count(), 1);
        assert_eq!(shipping.rates_to("JP").count(), 0);
    }
}
