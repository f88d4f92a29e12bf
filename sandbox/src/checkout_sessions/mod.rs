//! Checkout Sessions: the routes, their parameters, the rules Stripe applies
//! (without HTTP), the totals, and the rendering of the `checkout.session`
//! object.

pub mod events;
pub(crate) mod list;
pub(crate) mod params;
pub mod render;
pub(crate) mod routes;
pub(crate) mod rules;
pub mod totals;

pub use totals::{coupon_amount, Totals};
