//! The emulator's limits and lifetimes ([`SandboxOptions`]); read from the
//! `SANDBOX_*` variables in `env.rs`.

use std::sync::Arc;
use std::time::Duration;

use checkout_catalogue::Catalogue;

use crate::middleware::idempotency;
use crate::middleware::latency::Latency;
use crate::store::DEFAULT_MAX_SESSIONS;

/// Default lifetime of a Checkout Session (Stripe's default: 24 hours).
pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(24 * 3600);

/// Sandbox limits and lifetimes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxOptions {
    /// Lifetime of a session (`expires_at - created`).
    pub session_ttl: Duration,
    /// Cap on stored sessions (the oldest is evicted beyond it).
    pub max_sessions: usize,
    /// How long an idempotency key is remembered (Stripe: 24 hours).
    pub idempotency_ttl: Duration,
    /// Cap on remembered idempotency keys (the oldest goes first).
    pub idempotency_max_keys: usize,
    /// Requests per second the secret-key API accepts before answering 429
    /// `rate_limit` (`SANDBOX_RATE_LIMIT`); `None`: no limit (the default).
    pub rate_limit: Option<u32>,
    /// A delay drawn for every secret-key API call (`SANDBOX_LATENCY_MS`,
    /// e.g. `150-400`); `None`: none (the default).
    pub latency: Option<Latency>,
    /// The merchant's catalogue whose prices the emulator holds (default:
    /// the demo shop's, [`Catalogue::demo`]).
    pub catalogue: Arc<Catalogue>,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            session_ttl: DEFAULT_SESSION_TTL,
            max_sessions: DEFAULT_MAX_SESSIONS,
            idempotency_ttl: idempotency::DEFAULT_TTL,
            idempotency_max_keys: idempotency::DEFAULT_MAX_KEYS,
            rate_limit: None,
            latency: None,
            catalogue: Arc::new(Catalogue::demo()),
        }
    }
}
