//! The HTTP/1.1 listener of `checkout-server` and of the `stripe-sandbox`
//! binary, written once: what keeps slow or numerous clients from holding
//! the server.
//!
//! - [`Listener`] accepts connections up to a cap ([`Limits::max_connections`],
//!   lowered to fit the open-file limit). At the cap, a connection that has
//!   waited a moment (1 s) for a request with nothing of it received is
//!   closed to make room (one
//!   that never sent anything first, else an idle keep-alive one; the
//!   longest waiting of them); when there is none, the new connection gets a `503` with
//!   the configured headers and is closed, and the refusals are logged at
//!   most once a second. Each connection is served by hyper's HTTP/1.1
//!   server with a watchdog for the header-read and idle keep-alive
//!   timeouts (see `connection.rs` for why hyper's own timer is not used).
//! - [`guard`] runs inside the application: the whole-request timeout
//!   (`408` for a body still arriving, `503` for a slow application), `431`
//!   for header fields over [`Limits::max_header_bytes`] and `414` for a
//!   request target over [`Limits::max_uri_bytes`];
//!   [`declared_length_exceeds`] lets a route refuse a declared body over
//!   its limit with `413` before reading it.
//!
//! Only HTTP/1.1 is served (no `h2c`): browsers speak HTTP/2 only over TLS,
//! which these servers do not terminate.
//!
//! **What still answers without the application's headers.** hyper writes
//! a few answers itself, before any service sees the request, with only
//! `content-length: 0` and `date`: `431` for a request head that does not
//! fit [`HYPER_MAX_HEAD_BYTES`] (64 KiB) or has more than 100 header fields,
//! and `400` for a request it cannot parse (bad method, target, header or
//! version syntax). hyper 1 has no hook to add headers to them; they have
//! an empty body and no `Content-Type`, so a browser has nothing to render.
#![deny(missing_docs)]

mod connection;
mod guard;
mod limits;
mod serve;

pub use guard::{declared_length_exceeds, guard};
pub use limits::{
    open_file_limit, LimitError, Limits, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_URI_BYTES,
    DEFAULT_REQUEST_TIMEOUT, HYPER_MAX_HEAD_BYTES,
};
pub use serve::Listener;
