//! Bindings to Stripe.js (basil release train, `@stripe/stripe-js` v7 types).
//!
//! This is the only module that touches Stripe.js. Every call that can throw
//! is bound with `catch`, every promise is awaited through [`JsFuture`], and
//! every value that comes back is checked before use: nothing here panics on
//! what the page or Stripe.js hands over.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::error::{js_message, CheckoutError};

/// The beta that enables `checkout.runServerUpdate`.
pub const SERVER_UPDATES_BETA: &str = "custom_checkout_server_updates_1";

#[wasm_bindgen]
extern "C" {
    /// A `Stripe(...)` instance.
    #[derive(Clone, Debug)]
    type StripeJs;

    #[wasm_bindgen(method, catch, js_name = initCheckout)]
    fn init_checkout(this: &StripeJs, options: &Object) -> Result<JsValue, JsValue>;

    /// The object `initCheckout` resolves (basil).
    #[derive(Clone, Debug)]
    type CheckoutJs;

    #[wasm_bindgen(method, catch, js_name = session)]
    fn session(this: &CheckoutJs) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = on)]
    fn on(this: &CheckoutJs, event: &str, handler: &Function) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = runServerUpdate)]
    fn run_server_update(this: &CheckoutJs, update: &JsValue) -> Result<JsValue, JsValue>;
}

fn integration(error: &JsValue) -> CheckoutError {
    CheckoutError::Integration(js_message(error))
}

/// Awaits a value that should be a promise (a plain value resolves as itself).
async fn settle(value: &JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(Promise::resolve(value)).await
}

fn is_object(value: &JsValue) -> bool {
    value.is_object() && !value.is_null()
}

/// Loads Stripe.js from `url` unless the page already has `window.Stripe`.
///
/// A `<script>` for the same URL that is already on the page is reused.
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
    Reflect::get(&window, &JsValue::from_str("Stripe"))
        .ok()?
        .dyn_into::<Function>()
        .ok()
}

/// A Stripe.js instance created with the server-updates beta.
#[derive(Clone, Debug)]
pub struct Stripe {
    inner: StripeJs,
}

impl Stripe {
    /// Calls `Stripe(publishable_key, {betas: ['custom_checkout_server_updates_1']})`.
    pub fn new(publishable_key: &str) -> Result<Self, CheckoutError> {
        let constructor = stripe_function().ok_or(CheckoutError::StripeMissing)?;
        let options = Object::new();
        let betas = Array::of1(&JsValue::from_str(SERVER_UPDATES_BETA));
        Reflect::set(&options, &"betas".into(), &betas).map_err(|e| integration(&e))?;
        let instance = constructor
            .call2(&JsValue::UNDEFINED, &publishable_key.into(), &options)
            .map_err(|e| integration(&e))?;
        if !is_object(&instance) {
            return Err(CheckoutError::Integration(
                "Stripe() did not return an object".to_owned(),
            ));
        }
        Ok(Self {
            inner: instance.unchecked_into(),
        })
    }

    /// `stripe.initCheckout({fetchClientSecret})` (basil: returns a promise).
    ///
    /// `fetch_client_secret` is called by Stripe.js when it needs the secret.
    pub async fn init_checkout<F, Fut>(
        &self,
        fetch_client_secret: F,
    ) -> Result<Checkout, CheckoutError>
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<String, CheckoutError>> + 'static,
    {
        let fetch = Closure::<dyn Fn() -> Promise>::new(move || {
            let secret = fetch_client_secret();
            future_to_promise(async move {
                secret
                    .await
                    .map(JsValue::from)
                    .map_err(|error| js_sys::Error::new(&error.to_string()).into())
            })
        });
        let options = Object::new();
        Reflect::set(&options, &"fetchClientSecret".into(), fetch.as_ref())
            .map_err(|e| integration(&e))?;
        let pending = self
            .inner
            .init_checkout(&options)
            .map_err(|e| integration(&e))?;
        let checkout = settle(&pending).await.map_err(|e| integration(&e))?;
        if !is_object(&checkout) {
            return Err(CheckoutError::Integration(
                "initCheckout() did not resolve a checkout object".to_owned(),
            ));
        }
        Ok(Checkout {
            inner: checkout.unchecked_into(),
            _fetch_client_secret: Rc::new(fetch),
            change_handlers: Rc::default(),
        })
    }
}

type ChangeHandler = Closure<dyn FnMut(JsValue)>;

/// The checkout object of Stripe.js, with the closures it holds kept alive.
#[derive(Clone)]
pub struct Checkout {
    inner: CheckoutJs,
    /// Keeps `fetchClientSecret` alive while Stripe.js may call it.
    _fetch_client_secret: Rc<Closure<dyn Fn() -> Promise>>,
    change_handlers: Rc<RefCell<Vec<ChangeHandler>>>,
}

impl std::fmt::Debug for Checkout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkout").finish_non_exhaustive()
    }
}

impl Checkout {
    /// `checkout.session()`: the current session, as Stripe.js returns it.
    pub fn session_value(&self) -> Result<JsValue, CheckoutError> {
        let session = self.inner.session().map_err(|e| integration(&e))?;
        if is_object(&session) {
            Ok(session)
        } else {
            Err(CheckoutError::Unexpected(
                "session() did not return an object".to_owned(),
            ))
        }
    }

    /// The current session's id, read freshly from Stripe.js.
    pub fn session_id(&self) -> Result<String, CheckoutError> {
        let session = self.session_value()?;
        Reflect::get(&session, &"id".into())
            .ok()
            .and_then(|id| id.as_string())
            .filter(|id| !id.is_empty())
            .ok_or_else(|| CheckoutError::Unexpected("the session has no id".to_owned()))
    }

    /// `checkout.on('change', handler)`; the handler lives as long as this checkout.
    pub fn on_change(&self, handler: impl FnMut(JsValue) + 'static) -> Result<(), CheckoutError> {
        let closure = Closure::<dyn FnMut(JsValue)>::new(handler);
        self.inner
            .on("change", closure.as_ref().unchecked_ref())
            .map_err(|e| integration(&e))?;
        self.change_handlers.borrow_mut().push(closure);
        Ok(())
    }

    /// `checkout.runServerUpdate(fn)`.
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
        let pending = self
            .inner
            .run_server_update(&function)
            .map_err(|e| integration(&e))?;
        let result = settle(&pending)
            .await
            .map_err(|rejection| CheckoutError::Update(js_message(&rejection)))?;
        let kind = Reflect::get(&result, &"type".into())
            .ok()
            .and_then(|kind| kind.as_string());
        match kind.as_deref() {
            Some("success") => {
                let session = Reflect::get(&result, &"session".into()).unwrap_or(JsValue::NULL);
                if is_object(&session) {
                    Ok(session)
                } else {
                    self.session_value()
                }
            }
            Some("error") => {
                let message = Reflect::get(&result, &"error".into())
                    .ok()
                    .filter(is_object)
                    .and_then(|error| Reflect::get(&error, &"message".into()).ok())
                    .and_then(|message| message.as_string())
                    .unwrap_or_default();
                Err(CheckoutError::Update(message))
            }
            _ => Err(CheckoutError::Unexpected(
                "runServerUpdate() resolved without a type".to_owned(),
            )),
        }
    }
}
