//! The API version of a request (`Stripe-Version`): which parameters exist.

use axum::http::HeaderMap;

use checkout_protocol::api_version;

use crate::error::{ApiResult, StripeApiError};

/// The API version a request asked for (`Stripe-Version`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersion {
    /// `YYYY-MM-DD` of the version.
    pub date: String,
    /// The release after the date: `basil`, `clover`, `dahlia`, `preview`…
    /// (empty for a bare date).
    pub release: String,
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
        let (date, release) = version.split_once('.').unwrap_or((version, ""));
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
            release: release.to_owned(),
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

    /// Fails with "unknown parameter" unless this is a private-preview version
    /// (`….preview`) with the server-update beta: Stripe's trials guide says to
    /// use "the private preview API version and the
    /// `checkout_server_update_beta=v1` beta version header"
    /// ([`api_version::TRIAL_PREVIEW`]); the GA SDKs' `SessionUpdateParams`
    /// have no `subscription_data`.
    pub fn require_trial_preview(&self, param: &str) -> ApiResult<()> {
        if self.server_update_beta && self.release == api_version::PREVIEW_RELEASE {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn releases() {
        let basil = ApiVersion::parse(api_version::BASIL).unwrap();
        assert_eq!(basil.release, "basil");
        assert!(basil.require_trial_preview("subscription_data").is_err());
        let preview = ApiVersion::parse(api_version::TRIAL_PREVIEW).unwrap();
        assert_eq!(
            (preview.date.as_str(), preview.release.as_str()),
            ("2025-03-31", "preview")
        );
        assert!(preview.server_update_beta);
        assert!(preview.require_trial_preview("subscription_data").is_ok());
        assert!(!preview.is_dahlia_or_later());
        let no_beta = ApiVersion::parse("2025-03-31.preview").unwrap();
        assert!(no_beta.require_trial_preview("subscription_data").is_err());
        let bare = ApiVersion::parse("2025-03-31").unwrap();
        assert_eq!(bare.release, "");
        assert!(ApiVersion::parse("2025-3-31.preview").is_none());
    }
}
