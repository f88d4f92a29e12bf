//! Operations: `GET /healthz` and `GET /readyz` (`health.rs`), `GET
//! /metrics` and the per-request counts (`metrics.rs`, over
//! [`crate::metrics`]). The per-client limits are the merchant routes'
//! (`merchant/rate_limit.rs`).

mod health;
mod metrics;

pub(crate) use health::routes as health_routes;
pub use health::{HEALTHZ, READYZ};
pub use metrics::METRICS;
pub(crate) use metrics::{count_requests, routes as metrics_routes};
