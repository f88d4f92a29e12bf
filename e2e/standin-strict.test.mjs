// The Stripe.js stand-in as strict as Stripe's published material says
// Stripe.js is (docs/research-stripe-strict.md §2, §4, §5, §6, §8), on each
// release train, driven directly through page.evaluate on a same-origin page
// that runs no widget:
// - runServerUpdate rejects with fn's own error, rejects when fn does not
//   settle in time (fn keeps running), and resolves {type:'error'} only when
//   Stripe.js's own re-fetch of the session fails;
// - updateEmail throws (IntegrationError) on a session created with customer_email;
// - confirm({returnUrl}) throws (IntegrationError): the session has a return_url;
// - elementsOptions.syncAddressCheckbox from stripe-js 8.7.0 (not on basil);
// - createPaymentElement's options (layout, readonly on v7 / readOnly from v8)
//   and changeAppearance's appearance as the train's types have them
//   (docs/research-stripe-js.md §11);
//   endive takes dahlia's init options and has no initCheckout;
// - shipping: the session shows the emulator's shippingOptions (with
//   deliveryEstimate), shippingAddress and shipping (the selected option);
//   updateShippingOption(id) selects another one (totals follow, here and in
//   the API), resolves {type:'error', error:{message, code:null}} for an id
//   that is not an option, and throws (IntegrationError) for a non-string;
// - canConfirm is false while a confirm() is in flight, and on endive while a
//   server update is queued or running, with a `change` when it flips;
// - the Express Checkout Element (Checkout flavour, the same types on every
//   train): its options and events checked, `ready` with Link available (or
//   undefined with the test hook window.__sandboxExpressCheckout =
//   {available: false}, and on a session with
//   permissions.update_shipping_details=server_only), a click gives `confirm`, and
//   confirm({expressCheckoutConfirmEvent}) takes only an event it emitted, once.
// - the Shipping Address Element (Checkout flavour): its options checked
//   (fields only from dahlia), typed fields give `change` events whose
//   complete goes false -> true with the typed value, getValue() agrees, and
//   nothing is posted to the session.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SANDBOX_KEY, launchBrowser, sandboxSession, startServer } from './harness.mjs';

const TRAINS = ['basil', 'clover', 'dahlia', 'endive'];
// The stand-in gives fn this long here instead of 20 s; only an fn that never
// settles on its own meets it, so no outcome depends on the machine's speed.
const UPDATE_TIMEOUT_MS = 300;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/**
 * Runs in the page: creates a session with the merchant server (with
 * `customerEmail`, as a signed-in customer's page would) unless it is given
 * one (`clientSecret`), starts the
 * train's checkout, mounts the Payment Element, records `change` events'
 * canConfirm, and keeps it all in `window.co`.
 */
async function openInPage({ train, customerEmail, elementsOptions, clientSecret: given }) {
  const config = await (await fetch('/config')).json();
  const request = customerEmail
    ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ customer_email: customerEmail }) }
    : { method: 'POST' };
  const clientSecret = given || (await (await fetch('/create-checkout-session', request)).json()).clientSecret;
  const stripe = window.Stripe(config.publishableKey, { betas: ['custom_checkout_server_updates_1'] });
  const target = document.createElement('div');
  document.body.appendChild(target);
  const changes = [];
  let actions;
  let getSession;
  let sdkOf;
  if (train === 'basil') {
    actions = await stripe.initCheckout({ fetchClientSecret: async () => clientSecret, elementsOptions });
    actions.createPaymentElement().mount(target);
    actions.on('change', (session) => changes.push(session.canConfirm));
    getSession = () => actions.session();
  } else {
    const entry = train === 'clover' ? 'initCheckout' : 'initCheckoutElementsSdk';
    const sdk = stripe[entry]({ clientSecret, elementsOptions });
    sdkOf = sdk;
    sdk.createPaymentElement().mount(target);
    sdk.on('change', (session) => changes.push(session.canConfirm));
    const loaded = await sdk.loadActions();
    if (loaded.type !== 'success') throw new Error(`loadActions: ${loaded.error.message}`);
    actions = loaded.actions;
    getSession = () => actions.getSession();
  }
  // The object with the Elements' methods: basil's checkout, or the SDK.
  const elements = train === 'basil' ? actions : sdkOf;
  window.co = { actions, getSession, changes, elements, id: clientSecret.split('_secret_')[0] };
  return window.co.id;
}

/** Runs in the page: `'ok'` when `fn()` returns, else what it threw (`IntegrationError: …`). */
function attempt(fn) {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return `${error.name}: ${error.message}`;
  }
}

/** Runs in the page: `promise`, or a rejection naming `what` after 5 s (an event that never comes fails the test instead of hanging it). */
function within(promise, what) {
  return Promise.race([promise, new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`no ${what} within 5 s`)), 5000);
  })]);
}

