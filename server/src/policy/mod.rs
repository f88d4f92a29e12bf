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
//! instances: every update the merchant endpoints send to Stripe is one call
//! that writes a consistent snapshot of everything derived from the line
//! items (`merchant/cart.rs`):
//!
//! - a write that changes the line items (interval, quantity) also writes the
//!   discount the policy gives the new line items (`discounts=` when none) and,
//!   when the plan's interval changes, removes the trial;
//! - a write that sets a discount or a trial re-sends the line items it was
//!   computed for, by id and with their quantities, so it either lands on
//!   exactly those line items or, when a concurrent interval change replaced
//!   them, is refused by Stripe (unknown line item id) and answered 409;
//! - removing a discount is always allowed, so it is written alone.
//!
//! Stripe applies each update atomically, so the last update to land is a
//! consistent snapshot. The price of this design: when two updates of one
//! session meet, the one that lands last wins and the other is undone (the page
//! shows it through Stripe.js's refreshed session). A customer's own
//! sequential updates are never lost: each reads what the previous wrote.
//! See `docs/consistency.md` for the design choice and its measurements.

mod discount;
mod trial;

pub use discount::{CustomerDiscountPolicy, Discount, DiscountPolicy};
pub use trial::{Plan, TrialPolicy, YearlyTrialPolicy};
