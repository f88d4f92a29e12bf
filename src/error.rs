//! Errors the widget reports, as one enum (no panics on anything from the
//! network, the page or Stripe.js).

use wasm_bindgen::{JsCast, JsValue};

use checkout_protocol::Refusal;

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
    /// The merchant server refused: its `message` and, when its `code` is
    /// one, the [`Refusal`], which picks the text shown from [`Labels`].
    #[error("the server refused: {message}")]
    Server {
        /// The server's message (shown only when it named no refusal).
        message: String,
        /// The refusal its `code` names, such as [`Refusal::NotEligible`]
        /// for `not_eligible` (`None`: no code, or one this widget does not
        /// know).
        refusal: Option<Refusal>,
    },
    /// `runServerUpdate` resolved `{type: 'error'}` (or rejected) with this
    /// message from Stripe.js (never shown to the customer).
    #[error("Stripe.js reported: {0}")]
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

    /// The text to show the customer, in `labels`' language. A refusal of
    /// the merchant server shows the labels' text for its code; a server that
    /// sends no code the labels know has its own message shown. Stripe.js's
    /// and the browser's messages ("Failed to fetch") are never shown.
    pub fn customer_message_in(&self, labels: &Labels) -> String {
        match self {
            Self::Server { message, refusal } => refusal
                .map(|refusal| labels.refusal(refusal).to_owned())
                .or_else(|| (!message.trim().is_empty()).then(|| message.clone()))
                .unwrap_or_else(|| labels.generic_error.to_string()),
            Self::ScriptLoad(_)
            | Self::StripeMissing
            | Self::Integration(_)
            | Self::MissingProvider => labels.load_error.to_string(),
            Self::Network(_) => labels.network_error.to_string(),
            _ => labels.generic_error.to_string(),
        }
    }
}

impl CheckoutError {
    /// A refusal of the merchant server without a code.
    pub fn server(message: impl Into<String>) -> Self {
        Self::Server {
            message: message.into(),
            refusal: None,
        }
    }
}

impl From<checkout_protocol::UnknownTrain> for CheckoutError {
    fn from(error: checkout_protocol::UnknownTrain) -> Self {
        Self::Integration(error.to_string())
    }
}

impl From<crate::wire::ShapeError> for CheckoutError {
    fn from(error: crate::wire::ShapeError) -> Self {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_see_labels_never_raw_messages() {
        let fr = Labels::fr();
        let refused = CheckoutError::Server {
            message: "Customer discounts apply to orders over $100.00.".into(),
            refusal: Some(Refusal::NotEligible),
        };
        assert_eq!(refused.customer_message_in(&fr), fr.not_eligible);
        // A server without codes keeps its own words.
        assert_eq!(
            CheckoutError::server("Not today.").customer_message_in(&fr),
            "Not today."
        );
        assert_eq!(
            CheckoutError::server(" ").customer_message_in(&fr),
            fr.generic_error
        );
        // Stripe.js's and the browser's messages never reach the customer.
        assert_eq!(
            CheckoutError::Update("Failed to fetch".into()).customer_message_in(&fr),
            fr.generic_error
        );
        assert_eq!(
            CheckoutError::Update("No such payment_page: 'cs_test_1'".into())
                .customer_message_in(&Labels::en()),
            Labels::en().generic_error
        );
        assert_eq!(
            CheckoutError::Network("Failed to fetch".into()).customer_message_in(&fr),
            fr.network_error
        );
    }
}
