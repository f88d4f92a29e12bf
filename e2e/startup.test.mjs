// The page's start-up order (issue 23, scripts/trunk-external-loader.mjs):
// /init.js asks Stripe.js for the checkout before the wasm takes the main
// thread, and a Stripe.js that does not arrive does not keep the widget's
// loading state off the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startServer, waitForAttribute, watchConsole, SWITCH, TOTAL,
} from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** Records, in order, Stripe.js asked for the checkout and the wasm instantiated. */
function recordOrder() {
  const order = (window.__order = []);
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function instantiate(...args) {
      order.push('wasm instantiated');
      return original.apply(this, args);
    };
  }
  let stripe;
  Object.defineProperty(window, 'Stripe', {
    configurable: true,
    get: () => stripe,
    set: (value) => {
      stripe = function Stripe(...args) {
        const made = value.apply(this, args);
        for (const entry of ['initCheckout', 'initCheckoutElementsSdk']) {
          const original = made[entry];
          if (typeof original === 'function') {
            made[entry] = function init(...options) {
              order.push('checkout asked for');
              return original.apply(this, options);
            };
          }
        }
        return made;
      };
    },
  });
}

test('Stripe.js is asked for the checkout before the wasm instantiates', async () => {
  const page = await browser.newPage();
  const { problems } = watchConsole(page);
  await page.addInitScript(recordOrder);
  await page.goto(server.url);
  await page.locator(TOTAL).waitFor({ timeout: 20000 });
  // The provider adopts the started checkout: no second one.
  assert.deepEqual(await page.evaluate(() => window.__order), ['checkout asked for', 'wasm instantiated']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Stripe.js held back: the widget shows its loading state meanwhile, and the checkout once it arrives', async () => {
  const page = await browser.newPage();
  const { problems } = watchConsole(page);
  const held = [];
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route('**/sandbox/*/stripe.js', async (route) => {
    held.push(route);
    await released;
    await route.continue();
  });
  await page.goto(server.url);
  // The loading state: the switch is on the page, not usable yet.
  await waitForAttribute(page, SWITCH, 'aria-disabled', 'true');
  assert.equal(await page.locator(TOTAL).count(), 0, 'no total before Stripe.js');
  assert.ok(held.length > 0, 'Stripe.js was requested');
  release();
  await page.locator(TOTAL).waitFor({ timeout: 20000 });
  assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), null);
  assert.deepEqual(problems, []);
  await page.close();
});
