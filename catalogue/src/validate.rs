//! What a catalogue must be, each rule once, each refusal naming the product
//! and what is wrong.

use std::collections::HashSet;

use checkout_protocol::limits::{MAX_QUANTITY, MIN_QUANTITY};

use crate::schema::Catalogue;
use crate::shipping::{Shipping, MAX_SHIPPING_RATES};

/// A catalogue the server refuses to start with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// The file could not be read.
    #[error("could not read the catalogue {path}: {error}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        error: String,
    },
    /// Not TOML, or not this schema (an unknown field, a wrong type).
    #[error("the catalogue is not valid: {0}")]
    Syntax(String),
    /// A rule is broken.
    #[error("the catalogue is not valid: {0}")]
    Invalid(String),
    /// One of the above, in a file.
    #[error("{path}: {error}")]
    InFile {
        /// The file.
        path: String,
        /// What is wrong.
        error: Box<CatalogueError>,
    },
}

impl CatalogueError {
    /// This error, as found in `path`.
    pub(crate) fn in_file(self, path: &std::path::Path) -> Self {
        CatalogueError::InFile {
            path: path.display().to_string(),
            error: Box::new(self),
        }
    }
}

fn invalid(message: String) -> CatalogueError {
    CatalogueError::Invalid(message)
}

/// The merchant's ids (products, shipping rates, add-ons): `[a-z0-9_-]+`.
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A country code as Stripe spells it: two upper-case letters (`US`).
fn is_country(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// Checks every rule of the schema (docs/catalogue.md).
pub(crate) fn check(c: &Catalogue) -> Result<(), CatalogueError> {
    if c.currency.len() != 3 || !c.currency.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(invalid(format!(
            "currency {:?} must be a three-letter ISO code in lower case, like \"usd\"",
            c.currency
        )));
    }
    if c.products.is_empty() {
        return Err(invalid("there is no product".to_owned()));
    }
    let mut ids = HashSet::new();
    let mut price_ids = HashSet::new();
    for p in &c.products {
        let at = |what: String| invalid(format!("product {:?}: {what}", p.id));
        if !is_id(&p.id) {
            return Err(at("id must be letters a-z, digits, - or _".to_owned()));
        }
        if !ids.insert(p.id.as_str()) {
            return Err(at("id is used twice".to_owned()));
        }
        if p.name.trim().is_empty() {
            return Err(at("name is empty".to_owned()));
        }
        let q = p.quantity;
        if !(MIN_QUANTITY <= q.min
            && q.min <= q.default
            && q.default <= q.max
            && q.max <= MAX_QUANTITY)
        {
            return Err(at(format!(
                "quantity must have {MIN_QUANTITY} ≤ min ≤ default ≤ max ≤ {MAX_QUANTITY} (the widget's stepper), got min {} default {} max {}",
                q.min, q.default, q.max
            )));
        }
        if p.prices.is_empty() {
            return Err(at("has no price".to_owned()));
        }
        let recurring = p
            .prices
            .iter()
            .filter(|price| price.interval.is_some())
            .count();
        if recurring != 0 && recurring != p.prices.len() {
            return Err(at(
                "mixes one-time and recurring prices: make the one-time item a product of its own"
                    .to_owned(),
            ));
        }
        if recurring == 0 && p.prices.len() > 1 {
            return Err(at("has several one-time prices: give it one".to_owned()));
        }
        let mut intervals = HashSet::new();
        for price in &p.prices {
            match (price.price.is_empty(), &price.lookup_key) {
                (true, None) => {
                    return Err(at(
                        "a price has neither `price` (its id) nor `lookup_key`".to_owned()
                    ))
                }
                (false, Some(key)) => {
                    return Err(at(format!(
                        "price {:?} has both an id and the lookup key {key:?}: give one",
                        price.price
                    )))
                }
                (true, Some(key)) => {
                    if key.is_empty() || key.chars().count() > 200 {
                        return Err(at(format!(
                            "lookup key {key:?} must have 1 to 200 characters"
                        )));
                    }
                    if !price_ids.insert(key.as_str()) {
                        return Err(at(format!("lookup key {key:?} is listed twice")));
                    }
                }
                (false, None) => {
                    if !price.price.starts_with("price_") || price.price.len() <= "price_".len() {
                        return Err(at(format!(
                            "{:?} is not a Stripe price id (price_…)",
                            price.price
                        )));
                    }
                    if !price_ids.insert(price.price.as_str()) {
                        return Err(at(format!("price {:?} is listed twice", price.price)));
                    }
                }
            }
            if price.amount < 0 {
                return Err(at(format!(
                    "price {:?}: amount must not be negative",
                    price.price
                )));
            }
            if let Some(interval) = price.interval {
                if !intervals.insert(interval) {
                    return Err(at(format!("two prices are {}", interval.name())));
                }
            }
        }
    }
    let start: Vec<_> = c.start().collect();
    if start.is_empty() {
        return Err(invalid(
            "no product has in_cart = true: a new checkout would be empty".to_owned(),
        ));
    }
    // A subscription's recurring prices share one interval (Stripe refuses
    // mixed intervals), and an interval change moves them all: the recurring
    // products a checkout starts with offer the same intervals, in one order.
    let mut plans = start.iter().filter(|p| p.is_recurring());
    if let Some(first) = plans.next() {
        let intervals = |p: &crate::Product| {
            p.prices
                .iter()
                .map(|price| price.interval)
                .collect::<Vec<_>>()
        };
        for other in plans {
            if intervals(other) != intervals(first) {
                return Err(invalid(format!(
                    "products {:?} and {:?} are in the cart together but offer different intervals: they are billed on one subscription",
                    first.id, other.id
                )));
            }
        }
    }
    if let Some(shipping) = &c.shipping {
        check_shipping(c, shipping)?;
    }
    check_add_ons(c)?;
    Ok(())
}

