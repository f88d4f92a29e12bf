//! The per-client limit's settings (`RATE_LIMIT_*`); the limit itself is
//! `merchant/rate_limit.rs`.

/// A per-client limit (`RATE_LIMIT_PER_MINUTE`, `RATE_LIMIT_BURST`,
/// `RATE_LIMIT_CLIENT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests a client regains per minute (at least 1).
    pub per_minute: u32,
    /// Requests a client may make at once (at least 1).
    pub burst: u32,
    /// Whom a request comes from.
    pub client: ClientKey,
}

/// Default of [`RateLimit::per_minute`] in Stripe mode.
pub const DEFAULT_PER_MINUTE: u32 = 60;
/// Default of [`RateLimit::burst`] in Stripe mode: a customer's whole
/// checkout (a session, a dozen updates, the status reads) fits in it.
pub const DEFAULT_BURST: u32 = 30;

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_minute: DEFAULT_PER_MINUTE,
            burst: DEFAULT_BURST,
            client: ClientKey::Peer,
        }
    }
}

/// How the client of a request is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKey {
    /// The TCP peer's address (`peer`, the default).
    Peer,
    /// The forwarding headers a trusted proxy sets, else the peer (`forwarded`).
    Forwarded,
}
