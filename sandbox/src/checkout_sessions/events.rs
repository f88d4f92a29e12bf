//! The Checkout Sessions' events: `checkout.session.expired` (the store's
//! expiry hook, `POST /v1/checkout/sessions/{id}/expire`) and
//! `checkout.session.completed` (the Stripe.js stand-in's payment), each
//! with the session as `GET /v1/checkout/sessions/{id}` renders it as
//! `data.object`.

use std::sync::Arc;

use super::render::SessionJson;
use crate::model::Session;
use crate::store::ExpiryHook;
use crate::webhooks::events::{RequestRef, CHECKOUT_SESSION_EXPIRED};
use crate::webhooks::Webhooks;

/// Creates an event of `kind` about `session` and starts its deliveries.
pub fn emit(webhooks: &Arc<Webhooks>, kind: &str, session: &Session, request: RequestRef) {
    let json = SessionJson::new(session, Default::default());
    webhooks.emit(kind, &json, request);
}

/// The store's expiry hook: `checkout.session.expired`, automatic (it holds
/// `webhooks` weakly).
pub fn expiry_hook(webhooks: &Arc<Webhooks>) -> ExpiryHook {
    let webhooks = Arc::downgrade(webhooks);
    Arc::new(move |session: &Session| {
        if let Some(webhooks) = webhooks.upgrade() {
            emit(
                &webhooks,
                CHECKOUT_SESSION_EXPIRED,
                session,
                RequestRef::automatic(),
            );
        }
    })
}