/// `[shipping]`: payment mode (Stripe: "Only supported in payment mode.
/// Shipping rates aren't available in subscription mode"), 1 to
/// [`MAX_SHIPPING_RATES`] rates, countries as Stripe spells them, each
/// rate's within `allowed_countries`.
fn check_shipping(c: &Catalogue, shipping: &Shipping) -> Result<(), CatalogueError> {
    if c.start_mode() != "payment" {
        return Err(invalid(
            "[shipping] needs a checkout in payment mode (a cart without recurring prices): Stripe offers no shipping rates on subscriptions".to_owned(),
        ));
    }
    if shipping.allowed_countries.is_empty() {
        return Err(invalid(
            "[shipping]: allowed_countries is empty: list the countries a customer may enter"
                .to_owned(),
        ));
    }
    let mut allowed = HashSet::new();
    for code in &shipping.allowed_countries {
        if !is_country(code) {
            return Err(invalid(format!(
                "[shipping]: allowed country {code:?} must be a two-letter code in upper case, like \"US\""
            )));
        }
        if !allowed.insert(code.as_str()) {
            return Err(invalid(format!(
                "[shipping]: allowed country {code:?} is listed twice"
            )));
        }
    }
    if shipping.rates.is_empty() || shipping.rates.len() > MAX_SHIPPING_RATES {
        return Err(invalid(format!(
            "[shipping] must have 1 to {MAX_SHIPPING_RATES} rates (Stripe's most shipping options), got {}",
            shipping.rates.len()
        )));
    }
    let mut ids = HashSet::new();
    for rate in &shipping.rates {
        let at = |what: String| invalid(format!("shipping rate {:?}: {what}", rate.id));
        if !is_id(&rate.id) {
            return Err(at("id must be letters a-z, digits, - or _".to_owned()));
        }
        if !ids.insert(rate.id.as_str()) {
            return Err(at("id is used twice".to_owned()));
        }
        if rate.name.trim().is_empty() {
            return Err(at("name is empty".to_owned()));
        }
        if rate.amount < 0 || rate.free_over.is_some_and(|f| f < 0) {
            return Err(at("amount and free_over must not be negative".to_owned()));
        }
        if let Some(days) = rate.delivery_days {
            if days.min < 1 || days.min > days.max {
                return Err(at(format!(
                    "delivery_days must have 1 ≤ min ≤ max, got min {} max {}",
                    days.min, days.max
                )));
            }
        }
        if rate.countries.is_empty() {
            return Err(at("countries is empty".to_owned()));
        }
        if let Some(code) = rate
            .countries
            .iter()
            .find(|c| !allowed.contains(c.as_str()))
        {
            return Err(at(format!(
                "country {code:?} is not in [shipping] allowed_countries"
            )));
        }
    }
    Ok(())
}

