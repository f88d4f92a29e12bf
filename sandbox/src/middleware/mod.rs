//! What runs around the API handlers: API keys, fault injection, request ids
//! and the API version of a request.

pub mod auth;
pub mod faults;
pub mod request_id;
pub mod version;
