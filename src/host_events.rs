//! What the widget tells the page around it (the telling needs the cargo
//! feature `events`; the types are in every build): DOM
//! `CustomEvent`s dispatched on the widget's root element (`.lsc-checkout`),
//! bubbling and composed, so that the element a page mounted the widget
//! into, or `document`, hears them; and the same as the provider's
//! `on_event` callback ([`CheckoutEvent`]). `mount()`'s `onReady`,
//! `onChange`, `onUpdateFailed` and `onComplete` listen to the DOM events.
//!
//! | event | when | `detail` |
//! |---|---|---|
//! | [`READY`] | a checkout finished loading (again after "Start a new checkout") | [`CheckoutSummary`] |
//! | [`CHANGE`] | what the page shows of the order changed (an update, Stripe.js's `change`) | [`CheckoutSummary`] |
//! | [`UPDATE_FAILED`] | a server update failed and the customer was told | [`UpdateFailure`] |
//! | [`COMPLETE`] | the session is complete (paid, or loaded already paid) | [`CheckoutSummary`], the order |
//!
//! The names carry the widget's `lsc-` prefix: a bare `change` would be
//! confused with the native `change` events of the form fields inside the
//! widget, which bubble through the same elements.
//!
//! Events are dispatched one microtask after the widget's state changed,
//! never from inside its reactive update, so a listener may do anything,
//! `unmount()` included; none is dispatched once the widget is unmounted.

// Without `events` only the types are used (the provider's props).
#![cfg_attr(not(feature = "events"), allow(dead_code, unused_imports))]

use leptos::prelude::*;
use serde::Serialize;

use crate::error::CheckoutError;
use crate::session::{Amount, Session};
use crate::state::{CheckoutContext, CheckoutState, Closed};

/// `lsc-ready`: the checkout finished loading; `detail` is a [`CheckoutSummary`].
pub const READY: &str = "lsc-ready";
/// `lsc-change`: the order as the page shows it changed; `detail` is a [`CheckoutSummary`].
pub const CHANGE: &str = "lsc-change";
/// `lsc-update-failed`: a server update failed; `detail` is an [`UpdateFailure`].
pub const UPDATE_FAILED: &str = "lsc-update-failed";
/// `lsc-complete`: the session is complete; `detail` is a [`CheckoutSummary`]
/// (the order, with its `paymentStatus`).
pub const COMPLETE: &str = "lsc-complete";

/// An amount: in minor units (cents), and as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// Minor units of the session's currency (`13500` for $135.00).
    pub minor_units: i64,
    /// As the widget shows it (`$135.00`), in its labels' locale.
    pub text: String,
}

/// One line of the order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryLine {
    /// Stripe's line item id.
    pub id: String,
    /// The product's name.
    pub name: String,
    /// How many.
    pub quantity: i64,
    /// The line's total.
    pub total: Money,
}

/// The order as the page shows it, for [`READY`] and [`CHANGE`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutSummary {
    /// The Checkout Session's id (`cs_…`; never its client secret).
    pub session_id: String,
    /// The session's currency, lower case (`usd`).
    pub currency: String,
    /// The lines.
    pub line_items: Vec<SummaryLine>,
    /// The discounts' sum.
    pub discount: Money,
    /// What the customer pays now.
    pub total: Money,
    /// The total as the page says it (`$135.00 per year`).
    pub total_text: String,
    /// The subscription's interval (`month`, `year`); `None` in payment mode.
    pub interval: Option<String>,
    /// `open`, `complete` or `expired`.
    pub status: String,
    /// For a complete session, Stripe's `paid`, `unpaid` or
    /// `no_payment_required` when Stripe.js says (`None` otherwise, and when
    /// the merchant server told the widget instead).
    pub payment_status: Option<String>,
}

/// A failed server update, for [`UPDATE_FAILED`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateFailure {
    /// The merchant endpoint the control called (`/change-subscription-interval`).
    pub endpoint: String,
    /// The merchant server's refusal code (`not_eligible`, …), or the
    /// widget's: `server_error` (a refusal with no known code),
    /// `network_error`, `stripe_js_error`, `unexpected_reply`, `not_ready`.
    pub code: String,
    /// What the customer was told.
    pub message: String,
}

