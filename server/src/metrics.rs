//! Prometheus metrics (the `metrics` facade and its Prometheus exporter),
//! served at `GET /metrics` ([`crate::ops`]). Every name and label is
//! defined here:
//!
//! | metric | labels | what |
//! |---|---|---|
//! | `http_requests_total` | `route`, `status` | every answer |
//! | `http_request_duration_seconds` | `route` | histogram |
//! | `merchant_requests_total` | `endpoint`, `outcome` (`ok` or the refusal code) | the merchant endpoints: updates applied or refused |
//! | `stripe_requests_total` | `operation`, `outcome` (`ok`, `client_error`, `rate_limited`, `server_error`, `connection_error`, `decode_error`) | each attempt of a Stripe call |
//! | `stripe_request_duration_seconds` | `operation` | histogram of attempts |
//! | `stripe_retries_total` | `operation` | retries |
//! | `webhook_events_total` | `type`, `result` | Stripe's deliveries |
//!
//! The recorder is the process's global one, installed once by the first
//! [`crate::App`]; two apps in one process (tests) share it.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Buckets of the duration histograms (seconds): Stripe answers in 0.1–2 s,
/// the merchant endpoints in a few ms more; 20 s is Stripe.js's update timeout.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0,
];

/// The process's recorder (installed on first call); `None` when another
/// recorder was installed first.
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &BUCKETS)
                .ok()?;
            match builder.install_recorder() {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics: could not install the Prometheus recorder");
                    None
                }
            }
        })
        .as_ref()
}

/// The text exposition of every metric.
pub fn render() -> String {
    handle().map_or_else(String::new, |handle| {
        handle.run_upkeep();
        handle.render()
    })
}

/// One answer of the server.
pub(crate) fn http_request(route: &str, status: u16, elapsed: Duration) {
    metrics::counter!("http_requests_total", "route" => route.to_owned(), "status" => status.to_string())
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route.to_owned())
        .record(elapsed.as_secs_f64());
}

/// One merchant request's outcome (`ok`, or the refusal's code).
pub(crate) fn merchant_request(endpoint: &str, outcome: &'static str) {
    metrics::counter!("merchant_requests_total", "endpoint" => endpoint.to_owned(), "outcome" => outcome)
        .increment(1);
}

/// One attempt of a Stripe call.
pub(crate) fn stripe_attempt(operation: &'static str, outcome: &'static str, elapsed: Duration) {
    metrics::counter!("stripe_requests_total", "operation" => operation, "outcome" => outcome)
        .increment(1);
    metrics::histogram!("stripe_request_duration_seconds", "operation" => operation)
        .record(elapsed.as_secs_f64());
}

/// A retry of a Stripe call.
pub(crate) fn stripe_retry(operation: &'static str) {
    metrics::counter!("stripe_retries_total", "operation" => operation).increment(1);
}

/// One webhook delivery: its type (one of those handled, else `other`: the
/// caller bounds the labels) and what became of it.
pub(crate) fn webhook_event(kind: &'static str, result: &'static str) {
    metrics::counter!("webhook_events_total", "type" => kind, "result" => result).increment(1);
}
