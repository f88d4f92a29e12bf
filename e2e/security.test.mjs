// Security of the page as served by checkout-server: the strict CSP holds
// (no violation while the customer switches, applies the discount, gives
// the email and pays), the
// page's own origin may POST, a foreign Origin is refused with 403 JSON.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openCheckout, payWithTestCard, sandboxSession, sandboxStats, startServer, waitForAttribute,
  waitForText, SWITCH, DISCOUNT, TOTAL,
} from './harness.mjs';

// Stripe's security guide, Stripe.js tab (research notes, section 8).
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://js.stripe.com https://*.js.stripe.com; "
  + "frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com; connect-src 'self' https://api.stripe.com";

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test('the page runs under the strict CSP with no violation', async () => {
  const page = await browser.newPage();
  const violations = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await page.goto(server.url);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-security-policy'], CSP);
  assert.ok(!CSP.includes("'unsafe-inline'") && !CSP.includes("'unsafe-eval'"), 'no unsafe-inline, no unsafe-eval');
  assert.equal(response.headers()['x-content-type-options'], 'nosniff');
  assert.equal(response.headers()['referrer-policy'], 'same-origin');
  const html = await response.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'index.html has an inline script');
  assert.match(html, /<script type="module" src="\/init.js"><\/script>/);

  await page.locator(TOTAL).waitFor({ timeout: 20000 });
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  await page.click(DISCOUNT);
  await waitForText(page, DISCOUNT, 'Discount Applied!');
  assert.equal(await page.textContent(TOTAL), '$135.00 per year');
  // The email step and the payment run under it too.
  await payWithTestCard(page);
  violations.push(...await page.evaluate(() => window.__cspViolations));
  assert.deepEqual(violations, []);
  await page.close();
});

test('the page\'s own origin may POST; a foreign Origin gets 403 JSON', async () => {
  const { page, problems, sessionId } = await openCheckout(browser, server.url);
  const before = await sandboxStats(server.url);
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  const afterSwitch = await sandboxStats(server.url);
  assert.equal(
    afterSwitch.merchant_requests['/change-subscription-interval'] ?? 0,
    (before.merchant_requests['/change-subscription-interval'] ?? 0) + 1,
  );
  // A POST from the page itself (same origin, Origin header sent by Chromium).
  const fromPage = await page.evaluate(async (id) => {
    const r = await fetch('/change-subscription-interval', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ checkout_session_id: id, interval: 'monthly' }),
    });
    return { status: r.status, body: await r.json() };
  }, await sessionId());
  assert.deepEqual(fromPage, { status: 200, body: { type: 'success' } });

  const foreign = await fetch(`${server.url}/change-subscription-interval`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
    body: JSON.stringify({ checkout_session_id: await sessionId(), interval: 'yearly' }),
  });
  assert.equal(foreign.status, 403);
  assert.match(foreign.headers.get('content-type'), /application\/json/);
  const answer = await foreign.json();
  assert.equal(answer.type, 'error');
  assert.equal(typeof answer.message, 'string');
  const session = await sandboxSession(server.url, await sessionId());
  assert.equal(session.line_items.data[0].price.id, 'price_sandbox_monthly');
  assert.deepEqual(problems, []);
  await page.close();
});