/// `[[add_ons]]`: payment mode (one-time extras), ids as the products',
/// names unique among products and add-ons (an add-on's line item is
/// recognised by its name), amounts not negative.
fn check_add_ons(c: &Catalogue) -> Result<(), CatalogueError> {
    if c.add_ons.is_empty() {
        return Ok(());
    }
    if c.start_mode() != "payment" {
        return Err(invalid(
            "[[add_ons]] need a checkout in payment mode (a cart without recurring prices)"
                .to_owned(),
        ));
    }
    let mut ids = HashSet::new();
    let mut names: HashSet<&str> = c.products.iter().map(|p| p.name.as_str()).collect();
    for add_on in &c.add_ons {
        let at = |what: String| invalid(format!("add-on {:?}: {what}", add_on.id));
        if !is_id(&add_on.id) {
            return Err(at("id must be letters a-z, digits, - or _".to_owned()));
        }
        if !ids.insert(add_on.id.as_str()) {
            return Err(at("id is used twice".to_owned()));
        }
        if add_on.name.trim().is_empty() {
            return Err(at("name is empty".to_owned()));
        }
        if !names.insert(add_on.name.as_str()) {
            return Err(at(format!(
                "name {:?} is already a product's or add-on's: the server recognises the add-on's line item by its name",
                add_on.name
            )));
        }
        if add_on.amount < 0 {
            return Err(at("amount must not be negative".to_owned()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{Catalogue, Interval, DEMO_TOML};

    const SHOP: &str = r#"
        currency = "usd"
        [[products]]
        id = "box"
        name = "Coffee box"
        in_cart = true
        quantity = { min = 1, max = 5, default = 2 }
        [[products.prices]]
        price = "price_box_quarterly"
        interval = "quarterly"
        amount = 4200
        [[products.prices]]
        price = "price_box_yearly"
        interval = "yearly"
        amount = 15000
        [[products]]
        id = "mug"
        name = "Mug"
        in_cart = true
        [[products.prices]]
        price = "price_mug"
        amount = 1200
        [[products]]
        id = "grinder"
        name = "Grinder"
        [[products.prices]]
        price = "price_grinder"
        amount = 8900
    "#;

    #[test]
    fn a_shop_and_the_demo_parse() {
        let shop = Catalogue::parse(SHOP).unwrap();
        assert_eq!(shop.start().count(), 2);
        assert_eq!(shop.start_mode(), "subscription");
        assert_eq!(
            shop.intervals(),
            [Interval::parse("quarterly").unwrap(), Interval::YEARLY]
        );
        let (product, price) = shop.price("price_box_yearly").unwrap();
        assert_eq!((product.id.as_str(), price.amount), ("box", 15000));
        let demo = Catalogue::parse(DEMO_TOML).unwrap();
        assert_eq!(demo, Catalogue::demo());
        assert_eq!(demo.intervals(), [Interval::MONTHLY, Interval::YEARLY]);
        let one_time = SHOP.replace(
            "in_cart = true\n        quantity",
            "in_cart = false\n        quantity",
        );
        assert_eq!(Catalogue::parse(&one_time).unwrap().start_mode(), "payment");
    }

    #[test]
    fn prices_named_by_lookup_key_are_resolved_or_named_missing() {
        let text = SHOP.replace("price = \"price_mug\"", "lookup_key = \"mug-2025\"");
        let mut shop = Catalogue::parse(&text).unwrap();
        assert_eq!(shop.unresolved_lookup_keys(), ["mug-2025"]);
        let emulator = shop.clone().resolved_for_emulator();
        assert_eq!(
            emulator.products[1].prices[0].price,
            crate::emulator_price_id("mug-2025")
        );
        assert!(crate::emulator_price_id("mug-2025").starts_with("price_lk_6d7567"));
        let none = std::collections::HashMap::new();
        assert_eq!(shop.resolve(&none), Err(vec!["mug-2025".to_owned()]));
        let ids =
            std::collections::HashMap::from([("mug-2025".to_owned(), "price_1Mug".to_owned())]);
        shop.resolve(&ids).unwrap();
        assert!(shop.unresolved_lookup_keys().is_empty());
        assert_eq!(shop.price("price_1Mug").unwrap().0.id, "mug");
        let both = SHOP.replace(
            "price = \"price_mug\"",
            "price = \"price_mug\"\n        lookup_key = \"m\"",
        );
        let err = Catalogue::parse(&both).unwrap_err().to_string();
        assert!(err.contains("both an id and the lookup key"), "{err}");
        let neither = SHOP.replace("price = \"price_mug\"\n", "");
        let err = Catalogue::parse(&neither).unwrap_err().to_string();
        assert!(err.contains("neither"), "{err}");
    }

    #[test]
    fn every_rule_is_refused_with_its_product_named() {
        for (from, to, says) in [
            ("currency = \"usd\"", "currency = \"USD\"", "currency"),
            ("id = \"mug\"", "id = \"box\"", "\"box\": id is used twice"),
            ("id = \"mug\"", "id = \"Mug!\"", "id must be"),
            ("max = 5", "max = 11", "quantity must have"),
            ("default = 2", "default = 0", "quantity must have"),
            ("price = \"price_mug\"", "price = \"mug\"", "not a Stripe price id"),
            ("price = \"price_mug\"", "price = \"price_box_yearly\"", "listed twice"),
            ("interval = \"quarterly\"", "interval = \"yearly\"", "two prices are yearly"),
            ("interval = \"quarterly\"", "interval = \"fortnightly\"", "unknown interval"),
            ("amount = 1200", "amount = -1", "must not be negative"),
            ("amount = 1200", "amount = 1200\n        interval = \"monthly\"\n        [[products.prices]]\n        price = \"price_mug2\"\n        amount = 5", "mixes one-time and recurring"),
            ("name = \"Mug\"", "name = \"Mug\"\n        colour = \"red\"", "unknown field"),
        ] {
            let text = SHOP.replacen(from, to, 1);
            assert_ne!(text, SHOP, "{from}");
            let err = Catalogue::parse(&text).unwrap_err().to_string();
            assert!(err.contains(says), "{from} → {to}: {err}");
        }
        let empty = SHOP.replace("in_cart = true", "in_cart = false");
        assert!(Catalogue::parse(&empty)
            .unwrap_err()
            .to_string()
            .contains("in_cart"));
        let two_plans = SHOP.replace(
            "id = \"mug\"\n        name = \"Mug\"\n        in_cart = true\n        [[products.prices]]\n        price = \"price_mug\"",
            "id = \"mug\"\n        name = \"Mug\"\n        in_cart = true\n        [[products.prices]]\n        interval = \"monthly\"\n        price = \"price_mug\"",
        );
        assert!(Catalogue::parse(&two_plans)
            .unwrap_err()
            .to_string()
            .contains("different intervals"));
    }

    const GOODS: &str = r#"
        currency = "usd"
        [[products]]
        id = "lamp"
        name = "Desk lamp"
        in_cart = true
        [[products.prices]]
        price = "price_lamp"
        amount = 4900
        [[add_ons]]
        id = "gift-wrap"
        name = "Gift wrap"
        amount = 500
        [shipping]
        allowed_countries = ["US", "FR", "JP"]
        [[shipping.rates]]
        id = "standard"
        name = "Standard shipping"
        amount = 500
        delivery_days = { min = 5, max = 7 }
        countries = ["US", "FR"]
        free_over = 10000
        [[shipping.rates]]
        id = "express"
        name = "Express shipping"
        amount = 1500
        countries = ["US"]
    "#;

    #[test]
    fn shipping_and_add_ons_parse() {
        let shop = Catalogue::parse(GOODS).unwrap();
        let shipping = shop.shipping.as_ref().unwrap();
        let to_us: Vec<_> = shipping.rates_to("US").map(|r| r.id.as_str()).collect();
        assert_eq!(to_us, ["standard", "express"]);
        assert_eq!(shipping.rates_to("JP").count(), 0);
        assert_eq!(shop.add_on("gift-wrap").unwrap().amount, 500);
        assert_eq!(shop.add_on("ribbon"), None);
        let plain = Catalogue::parse(SHOP).unwrap();
        assert_eq!((plain.shipping, plain.add_ons), (None, Vec::new()));
    }

    #[test]
    fn every_shipping_and_add_on_rule_is_refused_by_name() {
        let rate = |n: usize| {
            format!("[[shipping.rates]]\n        id = \"r{n}\"\n        name = \"R\"\n        amount = 1\n        countries = [\"US\"]\n        ")
        };
        let six: String = (0..4).map(rate).collect();
        for (from, to, says) in [
            (
                "\"US\", \"FR\", \"JP\"]",
                "\"US\", \"FR\", \"jp\"]",
                "\"jp\" must be a two-letter code",
            ),
            (
                "\"US\", \"FR\", \"JP\"]",
                "\"US\", \"FR\", \"US\"]",
                "listed twice",
            ),
            (
                "allowed_countries = [\"US\", \"FR\", \"JP\"]",
                "allowed_countries = []",
                "allowed_countries is empty",
            ),
            (
                "countries = [\"US\", \"FR\"]",
                "countries = [\"US\", \"DE\"]",
                "\"standard\": country \"DE\" is not in [shipping] allowed_countries",
            ),
            (
                "countries = [\"US\", \"FR\"]",
                "countries = []",
                "countries is empty",
            ),
            (
                "id = \"express\"",
                "id = \"standard\"",
                "\"standard\": id is used twice",
            ),
            ("id = \"express\"", "id = \"Express!\"", "id must be"),
            (
                "name = \"Express shipping\"",
                "name = \" \"",
                "name is empty",
            ),
            ("amount = 1500", "amount = -1", "must not be negative"),
            (
                "free_over = 10000",
                "free_over = -1",
                "must not be negative",
            ),
            (
                "{ min = 5, max = 7 }",
                "{ min = 7, max = 5 }",
                "delivery_days must have",
            ),
            (
                "{ min = 5, max = 7 }",
                "{ min = 0, max = 5 }",
                "delivery_days must have",
            ),
            (
                "[[shipping.rates]]\n        id = \"express\"",
                &format!("{six}[[shipping.rates]]\n        id = \"express\""),
                "1 to 5 rates",
            ),
            (
                "amount = 500\n        delivery_days",
                "amount = 500\n        days = 1\n        delivery_days",
                "unknown field",
            ),
            ("id = \"gift-wrap\"", "id = \"Gift\"", "id must be"),
            (
                "name = \"Gift wrap\"",
                "name = \"Desk lamp\"",
                "already a product's or add-on's",
            ),
            (
                "amount = 500\n        [shipping]",
                "amount = -5\n        [shipping]",
                "add-on \"gift-wrap\": amount must not be negative",
            ),
        ] {
            let text = GOODS.replacen(from, to, 1);
            assert_ne!(text, GOODS, "{from}");
            let err = Catalogue::parse(&text).unwrap_err().to_string();
            assert!(err.contains(says), "{from} → {to}: {err}");
        }
        // Payment mode only: a recurring lamp refuses both sections.
        let recurring = GOODS.replace(
            "amount = 4900",
            "amount = 4900\n        interval = \"monthly\"",
        );
        let err = Catalogue::parse(&recurring).unwrap_err().to_string();
        assert!(
            err.contains("[shipping] needs a checkout in payment mode"),
            "{err}"
        );
        let add_ons_only = recurring.split("[shipping]").next().unwrap().to_owned();
        let err = Catalogue::parse(&add_ons_only).unwrap_err().to_string();
        assert!(
            err.contains("[[add_ons]] need a checkout in payment mode"),
            "{err}"
        );
    }
}
