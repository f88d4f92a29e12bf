//! Bindings to Stripe.js's custom checkout, for the three release trains the
//! widget supports:
//!
//! | train | Stripe.js entry | session | actions |
//! |---|---|---|---|
//! | basil (default; stripe-js v7) | `await stripe.initCheckout({fetchClientSecret})` | `checkout.session()` | on the checkout |
//! | clover (stripe-js v8) | `stripe.initCheckout({clientSecret})`, synchronous | `actions.getSession()` | `await checkout.loadActions()` |
//! | dahlia (stripe-js v9) | `stripe.initCheckoutElementsSdk({clientSecret})` | `actions.getSession()` | `await checkout.loadActions()` |
//!
//! This is the only module that touches Stripe.js. Every method is looked up
//! and called through [`js_sys::Reflect`] and [`js_sys::Function`] (so a missing
//! method or a throw is an error, not a trap), every promise is awaited, and
//! every value that comes back is checked before use: nothing here panics on
//! what the page or Stripe.js hands over.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::error::{js_message, CheckoutError};

/// The beta that enables `runServerUpdate`.
pub const SERVER_UPDATES_BETA: &str = checkout_protocol::api_version::STRIPE_JS_BETA;

pub use checkout_protocol::Train;

/// A boxed future of a client secret.
pub type SecretFuture = Pin<Box<dyn Future<Output = Result<String, CheckoutError>>>>;

fn integration(error: &JsValue) -> CheckoutError {
    CheckoutError::Integration(js_message(error))
}

fn is_object(value: &JsValue) -> bool {
    (value.is_object() || value.is_function()) && !value.is_null()
}

