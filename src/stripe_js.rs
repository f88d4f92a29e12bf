//! Bindings to Stripe.js's custom checkout, for the four release trains the
//! widget supports:
//!
//! | train | Stripe.js entry | session | actions |
//! |---|---|---|---|
//! | basil (default; stripe-js v7) | `await stripe.initCheckout({fetchClientSecret})` | `checkout.session()` | on the checkout |
//! | clover (stripe-js v8) | `stripe.initCheckout({clientSecret})`, synchronous | `actions.getSession()` | `await checkout.loadActions()` |
//! | dahlia (stripe-js v9) | `stripe.initCheckoutElementsSdk({clientSecret})` | `actions.getSession()` | `await checkout.loadActions()` |
//! | endive (stripe-js v10) | `stripe.initCheckoutElementsSdk({clientSecret})` | `actions.getSession()` | `await checkout.loadActions()` |
//!
//! Endive speaks dahlia's API; what changed is the session's `canConfirm`,
//! `false` while a server update is queued or running (Stripe's changelog
//! `endive/2026-09-30/block-custom-checkout-confirmation-pending-updates`;
//! docs/research-stripe-strict.md §6). Pay follows `canConfirm` on every
//! train (`Session::can_confirm`, `PaymentForm`).//!
//! `updateEmail`, `runServerUpdate` and `confirm` are actions (on basil, the
//! checkout itself).
//!
//! This is the only module of the wasm that touches Stripe.js (the page's
//! `checkout-start.js` may create the checkout before the wasm runs, with
//! [`Train::init_entry`] and [`Train::secret_option`]; `adopt` takes it).
//! Every method is looked up
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

/// A promise of `future`: every future this module hands to Stripe.js goes
/// through this one (boxed) instance of `future_to_promise`, not one copy
/// per future type.
fn promise_of(future: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    future_to_promise(future)
}

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
        self.init_boxed(Box::new(fetch_client_secret), elements_options)
            .await
    }

    /// [`Stripe::init_checkout`], compiled once (boxed: one copy in the wasm
    /// whatever the caller's closure).
    async fn init_boxed(
        &self,
        fetch_client_secret: Box<dyn FnOnce() -> SecretFuture>,
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
                    promise_of(Box::pin(async move {
                        let secret = secret.ok_or_else(|| {
                            CheckoutError::Integration("fetchClientSecret called twice".into())
                        });
                        match secret {
                            Ok(fetch) => fetch().await,
                            Err(error) => Err(error),
                        }
                        .map(JsValue::from)
                        .map_err(|error| js_sys::Error::new(&error.to_string()).into())
                    }))
                });
                entries.push((Train::Basil.secret_option(), fetch.as_ref()));
                let pending = call(&self.inner, Train::Basil.init_entry(), &[&object(&entries)])?;
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
            Train::Clover | Train::Dahlia | Train::Endive => {
                let secret: JsValue = promise_of(Box::pin(async move {
                    fetch_client_secret()
                        .await
                        .map(JsValue::from)
                        .map_err(|error| js_sys::Error::new(&error.to_string()).into())
                }))
                .into();
                entries.push((self.train.secret_option(), &secret));
                let sdk = call(&self.inner, self.train.init_entry(), &[&object(&entries)])?;
                Checkout::adopt(sdk, self.train).await
            }
        }
    }
}