/** POSTs `form` to the emulator's Stripe API (secret key); resolves the JSON, or throws. */
async function stripeApi(url, path, form) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    // A URLSearchParams body is sent form-encoded (fetch sets the content type).
    headers: { Authorization: `Bearer ${SANDBOX_KEY}` },
    body: new URLSearchParams(form),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * A payment session made straight through the emulator's API (the merchant
 * server makes subscription sessions, which take no shipping options): one
 * 20.00 item, Standard (5.00) and Express (15.00, 1 to 2 business days), and
 * the server's shipping details.
 */
async function shippingSession(url) {
  const created = await stripeApi(url, '/v1/checkout/sessions', {
    mode: 'payment',
    ui_mode: 'custom',
    return_url: `${url}/return`,
    'line_items[0][price_data][currency]': 'usd',
    'line_items[0][price_data][unit_amount]': '2000',
    'line_items[0][price_data][product_data][name]': 'T-shirt',
    'line_items[0][quantity]': '1',
    'shipping_options[0][shipping_rate_data][display_name]': 'Standard',
    'shipping_options[0][shipping_rate_data][fixed_amount][amount]': '500',
    'shipping_options[0][shipping_rate_data][fixed_amount][currency]': 'usd',
    'shipping_options[1][shipping_rate_data][display_name]': 'Express',
    'shipping_options[1][shipping_rate_data][fixed_amount][amount]': '1500',
    'shipping_options[1][shipping_rate_data][fixed_amount][currency]': 'usd',
    'shipping_options[1][shipping_rate_data][delivery_estimate][minimum][unit]': 'business_day',
    'shipping_options[1][shipping_rate_data][delivery_estimate][minimum][value]': '1',
    'shipping_options[1][shipping_rate_data][delivery_estimate][maximum][unit]': 'business_day',
    'shipping_options[1][shipping_rate_data][delivery_estimate][maximum][value]': '2',
    'shipping_address_collection[allowed_countries][0]': 'US',
    'permissions[update_shipping_details]': 'server_only',
  });
  await stripeApi(url, `/v1/checkout/sessions/${created.id}`, {
    'collected_information[shipping_details][name]': 'Ada Lovelace',
    'collected_information[shipping_details][address][line1]': '1 Main St',
    'collected_information[shipping_details][address][postal_code]': '12345',
    'collected_information[shipping_details][address][country]': 'US',
  });
  return created;
}

/** A page of the server that runs no widget, with the train's stand-in loaded. */
async function standIn(server, train) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (message) => {
    // The JSON page has no icon: Chromium's /favicon.ico request is not the stand-in's.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      problems.push(`console.error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.goto(`${server.url}/config`);
  await page.addScriptTag({ url: `/sandbox/${train}/stripe.js?update_timeout_ms=${UPDATE_TIMEOUT_MS}` });
  await page.evaluate(`window.openInPage = ${openInPage.toString()}`);
  await page.evaluate(`window.within = ${within.toString()}`);
  await page.evaluate(`window.attempt = ${attempt.toString()}`);
  return { page, problems };
}

