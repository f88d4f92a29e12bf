//! `POST /checkout-session-status`: the status of a session the page already
//! holds, for the widget when Stripe.js cannot read it (it is offline, the
//! session expired, or it is gone).
//!
//! It answers only `{status}`: never the client secret, which lets whoever
//! holds it read and pay the session. The page that created the session
//! keeps its own secret (in the tab's `sessionStorage`); a session id alone,
//! which travels in return URLs and logs, buys nothing more than whether the
//! session is open, complete, expired or unknown.

use axum::extract::State;
use axum::Json;
use checkout_protocol::bodies::{SessionRequest, SessionStatusReply};

use super::error::ApiError;
use super::extract::ApiJson;
use super::ids::required_session_id;
use super::MerchantState;
use crate::stripe_client::StripeError;

/// `POST /checkout-session-status` → `{"status": "open" | "complete" |
/// "expired" | "unknown"}`; a malformed id is refused (400).
pub(crate) async fn checkout_session_status(
    State(state): State<MerchantState>,
    ApiJson(body): ApiJson<SessionRequest>,
) -> Result<Json<SessionStatusReply>, ApiError> {
    let id = required_session_id(body.checkout_session_id)?;
    let status = match state.stripe.retrieve_session(&id, &[]).await {
        Ok(session) => match session.status.as_deref() {
            Some("open") => "open",
            Some("complete") => "complete",
            Some("expired") => "expired",
            other => {
                tracing::error!(status = ?other, "Stripe returned a session with an unknown status");
                return Err(ApiError::internal());
            }
        },
        Err(StripeError::Api { status: 404, .. }) => "unknown",
        Err(error) => return Err(ApiError::from(error)),
    };
    Ok(Json(SessionStatusReply {
        status: status.to_owned(),
    }))
}
