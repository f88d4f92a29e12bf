// How much the widget asks of Stripe.js, and what that costs on the wire, in
// one realistic checkout on the demo page: load, yearly, monthly, yearly,
// the customer discount, the email, the card, Pay. On each train it asserts
// the exact number of calls of every public Stripe.js method (the stand-in's
// test hook window.__sandboxStripeCalls, absent from real Stripe.js), the
// round trips Stripe.js made for the session (the emulator's request log:
// payment_pages init / email / confirm), and the merchant server's own
// Stripe API calls (create, retrieve, update). No timing is asserted.
//
// The counts are what the widget does today: 3 switches and the discount
// are 4 runServerUpdate calls, plus one re-read right before Pay (5); each
// runServerUpdate re-fetches the session (init: 1 + 5). Nothing else calls
// Stripe.js here: headless Chromium fires no focus, visibility or online
// events by itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  enterEmail, launchBrowser, openCheckout, startServer, waitForAttribute, waitForText,
  CARD, DISCOUNT, EN, PAY, STATUS, SWITCH, TEST_CARD, TOTAL,
} from './harness.mjs';

const TRAINS = ['basil', 'clover', 'dahlia', 'endive'];

/** The Stripe.js calls the widget makes on `train` in this checkout. */
function expectedCalls(train) {
  const entry = { basil: 'initCheckout', clover: 'initCheckout' }[train] || 'initCheckoutElementsSdk';
  const calls = {
    Stripe: 1,
    [entry]: 1,
    on: 1,
    // The widget's theme for the Payment Element (src/theme.rs), once.
    changeAppearance: 1,
    createPaymentElement: 1,
    'paymentElement.mount': 1,
    // The wallet buttons (src/express_checkout.rs): created, its `ready`
    // and `confirm` heard, mounted.
    createExpressCheckoutElement: 1,
    'expressCheckoutElement.on': 2,
    'expressCheckoutElement.mount': 1,
    runServerUpdate: 5,
    updateEmail: 1,
    confirm: 1,
  };
  if (train === 'basil') {
    calls.session = 6;
  } else {
    calls.loadActions = 1;
    calls.getSession = 6;
  }
  return calls;
}

/** Stripe.js's round trips for the session (the stand-in's routes). */
const EXPECTED_WIRE = { init: 6, email: 1, confirm: 1 };
/** The merchant server's Stripe API calls for it (a fresh server: each
 * plan's price is read once per process, for the interval switch), but
 * the reads that fulfil the paid order: one, or two when the webhook and
 * the customer's return (/order-status) read it at the same moment (the
 * order is recorded once either way; server/tests/store.rs). */
const EXPECTED_MERCHANT = { create: 1, retrieve: 4, update: 4, price: 2 };
const FULFILMENT_READS = [1, 2];

const table = new Map();

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => {
  await browser?.close();
  if (table.size === 0) return;
  const all = [...new Set([...table.values()].flatMap((row) => Object.keys(row)))];
  const names = [...all.filter((name) => !name.includes(': ')), ...all.filter((name) => name.includes(': '))];
  const width = Math.max(...names.map((name) => name.length));
  const lines = [`${''.padEnd(width)}  ${[...table.keys()].map((t) => t.padStart(7)).join('')}`];
  for (const name of names) {
    lines.push(`${name.padEnd(width)}  ${[...table.values()].map((row) => String(row[name] ?? 0).padStart(7)).join('')}`);
  }
  console.log(`Stripe.js calls, Stripe.js round trips and the merchant's Stripe API calls per checkout:\n${lines.join('\n')}`);
});

async function idle(page) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy]'));
}

async function requestLog(url, query) {
  const response = await fetch(`${url}/sandbox/requests?${new URLSearchParams(query)}`);
  assert.equal(response.status, 200);
  return (await response.json()).requests;
}

