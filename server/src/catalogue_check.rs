//! The catalogue against the Stripe account at start (Stripe mode): the
//! prices named by a lookup key get their ids ([`resolve`]); then every
//! price must exist, be active, and have the currency, `unit_amount` and
//! `recurring` interval the file says ([`differences`]). A file that
//! disagrees with Stripe would show customers one price and charge another;
//! the server refuses to start instead, naming every price that differs.

use std::collections::HashMap;

use checkout_catalogue::{Catalogue, Interval};

use crate::stripe_client::StripeClient;

/// Fills the ids of the prices `catalogue` names by lookup key, asking
/// Stripe for the active price of each (10 keys a call); the keys without
/// one are an error naming them.
pub async fn resolve(stripe: &StripeClient, catalogue: &mut Catalogue) -> Result<(), String> {
    let keys: Vec<String> = catalogue
        .unresolved_lookup_keys()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut ids = HashMap::new();
    for chunk in keys.chunks(10) {
        let keys: Vec<&str> = chunk.iter().map(String::as_str).collect();
        let list = stripe
            .list_prices_by_lookup_keys(&keys)
            .await
            .map_err(|e| format!("could not look up the prices of lookup keys {keys:?}: {e}"))?;
        for price in list.data {
            if let Some(key) = price.lookup_key {
                ids.insert(key, price.id);
            }
        }
    }
    catalogue.resolve(&ids).map_err(|missing| {
        format!("no active price in your Stripe account has the lookup key(s) {missing:?}")
    })
}

/// Every difference between `catalogue` and the prices Stripe holds (empty:
/// none); a price that cannot be read is one.
pub async fn differences(stripe: &StripeClient, catalogue: &Catalogue) -> Vec<String> {
    let mut found = Vec::new();
    for (product, entry) in catalogue.prices() {
        let at = |what: String| format!("product {:?}, price {}: {what}", product.id, entry.price);
        let price = match stripe.retrieve_price(&entry.price).await {
            Ok(price) => price,
            Err(e) => {
                found.push(at(format!("could not be read from Stripe ({e})")));
                continue;
            }
        };
        if !price.active {
            found.push(at("is archived (not active) in Stripe".to_owned()));
        }
        if price.currency != catalogue.currency {
            found.push(at(format!(
                "Stripe's currency is {:?}, the catalogue's {:?}",
                price.currency, catalogue.currency
            )));
        }
        if price.unit_amount != Some(entry.amount) {
            found.push(at(format!(
                "Stripe's unit_amount is {:?}, the catalogue says {}",
                price.unit_amount, entry.amount
            )));
        }
        let stripe_interval = price
            .recurring
            .as_ref()
            .and_then(|r| Interval::from_stripe(&r.interval, r.interval_count));
        if stripe_interval != entry.interval {
            let name = |i: Option<Interval>| i.map_or_else(|| "one-time".to_owned(), |i| i.name());
            found.push(at(format!(
                "Stripe's price is {}, the catalogue says {}",
                name(stripe_interval),
                name(entry.interval)
            )));
        }
    }
    found
}
