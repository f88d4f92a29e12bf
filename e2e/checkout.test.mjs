// End to end: the release build served by checkout-server in sandbox mode,
// driven in headless Chromium, as a customer would use it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  artifacts, injectFaults, launchBrowser, openCheckout, sandboxSession, startServer,
  waitForAttribute, waitForText,
} from './harness.mjs';

const SWITCH = '#change-subscription-interval';
const DISCOUNT = '#apply-customer-discount';
const TOTAL = '[data-testid=total]';
const ALERT = '[role=alert]';

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

test('the page loads a monthly subscription', async () => {
  const { page, problems } = await openCheckout(browser, server.url);
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
  assert.equal((await page.textContent(SWITCH)).trim(), 'Use monthly subscription');
  assert.equal(await page.textContent(TOTAL), '$150.00 per year');
  let session = await sandboxSession(server.url, sessionId());
  assert.equal(session.line_items.data[0].price.id, 'price_sandbox_yearly');
  assert.equal(session.amount_total, 15000);

  await page.click(DISCOUNT);
  await waitForText(page, DISCOUNT, 'Discount Applied!');
  assert.equal(await page.getAttribute(DISCOUNT, 'aria-disabled'), 'true');
  assert.equal(await page.textContent(TOTAL), '$135.00 per year');
  assert.match(await page.textContent('[data-testid=discount]'), /Customer Discount.*\$15\.00/);
  session = await sandboxSession(server.url, sessionId());
  assert.equal(session.amount_total, 13500);
  assert.equal(session.total_details.amount_discount, 1500);
  assert.equal(await page.textContent(ALERT), '');
  await page.screenshot({ path: `${artifacts}/checkout.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a discount on a monthly order is refused with a message, and nothing changes', async () => {
  const { page, problems, sessionId } = await openCheckout(browser, server.url);
  await page.click(DISCOUNT);
  await waitForText(page, ALERT, 'Customer discounts apply to orders over $100.00.');
  await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-busy'), DISCOUNT);
  assert.equal(await page.textContent(DISCOUNT), 'Apply Customer Discount');
  assert.equal(await page.getAttribute(DISCOUNT, 'aria-disabled'), null);
  assert.equal(await page.textContent(TOTAL), '$15.00 per month');
  const session = await sandboxSession(server.url, sessionId());
  assert.equal(session.total_details.amount_discount, 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a server error is shown in the alert region and nothing changes; a retry succeeds', async () => {
  const { page, problems, sessionId } = await openCheckout(browser, server.url);
  await injectFaults(server.url, 1, 500);
  await page.click(SWITCH);
  await waitForText(page, ALERT, 'Something went wrong on our end. Please try again later.');
  await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-busy'), SWITCH);
  assert.equal(await page.getAttribute(SWITCH, 'aria-checked'), 'false');
  assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), null);
  assert.equal(await page.textContent(TOTAL), '$15.00 per month');
  const session = await sandboxSession(server.url, sessionId());
  assert.equal(session.line_items.data[0].price.id, 'price_sandbox_monthly');

  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  assert.equal(await page.textContent(ALERT), '');
  assert.equal(await page.textContent(TOTAL), '$150.00 per year');
  // The 500 from the merchant server is logged by Chromium as a failed resource load.
  assert.ok(problems.every((p) => p.includes('500')), problems.join('\n'));
  await page.close();
});
