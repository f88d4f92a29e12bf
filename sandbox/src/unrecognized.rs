//! Any `/v1` path or method the emulator does not know answers as Stripe does:
//! 404 with Stripe's error JSON, `"Unrecognized request URL (METHOD: /path)…"`,
//! `type: invalid_request_error`, no `code`, no `param`
//! (docs/research-stripe-api.md §7: a real body from stripe-node users, the
//! 404 of stripe-mock's `invalidRoute`, which also answers it for a known path
//! with another method).

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::StripeApiError;

/// The catch-all route for paths under `/v1/`.
pub const CATCH_ALL: &str = "/v1/{*rest}";

/// Stripe's answer to a request whose method and path match no route.
pub async fn unrecognized(req: Request) -> Response {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path();
    let hint = if path.len() > 1 && path.ends_with('/') {
        " If you are trying to list objects, remove the trailing slash. If you are trying to \
         retrieve an object, make sure you passed a valid (non-empty) identifier in your code."
    } else {
        ""
    };
    StripeApiError {
        status: StatusCode::NOT_FOUND,
        param: None,
        ..StripeApiError::bad_request(format!(
            "Unrecognized request URL ({method}: {path}).{hint} Please see \
             https://stripe.com/docs or we can help at https://support.stripe.com/."
        ))
    }
    .into_response()
}
