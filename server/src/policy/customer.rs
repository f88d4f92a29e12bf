//! Who the customer is, as the merchant's own systems know them: the
//! [`CustomerIdentity`] hook names them when a checkout starts (from the
//! request's cookies or `Authorization`), the session is created with it
//! (`customer`, `client_reference_id`, `customer_email`, `metadata`), and
//! every policy decision gets it back from the session as a [`Customer`].

use std::collections::BTreeMap;

use axum::http::HeaderMap;

use super::{PolicyError, PolicyFuture};
use crate::stripe_client::CheckoutSession;

/// The metadata keys the server itself writes on sessions (the merchant's
/// own keys may not use them).
pub const RESERVED_METADATA_PREFIX: &str = "checkout_";

/// The customer of a session: what the merchant set when it was created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    /// An existing Stripe Customer (`cus_…`). The session is then created
    /// for it, without `customer_email` (Stripe takes one or the other: "You
    /// may only specify one of these parameters: customer, customer_email.").
    pub customer: Option<String>,
    /// The merchant's own reference (`client_reference_id`: an account id,
    /// a cart id), at most 200 characters.
    pub client_reference_id: Option<String>,
    /// The customer's email (`customer_email`, else what they entered).
    pub email: Option<String>,
    /// The merchant's metadata (at most 50 keys of 40 characters, values of
    /// 500; keys starting with `checkout_` are the server's).
    pub metadata: BTreeMap<String, String>,
}

impl Customer {
    /// The customer of `session` (the server's own metadata left out).
    pub fn of(session: &CheckoutSession) -> Self {
        Self {
            customer: session.customer.as_ref().map(|c| match c {
                crate::stripe_client::Expandable::Id(id) => id.clone(),
                crate::stripe_client::Expandable::Object(object) => object
                    .get("id")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            }),
            client_reference_id: session.client_reference_id.clone(),
            email: session.customer_email.clone().or_else(|| {
                session
                    .customer_details
                    .as_ref()
                    .and_then(|d| d.email.clone())
            }),
            metadata: session
                .metadata
                .iter()
                .flatten()
                .filter(|(k, _)| !k.starts_with(RESERVED_METADATA_PREFIX))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// Whether Stripe would take it (`client_reference_id` ≤ 200 characters;
    /// metadata ≤ 50 keys, keys ≤ 40, values ≤ 500, none reserved); what is
    /// wrong otherwise.
    pub fn check(&self) -> Result<(), String> {
        if self
            .customer
            .as_ref()
            .is_some_and(|c| !c.starts_with("cus_") || c.len() <= "cus_".len())
        {
            return Err("customer must be a Stripe Customer id (cus_…)".to_owned());
        }
        if self
            .client_reference_id
            .as_ref()
            .is_some_and(|r| r.is_empty() || r.chars().count() > 200)
        {
            return Err("client_reference_id must have 1 to 200 characters".to_owned());
        }
        if self.metadata.len() > 50 {
            return Err("metadata has more than 50 keys".to_owned());
        }
        for (key, value) in &self.metadata {
            if key.is_empty() || key.chars().count() > 40 || key.contains(['[', ']']) {
                return Err(format!(
                    "metadata key {key:?} must have 1 to 40 characters and no brackets"
                ));
            }
            if key.starts_with(RESERVED_METADATA_PREFIX) {
                return Err(format!(
                    "metadata key {key:?} starts with {RESERVED_METADATA_PREFIX:?}, the server's"
                ));
            }
            if value.chars().count() > 500 {
                return Err(format!(
                    "metadata value of {key:?} is longer than 500 characters"
                ));
            }
        }
        Ok(())
    }
}

/// Names the customer starting a checkout, from their request to
/// `/create-checkout-session` (a session cookie, an `Authorization`
/// header): look them up in the merchant's systems. An error refuses the
/// checkout with 503 "try again" and creates nothing.
pub trait CustomerIdentity: Send + Sync {
    /// The customer of the request whose headers are `headers`
    /// ([`Customer::default`]: anonymous).
    fn identify<'a>(&'a self, headers: &'a HeaderMap) -> PolicyFuture<'a, Customer>;
}

/// The default [`CustomerIdentity`]: everyone is anonymous.
#[derive(Debug, Default, Clone, Copy)]
pub struct Anonymous;

impl CustomerIdentity for Anonymous {
    fn identify<'a>(&'a self, _headers: &'a HeaderMap) -> PolicyFuture<'a, Customer> {
        Box::pin(async { Ok::<_, PolicyError>(Customer::default()) })
    }
}
