//! Embedding on any page, Leptos or not: `mount(element, options)` exported
//! to JavaScript.
//!
//! ```html
//! <div id="checkout-widget"></div>
//! <script type="module">
//!   import init, { mount } from '/leptos-stripe-checkout.js';
//!   await init();
//!   const widget = mount(document.getElementById('checkout-widget'), {
//!     configUrl: '/config',                      // or publishableKey + stripeJsUrl
//!     clientSecretUrl: '/create-checkout-session', // or clientSecret, or checkout
//!     train: 'basil',                            // basil | clover | dahlia | endive
//!     locale: 'fr',                              // en | fr | ja
//!     labels: { applyDiscount: 'Use my discount' },
//!     controls: ['switch', 'discount', 'trial', 'quantity', 'status', 'summary', 'express', 'payment'],
//!     // statusUrl: '/checkout-session-status', rememberSession: true,
//!   });
//!   // later: widget.unmount();
//! </script>
//! ```
//!
//! `checkout` adopts a checkout the page already created (basil: what
//! `initCheckout` resolved; clover, dahlia and endive: the SDK object), so the widget
//! lives beside the merchant's own Payment Element.

use std::cell::RefCell;

use leptos::prelude::*;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::controls::{Control, Parts};
use crate::labels::Labels;
use crate::layout::{widget, Settings};
use crate::provider::CheckoutProvider;
use crate::setup::ClientSecretSource;
use crate::stripe_js::Train;

/// The longest label override `mount()` accepts, in characters.
pub const MAX_LABEL_CHARS: usize = 300;

thread_local! {
    /// The elements that hold a widget.
    static MOUNTED: RefCell<Vec<web_sys::Element>> = const { RefCell::new(Vec::new()) };
}

fn is_mounted(element: &web_sys::Element) -> bool {
    MOUNTED.with(|mounted| {
        mounted
            .borrow()
            .iter()
            .any(|other| other.is_same_node(Some(element)))
    })
}

fn release(element: &web_sys::Element) {
    MOUNTED.with(|mounted| {
        mounted
            .borrow_mut()
            .retain(|other| !other.is_same_node(Some(element)));
    });
}

/// A mounted widget; call `unmount()` to remove it.
#[wasm_bindgen]
pub struct EmbeddedCheckout {
    handle: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
    element: Option<web_sys::Element>,
}

#[wasm_bindgen]
impl EmbeddedCheckout {
    /// Removes the widget from the page (whatever it was doing: loading,
    /// updating, paying); the element can take a widget again.
    pub fn unmount(&mut self) {
        self.handle.take();
        if let Some(element) = self.element.take() {
            release(&element);
        }
    }
}

impl Drop for EmbeddedCheckout {
    fn drop(&mut self) {
        self.unmount();
    }
}

/// What a `mount()` target is, in words, for the error message.
fn describe(target: &JsValue) -> String {
    if target.is_null() {
        "null".to_owned()
    } else if target.is_undefined() {
        "undefined".to_owned()
    } else if let Some(text) = target.as_string() {
        format!("the string \"{text}\" (pass document.querySelector(\"{text}\") instead)")
    } else if let Some(node) = target.dyn_ref::<web_sys::Node>() {
        format!("a {} node", node.node_name())
    } else {
        format!("a {}", target.js_typeof().as_string().unwrap_or_default())
    }
}

/// The element `mount()` was given, or why it cannot hold a widget.
fn target_element(target: &JsValue) -> Result<web_sys::HtmlElement, JsError> {
    let element = target
        .dyn_ref::<web_sys::HtmlElement>()
        .ok_or_else(|| {
            JsError::new(&format!(
                "mount(): the target must be an HTML element, got {}",
                describe(target)
            ))
        })?
        .clone();
    if is_mounted(&element) {
        return Err(JsError::new(
            "mount(): this element already holds a checkout widget; call unmount() on it first",
        ));
    }
    Ok(element)
}

