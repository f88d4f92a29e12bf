// The page in a real browser (headless Chromium): the widget's npm package
// served from WIDGET_DIR, Stripe.js's stand-in proxied from the emulator,
// under checkout-server's Content-Security-Policy: monthly → yearly, the
// customer discount, then a payment fulfilled through the webhook.
//
// Needs what scripts/test.sh has by then: the package (scripts/npm-package.sh,
// or WIDGET_DIR), playwright-core (e2e/node_modules, or PLAYWRIGHT_CORE) and
// Chromium (CHROMIUM, default /usr/bin/chromium); skipped without them.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { eventually, journal, nodeServerEmulator, root, sandbox } from './harness.mjs';

const widgetDir = process.env.WIDGET_DIR || `${root}target/npm/leptos-stripe-checkout`;
const playwrightPath = process.env.PLAYWRIGHT_CORE || `${root}e2e/node_modules/playwright-core`;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const missing = [
  [`${widgetDir}/leptos_stripe_checkout.js`, 'the widget package (scripts/npm-package.sh)'],
  [playwrightPath, 'playwright-core (npm ci --prefix e2e)'],
  [chromiumPath, 'Chromium'],
].filter(([path]) => !existsSync(path)).map(([, what]) => what);
const skip = missing.length ? `missing: ${missing.join(', ')}` : false;

const SWITCH = '#change-subscription-interval';
const DISCOUNT = '#apply-customer-discount';
const TOTAL = '[data-testid=total]';

let sb;
let node;
let browser;

before(async () => {
  if (skip) return;
  const { chromium } = createRequire(import.meta.url)(playwrightPath);
  sb = await sandbox();
  node = await nodeServerEmulator(sb.url, { WIDGET_DIR: widgetDir });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  await node?.stop();
  await sb?.stop();
});

const waitForText = (page, selector, text) => page.waitForFunction(
  ([s, t]) => document.querySelector(s)?.textContent === t, [selector, text], { timeout: 20000 },
);

test('the widget on the Node server: switch, discount (heard by the page), pay → fulfilled', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 720, height: 900 } });
  try {
    await flow(page);
  } catch (e) {
    // What the page showed and the server said, for a failure seen once.
    const text = await page.evaluate(() => document.body.innerText).catch(() => '(no page)');
    e.message += `\n--- page text:\n${text}\n--- node-server stderr:\n${node.stderr().slice(-4000)}`;
    throw e;
  } finally {
    await page.close();
  }
});

async function flow(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  const response = await page.goto(node.url);
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  await page.locator(TOTAL).waitFor({ timeout: 30000 });
  await waitForText(page, TOTAL, '$15.00 per month');
  await page.click(SWITCH);
  await waitForText(page, TOTAL, '$150.00 per year');
  await page.click(DISCOUNT);
  await waitForText(page, DISCOUNT, 'Discount Applied!');
  await waitForText(page, TOTAL, '$135.00 per year');
  // The page heard each total it showed (the widget's lsc-* events).
  await page.waitForFunction(() => document.querySelectorAll('#heard li').length >= 3);
  assert.deepEqual(await page.locator('#heard li').allTextContents(), [
    'lsc-ready: $15.00 per month (1500 usd)',
    'lsc-change: $150.00 per year (15000 usd)',
    'lsc-change: $135.00 per year (13500 usd)',
  ]);
  const secret = await page.evaluate(() => Object.values(sessionStorage).find((v) => typeof v === 'string' && v.includes('_secret_')) ?? null);
  assert.deepEqual(problems, []);
  // Pay the session the page holds (the stand-in's confirm route, as its card form does).
  assert.ok(secret, 'the page keeps its session\'s client secret in sessionStorage');
  const id = secret.match(/cs_test_[A-Za-z0-9]+/)[0];
  {
    const form = new URLSearchParams({ key: 'pk_test_sandbox', client_secret: secret.match(/cs_test_[A-Za-z0-9]+_secret_[A-Za-z0-9]+/)[0], 'payment_method[card][number]': '4242424242424242', email: 'page@example.com' });
    assert.equal((await fetch(`${node.url}/v1/payment_pages/${id}/confirm`, { method: 'POST', body: form })).status, 200);
    const [order] = await eventually(() => journal(node.journal).filter((l) => l.session_id === id && l.kind === 'order').length
      && journal(node.journal).filter((l) => l.session_id === id && l.kind === 'order'), 'fulfilled');
    assert.equal(order.amount_total, 13500);
  }
}