fn get(target: &JsValue, key: &str) -> JsValue {
    if !is_object(target) {
        return JsValue::UNDEFINED;
    }
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn method(target: &JsValue, name: &str) -> Result<Function, CheckoutError> {
    get(target, name)
        .dyn_into::<Function>()
        .map_err(|_| CheckoutError::Integration(format!("Stripe.js has no {name}() here")))
}

/// `target.name(...args)`, with a throw mapped to an error.
fn call(target: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, CheckoutError> {
    let function = method(target, name)?;
    let result = match args {
        [] => function.call0(target),
        [a] => function.call1(target, a),
        [a, b] => function.call2(target, a, b),
        _ => function.apply(target, &args.iter().copied().collect::<Array>()),
    };
    result.map_err(|error| integration(&error))
}

/// Awaits a value that should be a promise (a plain value resolves as itself).
async fn settle(value: &JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(Promise::resolve(value)).await
}

fn object(entries: &[(&str, &JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}

/// Loads Stripe.js from `url` unless the page already has `window.Stripe`.
pub async fn load_stripe_js(url: &str) -> Result<(), CheckoutError> {
    let window = web_sys::window().ok_or(CheckoutError::StripeMissing)?;
    if stripe_function().is_some() {
        return Ok(());
    }
    let document = window.document().ok_or(CheckoutError::StripeMissing)?;
    let load_error = || CheckoutError::ScriptLoad(url.to_owned());
    let script: web_sys::HtmlScriptElement = document
        .create_element("script")
        .map_err(|_| load_error())?
        .dyn_into()
        .map_err(|_| load_error())?;
    script.set_src(url);
    let loaded = Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
    });
    let parent: web_sys::Element = match document.head() {
        Some(head) => head.into(),
        None => document.body().ok_or_else(load_error)?.into(),
    };
    parent.append_child(&script).map_err(|_| load_error())?;
    let outcome = JsFuture::from(loaded).await;
    script.set_onload(None);
    script.set_onerror(None);
    if outcome.is_err() {
        // Let a retry inject a fresh script.
        script.remove();
        return Err(load_error());
    }
    stripe_function()
        .map(|_| ())
        .ok_or(CheckoutError::StripeMissing)
}

fn stripe_function() -> Option<Function> {
    let window = web_sys::window()?;
    get(&window, "Stripe").dyn_into::<Function>().ok()
}

/// A Stripe.js instance created with the server-updates beta.
#[derive(Clone, Debug)]
pub struct Stripe {
    inner: JsValue,
    train: Train,
}

impl Stripe {
    /// Calls `Stripe(publishable_key, {betas: ['custom_checkout_server_updates_1']})`.
    pub fn new(publishable_key: &str, train: Train) -> Result<Self, CheckoutError> {
        let constructor = stripe_function().ok_or(CheckoutError::StripeMissing)?;
        let betas: JsValue = Array::of1(&JsValue::from_str(SERVER_UPDATES_BETA)).into();
        let options = object(&[("betas", &betas)]);
        let instance = constructor
            .call2(&JsValue::UNDEFINED, &publishable_key.into(), &options)
            .map_err(|e| integration(&e))?;
        if !is_object(&instance) {
            return Err(CheckoutError::Integration(
                "Stripe() did not return an object".to_owned(),
            ));
        }
        Ok(Self {
            inner: instance,
            train,
        })
    }

    /// Initialises custom checkout the way this train wants it.
    ///
    /// `fetch_client_secret` is called once for the session's client secret;
    /// `elements_options` (may be `undefined`) is passed as `elementsOptions`.
    pub async fn init_checkout(
        &self,
        fetch_client_secret: impl FnOnce() -> SecretFuture + 'static,
        elements_options: &JsValue,
    ) -> Result<Checkout, CheckoutError> {
        let mut entries: Vec<(&str, &JsValue)> = Vec::new();
        if !elements_options.is_undefined() {
            entries.push(("elementsOptions", elements_options));
        }
        match self.train {
            Train::Basil => {
                let once = RefCell::new(Some(fetch_client_secret));
                let fetch = Closure::<dyn Fn() -> Promise>::new(move || {
                    let secret = once.borrow_mut().take();
                    future_to_promise(async move {
                        let secret = secret.ok_or_else(|| {
                            CheckoutError::Integration("fetchClientSecret called twice".into())
                        });
                        match secret {
                            Ok(fetch) => fetch().await,
                            Err(error) => Err(error),
                        }
                        .map(JsValue::from)
                        .map_err(|error| js_sys::Error::new(&error.to_string()).into())
                    })
                });
                entries.push(("fetchClientSecret", fetch.as_ref()));
                let pending = call(&self.inner, "initCheckout", &[&object(&entries)])?;
                let checkout = settle(&pending).await.map_err(|e| integration(&e))?;
                if !is_object(&checkout) {
                    return Err(CheckoutError::Integration(
                        "initCheckout() did not resolve a checkout object".to_owned(),
                    ));
                }
                Ok(Checkout::new(
                    checkout.clone(),
                    checkout,
                    Train::Basil,
                    Some(fetch),
                ))
            }
            Train::Clover | Train::Dahlia => {
                let secret: JsValue = future_to_promise(async move {
                    fetch_client_secret()
                        .await
                        .map(JsValue::from)
                        .map_err(|error| js_sys::Error::new(&error.to_string()).into())
                })
                .into();
                entries.push(("clientSecret", &secret));
                let entry = if self.train == Train::Clover {
                    "initCheckout"
                } else {
                    "initCheckoutElementsSdk"
                };
                let sdk = call(&self.inner, entry, &[&object(&entries)])?;
                Checkout::adopt(sdk, self.train).await
            }
        }
    }
}

type ChangeHandler = Closure<dyn FnMut(JsValue)>;

/// The checkout of Stripe.js (its SDK object and its actions), with the
/// closures it holds kept alive.
#[derive(Clone)]
pub struct Checkout {
    /// `on`, `createPaymentElement`, ... (the checkout object; for clover and
    /// dahlia the SDK object).
    sdk: JsValue,
    /// `session`/`getSession`, `runServerUpdate`, `confirm`.
    actions: JsValue,
    train: Train,
    _fetch_client_secret: Rc<Option<Closure<dyn Fn() -> Promise>>>,
    change_handlers: Rc<RefCell<Vec<ChangeHandler>>>,
}

impl fmt::Debug for Checkout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checkout")
            .field("train", &self.train)
            .finish_non_exhaustive()
    }
}

/// The outcome of `confirm()` that is not an integration error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfirmOutcome {
    /// The session is complete; the updated session as a JS value is in the checkout.
    Complete,
    /// The payment failed with this customer-facing message.
    Failed(String),
}

impl Checkout {
    fn new(
        sdk: JsValue,
        actions: JsValue,
        train: Train,
        fetch: Option<Closure<dyn Fn() -> Promise>>,
    ) -> Self {
        Self {
            sdk,
            actions,
            train,
            _fetch_client_secret: Rc::new(fetch),
            change_handlers: Rc::default(),
        }
    }