/// The TypeScript types of `mount()`'s options, written next to the serde
/// types that read them (`MountOptions`, `LabelOverrides`, `CONTROLS`)
/// and carried into wasm-bindgen's `.d.ts` (the npm package's types). A host
/// test checks that every key serde reads is here and every key here is read.
pub const MOUNT_OPTIONS_TS: &str = concat!(
    r#"
/** A part of the widget `mount()` can render. */
export type MountControl ="#,
    crate::controls::mount_control_union!(),
    r#";

/** `mount()`'s options; every key is optional. */
export interface MountOptions {
  /** Where to GET `{publishableKey, stripeJsUrl, train}` (default `/config`). */
  configUrl?: string;
  /** Stripe's publishable key; with `stripeJsUrl`, no config is fetched. */
  publishableKey?: string;
  /** Where Stripe.js is loaded from. */
  stripeJsUrl?: string;
  /** A Checkout Session's client secret the page already has. */
  clientSecret?: string;
  /** Where to POST for `{clientSecret}` (default `/create-checkout-session`). */
  clientSecretUrl?: string;
  /** The Stripe.js release train (default: the config's, else `basil`). */
  train?: "basil" | "clover" | "dahlia" | "endive";
  /** The labels' language (default: the page's `<html lang>`). */
  locale?: "en" | "fr" | "ja" | (string & {});
  /** Asked for the session's status when Stripe.js cannot read it (default `/checkout-session-status`). */
  statusUrl?: string;
  /** Whether the tab keeps the session it created across reloads (default `true`). */
  rememberSession?: boolean;
  /** The parts to render (default `["switch", "discount", "status", "summary"]`). */
  controls?: MountControl[];
  /** Texts to override. */
  labels?: MountLabels;
  /**
   * The merchant paths (or URLs) the controls POST to, instead of their
   * defaults (`/change-subscription-interval`, `/apply-customer-discount`,
   * `/extend-trial-for-yearly`, `/update-line-item-quantity`).
   */
  endpoints?: MountEndpoints;
  /**
   * A checkout the page already created, adopted instead of creating one
   * (basil: what `initCheckout` resolved; clover, dahlia and endive: the SDK object).
   */
  checkout?: object;
  /**
   * Stripe's `elementsOptions` for the checkout the widget creates
   * (`appearance`, `loader`, `fonts`, …; Stripe.js checks them). Without
   * them, the widget gives the Elements an appearance from its own theme.
   */
  elementsOptions?: MountElementsOptions;
  /** The Payment Element's options (`createPaymentElement`'s: `layout`, `paymentMethodOrder`, …; Stripe.js checks them). */
  paymentElementOptions?: MountPaymentElementOptions;
  /** The Express Checkout Element's options (control `express`; `createExpressCheckoutElement`'s: `buttonHeight`, `buttonType`, …; Stripe.js checks them). */
  expressCheckoutOptions?: MountExpressCheckoutOptions;
  /** Called with the `lsc-ready` event's detail: a checkout finished loading. */
  onReady?: (detail: CheckoutSummary) => void;
  /** Called with the `lsc-change` event's detail: the order as the widget shows it changed. */
  onChange?: (detail: CheckoutSummary) => void;
  /** Called with the `lsc-update-failed` event's detail: a server update failed and the customer was told. */
  onUpdateFailed?: (detail: UpdateFailure) => void;
  /** Called with the `lsc-complete` event's detail: the session is complete (paid, or loaded already paid). */
  onComplete?: (detail: CheckoutSummary) => void;
}

/** Stripe's `elementsOptions` (stripe-js's `StripeCheckoutElementsOptions`; Stripe.js checks them). */
export type MountElementsOptions = {
  appearance?: { theme?: "stripe" | "night" | "flat"; variables?: Record<string, string>; [key: string]: unknown };
  loader?: "auto" | "always" | "never";
  [key: string]: unknown;
};

/** The Payment Element's options (stripe-js's `StripeCheckoutPaymentElementOptions`; Stripe.js checks them). */
export type MountPaymentElementOptions = {
  layout?: "tabs" | "accordion" | "auto" | { type: "tabs" | "accordion" | "auto"; [key: string]: unknown };
  paymentMethodOrder?: string[];
  [key: string]: unknown;
};

/** The Express Checkout Element's options (stripe-js's `StripeCheckoutExpressCheckoutElementOptions`; Stripe.js checks them). */
export type MountExpressCheckoutOptions = {
  buttonHeight?: number;
  buttonTheme?: Record<string, string>;
  buttonType?: Record<string, string>;
  layout?: { maxColumns?: number; maxRows?: number; overflow?: "auto" | "never" };
  paymentMethodOrder?: string[];
  paymentMethods?: Record<string, "auto" | "always" | "never">;
  [key: string]: unknown;
};

/** An amount: in minor units, and as the widget shows it. */
export interface Money {
  /** Minor units of the session's currency (`13500` for $135.00). */
  minorUnits: number;
  /** As the widget shows it (`$135.00`), in its labels' locale. */
  text: string;
}

/** One line of the order. */
export interface SummaryLine {
  /** Stripe's line item id. */
  id: string;
  /** The product's name. */
  name: string;
  /** How many. */
  quantity: number;
  /** The line's total. */
  total: Money;
}

/** The order as the widget shows it (`lsc-ready`, `lsc-change`). */
export interface CheckoutSummary {
  /** The Checkout Session's id (`cs_…`; never its client secret). */
  sessionId: string;
  /** The session's currency, lower case (`usd`). */
  currency: string;
  /** The lines. */
  lineItems: SummaryLine[];
  /** The discounts' sum. */
  discount: Money;
  /** What the customer pays now. */
  total: Money;
  /** The total as the widget says it (`$135.00 per year`). */
  totalText: string;
  /** The subscription's interval (`month`, `year`); `null` in payment mode. */
  interval: string | null;
  /** `open`, `complete` or `expired`. */
  status: string;
  /** For a complete session, Stripe's `paid`, `unpaid` or `no_payment_required`; else `null`. */
  paymentStatus: string | null;
}

/** A failed server update (`lsc-update-failed`). */
export interface UpdateFailure {
  /** The merchant endpoint the control called (`/change-subscription-interval`). */
  endpoint: string;
  /** The server's refusal code (`not_eligible`, …), or `server_error`, `network_error`, `stripe_js_error`, `unexpected_reply`, `not_ready`. */
  code: string;
  /** What the customer was told. */
  message: string;
}

/**
 * The widget's DOM events: dispatched on its root element, bubbling (listen
 * on the element it was mounted into, or on `document`).
 */
export interface CheckoutEventMap {
  "lsc-ready": CustomEvent<CheckoutSummary>;
  "lsc-change": CustomEvent<CheckoutSummary>;
  "lsc-update-failed": CustomEvent<UpdateFailure>;
  "lsc-complete": CustomEvent<CheckoutSummary>;
}

declare global {
  interface HTMLElementEventMap extends CheckoutEventMap {}
  interface DocumentEventMap extends CheckoutEventMap {}
}
"#
);

