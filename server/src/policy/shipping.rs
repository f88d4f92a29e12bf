//! Which shipping options an address gets for an order. The default,
//! [`CatalogueShippingPolicy`], is the catalogue's `[shipping]`: the rates
//! whose countries hold the address's, each free from its `free_over` on.

use checkout_catalogue::{DeliveryDays, Shipping};
use checkout_protocol::bodies;

use super::{Order, PolicyFuture};
use crate::stripe_client::CheckoutSession;

/// A shipping address the server accepts: a name, a first line and a
/// two-letter country (upper case), the other parts when given (empty
/// parts are absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShippingAddress {
    /// The recipient.
    pub name: String,
    /// Street, PO box or company name.
    pub line1: String,
    /// Apartment, suite, unit or building.
    pub line2: Option<String>,
    /// City, district, suburb, town or village.
    pub city: Option<String>,
    /// State, county, province or region.
    pub state: Option<String>,
    /// ZIP or postal code.
    pub postal_code: Option<String>,
    /// Two-letter country code, upper case (`US`).
    pub country: String,
}

/// A part of an address: trimmed, `None` when empty.
fn part(value: Option<&String>) -> Option<String> {
    value
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl ShippingAddress {
    /// The address of a request, or `None` when it is not complete (no
    /// name, first line or country, or a country that is not two letters):
    /// what `bad_address` refuses.
    pub fn from_request(details: &bodies::ShippingDetails) -> Option<Self> {
        let address = details.address.as_ref()?;
        Self::from_parts(
            details.name.as_ref(),
            [
                address.line1.as_ref(),
                address.line2.as_ref(),
                address.city.as_ref(),
                address.state.as_ref(),
                address.postal_code.as_ref(),
                address.country.as_ref(),
            ],
        )
    }

    /// The address the server wrote on `session`
    /// (`collected_information.shipping_details`), if any.
    pub fn of(session: &CheckoutSession) -> Option<Self> {
        let details = session
            .collected_information
            .as_ref()?
            .shipping_details
            .as_ref()?;
        let address = details.address.as_ref()?;
        Self::from_parts(
            details.name.as_ref(),
            [
                address.line1.as_ref(),
                address.line2.as_ref(),
                address.city.as_ref(),
                address.state.as_ref(),
                address.postal_code.as_ref(),
                address.country.as_ref(),
            ],
        )
    }

    /// The one rule: name, line1 and a two-letter country required.
    fn from_parts(
        name: Option<&String>,
        [line1, line2, city, state, postal_code, country]: [Option<&String>; 6],
    ) -> Option<Self> {
        let country = part(country)?.to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        Some(Self {
            name: part(name)?,
            line1: part(line1)?,
            line2: part(line2),
            city: part(city),
            state: part(state),
            postal_code: part(postal_code),
            country,
        })
    }
}

/// One shipping option for the customer to choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingOption {
    /// Its name (Stripe's `display_name`).
    pub name: String,
    /// Its amount in minor units of the order's currency.
    pub amount: i64,
    /// The delivery estimate in business days, if any.
    pub delivery_days: Option<DeliveryDays>,
}

/// What a shipping policy answers for an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShippingQuote {
    /// The options, in the order the customer sees them (1 to 5; the first
    /// is selected by default).
    Options(Vec<ShippingOption>),
    /// The shop does not ship there.
    CannotShipTo,
}

/// Decides the shipping options of an address for an order (its subtotal:
/// the line items as the update leaves them); it may ask the merchant's
/// systems (a carrier's rates). An error refuses the update with 503 "try
/// again" and changes nothing.
pub trait ShippingPolicy: Send + Sync {
    /// The options for sending `order` to `address`.
    fn options_for<'a>(
        &'a self,
        address: &'a ShippingAddress,
        order: &'a Order<'a>,
    ) -> PolicyFuture<'a, ShippingQuote>;
}

