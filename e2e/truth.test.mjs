// What the customer sees is what they pay (issue 18, items 1–6): after any
// failure whose outcome is uncertain, and when a tab is shown again after
// being hidden, the widget reads the session again and keeps Pay unavailable until it has;
// a paid session survives a reload; expired and vanished sessions are
// states with a way to start again. Each test pays (or tries to) and
// compares the amount on screen with the amount Stripe charged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  charged, enterEmail, launchBrowser, openCheckout, payWithTestCard, hideAndShow, sandboxSession, sandboxStats,
  setFaults, startServer, waitForAttribute, waitForText, watchConsole,
  ALERT, CARD, DISCOUNT, EN, PAY, SESSION_KEY, SWITCH, TEST_CARD, TOTAL,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The total on screen right now. */
const shown = (page) => page.textContent(TOTAL);

/** Console errors other than the network failures a test causes on purpose. */
function unexpected(problems, allowed) {
  return problems.filter((problem) => !allowed.some((pattern) => pattern.test(problem)));
}

test('1. offline when Stripe.js refreshes: re-read when back online; Pay charges what is shown', async () => {
  const server = await startServer();
  const context = await browser.newContext();
  try {
    const { page, problems, sessionId } = await openCheckout(context, server.url);
    await enterEmail(page);
    // The interval change reaches the server; then the network drops, so
    // Stripe.js's refresh of the session fails.
    await page.route('**/change-subscription-interval', async (route) => {
      const response = await route.fetch();
      await context.setOffline(true);
      await route.fulfill({ response });
    }, { times: 1 });
    await page.click(SWITCH);
    await waitForText(page, ALERT, EN.syncFailed);
    assert.equal(await page.getAttribute(PAY, 'aria-disabled'), 'true', 'Pay waits while offline');
    assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), 'true');
    assert.equal((await sandboxSession(server.url, await sessionId())).line_items.data[0].price.id,
      'price_sandbox_yearly', 'the change reached Stripe');

    await context.setOffline(false);
    await waitForText(page, TOTAL, '$150.00 per year');
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-disabled'), PAY);
    assert.equal(await page.textContent(ALERT), '');

    const onScreen = await shown(page);
    await payWithTestCard(page);
    assert.equal(await charged(server.url, await sessionId()), onScreen);
    assert.equal(onScreen, '$150.00 per year');
    assert.deepEqual(unexpected(problems, [/ERR_INTERNET_DISCONNECTED/]), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('2. Stripe.js times out, the update lands later: the page waits for it, then shows and charges it', async () => {
  // Scaled down 10×: the stand-in's runServerUpdate gives up after 2 s (Stripe.js:
  // 20 s) and Stripe answers the merchant after 3 s (the issue: 22 s); the
  // merchant waits up to 30 s for Stripe.
  const server = await startServer({ STRIPE_TIMEOUT_MS: '30000', SANDBOX_UPDATE_TIMEOUT_MS: '2000' });
  try {
    const { page, problems, sessionId } = await openCheckout(browser, server.url);
    await enterEmail(page);
    await setFaults(server.url, { delay_next: 1, delay_ms: 3000 });
    const started = Date.now();
    await page.click(SWITCH);
    await waitForText(page, ALERT, EN.updateSlow);
    assert.ok(Date.now() - started >= 1900, 'after the stand-in gave up');
    assert.equal(await shown(page), '$15.00 per month');
    assert.equal(await page.getAttribute(PAY, 'aria-disabled'), 'true', 'no Pay while the outcome is unknown');

    await waitForText(page, TOTAL, '$150.00 per year');
    await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-disabled'), PAY);
    assert.equal(await page.textContent(ALERT), '');
    assert.equal(await page.getAttribute(SWITCH, 'aria-checked'), 'true');

    const onScreen = await shown(page);
    await payWithTestCard(page);
    assert.equal(await charged(server.url, await sessionId()), onScreen);
    assert.deepEqual(problems, []);
  } finally {
    await server.stop();
  }
});

test('3. two tabs on one session: a tab shown again re-reads, and Pay never charges what another tab changed', async () => {
  const server = await startServer();
  const context = await browser.newContext();
  try {
    const a = await openCheckout(context, server.url);
    // Tab B is a duplicate of tab A (the browser copies sessionStorage).
    const b = await context.newPage();
    const problemsB = watchConsole(b).problems;
    await b.addInitScript(([key, secret]) => sessionStorage.setItem(key, secret), [SESSION_KEY, await a.secret()]);
    let created = 0;
    b.on('request', (request) => { if (request.url().endsWith('/create-checkout-session')) created += 1; });
    await b.goto(server.url);
    await b.locator(TOTAL).waitFor();
    assert.equal(created, 0, 'tab B shows tab A\'s session');
    // The customer gives the email in B before anything else happens.
    await enterEmail(b);

    // B: yearly with the discount.
    await b.click(SWITCH);
    await waitForAttribute(b, SWITCH, 'aria-checked', 'true');
    await b.click(DISCOUNT);
    await waitForText(b, TOTAL, '$135.00 per year');

    // The customer goes back to tab A (hidden, then shown): it reads the session again.
    await hideAndShow(a.page);
    await waitForText(a.page, TOTAL, '$135.00 per year');
    await waitForText(a.page, DISCOUNT, 'Discount Applied!');

    // A goes back to monthly; B still shows $135.00 per year.
    await a.page.click(SWITCH);
    await waitForAttribute(a.page, SWITCH, 'aria-checked', 'false');
    await waitForText(a.page, TOTAL, '$15.00 per month');

    // The customer pays in B.
    await b.fill(CARD, TEST_CARD);
    await b.$eval(PAY, (button) => button.click());
    await b.waitForFunction(
      ([total, alert, paid]) => document.querySelector(total).textContent === '$15.00 per month'
        && (document.querySelector(alert).textContent.startsWith('Your order changed')
          || !document.querySelector(paid).hidden),
      [TOTAL, ALERT, '[data-testid=paid]'],
    );
    if (await b.locator('[data-testid=paid]').isHidden()) {
      // B showed the new total instead of charging; nothing was charged.
      assert.match(await b.textContent(ALERT), /\$15\.00 per month/);
      assert.equal((await sandboxSession(server.url, await a.sessionId())).status, 'open');
      await b.click(PAY);
      await b.locator('[data-testid=paid]').waitFor({ state: 'visible' });
    }
    const onScreen = await shown(b);
    assert.equal(onScreen, '$15.00 per month');
    assert.equal(await charged(server.url, await a.sessionId()), onScreen);
    assert.deepEqual(a.problems, []);
    assert.deepEqual(problemsB, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('4. after paying, a reload shows the paid order and offers no second payment', async () => {
  const server = await startServer();
  try {
    const { page, problems, sessionId } = await openCheckout(browser, server.url);
    await page.click(SWITCH);
    await waitForText(page, TOTAL, '$150.00 per year');
    const onScreen = await shown(page);
    await payWithTestCard(page);
    assert.equal(await charged(server.url, await sessionId()), onScreen);
    const before = await sandboxStats(server.url);

    await page.reload();
    await page.locator('[data-testid=paid]').waitFor({ state: 'visible' });
    assert.equal(await page.textContent('[data-testid=paid]'), EN.paid);
    await waitForText(page, '[role=status]', EN.completeConfirmed);
    assert.equal(await shown(page), onScreen, 'the paid order, not a new one');
    assert.ok(await page.locator(PAY).isHidden(), 'no Pay button');
    assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), 'true');
    const afterReload = await sandboxStats(server.url);
    const creates = (stats) => stats.merchant_requests['/create-checkout-session'] || 0;
    assert.equal(creates(afterReload), creates(before), 'no second session was created');
    assert.deepEqual(problems, []);
  } finally {
    await server.stop();
  }
});

test('5. an expired session: one message, every control disabled, and Start a new checkout works', async () => {
  const server = await startServer({ SANDBOX_SESSION_TTL_SECS: '3' });
  try {
    const { page, problems, sessionId } = await openCheckout(browser, server.url);
    const first = await sessionId();
    await page.waitForTimeout(3300);
    await page.click(SWITCH);
    await waitForText(page, ALERT, EN.expired);
    for (const control of [SWITCH, DISCOUNT, PAY]) {
      assert.equal(await page.getAttribute(control, 'aria-disabled'), 'true', control);
    }
    const startOver = page.getByRole('button', { name: EN.startOver });
    assert.ok(await startOver.isVisible());
    await startOver.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((s) => document.querySelector(s).textContent === '', ALERT);
    await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-disabled'), SWITCH);
    assert.notEqual(await sessionId(), first, 'a new session');
    assert.equal(await shown(page), '$15.00 per month');
    assert.notEqual(await page.evaluate(() => document.activeElement.tagName), 'BODY');
    await page.click(SWITCH);
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    assert.deepEqual(unexpected(problems, [/status of 400/]), []);
  } finally {
    await server.stop();
  }
});

test('6. the server restarts: no dead-end retries, no Stripe ids on screen, a way to start again', async () => {
  let server = await startServer();
  const { port } = server;
  try {
    const { page, problems } = await openCheckout(browser, server.url);
    await enterEmail(page);
    await server.kill();

    // While it is down, Pay reads the order first: it says it cannot reach
    // it (not that the form could not load), charges nothing, and every
    // control waits.
    await page.fill(CARD, TEST_CARD);
    await page.click(PAY);
    await waitForText(page, ALERT, EN.syncFailed);
    assert.equal(await page.getAttribute(PAY, 'aria-disabled'), 'true');
    assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), 'true');

    // It comes back without the session (the emulator keeps sessions in memory).
    server = await startServer({ PORT: port });
    await hideAndShow(page);
    await waitForText(page, ALERT, EN.gone);
    for (const control of [SWITCH, DISCOUNT, PAY]) {
      assert.equal(await page.getAttribute(control, 'aria-disabled'), 'true', control);
    }
    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(!/cs_test_|payment_page|No such/.test(text), text);

    await page.getByRole('button', { name: EN.startOver }).click();
    await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-disabled'), SWITCH);
    assert.equal(await page.textContent(ALERT), '');
    await page.click(SWITCH);
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    // Killed, the server also cuts what the browser was still loading from
    // it (the favicon, fetched after the page): reset or truncated loads.
    assert.deepEqual(unexpected(problems, [
      /ERR_CONNECTION_REFUSED|status of 404/,
      /Failed to load resource: net::ERR_(CONNECTION_RESET|CONTENT_LENGTH_MISMATCH|EMPTY_RESPONSE)/,
    ]), []);
  } finally {
    await server.stop();
  }
});
