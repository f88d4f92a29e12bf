// A page that is not a Leptos app, using the npm package through a bundler
// (scripts/npm-package.sh installs the packed package next to this file and
// bundles it with esbuild into target/npm-example-dist/).
import init, { mount } from 'leptos-stripe-checkout';
import { start } from 'leptos-stripe-checkout/start';
// esbuild's file loader (--loader:.wasm=file) copies the wasm into the
// bundle's directory under a hashed name and gives its URL here.
import wasmUrl from 'leptos-stripe-checkout/leptos_stripe_checkout_bg.wasm';
// The widget's stylesheet: esbuild writes it into main.css.
import 'leptos-stripe-checkout/checkout.css';

// /config, Stripe.js and the session start now, while the wasm downloads
// and compiles; mount() takes them (the same URLs as its options: the defaults).
start();
await init({ module_or_path: wasmUrl });

// The page hears the widget: its DOM events bubble to the element it was
// mounted into (lsc-ready, lsc-change, lsc-update-failed, lsc-complete), and
// mount() takes the same as callbacks. This page writes what it heard into
// its own list, as a page would feed its own summary or analytics.
const container = document.getElementById('checkout-widget');
const heard = document.getElementById('heard');
const hear = (line) => {
  const item = document.createElement('li');
  item.textContent = line;
  heard.append(item);
};
for (const name of ['lsc-ready', 'lsc-change', 'lsc-update-failed']) {
  container.addEventListener(name, (event) => {
    const { detail } = event;
    hear(detail.endpoint
      ? `${name}: ${detail.endpoint} ${detail.code}`
      : `${name}: ${detail.totalText} (${detail.total.minorUnits} ${detail.currency})`);
  });
}

window.checkoutWidget = mount(container, {
  controls: ['switch', 'discount', 'status', 'summary', 'payment'],
  // The order is complete: a page would redirect or show its own thanks.
  onComplete: (order) => {
    hear(`complete: ${order.total.text} (${order.total.minorUnits} ${order.currency}, ${order.paymentStatus})`);
    document.getElementById('thanks').hidden = false;
  },
});
