//! The merchant's rules for what a session may hold, as replaceable policies:
//! [`DiscountPolicy`] (default [`CustomerDiscountPolicy`], the discount of
//! Stripe's "Dynamically update discounts" guide) and [`TrialPolicy`]
//! (default [`YearlyTrialPolicy`]: a 14-day trial on yearly plans only).
//!
//! # The invariant
//!
//! Whatever requests arrive, in whatever order and concurrency, on however
//! many server instances, a session never holds a discount, a trial or a
//! quantity that these policies forbid for the line items it holds at that
//! moment.
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
//! - a write that sets a discount or a trial re-sends the line items it was
//!   computed for, by id and with their quantities, so it either lands on
//!   exactly those line items or, when a concurrent interval change replaced
//!   them, is refused by Stripe (unknown line item id) and answered 409;
//! - removing a discount is always allowed, so it is written alone;
//! - Stripe answers each update with the session as it left it: when a
//!   concurrent update's discount or trial was left behind (the update was
//!   computed from a read that predates it), the server reads the session
//!   again and writes the difference, pinned to the line items it read.
//!
//! Stripe applies each update atomically; the window between a racing update
//! and its repair is one Stripe round trip, and only two tabs or a script
//! updating one session at once open it. A customer's own sequential updates
//! are never lost: each reads what the previous wrote. See
//! `docs/consistency.md` for the design choice and its measurements.

mod discount;
mod trial;

pub use discount::{CustomerDiscountPolicy, Discount, DiscountPolicy};
pub use trial::{Plan, TrialPolicy, YearlyTrialPolicy};