/// What the widget tells the page, as the provider's `on_event` callback
/// gets it; each is also the DOM event [`CheckoutEvent::name`] with the
/// inner value as its `detail`.
///
/// One type for every event, so that the telling is one copy of code
/// (measured on the full demo: a callback and a generic `tell` per event
/// cost 1.5 KB gzip more, docs/weight.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckoutEvent {
    /// [`READY`]: a checkout finished loading.
    Ready(CheckoutSummary),
    /// [`CHANGE`]: the order as the page shows it changed.
    Change(CheckoutSummary),
    /// [`UPDATE_FAILED`]: a server update failed and the customer was told.
    UpdateFailed(UpdateFailure),
    /// [`COMPLETE`]: the session is complete: the order.
    Complete(CheckoutSummary),
}

/// The DOM events' names, in the order of [`CheckoutEvent::index`].
const NAMES: [&str; 4] = [READY, CHANGE, UPDATE_FAILED, COMPLETE];

/// `mount()`'s options for the same, in the same order.
pub(crate) const OPTION_KEYS: [&str; 4] = ["onReady", "onChange", "onUpdateFailed", "onComplete"];

impl CheckoutEvent {
    /// The DOM event's name (`lsc-ready`, …).
    pub fn name(&self) -> &'static str {
        NAMES[self.index()]
    }

    fn index(&self) -> usize {
        match self {
            Self::Ready(_) => 0,
            Self::Change(_) => 1,
            Self::UpdateFailed(_) => 2,
            Self::Complete(_) => 3,
        }
    }
}

/// Who hears the widget besides the DOM: the page's functions for each
/// event, in [`OPTION_KEYS`]' order (`mount()`'s options), and the
/// provider's `on_event`. Fixed when the provider is created; kept in its
/// `Setup` behind an `Rc` (no stored value of its own: each stored type
/// costs its own code; a clone is a count).
#[derive(Debug, Default)]
#[cfg_attr(
    not(all(target_arch = "wasm32", not(feature = "ssr"))),
    allow(dead_code)
)]
pub(crate) struct Hooks {
    pub(crate) page: [Option<js_sys::Function>; 4],
    pub(crate) on_event: Option<Callback<CheckoutEvent>>,
}

thread_local! {
    /// `mount()`'s functions, handed to the provider it renders: set just
    /// before `mount_to` and taken by the provider while it is created, in
    /// the same call (a context value of its own type would cost more
    /// code, docs/weight.md).
    static HANDED_OVER: std::cell::RefCell<[Option<js_sys::Function>; 4]> =
        std::cell::RefCell::default();
}

/// Hands `functions` to the next provider created (`mount()`).
pub(crate) fn hand_over(functions: [Option<js_sys::Function>; 4]) {
    HANDED_OVER.with(|slot| *slot.borrow_mut() = functions);
}

/// What `mount()` handed over for this provider (none otherwise).
pub(crate) fn take_handed_over() -> [Option<js_sys::Function>; 4] {
    HANDED_OVER.with(|slot| std::mem::take(&mut *slot.borrow_mut()))
}

/// The widget's code for `error` in [`UpdateFailure::code`].
pub(crate) fn failure_code(error: &CheckoutError) -> &'static str {
    match error {
        CheckoutError::Server {
            refusal: Some(refusal),
            ..
        } => refusal.code(),
        CheckoutError::Server { refusal: None, .. } => "server_error",
        CheckoutError::Network(_) => "network_error",
        CheckoutError::ScriptLoad(_)
        | CheckoutError::StripeMissing
        | CheckoutError::Integration(_)
        | CheckoutError::Update(_) => "stripe_js_error",
        CheckoutError::Unexpected(_) => "unexpected_reply",
        CheckoutError::NotReady | CheckoutError::MissingProvider => "not_ready",
    }
}

#[cfg(feature = "events")]
fn money(context: &CheckoutContext, amount: &Amount) -> Money {
    Money {
        minor_units: amount.minor_units_amount,
        text: context.money(amount),
    }
}

