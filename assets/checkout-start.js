// Starts what the checkout needs first while the widget's wasm downloads and
// compiles: GET /config, then Stripe.js (a <script> from the config's
// stripeJsUrl), and POST /create-checkout-session (unless this tab already
// has a session: the widget then reads that one); once Stripe.js has
// loaded, the checkout itself, as the config's train wants it, with the
// client secret as a promise (Stripe.js then loads the session while the
// wasm still downloads). The widget's provider takes these started
// promises (globalThis.__leptosStripeCheckoutStart) instead of starting the
// same requests again, so nothing waits on the wasm.
//
// The demo's /init.js calls start() before loading the wasm; a page that
// embeds the widget with mount() calls it with the same URLs as its options:
//
//   import { start } from '/checkout-start.js';
//   start({ configUrl: '/config', clientSecretUrl: '/create-checkout-session' });
//   await init(); mount(element, { ... });
//
// Failures are the widget's to report (once, in words): here they only
// reject the promises it takes.
const KEY = '__leptosStripeCheckoutStart';
// The beta that enables runServerUpdate, and each release train's entry
// point: the same facts as checkout_protocol's `STRIPE_JS_BETA` and
// `Train::init_entry` / `Train::secret_option` (src/stripe_js.rs uses them;
// the test `tests/checkout_start.rs` reads them here and compares).
const BETA = 'custom_checkout_server_updates_1';
const INIT = {
  basil: ['initCheckout', 'fetchClientSecret'],
  clover: ['initCheckout', 'clientSecret'],
  dahlia: ['initCheckoutElementsSdk', 'clientSecret'],
  endive: ['initCheckoutElementsSdk', 'clientSecret'],
};

function text(url, init) {
  return fetch(url, init).then((response) => (response.ok
    ? response.text()
    : Promise.reject(new Error(`${url} answered ${response.status}`))));
}

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => resolve();
    script.onerror = () => {
      script.remove(); // the widget injects a fresh one when it tries again
      reject(new Error(`Stripe.js could not be loaded from ${url}`));
    };
    document.head.append(script);
  });
}

export function start({ configUrl = '/config', clientSecretUrl = '/create-checkout-session' } = {}) {
  if (globalThis[KEY]) return globalThis[KEY];
  let remembered = null;
  try {
    remembered = sessionStorage.getItem(`leptos-stripe-checkout:0:${clientSecretUrl}`);
  } catch {
    // Storage is off (some privacy modes): create a session as usual.
  }
  const config = text(configUrl);
  const stripe = config.then((body) => {
    const url = JSON.parse(body).stripeJsUrl;
    return url && typeof window.Stripe !== 'function' ? loadScript(url) : undefined;
  });
  const secret = remembered ? undefined : text(clientSecretUrl, { method: 'POST' });
  const checkout = stripe.then(() => config).then((body) => init(JSON.parse(body), remembered, secret));
  for (const promise of [config, stripe, secret, checkout]) promise?.catch(() => {});
  globalThis[KEY] = { configUrl, clientSecretUrl, config, stripe, secret, checkout, remembered };
  return globalThis[KEY];
}

// The checkout, created the way the config's train wants it: for basil the
// object initCheckout resolves, for the later trains the SDK object (the
// widget loads its actions). Only a config naming its train and key starts
// one; the widget checks it is the checkout it would have made, and makes
// its own otherwise or when this one failed.
function init({ publishableKey, train }, remembered, secret) {
  const [entry, option] = INIT[train] || [];
  if (!entry || !publishableKey || typeof window.Stripe !== 'function') {
    return Promise.reject(new Error('no checkout started'));
  }
  const clientSecret = remembered
    ? Promise.resolve(remembered)
    : secret.then((body) => JSON.parse(body).clientSecret);
  const stripe = window.Stripe(publishableKey, { betas: [BETA] });
  const value = option === 'fetchClientSecret' ? () => clientSecret : clientSecret;
  return Promise.resolve(stripe[entry]({ [option]: value }));
}
