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

window.checkoutWidget = mount(document.getElementById('checkout-widget'), {
  controls: ['switch', 'discount', 'status', 'summary'],
});
