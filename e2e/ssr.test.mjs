// The SSR + hydration example (examples/ssr, built by scripts/ssr-example.sh):
// axum renders the checkout page with the widget (Leptos ssr), the browser
// hydrates it (a debug build, which names any hydration mismatch in the
// console). The server's HTML already holds the switch and the summary's
// shell; hydration reports nothing; the guides' two flows then work.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, root, startServer, waitForAttribute, waitForText,
  DISCOUNT, STATUS, SWITCH, TOTAL,
} from './harness.mjs';

const bin = process.env.E2E_SSR_SERVER || `${root}target/debug/checkout-ssr-example`;
const site = process.env.E2E_SSR_SITE || `${root}target/ssr-site`;

let server;
let browser;

before(async () => {
  server = await startServer({ SSR_SITE_DIR: site }, { bin });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the server renders the switch and the summary shell before any script runs', async () => {
  const response = await fetch(server.url);
  assert.equal(response.status, 200);
  assert.ok(response.headers.get('content-security-policy').includes("script-src 'self'"), 'the server\'s CSP');
  const html = await response.text();
  // The seeds' switch, by its id, as a switch, off (monthly) until the session says otherwise.
  assert.match(html, /<button[^>]*id="change-subscription-interval"[^>]*role="switch"|<button[^>]*role="switch"[^>]*id="change-subscription-interval"/);
  assert.ok(html.includes('aria-checked="false"'), 'off (monthly) until the session says otherwise');
  assert.match(html, /id="apply-customer-discount"/);
  assert.match(html, /<section aria-labelledby="lsc-summary-title" class="lsc-summary">/, 'the summary shell');
  assert.match(html, /Loading your order…/);
  assert.match(html, /role="status"/, 'the live regions are in the first HTML');
  assert.doesNotMatch(html, /<script>(?!<\/script>)/, 'no inline script');
  const css = await fetch(`${server.url}/checkout.css`);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /text\/css/);
  assert.match(await css.text(), /\.lsc-checkout/);
});

test('hydration reports no mismatch; both guides flows work after it', async () => {
  const page = await browser.newPage();
  const console = [];
  page.on('console', (message) => {
    if (['error', 'warning'].includes(message.type())) console.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => console.push(`uncaught: ${error.message}`));
  await page.goto(server.url);
  // The server's switch is the one that becomes interactive: hydrated, not replaced.
  await page.evaluate((s) => { window.__ssrSwitch = document.querySelector(s); }, SWITCH);
  await page.locator(TOTAL).waitFor();
  await waitForText(page, TOTAL, '$15.00 per month');
  assert.equal(await page.locator(SWITCH).count(), 1, 'one switch, not a second one beside it');
  assert.ok(await page.evaluate((s) => window.__ssrSwitch === document.querySelector(s), SWITCH),
    'the server-rendered switch element was kept');

  // Seed flow 1: monthly → yearly.
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  await waitForText(page, TOTAL, '$150.00 per year');
  await waitForText(page, STATUS, 'Total is now $150.00 per year');

  // Seed flow 2: the customer discount.
  await page.click(DISCOUNT);
  await waitForText(page, DISCOUNT, 'Discount Applied!');
  await waitForText(page, TOTAL, '$135.00 per year');

  assert.deepEqual(console.filter((line) => /hydrat|mismatch|panicked|error/i.test(line)), []);
  assert.deepEqual(console, []);
  await page.close();
});
