//! The unit amount and interval of the configured prices, read from Stripe
//! once: a Price's `unit_amount` and `recurring` cannot change after it is
//! created (Stripe's "Update a price", docs.stripe.com/api/prices/update,
//! takes neither: its parameters are `active`, `currency_options`,
//! `lookup_key`, `metadata`, `nickname`, `tax_behavior`,
//! `transfer_lookup_key`), so an interval change needs no extra call.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::error::ApiError;
use crate::stripe_client::{Price, StripeClient};

/// At most this many prices are remembered (the server only looks up its
/// configured ones).
const MAX_PRICES: usize = 64;

/// Prices by id, read from Stripe on first use.
#[derive(Debug, Default)]
pub struct PriceCache(Mutex<HashMap<String, Price>>);

impl PriceCache {
    /// Price `id`, from memory or from Stripe.
    pub(crate) async fn get(&self, stripe: &StripeClient, id: &str) -> Result<Price, ApiError> {
        if let Some(price) = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
        {
            return Ok(price.clone());
        }
        let price = stripe.retrieve_price(id).await?;
        let mut prices = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if prices.len() < MAX_PRICES {
            prices.insert(id.to_owned(), price.clone());
        }
        Ok(price)
    }
}
