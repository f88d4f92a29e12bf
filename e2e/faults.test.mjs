// Faults and rapid input, end to end (issue 5): the widget shows a clear
// message, no control stays stuck, the display matches the session on the
// server, and a retry succeeds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  injectFaults, launchBrowser, openCheckout, sandboxSession, startServer, waitForAttribute, waitForText,
  SWITCH, DISCOUNT, TOTAL, ALERT, EN,
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

async function idle(page) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy=true]'));
}

async function stats() {
  return (await fetch(`${server.url}/sandbox/stats`)).json();
}

/** The display equals the session on the server. */
async function assertMatchesServer(page, id) {
  const session = await sandboxSession(server.url, id);
  const yearly = session.line_items.data[0].price.id === 'price_sandbox_yearly';
  assert.equal(await page.getAttribute(SWITCH, 'aria-checked'), String(yearly));
  // One name in both states (WAI-ARIA switch pattern).
  assert.equal((await page.textContent(SWITCH)).trim(), 'Save with a yearly subscription');
  const total = (session.amount_total / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
  assert.equal(await page.textContent(TOTAL), `${total} per ${yearly ? 'year' : 'month'}`);
  const discounted = session.total_details.amount_discount > 0;
  assert.equal(
    await page.textContent(DISCOUNT),
    discounted ? 'Discount Applied!' : 'Apply Customer Discount',
  );
}

test('merchant server unreachable: a clear message, nothing stuck, a retry succeeds', async () => {
  const { page, problems, sessionId } = await openCheckout(browser, server.url);
  await page.route('**/change-subscription-interval', (route) => route.abort('connectionrefused'), { times: 1 });
  await page.click(SWITCH);
  await waitForText(page, ALERT, "We couldn't reach the server. Check your connection and try again.");
  await idle(page);
  assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), null);
  await assertMatchesServer(page, await sessionId());
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  assert.equal(await page.textContent(ALERT), '');
  await assertMatchesServer(page, await sessionId());
  assert.ok(problems.every((p) => p.includes('ERR_CONNECTION_REFUSED')), problems.join('\n'));
  await page.close();
});

test('Stripe answering 400 and 503 (past the server\'s retries): a refusal, a "try again", nothing changes, a retry succeeds', async () => {
  const { page, problems, sessionId } = await openCheckout(browser, server.url);
  await injectFaults(server.url, 1, 400);
  await page.click(SWITCH);
  await waitForText(page, ALERT, "We couldn't process your request. Please try again later.");
  await idle(page);
  await assertMatchesServer(page, await sessionId());
  // One 503 is retried by the merchant server; more than its two retries
  // reach the customer as its own 503 "try again".
  await injectFaults(server.url, 3, 503);
  await page.click(SWITCH);
  await waitForText(page, ALERT, "We couldn't update your order just now. Please try again in a moment.");
  await idle(page);
  await assertMatchesServer(page, await sessionId());
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  await assertMatchesServer(page, await sessionId());
  assert.ok(problems.every((p) => /status of (400|503)/.test(p)), problems.join('\n'));
  await page.close();
});

test('a slow network: the control is busy meanwhile, one request, then the new state', async () => {
  const { page, problems, sessionId } = await openCheckout(browser, server.url);
  let posts = 0;
  await page.route('**/change-subscription-interval', async (route) => {
    posts += 1;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await route.continue();
  });
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-busy', 'true');
  assert.equal(await page.getAttribute(DISCOUNT, 'aria-disabled'), 'true');
  await page.$eval(SWITCH, (element) => element.click());
  await page.$eval(DISCOUNT, (element) => element.click());
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  await idle(page);
  assert.equal(posts, 1);
  await assertMatchesServer(page, await sessionId());
  assert.deepEqual(problems, []);
  await page.close();
});

