//! Bounds the widget shows and the merchant server enforces.

/// The smallest quantity of a line item.
pub const MIN_QUANTITY: u64 = 1;

/// The largest quantity `/update-line-item-quantity` accepts (and the
/// widget's stepper offers when the line item has no `adjustableQuantity`).
pub const MAX_QUANTITY: u64 = 10;

/// The free trial `/extend-trial-for-yearly` gives yearly plans, in days.
pub const YEARLY_TRIAL_DAYS: u32 = 14;
