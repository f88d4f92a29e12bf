//! The one primitive for server updates: [`use_server_update`]. It POSTs to a
//! merchant endpoint inside `runServerUpdate`, one update at a time across
//! every control of a checkout. This file is its public face (the fields a
//! control sends, `pending`, `blocked`, `error`); the checkout's lifecycle
//! runs the update (`crate::lifecycle`, `update.rs`), and no other code calls
//! `runServerUpdate`.

use leptos::prelude::*;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::error::CheckoutError;
use crate::lifecycle::{use_lifecycle, BodyFn, Lifecycle};
use crate::messages::Alert;
use crate::state::CheckoutContext;

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

static NEXT_CONTROL: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

/// A server update bound to one merchant endpoint; `Copy`, signals inside.
#[derive(Clone, Copy, Debug)]
pub struct ServerUpdate {
    lifecycle: Lifecycle,
    /// This control's number: its name in the context's `pending` is
    /// `control-{number}` ([`ServerUpdate::control`]).
    number: usize,
    endpoint: Signal<String>,
    /// This control's last failure, as `Alert::Failed` (a signal type the
    /// context already has: issue 23, measured).
    error: RwSignal<Option<Alert>>,
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
    let lifecycle = use_lifecycle().ok_or(CheckoutError::MissingProvider)?;
    let number = NEXT_CONTROL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(ServerUpdate {
        lifecycle,
        number,
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
        let own = self.control();
        self.lifecycle
            .context()
            .pending()
            .with(|pending| pending.as_deref() == Some(own.as_str()))
    }

    /// Whether a click would be refused: the checkout is not open, some
    /// update (this control's or another's) is running, or what is shown is
    /// not confirmed yet (after an uncertain failure).
    pub fn blocked(&self) -> bool {
        self.lifecycle.context().blocked()
    }

    /// The typed error of this control's last update, cleared when it runs again.
    pub fn error(&self) -> Option<CheckoutError> {
        self.error
            .try_with(|alert| match alert {
                Some(Alert::Failed(error)) => Some(error.clone()),
                _ => None,
            })
            .flatten()
    }

    /// The checkout this update belongs to.
    pub fn context(&self) -> CheckoutContext {
        self.lifecycle.context()
    }

    /// This control's name in [`CheckoutContext::pending`].
    pub(crate) fn control(&self) -> String {
        format!("control-{}", self.number)
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
        if self.lifecycle.context().blocked() {
            false
        } else {
            self.start(body)
        }
    }

    #[cfg(not(feature = "ssr"))]
    fn start(&self, body: BodyFn) -> bool {
        // A control that is gone (its owner disposed) sends nothing, and
        // does not trap.
        let Some(endpoint) = self.endpoint.try_get_untracked() else {
            return false;
        };
        self.lifecycle
            .update(self.control(), endpoint, body, self.error)
    }

    #[cfg(feature = "ssr")]
    fn start(&self, _body: BodyFn) -> bool {
        false
    }
}
