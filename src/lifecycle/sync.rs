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
//! Each re-read takes its turn at calling Stripe.js (`queue.rs`).
//!
//! Not a `LocalResource`: a re-read is started by events (an uncertain
//! failure, the tab shown again, `online`, Pay, a retry timer), each with its
//! own rules (no second re-read while one runs, none while an update runs,
//! quietly or blocking the controls), and its outcome is written into the
//! state the whole widget reads, not read from a resource by one view.

use leptos::prelude::*;

use super::Lifecycle;
use crate::session::Session;
use crate::state::{CheckoutState, Freshness};

/// Bookkeeping of one checkout: its re-reads, and whether focus moves in
/// once it is ready (one stored value for both: each stored type costs code,
/// issue 23).
#[derive(Clone, Debug, Default)]
pub(crate) struct SyncBook {
    /// Focus moves into the widget once it has loaded (after "Try again" or
    /// "Start a new checkout").
    pub(super) focus_on_ready: bool,
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
struct Reading(Lifecycle);

impl Reading {
    fn start(lifecycle: Lifecycle) -> Self {
        let _ = lifecycle.held(|held| held.book.rereads = held.book.rereads.saturating_add(1));
        Self(lifecycle)
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        let _ = self
            .0
            .held(|held| held.book.rereads = held.book.rereads.saturating_sub(1));
    }
}

impl Lifecycle {
    /// Reads the session again; see [`Mode`]. Sets [`Freshness`], the alert
    /// on failure, and the closed state the merchant server reports.
    pub(crate) async fn resync(self, mode: Mode) -> Reread {
        let _reading = Reading::start(self);
        resync_uncounted(self, mode).await
    }

