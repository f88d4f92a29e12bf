//! What the configuration refuses: a variable that is missing, or whose
//! value the server does not understand.

use checkout_listener::LimitError;

/// Configuration errors (live mode with missing variables).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// A required environment variable is not set (or is empty).
    #[error("{0} is required but missing or empty (STRIPE_SECRET_KEY is set, so the Stripe API is used and needs it)")]
    Missing(&'static str),
    /// Neither Stripe's keys nor the emulator were asked for.
    #[error("no Stripe keys: set {} to use Stripe, or run `checkout-server --emulator` (CHECKOUT_MODE=emulator) for the offline emulator", .0.join(", "))]
    NoMode(Vec<&'static str>),
    /// The catalogue file is missing or not valid.
    #[error("CHECKOUT_CATALOGUE: {0}")]
    Catalogue(String),
    /// A combination the server refuses (keys of two modes, a live key
    /// given to the emulator, Stripe mode without a webhook secret).
    #[error("{0}")]
    Refused(&'static str),
    /// A variable has a value the server does not understand.
    #[error("{name} has an invalid value {value:?}: {expected}")]
    Invalid {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// What it should be.
        expected: &'static str,
    },
}

/// The emulator's `SANDBOX_*` variables (read by `stripe-sandbox`).
#[cfg(feature = "sandbox")]
impl From<stripe_sandbox::EnvError> for ConfigError {
    fn from(e: stripe_sandbox::EnvError) -> Self {
        ConfigError::Invalid {
            name: e.name,
            value: e.value,
            expected: e.expected,
        }
    }
}

impl From<LimitError> for ConfigError {
    fn from(e: LimitError) -> Self {
        ConfigError::Invalid {
            name: e.name,
            value: e.value,
            expected: e.expected,
        }
    }
}
