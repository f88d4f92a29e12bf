//! Which private-preview updates the merchant server sends: `GET /config`'s
//! `previews` (`checkout_protocol::bodies::ConfigReply`). Discounts and
//! trials on update exist only in Stripe's private preview; a server whose
//! account lacks one answers 404 to its endpoint, so the widget leaves its
//! control out rather than offer what cannot work. Nothing is logged: the
//! merchant chose it.

use leptos::prelude::*;

use crate::state::CheckoutContext;

/// `previews` entry of the discount updates (`ApplyDiscountButton`).
pub(crate) const DISCOUNTS: &str = "discounts";
/// `previews` entry of the trial updates (`TrialOffer`).
#[cfg_attr(not(feature = "trial"), allow(dead_code))]
pub(crate) const TRIALS: &str = "trials";

/// Whether the merchant server sends the preview updates `name`: its
/// `/config` lists them, or it sends no list at all (a merchant server of
/// its own; no `/config` read). Tracked in a view.
pub(crate) fn offered(checkout: CheckoutContext, name: &str) -> bool {
    checkout
        .previews()
        .try_with(|previews| {
            previews
                .as_ref()
                .is_none_or(|list| list.iter().any(|entry| entry == name))
        })
        .unwrap_or(true)
}
