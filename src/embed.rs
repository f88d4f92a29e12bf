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
//!     train: 'basil',                            // basil | clover | dahlia
//!     locale: 'fr',                              // en | fr | ja
//!     labels: { applyDiscount: 'Use my discount' },
//!     controls: ['switch', 'discount', 'trial', 'quantity', 'status', 'summary', 'payment'],
//!     // statusUrl: '/checkout-session-status', rememberSession: true,
//!   });
//!   // later: widget.unmount();
//! </script>
//! ```
//!
//! `checkout` adopts a checkout the page already created (basil: what
//! `initCheckout` resolved; clover and dahlia: the SDK object), so the widget
//! lives beside the merchant's own Payment Element.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::labels::Labels;
use crate::provider::{CheckoutProvider, ClientSecretSource};
use crate::stripe_js::Train;
use crate::{
    ApplyDiscountButton, LineItemQuantity, OrderSummary, PaymentForm, SubscriptionIntervalSwitch,
    TrialOffer, UpdateStatus,
};

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
        format!("the string {text:?} (pass document.querySelector({text:?}) instead)")
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

fn text(options: &JsValue, key: &str) -> Result<Option<String>, JsError> {
    let value =
        js_sys::Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| JsError::new(&format!("mount(): options.{key} must be a string")))
}

fn apply_label_overrides(labels: &mut Labels, overrides: &JsValue) -> Result<(), JsError> {
    if overrides.is_undefined() || overrides.is_null() {
        return Ok(());
    }
    let fields: [(&str, &mut String); 8] = [
        ("switchToYearly", &mut labels.switch_to_yearly),
        ("switchToMonthly", &mut labels.switch_to_monthly),
        ("applyDiscount", &mut labels.apply_discount),
        ("discountApplied", &mut labels.discount_applied),
        ("orderSummary", &mut labels.order_summary),
        ("total", &mut labels.total),
        ("pay", &mut labels.pay),
        ("genericError", &mut labels.generic_error),
    ];
    for (key, field) in fields {
        if let Some(value) = text(overrides, key)? {
            if value.chars().count() > MAX_LABEL_CHARS {
                return Err(JsError::new(&format!(
                    "mount(): options.labels.{key} is longer than {MAX_LABEL_CHARS} characters"
                )));
            }
            *field = value;
        }
    }
    Ok(())
}

/// Mounts the checkout widget into `element`. Throws a clear `Error` (never
/// traps, and creates no session) when `element` is not an HTML element or
/// already holds a widget, and on bad options.
#[wasm_bindgen]
pub fn mount(element: &JsValue, options: JsValue) -> Result<EmbeddedCheckout, JsError> {
    let element = target_element(element)?;
    let options = if options.is_undefined() || options.is_null() {
        js_sys::Object::new().into()
    } else if options.is_object() {
        options
    } else {
        return Err(JsError::new("mount(): options must be an object"));
    };
    let train = match text(&options, "train")? {
        Some(name) => Some(
            name.parse::<Train>()
                .map_err(|e| JsError::new(&e.to_string()))?,
        ),
        None => None,
    };
    let mut labels = Labels::for_locale(&text(&options, "locale")?.unwrap_or_default());
    let overrides = js_sys::Reflect::get(&options, &"labels".into()).unwrap_or(JsValue::UNDEFINED);
    apply_label_overrides(&mut labels, &overrides)?;
    let client_secret = match (
        text(&options, "clientSecret")?,
        text(&options, "clientSecretUrl")?,
    ) {
        (Some(secret), _) => ClientSecretSource::Secret(secret),
        (None, Some(url)) => ClientSecretSource::Endpoint(url),
        (None, None) => ClientSecretSource::default(),
    };
    let adopt = js_sys::Reflect::get(&options, &"checkout".into())
        .ok()
        .filter(|value| value.is_object());
    let controls: Vec<String> = match js_sys::Reflect::get(&options, &"controls".into()) {
        Ok(value) if js_sys::Array::is_array(&value) => js_sys::Array::from(&value)
            .iter()
            .filter_map(|item| item.as_string())
            .collect(),
        _ => ["switch", "discount", "status", "summary"]
            .map(str::to_owned)
            .to_vec(),
    };
    let has = move |name: &str| controls.iter().any(|control| control == name);
    let (switch, discount, trial, quantity, status, summary, payment) = (
        has("switch"),
        has("discount"),
        has("trial"),
        has("quantity"),
        has("status"),
        has("summary"),
        has("payment"),
    );
    let config_url = text(&options, "configUrl")?;
    let publishable_key = text(&options, "publishableKey")?;
    let stripe_js_url = text(&options, "stripeJsUrl")?;
    let status_url = text(&options, "statusUrl")?;
    let remember_session = match js_sys::Reflect::get(&options, &"rememberSession".into()) {
        Ok(value) if value.is_undefined() || value.is_null() => true,
        Ok(value) => value
            .as_bool()
            .ok_or_else(|| JsError::new("mount(): options.rememberSession must be a boolean"))?,
        Err(_) => true,
    };
    let root: web_sys::Element = element.clone().into();
    MOUNTED.with(|mounted| mounted.borrow_mut().push(root.clone()));
    let handle = leptos::mount::mount_to(element, move || {
        let controls = move || {
            view! {
                <div class="lsc-embed__controls">
                    {switch.then(|| view! { <SubscriptionIntervalSwitch/> })}
                    {discount.then(|| view! { <ApplyDiscountButton/> })}
                    {trial.then(|| view! { <TrialOffer/> })}
                </div>
                {quantity.then(|| view! { <LineItemQuantity/> })}
                {status.then(|| view! { <UpdateStatus/> })}
                {summary.then(|| view! { <OrderSummary/> })}
                {payment.then(|| view! { <PaymentForm/> })}
            }
        };
        view! {
            <div class="lsc-embed">
                <CheckoutProvider
                    config_url=config_url.clone()
                    publishable_key=publishable_key.clone()
                    stripe_js_url=stripe_js_url.clone()
                    train=train
                    client_secret=client_secret.clone()
                    labels=labels.clone()
                    checkout=adopt.clone().unwrap_or(JsValue::UNDEFINED)
                    status_url=status_url.clone()
                    remember_session=remember_session
                >
                    {controls}
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
