//! Facts that the widget (`leptos-stripe-checkout`, compiled to wasm32), the
//! merchant server (`checkout-server`) and the Stripe emulator
//! (`stripe-sandbox`) must agree on, each defined once:
//!
//! - [`Train`]: the Stripe.js release trains, with their one parser, their
//!   `ui_mode` and their `Stripe-Version`;
//! - [`api_version`]: the API version strings and dates;
//! - [`endpoints`]: the merchant server's paths;
//! - [`Refusal`]: the merchant server's refusals, with their status, wire
//!   code and message;
//! - [`email`]: the email address grammar the emulator and the server check;
//! - [`limits`]: the quantity bounds and the trial length;
//! - [`bodies`] (feature `serde`): the request and reply bodies of the
//!   merchant endpoints; with feature `schema` (host tools only, off by
//!   default) their JSON Schemas too (schemars), from which
//!   `checkout-conformance` writes the OpenAPI document.
//!
//! It has no dependency but an optional `serde` (and the optional
//! `schemars`, which the widget never enables), so it stays tiny in the wasm.
#![deny(missing_docs)]
#![no_std]

extern crate alloc;

pub mod api_version;
#[cfg(feature = "serde")]
pub mod bodies;
pub mod email;
pub mod endpoints;
pub mod limits;
mod refusal;
mod train;

pub use refusal::Refusal;
pub use train::{Train, UnknownTrain};