/// The catalogue's `[shipping]`: the rates offered in the address's
/// country, in the file's order, each at [`checkout_catalogue::ShippingRate::amount_for`]
/// the order's subtotal; none: the shop does not ship there (nor anywhere
/// without `[shipping]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogueShippingPolicy {
    /// The catalogue's `[shipping]`, if any.
    pub shipping: Option<Shipping>,
}

impl CatalogueShippingPolicy {
    /// The rule, for a country and a subtotal.
    pub fn quote(&self, country: &str, subtotal: i64) -> ShippingQuote {
        let options: Vec<ShippingOption> = self
            .shipping
            .iter()
            .flat_map(|s| s.rates_to(country))
            .map(|rate| ShippingOption {
                name: rate.name.clone(),
                amount: rate.amount_for(subtotal),
                delivery_days: rate.delivery_days,
            })
            .collect();
        if options.is_empty() {
            ShippingQuote::CannotShipTo
        } else {
            ShippingQuote::Options(options)
        }
    }
}

impl ShippingPolicy for CatalogueShippingPolicy {
    fn options_for<'a>(
        &'a self,
        address: &'a ShippingAddress,
        order: &'a Order<'a>,
    ) -> PolicyFuture<'a, ShippingQuote> {
        let quote = self.quote(&address.country, order.subtotal);
        Box::pin(async move { Ok(quote) })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn details(name: &str, line1: &str, country: &str) -> bodies::ShippingDetails {
        bodies::ShippingDetails {
            name: Some(name.into()),
            address: Some(bodies::Address {
                line1: Some(line1.into()),
                line2: Some(String::new()),
                city: Some(" Paris ".into()),
                country: Some(country.into()),
                ..Default::default()
            }),
        }
    }

    #[test]
    fn an_address_needs_a_name_a_first_line_and_a_two_letter_country() {
        let ok = ShippingAddress::from_request(&details("Ada", "1 Rue", "fr")).unwrap();
        assert_eq!(
            (ok.country.as_str(), ok.city.as_deref(), ok.line2),
            ("FR", Some("Paris"), None)
        );
        for (name, line1, country) in [
            ("", "1 Rue", "FR"),
            ("Ada", " ", "FR"),
            ("Ada", "1 Rue", ""),
            ("Ada", "1 Rue", "FRA"),
            ("Ada", "1 Rue", "F1"),
        ] {
            assert_eq!(
                ShippingAddress::from_request(&details(name, line1, country)),
                None,
                "{name:?} {line1:?} {country:?}"
            );
        }
        assert_eq!(
            ShippingAddress::from_request(&bodies::ShippingDetails {
                name: Some("Ada".into()),
                address: None
            }),
            None
        );
    }

    #[test]
    fn the_catalogues_rates_by_country_free_from_free_over() {
        let goods = checkout_catalogue::Catalogue::parse(include_str!(
            "../../../examples/shops/goods.toml"
        ))
        .unwrap();
        let policy = CatalogueShippingPolicy {
            shipping: goods.shipping,
        };
        let amounts = |country: &str, subtotal: i64| match policy.quote(country, subtotal) {
            ShippingQuote::Options(o) => o.iter().map(|o| (o.name.clone(), o.amount)).collect(),
            ShippingQuote::CannotShipTo => Vec::new(),
        };
        let standard = |amount: i64| ("Standard shipping".to_owned(), amount);
        let express = ("Express shipping".to_owned(), 1500);
        assert_eq!(amounts("US", 9_800), [standard(500), express.clone()]);
        assert_eq!(amounts("US", 10_300), [standard(0), express]);
        assert_eq!(amounts("FR", 4_900), [standard(500)]);
        assert_eq!(policy.quote("JP", 4_900), ShippingQuote::CannotShipTo);
        assert_eq!(
            CatalogueShippingPolicy::default().quote("US", 1),
            ShippingQuote::CannotShipTo
        );
    }
}
