//! The API version of a request (`Stripe-Version`): which parameters exist.

use axum::http::HeaderMap;

use checkout_protocol::api_version;

use crate::error::{ApiResult, StripeApiError};

/// The API version a request asked for (`Stripe-Version`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersion {
    /// `YYYY-MM-DD` of the version.
    pub date: String,
    /// Whether `checkout_server_update_beta=v1` was sent.
    pub server_update_beta: bool,
}

/// The version the emulator's account is pinned to, used when a request sends
/// no `Stripe-Version` header: basil with the server-update beta.
pub const ACCOUNT_DEFAULT_VERSION: &str = api_version::BASIL;

impl ApiVersion {
    /// Parses `2025-03-31.basil; checkout_server_update_beta=v1;`.
    pub fn parse(header: &str) -> Option<Self> {
        let mut parts = header.split(';').map(str::trim).filter(|p| !p.is_empty());
        let version = parts.next()?;
        let date = version.split('.').next()?;
        let bytes = date.as_bytes();
        let well_formed = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    *b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !well_formed {
            return None;
        }
        let mut server_update_beta = false;
        for beta in parts {
            let (name, value) = beta.split_once('=')?;
            if api_version::SERVER_UPDATE_BETA.split_once('=') == Some((name.trim(), value.trim()))
            {
                server_update_beta = true;
            }
        }
        Some(Self {
            date: date.to_owned(),
            server_update_beta,
        })
    }

    /// The version of a request (the account default when no header is sent).
    pub fn of(headers: &HeaderMap) -> ApiResult<Self> {
        let header = match headers.get("stripe-version") {
            None => ACCOUNT_DEFAULT_VERSION,
            Some(v) => v.to_str().unwrap_or(""),
        };
        Self::parse(header).ok_or_else(|| {
            StripeApiError::bad_request(format!("Invalid Stripe API version: {header}"))
        })
    }

    /// Whether this version is dahlia or later.
    pub fn is_dahlia_or_later(&self) -> bool {
        self.date.as_str() >= api_version::DAHLIA_DATE
    }

    /// Fails with "unknown parameter" unless the server-update beta was sent.
    pub fn require_beta(&self, param: &str) -> ApiResult<()> {
        if self.server_update_beta {
            Ok(())
        } else {
            Err(StripeApiError::unknown_parameter(param))
        }
    }

    /// Whether `line_items` on update is still the beta parameter in this version.
    pub fn line_items_update_is_beta(&self) -> bool {
        self.date.as_str() < api_version::LINE_ITEMS_GA_DATE
    }
}