/// The checkout of Stripe.js (its SDK object and its actions), with the
/// closures it holds kept alive.
#[derive(Clone)]
pub struct Checkout {
    /// `on`, `createPaymentElement`, ... (the checkout object; for clover,
    /// dahlia and endive the SDK object).
    sdk: JsValue,
    /// `session`/`getSession`, `runServerUpdate`, `confirm`.
    actions: JsValue,
    train: Train,
    _fetch_client_secret: Rc<Option<Closure<dyn Fn() -> Promise>>>,
    /// The Payment Element this checkout mounted, if any.
    payment_element: Rc<RefCell<Option<JsValue>>>,
    /// The Express Checkout Element this checkout mounted, if any.
    #[cfg(feature = "express")]
    express_element: Rc<RefCell<Option<JsValue>>>,
    /// The Shipping Address Element this checkout mounted, if any.
    #[cfg(feature = "shipping")]
    shipping_element: Rc<RefCell<Option<JsValue>>>,
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
    /// The payment was declined (`error.code === 'paymentFailed'`); Stripe's message.
    Declined(String),
    /// `{type: 'error'}` with another code (`null`): the payment did not go
    /// through, for a reason that is not the card's; Stripe's message.
    Failed(String),
}

/// Why Stripe.js refused an email (`updateEmail`'s `error.code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailRefusal {
    /// `incompleteEmail`: empty or unfinished.
    Incomplete,
    /// `invalidEmail`: malformed.
    Invalid,
    /// Another code (or none): not one the published types name.
    Other,
}

/// What `updateEmail(email)` came to.
#[derive(Debug)]
pub enum EmailOutcome {
    /// `{type: 'success', session}`: the session now has the email.
    Accepted(JsValue),
    /// `{type: 'error', error: {code, message}}`, with Stripe.js's message.
    Refused(EmailRefusal, String),
}

/// What `runServerUpdate(fn)` came to, with what the widget's own function
/// (`fn`) had done by then. Only [`UpdateOutcome::Applied`],
/// [`UpdateOutcome::Refused`] with a server refusal and
/// [`UpdateOutcome::NotRun`] are certain; the others leave the session in a
/// state the page does not know, and the widget reads it again.
#[derive(Debug)]
pub enum UpdateOutcome {
    /// `{type: 'success', session}`: applied, and Stripe.js refreshed the session.
    Applied(JsValue),
    /// `fn` failed with this error (the merchant server refused, or the
    /// request did not get through).
    Refused(CheckoutError),
    /// `fn` succeeded, but Stripe.js then reported an error: the change is on
    /// Stripe's side while the session Stripe.js holds was not refreshed
    /// (offline at that moment, for example). Stripe.js's message.
    NotRefreshed(String),
    /// Stripe.js gave up (its 20-second timeout) while `fn` still runs: the
    /// change may still land.
    Unfinished {
        /// Stripe.js's message.
        message: String,
        /// `fn`, still running.
        running: RunningUpdate,
    },
    /// Stripe.js reported an error without calling `fn`: nothing was sent.
    NotRun(String),
}

/// An update function Stripe.js stopped waiting for.
#[derive(Debug)]
pub struct RunningUpdate {
    finished: Promise,
    result: Rc<RefCell<Option<Result<(), CheckoutError>>>>,
}

impl RunningUpdate {
    /// Waits until the function has settled; its result.
    pub async fn finish(self) -> Result<(), CheckoutError> {
        let _ = JsFuture::from(self.finished).await;
        self.result
            .borrow_mut()
            .take()
            .unwrap_or(Err(CheckoutError::NotReady))
    }
}

