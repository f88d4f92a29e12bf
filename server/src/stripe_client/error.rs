//! What can go wrong in a Stripe call.

/// Errors from a Stripe call.
#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    /// Stripe answered with an error object (`{"error": {...}}`).
    #[error("Stripe API error (HTTP {status}, {error_type}): {message}")]
    Api {
        /// HTTP status code.
        status: u16,
        /// `error.type`, e.g. `invalid_request_error`.
        error_type: String,
        /// `error.code`, e.g. `resource_missing`.
        code: Option<String>,
        /// `error.message`.
        message: String,
        /// `error.param`.
        param: Option<String>,
        /// The `Request-Id` response header.
        request_id: Option<String>,
    },
    /// The request could not be sent or the response not received.
    #[error("could not reach Stripe: {0}")]
    Transport(#[from] reqwest::Error),
    /// The response (or the request parameters) could not be (de)serialized.
    #[error("could not decode the Stripe response: {0}")]
    Decode(String),
    /// The call's deadline came before it succeeded ([`super::StripeClient::until`]).
    #[error("gave up at the deadline after {attempts} attempt(s); the last failure: {last}")]
    DeadlineExceeded {
        /// Attempts made.
        attempts: u32,
        /// The last attempt's failure.
        last: String,
    },
}

impl StripeError {
    /// The `outcome` label of a failed attempt in `stripe_requests_total`
    /// ([`crate::metrics`]).
    pub fn metric_outcome(&self) -> &'static str {
        match self {
            StripeError::Api { status: 429, .. } => "rate_limited",
            StripeError::Api { status, .. } if *status >= 500 => "server_error",
            StripeError::Api { .. } => "client_error",
            StripeError::Transport(_) | StripeError::DeadlineExceeded { .. } => "connection_error",
            StripeError::Decode(_) => "decode_error",
        }
    }

    /// True for a 4xx answer from Stripe: the request was refused (the guides'
    /// `rescue Stripe::StripeError` branch). False for 5xx, transport and decode
    /// failures (the guides' `rescue StandardError` branch).
    pub fn is_client_error(&self) -> bool {
        matches!(self, StripeError::Api { status, .. } if (400..500).contains(status))
    }

    /// True for a failure that may pass if the customer tries again: no
    /// answer (connection error, timeout), the deadline, or an answer the
    /// request may not have been refused for: 409 (a conflicting request),
    /// 429 (a lock timeout or the rate limiter), 5xx. What is left of these
    /// after the client's retries reaches the customer as "try again".
    pub fn is_transient(&self) -> bool {
        match self {
            StripeError::Api { status, .. } => matches!(status, 409 | 429) || *status >= 500,
            StripeError::Transport(e) => !e.is_builder(),
            StripeError::DeadlineExceeded { .. } => true,
            StripeError::Decode(_) => false,
        }
    }
}
