// Embeds the checkout widget on a page that is not a Leptos app.
import init, { mount } from '/leptos-stripe-checkout.js';

await init({ module_or_path: '/leptos-stripe-checkout_bg.wasm' });

const options = { controls: ['switch', 'discount', 'status', 'summary', 'payment'] };
const locale = new URLSearchParams(window.location.search).get('locale');
if (locale) options.locale = locale;

window.checkoutWidget = mount(document.getElementById('checkout-widget'), options);
