//! What runs around the API handlers: latency, the rate limiter, faults, API
//! keys, idempotency, request ids and the API version of a request.

pub mod auth;
pub mod faults;
pub mod idempotency;
pub mod latency;
pub mod rate_limit;
pub mod request_id;
pub mod version;