for (const train of TRAINS) {
  describe(`Stripe.js stand-in, ${train}`, () => {
    let server;
    before(async () => { server = await startServer({ STRIPE_JS_TRAIN: train }); });
    after(() => server?.stop());

    test('runServerUpdate rejects with fn\'s own error and on a timeout (fn keeps running), resolves an error only when the re-fetch fails', async () => {
      const { page, problems } = await standIn(server, train);
      await page.evaluate((train) => window.openInPage({ train }), train);
      let failInit = false;
      await page.route('**/v1/payment_pages/*/init', (route) => (failInit ? route.abort('internetdisconnected') : route.continue()));

      // fn throws: runServerUpdate rejects with that very Error.
      const thrown = await page.evaluate(async () => {
        const error = new Error('the merchant refused');
        try {
          const result = await window.co.actions.runServerUpdate(async () => { throw error; });
          return { resolved: result };
        } catch (caught) {
          return { same: caught === error, message: caught.message };
        }
      });
      assert.deepEqual(thrown, { same: true, message: 'the merchant refused' });

      // fn never settles by itself: a rejection saying it timed out; fn is not
      // cancelled (it goes on once released), and the queue moves on meanwhile.
      const timedOut = await page.evaluate(async () => {
        let release;
        const gate = new Promise((resolve) => { release = resolve; });
        window.fnDone = null;
        const fnFinished = new Promise((resolve) => { window.fnDone = resolve; });
        let outcome;
        try {
          const result = await window.co.actions.runServerUpdate(async () => {
            await gate;
            window.fnDone('fn ran to its end');
          });
          outcome = { resolved: result };
        } catch (error) {
          outcome = { rejected: error instanceof Error, message: error.message };
        }
        const next = await window.co.actions.runServerUpdate(() => Promise.resolve());
        release();
        outcome.afterwards = await fnFinished;
        outcome.next = next.type;
        return outcome;
      });
      assert.equal(timedOut.rejected, true, JSON.stringify(timedOut));
      assert.match(timedOut.message, /timed out/);
      assert.equal(timedOut.afterwards, 'fn ran to its end');
      assert.equal(timedOut.next, 'success', 'the next update runs while the timed-out fn is pending');

      // fn succeeds, Stripe.js's own re-fetch of the session fails: resolved error.
      failInit = true;
      const offline = await page.evaluate(async () => {
        try {
          return await window.co.actions.runServerUpdate(() => Promise.resolve());
        } catch (error) {
          return { rejected: error.message };
        }
      });
      failInit = false;
      assert.equal(offline.type, 'error', JSON.stringify(offline));
      assert.equal(offline.error.code, null);
      assert.equal(typeof offline.error.message, 'string');
      assert.ok(offline.error.message.length > 0);

      // And otherwise success, with the session.
      const ok = await page.evaluate(async () => {
        const result = await window.co.actions.runServerUpdate(() => Promise.resolve({ ignored: true }));
        return { type: result.type, id: result.session.id, same: result.session === window.co.getSession() };
      });
      assert.deepEqual(ok, { type: 'success', id: await page.evaluate(() => window.co.id), same: true });
      assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
      await page.close();
    });

    test('updateEmail throws an IntegrationError on a session created with customer_email', async () => {
      const { page, problems } = await standIn(server, train);
      const id = await page.evaluate((train) => window.openInPage({ train, customerEmail: 'known@example.com' }), train);
      const outcomes = await page.evaluate(async () => {
        const out = [];
        for (const email of ['other@example.com', 'known@example.com']) {
          try {
            const result = await window.co.actions.updateEmail(email);
            out.push(`resolved ${result.type}${result.error ? ` ${result.error.code}` : ''}`);
          } catch (error) {
            out.push(`${error.name}: ${error.message}`);
          }
        }
        return { out, email: window.co.getSession().email };
      });
      for (const outcome of outcomes.out) assert.match(outcome, /^IntegrationError: .*customer_email/);
      assert.equal(outcomes.email, 'known@example.com');
      const session = await sandboxSession(server.url, id);
      assert.equal(session.customer_email, 'known@example.com');
      assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
      await page.close();
    });

    test('confirm({returnUrl}) throws an IntegrationError: the session already has a return_url', async () => {
      const { page, problems } = await standIn(server, train);
      const id = await page.evaluate((train) => window.openInPage({ train, customerEmail: 'known@example.com' }), train);
      const outcome = await page.evaluate(async () => {
        void window.co.getSession().total.total.amount;
        let withUrl;
        try {
          const result = await window.co.actions.confirm({ returnUrl: 'https://shop.example/thanks' });
          withUrl = `resolved ${result.type}`;
        } catch (error) {
          withUrl = `${error.name}: ${error.message}`;
        }
        const status = window.co.getSession().status.type;
        void window.co.getSession().total.total.amount;
        const without = await window.co.actions.confirm({ redirect: 'if_required' });
        return { withUrl, status, without: without.type };
      });
      assert.match(outcome.withUrl, /^IntegrationError: .*return_url/);
      assert.equal(outcome.status, 'open');
      assert.equal(outcome.without, 'success');
      assert.equal((await sandboxSession(server.url, id)).status, 'complete');
      assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
      await page.close();
    });

    test(`elementsOptions.syncAddressCheckbox is ${train === 'basil' ? 'refused (stripe-js v7)' : 'accepted (stripe-js 8.7.0+)'}; init options and initCheckout as the train has them`, async () => {
      const { page, problems } = await standIn(server, train);
      const outcome = await page.evaluate(async (train) => {
        const attempt = async (options) => {
          try {
            await window.openInPage({ train, ...options });
            return 'ok';
          } catch (error) {
            return `${error.name}: ${error.message}`;
          }
        };
        const out = {
          sync: await attempt({ elementsOptions: { syncAddressCheckbox: 'billing', appearance: { theme: 'stripe' } } }),
          syncBad: await attempt({ elementsOptions: { syncAddressCheckbox: 'both' } }),
          plain: await attempt({ elementsOptions: { appearance: { theme: 'stripe' } } }),
        };
        const stripe = window.Stripe('pk_test_sandbox');
        const { clientSecret } = await (await fetch('/create-checkout-session', { method: 'POST' })).json();
        if (train !== 'basil') {
          try {
            const sdk = stripe.initCheckoutElementsSdk({ clientSecret, defaultValues: { email: 'ada@example.com' }, adaptivePricing: { allowed: false } });
            out.initOptions = (await sdk.loadActions()).type;
          } catch (error) {
            out.initOptions = `${error.name}: ${error.message}`;
          }
        }
        try {
          const options = train === 'basil' ? { fetchClientSecret: async () => clientSecret } : { clientSecret };
          const started = stripe.initCheckout(options);
          out.initCheckout = typeof started.then === 'function' ? await started.then(() => 'resolved', (e) => `rejected ${e.name}`) : 'returned';
        } catch (error) {
          out.initCheckout = `threw ${error.name}`;
        }
        return out;
      }, train);
      assert.equal(outcome.plain, 'ok');
      if (train === 'basil') {
        assert.match(outcome.sync, /^IntegrationError: .*syncAddressCheckbox is not an accepted parameter/);
        assert.match(outcome.syncBad, /^IntegrationError: .*syncAddressCheckbox/);
        assert.equal(outcome.initCheckout, 'resolved');
      } else {
        assert.equal(outcome.sync, 'ok');
        assert.match(outcome.syncBad, /^IntegrationError: .*syncAddressCheckbox must be one of/);
        assert.equal(outcome.initOptions, 'success', 'clientSecret, defaultValues, adaptivePricing');
        // clover has it (synchronous); from dahlia on it is gone (renamed).
        assert.equal(outcome.initCheckout, train === 'clover' ? 'returned' : 'threw IntegrationError');
      }
      assert.deepEqual(problems, []);
      await page.close();
    });

    test(`createPaymentElement's options and changeAppearance as stripe-js ${train === 'basil' ? 'v7' : 'v8+'} types them`, async () => {
      const { page, problems } = await standIn(server, train);
      await page.evaluate((train) => window.openInPage({ train }), train);
      const outcome = await page.evaluate(() => {
        const { elements } = window.co;
        return {
          layout: attempt(() => elements.createPaymentElement({ layout: 'accordion', paymentMethodOrder: ['card'] })),
          layoutObject: attempt(() => elements.createPaymentElement({ layout: { type: 'tabs', defaultCollapsed: false } })),
          badLayout: attempt(() => elements.createPaymentElement({ layout: 'grid' })),
          badLayoutKey: attempt(() => elements.createPaymentElement({ layout: { type: 'tabs', columns: 2 } })),
          unknown: attempt(() => elements.createPaymentElement({ colour: 'red' })),
          readonly: attempt(() => elements.createPaymentElement({ readonly: true })),
          readOnly: attempt(() => elements.createPaymentElement({ readOnly: true })),
          appearance: attempt(() => elements.changeAppearance({ theme: 'night', variables: { colorPrimary: '#111111' } })),
          recorded: window.__sandboxStripeElements.appearance,
          badTheme: attempt(() => elements.changeAppearance({ theme: 'dark' })),
          badKey: attempt(() => elements.changeAppearance({ colours: {} })),
          none: attempt(() => elements.changeAppearance()),
        };
      });
      assert.equal(outcome.layout, 'ok');
      assert.equal(outcome.layoutObject, 'ok');
      assert.match(outcome.badLayout, /^IntegrationError: .*layout.*tabs, accordion, auto/);
      assert.match(outcome.badLayoutKey, /^IntegrationError: .*columns is not an accepted parameter/);
      assert.match(outcome.unknown, /^IntegrationError: .*colour is not an accepted parameter/);
      if (train === 'basil') {
        assert.equal(outcome.readonly, 'ok');
        assert.match(outcome.readOnly, /readOnly is not an accepted parameter/);
      } else {
        assert.match(outcome.readonly, /readonly is not an accepted parameter/);
        assert.equal(outcome.readOnly, 'ok');
      }
      assert.equal(outcome.appearance, 'ok');
      assert.deepEqual(outcome.recorded, { theme: 'night', variables: { colorPrimary: '#111111' } });
      assert.match(outcome.badTheme, /^IntegrationError: .*theme/);
      assert.match(outcome.badKey, /^IntegrationError: .*colours is not an accepted parameter/);
      assert.match(outcome.none, /^IntegrationError: /);
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('the Express Checkout Element: options checked and recorded, ready with Link, a click gives confirm, and confirm({expressCheckoutConfirmEvent}) pays once', async () => {
      const { page, problems } = await standIn(server, train);
      const id = await page.evaluate((train) => window.openInPage({ train }), train);
      const created = await page.evaluate(() => {
        const { elements } = window.co;
        const out = { before: elements.getExpressCheckoutElement() };
        out.badHeight = attempt(() => elements.createExpressCheckoutElement({ buttonHeight: 30 }));
        out.tallHeight = attempt(() => elements.createExpressCheckoutElement({ buttonHeight: 56 }));
        // `wallets` is the Elements-flavour element's (deprecated) option, not the Checkout one's.
        out.unknown = attempt(() => elements.createExpressCheckoutElement({ wallets: { applePay: 'auto' } }));
        out.badTheme = attempt(() => elements.createExpressCheckoutElement({ buttonTheme: { googlePay: 'white-outline' } }));
        out.badType = attempt(() => elements.createExpressCheckoutElement({ buttonType: { paypal: 'donate' } }));
        out.badMethods = attempt(() => elements.createExpressCheckoutElement({ paymentMethods: { link: 'always' } }));
        out.badLayout = attempt(() => elements.createExpressCheckoutElement({ layout: { overflow: 'scroll' } }));
        out.afterRefusals = elements.getExpressCheckoutElement();
        // Any subset of the options; destroy() forgets it.
        const subset = elements.createExpressCheckoutElement({ buttonHeight: 40 });
        out.subsetGot = elements.getExpressCheckoutElement() === subset;
        subset.destroy();
        out.afterDestroy = elements.getExpressCheckoutElement();
        const options = {
          buttonHeight: 48,
          buttonTheme: { applePay: 'white-outline', paypal: 'gold' },
          buttonType: { googlePay: 'checkout' },
          layout: { maxColumns: 1, overflow: 'never' },
          paymentMethodOrder: ['link'],
          paymentMethods: { link: 'auto', applePay: 'always' },
        };
        const ece = elements.createExpressCheckoutElement(options);
        out.recorded = window.__sandboxStripeElements.expressCheckoutOptions;
        out.got = elements.getExpressCheckoutElement() === ece;
        // 'click' is the Elements-flavour element's event, not the Checkout one's.
        out.clickEvent = attempt(() => ece.on('click', () => {}));
        out.updateTheme = attempt(() => ece.update({ buttonTheme: { paypal: 'blue' } }));
        out.update = attempt(() => ece.update({ buttonHeight: 52 }));
        out.updated = window.__sandboxStripeElements.expressCheckoutOptions.buttonHeight;
        window.ece = ece;
        return out;
      });
      assert.equal(created.before, null);
      assert.match(created.badHeight, /^IntegrationError: .*buttonHeight/);
      assert.match(created.tallHeight, /^IntegrationError: .*buttonHeight/);
      assert.match(created.unknown, /^IntegrationError: .*wallets is not an accepted parameter/);
      assert.match(created.badTheme, /^IntegrationError: .*buttonTheme\.googlePay/);
      assert.match(created.badType, /^IntegrationError: .*buttonType\.paypal/);
      assert.match(created.badMethods, /^IntegrationError: .*paymentMethods\.link/);
      assert.match(created.badLayout, /^IntegrationError: .*layout\.overflow/);
      assert.equal(created.afterRefusals, null);
      assert.equal(created.subsetGot, true);
      assert.equal(created.afterDestroy, null);
      assert.deepEqual(created.recorded, {
        buttonHeight: 48,
        buttonTheme: { applePay: 'white-outline', paypal: 'gold' },
        buttonType: { googlePay: 'checkout' },
        layout: { maxColumns: 1, overflow: 'never' },
        paymentMethodOrder: ['link'],
        paymentMethods: { link: 'auto', applePay: 'always' },
      });
      assert.equal(created.got, true);
      assert.match(created.clickEvent, /^IntegrationError: .*unknown event "click"/);
      assert.match(created.updateTheme, /^IntegrationError: .*buttonTheme is not an accepted parameter/);
      assert.equal(created.update, 'ok');
      assert.equal(created.updated, 52);

      const mounted = await page.evaluate(async () => {
        const target = document.createElement('div');
        document.body.appendChild(target);
        let early = false;
        const ready = new Promise((resolve) => window.ece.on('ready', resolve));
        window.ece.on('ready', () => { early = true; });
        window.ece.mount(target);
        const synchronous = early;
        const event = await window.within(ready, 'ready event');
        const buttons = [...target.querySelectorAll('div.sandbox-express-checkout > button[type=button]')];
        return { synchronous, event, buttons: buttons.map((button) => button.textContent) };
      });
      assert.equal(mounted.synchronous, false, 'ready comes after mount returns');
      assert.deepEqual(mounted.event, {
        elementType: 'expressCheckout',
        availablePaymentMethods: { amazonPay: false, applePay: false, googlePay: false, link: true, paypal: false, klarna: false },
      });
      assert.deepEqual(mounted.buttons, ['Link (sandbox express checkout)']);

      const paid = await page.evaluate(async () => {
        const { actions, getSession } = window.co;
        const button = document.querySelector('.sandbox-express-checkout button');
        const attempt = async (fn) => {
          try {
            const result = await fn();
            return `resolved ${result.type}`;
          } catch (error) {
            return `${error.name}: ${error.message}`;
          }
        };
        const out = {};
        // No confirm handler: a click does nothing.
        button.click();
        out.noHandler = button.disabled;
        // A confirm event, then the merchant reports a failure: the button comes back.
        const first = new Promise((resolve) => window.ece.once('confirm', resolve));
        button.click();
        const failedEvent = await window.within(first, 'confirm event');
        out.disabledWhilePaying = button.disabled;
        out.event = { ...failedEvent, paymentFailed: typeof failedEvent.paymentFailed };
        failedEvent.paymentFailed({ reason: 'fail', message: 'The shop could not take it.' });
        out.paymentFailed = window.__sandboxStripeElements.expressPaymentFailed;
        out.enabledAgain = !button.disabled;
        // A look-alike the element never emitted is refused.
        void getSession().total.total.amount;
        out.forged = await attempt(() => actions.confirm({
          expressCheckoutConfirmEvent: { ...failedEvent },
        }));
        // A second click, confirmed with its event: paid, without the Payment Element's card.
        document.querySelector('input[name=cardnumber]').value = '4000 0000 0000 0002';
        const second = new Promise((resolve) => window.ece.on('confirm', resolve));
        button.click();
        const event = await window.within(second, 'second confirm event');
        void getSession().total.total.amount;
        const result = await actions.confirm({ expressCheckoutConfirmEvent: event });
        out.result = { type: result.type, status: result.session && result.session.status.type, email: result.session && result.session.email };
        out.again = await attempt(() => actions.confirm({ expressCheckoutConfirmEvent: event }));
        const calls = window.__sandboxStripeCalls;
        out.calls = {
          create: calls.createExpressCheckoutElement,
          get: calls.getExpressCheckoutElement,
          mount: calls['expressCheckoutElement.mount'],
          on: calls['expressCheckoutElement.on'],
        };
        return out;
      });
      assert.equal(paid.noHandler, false);
      assert.equal(paid.disabledWhilePaying, true);
      assert.deepEqual(paid.event, {
        elementType: 'expressCheckout',
        expressPaymentType: 'link',
        billingDetails: {
          name: 'Sandbox Wallet',
          email: 'wallet@example.com',
          address: { line1: '1 Sandbox Street', line2: null, city: 'San Francisco', state: 'CA', postal_code: '94103', country: 'US' },
        },
        paymentFailed: 'function',
      });
      assert.deepEqual(paid.paymentFailed, { reason: 'fail', message: 'The shop could not take it.' });
      assert.equal(paid.enabledAgain, true);
      assert.match(paid.forged, /^IntegrationError: .*expressCheckoutConfirmEvent must be the event the Express Checkout Element's confirm handler received/);
      assert.deepEqual(paid.result, { type: 'success', status: 'complete', email: 'wallet@example.com' });
      assert.match(paid.again, /^IntegrationError: .*expressCheckoutConfirmEvent must be the event/);
      assert.deepEqual(paid.calls, { create: 9, get: 5, mount: 1, on: 4 });
      const session = await sandboxSession(server.url, id);
      assert.equal(session.status, 'complete');
      assert.equal(session.payment_status, 'paid');
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('the Express Checkout Element with no wallet (window.__sandboxExpressCheckout = {available: false}): ready without availablePaymentMethods, no button', async () => {
      const { page, problems } = await standIn(server, train);
      await page.evaluate((train) => window.openInPage({ train }), train);
      const outcome = await page.evaluate(async () => {
        window.__sandboxExpressCheckout = { available: false };
        const target = document.createElement('div');
        document.body.appendChild(target);
        const ece = window.co.elements.createExpressCheckoutElement();
        const ready = new Promise((resolve) => ece.on('ready', resolve));
        ece.mount(target);
        const event = await window.within(ready, 'ready event');
        return {
          keys: Object.keys(event).sort(),
          elementType: event.elementType,
          undefinedMethods: event.availablePaymentMethods === undefined,
          wrappers: target.querySelectorAll('div.sandbox-express-checkout').length,
          buttons: target.querySelectorAll('button').length,
          recorded: window.__sandboxStripeElements.expressCheckoutOptions,
        };
      });
      assert.deepEqual(outcome, {
        keys: ['availablePaymentMethods', 'elementType'],
        elementType: 'expressCheckout',
        undefinedMethods: true,
        wrappers: 1,
        buttons: 0,
        recorded: null,
      });
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('the Express Checkout Element on a session with permissions.update_shipping_details=server_only: no wallet (ready without availablePaymentMethods, no button); the session shows no emulator field', async () => {
      const { page, problems } = await standIn(server, train);
      const created = await shippingSession(server.url);
      await page.evaluate(({ train, clientSecret }) => window.openInPage({ train, clientSecret }), { train, clientSecret: created.client_secret });
      const outcome = await page.evaluate(async () => {
        const target = document.createElement('div');
        document.body.appendChild(target);
        const ece = window.co.elements.createExpressCheckoutElement();
        const ready = new Promise((resolve) => ece.on('ready', resolve));
        ece.mount(target);
        const event = await window.within(ready, 'ready event');
        return {
          keys: Object.keys(event).sort(),
          undefinedMethods: event.availablePaymentMethods === undefined,
          wrappers: target.querySelectorAll('div.sandbox-express-checkout').length,
          buttons: target.querySelectorAll('button').length,
          sandboxField: 'sandbox' in window.co.getSession(),
        };
      });
      assert.deepEqual(outcome, {
        keys: ['availablePaymentMethods', 'elementType'],
        undefinedMethods: true,
        wrappers: 1,
        buttons: 0,
        sandboxField: false,
      });
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('shipping: options with delivery estimates, the address and the selected option; updateShippingOption selects, refuses an unknown id with an error result, throws for a non-string', async () => {
      const { page, problems } = await standIn(server, train);
      const created = await shippingSession(server.url);
      const [standard, express] = created.shipping_options.map((option) => option.shipping_rate);
      await page.evaluate(({ train, clientSecret }) => window.openInPage({ train, clientSecret }), { train, clientSecret: created.client_secret });
      const outcome = await page.evaluate(async ({ express }) => {
        const { actions, getSession } = window.co;
        const view = (session) => ({
          selected: session.shipping && session.shipping.shippingOption.id,
          taxAmounts: session.shipping && session.shipping.taxAmounts,
          shippingRate: session.total.shippingRate.minorUnitsAmount,
          total: session.total.total.amount,
        });
        const first = getSession();
        const out = { options: first.shippingOptions, address: first.shippingAddress, before: view(first) };
        const chosen = await actions.updateShippingOption(express);
        out.chosen = { type: chosen.type, same: chosen.session === getSession(), ...view(chosen.session) };
        const unknown = await actions.updateShippingOption('shr_not_an_option');
        out.unknown = { type: unknown.type, code: unknown.error && unknown.error.code,
          message: typeof (unknown.error && unknown.error.message), after: view(getSession()) };
        try {
          await actions.updateShippingOption(42);
          out.nonString = 'resolved';
        } catch (error) {
          out.nonString = `${error.name}: ${error.message}`;
        }
        out.calls = window.__sandboxStripeCalls.updateShippingOption;
        return out;
      }, { express });
      assert.deepEqual(outcome.options, [
        { id: standard, minorUnitsAmount: 500, amount: '$5.00', currency: 'usd', displayName: 'Standard', deliveryEstimate: null },
        { id: express, minorUnitsAmount: 1500, amount: '$15.00', currency: 'usd', displayName: 'Express',
          deliveryEstimate: { maximum: { unit: 'business_day', value: 2 }, minimum: { unit: 'business_day', value: 1 } } },
      ]);
      assert.deepEqual(outcome.address, {
        name: 'Ada Lovelace',
        address: { country: 'US', line1: '1 Main St', line2: null, city: null, postal_code: '12345', state: null },
      });
      assert.deepEqual(outcome.before, { selected: standard, taxAmounts: null, shippingRate: 500, total: '$25.00' });
      assert.deepEqual(outcome.chosen, { type: 'success', same: true, selected: express, taxAmounts: null, shippingRate: 1500, total: '$35.00' });
      assert.deepEqual(outcome.unknown, { type: 'error', code: null, message: 'string', after: { selected: express, taxAmounts: null, shippingRate: 1500, total: '$35.00' } });
      assert.match(outcome.nonString, /^IntegrationError: updateShippingOption\(\) expects a string/);
      assert.equal(outcome.calls, 3);
      const session = await sandboxSession(server.url, created.id);
      assert.equal(session.shipping_cost.shipping_rate, express);
      assert.equal(session.amount_total, 3500);
      assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
      await page.close();
    });

    test(`canConfirm: false while confirm() is in flight${train === 'endive' ? ' and while a server update is pending' : '; a server update leaves it alone'}`, async () => {
      const { page, problems } = await standIn(server, train);
      await page.evaluate((train) => window.openInPage({ train }), train);
      const outcome = await page.evaluate(async () => {
        const { actions, getSession, changes } = window.co;
        const emailed = await actions.updateEmail('ada@example.com');
        const out = { ready: emailed.session.canConfirm };

        // A server update: read canConfirm from inside the update function.
        changes.length = 0;
        let inside = null;
        const update = actions.runServerUpdate(async () => { inside = getSession().canConfirm; });
        out.whenQueued = getSession().canConfirm;
        const result = await update;
        out.update = { inside, after: getSession().canConfirm, result: result.session.canConfirm, changes: [...changes] };

        // A confirmation in flight (a declined card: the session stays open).
        changes.length = 0;
        document.querySelector('input[name=cardnumber]').value = '4000 0000 0000 0002';
        void getSession().total.total.amount;
        const paying = actions.confirm();
        out.whilePaying = getSession().canConfirm;
        const declined = await paying;
        out.paid = { type: declined.type, code: declined.error && declined.error.code, after: getSession().canConfirm, changes: [...changes] };
        return out;
      });
      assert.equal(outcome.ready, true);
      if (train === 'endive') {
        assert.equal(outcome.whenQueued, false, 'queued');
        assert.deepEqual(outcome.update, { inside: false, after: true, result: true, changes: [false, true] });
      } else {
        assert.equal(outcome.whenQueued, true);
        assert.deepEqual(outcome.update, { inside: true, after: true, result: true, changes: [true] });
      }
      assert.equal(outcome.whilePaying, false);
      assert.deepEqual(outcome.paid, { type: 'error', code: 'paymentFailed', after: true, changes: [false, true] });
      assert.deepEqual(problems.filter((p) => !/status of 402/.test(p)), []);
      await page.close();
    });

    test('the Shipping Address Element: options checked (an unknown key refused by name) and recorded, typed fields give change events whose complete goes false → true, getValue() agrees, nothing is written to the session', async () => {
      const { page, problems } = await standIn(server, train);
      await page.evaluate((train) => window.openInPage({ train }), train);
      // From stripe-js v9.10.0 (dahlia, endive) the options also take fields.
      const withFields = train === 'dahlia' || train === 'endive';
      const created = await page.evaluate((withFields) => {
        const { elements } = window.co;
        const out = { before: elements.getShippingAddressElement() };
        // allowedCountries is an option of the Elements-flavour Address Element, not of Checkout's.
        out.unknown = attempt(() => elements.createShippingAddressElement({ display: { name: 'full' }, allowedCountries: ['US'] }));
        out.badName = attempt(() => elements.createShippingAddressElement({ display: { name: 'nickname' } }));
        out.fields = attempt(() => elements.createShippingAddressElement({ fields: { phone: 'never' } }));
        const options = withFields ? { display: { name: 'full' }, fields: { phone: 'auto' } } : { display: { name: 'full' } };
        const element = elements.createShippingAddressElement(options);
        out.got = elements.getShippingAddressElement() === element;
        out.recorded = window.__sandboxStripeElements.shippingAddressOptions;
        window.addressChanges = [];
        element.on('change', (event) => window.addressChanges.push(JSON.parse(JSON.stringify(event))));
        const ready = new Promise((resolve) => element.once('ready', resolve));
        const target = document.createElement('div');
        target.id = 'shipping-address';
        document.body.appendChild(target);
        element.mount(target);
        window.addressElement = element;
        return window.within(ready, 'ready event').then((event) => ({ ...out, ready: event }));
      }, withFields);
      assert.equal(created.before, null);
      assert.match(created.unknown, /^IntegrationError: .*options\.allowedCountries is not an accepted parameter/);
      assert.match(created.badName, /^IntegrationError: .*options\.display\.name should be one of the following strings: full, split, organization/);
      if (withFields) assert.equal(created.fields, 'ok');
      else assert.match(created.fields, /^IntegrationError: .*options\.fields is not an accepted parameter/);
      assert.equal(created.got, true);
      assert.deepEqual(created.recorded, withFields ? { display: { name: 'full' }, fields: { phone: 'auto' } } : { display: { name: 'full' } });
      assert.deepEqual(created.ready, { elementType: 'address' });

      // The customer types (Playwright), the country last but one: the postal code completes it.
      const writes = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && /\/v1\/payment_pages\//.test(request.url())) writes.push(request.url());
      });
      const field = (name) => `#shipping-address div.sandbox-address-element [name=${name}]`;
      await page.fill(field('name'), 'Ada Lovelace');
      await page.fill(field('line1'), '12 St James Square');
      await page.fill(field('city'), 'London');
      await page.fill(field('state'), 'Greater London');
      await page.selectOption(field('country'), 'GB');
      await page.fill(field('postal_code'), 'SW1Y 4JH');
      const labels = await page.$$eval('#shipping-address div.sandbox-address-element label', (all) => all.map((label) => label.textContent.trim()));
      const outcome = await page.evaluate(async () => {
        const value = await window.addressElement.getValue();
        const calls = window.__sandboxStripeCalls;
        return {
          changes: window.addressChanges,
          value,
          calls: {
            create: calls.createShippingAddressElement,
            get: calls.getShippingAddressElement,
            mount: calls['shippingAddressElement.mount'],
            on: calls['shippingAddressElement.on'],
            once: calls['shippingAddressElement.once'],
            getValue: calls['shippingAddressElement.getValue'],
          },
        };
      });
      const typed = { line1: '12 St James Square', line2: null, city: 'London', state: 'Greater London', postal_code: 'SW1Y 4JH', country: 'GB' };
      assert.deepEqual(labels.slice(0, 6), ['Full name', 'Address line 1', 'Address line 2', 'City', 'State', 'Postal code']);
      assert.match(labels[6], /^Country/);
      assert.deepEqual(outcome.changes.map((event) => event.complete), [false, false, false, false, false, true]);
      const last = outcome.changes[outcome.changes.length - 1];
      assert.deepEqual(last, {
        elementType: 'address',
        elementMode: 'shipping',
        empty: false,
        complete: true,
        isNewAddress: true,
        value: { name: 'Ada Lovelace', address: typed },
      });
      assert.deepEqual(outcome.changes[0].value.address, { line1: '', line2: null, city: '', state: '', postal_code: '', country: 'US' });
      assert.deepEqual(outcome.value, { complete: true, isNewAddress: true, value: { name: 'Ada Lovelace', address: typed } });
      assert.deepEqual(outcome.calls, { create: 4, get: 2, mount: 1, on: 1, once: 1, getValue: 1 });
      assert.deepEqual(writes, [], 'the element writes nothing to the session');
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}
