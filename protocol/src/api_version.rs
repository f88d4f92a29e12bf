//! Stripe API versions (the `Stripe-Version` header) and the dates at which
//! the parameters this project uses changed.
//!
//! Sources: Stripe's changelog (`docs.stripe.com/changelog`), the stripe-node
//! beta tags, and `docs/research-stripe-api.md`.

/// The server-update beta flag of the `Stripe-Version` header.
pub const SERVER_UPDATE_BETA: &str = "checkout_server_update_beta=v1";

/// The Stripe.js beta that enables `runServerUpdate` (`Stripe(pk, {betas})`).
pub const STRIPE_JS_BETA: &str = "custom_checkout_server_updates_1";

/// basil with the server-update beta: the default `Stripe-Version`, and the
/// version of the emulator's account when a request sends none.
pub const BASIL: &str = "2025-03-31.basil; checkout_server_update_beta=v1;";

/// clover with the server-update beta.
pub const CLOVER: &str = "2025-09-30.clover; checkout_server_update_beta=v1;";

/// dahlia with the server-update beta.
pub const DAHLIA: &str = "2026-03-25.dahlia; checkout_server_update_beta=v1;";

/// endive with the server-update beta (the first endive version, whose
/// changelog makes `canConfirm` false while a server update is pending).
pub const ENDIVE: &str = "2026-09-30.endive; checkout_server_update_beta=v1;";

/// The default `Stripe-Version` header.
pub const DEFAULT: &str = BASIL;

/// The release name of Stripe's private-preview API versions
/// (`2025-03-31.preview`).
pub const PREVIEW_RELEASE: &str = "preview";

/// The version Stripe's "Dynamically update trials" guide names
/// (docs.stripe.com/payments/advanced/dynamically-update-trials: "update your
/// SDK to use the private preview API version and the
/// `checkout_server_update_beta=v1` beta version header"). The merchant server
/// sends it with every update that writes `subscription_data` (the trial),
/// the emulator requires it there.
pub const TRIAL_PREVIEW: &str = "2025-03-31.preview; checkout_server_update_beta=v1;";

/// The first version of the dahlia train, where `ui_mode=elements` replaces `custom`.
pub const DAHLIA_DATE: &str = "2026-03-25";

/// The version where `line_items` on update became generally available.
pub const LINE_ITEMS_GA_DATE: &str = "2025-12-15";
