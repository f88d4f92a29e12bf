//! What the merchant endpoints tell the customer. Stripe's errors never reach
//! the page: only these messages (the first four are the wording of Stripe's
//! dynamic-updates guides), each with a code ([`code_for`]) from which the
//! widget shows its own text in the customer's language.

use checkout_protocol::codes;

/// A refused request (bad input or a Stripe 4xx).
pub const MSG_BAD_REQUEST: &str = "We couldn't process your request. Please try again later.";
/// An unexpected failure.
pub const MSG_INTERNAL: &str = "Something went wrong on our end. Please try again later.";
/// A transient failure that outlived the Stripe client's retries, or the
/// update's deadline: nothing was refused, the same click may work now.
pub const MSG_TRY_AGAIN: &str =
    "We couldn't update your order just now. Please try again in a moment.";
/// More than one discount.
pub const MSG_INVALID_DISCOUNTS: &str = "Your discounts are invalid. Please refresh your session.";
/// A failed discount update.
pub const MSG_DISCOUNT_FAILED: &str = "We could not update your discounts. Please try again.";
/// A quantity out of bounds.
pub const MSG_BAD_QUANTITY: &str = "quantity must be a whole number from 1 to 10.";
/// An unknown line item.
pub const MSG_NO_LINE_ITEM: &str = "That item is not in your cart. Please refresh your session.";
/// A trial request on a session that is not a subscription.
pub const MSG_NOT_SUBSCRIPTION: &str = "Trials are only available for subscriptions.";
/// A session that is not eligible for the customer discount.
pub const MSG_NOT_ELIGIBLE: &str = "Customer discounts apply to orders over $100.00.";
/// A body that is JSON but not an object.
pub const MSG_NOT_OBJECT: &str = "The request body must be a JSON object.";
/// A session that is expired or complete.
pub const MSG_NOT_OPEN: &str =
    "This checkout session is no longer open. Please refresh your session.";
/// A `POST` refused for its `Origin`.
pub const MSG_FORBIDDEN_ORIGIN: &str = "This page is not allowed to call the checkout server.";
/// A missing session id.
pub const MSG_SESSION_REQUIRED: &str = "checkout_session_id is required.";
/// A `customer_email` that is not an email address (an integration error of
/// the page or server that sent it: `invalid_request`).
pub const MSG_BAD_CUSTOMER_EMAIL: &str = "customer_email is not a valid email address.";
/// A session id of the wrong shape.
pub const MSG_BAD_SESSION_ID: &str = "checkout_session_id is not a valid Checkout Session id.";
/// A concurrent update (another window, another device) replaced the line
/// items an update was computed for; nothing was changed.
pub const MSG_CART_CHANGED: &str =
    "Your order changed in another window. Please review it and try again.";
/// A discount endpoint while the discounts preview is off
/// (`STRIPE_PREVIEWS`): an integration error, `invalid_request`.
pub const MSG_DISCOUNTS_OFF: &str =
    "Discount updates are not enabled on this server (STRIPE_PREVIEWS has no discounts).";
/// The trial endpoint while the trials preview is off: `invalid_request`.
pub const MSG_TRIALS_OFF: &str =
    "Trial updates are not enabled on this server (STRIPE_PREVIEWS has no trials).";

/// The code of one of these messages (`checkout_protocol::codes`); any
/// other message is about a malformed request: `invalid_request`.
pub fn code_for(message: &str) -> &'static str {
    match message {
        MSG_BAD_REQUEST => codes::BAD_REQUEST,
        MSG_INTERNAL => codes::SERVER_ERROR,
        MSG_TRY_AGAIN => codes::TRY_AGAIN,
        MSG_INVALID_DISCOUNTS => codes::INVALID_DISCOUNTS,
        MSG_DISCOUNT_FAILED => codes::DISCOUNT_FAILED,
        MSG_BAD_QUANTITY => codes::BAD_QUANTITY,
        MSG_NO_LINE_ITEM => codes::NO_LINE_ITEM,
        MSG_NOT_SUBSCRIPTION => codes::NOT_SUBSCRIPTION,
        MSG_NOT_ELIGIBLE => codes::NOT_ELIGIBLE,
        MSG_NOT_OPEN => codes::NOT_OPEN,
        MSG_FORBIDDEN_ORIGIN => codes::FORBIDDEN_ORIGIN,
        MSG_CART_CHANGED => codes::CART_CHANGED,
        _ => codes::INVALID_REQUEST,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_its_own_code() {
        let messages = [
            MSG_BAD_REQUEST,
            MSG_INTERNAL,
            MSG_TRY_AGAIN,
            MSG_INVALID_DISCOUNTS,
            MSG_DISCOUNT_FAILED,
            MSG_BAD_QUANTITY,
            MSG_NO_LINE_ITEM,
            MSG_NOT_SUBSCRIPTION,
            MSG_NOT_ELIGIBLE,
            MSG_NOT_OPEN,
            MSG_FORBIDDEN_ORIGIN,
            MSG_CART_CHANGED,
        ];
        let mut seen: Vec<&str> = messages.iter().map(|m| code_for(m)).collect();
        assert!(!seen.contains(&codes::INVALID_REQUEST));
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), messages.len());
        assert_eq!(code_for(MSG_NOT_OBJECT), codes::INVALID_REQUEST);
        assert_eq!(code_for(MSG_BAD_CUSTOMER_EMAIL), codes::INVALID_REQUEST);
        assert_eq!(code_for(MSG_DISCOUNTS_OFF), codes::INVALID_REQUEST);
        assert_eq!(code_for(MSG_TRIALS_OFF), codes::INVALID_REQUEST);
        assert!(seen.iter().all(|code| codes::ALL.contains(code)));
    }
}
