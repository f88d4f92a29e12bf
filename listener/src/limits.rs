//! The listener's limits and the environment variables that set them.

use std::fmt;
use std::time::Duration;

/// Default [`Limits::header_read_timeout`] (`HEADER_READ_TIMEOUT_MS`).
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`Limits::request_timeout`] (`REQUEST_TIMEOUT_MS`).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default [`Limits::idle_timeout`] (`IDLE_TIMEOUT_MS`).
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Default [`Limits::max_connections`] (`MAX_CONNECTIONS`).
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// Default [`Limits::max_header_bytes`]: 16 KiB of header fields.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 16 * 1024;
/// Default [`Limits::max_uri_bytes`]: 8 KiB.
pub const DEFAULT_MAX_URI_BYTES: usize = 8 * 1024;
/// hyper's own limit on a request head (its `max_header_size`: request line
/// and header fields): a larger head gets hyper's bare 431 (see the crate
/// docs). Four times [`DEFAULT_MAX_HEADER_BYTES`], so that heads between the
/// two limits reach the application and get [`crate::guard`]'s 431 or 414
/// with the application's headers.
pub const HYPER_MAX_HEAD_BYTES: usize = 64 * 1024;
/// File descriptors kept free of the connection cap when it is derived
/// from the open-file limit (the runtime, logs, static files, listeners).
const RESERVED_FDS: u64 = 64;

/// How long a client may take and how many may be connected at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From the first byte of a request (or from accepting the connection)
    /// to the end of its head. Past it the connection is closed, with a
    /// `408` if part of a head had arrived.
    pub header_read_timeout: Duration,
    /// From the end of a request's head to its answer, the request body
    /// included: `408` if the body is still arriving, `503` if the
    /// application is still working. A connection on which no byte moves for
    /// twice this long while a request is open is dropped.
    pub request_timeout: Duration,
    /// How long a keep-alive connection may wait for its next request.
    pub idle_timeout: Duration,
    /// Connections served at once; past it new ones get a `503` and are
    /// closed. Lowered at start-up when the open-file limit is too small
    /// for it ([`Limits::effective_max_connections`]).
    pub max_connections: usize,
    /// Header fields (names, values and their separators) above this → `431`.
    pub max_header_bytes: usize,
    /// A request target longer than this → `414`.
    pub max_uri_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            max_uri_bytes: DEFAULT_MAX_URI_BYTES,
        }
    }
}

/// A limit variable with a value the listener does not understand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    /// The variable.
    pub name: &'static str,
    /// Its value.
    pub value: String,
    /// What it should be.
    pub expected: &'static str,
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} has an invalid value {:?}: {}",
            self.name, self.value, self.expected
        )
    }
}

impl std::error::Error for LimitError {}

impl Limits {
    /// The names of the variables [`Limits::from_lookup`] reads.
    pub const VARIABLES: [&'static str; 4] = [
        "HEADER_READ_TIMEOUT_MS",
        "REQUEST_TIMEOUT_MS",
        "IDLE_TIMEOUT_MS",
        "MAX_CONNECTIONS",
    ];

    /// The defaults with `HEADER_READ_TIMEOUT_MS`, `REQUEST_TIMEOUT_MS`,
    /// `IDLE_TIMEOUT_MS` and `MAX_CONNECTIONS` from the environment.
    pub fn from_env() -> Result<Self, LimitError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Limits::from_env`], reading variables through `lookup` (unset
    /// or blank: the default).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, LimitError> {
        let get = |name: &'static str| -> Result<Option<u64>, LimitError> {
            let Some(raw) = lookup(name).filter(|v| !v.trim().is_empty()) else {
                return Ok(None);
            };
            match raw.trim().parse::<u64>() {
                Ok(n) if n > 0 => Ok(Some(n)),
                _ => Err(LimitError {
                    name,
                    value: raw,
                    expected: "a positive whole number",
                }),
            }
        };
        let mut limits = Self::default();
        if let Some(ms) = get("HEADER_READ_TIMEOUT_MS")? {
            limits.header_read_timeout = Duration::from_millis(ms);
        }
        if let Some(ms) = get("REQUEST_TIMEOUT_MS")? {
            limits.request_timeout = Duration::from_millis(ms);
        }
        if let Some(ms) = get("IDLE_TIMEOUT_MS")? {
            limits.idle_timeout = Duration::from_millis(ms);
        }
        if let Some(n) = get("MAX_CONNECTIONS")? {
            limits.max_connections = usize::try_from(n).unwrap_or(usize::MAX);
        }
        Ok(limits)
    }

    /// [`Limits::max_connections`], lowered so that the connections, the
    /// outbound ones they cause (each merchant request may hold a pooled
    /// connection to the Stripe API, which in emulator mode is this same
    /// listener) and a reserve fit in the process's soft open-file limit:
    /// `min(max_connections, (soft limit − 64) / 2)`, at least 1. Where the
    /// limit cannot be read (not Linux), `max_connections`.
    pub fn effective_max_connections(&self) -> usize {
        let configured = self.max_connections.max(1);
        match open_file_limit() {
            Some(soft) => {
                let fit = soft.saturating_sub(RESERVED_FDS) / 2;
                configured.min(usize::try_from(fit).unwrap_or(usize::MAX).max(1))
            }
            None => configured,
        }
    }
}

/// The soft `RLIMIT_NOFILE` of this process, from `/proc/self/limits`.
pub fn open_file_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line
        .trim_start_matches("Max open files")
        .split_whitespace()
        .next()?;
    match soft {
        "unlimited" => None,
        n => n.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn lookup<'a>(
        vars: &'a [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn defaults_and_variables() {
        assert_eq!(Limits::from_lookup(lookup(&[])).unwrap(), Limits::default());
        let l = Limits::from_lookup(lookup(&[
            ("HEADER_READ_TIMEOUT_MS", "300"),
            ("REQUEST_TIMEOUT_MS", " 400 "),
            ("IDLE_TIMEOUT_MS", "500"),
            ("MAX_CONNECTIONS", "7"),
        ]))
        .unwrap();
        assert_eq!(l.header_read_timeout, Duration::from_millis(300));
        assert_eq!(l.request_timeout, Duration::from_millis(400));
        assert_eq!(l.idle_timeout, Duration::from_millis(500));
        assert_eq!(l.max_connections, 7);
        assert_eq!(l.max_header_bytes, DEFAULT_MAX_HEADER_BYTES);
        for name in Limits::VARIABLES {
            for bad in ["0", "-1", "soon", "1.5"] {
                let vars = [(name, bad)];
                let err = Limits::from_lookup(lookup(&vars)).unwrap_err();
                assert_eq!(err.name, name);
                assert!(err.to_string().contains(name), "{err}");
            }
        }
    }

    #[test]
    fn the_cap_fits_the_open_file_limit() {
        let soft = open_file_limit();
        let l = Limits {
            max_connections: usize::MAX,
            ..Limits::default()
        };
        match soft {
            Some(soft) => assert_eq!(
                l.effective_max_connections() as u64,
                (soft.saturating_sub(RESERVED_FDS) / 2).max(1)
            ),
            None => assert_eq!(l.effective_max_connections(), usize::MAX),
        }
        let small = Limits {
            max_connections: 3,
            ..Limits::default()
        };
        assert_eq!(small.effective_max_connections(), 3);
    }
}
