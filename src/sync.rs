//! One source of truth: reading the session again from Stripe.js after any
//! failure whose outcome is uncertain, when the tab becomes visible again
//! after having been hidden, when it comes back online, and before paying.
//!
//! Focus never reads the session again: with Stripe's Payment Element the
//! customer's focus moves into Stripe's card iframe and back (the window
//! gets `blur` and `focus`) while nothing changed. The rules hold no time
//! thresholds either; only a second re-read while one runs is not started.
//!
//! Stripe.js has no refresh call on any web train; `runServerUpdate` with a
//! function that does nothing makes it fetch the session again
//! (docs/research-stripe-js.md §3.4). When even that fails, the merchant
//! server is asked for the session's status (`/checkout-session-status`),
//! which tells "offline" (no answer) from "expired", "paid" and "gone".
//!
//! Calls into Stripe.js are serialised here too ([`take_turn`]): how Stripe.js
//! treats two overlapping `runServerUpdate` calls is not documented.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::provider::{CheckoutContext, CheckoutState, Freshness};
use crate::session::Session;

/// Bookkeeping of the re-reads of one checkout.
#[derive(Clone, Debug, Default)]
pub(crate) struct SyncBook {
    /// How many re-reads are running (see [`Reading`]).
    rereads: u32,
    /// A retry is scheduled.
    retry_scheduled: bool,
    /// The next retry's delay.
    retry_delay_ms: u32,
    /// The current run of failed re-reads was logged.
    logged: bool,
    /// The tab was hidden (`visibilitychange` with `document.hidden`) and
    /// has not been shown since.
    hidden: bool,
}

/// Why the session is read again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The tab became visible again, or came back online: quietly, controls
    /// stay usable; a change made elsewhere is announced.
    Background,
    /// After a failure whose outcome is uncertain: controls and Pay wait.
    AfterFailure,
    /// Right before `confirm`: Pay is already busy.
    #[cfg_attr(not(feature = "payment"), allow(dead_code))]
    BeforePay,
}

/// What reading the session again came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reread {
    /// Read: it is shown now.
    Current,
    /// The session is complete, expired or gone; the widget says so.
    Closed,
    /// It could not be read; the widget says so and tries again later.
    Unavailable,
}

/// A turn at calling Stripe.js: the next caller waits until it is dropped.
pub(crate) struct Turn(Option<js_sys::Function>);

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(resolve) = self.0.take() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }
}

/// Waits for the calls into Stripe.js queued before this one; `None` once
/// the widget is gone.
pub(crate) async fn take_turn(context: CheckoutContext) -> Option<Turn> {
    let mut resolve_slot = None;
    let mine = js_sys::Promise::new(&mut |resolve, _| resolve_slot = Some(resolve));
    let previous = context.queue.try_get_value()?;
    // `try_set_value` gives the value back when the widget is gone.
    if context.queue.try_set_value(Some(mine)).is_some() {
        return None;
    }
    let turn = Turn(resolve_slot);
    if let Some(previous) = previous {
        let _ = wasm_bindgen_futures::JsFuture::from(previous).await;
    }
    context.is_alive().then_some(turn)
}

/// What changed between two sessions, as one polite announcement; `None`
/// when nothing the customer sees changed.
pub(crate) fn describe_change(
    context: CheckoutContext,
    before: Option<&Session>,
    after: &Session,
) -> Option<String> {
    let total = context.total_text()?;
    context.labels.try_with_untracked(|labels| {
        let fill = crate::labels::fill;
        let trial_added = after.trial().map(|trial| trial.trial_period_days);
        let trial_before = before.and_then(|b| b.trial().map(|trial| trial.trial_period_days));
        let quantity = |s: &Session| s.line_items.first().map(|item| item.quantity);
        if let (Some(days), None) = (trial_added, trial_before) {
            return fill(
                &labels.trial_now,
                &[("days", &days.to_string()), ("total", &total)],
            );
        }
        match (before.and_then(quantity), quantity(after)) {
            (Some(old), Some(new)) if old != new => fill(
                &labels.quantity_now,
                &[("quantity", &new.to_string()), ("total", &total)],
            ),
            _ => fill(&labels.total_now, &[("total", &total)]),
        }
    })
}

/// Whether what the customer sees differs between the two sessions.
fn differs(before: Option<&Session>, after: &Session) -> bool {
    before.is_none_or(|before| {
        before.total != after.total
            || before.interval() != after.interval()
            || before.trial() != after.trial()
            || before.line_items != after.line_items
            || before.discount_amounts != after.discount_amounts
            || before.status != after.status
    })
}

/// A re-read that runs, counted in [`SyncBook`] until dropped.
struct Reading(CheckoutContext);

