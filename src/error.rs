//! Errors the widget reports, as one enum (no panics on anything from the
//! network, the page or Stripe.js).

use wasm_bindgen::{JsCast, JsValue};

/// Everything that can go wrong between the page, Stripe.js and the merchant server.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckoutError {
    /// The Stripe.js script could not be loaded.
    #[error("Stripe.js could not be loaded from {0}")]
    ScriptLoad(String),
    /// The page has no `Stripe` function after loading Stripe.js.
    #[error("Stripe.js is not available on this page")]
    StripeMissing,
    /// Stripe.js threw or rejected: an integration error, not meant for customers.
    #[error("Stripe.js integration error: {0}")]
    Integration(String),
    /// The merchant server could not be reached.
    #[error("could not reach the server: {0}")]
    Network(String),
    /// The merchant server answered with an error message meant for the customer.
    #[error("{0}")]
    Server(String),
    /// `runServerUpdate` resolved `{type: 'error'}` (or rejected) with this message.
    #[error("{0}")]
    Update(String),
    /// A reply had a shape the widget does not understand.
    #[error("unexpected reply: {0}")]
    Unexpected(String),
    /// The checkout is not ready yet (still loading, or it failed to load).
    #[error("the checkout is not ready")]
    NotReady,
}

/// Shown when nothing more specific is known.
pub const GENERIC_MESSAGE: &str = "We couldn't update your order. Please try again.";

impl CheckoutError {
    /// The text to show the customer in the alert region.
    pub fn customer_message(&self) -> String {
        match self {
            Self::Server(message) | Self::Update(message) if !message.trim().is_empty() => {
                message.clone()
            }
            Self::ScriptLoad(_) | Self::StripeMissing | Self::Integration(_) => {
                "The payment form could not be loaded. Please refresh the page.".to_owned()
            }
            Self::Network(_) => {
                "We couldn't reach the server. Check your connection and try again.".to_owned()
            }
            Self::NotReady => "The checkout is still loading. Please try again.".to_owned(),
            _ => GENERIC_MESSAGE.to_owned(),
        }
    }
}

/// The message of a thrown JS value (`Error.message`, a string, or a fallback).
pub(crate) fn js_message(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    if let Some(text) = value.as_string() {
        return text;
    }
    js_sys::Reflect::get(value, &JsValue::from_str("message"))
        .ok()
        .and_then(|message| message.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
