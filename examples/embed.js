// Embeds the checkout widget on a page that is not a Leptos app.
import { start } from '/checkout-start.js';
import init, { mount } from '/leptos-stripe-checkout.js';

// /config, Stripe.js and the session start now, while the wasm downloads
// and compiles; mount() takes them (same URLs as its options: the defaults).
start();
await init({ module_or_path: '/leptos-stripe-checkout_bg.wasm' });

const options = { controls: ['switch', 'discount', 'status', 'summary', 'payment'] };
const locale = new URLSearchParams(window.location.search).get('locale');
if (locale) options.locale = locale;

window.checkoutWidget = mount(document.getElementById('checkout-widget'), options);
