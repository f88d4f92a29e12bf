//! Errors the widget reports, as one enum (no panics on anything from the
//! network, the page or Stripe.js).

use wasm_bindgen::{JsCast, JsValue};

use crate::labels::Labels;

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
    /// A component or hook was used outside a `<CheckoutProvider>`.
    #[error("this must be used inside a <CheckoutProvider>")]
    MissingProvider,
}

impl CheckoutError {
    /// The text to show the customer, in English.
    pub fn customer_message(&self) -> String {
        self.customer_message_in(&Labels::en())
    }

    /// The text to show the customer, in `labels`' language. Messages from
    /// the merchant server are shown as they are.
    pub fn customer_message_in(&self, labels: &Labels) -> String {
        match self {
            Self::Server(message) | Self::Update(message) if !message.trim().is_empty() => {
                message.clone()
            }
            Self::ScriptLoad(_)
            | Self::StripeMissing
            | Self::Integration(_)
            | Self::MissingProvider => labels.load_error.clone(),
            Self::Network(_) => labels.network_error.clone(),
            _ => labels.generic_error.clone(),
        }
    }
}

impl From<checkout_protocol::UnknownTrain> for CheckoutError {
    fn from(error: checkout_protocol::UnknownTrain) -> Self {
        Self::Integration(error.to_string())
    }
}

impl From<crate::json::ShapeError> for CheckoutError {
    fn from(error: crate::json::ShapeError) -> Self {
        Self::Unexpected(error.to_string())
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
