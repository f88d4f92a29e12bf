//! The merchant's catalogue, read from one TOML file (`checkout.toml`;
//! `CHECKOUT_CATALOGUE` names it): its products, their Stripe prices, which
//! prices are interval alternatives of each other, one-time items, quantity
//! bounds, the currency, which products a new checkout starts with, and
//! optionally where the shop ships at what rates and its add-ons.
//! checkout-server builds sessions and interval changes from it; the
//! emulator seeds its prices from the same file ([`Catalogue::demo`] is the
//! demo shop's, `demo.toml`). The schema is in `docs/catalogue.md`; every
//! mistake in a file is a [`CatalogueError`] naming the product and what is
//! wrong.
//!
//! ```
//! let shop = checkout_catalogue::Catalogue::parse(r#"
//!     currency = "usd"
//!     [[products]]
//!     id = "box"
//!     name = "Coffee box"
//!     in_cart = true
//!     [[products.prices]]
//!     price = "price_box_q"
//!     interval = "quarterly"
//!     amount = 4200
//!     [[products.prices]]
//!     price = "price_box_y"
//!     interval = "yearly"
//!     amount = 15000
//! "#).unwrap();
//! assert_eq!(shop.start_mode(), "subscription");
//! assert_eq!(shop.intervals().iter().map(|i| i.name()).collect::<Vec<_>>(), ["quarterly", "yearly"]);
//! ```

#![deny(missing_docs)]

mod interval;
mod load;
mod schema;
mod shipping;
mod validate;

pub use interval::{Interval, IntervalUnit};
pub use schema::{emulator_price_id, Catalogue, CataloguePrice, Product, QuantityBounds};
pub use shipping::{AddOn, DeliveryDays, Shipping, ShippingRate, MAX_SHIPPING_RATES};
pub use validate::CatalogueError;

/// The demo shop's catalogue file (`demo.toml`).
pub const DEMO_TOML: &str = include_str!("../demo.toml");