// wasm-bindgen takes the section's const away; it gets a copy.
#[wasm_bindgen(typescript_custom_section)]
const MOUNT_OPTIONS_TS_SECTION: &str = MOUNT_OPTIONS_TS;

// `MountLabels`, written from the labels' own list (`crate::labels`).
#[wasm_bindgen(typescript_custom_section)]
const MOUNT_LABELS_TS_SECTION: &str = crate::labels::MOUNT_LABELS_TS;

// `MountEndpoints`, written from the controls' own list (`crate::controls`).
#[wasm_bindgen(typescript_custom_section)]
const MOUNT_ENDPOINTS_TS_SECTION: &str = crate::controls::MOUNT_ENDPOINTS_TS;

/// `mount()`'s options: a serde type read from the JS object with
/// serde (`wire`). Unknown keys are ignored; a known key of the wrong
/// type is an error naming it. Their TypeScript type is
/// [`MOUNT_OPTIONS_TS`].
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct MountOptions {
    #[serde(deserialize_with = "config_url")]
    config_url: Option<String>,
    #[serde(deserialize_with = "publishable_key")]
    publishable_key: Option<String>,
    #[serde(deserialize_with = "stripe_js_url")]
    stripe_js_url: Option<String>,
    #[serde(deserialize_with = "client_secret")]
    client_secret: Option<String>,
    #[serde(deserialize_with = "client_secret_url")]
    client_secret_url: Option<String>,
    #[serde(deserialize_with = "train")]
    train: Option<String>,
    #[serde(deserialize_with = "locale")]
    locale: Option<String>,
    #[serde(deserialize_with = "status_url")]
    status_url: Option<String>,
    #[serde(deserialize_with = "remember_session")]
    remember_session: Option<bool>,
    #[serde(deserialize_with = "controls")]
    controls: Option<Vec<String>>,
    /// Read by `mount()` itself, key by key ([`endpoints_given`]).
    #[serde(rename = "endpoints")]
    _endpoints: serde::de::IgnoredAny,
    /// Read by `mount()` itself, key by key ([`override_labels`]).
    #[serde(rename = "labels")]
    _labels: serde::de::IgnoredAny,
    /// Read by `mount()` itself, as the JS object it is (an object, or
    /// nothing adopted); named here so that serde's list of keys is whole.
    #[serde(rename = "checkout")]
    _checkout: serde::de::IgnoredAny,
    /// The callbacks, read by `mount()` itself as the functions they are
    /// ([`Callbacks`]); named here so that serde's list of keys is whole.
    #[serde(rename = "onReady")]
    _on_ready: serde::de::IgnoredAny,
    #[serde(rename = "onChange")]
    _on_change: serde::de::IgnoredAny,
    #[serde(rename = "onUpdateFailed")]
    _on_update_failed: serde::de::IgnoredAny,
    #[serde(rename = "onComplete")]
    _on_complete: serde::de::IgnoredAny,
    /// Read by `mount()` itself as the objects they are ([`stripe_object`]).
    #[serde(rename = "elementsOptions")]
    _elements_options: serde::de::IgnoredAny,
    #[serde(rename = "paymentElementOptions")]
    _payment_element_options: serde::de::IgnoredAny,
    #[serde(rename = "expressCheckoutOptions")]
    _express_checkout_options: serde::de::IgnoredAny,
}

