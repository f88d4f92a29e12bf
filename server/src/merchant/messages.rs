//! What the merchant endpoints say about a malformed request
//! ([`checkout_protocol::Refusal::InvalidRequest`]): each says exactly what
//! is wrong. Every other refusal's message is the [`Refusal`]'s own
//! ([`checkout_protocol::Refusal::message`]; the first four are the wording
//! of Stripe's dynamic-updates guides). Stripe's errors never reach the page.
//!
//! [`Refusal`]: checkout_protocol::Refusal

/// A body that is JSON but not an object.
pub const MSG_NOT_OBJECT: &str = "The request body must be a JSON object.";
/// A missing session id.
pub const MSG_SESSION_REQUIRED: &str = "checkout_session_id is required.";
/// A `customer_email` that is not an email address (an integration error of
/// the page or server that sent it).
pub const MSG_BAD_CUSTOMER_EMAIL: &str = "customer_email is not a valid email address.";
/// A session id of the wrong shape.
pub const MSG_BAD_SESSION_ID: &str = "checkout_session_id is not a valid Checkout Session id.";
/// A discount endpoint while the discounts preview is off (`STRIPE_PREVIEWS`).
pub const MSG_DISCOUNTS_OFF: &str =
    "Discount updates are not enabled on this server (STRIPE_PREVIEWS has no discounts).";
/// The trial endpoint while the trials preview is off.
pub const MSG_TRIALS_OFF: &str =
    "Trial updates are not enabled on this server (STRIPE_PREVIEWS has no trials).";
/// `/calculate-shipping-options` in a shop whose catalogue has no `[shipping]`.
pub const MSG_NO_SHIPPING: &str =
    "This shop does not ship: its catalogue has no [shipping] section.";
/// `/calculate-shipping-options` without `shipping_details`.
pub const MSG_SHIPPING_DETAILS_REQUIRED: &str =
    "shipping_details is required: {name, address: {line1, country, …}}.";
/// `/update-add-on` without `selected`.
pub const MSG_SELECTED_REQUIRED: &str =
    "selected is required: true adds the add-on, false removes it.";
