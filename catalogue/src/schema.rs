//! The catalogue's types, as the TOML file spells them (`serde`), and what
//! the server asks of them.

use serde::Deserialize;

use crate::interval::Interval;
use crate::shipping::{AddOn, Shipping};

/// The merchant's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// The currency of every price (ISO 4217, lower case: `usd`).
    pub currency: String,
    /// The products, in the order a new checkout lists them.
    pub products: Vec<Product>,
    /// Where and at what rates the shop ships (payment mode only); absent:
    /// the session asks for no shipping address.
    #[serde(default)]
    pub shipping: Option<Shipping>,
    /// The one-time extras a customer may add during checkout (payment mode
    /// only), in order.
    #[serde(default)]
    pub add_ons: Vec<AddOn>,
}

/// A product the shop sells.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// The merchant's name for it (`[a-z0-9_-]`, unique).
    pub id: String,
    /// Its name for people.
    pub name: String,
    /// Whether a new checkout starts with it.
    #[serde(default)]
    pub in_cart: bool,
    /// How many a customer may buy.
    #[serde(default)]
    pub quantity: QuantityBounds,
    /// Its prices: one one-time price, or recurring prices that are interval
    /// alternatives of each other (one per interval; the first is the one a
    /// new checkout starts with).
    pub prices: Vec<CataloguePrice>,
}

/// A product's quantity bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantityBounds {
    /// The least (at least 1).
    pub min: u64,
    /// The most (at most `checkout_protocol::limits::MAX_QUANTITY`, what the
    /// widget's stepper offers).
    pub max: u64,
    /// How many a new checkout starts with.
    pub default: u64,
}

impl Default for QuantityBounds {
    fn default() -> Self {
        Self {
            min: checkout_protocol::limits::MIN_QUANTITY,
            max: checkout_protocol::limits::MAX_QUANTITY,
            default: 1,
        }
    }
}

impl QuantityBounds {
    /// Whether `quantity` is within the bounds.
    pub fn allows(self, quantity: u64) -> bool {
        (self.min..=self.max).contains(&quantity)
    }
}

/// One Stripe price of a product, named by its id or its lookup key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CataloguePrice {
    /// The Stripe price id (`price_…`); empty for a price named by its
    /// lookup key until [`Catalogue::resolve`] fills it.
    #[serde(default)]
    pub price: String,
    /// The price's lookup key (Stripe's `lookup_key`, unique in an account),
    /// instead of its id: the server asks Stripe for the id at start.
    #[serde(default)]
    pub lookup_key: Option<String>,
    /// Its interval's name (`monthly`, `quarterly`, `yearly`, …), absent for
    /// a one-time price. Must be the Stripe price's `recurring`.
    #[serde(default, with = "interval_name")]
    pub interval: Option<Interval>,
    /// Its unit amount in minor units: the Stripe price's `unit_amount`
    /// (checked at start with Stripe keys; the emulator is seeded with it).
    pub amount: i64,
    /// The name the emulator gives this price's line items (default: the
    /// product's name; with Stripe, the Stripe product's name shows).
    #[serde(default)]
    pub name: Option<String>,
}

mod interval_name {
    use serde::{Deserialize, Deserializer};

    use crate::interval::Interval;

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Interval>, D::Error> {
        let Some(name) = Option::<String>::deserialize(deserializer)? else {
            return Ok(None);
        };
        Interval::parse(&name).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown interval {name:?}: daily, weekly, monthly, quarterly, yearly or every-<n>-<unit>s (every-6-months)"
            ))
        })
    }
}

impl Catalogue {
    /// The products a new checkout starts with.
    pub fn start(&self) -> impl Iterator<Item = &Product> {
        self.products.iter().filter(|p| p.in_cart)
    }

    /// `subscription` when a new checkout holds a recurring price, else `payment`.
    pub fn start_mode(&self) -> &'static str {
        if self.start().any(Product::is_recurring) {
            "subscription"
        } else {
            "payment"
        }
    }

    /// The intervals a new checkout's plan may switch between: those of its
    /// recurring products (they all offer the same ones), in the file's order.
    pub fn intervals(&self) -> Vec<Interval> {
        self.start()
            .find(|p| p.is_recurring())
            .map(|p| p.prices.iter().filter_map(|price| price.interval).collect())
            .unwrap_or_default()
    }

    /// The lookup keys whose price id is not known yet.
    pub fn unresolved_lookup_keys(&self) -> Vec<&str> {
        self.prices()
            .filter(|(_, p)| p.price.is_empty())
            .filter_map(|(_, p)| p.lookup_key.as_deref())
            .collect()
    }

    /// Fills the price id of every price named by its lookup key from `ids`
    /// (lookup key → `price_…`); the keys `ids` lacks, if any.
    pub fn resolve(
        &mut self,
        ids: &std::collections::HashMap<String, String>,
    ) -> Result<(), Vec<String>> {
        let mut missing = Vec::new();
        for product in &mut self.products {
            for price in &mut product.prices {
                if !price.price.is_empty() {
                    continue;
                }
                let Some(key) = &price.lookup_key else {
                    continue;
                };
                match ids.get(key) {
                    Some(id) => price.price.clone_from(id),
                    None => missing.push(key.clone()),
                }
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(missing)
        }
    }

    /// This catalogue as the emulator seeds it: a price named by its lookup
    /// key gets the id [`emulator_price_id`] makes of it.
    pub fn resolved_for_emulator(mut self) -> Self {
        for product in &mut self.products {
            for price in &mut product.prices {
                if let (true, Some(key)) = (price.price.is_empty(), &price.lookup_key) {
                    price.price = emulator_price_id(key);
                }
            }
        }
        self
    }

    /// The product and price of Stripe price `id`.
    pub fn price(&self, id: &str) -> Option<(&Product, &CataloguePrice)> {
        self.products.iter().find_map(|p| {
            p.prices
                .iter()
                .find(|price| price.price == id)
                .map(|price| (p, price))
        })
    }

    /// The add-on `id`.
    pub fn add_on(&self, id: &str) -> Option<&AddOn> {
        self.add_ons.iter().find(|a| a.id == id)
    }

    /// Every price, with its product.
    pub fn prices(&self) -> impl Iterator<Item = (&Product, &CataloguePrice)> {
        self.products
            .iter()
            .flat_map(|p| p.prices.iter().map(move |price| (p, price)))
    }
}

impl Product {
    /// Whether its prices are recurring.
    pub fn is_recurring(&self) -> bool {
        self.prices.iter().any(|p| p.interval.is_some())
    }

    /// The price a new checkout starts with (the first).
    pub fn start_price(&self) -> Option<&CataloguePrice> {
        self.prices.first()
    }

    /// Its price at `interval`, if it offers one.
    pub fn price_at(&self, interval: Interval) -> Option<&CataloguePrice> {
        self.prices.iter().find(|p| p.interval == Some(interval))
    }
}

/// The id the emulator gives the price of lookup key `key`:
/// `price_lk_` and the key's bytes in hex (unique per key, and a valid id).
pub fn emulator_price_id(key: &str) -> String {
    use std::fmt::Write;
    key.bytes().fold(String::from("price_lk_"), |mut id, b| {
        let _ = write!(id, "{b:02x}");
        id
    })
}
