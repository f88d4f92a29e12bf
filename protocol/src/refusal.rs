//! Why the merchant server did not do what a page asked: the one list of
//! refusals, each with its HTTP status, its wire code and the server's
//! message. The server answers `{"type":"error","message":…,"code":…}` from
//! it, and the widget shows its own words for the code (`Labels::refusal`),
//! in the customer's language.
//!
//! Three refusals answer HTTP 200: the business rules of Stripe's discounts
//! guide (`NotEligible`, `InvalidDiscounts`), whose server answers
//! `{type: "error"}` with 200, and the shipping policy's `CannotShipTo`.

/// Declares [`Refusal`]: variant, wire code, HTTP status, server message;
/// a leading `[cfg(…)]` puts one behind a feature.
macro_rules! refusals {
    ($($([cfg($cfg:meta)])? $(#[$doc:meta])* $variant:ident = $code:literal, $status:literal, $message:literal;)*) => {
        /// A refusal of the merchant server (see the module docs).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Refusal {
            $($(#[cfg($cfg)])? $(#[$doc])* $variant,)*
        }

        impl Refusal {
            /// Every refusal.
            pub const ALL: &'static [Refusal] = &[$($(#[cfg($cfg)])? Refusal::$variant,)*];

            /// The wire code (`"not_eligible"`, …).
            pub const fn code(self) -> &'static str {
                match self { $($(#[cfg($cfg)])? Refusal::$variant => $code,)* }
            }

            /// The HTTP status the server answers it with (a
            /// `DiscountFailed` that is the server's own fault answers 500).
            pub const fn status(self) -> u16 {
                match self { $($(#[cfg($cfg)])? Refusal::$variant => $status,)* }
            }

            /// The server's message (English; a malformed request's answer
            /// says precisely what is wrong instead).
            pub const fn message(self) -> &'static str {
                match self { $($(#[cfg($cfg)])? Refusal::$variant => $message,)* }
            }
        }
    };
}

refusals! {
    /// No customer discount for this order (the policy's threshold).
    NotEligible = "not_eligible", 200, "Customer discounts apply to orders over $100.00.";
    /// More than one discount asked for (the guide's `validate_discounts`).
    InvalidDiscounts = "invalid_discounts", 200, "Your discounts are invalid. Please refresh your session.";
    /// A concurrent update replaced the line items an update was computed
    /// for; nothing was changed.
    CartChanged = "cart_changed", 409, "Your order changed in another window. Please review it and try again.";
    /// A trial asked for a session that is not a subscription.
    NotSubscription = "not_subscription", 400, "Trials are only available for subscriptions.";
    /// The line item is not on the session.
    NoLineItem = "no_line_item", 400, "That item is not in your cart. Please refresh your session.";
    [cfg(feature = "shop")]
    /// The shop does not ship to the customer's address (the shipping
    /// policy); nothing was changed. A business rule answered with 200, as
    /// the discounts guide's are: a customer typing an address the shop
    /// does not serve is not a failed request. (Feature `shop`, as the next.)
    CannotShipTo = "cannot_ship_to", 200, "We can't ship to this address. Please enter a different one.";
    [cfg(feature = "shop")]
    /// A shipping address without what a parcel needs (a name, a first
    /// line, a country).
    BadAddress = "bad_address", 400, "Please enter a complete shipping address.";
    /// A quantity out of bounds.
    BadQuantity = "bad_quantity", 400, "quantity must be a whole number from 1 to 10.";
    /// A discount update failed.
    DiscountFailed = "discount_failed", 400, "We could not update your discounts. Please try again.";
    /// Stripe (or the server) refused the request.
    BadRequest = "bad_request", 400, "We couldn't process your request. Please try again later.";
    /// An unexpected failure on the server's side.
    ServerError = "server_error", 500, "Something went wrong on our end. Please try again later.";
    /// A transient failure (Stripe busy or unreachable past the retries, the
    /// update's deadline): nothing was changed, the same request may succeed.
    TryAgain = "try_again", 503, "We couldn't update your order just now. Please try again in a moment.";
    /// A `POST` from a page origin that is not allowed.
    ForbiddenOrigin = "forbidden_origin", 403, "This page is not allowed to call the checkout server.";
    /// The session is complete or expired.
    NotOpen = "not_open", 400, "This checkout session is no longer open. Please refresh your session.";
    /// The request itself is malformed (a missing or invalid id, a body that
    /// is not an object, an endpoint whose preview is off): an integration
    /// error, not the customer's.
    InvalidRequest = "invalid_request", 400, "The request is not valid.";
}

impl Refusal {
    /// The refusal of a wire code, if the code is one.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for (i, refusal) in Refusal::ALL.iter().enumerate() {
            assert_eq!(Refusal::from_code(refusal.code()), Some(*refusal));
            for other in &Refusal::ALL[i + 1..] {
                assert_ne!(refusal.code(), other.code());
                assert_ne!(refusal.message(), other.message());
            }
            assert!((200..600).contains(&refusal.status()));
        }
        assert_eq!(Refusal::from_code("nope"), None);
        // The guides' business rules answer 200.
        assert_eq!(Refusal::NotEligible.status(), 200);
        assert_eq!(Refusal::InvalidDiscounts.status(), 200);
    }
}
