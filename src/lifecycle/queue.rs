//! One at a time: calls into Stripe.js wait for the one before ([`Turn`]),
//! since how Stripe.js treats two overlapping `runServerUpdate` calls is not
//! documented; and one server update or payment runs at a time across every
//! control of a checkout ([`Lifecycle::run_as`], the context's `pending`).
//!
//! Leptos's `Action` is not used for the second, measured: see
//! [`Lifecycle::run_as`].

use std::future::Future;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::Lifecycle;

/// A turn at calling Stripe.js: the next caller waits until it is dropped.
pub(crate) struct Turn(Option<js_sys::Function>);

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(resolve) = self.0.take() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }
}

impl Lifecycle {
    /// Waits for the calls into Stripe.js queued before this one; `None`
    /// once the widget is gone.
    pub(crate) async fn take_turn(self) -> Option<Turn> {
        let mut resolve_slot = None;
        let mine = js_sys::Promise::new(&mut |resolve, _| resolve_slot = Some(resolve));
        let previous = self.held(|held| held.queue.replace(mine))?;
        let turn = Turn(resolve_slot);
        if let Some(previous) = previous {
            let _ = wasm_bindgen_futures::JsFuture::from(previous).await;
        }
        self.context.is_alive().then_some(turn)
    }

    /// Runs `task` as `control`'s update (or the payment): the context's
    /// `pending` names `control` until it ends, so that every control and
    /// Pay are blocked meanwhile; the alert is about `control` and emptied
    /// now, so that the same failure again is announced again.
    ///
    /// Hand-written rather than one `Action::new_local` per control (and
    /// one for Pay) with `pending` derived from their `pending()` memos.
    /// That version was built and measured (`trunk build --release`'s
    /// pipeline, gzip -9 of the wasm): the guides' page 147,842 → 152,515 B
    /// (+4.7 KB), the demo 195,823 → 201,562 B (+5.7 KB), for `ArcAction`'s
    /// input/value/version signals, its abortable spawn and a memo per
    /// control. It also changes behaviour at the edges: a control unmounted
    /// while its update runs (a `<Show>` that toggles) takes its action out
    /// of the derived `pending`, so a second update could start while the
    /// first still runs; and `Action::dispatch` / `pending` panic once the
    /// control's owner is disposed (no `try_` forms), where this returns.
    pub(crate) fn run_as(self, control: String, task: impl Future<Output = ()> + 'static) {
        self.pending.set(Some(control.clone()));
        self.context.own_alert(Some(control));
        self.context.clear_alert();
        let pending = self.pending;
        leptos::task::spawn_local(async move {
            task.await;
            let _ = pending.try_set(None);
        });
    }
}