test('Stripe.js failing to load: a clear message and Try again', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.route('**/sandbox/*/stripe.js', (route) => route.abort('failed'), { times: 1 });
  await page.goto(server.url);
  await waitForText(page, ALERT, 'The payment form could not be loaded. Please try again.');
  assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), 'true');
  await page.click('.lsc-status__retry');
  await page.locator(TOTAL).waitFor();
  assert.equal(await page.textContent(ALERT), '');
  assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), null);
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  assert.deepEqual(problems, []);
  await page.close();
});

test('runServerUpdate timing out, then the request failing: the page waits for it, says so, and a retry succeeds', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  let sessionId = null;
  page.on('response', async (response) => {
    if (response.url().endsWith('/create-checkout-session')) {
      sessionId = (await response.json()).clientSecret.split('_secret_')[0];
    }
  });
  // A stand-in with an 800 ms budget instead of Stripe's 20 s.
  await page.route('**/config', async (route) => {
    const response = await route.fetch();
    const config = await response.json();
    config.stripeJsUrl = `${config.stripeJsUrl.split('?')[0]}?update_timeout_ms=800`;
    await route.fulfill({ response, json: config });
  });
  await page.goto(server.url);
  await page.locator(TOTAL).waitFor();
  await page.route('**/change-subscription-interval', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.abort('timedout');
  }, { times: 1 });
  await page.click(SWITCH);
  // Stripe.js gave up; the request still runs: nothing is usable meanwhile.
  await waitForText(page, ALERT, EN.updateSlow);
  assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), 'true');
  assert.equal(await page.getAttribute('#pay', 'aria-disabled'), 'true');
  // The request fails (it never reached the server): the page re-reads and says so.
  await waitForText(page, ALERT, "We couldn't reach the server. Check your connection and try again.");
  await idle(page);
  assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), null);
  await assertMatchesServer(page, sessionId);
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  await assertMatchesServer(page, sessionId);
  assert.deepEqual(problems, []);
  await page.close();
});

test('50 rapid clicks, interleaved with the discount: one update at a time, none lost or doubled', async () => {
  const { page, problems, sessionId } = await openCheckout(browser, server.url);
  const sent = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const merchant = /\/(change-subscription-interval|apply-customer-discount)$/;
  page.on('request', (request) => {
    if (request.method() === 'POST' && merchant.test(request.url())) {
      sent.push(new URL(request.url()).pathname);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
    }
  });
  const settled = (request) => {
    if (request.method() === 'POST' && merchant.test(request.url())) inFlight -= 1;
  };
  page.on('requestfinished', settled);
  page.on('requestfailed', settled);
  const before = await stats();
  for (let i = 0; i < 50; i += 1) {
    await page.$eval(i % 5 === 4 ? DISCOUNT : SWITCH, (element) => element.click());
    await page.waitForTimeout(i % 3 === 0 ? 0 : 15);
  }
  await idle(page);
  await page.waitForTimeout(200);
  await idle(page);
  const afterStats = await stats();
  assert.equal(maxInFlight, 1, 'one update in flight at a time');
  assert.ok(sent.length >= 5, `some clicks went through (${sent.length})`);
  const switches = sent.filter((path) => path === '/change-subscription-interval').length;
  const discounts = sent.length - switches;
  // The server received exactly what the page sent: none lost, none doubled.
  const received = (path) => (afterStats.merchant_requests[path] || 0) - (before.merchant_requests[path] || 0);
  assert.equal(received('/change-subscription-interval'), switches);
  assert.equal(received('/apply-customer-discount'), discounts);
  // Every switch POST is exactly one session update on Stripe's side; a
  // discount POST is one when it applied (at most once per yearly period).
  const updates = afterStats.session_updates - before.session_updates;
  assert.ok(updates >= switches && updates <= switches + discounts,
    `updates ${updates}, switch POSTs ${switches}, discount POSTs ${discounts}`);
  await assertMatchesServer(page, await sessionId());
  console.log(`rapid: 50 clicks, ${sent.length} POSTs (${switches} switch, ${discounts} discount), ${updates} session updates`);
  assert.deepEqual(problems, []);
  await page.close();
});
