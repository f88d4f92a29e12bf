//! The one primitive for server updates: [`use_server_update`]. It POSTs to a
//! merchant endpoint inside `runServerUpdate`, one update at a time across
//! every control of a checkout. No other code calls `runServerUpdate`.

use leptos::prelude::*;

use checkout_protocol::bodies::UpdateReplyFields;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::error::CheckoutError;
use crate::provider::{use_checkout_context, CheckoutContext};

/// Interprets a merchant server reply (read as
/// [`UpdateReplyFields`], the flat fields of the shared `UpdateReply`): a
/// non-2xx status or `{"type": "error"}` is a failure carrying the server's
/// message (empty when it gave none) and code. A 2xx reply that is not an
/// error (or not JSON) is a success: Stripe.js reads the session itself
/// afterwards.
pub(crate) fn check_reply(ok: bool, body: &str) -> Result<(), CheckoutError> {
    let reply =
        crate::wire::from_json::<UpdateReplyFields>(body, "the update's reply").unwrap_or_default();
    if ok && !reply.is_error() {
        return Ok(());
    }
    let message = reply
        .message
        .filter(|message| !message.trim().is_empty())
        .unwrap_or_default();
    let code = reply.code.filter(|code| !code.trim().is_empty());
    Err(CheckoutError::Server { message, code })
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

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::Int(number) => serializer.serialize_i64(*number),
            Self::Bool(flag) => serializer.serialize_bool(*flag),
        }
    }
}

/// `{...fields, checkout_session_id}`: what [`ServerUpdate::run`] POSTs.
struct WithSession<'a> {
    fields: &'a Fields,
    session_id: &'a str,
}

impl Serialize for WithSession<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len() + 1))?;
        for (key, value) in self.fields.iter() {
            if key != "checkout_session_id" {
                map.serialize_entry(key, value)?;
            }
        }
        map.serialize_entry("checkout_session_id", self.session_id)?;
        map.end()
    }
}

