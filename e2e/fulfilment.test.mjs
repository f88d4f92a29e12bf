// The fulfilment loop in the browser: pay with the test card → the emulator
// creates checkout.session.completed and posts it, signed, to the merchant's
// /webhook → the merchant retrieves the session, sees it paid and fulfils
// the order → the page asks the server (/order-status) and shows "Order
// confirmed". Without the event, the customer's return fulfils it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { enterEmail, startServer, launchBrowser, openCheckout, sandboxStats, waitForText, SANDBOX_KEY, STATUS, EN } from './harness.mjs';

const CONFIRMATION = '[data-testid=order-confirmation]';

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

async function pay(page) {
  await page.locator('input[name=cardnumber]').waitFor();
  await enterEmail(page);
  await page.fill('input[name=cardnumber]', '4242 4242 4242 4242');
  await page.click('#pay');
  await page.locator('[data-testid=paid]').waitFor({ state: 'visible' });
}

async function orderStatus(id) {
  const response = await fetch(`${server.url}/order-status`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ checkout_session_id: id }),
  });
  assert.equal(response.status, 200);
  return response.json();
}

async function api(method, path, form) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${SANDBOX_KEY}` },
    body: form ? new URLSearchParams(form) : undefined,
  });
  assert.equal(response.status, 200, `${method} ${path}`);
  return response.json();
}

test('pay → checkout.session.completed → /webhook → fulfilment → "Order confirmed"', async () => {
  const before = await sandboxStats(server.url);
  const { page, problems, sessionId } = await openCheckout(browser, server.url);
  assert.equal(await page.textContent(CONFIRMATION), '', 'nothing to confirm before paying');
  await pay(page);
  await page.waitForFunction(
    (s) => document.querySelector(s)?.textContent === 'Order confirmed',
    CONFIRMATION,
    { timeout: 15000 },
  );
  // Said in the checkout's one polite status region, after the completion.
  await waitForText(page, STATUS, EN.completeConfirmed);
  // The server's record, from the event, is what the page showed.
  assert.deepEqual(await orderStatus(await sessionId()), { status: 'fulfilled', amountTotal: 1500, currency: 'usd' });
  // The emulator delivers the event on its own task (the page's return may
  // have fulfilled the order first): wait for the delivery, up to 10 s.
  let stats = await sandboxStats(server.url);
  for (let i = 0; i < 200 && stats.webhooks.deliveries_succeeded === (before.webhooks?.deliveries_succeeded ?? 0); i += 1) {
    await new Promise((r) => setTimeout(r, 50));
    stats = await sandboxStats(server.url);
  }
  assert.equal(stats.webhooks.deliveries_succeeded - (before.webhooks?.deliveries_succeeded ?? 0), 1);
  assert.equal(stats.merchant_requests['/webhook'] - (before.merchant_requests?.['/webhook'] ?? 0), 1);
  assert.ok(stats.merchant_requests['/order-status'] >= 1);
  const events = await api('GET', '/v1/events?type=checkout.session.completed&limit=1');
  assert.equal(events.data[0].data.object.id, await sessionId());
  assert.equal(events.data[0].pending_webhooks, 0, 'delivered');
  assert.deepEqual(problems, []);
  await page.close();
});

test('without the event, the customer\'s return fulfils the paid order once, from Stripe\'s session', async () => {
  const endpoints = await api('GET', '/v1/webhook_endpoints');
  const merchant = endpoints.data.find((e) => e.url === `${server.url}/webhook`);
  assert.ok(merchant, 'the server registered its own /webhook at start-up');
  await api('POST', `/v1/webhook_endpoints/${merchant.id}`, { disabled: 'true' });
  try {
    const before = await sandboxStats(server.url);
    const { page, problems, sessionId } = await openCheckout(browser, server.url);
    await pay(page);
    // No event reaches the merchant: /order-status retrieves the session,
    // sees it paid, and fulfils it (Stripe's guide: webhooks can be late).
    await page.waitForFunction(
      (s) => document.querySelector(s)?.textContent === 'Order confirmed',
      CONFIRMATION,
      { timeout: 15000 },
    );
    assert.deepEqual(await orderStatus(await sessionId()), { status: 'fulfilled', amountTotal: 1500, currency: 'usd' });
    const stats = await sandboxStats(server.url);
    assert.equal((stats.merchant_requests['/webhook'] ?? 0) - (before.merchant_requests?.['/webhook'] ?? 0), 0);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await api('POST', `/v1/webhook_endpoints/${merchant.id}`, { disabled: 'false' });
  }
});

test('the return page (RETURN_URL\'s default) says what the server fulfilled', async () => {
  const created = await fetch(`${server.url}/create-checkout-session`, { method: 'POST' }).then((r) => r.json());
  const unpaid = created.clientSecret.split('_secret_')[0];
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  await page.goto(`${server.url}/return.html?session_id=${unpaid}`);
  await page.getByRole('status').filter({ hasText: 'Your payment is being processed…' }).waitFor();
  // Paid (through the stand-in's confirm, as the page would): confirmed, with the amount.
  await fetch(`${server.url}/v1/payment_pages/${unpaid}/confirm`, {
    method: 'POST',
    body: new URLSearchParams({
      key: 'pk_test_sandbox', client_secret: created.clientSecret,
      'payment_method[card][number]': '4242424242424242', email: 'buyer@example.com',
    }),
  });
  await page.goto(`${server.url}/return.html?session_id=${unpaid}`);
  await page.getByRole('status').filter({ hasText: 'Order confirmed. $15.00 paid. Thank you!' }).waitFor();
  await page.goto(`${server.url}/return.html?session_id=nope`);
  await page.getByRole('status').filter({ hasText: 'We could not find this order.' }).waitFor();
  assert.deepEqual(problems.filter((p) => !p.includes('400')), []);
  await page.close();
});
