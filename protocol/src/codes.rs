//! Machine-readable codes of the merchant server's refusals: an error reply
//! is `{"type":"error","message":…,"code":…}`, and the widget shows the text
//! its `Labels` hold for the code (in the customer's language), falling back
//! to `message` for a code it does not know.

/// No customer discount for this order (the policy's threshold).
pub const NOT_ELIGIBLE: &str = "not_eligible";
/// A concurrent update replaced the line items an update was computed for.
pub const CART_CHANGED: &str = "cart_changed";
/// A trial asked for a session that is not a subscription.
pub const NOT_SUBSCRIPTION: &str = "not_subscription";
/// The line item is not on the session.
pub const NO_LINE_ITEM: &str = "no_line_item";
/// A quantity out of bounds.
pub const BAD_QUANTITY: &str = "bad_quantity";
/// More than one discount asked for.
pub const INVALID_DISCOUNTS: &str = "invalid_discounts";
/// A discount update failed.
pub const DISCOUNT_FAILED: &str = "discount_failed";
/// Stripe (or the server) refused the request.
pub const BAD_REQUEST: &str = "bad_request";
/// An unexpected failure on the server's side.
pub const SERVER_ERROR: &str = "server_error";
/// A transient failure (Stripe busy or unreachable past the retries, the
/// update's deadline): nothing was changed, the same request may succeed.
pub const TRY_AGAIN: &str = "try_again";
/// A `POST` from a page origin that is not allowed.
pub const FORBIDDEN_ORIGIN: &str = "forbidden_origin";
/// The session is complete or expired.
pub const NOT_OPEN: &str = "not_open";
/// The request itself is malformed (a missing or invalid id, a body that is
/// not an object): an integration error, not the customer's.
pub const INVALID_REQUEST: &str = "invalid_request";

/// Every code.
pub const ALL: [&str; 13] = [
    NOT_ELIGIBLE,
    CART_CHANGED,
    NOT_SUBSCRIPTION,
    NO_LINE_ITEM,
    BAD_QUANTITY,
    INVALID_DISCOUNTS,
    DISCOUNT_FAILED,
    BAD_REQUEST,
    SERVER_ERROR,
    TRY_AGAIN,
    FORBIDDEN_ORIGIN,
    NOT_OPEN,
    INVALID_REQUEST,
];