    /// Whether the widget is reading the session again right now.
    pub(crate) fn rereading(&self) -> bool {
        self.held(|held| held.book.rereads > 0).unwrap_or(false)
    }
}

async fn resync_uncounted(lifecycle: Lifecycle, mode: Mode) -> Reread {
    #[cfg(not(feature = "ssr"))]
    {
        browser::resync(lifecycle, mode).await
    }
    #[cfg(feature = "ssr")]
    {
        let _ = (lifecycle, mode);
        Reread::Unavailable
    }
}

/// `visibilitychange`: a tab that becomes visible after having been hidden
/// reads the session again (another tab may have changed it meanwhile); one
/// that was not hidden before does not.
fn visibility_changed(lifecycle: Lifecycle, hidden: bool) {
    let shown_again = lifecycle
        .held(|held| std::mem::replace(&mut held.book.hidden, hidden) && !hidden)
        .unwrap_or(false);
    if shown_again {
        wake(lifecycle);
    }
}

/// The tab became visible again, came back online, or a retry is due:
/// reads the session again if it may have changed meanwhile, unless a
/// re-read already runs.
fn wake(lifecycle: Lifecycle) {
    let context = lifecycle.context;
    if !context.is_alive()
        || context
            .state()
            .with_untracked(|s| *s != CheckoutState::Ready)
        || context.closed_by_server()
        || context.pending().with_untracked(Option::is_some)
    {
        return;
    }
    let closed = context
        .session()
        .with_untracked(|s| s.as_ref().is_some_and(|s| !s.is_open()));
    if closed {
        return;
    }
    let mode = match context.freshness().get_untracked() {
        Freshness::Stale => Mode::AfterFailure,
        Freshness::Current => Mode::Background,
        Freshness::Checking | Freshness::Awaiting => return,
    };
    if lifecycle.rereading() {
        return;
    }
    // Counted now, not when the task starts: two events in a row start one re-read.
    let reading = Reading::start(lifecycle);
    leptos::task::spawn_local(async move {
        let _reading = reading;
        let _ = resync_uncounted(lifecycle, mode).await;
    });
}

/// Listens for `visibilitychange` (the document's, which bubbles to the
/// window) and `online` while the provider lives (Leptos's typed
/// `window_event_listener`). No focus or blur listener: see the module docs.
/// A page loaded in a hidden tab counts as hidden.
pub(super) fn watch_page(lifecycle: Lifecycle) {
    #[cfg(not(feature = "ssr"))]
    {
        let hidden = document().hidden();
        let _ = lifecycle.held(|held| held.book.hidden = hidden);
        let online = window_event_listener(leptos::ev::online, move |_| wake(lifecycle));
        let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
            visibility_changed(lifecycle, document().hidden());
        });
        on_cleanup(move || {
            online.remove();
            visibility.remove();
        });
    }
    #[cfg(feature = "ssr")]
    let _ = lifecycle;
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use leptos::prelude::*;

    use super::{differs, Mode, Reread};
    use checkout_protocol::bodies::{SessionRequest, SessionStatusReply};

    use crate::error::CheckoutError;
    use crate::lifecycle::Lifecycle;
    use crate::messages::{Alert, Announcement};
    use crate::state::{Closed, Freshness};
    use crate::wording::Total;

    /// What the merchant server says about the session.
    enum ServerSays {
        Open,
        Closed(Closed),
    }

    pub(super) async fn resync(lifecycle: Lifecycle, mode: Mode) -> Reread {
        let Some(checkout) = lifecycle.checkout() else {
            return Reread::Unavailable;
        };
        let context = lifecycle.context;
        let was = context.freshness().try_get_untracked().unwrap_or_default();
        if mode == Mode::AfterFailure {
            let _ = lifecycle.freshness.try_set(Freshness::Checking);
        }
        let before = context.session().try_get_untracked().flatten();
        let read = match lifecycle.take_turn().await {
            Some(_turn) => checkout.refresh().await,
            None => return Reread::Unavailable,
        };
        if !context.is_alive() {
            return Reread::Unavailable;
        }
        let read = read.and_then(|session| lifecycle.accept_session(&session));
        match read {
            Ok(()) => {
                recovered(lifecycle, was);
                if context.closed().is_some() {
                    context.clear_alert();
                    return Reread::Closed;
                }
                if mode == Mode::Background {
                    announce_if_changed(lifecycle, before.as_ref());
                }
                Reread::Current
            }
            Err(error) => {
                let says = ask_server(lifecycle).await;
                if !context.is_alive() {
                    return Reread::Unavailable;
                }
                match says {
                    Some(ServerSays::Closed(closed)) => {
                        lifecycle.closed_override.set(Some(closed));
                        lifecycle.tell_page();
                        recovered(lifecycle, was);
                        context.clear_alert();
                        Reread::Closed
                    }
                    Some(ServerSays::Open) | None => {
                        stale(lifecycle, &error);
                        Reread::Unavailable
                    }
                }
            }
        }
    }

    /// The session was read (or its state is known): what is shown is current.
    fn recovered(lifecycle: Lifecycle, was: Freshness) {
        lifecycle.freshness.set(Freshness::Current);
        let _ = lifecycle.held(|held| {
            held.book.retry_delay_ms = 0;
            held.book.logged = false;
        });
        if matches!(was, Freshness::Stale | Freshness::Awaiting) {
            // The alert said the order could not be confirmed: it is now.
            let context = lifecycle.context;
            if context.alert_is(|alert| matches!(alert, Alert::SyncFailed | Alert::UpdateSlow)) {
                context.clear_alert();
            }
        }
    }

    /// A change made elsewhere (another tab), seen on a quiet re-read: said
    /// once, with the total now.
    fn announce_if_changed(lifecycle: Lifecycle, before: Option<&crate::session::Session>) {
        let context = lifecycle.context;
        let total = context.session().with_untracked(|after| {
            after
                .as_ref()
                .filter(|after| differs(before, after))
                .map(Total::of)
        });
        if let Some(total) = total {
            context.announce(Announcement::OrderUpdated(total));
        }
    }

    /// Could not read the session: controls and Pay wait, the customer is
    /// told, and it is tried again later.
    fn stale(lifecycle: Lifecycle, error: &CheckoutError) {
        lifecycle.freshness.set(Freshness::Stale);
        let first = lifecycle
            .held(|held| !std::mem::replace(&mut held.book.logged, true))
            .unwrap_or(false);
        if first {
            crate::log::warn(&format!(
                "could not read the Checkout Session again ({error}); retrying"
            ));
        }
        let context = lifecycle.context;
        if !context.alert_is(|alert| matches!(alert, Alert::SyncFailed)) || first {
            context.show_alert(Alert::SyncFailed, None);
        }
        schedule_retry(lifecycle);
    }

    /// Tries again in 2, 4, 8, 16, then every 30 seconds while stale
    /// (Leptos's `set_timeout`, through `crate::ui::after_ms`).
    fn schedule_retry(lifecycle: Lifecycle) {
        let Some(delay) = lifecycle
            .held(|held| {
                let book = &mut held.book;
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
            if !lifecycle.context.is_alive() {
                return;
            }
            let _ = lifecycle.held(|held| held.book.retry_scheduled = false);
            super::wake(lifecycle);
        });
    }

    /// What the merchant server says about the session shown, if it answers.
    async fn ask_server(lifecycle: Lifecycle) -> Option<ServerSays> {
        let id = lifecycle
            .context
            .session()
            .try_with_untracked(|s| s.as_ref().map(|s| s.id.clone()))
            .flatten()?;
        let url = lifecycle.held(|held| held.setup.0.status_url.clone())?;
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
