//! Checkout Sessions: the routes and their state, their parameters, the
//! rules Stripe applies (without HTTP), the totals, the rendering of the
//! `checkout.session` object, and the sessions' events.

pub mod events;
pub(crate) mod list;
pub(crate) mod params;
pub mod render;
pub(crate) mod routes;
pub(crate) mod rules;
pub mod state;
pub mod totals;

pub use routes::routes;
pub use state::Sessions;
pub use totals::{coupon_amount, Totals};