/// The order as the page shows it (one copy: two callers).
#[cfg(feature = "events")]
#[inline(never)]
fn summary(context: &CheckoutContext, session: &Session) -> CheckoutSummary {
    CheckoutSummary {
        session_id: session.id.clone(),
        currency: session.currency.clone(),
        line_items: session
            .line_items
            .iter()
            .map(|line| SummaryLine {
                id: line.id.clone(),
                name: line.name.clone(),
                quantity: line.quantity,
                total: money(context, &line.total),
            })
            .collect(),
        discount: money(context, &session.total.discount),
        total: money(context, &session.total.total),
        total_text: context.total_text().unwrap_or_default(),
        interval: session.recurring.as_ref().map(|r| r.interval.clone()),
        status: session.status.kind.clone(),
        payment_status: session.status.payment_status.clone(),
    }
}

/// What has been told for the current checkout (kept by the lifecycle):
/// the summary as JSON text (the browser's `JSON.stringify` of the
/// detail), compared as text.
#[cfg(feature = "events")]
#[derive(Debug, Default)]
pub(crate) struct Told {
    generation: Option<u32>,
    summary: String,
    complete: bool,
}

/// Tells the page what the widget shows now, if that is news: the
/// lifecycle calls it after each change of the session, the loading state
/// or what closed the session. (Called rather than an `Effect` following
/// the signals: an effect's task and future cost the full demo ~0.4 KB
/// gzip more, docs/weight.md.)
#[cfg(feature = "events")]
pub(crate) fn shown(context: CheckoutContext, hooks: &std::rc::Rc<Hooks>, told: &mut Told) {
    let ready = context
        .state()
        .try_with_untracked(|state| *state == CheckoutState::Ready);
    let generation = context.generation().try_get_untracked();
    // The session read in place, not copied.
    let read = || {
        context
            .session()
            .try_with_untracked(|session| {
                session
                    .as_ref()
                    .map(|session| untrack(|| summary(&context, session)))
            })
            .flatten()
    };
    let (Some(true), Some(generation)) = (ready, generation) else {
        return;
    };
    let Some(now) = read() else {
        return;
    };
    let detail = js::summary(&now);
    let text = js::text(&detail);
    let complete = context.closed() == Some(Closed::Complete);
    if told.generation != Some(generation) {
        *told = Told {
            generation: Some(generation),
            summary: text,
            complete: false,
        };
        tell(
            context,
            hooks.clone(),
            detail.clone(),
            CheckoutEvent::Ready(now),
        );
    } else if told.summary != text {
        told.summary = text;
        tell(
            context,
            hooks.clone(),
            detail.clone(),
            CheckoutEvent::Change(now),
        );
    }
    if complete && !told.complete {
        told.complete = true;
        let Some(order) = read() else {
            return;
        };
        tell(
            context,
            hooks.clone(),
            detail,
            CheckoutEvent::Complete(order),
        );
    }
}

/// Tells the page that the update to `endpoint` failed with `error`.
#[cfg(feature = "events")]
pub(crate) fn update_failed(
    context: CheckoutContext,
    hooks: std::rc::Rc<Hooks>,
    endpoint: &str,
    error: &CheckoutError,
) {
    let failure = UpdateFailure {
        endpoint: endpoint.to_owned(),
        code: failure_code(error).to_owned(),
        message: context.customer_message(error),
    };
    let detail = js::failure(&failure);
    tell(context, hooks, detail, CheckoutEvent::UpdateFailed(failure));
}

/// Dispatches `event` on the widget's root with `detail` (its JS face), then calls the page's function for it and the provider's
/// `on_event`, one microtask later, if the widget is still there.
#[cfg(feature = "events")]
fn tell(
    context: CheckoutContext,
    hooks: std::rc::Rc<Hooks>,
    detail: wasm_bindgen::JsValue,
    event: CheckoutEvent,
) {
    #[cfg(all(target_arch = "wasm32", not(feature = "ssr")))]
    wasm_bindgen_futures::spawn_local(async move {
        if !context.is_alive() {
            return;
        }
        let index = event.index();
        if let Some(root) = context.root().get_untracked() {
            let init = web_sys::CustomEventInit::new();
            init.set_bubbles(true);
            init.set_composed(true);
            init.set_detail(&detail);
            if let Ok(dom) = web_sys::CustomEvent::new_with_event_init_dict(NAMES[index], &init) {
                let _ = root.dispatch_event(&dom);
            }
        }
        // A listener (or a function below) may have unmounted the widget.
        if !context.is_alive() {
            return;
        }
        if let Some(function) = &hooks.page[index] {
            if let Err(thrown) = function.call1(&wasm_bindgen::JsValue::UNDEFINED, &detail) {
                // What was thrown, as the console shows it (an Error with
                // its stack, a string, anything).
                web_sys::console::error_2(
                    &format!(
                        "leptos-stripe-checkout: mount(): options.{} threw:",
                        OPTION_KEYS[index]
                    )
                    .into(),
                    &thrown,
                );
            }
            if !context.is_alive() {
                return;
            }
        }
        if let Some(callback) = hooks.on_event {
            callback.run(event);
        }
    });
    #[cfg(not(all(target_arch = "wasm32", not(feature = "ssr"))))]
    let _ = (context, hooks, detail, event);
}