/// Builds the JSON body of an update from the session id read at send time.
pub(crate) type BodyFn = Box<dyn FnOnce(&str) -> Option<String>>;

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
        crate::ui::missing_provider(component);
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

    /// Whether a click would be refused: the checkout is not open, some
    /// update (this control's or another's) is running, or what is shown is
    /// not confirmed yet (after an uncertain failure).
    pub fn blocked(&self) -> bool {
        self.context.blocked()
    }

    /// The typed error of this control's last update, cleared when it runs again.
    pub fn error(&self) -> Option<CheckoutError> {
        self.error.get()
    }

    /// The checkout this update belongs to.
    pub fn context(&self) -> CheckoutContext {
        self.context
    }

    /// This control's name in [`CheckoutContext::pending`].
    pub(crate) fn control(&self) -> String {
        self.control.get_value()
    }

    /// Starts an update: POSTs `fields` plus `checkout_session_id` (read
    /// freshly from Stripe.js) as JSON inside `runServerUpdate`.
    ///
    /// Returns `false`, sending nothing, when [`ServerUpdate::blocked`].
    ///
    /// When the outcome is uncertain (the request failed on the way, Stripe.js
    /// timed out, or it could not refresh the session afterwards), the
    /// session is read again before anything else can run, and what Stripe
    /// holds is shown.
    pub fn run(&self, fields: Fields) -> bool {
        self.run_body(Box::new(move |session_id| {
            crate::wire::to_json(&WithSession {
                fields: &fields,
                session_id,
            })
        }))
    }

    /// Starts an update whose body is one of the shared request types of
    /// `checkout_protocol::bodies`, made from the session id read at send
    /// time. Like [`ServerUpdate::run`] otherwise.
    pub(crate) fn run_request<R: serde::Serialize>(
        &self,
        request: impl FnOnce(String) -> R + 'static,
    ) -> bool {
        self.run_body(Box::new(move |session_id| {
            crate::wire::to_json(&request(session_id.to_owned()))
        }))
    }

    fn run_body(&self, body: BodyFn) -> bool {
        if self.context.blocked() {
            false
        } else {
            self.start(body)
        }
    }

    #[cfg(not(feature = "ssr"))]
    fn start(&self, body: BodyFn) -> bool {
        let Some(checkout) = self.context.checkout() else {
            return false;
        };
        let context = self.context;
        let own_error = self.error;
        let endpoint = self.endpoint.get_untracked();
        let control = self.control.get_value();
        context.pending.set(Some(control.clone()));
        context.alert_owner.set(Some(control.clone()));
        // A new attempt clears the last failure, so that the same failure
        // again is announced again.
        context.clear_alert();
        own_error.set(None);
        leptos::task::spawn_local(async move {
            browser::run(&checkout, context, &control, &endpoint, body, own_error).await;
            let _ = context.pending.try_set(None);
        });
        true
    }

    #[cfg(feature = "ssr")]
    fn start(&self, _body: BodyFn) -> bool {
        false
    }
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use leptos::prelude::*;

    use super::{check_reply, BodyFn};
    use crate::error::CheckoutError;
    use crate::provider::{CheckoutContext, Freshness};
    use crate::stripe_js::{Checkout, UpdateOutcome};
    use crate::sync::{describe_change, resync, take_turn, Mode, Reread};

    /// The update, from the POST to what the customer is told.
    pub(super) async fn run(
        checkout: &Checkout,
        context: CheckoutContext,
        control: &str,
        endpoint: &str,
        body: BodyFn,
        own_error: RwSignal<Option<CheckoutError>>,
    ) {
        let before = context.session.try_get_untracked().flatten();
        let outcome = {
            // Waits for a re-read the page started (focus, visibility).
            let Some(_turn) = take_turn(context).await else {
                return;
            };
            let body = match checkout.session_id().and_then(|id| {
                body(&id).ok_or_else(|| CheckoutError::Unexpected("the request body".to_owned()))
            }) {
                Ok(body) => body,
                Err(error) => {
                    fail(context, control, endpoint, error, own_error);
                    return;
                }
            };
            let url = endpoint.to_owned();
            let update = async move {
                let reply = crate::http::post_text(&url, body).await?;
                check_reply(reply.ok, &reply.text)
            };
            checkout.run_server_update(update).await
        };
        if !context.is_alive() {
            return;
        }
        match outcome {
            Ok(UpdateOutcome::Applied(session)) => match context.accept_session(&session) {
                Ok(()) => succeeded(context, before.as_ref()),
                Err(error) => fail(context, control, endpoint, error, own_error),
            },
            Ok(UpdateOutcome::Refused(error)) => {
                // The server refused (or the request failed on the way, when
                // it may have arrived): what does Stripe hold now?
                crate::log::warn(&format!("the update to {endpoint} failed: {error}"));
                if resync(context, Mode::AfterFailure).await == Reread::Unavailable {
                    let _ = own_error.try_set(Some(error));
                    return;
                }
                if context.is_alive() && context.closed().is_none() {
                    context.show_alert(context.customer_message(&error), Some(control.to_owned()));
                    let _ = own_error.try_set(Some(error));
                }
            }
            Ok(UpdateOutcome::NotRefreshed(message)) => {
                // Applied on Stripe's side, but Stripe.js could not fetch the
                // session afterwards (offline at that moment).
                crate::log::warn(&format!(
                    "the update to {endpoint} was sent, but Stripe.js could not refresh the session: {message}"
                ));
                if let Reread::Current = resync(context, Mode::AfterFailure).await {
                    succeeded(context, before.as_ref());
                }
            }
            Ok(UpdateOutcome::Unfinished { message, running }) => {
                // Stripe.js gave up waiting; the request still runs and may
                // still land. Nothing is usable until it has ended and the
                // session has been read again.
                crate::log::warn(&format!(
                    "Stripe.js stopped waiting for the update to {endpoint} ({message}); waiting for the server's answer"
                ));
                context.freshness.set(Freshness::Awaiting);
                context.show_alert(
                    context.label(|l| l.update_slow.clone()),
                    Some(control.to_owned()),
                );
                let result = running.finish().await;
                if !context.is_alive() {
                    return;
                }
                let reread = resync(context, Mode::AfterFailure).await;
                match (reread, result) {
                    (Reread::Current, Ok(())) => succeeded(context, before.as_ref()),
                    (Reread::Current, Err(error)) => {
                        crate::log::warn(&format!("the update to {endpoint} failed: {error}"));
                        if context.is_alive() {
                            context.show_alert(
                                context.customer_message(&error),
                                Some(control.to_owned()),
                            );
                        }
                        let _ = own_error.try_set(Some(error));
                    }
                    _ => {}
                }
            }
            Ok(UpdateOutcome::NotRun(message)) => fail(
                context,
                control,
                endpoint,
                CheckoutError::Update(message),
                own_error,
            ),
            Err(error) => fail(context, control, endpoint, error, own_error),
        }
    }

    /// The session shown is the updated one: one polite announcement of what changed.
    fn succeeded(context: CheckoutContext, before: Option<&crate::session::Session>) {
        if !context.is_alive() {
            return;
        }
        let after = context.session.try_get_untracked().flatten();
        if let Some(text) = after
            .as_ref()
            .and_then(|after| describe_change(context, before, after))
        {
            context.announce(text);
        }
    }

    /// A failure before anything was sent (or Stripe.js refused the call).
    fn fail(
        context: CheckoutContext,
        control: &str,
        endpoint: &str,
        error: CheckoutError,
        own_error: RwSignal<Option<CheckoutError>>,
    ) {
        crate::log::warn(&format!("the update to {endpoint} failed: {error}"));
        if context.is_alive() {
            context.show_alert(context.customer_message(&error), Some(control.to_owned()));
        }
        let _ = own_error.try_set(Some(error));
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
    fn error_replies_carry_the_code() {
        assert_eq!(
            check_reply(
                false,
                r#"{"type":"error","message":"Over $100 only.","code":"not_eligible"}"#
            ),
            Err(CheckoutError::Server {
                message: "Over $100 only.".into(),
                code: Some("not_eligible".into())
            })
        );
    }

    #[test]
    fn error_replies_carry_the_message() {
        assert_eq!(
            check_reply(true, r#"{"type":"error","message":"Not eligible"}"#),
            Err(CheckoutError::server("Not eligible"))
        );
        assert_eq!(
            check_reply(false, r#"{"type":"error","message":"Bad"}"#),
            Err(CheckoutError::server("Bad"))
        );
        assert_eq!(
            check_reply(false, "<html>502</html>"),
            Err(CheckoutError::server(""))
        );
        assert_eq!(
            check_reply(false, r#"{"type":"error","message":"  "}"#),
            Err(CheckoutError::server(""))
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
