// Types of start.js (assets/checkout-start.js in the repository). Its two
// options are mount()'s, from the types generated out of the Rust side.
import type { MountOptions } from "./leptos_stripe_checkout.js";

/**
 * Starts what the widget needs first — GET `configUrl`, Stripe.js, POST
 * `clientSecretUrl` (unless this tab already has a session), then the
 * Stripe.js checkout of the config's `train` — while the wasm downloads and
 * compiles. Call it before `init()`, with the same URLs as `mount()`'s
 * options (the defaults: `/config`, `/create-checkout-session`); `mount()`
 * adopts the checkout unless its options name another `publishableKey`,
 * `stripeJsUrl` or `train` (then leave `start()` out). Calling it again
 * returns what the first call started. Failures only reject what the widget
 * takes; the widget reports them.
 */
export function start(options?: Pick<MountOptions, "configUrl" | "clientSecretUrl">): unknown;
