//! The one primitive for server updates: [`use_server_update`]. It POSTs to a
//! merchant endpoint inside `runServerUpdate`, one update at a time across
//! every control of a checkout. No other code calls `runServerUpdate`.

use leptos::prelude::*;

use crate::error::CheckoutError;
use crate::json::Json;
use crate::provider::{use_checkout_context, CheckoutContext};

/// Interprets a merchant server reply (`{type, message}`; other fields
/// ignored): a non-2xx status or `"type": "error"` is a failure carrying the
/// server's message (empty when it gave none).
pub(crate) fn check_reply(ok: bool, body: &str) -> Result<(), CheckoutError> {
    let reply = crate::json::parse(body);
    let field = |key: &'static str| {
        reply
            .as_ref()
            .and_then(|reply| reply.opt_text_at(key).ok().flatten())
    };
    let is_error = field("type").is_some_and(|kind| kind == "error");
    if ok && !is_error {
        return Ok(());
    }
    let message = field("message")
        .filter(|message| !message.trim().is_empty())
        .unwrap_or_default();
    Err(CheckoutError::Server(message))
}

/// One value a control sends to its merchant endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// A JSON string.
    Text(String),
    /// A JSON number.
    Int(i64),
    /// A JSON boolean.
    Bool(bool),
}

/// The fields a control POSTs (besides `checkout_session_id`, which
/// [`ServerUpdate::run`] adds), as a JSON object.
///
/// ```
/// use leptos_stripe_checkout::Fields;
///
/// let fields = Fields::new().text("interval", "yearly").int("quantity", 2);
/// assert_eq!(fields.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields(Vec<(String, Field)>);

impl Fields {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) field `key`.
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: Field) -> Self {
        let key = key.into();
        self.0.retain(|(existing, _)| *existing != key);
        self.0.push((key, value));
        self
    }

    /// Adds a string field.
    #[must_use]
    pub fn text(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(key, Field::Text(value.into()))
    }

    /// Adds a number field.
    #[must_use]
    pub fn int(self, key: impl Into<String>, value: i64) -> Self {
        self.with(key, Field::Int(value))
    }

    /// Adds a boolean field.
    #[must_use]
    pub fn bool(self, key: impl Into<String>, value: bool) -> Self {
        self.with(key, Field::Bool(value))
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The fields in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Field)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }
}

static NEXT_CONTROL: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

/// A server update bound to one merchant endpoint; `Copy`, signals inside.
#[derive(Clone, Copy, Debug)]
pub struct ServerUpdate {
    context: CheckoutContext,
    control: StoredValue<String>,
    endpoint: Signal<String>,
    error: RwSignal<Option<CheckoutError>>,
}

/// Binds a control to the merchant endpoint `endpoint`.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_stripe_checkout::{use_server_update, Fields};
///
/// # fn view() -> impl IntoView {
/// let update = use_server_update("/extend-trial-for-yearly").expect("inside <CheckoutProvider>");
/// view! {
///     <button
///         aria-busy=move || update.pending().then_some("true")
///         aria-disabled=move || update.blocked().then_some("true")
///         on:click=move |_| { update.run(Fields::new()); }
///     >"Add a trial"</button>
/// }
/// # }
/// ```
pub fn use_server_update(
    endpoint: impl Into<Signal<String>>,
) -> Result<ServerUpdate, CheckoutError> {
    let context = use_checkout_context()?;
    let number = NEXT_CONTROL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(ServerUpdate {
        context,
        control: StoredValue::new(format!("control-{number}")),
        endpoint: endpoint.into(),
        error: RwSignal::new(None),
    })
}

/// [`use_server_update`] for a component: its `endpoint` prop or `default`;
/// outside a provider it logs which component is misplaced and returns `None`.
pub(crate) fn use_component_update(
    component: &str,
    endpoint: MaybeProp<String>,
    default: &'static str,
) -> Option<ServerUpdate> {
    let endpoint = Signal::derive(move || endpoint.get().unwrap_or_else(|| default.to_owned()));
    let update = use_server_update(endpoint).ok();
    if update.is_none() {
        crate::provider::missing_provider(component);
    }
    update
}

impl ServerUpdate {
    /// Whether this control's update is running.
    pub fn pending(&self) -> bool {
        let control = self.control;
        self.context
            .pending
            .with(|pending| control.with_value(|own| pending.as_deref() == Some(own.as_str())))
    }

    /// Whether a click would be refused: the checkout is not open, or some
    /// update (this control's or another's) is running.
    pub fn blocked(&self) -> bool {
        !self.context.is_open() || self.context.pending.with(Option::is_some)
    }

    /// The typed error of this control's last update, cleared by its next success.
    pub fn error(&self) -> Option<CheckoutError> {
        self.error.get()
    }

    /// The checkout this update belongs to.
    pub fn context(&self) -> CheckoutContext {
        self.context
    }

