//! Every bound the emulator puts on a request, in one place, with where it
//! comes from (docs/research-stripe-api.md, sections 1 and 2;
//! docs/sandbox-contract.md, "Limits"). Past any of them the answer is a 400
//! `invalid_request_error`.
//!
//! Stripe documents no limit on the form encoding itself (parameter count,
//! nesting depth, array index): those three are the emulator's own, chosen
//! far above what a real integration sends, so that a hostile body costs
//! little.

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
