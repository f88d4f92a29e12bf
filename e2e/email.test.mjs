// The customer's email, as Stripe requires it: the widget's field bound to
// updateEmail (refused inline, Pay unavailable without one, accepted), a
// payment that completes only with an email, the merchant's customer_email
// (no field) — on one train — and, on each Stripe.js train, the stand-in's
// own rules: updateEmail checks addresses before any request, confirm
// rejects with an IntegrationError until the page has read the total it
// shows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  enterEmail, launchBrowser, openCheckout, sandboxSession, startServer, waitForText,
  CARD, EMAIL, EMAIL_ERROR, PAY, TEST_CARD, TEST_EMAIL, TOTAL,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Counts the stand-in's calls to `/v1/payment_pages/{id}` + `suffix` made by `page`. */
function countCalls(page, suffix) {
  const calls = { n: 0 };
  const pattern = new RegExp(`/v1/payment_pages/[^/]+${suffix}$`);
  page.on('request', (request) => { if (pattern.test(new URL(request.url()).pathname)) calls.n += 1; });
  return calls;
}

for (const train of ['basil', 'clover', 'dahlia', 'endive']) {
  describe(`Stripe.js ${train}`, () => {
    let server;
    before(async () => { server = await startServer({ STRIPE_JS_TRAIN: train }); });
    after(() => server?.stop());

    // The widget's email step on one train: its binding to each train's
    // updateEmail is component-tested (tests/web.rs), and every train's
    // whole checkout, email included, runs in e2e/stripe-calls.test.mjs.
    if (train === 'basil') {
      test('the email step: Pay unavailable without one, refusals inline, then a payment with the email', async () => {
        const { page, problems, sessionId } = await openCheckout(browser, server.url);
        const emailCalls = countCalls(page, '');
        const confirmCalls = countCalls(page, '/confirm');
        await page.locator(CARD).waitFor();
        assert.equal((await page.textContent(`label[for=email]`)).trim(), 'Email');
        assert.equal(await page.getAttribute(EMAIL, 'type'), 'email');
        assert.equal(await page.getAttribute(EMAIL, 'autocomplete'), 'email');
        assert.equal(await page.getAttribute(PAY, 'aria-disabled'), 'true', 'Pay waits for an email');

        // Pay anyway (aria-disabled: Playwright would wait, so click it in the page).
        await page.fill(CARD, TEST_CARD);
        await page.$eval(PAY, (button) => button.click());
        await waitForText(page, EMAIL_ERROR, 'Your email address is incomplete.');
        await page.waitForFunction((s) => document.activeElement?.matches(s), EMAIL);

        for (const [typed, message] of [
          ['ada@example', 'Your email address is incomplete.'],
          ['ada@@example.com', 'Your email address is invalid.'],
          ['a da@example.com', 'Your email address is invalid.'],
        ]) {
          await page.fill(EMAIL, typed);
          await page.locator(EMAIL).press('Tab');
          await waitForText(page, EMAIL_ERROR, message);
          assert.equal(await page.getAttribute(EMAIL, 'aria-invalid'), 'true', typed);
          assert.equal(await page.getAttribute(EMAIL, 'aria-describedby'), 'email-error');
          assert.equal(await page.getAttribute(PAY, 'aria-disabled'), 'true');
        }
        assert.equal(emailCalls.n, 0, 'Stripe.js refuses these itself, without a request');
        assert.equal(confirmCalls.n, 0, 'nothing was confirmed');
        let session = await sandboxSession(server.url, await sessionId());
        assert.equal(session.status, 'open');

        await enterEmail(page, { email: TEST_EMAIL });
        assert.equal(emailCalls.n, 1);
        assert.equal(await page.getAttribute(EMAIL, 'aria-invalid'), null);
        assert.equal(await page.textContent(EMAIL_ERROR), '');
        await page.click(PAY);
        await page.locator('[data-testid=paid]').waitFor({ state: 'visible' });
        assert.equal(confirmCalls.n, 1);
        session = await sandboxSession(server.url, await sessionId());
        assert.equal(session.status, 'complete');
        assert.equal(session.customer_details.email, TEST_EMAIL);
        assert.deepEqual(problems, []);
        await page.close();
      });

      test('a merchant that knows the customer passes customer_email: no field, Pay at once', async () => {
        const page = await browser.newPage();
        const problems = [];
        page.on('pageerror', (error) => problems.push(error.message));
        page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
        // The page's request to /create-checkout-session, with the body a
        // merchant page would send for a signed-in customer.
        await page.route('**/create-checkout-session', (route) => route.continue({
          headers: { ...route.request().headers(), 'content-type': 'application/json' },
          postData: JSON.stringify({ customer_email: 'known@example.com' }),
        }));
        let id = null;
        page.on('response', async (response) => {
          if (response.url().endsWith('/create-checkout-session')) {
            id = (await response.json()).clientSecret.split('_secret_')[0];
          }
        });
        await page.goto(server.url);
        await page.locator(TOTAL).waitFor();
        await page.locator(CARD).waitFor();
        assert.equal(await page.locator(EMAIL).isVisible(), false, 'no email field');
        await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-disabled'), PAY);
        await page.fill(CARD, TEST_CARD);
        await page.click(PAY);
        await page.locator('[data-testid=paid]').waitFor({ state: 'visible' });
        const session = await sandboxSession(server.url, id);
        assert.equal(session.customer_email, 'known@example.com');
        assert.equal(session.customer_details.email, 'known@example.com');
        assert.deepEqual(problems, []);
        await page.close();
      });
    }

    test('the stand-in: updateEmail checks first; confirm rejects until the total was read; no email, no payment', async () => {
      const page = await browser.newPage();
      // A same-origin page of the server that runs no widget.
      await page.goto(`${server.url}/config`);
      await page.addScriptTag({ url: `/sandbox/${train}/stripe.js` });
      const outcome = await page.evaluate(async (train) => {
        const config = await (await fetch('/config')).json();
        const { clientSecret } = await (await fetch('/create-checkout-session', { method: 'POST' })).json();
        const stripe = window.Stripe(config.publishableKey, { betas: ['custom_checkout_server_updates_1'] });
        const target = document.createElement('div');
        document.body.appendChild(target);
        let actions;
        let getSession;
        if (train === 'basil') {
          actions = await stripe.initCheckout({ fetchClientSecret: async () => clientSecret });
          actions.createPaymentElement().mount(target);
          getSession = () => actions.session();
        } else {
          const entry = train === 'clover' ? 'initCheckout' : 'initCheckoutElementsSdk';
          const sdk = stripe[entry]({ clientSecret });
          sdk.createPaymentElement().mount(target);
          actions = (await sdk.loadActions()).actions;
          getSession = () => actions.getSession();
        }
        const out = { codes: {} };
        const before = performance.getEntriesByType('resource').length;
        for (const text of ['', 'ada', 'ada@', 'ada@example', 'ada@example.c', '@example.com', 'ada@@example.com',
          'a da@example.com', 'ada.@example.com', 'ada@example..com', 'adé@example.com']) {
          const result = await actions.updateEmail(text);
          out.codes[text] = result.type === 'error' ? result.error.code : result.type;
        }
        out.requestsForRefusals = performance.getEntriesByType('resource').length - before;
        const confirmError = async () => {
          try {
            const result = await actions.confirm();
            return result.type === 'error' ? `resolved error: ${result.error.message}` : result.type;
          } catch (error) {
            return `${error.name}`;
          }
        };
        // Read nothing of the current session: confirm rejects.
        out.unread = await confirmError();
        // The total read, but no email: the emulator refuses the payment.
        void getSession().total.total.amount;
        out.noEmail = await confirmError();
        out.openAfterNoEmail = getSession().status.type;
        const accepted = await actions.updateEmail('buyer@example.com');
        out.accepted = [accepted.type, accepted.session.email, accepted.session.canConfirm];
        // A new snapshot: unread again. minorUnitsAmount alone is not enough…
        out.partlyRead = await (async () => { void getSession().total.total.minorUnitsAmount; return confirmError(); })();
        // …with currency and minorUnitsAmountDivisor it is.
        const session = getSession();
        void session.total.total.minorUnitsAmount;
        void session.currency;
        void session.minorUnitsAmountDivisor;
        out.read = await confirmError();
        out.status = getSession().status;
        return out;
      }, train);
      assert.deepEqual(outcome.codes, {
        '': 'incompleteEmail',
        ada: 'incompleteEmail',
        'ada@': 'incompleteEmail',
        'ada@example': 'incompleteEmail',
        'ada@example.c': 'incompleteEmail',
        '@example.com': 'invalidEmail',
        'ada@@example.com': 'invalidEmail',
        'a da@example.com': 'invalidEmail',
        'ada.@example.com': 'invalidEmail',
        'ada@example..com': 'invalidEmail',
        'adé@example.com': 'invalidEmail',
      });
      assert.equal(outcome.requestsForRefusals, 0, 'refused without a request');
      assert.equal(outcome.unread, 'IntegrationError');
      assert.match(outcome.noEmail, /^resolved error: .*email/);
      assert.equal(outcome.openAfterNoEmail, 'open');
      assert.deepEqual(outcome.accepted, ['success', 'buyer@example.com', true]);
      assert.equal(outcome.partlyRead, 'IntegrationError');
      assert.equal(outcome.read, 'success');
      assert.deepEqual(outcome.status, { type: 'complete', paymentStatus: 'paid' });
      await page.close();
    });
  });
}
