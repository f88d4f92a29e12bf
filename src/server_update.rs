//! The one primitive for server updates: POST to a merchant endpoint inside
//! `checkout.runServerUpdate`, one update at a time per checkout.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

use crate::error::{CheckoutError, GENERIC_MESSAGE};
use crate::provider::CheckoutContext;

/// What the merchant endpoints answer (`{type, message}`; other fields ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ServerReply {
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
    pub(crate) message: Option<String>,
}

/// Interprets a merchant server reply: a non-2xx status or `"type": "error"` is
/// a failure carrying the server's message (or a generic one).
pub(crate) fn check_reply(ok: bool, body: &str) -> Result<(), CheckoutError> {
    let reply: Option<ServerReply> = serde_json::from_str(body).ok();
    let is_error = reply
        .as_ref()
        .and_then(|reply| reply.kind.as_deref())
        .is_some_and(|kind| kind == "error");
    if ok && !is_error {
        return Ok(());
    }
    let message = reply
        .and_then(|reply| reply.message)
        .filter(|message| !message.trim().is_empty())
        .unwrap_or_else(|| GENERIC_MESSAGE.to_owned());
    Err(CheckoutError::Server(message))
}

async fn post_json(endpoint: &str, body: &serde_json::Value) -> Result<(), CheckoutError> {
    let response = gloo_net::http::Request::post(endpoint)
        .json(body)
        .map_err(|error| CheckoutError::Unexpected(error.to_string()))?
        .send()
        .await
        .map_err(|error| CheckoutError::Network(error.to_string()))?;
    let ok = response.ok();
    let text = response.text().await.unwrap_or_default();
    check_reply(ok, &text)
}

impl CheckoutContext {
    /// Runs one server update for the control `control`: POSTs the JSON that
    /// `body` builds from the current session id to `endpoint`, inside
    /// `runServerUpdate`.
    ///
    /// Returns `false` without doing anything when the checkout is not open or
    /// another update is already running. The outcome lands in the context's
    /// signals: `session` follows Stripe.js, `error` holds the message of a
    /// failure and is cleared by a success.
    pub fn run_update(
        &self,
        control: &str,
        endpoint: String,
        body: impl FnOnce(&str) -> serde_json::Value + 'static,
    ) -> bool {
        if !self.is_open() || self.pending.with_untracked(Option::is_some) {
            return false;
        }
        let Some(checkout) = self.checkout.get_value() else {
            return false;
        };
        self.pending.set(Some(control.to_owned()));
        let context = *self;
        spawn_local(async move {
            // What our function threw, so the customer sees the server's own
            // message whatever Stripe.js puts in `result.error`.
            let thrown: Rc<RefCell<Option<CheckoutError>>> = Rc::default();
            let outcome = async {
                let id = checkout.session_id()?;
                let request = body(&id);
                let record = Rc::clone(&thrown);
                let update = async move {
                    let result = post_json(&endpoint, &request).await;
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
            .await;
            match outcome {
                Ok(()) => context.error.set(None),
                Err(error) => {
                    web_sys::console::warn_1(&format!("server update failed: {error:?}").into());
                    context.error.set(Some(error.customer_message()));
                }
            }
            context.pending.set(None);
        });
        true
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
            Err(CheckoutError::Server(GENERIC_MESSAGE.into()))
        );
        assert_eq!(
            check_reply(false, r#"{"type":"error","message":"  "}"#),
            Err(CheckoutError::Server(GENERIC_MESSAGE.into()))
        );
    }
}
