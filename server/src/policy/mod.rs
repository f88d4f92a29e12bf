//! The merchant's rules for what a session may hold, as replaceable async
//! policies that may ask the merchant's own systems: [`DiscountPolicy`]
//! (default [`CustomerDiscountPolicy`], the discount of Stripe's
//! "Dynamically update discounts" guide) and [`TrialPolicy`] (default
//! [`YearlyTrialPolicy`]: a 14-day trial on yearly plans only) and
//! [`ShippingPolicy`] (default [`CatalogueShippingPolicy`]: the catalogue's
//! `[shipping]` rates for the address's country). Each decides
//! on an [`Order`]: the line items as the update would leave them, and the
//! [`Customer`] the merchant's [`CustomerIdentity`] hook named when the
//! checkout started (default [`Anonymous`]).
//!
//! # The invariant
//!
//! Whatever requests arrive, in whatever order and concurrency, on however
//! many server instances, a session never holds a discount, a trial or a
//! quantity that these policies forbid for the line items it holds at that
//! moment, nor shipping options other than those the shipping policy gives
//! the shipping address it holds and those line items.
//!
//! How it holds, without any lock or shared state between requests or
//! instances (`merchant/cart.rs`, `merchant/consistency.rs`):
//!
//! - every update the merchant endpoints send is one call that writes what it
//!   changes plus what these policies derive from it: a write that changes
//!   the line items (interval, quantity) also writes the discount the policy
//!   gives the new line items when the session has one (`discounts=` when
//!   none), and when the plan's interval changes, removes the trial the
//!   session has; on a session without either, nothing about them is sent;
//!   on a session with a shipping address, it writes the shipping options
//!   the policy gives the address and the new line items, when they differ
//!   from the session's (so the customer's choice stays when they do not);
//! - a write that sets a discount or a trial re-sends the line items it was
//!   computed for, by id and with their quantities, so it either lands on
//!   exactly those line items or, when a concurrent interval change replaced
//!   them, is refused by Stripe (unknown line item id) and answered 409;
//! - removing a discount is always allowed, so it is written alone; so are
//!   a new shipping address and its options (a concurrent cart change is
//!   then not undone, and the check below repairs options priced for the
//!   cart before it);
//! - Stripe answers each update with the session as it left it: when a
//!   concurrent update's discount, trial or shipping options were left
//!   behind, or are priced for other line items (the update was
//!   computed from a read that predates it), the server reads the session
//!   again and writes the difference, pinned to the line items it read.
//!
//! Stripe applies each update atomically; the window between a racing update
//! and its repair is one Stripe round trip, and only two tabs or a script
//! updating one session at once open it. A customer's own sequential updates
//! are never lost: each reads what the previous wrote. See
//! `docs/consistency.md` for the design choice and its measurements.

mod customer;
mod discount;
mod shipping;
mod trial;

pub use customer::{Anonymous, Customer, CustomerIdentity, RESERVED_METADATA_PREFIX};
pub use discount::{CustomerDiscountPolicy, Discount, DiscountPolicy};
pub use shipping::{
    CatalogueShippingPolicy, ShippingAddress, ShippingOption, ShippingPolicy, ShippingQuote,
};
pub use trial::{TrialPolicy, YearlyTrialPolicy};

use crate::fulfillment::BoxFuture;

/// What a policy answers: its decision, or why it could not decide.
pub type PolicyFuture<'a, T> = BoxFuture<'a, Result<T, PolicyError>>;

/// A policy could not decide (the merchant's systems did not answer): the
/// update is refused with 503 "try again" and nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy failed: {0}")]
pub struct PolicyError(pub String);

/// An order as the policies see it: the session's line items as the update
/// being decided would leave them, and who the customer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order<'a> {
    /// The session (`cs_…`).
    pub session_id: &'a str,
    /// `payment` or `subscription`.
    pub mode: &'a str,
    /// The session's currency (`usd`).
    pub currency: &'a str,
    /// The plan's recurring interval (`month`, `year`, …), if any.
    pub interval: Option<&'a str>,
    /// Σ unit amount × quantity, in minor units, before discounts.
    pub subtotal: i64,
    /// Who is buying.
    pub customer: &'a Customer,
}
