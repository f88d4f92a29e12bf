//! What the provider needs to start, from its props: where the
//! configuration, Stripe.js and the client secret come from.

use std::rc::Rc;

use crate::stripe_js::{SecretFuture, Train};

/// Default merchant endpoint that reports the publishable key and Stripe.js URL.
pub const DEFAULT_CONFIG_URL: &str = checkout_protocol::endpoints::CONFIG;
/// Default merchant endpoint that creates the Checkout Session.
pub const DEFAULT_CLIENT_SECRET_URL: &str = checkout_protocol::endpoints::CREATE_CHECKOUT_SESSION;
/// Default merchant endpoint that tells a session's status when Stripe.js cannot.
pub const DEFAULT_STATUS_URL: &str = checkout_protocol::endpoints::CHECKOUT_SESSION_STATUS;

/// How the provider gets the session's client secret.
#[derive(Clone)]
pub enum ClientSecretSource {
    /// POST this merchant endpoint; it answers `{clientSecret}`.
    Endpoint(String),
    /// A secret the page already has.
    Secret(String),
    /// Ask this function.
    Callback(Rc<dyn Fn() -> SecretFuture>),
}

impl Default for ClientSecretSource {
    fn default() -> Self {
        Self::Endpoint(DEFAULT_CLIENT_SECRET_URL.to_owned())
    }
}

impl From<&str> for ClientSecretSource {
    fn from(endpoint: &str) -> Self {
        Self::Endpoint(endpoint.to_owned())
    }
}

impl From<String> for ClientSecretSource {
    fn from(endpoint: String) -> Self {
        Self::Endpoint(endpoint)
    }
}

impl std::fmt::Debug for ClientSecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Endpoint(url) => f.debug_tuple("Endpoint").field(url).finish(),
            Self::Secret(_) => f.write_str("Secret(..)"),
            Self::Callback(_) => f.write_str("Callback(..)"),
        }
    }
}

/// What the provider needs to start, from its props.
#[derive(Clone, Debug)]
pub(crate) struct Setup {
    pub(crate) config_url: String,
    pub(crate) publishable_key: Option<String>,
    pub(crate) stripe_js_url: Option<String>,
    pub(crate) train: Option<Train>,
    pub(crate) client_secret: ClientSecretSource,
    pub(crate) elements_options: Option<String>,
    /// `createPaymentElement`'s options as JSON text (`PaymentForm`).
    #[cfg(feature = "payment")]
    pub(crate) payment_element_options: Option<String>,
    /// Merchant endpoint answering a session's status.
    pub(crate) status_url: String,
    /// Where this tab remembers its session's client secret; `None`: it does not.
    pub(crate) storage_key: Option<String>,
    /// Who hears the widget besides the DOM (`host_events.rs`).
    #[cfg(feature = "events")]
    pub(crate) hooks: std::rc::Rc<crate::host_events::Hooks>,
}

/// A JSON-text option (`elements_options`, `payment_element_options`) as the
/// JS value Stripe.js takes: `undefined` when not given, an integration
/// error naming `what` when it is not JSON.
#[cfg(not(feature = "ssr"))]
pub(crate) fn json_option(
    text: Option<&str>,
    what: &str,
) -> Result<wasm_bindgen::JsValue, crate::CheckoutError> {
    match text {
        None => Ok(wasm_bindgen::JsValue::UNDEFINED),
        Some(text) => js_sys::JSON::parse(text)
            .map_err(|_| crate::CheckoutError::Integration(format!("{what} is not JSON"))),
    }
}
