//! The merchant contract of leptos-stripe-checkout, as a document and a test
//! kit:
//!
//! - [`openapi`]: the OpenAPI 3.1 document of the merchant endpoints,
//!   generated from `checkout-protocol`'s types (committed at
//!   `docs/merchant-api.openapi.json`);
//! - [`run`]: the conformance suite, which drives a merchant server over
//!   HTTP as the widget and Stripe.js do, against a `stripe-sandbox`
//!   emulator that is the server's Stripe, and reports one line per check.
//!
//! The binary `checkout-conformance` runs either (`--help`).
#![deny(missing_docs)]

pub mod http;
pub mod openapi;
pub mod report;
mod suite;

use std::time::Duration;

pub use report::{Check, Outcome, Report};
pub use suite::{run, sign};

/// Where the suite runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The merchant server (`http://127.0.0.1:4242`).
    pub base_url: String,
    /// The `stripe-sandbox` emulator the merchant server uses as its Stripe.
    pub stripe_url: String,
    /// A secret test key the emulator accepts (any `sk_test_…`).
    pub stripe_key: String,
    /// Each request's limit.
    pub request_timeout: Duration,
    /// How many times the webhook's delivery and the order are polled.
    pub poll_attempts: u32,
    /// The wait between two polls.
    pub poll_interval: Duration,
}

/// The default secret key (the emulator accepts any `sk_test_…`).
pub const DEFAULT_STRIPE_KEY: &str = "sk_test_conformance";

impl Options {
    /// The defaults for `base_url` and `stripe_url`: requests limited to 30 s,
    /// the webhook polled 80 times 250 ms apart (20 s in all).
    pub fn new(base_url: impl Into<String>, stripe_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            stripe_url: stripe_url.into(),
            stripe_key: DEFAULT_STRIPE_KEY.to_owned(),
            request_timeout: Duration::from_secs(30),
            poll_attempts: 80,
            poll_interval: Duration::from_millis(250),
        }
    }
}

/// Why the suite could not run at all (every answer of the servers is a
/// check instead).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The HTTP client could not be built.
    #[error("could not build the HTTP client: {0}")]
    Client(String),
}
