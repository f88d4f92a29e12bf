// The widget's npm package, imported as plain ES modules from the package
// directory the server serves at /widget/ (WIDGET_DIR): no bundler.
import init, { mount } from '/widget/leptos_stripe_checkout.js';
import { start } from '/widget/start.js';

// GET /config, Stripe.js (the emulator's stand-in in emulator mode) and
// POST /create-checkout-session start now, while the wasm downloads.
start();
await init({ module_or_path: '/widget/leptos_stripe_checkout_bg.wasm' });

// The page hears the widget: its lsc-* DOM events bubble to the element it
// was mounted into; this page lists the totals it was told.
const container = document.getElementById('checkout-widget');
for (const name of ['lsc-ready', 'lsc-change']) {
  container.addEventListener(name, ({ detail }) => {
    const item = document.createElement('li');
    item.textContent = `${name}: ${detail.totalText} (${detail.total.minorUnits} ${detail.currency})`;
    document.getElementById('heard').append(item);
  });
}

window.checkoutWidget = mount(container, {
  controls: ['switch', 'discount', 'trial', 'quantity', 'summary', 'payment', 'status'],
});