    /// Starts an update: POSTs `fields` plus `checkout_session_id` (read
    /// freshly from Stripe.js) as JSON inside `runServerUpdate`.
    ///
    /// Returns `false`, sending nothing, when [`ServerUpdate::blocked`].
    pub fn run(&self, fields: Fields) -> bool {
        if self.context.is_open() && self.context.pending.with_untracked(Option::is_none) {
            self.start(fields)
        } else {
            false
        }
    }

    #[cfg(not(feature = "ssr"))]
    fn start(&self, fields: Fields) -> bool {
        let Some(checkout) = self.context.checkout() else {
            return false;
        };
        let context = self.context;
        let own_error = self.error;
        let endpoint = self.endpoint.get_untracked();
        context.pending.set(Some(self.control.get_value()));
        leptos::task::spawn_local(async move {
            let outcome = browser::run(&checkout, context, endpoint, fields).await;
            match outcome {
                Ok(()) => {
                    context.error.set(None);
                    own_error.set(None);
                    if let Some(total) = context.total_text() {
                        let text = context.labels.with(|labels| {
                            crate::labels::fill(&labels.total_now, &[("total", &total)])
                        });
                        context.announcement.set(text);
                    }
                }
                Err(error) => {
                    leptos::logging::warn!("server update failed: {error:?}");
                    context.error.set(Some(context.customer_message(&error)));
                    own_error.set(Some(error));
                }
            }
            context.pending.set(None);
        });
        true
    }

    #[cfg(feature = "ssr")]
    fn start(&self, _fields: Fields) -> bool {
        false
    }
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Object, Reflect};
    use wasm_bindgen::JsValue;

    use super::{check_reply, Field, Fields};
    use crate::error::CheckoutError;
    use crate::provider::CheckoutContext;
    use crate::stripe_js::Checkout;

    /// `{...fields, checkout_session_id}` as JSON text.
    fn body(fields: &Fields, session_id: &str) -> Result<String, CheckoutError> {
        let object = Object::new();
        let entries = fields
            .iter()
            .map(|(key, value)| {
                let value = match value {
                    Field::Text(text) => JsValue::from_str(text),
                    Field::Int(number) => JsValue::from_f64(*number as f64),
                    Field::Bool(flag) => JsValue::from_bool(*flag),
                };
                (key, value)
            })
            .chain([("checkout_session_id", JsValue::from_str(session_id))]);
        for (key, value) in entries {
            Reflect::set(&object, &JsValue::from_str(key), &value)
                .map_err(|e| CheckoutError::Unexpected(crate::error::js_message(&e)))?;
        }
        crate::json::stringify(&object)
            .ok_or_else(|| CheckoutError::Unexpected("the request body".to_owned()))
    }

    pub(super) async fn run(
        checkout: &Checkout,
        context: CheckoutContext,
        endpoint: String,
        fields: Fields,
    ) -> Result<(), CheckoutError> {
        let body = body(&fields, &checkout.session_id()?)?;
        // What our function threw, so the customer sees the server's own
        // message whatever Stripe.js puts in `result.error`.
        let thrown: Rc<RefCell<Option<CheckoutError>>> = Rc::default();
        let record = Rc::clone(&thrown);
        let update = async move {
            let result = crate::fetch::send("POST", &endpoint, Some(&body))
                .await
                .and_then(|reply| check_reply(reply.ok, &reply.text));
            if let Err(error) = &result {
                *record.borrow_mut() = Some(error.clone());
            }
            result
        };
        match checkout.run_server_update(update).await {
            Ok(session) => context.accept_session(&session),
            Err(CheckoutError::Update(message)) => Err(thrown
                .borrow_mut()
                .take()
                .unwrap_or(CheckoutError::Update(message))),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_replies() {
        assert_eq!(check_reply(true, r#"{"type":"success"}"#), Ok(()));
        assert_eq!(
            check_reply(true, r#"{"type":"object","value":{"succeeded":true}}"#),
            Ok(())
        );
        assert_eq!(check_reply(true, ""), Ok(()));
    }

    #[test]
    fn error_replies_carry_the_message() {
        assert_eq!(
            check_reply(true, r#"{"type":"error","message":"Not eligible"}"#),
            Err(CheckoutError::Server("Not eligible".into()))
        );
        assert_eq!(
            check_reply(false, r#"{"type":"error","message":"Bad"}"#),
            Err(CheckoutError::Server("Bad".into()))
        );
        assert_eq!(
            check_reply(false, "<html>502</html>"),
            Err(CheckoutError::Server(String::new()))
        );
        assert_eq!(
            check_reply(false, r#"{"type":"error","message":"  "}"#),
            Err(CheckoutError::Server(String::new()))
        );
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Any reply body, with any status: a verdict, never a panic; a
        /// non-2xx status is never a success.
        #[test]
        fn replies_never_panic(ok in any::<bool>(), body in ".{0,80}", message in ".{0,20}") {
            let verdict = check_reply(ok, &body);
            if !ok {
                prop_assert!(verdict.is_err());
            }
            let json = serde_json::json!({"type": "error", "message": message}).to_string();
            prop_assert!(check_reply(ok, &json).is_err());
        }
    }
}
