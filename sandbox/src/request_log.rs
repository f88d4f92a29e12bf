//! What went over the wire to "Stripe": every request to the emulator's API
//! (`/v1/…`, the Stripe.js stand-in's `/v1/payment_pages/…` included) with
//! its `Stripe-Version`, `Idempotency-Key`, parameters in the order sent, and
//! the status answered, so tests assert what a merchant server *sent* and not
//! only what came back (`GET /sandbox/requests`).
//!
//! It is the outermost layer of the API: it records what arrived, including
//! what the rate limiter, the faults or the key check refused. Secrets are
//! not kept: `client_secret` values are redacted and card numbers cut to
//! their last four digits. At most [`MAX_ENTRIES`] requests are kept (the
//! oldest go first).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// Requests kept.
pub const MAX_ENTRIES: usize = 20_000;

/// One request as it arrived, and the status it got.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LoggedRequest {
    /// Arrival order, from 1.
    pub seq: u64,
    /// `GET`, `POST`, `DELETE`.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The Checkout Session the path names (`/v1/checkout/sessions/{id}…`,
    /// `/v1/payment_pages/{id}…`), if any.
    pub session: Option<String>,
    /// The `Stripe-Version` header as sent (`None`: not sent).
    pub stripe_version: Option<String>,
    /// The `Idempotency-Key` header as sent.
    pub idempotency_key: Option<String>,
    /// The form body's pairs (a `GET`'s query's), in the order sent, values
    /// decoded; secrets redacted.
    pub params: Vec<(String, String)>,
    /// The status answered.
    pub status: u16,
    /// Whether the answer was an idempotent replay (`Idempotent-Replayed: true`).
    pub replayed: bool,
}

impl LoggedRequest {
    /// The value of parameter `name`, if sent (the first, for repeated ones).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The names of the parameters sent, in order.
    pub fn param_names(&self) -> Vec<&str> {
        self.params.iter().map(|(key, _)| key.as_str()).collect()
    }
}

/// The log.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<(u64, VecDeque<LoggedRequest>)>,
}

impl RequestLog {
    fn push(&self, mut entry: LoggedRequest) {
        let mut guard = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (seq, entries) = &mut *guard;
        *seq += 1;
        entry.seq = *seq;
        if entries.len() >= MAX_ENTRIES {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// The requests kept that match `filter`, oldest first.
    pub fn list(&self, filter: &RequestFilter) -> Vec<LoggedRequest> {
        let guard = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        guard
            .1
            .iter()
            .filter(|e| filter.matches(e))
            .cloned()
            .collect()
    }

    /// Forgets every request kept (numbering goes on).
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .1
            .clear();
    }
}

/// Which requests `GET /sandbox/requests` lists.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestFilter {
    /// Only those naming this Checkout Session.
    pub session: Option<String>,
    /// Only those whose path starts with this.
    pub path: Option<String>,
    /// Only this method.
    pub method: Option<String>,
    /// Only those after this sequence number.
    pub after: Option<u64>,
}

impl RequestFilter {
    fn matches(&self, entry: &LoggedRequest) -> bool {
        self.session
            .as_ref()
            .is_none_or(|s| entry.session.as_ref() == Some(s))
            && self
                .path
                .as_ref()
                .is_none_or(|p| entry.path.starts_with(p.as_str()))
            && self
                .method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(&entry.method))
            && self.after.is_none_or(|after| entry.seq > after)
    }
}

/// The session a path names.
fn session_of(path: &str) -> Option<String> {
    let rest = path
        .strip_prefix("/v1/checkout/sessions/")
        .or_else(|| path.strip_prefix("/v1/payment_pages/"))?;
    let id = rest.split('/').next().unwrap_or("");
    (!id.is_empty()).then(|| id.to_owned())
}

/// What is kept of a parameter's value.
fn redact(name: &str, value: String) -> String {
    if name == "client_secret" {
        "[redacted]".to_owned()
    } else if name.ends_with("[number]") {
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        let last4 = digits.get(digits.len().saturating_sub(4)..).unwrap_or("");
        format!("…{last4}")
    } else {
        value
    }
}

fn pairs(input: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(input)
        .map(|(k, v)| {
            let value = redact(&k, v.into_owned());
            (k.into_owned(), value)
        })
        .collect()
}

/// `GET` and `DELETE /sandbox/requests`, over `log`.
pub fn routes(log: Arc<RequestLog>) -> Router {
    Router::new()
        .route("/sandbox/requests", get(list).delete(clear))
        .with_state(log)
}

/// The layer: records each request with the status it got.
pub async fn record(State(log): State<Arc<RequestLog>>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let stripe_version = header("stripe-version");
    let idempotency_key = header("idempotency-key");
    let method = parts.method.to_string();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or("").to_owned();
    let bytes = match crate::params::read_body(body).await {
        Ok(bytes) => bytes,
        Err(error) => return error.into_response(),
    };
    let mut params = pairs(query.as_bytes());
    params.extend(pairs(&bytes));
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .is_some_and(|v| v.as_bytes() == b"true");
    log.push(LoggedRequest {
        seq: 0,
        session: session_of(&path),
        method,
        path,
        stripe_version,
        idempotency_key,
        params,
        status: response.status().as_u16(),
        replayed,
    });
    response
}

/// `GET /sandbox/requests?session=…&path=…&method=…&after=…`: the requests
/// kept that match, oldest first, as `{"requests": [...]}`.
async fn list(
    State(log): State<Arc<RequestLog>>,
    Query(filter): Query<RequestFilter>,
) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "requests": log.list(&filter) }))
}

/// `DELETE /sandbox/requests`: forgets them.
async fn clear(State(log): State<Arc<RequestLog>>) -> StatusCode {
    log.clear();
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_and_secrets() {
        assert_eq!(
            session_of("/v1/checkout/sessions/cs_test_1/line_items").as_deref(),
            Some("cs_test_1")
        );
        assert_eq!(
            session_of("/v1/payment_pages/cs_test_2/init").as_deref(),
            Some("cs_test_2")
        );
        assert_eq!(session_of("/v1/checkout/sessions"), None);
        let params = pairs(
            b"client_secret=cs_test_1_secret_x&payment_method%5Bcard%5D%5Bnumber%5D=4242+4242+4242+4242&a=b",
        );
        assert_eq!(
            params,
            vec![
                ("client_secret".to_owned(), "[redacted]".to_owned()),
                (
                    "payment_method[card][number]".to_owned(),
                    "…4242".to_owned()
                ),
                ("a".to_owned(), "b".to_owned()),
            ]
        );
    }
}
