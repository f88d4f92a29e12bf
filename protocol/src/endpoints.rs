//! The merchant server's paths, as the widget calls them and the server routes
//! them (the end-to-end tests are checked against [`ALL`] by a test).

/// `GET`: `{publishableKey, stripeJsUrl, mode, train}`.
pub const CONFIG: &str = "/config";
/// `POST`: creates a Checkout Session, answers `{clientSecret}`.
pub const CREATE_CHECKOUT_SESSION: &str = "/create-checkout-session";
/// `POST {checkout_session_id, interval}`: monthly ⇄ yearly.
pub const CHANGE_SUBSCRIPTION_INTERVAL: &str = "/change-subscription-interval";
/// `POST {checkout_session_id, discounts}`: the guides' discount update.
pub const UPDATE_DISCOUNTS: &str = "/update-discounts";
/// `POST {checkout_session_id}`: the merchant's customer discount.
pub const APPLY_CUSTOMER_DISCOUNT: &str = "/apply-customer-discount";
/// `POST {checkout_session_id}`: a free trial on yearly plans.
pub const EXTEND_TRIAL_FOR_YEARLY: &str = "/extend-trial-for-yearly";
/// `POST {checkout_session_id, line_item_id, quantity}`.
pub const UPDATE_LINE_ITEM_QUANTITY: &str = "/update-line-item-quantity";
/// `POST {checkout_session_id, shipping_details: {name, address}}`: the
/// customer's shipping address (payment mode, a catalogue with `[shipping]`).
/// The server checks it, and writes it with the shipping options its policy
/// gives that address and the cart, in one update; an address it does not
/// ship to is refused (`cannot_ship_to`) and changes nothing.
pub const CALCULATE_SHIPPING_OPTIONS: &str = "/calculate-shipping-options";
/// `POST {checkout_session_id, add_on, selected}`: adds (`true`) or removes
/// (`false`) one of `/config`'s `addOns`, at the server's price; the
/// shipping options follow the new cart in the same update.
pub const UPDATE_ADD_ON: &str = "/update-add-on";
/// `POST {checkout_session_id}`: `{status}` (`open`, `complete`, `expired` or
/// `unknown`), for the widget when Stripe.js cannot read the session. Never a
/// client secret.
pub const CHECKOUT_SESSION_STATUS: &str = "/checkout-session-status";

/// `POST {checkout_session_id}`: the fulfilment record of a paid session,
/// `{status: "pending" | "fulfilled", amountTotal, currency}` (the page shows
/// "Order confirmed" from it, not from its own belief).
pub const ORDER_STATUS: &str = "/order-status";

/// `POST`: Stripe's webhook deliveries (signed; called by Stripe, not by the
/// page, so it is not in [`ALL`]).
pub const WEBHOOK: &str = "/webhook";

/// Every merchant path the page calls.
pub const ALL: &[&str] = &[
    CONFIG,
    CREATE_CHECKOUT_SESSION,
    CHANGE_SUBSCRIPTION_INTERVAL,
    UPDATE_DISCOUNTS,
    APPLY_CUSTOMER_DISCOUNT,
    EXTEND_TRIAL_FOR_YEARLY,
    UPDATE_LINE_ITEM_QUANTITY,
    CALCULATE_SHIPPING_OPTIONS,
    UPDATE_ADD_ON,
    ORDER_STATUS,
    CHECKOUT_SESSION_STATUS,
];