/// The details as JS objects, built field by field with `Reflect.set`.
/// serde's derive stays on the types (for Rust users, and the tests check
/// that these objects equal serde_json's output for the same value), but
/// the wasm does not serialize them: serde_json's serializer for these
/// types and `JSON.parse` cost the full demo 0.8 KB gzip against ~0.3 KB
/// for this (measured, docs/weight.md).
#[cfg(feature = "events")]
mod js {
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::JsValue;

    use super::{CheckoutSummary, Money, UpdateFailure};

    fn object(fields: &[(&str, JsValue)]) -> JsValue {
        let object = Object::new();
        for (key, value) in fields {
            let _ = Reflect::set(&object, &(*key).into(), value);
        }
        object.into()
    }

    fn string(text: &str) -> JsValue {
        JsValue::from_str(text)
    }

    fn optional(text: Option<&str>) -> JsValue {
        text.map_or(JsValue::NULL, string)
    }

    /// A number: amounts and quantities are whole and far below 2^53.
    fn number(value: i64) -> JsValue {
        JsValue::from_f64(value as f64)
    }

    fn money(money: &Money) -> JsValue {
        object(&[
            ("minorUnits", number(money.minor_units)),
            ("text", string(&money.text)),
        ])
    }

    pub(super) fn summary(summary: &CheckoutSummary) -> JsValue {
        let lines = Array::new();
        for line in &summary.line_items {
            lines.push(&object(&[
                ("id", string(&line.id)),
                ("name", string(&line.name)),
                ("quantity", number(line.quantity)),
                ("total", money(&line.total)),
            ]));
        }
        object(&[
            ("sessionId", string(&summary.session_id)),
            ("currency", string(&summary.currency)),
            ("lineItems", lines.into()),
            ("discount", money(&summary.discount)),
            ("total", money(&summary.total)),
            ("totalText", string(&summary.total_text)),
            ("interval", optional(summary.interval.as_deref())),
            ("status", string(&summary.status)),
            ("paymentStatus", optional(summary.payment_status.as_deref())),
        ])
    }

    pub(super) fn failure(failure: &UpdateFailure) -> JsValue {
        object(&[
            ("endpoint", string(&failure.endpoint)),
            ("code", string(&failure.code)),
            ("message", string(&failure.message)),
        ])
    }

    /// `JSON.stringify(detail)`, to compare what was told.
    pub(super) fn text(detail: &JsValue) -> String {
        js_sys::JSON::stringify(detail)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_protocol::Refusal;

    #[test]
    fn a_refusal_is_told_by_its_wire_code() {
        for refusal in Refusal::ALL {
            let error = CheckoutError::Server {
                message: String::new(),
                refusal: Some(*refusal),
            };
            assert_eq!(failure_code(&error), refusal.code());
        }
        assert_eq!(
            failure_code(&CheckoutError::server("no code")),
            "server_error"
        );
        assert_eq!(
            failure_code(&CheckoutError::Network("offline".into())),
            "network_error"
        );
        assert_eq!(
            failure_code(&CheckoutError::Update("timeout".into())),
            "stripe_js_error"
        );
    }

    #[test]
    fn details_are_camel_case() {
        let summary = CheckoutSummary {
            session_id: "cs_1".into(),
            line_items: vec![SummaryLine::default()],
            ..CheckoutSummary::default()
        };
        let json = serde_json::to_value(&summary).unwrap_or_default();
        assert_eq!(json["sessionId"], "cs_1");
        assert!(json["lineItems"][0]["total"]["minorUnits"].is_i64());
        assert!(json.get("totalText").is_some());
    }
}
