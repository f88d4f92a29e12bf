// The widget's npm package, imported as plain ES modules from the package
// directory the server serves at /widget/ (WIDGET_DIR): no bundler.
import init, { mount } from '/widget/leptos_stripe_checkout.js';
import { start } from '/widget/start.js';

// GET /config, Stripe.js (the emulator's stand-in in emulator mode) and
// POST /create-checkout-session start now, while the wasm downloads.
start();
await init({ module_or_path: '/widget/leptos_stripe_checkout_bg.wasm' });

window.checkoutWidget = mount(document.getElementById('checkout-widget'), {
  controls: ['switch', 'discount', 'trial', 'quantity', 'summary', 'payment', 'status'],
});