for (const train of TRAINS) {
  describe(`Stripe.js ${train}`, () => {
    let server;
    before(async () => { server = await startServer({ STRIPE_JS_TRAIN: train }); });
    after(() => server?.stop());

    test('a whole checkout: the exact Stripe.js calls, their round trips, and the merchant\'s Stripe calls', async () => {
      const { page, problems, sessionId } = await openCheckout(browser, server.url);
      await page.locator(CARD).waitFor();
      await idle(page);
      const hook = await page.evaluate(() => ({
        enumerable: Object.keys(window).includes('__sandboxStripeCalls'),
        own: Object.prototype.hasOwnProperty.call(window, '__sandboxStripeCalls'),
      }));
      assert.deepEqual(hook, { enumerable: false, own: true }, 'the stand-in\'s hook, not enumerable');

      for (const [checked, total] of [['true', '$150.00 per year'], ['false', '$15.00 per month'], ['true', '$150.00 per year']]) {
        await page.click(SWITCH);
        await waitForAttribute(page, SWITCH, 'aria-checked', checked);
        await waitForText(page, TOTAL, total);
        await idle(page);
      }
      await page.click(DISCOUNT);
      await waitForText(page, DISCOUNT, 'Discount Applied!');
      await waitForText(page, TOTAL, '$135.00 per year');
      await idle(page);
      await enterEmail(page);
      await page.fill(CARD, TEST_CARD);
      await page.click(PAY);
      await page.locator('[data-testid=paid]').waitFor({ state: 'visible' });
      await waitForText(page, STATUS, EN.completeConfirmed);

      const calls = await page.evaluate(() => ({ ...window.__sandboxStripeCalls }));
      const id = await sessionId();
      const wire = { init: 0, email: 0, confirm: 0 };
      for (const request of await requestLog(server.url, { session: id, path: '/v1/payment_pages/' })) {
        assert.equal(request.method, 'POST');
        assert.equal(request.status, 200, `${request.path} answered ${request.status}`);
        const suffix = request.path.slice(`/v1/payment_pages/${id}`.length);
        const kind = { '/init': 'init', '': 'email', '/confirm': 'confirm' }[suffix];
        assert.ok(kind, `an unexpected route: ${request.path}`);
        wire[kind] += 1;
      }
      const merchant = { create: 0, retrieve: 0, update: 0, price: 0 };
      merchant.price = (await requestLog(server.url, { path: '/v1/prices/' })).length;
      for (const request of await requestLog(server.url, { path: '/v1/checkout/sessions' })) {
        if (request.path === '/v1/checkout/sessions' && request.method === 'POST') {
          merchant.create += 1;
        } else if (request.session === id && request.path === `/v1/checkout/sessions/${id}`) {
          merchant[request.method === 'GET' ? 'retrieve' : 'update'] += 1;
        } else {
          assert.fail(`an unexpected Stripe call: ${request.method} ${request.path}`);
        }
      }
      table.set(train, {
        ...calls,
        'wire: payment_pages init': wire.init,
        'wire: payment_pages email': wire.email,
        'wire: payment_pages confirm': wire.confirm,
        'merchant: create': merchant.create,
        'merchant: retrieve': merchant.retrieve,
        'merchant: update': merchant.update,
        'merchant: price': merchant.price,
      });

      assert.deepEqual(calls, expectedCalls(train));
      assert.deepEqual(wire, EXPECTED_WIRE);
      // "Order confirmed" was said: the order is fulfilled, its reads done.
      const fulfilmentReads = merchant.retrieve - EXPECTED_MERCHANT.retrieve;
      assert.ok(FULFILMENT_READS.includes(fulfilmentReads), `fulfilment read the session ${fulfilmentReads} times`);
      assert.deepEqual({ ...merchant, retrieve: EXPECTED_MERCHANT.retrieve }, EXPECTED_MERCHANT);
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}

// checkout-start.js creates the checkout while the wasm downloads: Stripe.js
// asks for the session (payment_pages init) before the wasm has arrived, and
// the widget adopts that checkout (one Stripe(), one init call). The wasm's
// response is held until the session request is seen, so nothing here
// depends on how fast anything is: without the early checkout the request
// never comes while the wasm is held. A reload does the same with the
// session the tab remembered (no second session is created).
for (const train of ['basil', 'endive']) {
  test(`Stripe.js ${train}: the checkout is created while the wasm downloads, and adopted, also on a reload`, async () => {
    const server = await startServer({ STRIPE_JS_TRAIN: train });
    const page = await browser.newPage();
    try {
      const problems = [];
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
      });
      const initPath = /\/v1\/payment_pages\/([^/]+)\/init$/;
      let sessionRequest = null;
      let seenBeforeWasm = [];
      await page.route(/_bg\.wasm$/, async (route) => {
        seenBeforeWasm.push(await sessionRequest);
        await route.continue();
      });
      const created = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/create-checkout-session')) created.push(request.url());
      });
      // Loads (or reloads) with the wasm held until Stripe.js asks for a
      // session; what it asked for, and Stripe.js's calls on that page.
      const load = async (navigate) => {
        seenBeforeWasm = [];
        let asked = null;
        sessionRequest = page.waitForRequest((request) => initPath.test(request.url()), { timeout: 20000 })
          .then((request) => { asked = request.url().match(initPath)[1]; return true; }, () => false);
        await navigate();
        await page.locator(TOTAL).waitFor({ timeout: 40000 });
        assert.ok(seenBeforeWasm.length > 0 && seenBeforeWasm.every(Boolean),
          'Stripe.js asked for the session while the wasm was held');
        await waitForAttribute(page, SWITCH, 'aria-checked', 'false');
        const calls = await page.evaluate(() => ({ ...window.__sandboxStripeCalls }));
        const entry = expectedCalls(train);
        for (const name of ['Stripe', 'initCheckout', 'initCheckoutElementsSdk', 'loadActions']) {
          assert.equal(calls[name] ?? 0, name in entry ? 1 : 0, `${name} calls`);
        }
        return asked;
      };
      const first = await load(() => page.goto(server.url));
      const again = await load(() => page.reload());
      assert.equal(again, first, 'the reload asked for the same session');
      assert.equal(created.length, 1, 'one session created, none on the reload');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
      await server.stop();
    }
  });
}
