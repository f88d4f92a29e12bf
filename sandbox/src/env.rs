//! The emulator's environment variables (`SANDBOX_*`), read here once for
//! both programs that serve it: the `stripe-sandbox` binary and
//! `checkout-server` in emulator mode, with one set of messages (the
//! listener's: `NAME has an invalid value "…": what it should be`).
//!
//! - `SANDBOX_SESSION_TTL_SECS`, `SANDBOX_RATE_LIMIT`, `SANDBOX_LATENCY_MS`:
//!   the emulator's [`SandboxOptions`];
//! - `SANDBOX_UPDATE_TIMEOUT_MS`: the Stripe.js stand-in's
//!   [`StandInOptions`] (only the merchant server hands out the stand-in's
//!   URL, so only it reads this one).

use std::fmt;
use std::time::Duration;

use crate::middleware::latency::Latency;
use crate::options::SandboxOptions;
use crate::stand_in::StandInOptions;

/// A `SANDBOX_*` variable with a value the emulator does not understand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError {
    /// The variable.
    pub name: &'static str,
    /// Its value.
    pub value: String,
    /// What it should be.
    pub expected: &'static str,
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} has an invalid value {:?}: {}",
            self.name, self.value, self.expected
        )
    }
}

impl std::error::Error for EnvError {}

/// A positive number in `value`, else an [`EnvError`] for `name`.
fn positive<T: std::str::FromStr + PartialOrd + Default>(
    name: &'static str,
    value: &str,
    expected: &'static str,
) -> Result<T, EnvError> {
    value
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > T::default())
        .ok_or_else(|| EnvError {
            name,
            value: value.to_owned(),
            expected,
        })
}

impl SandboxOptions {
    /// The defaults with `SANDBOX_SESSION_TTL_SECS`, `SANDBOX_RATE_LIMIT` and
    /// `SANDBOX_LATENCY_MS` from the process environment.
    pub fn from_env() -> Result<Self, EnvError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`SandboxOptions::from_env`], reading variables through `get`
    /// (the caller decides whether a blank value counts as unset).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, EnvError> {
        let mut options = Self::default();
        if let Some(secs) = get("SANDBOX_SESSION_TTL_SECS") {
            let secs: u64 = positive(
                "SANDBOX_SESSION_TTL_SECS",
                &secs,
                "a positive number of seconds",
            )?;
            options.session_ttl = Duration::from_secs(secs);
        }
        if let Some(rate) = get("SANDBOX_RATE_LIMIT") {
            options.rate_limit = Some(positive(
                "SANDBOX_RATE_LIMIT",
                &rate,
                "a positive number of requests per second",
            )?);
        }
        if let Some(ms) = get("SANDBOX_LATENCY_MS") {
            options.latency = Some(Latency::parse(&ms).ok_or_else(|| EnvError {
                name: "SANDBOX_LATENCY_MS",
                value: ms.clone(),
                expected: "milliseconds, a range like 150-400 or one value (at most 60000)",
            })?);
        }
        Ok(options)
    }
}

impl StandInOptions {
    /// The defaults with `SANDBOX_UPDATE_TIMEOUT_MS` read through `get`.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, EnvError> {
        let mut options = Self::default();
        if let Some(ms) = get("SANDBOX_UPDATE_TIMEOUT_MS") {
            options.update_timeout_ms = Some(positive(
                "SANDBOX_UPDATE_TIMEOUT_MS",
                &ms,
                "a positive number of milliseconds",
            )?);
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn one(name: &'static str, value: &'static str) -> impl Fn(&str) -> Option<String> {
        move |n| (n == name).then(|| value.to_owned())
    }

    #[test]
    fn stand_in() {
        assert_eq!(
            StandInOptions::from_lookup(|_| None).unwrap(),
            StandInOptions::default()
        );
        let options =
            StandInOptions::from_lookup(one("SANDBOX_UPDATE_TIMEOUT_MS", " 1500")).unwrap();
        assert_eq!(options.update_timeout_ms, Some(1500));
        for bad in ["0", "soon", "-1"] {
            let err =
                StandInOptions::from_lookup(one("SANDBOX_UPDATE_TIMEOUT_MS", bad)).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "SANDBOX_UPDATE_TIMEOUT_MS has an invalid value {bad:?}: a positive number of milliseconds"
                )
            );
        }
    }

    #[test]
    fn messages() {
        let err = SandboxOptions::from_lookup(one("SANDBOX_SESSION_TTL_SECS", "0")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "SANDBOX_SESSION_TTL_SECS has an invalid value \"0\": a positive number of seconds"
        );
        let options = SandboxOptions::from_lookup(one("SANDBOX_SESSION_TTL_SECS", "5")).unwrap();
        assert_eq!(options.session_ttl, Duration::from_secs(5));
    }
}
