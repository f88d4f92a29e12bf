//! Every bound the emulator puts on a request, in one place, with where it
//! comes from (docs/research-stripe-api.md, sections 1 and 2;
//! docs/sandbox-contract.md, "Limits"). Past any of them the answer is a 400
//! `invalid_request_error`.
//!
//! Stripe documents no limit on the form encoding itself (parameter count,
//! nesting depth, array index): those three are the emulator's own, chosen
//! far above what a real integration sends, so that a hostile body costs
//! little. The rest are Stripe's documented limits.

/// Largest request body (64 KiB): a `Content-Length` over it is refused
/// before the body is read, and no layer reads more of one.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Most `key=value` pairs in one form body or query string. The emulator's
/// own (Stripe documents none): a create with 100 `price_data` line items of
/// 5 parameters each, 50 metadata keys and 5 shipping options sends about
/// 590. (Filling every optional field the emulator ignores, such as each
/// item's `product_data[metadata]`, could pass it; no client of this project
/// does.)
pub const MAX_PARAMS: usize = 1_000;

/// Most segments in one parameter name: `a[b][c]` has 3. The emulator's own;
/// the deepest name it knows,
/// `line_items[0][price_data][product_data][metadata][k]`, has 6.
pub const MAX_DEPTH: usize = 8;

/// Largest array index, `line_items[999]`. The emulator's own; with at most
/// [`MAX_PARAMS`] parameters no array can hold more elements anyway.
pub const MAX_INDEX: usize = 999;

/// Largest amount in minor units (`price_data[unit_amount]`,
/// `unit_amount_decimal`, a coupon's `amount_off`,
/// `shipping_rate_data[fixed_amount][amount]`): Stripe's "The amount value
/// supports up to eight digits (e.g., a value of 99999999 for a USD charge of
/// $999,999.99)". Stripe states it for charge amounts; the emulator applies it
/// to every amount parameter.
pub const MAX_AMOUNT: u64 = 99_999_999;

/// Largest quantity of a line item: Stripe's bound for adjustable quantities,
/// "You can specify a value up to 999999" (the emulator applies it to every
/// `quantity`).
pub const MAX_QUANTITY: u64 = 999_999;

/// Most line items in `payment` mode: Stripe's "For `payment` mode, there is
/// a maximum of 100 line items".
pub const MAX_LINE_ITEMS_PAYMENT: usize = 100;

/// Most line items of each kind in `subscription` mode: Stripe's "a maximum
/// of 20 line items with recurring Prices and 20 line items with one-time
/// Prices. Line items with one-time Prices will be on the initial invoice
/// only" (API reference, Create a Checkout Session, `line_items`).
pub const MAX_LINE_ITEMS_SUBSCRIPTION: usize = 20;

/// Most metadata keys: Stripe's "You can specify up to 50 keys".
pub const METADATA_MAX_KEYS: usize = 50;

/// Longest metadata key, in characters: Stripe's "key names up to 40
/// characters long" (and no `[` or `]` in keys).
pub const METADATA_KEY_MAX_CHARS: usize = 40;

/// Longest metadata value, in characters: Stripe's "values up to 500
/// characters long".
pub const METADATA_VALUE_MAX_CHARS: usize = 500;