    /// Adopts a checkout the page already created: for basil the object
    /// `initCheckout` resolved; for clover and dahlia the SDK object, whose
    /// actions are loaded here with `loadActions()`.
    pub async fn adopt(value: JsValue, train: Train) -> Result<Self, CheckoutError> {
        if !is_object(&value) {
            return Err(CheckoutError::Integration(
                "the checkout is not an object".to_owned(),
            ));
        }
        match train {
            Train::Basil => Ok(Self::new(value.clone(), value, train, None)),
            Train::Clover | Train::Dahlia => {
                let pending = call(&value, "loadActions", &[])?;
                let result = settle(&pending).await.map_err(|e| integration(&e))?;
                match get(&result, "type").as_string().as_deref() {
                    Some("success") if is_object(&get(&result, "actions")) => {
                        let actions = get(&result, "actions");
                        Ok(Self::new(value, actions, train, None))
                    }
                    _ => Err(CheckoutError::Integration(
                        error_message(&result).unwrap_or_else(|| "loadActions() failed".to_owned()),
                    )),
                }
            }
        }
    }

    /// The train this checkout speaks.
    pub fn train(&self) -> Train {
        self.train
    }

    /// The current session, as Stripe.js returns it.
    pub fn session_value(&self) -> Result<JsValue, CheckoutError> {
        let name = match self.train {
            Train::Basil => "session",
            Train::Clover | Train::Dahlia => "getSession",
        };
        let session = call(&self.actions, name, &[])?;
        if is_object(&session) {
            Ok(session)
        } else {
            Err(CheckoutError::Unexpected(format!(
                "{name}() did not return an object"
            )))
        }
    }

    /// The current session's id, read freshly from Stripe.js.
    pub fn session_id(&self) -> Result<String, CheckoutError> {
        get(&self.session_value()?, "id")
            .as_string()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| CheckoutError::Unexpected("the session has no id".to_owned()))
    }

    /// `on('change', handler)`; the handler lives as long as this checkout.
    pub fn on_change(&self, handler: impl FnMut(JsValue) + 'static) -> Result<(), CheckoutError> {
        let closure = Closure::<dyn FnMut(JsValue)>::new(handler);
        call(&self.sdk, "on", &[&"change".into(), closure.as_ref()])?;
        self.change_handlers.borrow_mut().push(closure);
        Ok(())
    }

    /// `runServerUpdate(fn)`.
    ///
    /// `update` is the function Stripe.js runs: it must fail (the promise
    /// rejects) when the merchant server did not apply the change. The result
    /// is decided on `result.type`, never on anything else; a rejected promise
    /// is an error too. On success the updated session (as a JS value) is
    /// returned.
    pub async fn run_server_update<Fut>(&self, update: Fut) -> Result<JsValue, CheckoutError>
    where
        Fut: Future<Output = Result<(), CheckoutError>> + 'static,
    {
        let function = Closure::once_into_js(move || {
            future_to_promise(async move {
                update
                    .await
                    .map(|()| JsValue::UNDEFINED)
                    .map_err(|error| js_sys::Error::new(&error.customer_message()).into())
            })
        });
        let pending = call(&self.actions, "runServerUpdate", &[&function])?;
        let result = settle(&pending)
            .await
            .map_err(|rejection| CheckoutError::Update(js_message(&rejection)))?;
        match get(&result, "type").as_string().as_deref() {
            Some("success") => {
                let session = get(&result, "session");
                if is_object(&session) {
                    Ok(session)
                } else {
                    self.session_value()
                }
            }
            Some("error") => Err(CheckoutError::Update(
                error_message(&result).unwrap_or_default(),
            )),
            _ => Err(CheckoutError::Unexpected(
                "runServerUpdate() resolved without a type".to_owned(),
            )),
        }
    }

    /// Creates the Payment Element and mounts it into `container`.
    pub fn mount_payment_element(&self, container: &web_sys::Element) -> Result<(), CheckoutError> {
        let element = call(&self.sdk, "createPaymentElement", &[])?;
        call(&element, "mount", &[container.as_ref()])?;
        Ok(())
    }

    /// `confirm({redirect: 'if_required'})`.
    pub async fn confirm(&self) -> Result<ConfirmOutcome, CheckoutError> {
        let redirect = JsValue::from_str("if_required");
        let options = object(&[("redirect", &redirect)]);
        let pending = call(&self.actions, "confirm", &[&options])?;
        let result = settle(&pending).await.map_err(|e| integration(&e))?;
        match get(&result, "type").as_string().as_deref() {
            Some("success") => Ok(ConfirmOutcome::Complete),
            Some("error") => Ok(ConfirmOutcome::Failed(
                error_message(&result).unwrap_or_default(),
            )),
            _ => Err(CheckoutError::Unexpected(
                "confirm() resolved without a type".to_owned(),
            )),
        }
    }
}

/// `result.error.message`, when it is a string.
fn error_message(result: &JsValue) -> Option<String> {
    get(&get(result, "error"), "message").as_string()
}
