//! A server update, from the POST inside `runServerUpdate` to what the
//! customer is told: the session Stripe.js hands back, or, when the outcome
//! is uncertain, the session read again. [`ServerUpdate`](crate::ServerUpdate)
//! starts it; no other code calls `runServerUpdate` (besides the re-read's
//! no-op in `sync.rs`).

use checkout_protocol::bodies::UpdateReplyFields;

use crate::error::CheckoutError;

/// Builds the JSON body of an update from the session id read at send time.
pub(crate) type BodyFn = Box<dyn FnOnce(&str) -> Option<String>>;

/// Interprets a merchant server reply (read as
/// [`UpdateReplyFields`], the flat fields of the shared `UpdateReply`): a
/// non-2xx status or `{"type": "error"}` is a failure carrying the server's
/// message (empty when it gave none) and refusal (`None` for a code the
/// widget does not know: the message is shown then). A 2xx reply that is not an
/// error (or not JSON) is a success: Stripe.js reads the session itself
/// afterwards.
pub(crate) fn check_reply(ok: bool, body: &str) -> Result<(), CheckoutError> {
    let reply =
        crate::wire::from_json::<UpdateReplyFields>(body, "the update's reply").unwrap_or_default();
    if ok && !reply.is_error() {
        return Ok(());
    }
    let refusal = reply.refusal();
    let message = reply
        .message
        .filter(|message| !message.trim().is_empty())
        .unwrap_or_default();
    Err(CheckoutError::Server { message, refusal })
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use leptos::prelude::*;

    use super::{check_reply, BodyFn};
    use crate::error::CheckoutError;
    use crate::lifecycle::{Lifecycle, Mode, Reread};
    use crate::messages::{Alert, Announcement};
    use crate::session::Session;
    use crate::state::Freshness;
    use crate::stripe_js::{Checkout, UpdateOutcome};

    impl Lifecycle {
        /// The update of `control` to `endpoint`, from the POST to what the
        /// customer is told; `own_error` is the control's typed error.
        /// `false` (nothing sent) when the checkout is not ready.
        pub(crate) fn update(
            self,
            control: String,
            endpoint: String,
            body: BodyFn,
            own_error: RwSignal<Option<Alert>>,
        ) -> bool {
            let Some(checkout) = self.checkout() else {
                return false;
            };
            // A new attempt clears the last failure, so that the same
            // failure again is announced again.
            own_error.set(None);
            let name = control.clone();
            self.run_as(
                name,
                self.run_update(checkout, control, endpoint, body, own_error),
            );
            true
        }

        async fn run_update(
            self,
            checkout: Checkout,
            control: String,
            endpoint: String,
            body: BodyFn,
            own_error: RwSignal<Option<Alert>>,
        ) {
            let context = self.context;
            let control = control.as_str();
            let endpoint = endpoint.as_str();
            let before = context.session().try_get_untracked().flatten();
            let outcome = {
                // Waits for a re-read the page started (visibility, online).
                let Some(_turn) = self.take_turn().await else {
                    return;
                };
                let body = match checkout.session_id().and_then(|id| {
                    body(&id)
                        .ok_or_else(|| CheckoutError::Unexpected("the request body".to_owned()))
                }) {
                    Ok(body) => body,
                    Err(error) => {
                        self.fail(control, endpoint, error, own_error);
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
                Ok(UpdateOutcome::Applied(session)) => match self.accept_session(&session) {
                    Ok(()) => self.succeeded(before.as_ref()),
                    Err(error) => self.fail(control, endpoint, error, own_error),
                },
                Ok(UpdateOutcome::Refused(error)) => {
                    // The server refused (or the request failed on the way,
                    // when it may have arrived): what does Stripe hold now?
                    crate::log::warn(&format!("the update to {endpoint} failed: {error}"));
                    if self.resync(Mode::AfterFailure).await == Reread::Unavailable {
                        let _ = own_error.try_set(Some(Alert::Failed(error)));
                        return;
                    }
                    if context.is_alive() && context.closed().is_none() {
                        self.tell_failure(control, endpoint, &error);
                        let _ = own_error.try_set(Some(Alert::Failed(error)));
                    }
                }
                Ok(UpdateOutcome::NotRefreshed(message)) => {
                    // Applied on Stripe's side, but Stripe.js could not fetch
                    // the session afterwards (offline at that moment).
                    crate::log::warn(&format!(
                        "the update to {endpoint} was sent, but Stripe.js could not refresh the session: {message}"
                    ));
                    if let Reread::Current = self.resync(Mode::AfterFailure).await {
                        self.succeeded(before.as_ref());
                    }
                }
                Ok(UpdateOutcome::Unfinished { message, running }) => {
                    // Stripe.js gave up waiting; the request still runs and
                    // may still land. Nothing is usable until it has ended
                    // and the session has been read again.
                    crate::log::warn(&format!(
                        "Stripe.js stopped waiting for the update to {endpoint} ({message}); waiting for the server's answer"
                    ));
                    self.freshness.set(Freshness::Awaiting);
                    context.show_alert(Alert::UpdateSlow, Some(control.to_owned()));
                    let result = running.finish().await;
                    if !context.is_alive() {
                        return;
                    }
                    let reread = self.resync(Mode::AfterFailure).await;
                    match (reread, result) {
                        (Reread::Current, Ok(())) => self.succeeded(before.as_ref()),
                        (Reread::Current, Err(error)) => {
                            crate::log::warn(&format!("the update to {endpoint} failed: {error}"));
                            if context.is_alive() {
                                self.tell_failure(control, endpoint, &error);
                            }
                            let _ = own_error.try_set(Some(Alert::Failed(error)));
                        }
                        _ => {}
                    }
                }
                Ok(UpdateOutcome::NotRun(message)) => {
                    self.fail(control, endpoint, CheckoutError::Update(message), own_error)
                }
                Err(error) => self.fail(control, endpoint, error, own_error),
            }
        }

        /// The session shown is the updated one: one polite announcement of
        /// what changed.
        fn succeeded(self, before: Option<&Session>) {
            if !self.context.is_alive() {
                return;
            }
            let after = self.context.session().try_get_untracked().flatten();
            if let Some(after) = after {
                self.context.announce(Announcement::change(before, &after));
            }
        }

        /// A failure before anything was sent (or Stripe.js refused the call).
        fn fail(
            self,
            control: &str,
            endpoint: &str,
            error: CheckoutError,
            own_error: RwSignal<Option<Alert>>,
        ) {
            crate::log::warn(&format!("the update to {endpoint} failed: {error}"));
            if self.context.is_alive() {
                self.tell_failure(control, endpoint, &error);
            }
            let _ = own_error.try_set(Some(Alert::Failed(error)));
        }

        /// Tells the customer (the alert) and the page (`lsc-update-failed`)
        /// that the update of `control` to `endpoint` failed.
        fn tell_failure(self, control: &str, endpoint: &str, error: &CheckoutError) {
            self.context
                .show_alert(Alert::Failed(error.clone()), Some(control.to_owned()));
            #[cfg(feature = "events")]
            if let Some(hooks) = self.held(|held| held.setup.0.hooks.clone()) {
                crate::host_events::update_failed(self.context, hooks, endpoint, error);
            }
            #[cfg(not(feature = "events"))]
            let _ = endpoint;
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
    fn error_replies_carry_the_code() {
        assert_eq!(
            check_reply(
                false,
                r#"{"type":"error","message":"Over $100 only.","code":"not_eligible"}"#
            ),
            Err(CheckoutError::Server {
                message: "Over $100 only.".into(),
                refusal: Some(checkout_protocol::Refusal::NotEligible)
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