/// A promise and the function that resolves it.
fn deferred() -> (Promise, Function) {
    let mut resolve_slot: Option<Function> = None;
    let promise = Promise::new(&mut |resolve, _reject| resolve_slot = Some(resolve));
    // The executor runs synchronously, so the slot is filled; a no-op otherwise.
    let resolve = resolve_slot.unwrap_or_else(|| Function::new_no_args(""));
    (promise, resolve)
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
            payment_element: Rc::default(),
            #[cfg(feature = "express")]
            express_element: Rc::default(),
            #[cfg(feature = "shipping")]
            shipping_element: Rc::default(),
        }
    }

    /// Adopts a checkout the page already created: for basil the object
    /// `initCheckout` resolved; for clover, dahlia and endive the SDK object, whose
    /// actions are loaded here with `loadActions()`.
    pub async fn adopt(value: JsValue, train: Train) -> Result<Self, CheckoutError> {
        if !is_object(&value) {
            return Err(CheckoutError::Integration(
                "the checkout is not an object".to_owned(),
            ));
        }
        match train {
            Train::Basil => Ok(Self::new(value.clone(), value, train, None)),
            Train::Clover | Train::Dahlia | Train::Endive => {
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
            Train::Clover | Train::Dahlia | Train::Endive => "getSession",
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

    /// `on('change', handler)`.
    ///
    /// Stripe.js has no `off` on any train (stripe-js v7.9.0, v8.11.0,
    /// v9.13.0 `checkout.d.ts`; docs/research-stripe-js.md §6.2), so it may
    /// call the handler for as long as the page lives: the handler is handed
    /// to JavaScript for good, and must itself do nothing once its widget is
    /// gone.
    pub fn on_change(&self, handler: impl FnMut(JsValue) + 'static) -> Result<(), CheckoutError> {
        let closure = Closure::<dyn FnMut(JsValue)>::new(handler).into_js_value();
        call(&self.sdk, "on", &[&"change".into(), &closure])?;
        Ok(())
    }

    /// `runServerUpdate(fn)`, where `fn` runs `update`.
    ///
    /// `update` must fail (the promise `fn` returns rejects) when the merchant
    /// server did not apply the change: Stripe.js does not look at what `fn`
    /// returns. The outcome is decided on `result.type` (and a rejected
    /// promise), together with where `update` was at that moment: see
    /// [`UpdateOutcome`]. `update` runs to its end even when Stripe.js gave up
    /// waiting for it (its 20-second timeout; docs/research-stripe-js.md §3.2).
    ///
    /// Errors: `runServerUpdate` is missing (the beta is off) or threw.
    pub async fn run_server_update<Fut>(&self, update: Fut) -> Result<UpdateOutcome, CheckoutError>
    where
        Fut: Future<Output = Result<(), CheckoutError>> + 'static,
    {
        self.run_boxed(Box::pin(update)).await
    }

    /// [`Checkout::run_server_update`], compiled once (boxed: one copy in
    /// the wasm whatever the caller's future).
    async fn run_boxed(
        &self,
        update: Pin<Box<dyn Future<Output = Result<(), CheckoutError>>>>,
    ) -> Result<UpdateOutcome, CheckoutError> {
        let settled: Rc<RefCell<Option<Result<(), CheckoutError>>>> = Rc::default();
        let started = Rc::new(std::cell::Cell::new(false));
        let (finished, resolve_finished) = deferred();
        let record = Rc::clone(&settled);
        let mark = Rc::clone(&started);
        let function = Closure::once_into_js(move || {
            mark.set(true);
            promise_of(Box::pin(async move {
                let result = update.await;
                *record.borrow_mut() = Some(result.clone());
                let _ = resolve_finished.call0(&JsValue::UNDEFINED);
                result
                    .map(|()| JsValue::UNDEFINED)
                    .map_err(|error| js_sys::Error::new(&error.to_string()).into())
            }))
        });
        let pending = call(&self.actions, "runServerUpdate", &[&function])?;
        let result = settle(&pending).await;
        let (success, message) = match &result {
            Ok(value) => match get(value, "type").as_string().as_deref() {
                Some("success") => (true, String::new()),
                Some("error") => (false, error_message(value).unwrap_or_default()),
                _ => (
                    false,
                    "runServerUpdate() resolved without a type".to_owned(),
                ),
            },
            Err(rejection) => (false, js_message(rejection)),
        };
        let own = settled.borrow().clone();
        Ok(match (success, own) {
            (_, Some(Err(error))) => UpdateOutcome::Refused(error),
            (true, _) => {
                let session = result
                    .map(|value| get(&value, "session"))
                    .unwrap_or_default();
                if is_object(&session) {
                    UpdateOutcome::Applied(session)
                } else {
                    match self.session_value() {
                        Ok(session) => UpdateOutcome::Applied(session),
                        Err(error) => UpdateOutcome::NotRefreshed(error.to_string()),
                    }
                }
            }
            (false, Some(Ok(()))) => UpdateOutcome::NotRefreshed(message),
            (false, None) if !started.get() => UpdateOutcome::NotRun(message),
            (false, None) => UpdateOutcome::Unfinished {
                message,
                running: RunningUpdate {
                    finished,
                    result: settled,
                },
            },
        })
    }

    /// Reads the session again from Stripe: `runServerUpdate(() =>
    /// Promise.resolve())`. Stripe.js has no refresh call on any web train;
    /// a no-op server update is the known way to make it fetch the session
    /// again (docs/research-stripe-js.md §3.4).
    pub async fn refresh(&self) -> Result<JsValue, CheckoutError> {
        match self.run_server_update(async { Ok(()) }).await? {
            UpdateOutcome::Applied(session) => Ok(session),
            UpdateOutcome::Refused(error) => Err(error),
            UpdateOutcome::NotRefreshed(message)
            | UpdateOutcome::NotRun(message)
            | UpdateOutcome::Unfinished { message, .. } => Err(CheckoutError::Update(message)),
        }
    }

    /// Creates the Payment Element and mounts it into `container`.
    pub fn mount_payment_element(&self, container: &web_sys::Element) -> Result<(), CheckoutError> {
        self.mount_payment_element_with(container, &JsValue::UNDEFINED)
    }

    /// [`Checkout::mount_payment_element`] with `createPaymentElement`'s
    /// `options` (a JS object: `layout`, `paymentMethodOrder`, …; Stripe.js
    /// checks them; `undefined` for Stripe's defaults, as no argument).
    pub fn mount_payment_element_with(
        &self,
        container: &web_sys::Element,
        options: &JsValue,
    ) -> Result<(), CheckoutError> {
        let element = call(&self.sdk, "createPaymentElement", &[options])?;
        call(&element, "mount", &[container.as_ref()])?;
        *self.payment_element.borrow_mut() = Some(element);
        Ok(())
    }

    /// `changeAppearance(appearance)`: the Elements' appearance from now on
    /// (every train; docs/research-stripe-js.md §11).
    pub fn change_appearance(&self, appearance: &JsValue) -> Result<(), CheckoutError> {
        call(&self.sdk, "changeAppearance", &[appearance]).map(|_| ())
    }

    /// Destroys the Payment Element this checkout mounted, and its Express
    /// Checkout Element (before a new checkout mounts its own in the same
    /// place).
    pub fn destroy_payment_element(&self) {
        #[cfg(feature = "express")]
        let express = self.express_element.borrow_mut().take();
        #[cfg(not(feature = "express"))]
        let express = None;
        let payment = self.payment_element.borrow_mut().take();
        // The Shipping Address Element too (its own line: an array of
        // three costs the subscription build bytes for an element it never has).
        #[cfg(feature = "shipping")]
        if let Some(shipping) = self.shipping_element.borrow_mut().take() {
            let _ = call(&shipping, "destroy", &[]);
        }
        for element in [payment, express].into_iter().flatten() {
            if let Err(error) = call(&element, "destroy", &[]) {
                crate::log::warn(&format!("a Stripe element could not be removed: {error}"));
            }
        }
    }

    /// Creates the Express Checkout Element with `options` (a JS object:
    /// `buttonHeight`, `buttonTheme`, `buttonType`, `layout`,
    /// `paymentMethodOrder`, `paymentMethods`; Stripe.js checks them;
    /// `undefined` for Stripe's defaults) and mounts it into `container`:
    /// `createExpressCheckoutElement` on the checkout object of every train
    /// (stripe-js v7.9.0, v8.11.0, v9.13.0; docs/research-stripe-js.md §11).
    /// `on_ready(any)` hears its `ready` event (whether any button renders:
    /// `availablePaymentMethods` is `undefined` when none does) and
    /// `on_confirm(event)` its `confirm` event, to be handed to
    /// [`Checkout::confirm_express`].
    #[cfg(feature = "express")]
    pub fn mount_express_checkout_element(
        &self,
        container: &web_sys::Element,
        options: &JsValue,
        on_ready: impl Fn(bool) + 'static,
        on_confirm: impl FnMut(JsValue) + 'static,
    ) -> Result<(), CheckoutError> {
        let element = call(&self.sdk, "createExpressCheckoutElement", &[options])?;
        // Handed to Stripe.js, which keeps them as long as the element (the
        // type `on_change`'s is, so no glue of its own: docs/weight.md).
        let ready = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            on_ready(is_object(&get(&event, "availablePaymentMethods")));
        });
        let confirm = Closure::<dyn FnMut(JsValue)>::new(on_confirm);
        for (name, handler) in [("ready", ready), ("confirm", confirm)] {
            call(&element, "on", &[&name.into(), &handler.into_js_value()])?;
        }
        call(&element, "mount", &[container.as_ref()])?;
        *self.express_element.borrow_mut() = Some(element);
        Ok(())
    }

    /// Creates the Shipping Address Element (`createShippingAddressElement()`,
    /// next to `createPaymentElement` on every train: stripe-js v7.9.0
    /// `checkout.d.ts` l. 619, v8.11.0 l. 687, v9.13.0 l. 829;
    /// docs/research-stripe-js.md §13) and mounts it into `container`;
    /// `on_change` hears its `change` events
    /// (`StripeAddressElementChangeEvent`: `complete`, `value {name,
    /// address}`).
    #[cfg(feature = "shipping")]
    pub fn mount_shipping_address_element(
        &self,
        container: &web_sys::Element,
        on_change: impl FnMut(JsValue) + 'static,
    ) -> Result<(), CheckoutError> {
        let element = call(&self.sdk, "createShippingAddressElement", &[])?;
        let change = Closure::<dyn FnMut(JsValue)>::new(on_change);
        call(&element, "on", &[&"change".into(), &change.into_js_value()])?;
        call(&element, "mount", &[container.as_ref()])?;
        if let Some(old) = self.shipping_element.borrow_mut().replace(element) {
            let _ = call(&old, "destroy", &[]);
        }
        Ok(())
    }

    /// `updateShippingOption(id)`: on the checkout object on basil, on the
    /// actions on clover, dahlia and endive (stripe-js v7.9.0 `checkout.d.ts`
    /// l. 582, v8.11.0 l. 634, v9.13.0 l. 757; docs/research-stripe-js.md
    /// §12). `Ok(Ok(session))` when selected, `Ok(Err(message))` for
    /// Stripe.js's `{type: 'error'}`; a rejection is an error.
    #[cfg(feature = "shipping")]
    pub async fn update_shipping_option(
        &self,
        id: &str,
    ) -> Result<Result<JsValue, String>, CheckoutError> {
        let pending = call(
            &self.actions,
            "updateShippingOption",
            &[&JsValue::from_str(id)],
        )?;
        let result = settle(&pending).await.map_err(|e| integration(&e))?;
        match get(&result, "type").as_string().as_deref() {
            Some("success") => {
                let session = get(&result, "session");
                if is_object(&session) {
                    Ok(Ok(session))
                } else {
                    self.session_value().map(Ok)
                }
            }
            Some("error") => Ok(Err(error_message(&result).unwrap_or_default())),
            _ => Err(CheckoutError::Unexpected(
                "updateShippingOption() resolved without a type".to_owned(),
            )),
        }
    }

    /// The customer's email: `checkout.updateEmail(email)` on basil,
    /// `actions.updateEmail(email)` on clover, dahlia and endive (stripe-js v7.9.0,
    /// v8.11.0, v9.13.0 `checkout.d.ts`; docs/research-stripe-js.md §1).
    /// Stripe.js checks the address itself and resolves `incompleteEmail` or
    /// `invalidEmail`; a rejection or a result of another shape is an error.
    pub async fn update_email(&self, email: &str) -> Result<EmailOutcome, CheckoutError> {
        let pending = call(&self.actions, "updateEmail", &[&JsValue::from_str(email)])?;
        let result = settle(&pending).await.map_err(|e| integration(&e))?;
        match get(&result, "type").as_string().as_deref() {
            Some("success") => {
                let session = get(&result, "session");
                if is_object(&session) {
                    Ok(EmailOutcome::Accepted(session))
                } else {
                    self.session_value().map(EmailOutcome::Accepted)
                }
            }
            Some("error") => {
                let refusal = match get(&get(&result, "error"), "code").as_string().as_deref() {
                    Some("incompleteEmail") => EmailRefusal::Incomplete,
                    Some("invalidEmail") => EmailRefusal::Invalid,
                    _ => EmailRefusal::Other,
                };
                Ok(EmailOutcome::Refused(
                    refusal,
                    error_message(&result).unwrap_or_default(),
                ))
            }
            _ => Err(CheckoutError::Unexpected(
                "updateEmail() resolved without a type".to_owned(),
            )),
        }
    }

    /// `confirm({redirect: 'if_required'})`.
    pub async fn confirm(&self) -> Result<ConfirmOutcome, CheckoutError> {
        self.confirm_with(&JsValue::UNDEFINED).await
    }

    /// A wallet's payment: [`Checkout::confirm`] with the Express Checkout
    /// Element's `confirm` event as `expressCheckoutConfirmEvent` (the
    /// option of `confirm` on every train: stripe-js v7.9.0
    /// `checkout.d.ts` l. 594; docs/research-stripe-js.md §11).
    #[cfg(feature = "express")]
    pub async fn confirm_express(&self, event: &JsValue) -> Result<ConfirmOutcome, CheckoutError> {
        self.confirm_with(event).await
    }

    /// [`Checkout::confirm`], with `express` (when not `undefined`) as
    /// `expressCheckoutConfirmEvent`.
    pub(crate) async fn confirm_with(
        &self,
        express: &JsValue,
    ) -> Result<ConfirmOutcome, CheckoutError> {
        let redirect = JsValue::from_str("if_required");
        let options = object(&[("redirect", &redirect)]);
        if !express.is_undefined() {
            let _ = Reflect::set(&options, &"expressCheckoutConfirmEvent".into(), express);
        }
        let pending = call(&self.actions, "confirm", &[&options])?;
        let result = settle(&pending).await.map_err(|e| integration(&e))?;
        match get(&result, "type").as_string().as_deref() {
            Some("success") => Ok(ConfirmOutcome::Complete),
            Some("error") => {
                let message = error_message(&result).unwrap_or_default();
                let code = get(&get(&result, "error"), "code").as_string();
                Ok(match code.as_deref() {
                    Some("paymentFailed") => ConfirmOutcome::Declined(message),
                    _ => ConfirmOutcome::Failed(message),
                })
            }
            _ => Err(CheckoutError::Unexpected(
                "confirm() resolved without a type".to_owned(),
            )),
        }
    }
}

/// Tells the wallet's sheet that the payment of its `confirm` event did not
/// go through (`event.paymentFailed()`, Stripe.js's Express Checkout
/// Element; its `reason` defaults to `'fail'`, docs.stripe.com/js/
/// elements_object/express_checkout_element_confirm_event), so that it
/// closes with an error.
#[cfg(feature = "express")]
pub fn express_payment_failed(event: &JsValue) {
    // An event without it (not Stripe.js's) has no sheet to close; the
    // customer is told in the widget either way.
    let _ = call(event, "paymentFailed", &[]);
}

/// `result.error.message`, when it is a string.
fn error_message(result: &JsValue) -> Option<String> {
    get(&get(result, "error"), "message").as_string()
}