/// `options[key]` when it is a plain object; `None` when absent, an error
/// naming the key when it is something else.
fn object_option(options: &JsValue, key: &str) -> Result<Option<JsValue>, JsError> {
    let value = js_sys::Reflect::get(options, &key.into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() || value.is_function() || js_sys::Array::is_array(&value) {
        return Err(JsError::new(&format!(
            "mount(): options.{key} must be an object"
        )));
    }
    Ok(Some(value))
}

/// `options[key]`, an object handed to Stripe.js as it is (Stripe.js checks
/// its keys and values), as JSON text for the provider; `None` when absent,
/// an error naming the key when it is not a plain object.
fn stripe_object(options: &JsValue, key: &str) -> Result<Option<String>, JsError> {
    let Some(value) = object_option(options, key)? else {
        return Ok(None);
    };
    js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .map(Some)
        .ok_or_else(|| JsError::new(&format!("mount(): options.{key} must be an object")))
}

/// `options.onReady`, `onChange`, `onUpdateFailed` and `onComplete`
/// (`host_events::OPTION_KEYS`), each called with the `detail` of the
/// widget's DOM event of the same name: `None` when absent; an error names
/// one that is not a function.
fn page_functions(options: &JsValue) -> Result<[Option<js_sys::Function>; 4], JsError> {
    let mut functions: [Option<js_sys::Function>; 4] = Default::default();
    if options.is_object() {
        for (function, key) in functions.iter_mut().zip(crate::host_events::OPTION_KEYS) {
            let value = js_sys::Reflect::get(options, &key.into()).unwrap_or(JsValue::UNDEFINED);
            if value.is_undefined() || value.is_null() {
                continue;
            }
            *function = Some(value.dyn_into::<js_sys::Function>().map_err(|_| {
                JsError::new(&format!("mount(): options.{key} must be a function"))
            })?);
        }
    }
    Ok(functions)
}

/// A field reader whose error names the option and what it must be
/// (serde's own errors do not say which field they are about).
macro_rules! named {
    ($($function:ident: $type:ty = $name:literal, $expected:literal;)*) => {$(
        fn $function<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$type, D::Error> {
            <$type>::deserialize(deserializer).map_err(|_| {
                D::Error::custom(concat!("options.", $name, " must be ", $expected))
            })
        }
    )*};
}

named! {
    config_url: Option<String> = "configUrl", "a string";
    publishable_key: Option<String> = "publishableKey", "a string";
    stripe_js_url: Option<String> = "stripeJsUrl", "a string";
    client_secret: Option<String> = "clientSecret", "a string";
    client_secret_url: Option<String> = "clientSecretUrl", "a string";
    train: Option<String> = "train", "a string";
    locale: Option<String> = "locale", "a string";
    status_url: Option<String> = "statusUrl", "a string";
    remember_session: Option<bool> = "rememberSession", "a boolean";
    controls: Option<Vec<String>> = "controls", "an array of control names";
}

/// `options.labels` over `labels`: each key one of [`Labels::KEYS`] (or
/// `switchToYearly`, `intervalSwitch`'s former key), each value a string of
/// at most [`MAX_LABEL_CHARS`] characters; anything else is an error naming
/// the key (and `mount()` fails).
fn override_labels(options: &JsValue, labels: &mut Labels) -> Result<(), JsError> {
    let Some(given) = object_option(options, "labels")? else {
        return Ok(());
    };
    let texts = labels.texts_mut();
    for entry in js_sys::Object::entries(given.unchecked_ref()) {
        let entry: js_sys::Array = entry.unchecked_into();
        let key = entry.get(0).as_string().unwrap_or_default();
        let value = entry.get(1);
        if value.is_undefined() {
            continue;
        }
        let name = if key == "switchToYearly" {
            "intervalSwitch"
        } else {
            &key
        };
        let Some(index) = Labels::KEYS.iter().position(|known| *known == name) else {
            return Err(JsError::new(&format!(
                "mount(): options.labels.{key} is not a label"
            )));
        };
        let Some(text) = value.as_string() else {
            return Err(JsError::new(&format!(
                "mount(): options.labels.{key} must be a string"
            )));
        };
        if text.chars().count() > MAX_LABEL_CHARS {
            return Err(JsError::new(&format!(
                "mount(): options.labels.{key} is longer than {MAX_LABEL_CHARS} characters"
            )));
        }
        *texts[index] = text.into();
    }
    Ok(())
}

/// `options.endpoints`: a merchant path (or URL) per control that calls
/// one, by the control's name; an error names a key that is not such a
/// control, or a value that is not a string or is empty.
///
/// Its loop over the entries is `override_labels`'s, written twice on
/// purpose: one shared reader returning a `Vec<(String, String)>` cost the
/// full demo 162 B gzip (docs/weight.md, stop 36).
fn endpoints_given(options: &JsValue) -> Result<Settings, JsError> {
    let mut endpoints = Settings::default();
    let Some(given) = object_option(options, "endpoints")? else {
        return Ok(endpoints);
    };
    for entry in js_sys::Object::entries(given.unchecked_ref()) {
        let entry: js_sys::Array = entry.unchecked_into();
        let key = entry.get(0).as_string().unwrap_or_default();
        let value = entry.get(1);
        if value.is_undefined() {
            continue;
        }
        let Some(control) = Control::named(&key).filter(|c| c.calls_endpoint()) else {
            return Err(JsError::new(&format!(
                "mount(): options.endpoints.{key}: the controls that call the server are {}",
                Control::names(Control::calls_endpoint)
            )));
        };
        match value.as_string() {
            Some(path) if !path.trim().is_empty() => endpoints[control as usize] = Some(path),
            _ => {
                return Err(JsError::new(&format!(
                    "mount(): options.endpoints.{key} must be a path or URL (a non-empty string)"
                )))
            }
        }
    }
    Ok(endpoints)
}

/// The parts `names` asks for; an error names a control this build does
/// not have, or one that does not exist.
fn parts_named(names: &[String]) -> Result<Parts, JsError> {
    names
        .iter()
        .try_fold(Parts::default(), |parts, name| match Control::named(name) {
            Some(control) if control.in_build() => Ok(parts.with(control)),
            Some(control) => Err(JsError::new(&format!(
                "mount(): this build has no \"{name}\" control (cargo feature `{}`)",
                control.feature().unwrap_or(name)
            ))),
            None => Err(JsError::new(&format!(
                "mount(): unknown control \"{name}\"; known: {}",
                Control::names(|_| true)
            ))),
        })
}

/// Mounts the checkout widget into `element`. Throws a clear `Error` (never
/// traps, and creates no session) when `element` is not an HTML element or
/// already holds a widget, and on bad options.
#[wasm_bindgen]
pub fn mount(
    #[wasm_bindgen(unchecked_param_type = "HTMLElement")] element: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MountOptions")] options: JsValue,
) -> Result<EmbeddedCheckout, JsError> {
    let element = target_element(element)?;
    let adopt = if options.is_undefined() || options.is_null() {
        None
    } else if options.is_object() && !js_sys::Array::is_array(&options) {
        js_sys::Reflect::get(&options, &"checkout".into())
            .ok()
            .filter(|value| value.is_object())
    } else {
        return Err(JsError::new("mount(): options must be an object"));
    };
    let js_options = options.clone();
    let options: MountOptions = if adopt.is_none() && (options.is_undefined() || options.is_null())
    {
        MountOptions::default()
    } else {
        crate::wire::from_js_value(options)
            .map_err(|error| JsError::new(&format!("mount(): {error}")))?
    };
    let train = match &options.train {
        Some(name) => Some(
            name.parse::<Train>()
                .map_err(|e| JsError::new(&e.to_string()))?,
        ),
        None => None,
    };
    let mut labels = Labels::for_locale(options.locale.as_deref().unwrap_or_default());
    override_labels(&js_options, &mut labels)?;
    let client_secret = match (options.client_secret, options.client_secret_url) {
        (Some(secret), _) => ClientSecretSource::Secret(secret),
        (None, Some(url)) => ClientSecretSource::Endpoint(url),
        (None, None) => ClientSecretSource::default(),
    };
    let parts = match &options.controls {
        None => Parts::default_controls(),
        Some(names) => parts_named(names)?,
    };
    let mut settings = endpoints_given(&js_options)?;
    settings[Control::Express as usize] = stripe_object(&js_options, "expressCheckoutOptions")?;
    let functions = page_functions(&js_options)?;
    let elements_options = stripe_object(&js_options, "elementsOptions")?;
    let payment_element_options = stripe_object(&js_options, "paymentElementOptions")?;
    let MountOptions {
        config_url,
        publishable_key,
        stripe_js_url,
        status_url,
        ..
    } = options;
    let remember_session = options.remember_session.unwrap_or(true);
    let root: web_sys::Element = element.clone().into();
    MOUNTED.with(|mounted| mounted.borrow_mut().push(root.clone()));
    crate::host_events::hand_over(functions);
    let handle = leptos::mount::mount_to(element, move || {
        view! {
            <div class="lsc-embed">
                <CheckoutProvider
                    config_url=config_url
                    publishable_key=publishable_key
                    stripe_js_url=stripe_js_url
                    train=train
                    client_secret=client_secret
                    labels=labels
                    checkout=adopt.unwrap_or(JsValue::UNDEFINED)
                    status_url=status_url
                    remember_session=remember_session
                    elements_options=elements_options
                    payment_element_options=payment_element_options
                >
                    {widget(parts, &settings)}
                </CheckoutProvider>
            </div>
        }
        .into_any()
    });
    Ok(EmbeddedCheckout {
        handle: Some(handle),
        element: Some(root),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::Visitor;

    /// A deserializer that records the keys a serde struct reads (its
    /// `FIELDS`, aliases included) and reads nothing.
    struct Keys<'a>(&'a mut &'static [&'static str]);

    impl<'de> Deserializer<'de> for Keys<'_> {
        type Error = serde::de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(Self::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(Self::Error::custom("keys recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }

    fn serde_keys<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
        let mut keys: &'static [&'static str] = &[];
        assert!(T::deserialize(Keys(&mut keys)).is_err());
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys
    }

    /// The keys of `export interface {name} { ... }` in [`MOUNT_OPTIONS_TS`].
    fn ts_keys(name: &str) -> Vec<String> {
        let start = format!("export interface {name} {{");
        let body = [
            MOUNT_OPTIONS_TS,
            crate::labels::MOUNT_LABELS_TS,
            crate::controls::MOUNT_ENDPOINTS_TS,
        ]
        .into_iter()
        .find_map(|ts| ts.split_once(&start))
        .map(|(_, rest)| rest)
        .and_then(|rest| rest.split_once("\n}"))
        .map(|(body, _)| body)
        .unwrap_or_default();
        let mut keys: Vec<String> = body
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with('/') && !line.starts_with('*'))
            .filter_map(|line| line.split_once(':'))
            .map(|(key, _)| key.trim_end_matches('?').to_owned())
            .collect();
        keys.sort_unstable();
        keys
    }

    /// The keys of `value`'s JSON object, sorted.
    fn json_keys(value: &impl serde::Serialize) -> Vec<String> {
        let json = serde_json::to_value(value).unwrap_or_default();
        let mut keys: Vec<String> = json
            .as_object()
            .map(|object| object.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn the_typescript_details_are_the_keys_serde_writes() {
        use crate::host_events::*;
        assert_eq!(ts_keys("Money"), json_keys(&Money::default()));
        assert_eq!(ts_keys("SummaryLine"), json_keys(&SummaryLine::default()));
        let summary = json_keys(&CheckoutSummary::default());
        assert_eq!(summary.len(), 9, "{summary:?}");
        assert_eq!(ts_keys("CheckoutSummary"), summary);
        assert_eq!(
            ts_keys("UpdateFailure"),
            json_keys(&UpdateFailure::default())
        );
        for (name, detail) in [
            (READY, "CheckoutSummary"),
            (CHANGE, "CheckoutSummary"),
            (UPDATE_FAILED, "UpdateFailure"),
            (COMPLETE, "CheckoutSummary"),
        ] {
            let entry = format!("\"{name}\": CustomEvent<{detail}>;");
            assert!(MOUNT_OPTIONS_TS.contains(&entry), "no {entry}");
        }
    }

    #[test]
    fn the_typescript_options_are_the_keys_serde_reads() {
        let options = serde_keys::<MountOptions>();
        assert_eq!(options.len(), 20, "{options:?}");
        assert_eq!(ts_keys("MountOptions"), options);
    }

    #[test]
    fn the_typescript_labels_are_every_text_of_labels() {
        // Every field but `locale`, which is `mount()`'s own option, and
        // the shop's texts (`mount()` has no shop controls).
        let fields = format!("{:?}", Labels::en()).matches(": \"").count();
        assert_eq!(Labels::KEYS.len(), fields - 1 - Labels::UNMOUNTED);
        let mut keys: Vec<&str> = Labels::KEYS.to_vec();
        keys.push("switchToYearly");
        keys.sort_unstable();
        assert_eq!(ts_keys("MountLabels"), keys);
    }

    #[test]
    fn the_typescript_controls_are_the_controls_mount_knows() {
        let union: String = Control::ALL
            .iter()
            .map(|c| format!(" | {:?}", c.name()))
            .collect();
        assert!(
            MOUNT_OPTIONS_TS.contains(&format!("export type MountControl ={union};")),
            "MountControl is not {union}"
        );
        let default: Vec<String> = Control::ALL
            .iter()
            .filter(|c| c.by_default())
            .map(|c| format!("{:?}", c.name()))
            .collect();
        assert!(
            MOUNT_OPTIONS_TS.contains(&format!("(default `[{}]`)", default.join(", "))),
            "the documented default is not {default:?}"
        );
    }

    #[test]
    fn the_typescript_trains_are_the_trains_protocol_parses() {
        let union = Train::ALL
            .map(|train| format!("{:?}", train.as_str()))
            .join(" | ");
        assert!(
            MOUNT_OPTIONS_TS.contains(&format!("train?: {union};")),
            "train is not {union}"
        );
    }
}
