// Starts what the checkout needs first while the widget's wasm downloads and
// compiles: GET /config, then Stripe.js (a <script> from the config's
// stripeJsUrl), and POST /create-checkout-session (unless this tab already
// has a session: the widget then reads that one). The widget's provider takes
// these started promises (globalThis.__leptosStripeCheckoutStart) instead of
// starting the same requests again, so nothing waits on the wasm.
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
  for (const promise of [config, stripe, secret]) promise?.catch(() => {});
  globalThis[KEY] = { configUrl, clientSecretUrl, config, stripe, secret };
  return globalThis[KEY];
}
