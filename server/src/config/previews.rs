//! Which of Stripe's private-preview features the merchant's account has,
//! and so which parameters the server may send (`STRIPE_PREVIEWS`).
//!
//! Of the guides' updates, only the line items are generally available
//! (`line_items` on update since `2025-12-15.clover`: Stripe's changelog
//! "Adds the ability to update line items on existing Checkout Sessions with
//! a custom UI", and stripe-node 20.1.0's `SessionUpdateParams`). Discounts
//! (`discounts` on update, `permissions[update_discounts]`) and trials
//! (`subscription_data` on update, under a `….preview` API version) exist
//! only in the private preview (stripe-node's GA `SessionUpdateParams` has
//! neither; `docs/research-stripe-strict.md`). An account without that
//! preview gets "Received unknown parameter" for them, so with a preview off
//! no call carries its parameters or permissions, and its endpoints answer
//! 404.
//!
//! Both need the server-update beta in the API version
//! (`checkout_server_update_beta=v1`); [`Previews::check`] refuses a
//! configuration that turns one on without it.

use checkout_protocol::api_version::{self, SERVER_UPDATE_BETA};

use super::ConfigError;

/// The private-preview features turned on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Previews {
    /// Discounts on update (Stripe's "Dynamically update discounts").
    pub discounts: bool,
    /// Trials on update (Stripe's "Dynamically update trial durations").
    pub trials: bool,
}

/// What `STRIPE_PREVIEWS` expects.
const EXPECTED: &str = "a comma-separated list of discounts, trials (or none)";

impl Previews {
    /// Every preview on: what the offline emulator's account has.
    pub const ALL: Self = Self {
        discounts: true,
        trials: true,
    };

    /// None: what an account without private-preview access has.
    pub const NONE: Self = Self {
        discounts: false,
        trials: false,
    };

    /// Parses `STRIPE_PREVIEWS`: `discounts`, `trials`, both
    /// comma-separated, or `none`.
    pub fn parse(value: &str) -> Result<Self, ConfigError> {
        let invalid = || ConfigError::Invalid {
            name: "STRIPE_PREVIEWS",
            value: value.to_owned(),
            expected: EXPECTED,
        };
        let mut previews = Self::NONE;
        for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "discounts" => previews.discounts = true,
                "trials" => previews.trials = true,
                "none" => {}
                _ => return Err(invalid()),
            }
        }
        Ok(previews)
    }

    /// The names of the previews turned on, as `GET /config` lists them.
    pub fn names(self) -> Vec<String> {
        [("discounts", self.discounts), ("trials", self.trials)]
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(name, _)| name.to_owned())
            .collect()
    }

    /// Refuses an `api_version` the updates cannot run on: previews need the
    /// server-update beta (`…; checkout_server_update_beta=v1;`), and without
    /// the beta, line-item updates need a version from
    /// [`api_version::LINE_ITEMS_GA_DATE`] on. (The current line-items guide
    /// says "`2025-03-31.basil` or later" with no beta, while the changelog
    /// and the SDKs date the parameter `2025-12-15.clover`:
    /// docs/research-stripe-strict.md §1. The later date is the one both
    /// agree works.)
    pub fn check(self, api_version: &str) -> Result<(), ConfigError> {
        if !has_server_update_beta(api_version)
            && api_version.trim().get(..10).unwrap_or("") < api_version::LINE_ITEMS_GA_DATE
        {
            return Err(ConfigError::Invalid {
                name: "STRIPE_API_VERSION",
                value: api_version.to_owned(),
                expected: "a version from 2025-12-15 on (line-item updates are generally \
                           available from 2025-12-15.clover), or one with the server-update \
                           beta (…; checkout_server_update_beta=v1;)",
            });
        }
        if (self.discounts || self.trials) && !has_server_update_beta(api_version) {
            return Err(ConfigError::Invalid {
                name: "STRIPE_PREVIEWS",
                value: self.names().join(","),
                expected: "no preview (STRIPE_PREVIEWS=none) unless STRIPE_API_VERSION carries \
                           the server-update beta (…; checkout_server_update_beta=v1;)",
            });
        }
        Ok(())
    }
}

/// Whether a `Stripe-Version` value carries the server-update beta.
pub fn has_server_update_beta(api_version: &str) -> bool {
    api_version
        .split(';')
        .map(|part| part.split_whitespace().collect::<String>())
        .any(|part| part == SERVER_UPDATE_BETA)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_the_list() {
        assert_eq!(Previews::parse("discounts,trials").unwrap(), Previews::ALL);
        assert_eq!(Previews::parse(" trials ").unwrap().names(), ["trials"]);
        assert_eq!(Previews::parse("none").unwrap(), Previews::NONE);
        assert_eq!(Previews::parse("").unwrap(), Previews::NONE);
        assert!(Previews::parse("discount").is_err());
    }

    #[test]
    fn previews_need_the_beta() {
        let beta = checkout_protocol::api_version::BASIL;
        assert!(Previews::ALL.check(beta).is_ok());
        assert!(Previews::ALL.check("2025-12-15.clover").is_err());
        assert!(Previews::NONE.check("2025-12-15.clover").is_ok());
        assert!(Previews::NONE.check("2026-11-18.endive").is_ok());
        // Before line items were generally available, only with the beta.
        assert!(Previews::NONE.check("2025-09-30.clover").is_err());
        assert!(Previews::NONE.check("2025-03-31.basil").is_err());
        assert!(Previews::NONE.check(beta).is_ok());
        assert!(has_server_update_beta(
            "2025-03-31.preview;checkout_server_update_beta=v1"
        ));
        assert!(!has_server_update_beta("2025-03-31.basil"));
    }
}
