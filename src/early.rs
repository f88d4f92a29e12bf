//! What the page started before the wasm ran (`checkout-start.js`): the
//! `/config` fetch, Stripe.js's script, the session's creation and the
//! Stripe.js checkout, as promises on `globalThis.__leptosStripeCheckoutStart`. The first provider
//! of the page takes them, once, when its URLs are the ones they were
//! started for; anything else starts its own requests.

use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::error::{js_message, CheckoutError};

const KEY: &str = "__leptosStripeCheckoutStart";

/// The started requests.
#[derive(Default)]
pub(crate) struct Early {
    /// `GET config_url`: its body.
    pub(crate) config: Option<Promise>,
    /// Stripe.js's `<script>` loading (after the config).
    pub(crate) stripe: Option<Promise>,
    /// `POST client_secret_url`: its body (absent when this tab had a
    /// session to read again).
    pub(crate) secret: Option<Promise>,
    /// The Stripe.js checkout made from the config's key and train with that
    /// secret: for basil what `initCheckout` resolved, for the later trains
    /// the SDK object (rejected when the config named no train).
    pub(crate) checkout: Option<Promise>,
    /// The client secret this tab remembered, which the checkout was made
    /// with instead of a new session's.
    pub(crate) remembered: Option<String>,
}

fn promise(start: &JsValue, key: &str) -> Option<Promise> {
    Reflect::get(start, &JsValue::from_str(key))
        .ok()?
        .dyn_into::<Promise>()
        .ok()
}

fn text(start: &JsValue, key: &str) -> Option<String> {
    Reflect::get(start, &JsValue::from_str(key))
        .ok()?
        .as_string()
}

/// Takes what the page started for `config_url` and `secret_url`, if it
/// started anything for them (then nobody else takes it).
pub(crate) fn take(instance: usize, config_url: &str, secret_url: Option<&str>) -> Early {
    let global = js_sys::global();
    let Ok(start) = Reflect::get(&global, &JsValue::from_str(KEY)) else {
        return Early::default();
    };
    if instance != 0 || !start.is_object() {
        return Early::default();
    }
    let _ = Reflect::delete_property(
        global.unchecked_ref::<js_sys::Object>(),
        &JsValue::from_str(KEY),
    );
    let same_config = text(&start, "configUrl").as_deref() == Some(config_url);
    let same_secret =
        secret_url.is_some() && text(&start, "clientSecretUrl").as_deref() == secret_url;
    Early {
        config: promise(&start, "config").filter(|_| same_config),
        stripe: promise(&start, "stripe").filter(|_| same_config),
        secret: promise(&start, "secret").filter(|_| same_secret),
        checkout: promise(&start, "checkout").filter(|_| same_config && same_secret),
        remembered: text(&start, "remembered"),
    }
}

/// What a started promise resolved with; `None` when it was rejected.
pub(crate) async fn value(promise: Promise) -> Option<JsValue> {
    JsFuture::from(promise).await.ok()
}

/// The text a started request resolved with, or its failure as the
/// widget's own request would have reported it.
pub(crate) async fn body(promise: Promise) -> Result<String, CheckoutError> {
    JsFuture::from(promise)
        .await
        .map_err(|error| CheckoutError::Network(js_message(&error)))?
        .as_string()
        .ok_or_else(|| CheckoutError::Unexpected("a started request gave no text".to_owned()))
}

/// Waits for Stripe.js's started `<script>`; whether it loaded. A failure
/// is the widget's, reported as its own load's would be ("Try again" then
/// loads a fresh script: the failed one is removed).
pub(crate) async fn loaded(promise: Promise) -> bool {
    JsFuture::from(promise).await.is_ok()
}
