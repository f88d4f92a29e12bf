// End to end: the release build served by checkout-server in sandbox mode,
// driven in headless Chromium, as a customer would use it: the page's load
// and the guides' two flows on each Stripe.js release train (a smoke of the
// real stand-in per train), the other flows on one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  artifacts, enterEmail, injectFaults, launchBrowser, openCheckout, sandboxSession, startServer, waitForAttribute,
  waitForText, SWITCH, DISCOUNT, TOTAL, ALERT, STATUS, EN, TEST_EMAIL,
} from './harness.mjs';


let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function idle(page, selector) {
  await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-busy'), selector);
}

for (const train of ['basil', 'clover', 'dahlia', 'endive']) {
  describe(`Stripe.js ${train}: load and the guides' two flows`, () => {
    let server;
    before(async () => { server = await startServer({ STRIPE_JS_TRAIN: train }); });
    after(() => server?.stop());

    test('the page loads a monthly subscription from the train\'s stand-in', async () => {
      const { page, problems } = await openCheckout(browser, server.url);
      const config = await (await fetch(`${server.url}/config`)).json();
      assert.equal(config.train, train);
      assert.equal(config.stripeJsUrl, `/sandbox/${train}/stripe.js`);
      assert.equal(await page.getAttribute(SWITCH, 'role'), 'switch');
      assert.equal(await page.getAttribute(SWITCH, 'aria-checked'), 'false');
      assert.equal((await page.textContent(SWITCH)).trim(), 'Save with a yearly subscription');
      assert.equal(await page.textContent(TOTAL), '$15.00 per month');
      assert.equal(await page.textContent(DISCOUNT), 'Apply Customer Discount');
      assert.equal(await page.textContent(ALERT), '');
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('switch to yearly, then apply the customer discount', async () => {
      const { page, problems, sessionId } = await openCheckout(browser, server.url);
      await page.click(SWITCH);
      await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
      // The switch keeps its one name; the state is aria-checked, the plan is in the summary.
      assert.equal((await page.textContent(SWITCH)).trim(), 'Save with a yearly subscription');
      assert.equal(await page.textContent(TOTAL), '$150.00 per year');
      let session = await sandboxSession(server.url, await sessionId());
      assert.equal(session.line_items.data[0].price.id, 'price_sandbox_yearly');
      assert.equal(session.amount_total, 15000);
      assert.equal(session.ui_mode, train === 'dahlia' || train === 'endive' ? 'elements' : 'custom');

      await page.click(DISCOUNT);
      await waitForText(page, DISCOUNT, 'Discount Applied!');
      assert.equal(await page.getAttribute(DISCOUNT, 'aria-disabled'), 'true');
      assert.equal(await page.textContent(TOTAL), '$135.00 per year');
      assert.equal(await page.textContent(STATUS), 'Total is now $135.00 per year');
      assert.match(await page.textContent('[data-testid=discount]'), /Customer Discount.*\$15\.00/);
      session = await sandboxSession(server.url, await sessionId());
      assert.equal(session.amount_total, 13500);
      assert.equal(session.total_details.amount_discount, 1500);
      assert.equal(await page.textContent(ALERT), '');
      if (train === 'basil') await page.screenshot({ path: `${artifacts}/checkout.png`, fullPage: true });
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('a wallet pays through the Express Checkout Element what the page shows', async () => {
      const { page, problems, sessionId } = await openCheckout(browser, server.url);
      await page.click(SWITCH);
      await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
      const wallet = page.locator('.lsc-express button', { hasText: 'Link (sandbox express checkout)' });
      await wallet.waitFor({ state: 'visible' });
      // No email typed: the wallet gives it.
      await wallet.click();
      await page.locator('[data-testid=paid]').waitFor({ state: 'visible' });
      assert.equal(await page.locator('.lsc-express').isHidden(), true, 'no wallet once paid');
      const session = await sandboxSession(server.url, await sessionId());
      assert.equal(session.status, 'complete');
      assert.equal(session.payment_status, 'paid');
      assert.equal(session.amount_total, 15000);
      assert.equal(session.customer_details.email, 'wallet@example.com');
      assert.equal(await page.textContent(ALERT), '');
      assert.deepEqual(problems, []);
      await page.close();
    });

  });
}

// The rest on one train: what differs between trains lives in
// src/stripe_js.rs, and the component tests (tests/web.rs) run every
// scenario on each of them.
describe('Stripe.js basil: the other flows', () => {
  {
    const train = 'basil';
    let server;
    before(async () => { server = await startServer({ STRIPE_JS_TRAIN: train }); });
    after(() => server?.stop());

    test('yearly with the trial, then back to monthly: the monthly plan shows and holds no trial', async () => {
      const { page, problems, sessionId } = await openCheckout(browser, server.url);
      await page.click(SWITCH);
      await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
      await page.click('#extend-trial');
      await page.locator('[data-testid=trial]').waitFor({ state: 'visible' });
      assert.match(await page.textContent('[data-testid=trial]'), /14-day free trial/);
      await idle(page, '#extend-trial');
      // During the trial: nothing due today, the plan after it (the
      // emulator's total and recurring.dueNext).
      assert.equal(await page.textContent(TOTAL), '$0.00');
      assert.equal(await page.textContent('.lsc-summary__total span'), 'Due today');
      assert.equal(await page.textContent('[data-testid=due-next]'), 'Then $150.00 per year after the 14-day trial');
      assert.equal(await page.textContent(STATUS),
        '14-day free trial added. Total is now $0.00 due today, then $150.00 per year after the 14-day trial');
      await page.click(SWITCH);
      await waitForAttribute(page, SWITCH, 'aria-checked', 'false');
      assert.equal(await page.textContent(TOTAL), '$15.00 per month');
      assert.equal(await page.locator('[data-testid=trial]').count(), 0, 'no trial in the summary');
      const session = await sandboxSession(server.url, await sessionId());
      assert.equal(session.line_items.data[0].price.recurring.interval, 'month');
      assert.equal(await page.textContent(ALERT), '');
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('a discount on a monthly order is refused with a message, and nothing changes', async () => {
      const { page, problems, sessionId } = await openCheckout(browser, server.url);
      await page.click(DISCOUNT);
      await waitForText(page, ALERT, 'Customer discounts apply to orders over $100.00.');
      await idle(page, DISCOUNT);
      assert.equal(await page.textContent(DISCOUNT), 'Apply Customer Discount');
      assert.equal(await page.getAttribute(DISCOUNT, 'aria-disabled'), null);
      assert.equal(await page.textContent(TOTAL), '$15.00 per month');
      const session = await sandboxSession(server.url, await sessionId());
      assert.equal(session.total_details.amount_discount, 0);
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('a server error is shown in the alert region and nothing changes; a retry succeeds', async () => {
      const { page, problems, sessionId } = await openCheckout(browser, server.url);
      // More 500s than the merchant server's two retries: its 503 "try again".
      await injectFaults(server.url, 3, 500);
      await page.click(SWITCH);
      await waitForText(page, ALERT, "We couldn't update your order just now. Please try again in a moment.");
      await idle(page, SWITCH);
      assert.equal(await page.getAttribute(SWITCH, 'aria-checked'), 'false');
      assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), null);
      assert.equal(await page.textContent(TOTAL), '$15.00 per month');
      const session = await sandboxSession(server.url, await sessionId());
      assert.equal(session.line_items.data[0].price.id, 'price_sandbox_monthly');

      await page.click(SWITCH);
      await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
      assert.equal(await page.textContent(ALERT), '');
      assert.equal(await page.textContent(TOTAL), '$150.00 per year');
      // The 503 from the merchant server is logged by Chromium as a failed resource load.
      assert.ok(problems.every((p) => p.includes('503')), problems.join('\n'));
      await page.close();
    });

    test('a declined card is shown; the test card completes the order and locks the controls', async () => {
      const { page, problems, sessionId } = await openCheckout(browser, server.url);
      await page.locator('input[name=cardnumber]').waitFor();
      await enterEmail(page);
      await page.fill('input[name=cardnumber]', '4000 0000 0000 0002');
      await page.click('#pay');
      await waitForText(page, ALERT, EN.declined);
      await idle(page, '#pay');
      assert.equal((await sandboxSession(server.url, await sessionId())).status, 'open');

      await page.fill('input[name=cardnumber]', '4242 4242 4242 4242');
      await page.click('#pay');
      await page.locator('[data-testid=paid]').waitFor({ state: 'visible' });
      assert.equal(await page.textContent('[data-testid=paid]'), 'Payment complete. Thank you!');
      // Then the merchant server's fulfilment record (webhook) is added.
      await waitForText(page, STATUS, EN.completeConfirmed);
      assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), 'true');
      assert.equal(await page.getAttribute(DISCOUNT, 'aria-disabled'), 'true');
      const session = await sandboxSession(server.url, await sessionId());
      assert.equal(session.status, 'complete');
      assert.equal(session.payment_status, 'paid');
      assert.equal(session.customer_details.email, TEST_EMAIL, 'the email the customer gave');
      const before = (await (await fetch(`${server.url}/sandbox/stats`)).json()).session_updates;
      // aria-disabled: Playwright would wait for it to be enabled; click it anyway.
      await page.$eval(SWITCH, (element) => element.click());
      await page.waitForTimeout(100);
      const afterClick = (await (await fetch(`${server.url}/sandbox/stats`)).json()).session_updates;
      assert.equal(afterClick, before, 'no update after completion');
      // The declined card's 402 is logged by Chromium as a failed resource load.
      assert.ok(problems.every((p) => p.includes('402')), problems.join('\n'));
      await page.close();
    });

    test('the plain-HTML page embeds the widget with mount()', async () => {
      const { page, problems } = await openCheckout(browser, `${server.url}/embed.html`);
      assert.equal(await page.locator('.lsc-demo h1').textContent(), 'A plain HTML checkout page');
      assert.equal(await page.textContent(TOTAL), '$15.00 per month');
      await page.click(SWITCH);
      await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
      assert.equal(await page.textContent(TOTAL), '$150.00 per year');
      await page.evaluate(() => window.checkoutWidget.unmount());
      assert.equal(await page.locator(SWITCH).count(), 0);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});

test('the embedded widget speaks French with ?locale=fr', async () => {
  const server = await startServer();
  try {
    const { page, problems } = await openCheckout(browser, `${server.url}/embed.html?locale=fr`);
    assert.equal((await page.textContent(SWITCH)).trim(), 'Économisez avec un abonnement annuel');
    assert.match(await page.textContent(TOTAL), /^15,00\s\$\s?US par mois$/);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    server.stop();
  }
});

test('mount() honours label overrides and controls, refuses bad options, and adopts the page\'s checkout', async () => {
  const server = await startServer();
  try {
    const { page, problems } = await openCheckout(browser, `${server.url}/embed.html`);
    let created = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/create-checkout-session')) created += 1;
    });
    await page.evaluate(() => window.checkoutWidget.unmount());
    assert.equal(await page.locator(SWITCH).count(), 0);

    // Label overrides and the controls list.
    await page.evaluate(async () => {
      const { mount } = await import('/leptos-stripe-checkout.js');
      window.second = mount(document.getElementById('checkout-widget'), {
        labels: { applyDiscount: 'Use my loyalty discount' },
        controls: ['discount', 'summary'],
      });
    });
    await page.locator(TOTAL).waitFor();
    assert.equal((await page.textContent(DISCOUNT)).trim(), 'Use my loyalty discount');
    assert.equal(await page.locator(SWITCH).count(), 0, 'the switch was not asked for');
    await page.evaluate(() => window.second.unmount());

    // Bad options throw a clear Error and mount nothing.
    const refusals = await page.evaluate(async () => {
      const { mount } = await import('/leptos-stripe-checkout.js');
      const element = document.getElementById('checkout-widget');
      const messages = [];
      for (const options of [5, { train: 'nope' }, { labels: { pay: 5 } }, { locale: 7 }]) {
        try {
          mount(element, options);
          messages.push('mounted');
        } catch (error) {
          messages.push(`${error instanceof Error}: ${error.message}`);
        }
      }
      return { messages, children: element.children.length };
    });
    assert.equal(refusals.children, 0);
    assert.match(refusals.messages[0], /^true: mount\(\): options must be an object$/);
    assert.match(refusals.messages[1], /^true: .*nope.*basil, clover, dahlia or endive/);
    assert.match(refusals.messages[2], /^true: mount\(\): options\.labels\.pay must be a string$/);
    assert.match(refusals.messages[3], /^true: mount\(\): options\.locale must be a string$/);

    // The page creates its own checkout (as in the seeds) and hands it over.
    const before = created;
    await page.evaluate(async () => {
      const { mount } = await import('/leptos-stripe-checkout.js');
      const config = await (await fetch('/config')).json();
      const stripe = window.Stripe(config.publishableKey, { betas: ['custom_checkout_server_updates_1'] });
      const checkout = await stripe.initCheckout({
        fetchClientSecret: async () => {
          const reply = await fetch('/create-checkout-session', { method: 'POST' });
          return (await reply.json()).clientSecret;
        },
      });
      window.pageCheckout = checkout;
      window.third = mount(document.getElementById('checkout-widget'), {
        checkout,
        controls: ['switch', 'summary'],
      });
    });
    await page.locator(TOTAL).waitFor();
    assert.equal(created, before + 1, 'the widget used the page\'s session, it created none');
    assert.equal(await page.textContent(TOTAL), '$15.00 per month');
    await page.click(SWITCH);
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    assert.equal(await page.textContent(TOTAL), '$150.00 per year');
    const pageSees = await page.evaluate(() => window.pageCheckout.session().total.total.amount);
    assert.equal(pageSees, '$150.00', 'the page\'s own checkout object follows the update');
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    server.stop();
  }
});