impl Reading {
    fn start(context: CheckoutContext) -> Self {
        let _ = context
            .sync
            .try_update_value(|book| book.rereads = book.rereads.saturating_add(1));
        Self(context)
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        let _ = self
            .0
            .sync
            .try_update_value(|book| book.rereads = book.rereads.saturating_sub(1));
    }
}

/// Reads the session again; see [`Mode`]. Sets [`Freshness`], the alert on
/// failure, and the closed state the merchant server reports.
pub(crate) async fn resync(context: CheckoutContext, mode: Mode) -> Reread {
    let _reading = Reading::start(context);
    resync_uncounted(context, mode).await
}

async fn resync_uncounted(context: CheckoutContext, mode: Mode) -> Reread {
    #[cfg(not(feature = "ssr"))]
    {
        browser::resync(context, mode).await
    }
    #[cfg(feature = "ssr")]
    {
        let _ = (context, mode);
        Reread::Unavailable
    }
}

/// `visibilitychange`: a tab that becomes visible after having been hidden
/// reads the session again (another tab may have changed it meanwhile); one
/// that was not hidden before does not.
fn visibility_changed(context: CheckoutContext, hidden: bool) {
    let shown_again = context
        .sync
        .try_update_value(|book| std::mem::replace(&mut book.hidden, hidden) && !hidden)
        .unwrap_or(false);
    if shown_again {
        wake(context);
    }
}

/// Whether the widget is reading the session again right now.
pub(crate) fn rereading(context: CheckoutContext) -> bool {
    context
        .sync
        .try_with_value(|book| book.rereads > 0)
        .unwrap_or(false)
}

/// The tab became visible again, came back online, or a retry is due:
/// reads the session again if it may have changed meanwhile, unless a
/// re-read already runs.
pub(crate) fn wake(context: CheckoutContext) {
    if !context.is_alive()
        || context.state.with_untracked(|s| *s != CheckoutState::Ready)
        || context.closed_override.with_untracked(Option::is_some)
        || context.pending.with_untracked(Option::is_some)
    {
        return;
    }
    let closed = context
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| !s.is_open()));
    if closed {
        return;
    }
    let mode = match context.freshness.get_untracked() {
        Freshness::Stale => Mode::AfterFailure,
        Freshness::Current => Mode::Background,
        Freshness::Checking | Freshness::Awaiting => return,
    };
    if rereading(context) {
        return;
    }
    // Counted now, not when the task starts: two events in a row start one re-read.
    let reading = Reading::start(context);
    leptos::task::spawn_local(async move {
        let _reading = reading;
        let _ = resync_uncounted(context, mode).await;
    });
}

