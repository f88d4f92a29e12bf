//! The Stripe.js stand-in (`/sandbox/{basil,clover,dahlia,endive}/stripe.js`),
//! compiled in once: it speaks every train and reads its train from the URL
//! it was loaded from, and its settings from that URL's query
//! ([`StandInOptions`]).

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use checkout_protocol::Train;

/// The Stripe.js stand-in's source.
pub const STRIPE_JS: &str = include_str!("../static/stripe.js");

/// The stand-in's settings, passed on its URL by whoever hands the URL out
/// (the merchant server's `GET /config`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StandInOptions {
    /// `runServerUpdate`'s timeout (`SANDBOX_UPDATE_TIMEOUT_MS`; Stripe.js's
    /// 20 s when unset), passed as `?update_timeout_ms=N`.
    pub update_timeout_ms: Option<u64>,
}

impl StandInOptions {
    /// The stand-in's URL `base` (e.g. `/sandbox/basil/stripe.js`) with these settings.
    pub fn url(&self, base: &str) -> String {
        match self.update_timeout_ms {
            Some(ms) => {
                let sep = if base.contains('?') { '&' } else { '?' };
                format!("{base}{sep}update_timeout_ms={ms}")
            }
            None => base.to_owned(),
        }
    }
}

/// The stand-in's route (it needs no state).
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/sandbox/{train}/stripe.js", get(stripe_js))
}

/// `GET /sandbox/{train}/stripe.js`; 404 for an unknown train.
async fn stripe_js(Path(train): Path<String>) -> Response {
    match Train::parse(&train) {
        Some(_) => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            STRIPE_JS,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "unknown Stripe.js train\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url() {
        let none = StandInOptions::default();
        assert_eq!(
            none.url("/sandbox/basil/stripe.js"),
            "/sandbox/basil/stripe.js"
        );
        let some = StandInOptions {
            update_timeout_ms: Some(1500),
        };
        assert_eq!(
            some.url("/sandbox/basil/stripe.js"),
            "/sandbox/basil/stripe.js?update_timeout_ms=1500"
        );
        assert_eq!(some.url("/s.js?a=1"), "/s.js?a=1&update_timeout_ms=1500");
    }
}