/// Listens for `visibilitychange` (the document's, which bubbles to the
/// window) and `online` while the provider lives. No focus or blur listener:
/// see the module docs. A page loaded in a hidden tab counts as hidden.
pub(crate) fn watch_page(context: CheckoutContext) {
    #[cfg(not(feature = "ssr"))]
    {
        let hidden = document().hidden();
        context.sync.update_value(|book| book.hidden = hidden);
        let online = window_event_listener(leptos::ev::online, move |_| wake(context));
        let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
            visibility_changed(context, document().hidden());
        });
        on_cleanup(move || {
            online.remove();
            visibility.remove();
        });
    }
    #[cfg(feature = "ssr")]
    let _ = context;
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use leptos::prelude::*;

    use super::{differs, take_turn, Mode, Reread};
    use checkout_protocol::bodies::{SessionRequest, SessionStatusReply};

    use crate::error::CheckoutError;
    use crate::provider::{CheckoutContext, Closed, Freshness};

    /// What the merchant server says about the session.
    enum ServerSays {
        Open,
        Closed(Closed),
    }

    pub(super) async fn resync(context: CheckoutContext, mode: Mode) -> Reread {
        let Some(checkout) = context.checkout() else {
            return Reread::Unavailable;
        };
        let was = context.freshness.try_get_untracked().unwrap_or_default();
        if mode == Mode::AfterFailure {
            let _ = context.freshness.try_set(Freshness::Checking);
        }
        let before = context.session.try_get_untracked().flatten();
        let read = match take_turn(context).await {
            Some(_turn) => checkout.refresh().await,
            None => return Reread::Unavailable,
        };
        if !context.is_alive() {
            return Reread::Unavailable;
        }
        let read = read.and_then(|session| context.accept_session(&session));
        match read {
            Ok(()) => {
                recovered(context, was);
                if context.closed().is_some() {
                    context.clear_alert();
                    return Reread::Closed;
                }
                if mode == Mode::Background {
                    announce_if_changed(context, before.as_ref());
                }
                Reread::Current
            }
            Err(error) => {
                let says = ask_server(context).await;
                if !context.is_alive() {
                    return Reread::Unavailable;
                }
                match says {
                    Some(ServerSays::Closed(closed)) => {
                        context.closed_override.set(Some(closed));
                        recovered(context, was);
                        context.clear_alert();
                        Reread::Closed
                    }
                    Some(ServerSays::Open) | None => {
                        stale(context, &error);
                        Reread::Unavailable
                    }
                }
            }
        }
    }

    /// The session was read (or its state is known): what is shown is current.
    fn recovered(context: CheckoutContext, was: Freshness) {
        context.freshness.set(Freshness::Current);
        context.sync.update_value(|book| {
            book.retry_delay_ms = 0;
            book.logged = false;
        });
        if matches!(was, Freshness::Stale | Freshness::Awaiting) {
            // The alert said the order could not be confirmed: it is now.
            let ours = context.label(|l| l.sync_failed.clone());
            let slow = context.label(|l| l.update_slow.clone());
            let showing = context.error.get_untracked();
            if showing.as_ref() == Some(&ours) || showing.as_ref() == Some(&slow) {
                context.clear_alert();
            }
        }
    }

    fn announce_if_changed(context: CheckoutContext, before: Option<&crate::session::Session>) {
        let changed = context
            .session
            .with_untracked(|after| after.as_ref().map(|after| differs(before, after)));
        if changed == Some(true) {
            if let Some(total) = context.total_text() {
                let text =
                    context.label(|l| crate::labels::fill(&l.order_updated, &[("total", &total)]));
                context.announce(text);
            }
        }
    }

    /// Could not read the session: controls and Pay wait, the customer is
    /// told, and it is tried again later.
    fn stale(context: CheckoutContext, error: &CheckoutError) {
        context.freshness.set(Freshness::Stale);
        let first = context.sync.with_value(|book| !book.logged);
        if first {
            crate::log::warn(&format!(
                "could not read the Checkout Session again ({error}); retrying"
            ));
            context.sync.update_value(|book| book.logged = true);
        }
        let text = context.label(|l| l.sync_failed.clone());
        if context.error.get_untracked().as_ref() != Some(&text) || first {
            context.show_alert(text, None);
        }
        schedule_retry(context);
    }

    /// Tries again in 2, 4, 8, 16, then every 30 seconds while stale.
    fn schedule_retry(context: CheckoutContext) {
        let Some(delay) = context
            .sync
            .try_update_value(|book| {
                if book.retry_scheduled {
                    return None;
                }
                book.retry_scheduled = true;
                book.retry_delay_ms = (book.retry_delay_ms.saturating_mul(2)).clamp(2000, 30_000);
                Some(book.retry_delay_ms)
            })
            .flatten()
        else {
            return;
        };
        crate::ui::after_ms(i32::try_from(delay).unwrap_or(30_000), move || {
            if !context.is_alive() {
                return;
            }
            context
                .sync
                .update_value(|book| book.retry_scheduled = false);
            super::wake(context);
        });
    }

    /// What the merchant server says about the session shown, if it answers.
    async fn ask_server(context: CheckoutContext) -> Option<ServerSays> {
        let id = context
            .session
            .try_with_untracked(|s| s.as_ref().map(|s| s.id.clone()))
            .flatten()?;
        let url = context
            .setup
            .try_with_value(|setup| setup.as_ref().map(|(setup, _)| setup.status_url.clone()))
            .flatten()?;
        match session_status(&url, &id).await? {
            None => Some(ServerSays::Open),
            Some(closed) => Some(ServerSays::Closed(closed)),
        }
    }

    /// `POST {url} {checkout_session_id: id}` → `Some(None)` when the session
    /// is open, `Some(Some(closed))` when it is not, `None` when the server
    /// cannot be reached or does not say.
    pub(crate) async fn session_status(url: &str, id: &str) -> Option<Option<Closed>> {
        let body = SessionRequest {
            checkout_session_id: Some(id.to_owned()),
        };
        let reply = crate::http::post(url, &body).await.ok()?;
        let reply: SessionStatusReply = reply.parse(url).ok()?;
        match reply.status.as_str() {
            "open" => Some(None),
            "complete" => Some(Some(Closed::Complete)),
            "expired" => Some(Some(Closed::Expired)),
            "unknown" => Some(Some(Closed::Gone)),
            _ => None,
        }
    }
}

#[cfg(not(feature = "ssr"))]
pub(crate) use browser::session_status;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn session(total: i64, interval: &str) -> Session {
        Session::from_json(&format!(
            r#"{{"id":"cs_test_1","currency":"usd","status":{{"type":"open"}},
               "total":{{"total":{{"minorUnitsAmount":{total},"amount":"x"}}}},
               "recurring":{{"interval":"{interval}","intervalCount":1}}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn differences_the_customer_sees() {
        let monthly = session(1500, "month");
        assert!(!differs(Some(&monthly), &monthly.clone()));
        assert!(differs(Some(&monthly), &session(15000, "year")));
        assert!(differs(Some(&monthly), &session(1500, "year")));
        assert!(differs(None, &monthly));
    }
}
