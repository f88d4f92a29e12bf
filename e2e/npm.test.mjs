// The npm package on a page that is not a Leptos app (issue 15): examples/npm/
// imports the packed package, esbuild bundles it (scripts/npm-package.sh,
// into target/npm-example-dist), and checkout-server serves it with its
// strict Content-Security-Policy. Both of the guides' flows work on it, and
// nothing goes to the console.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  launchBrowser, root, startServer, waitForAttribute, waitForText, watchConsole,
  DISCOUNT, SWITCH, TOTAL,
} from './harness.mjs';

const dist = process.env.E2E_NPM_DIST || `${root}target/npm-example-dist`;
let browser;
let server;
before(async () => {
  assert.ok(existsSync(`${dist}/index.html`), `${dist} is missing: run scripts/npm-package.sh`);
  browser = await launchBrowser();
  server = await startServer({ STATIC_DIR: dist });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the bundled npm package: monthly → yearly, then the discount, under the strict CSP', async () => {
  const page = await browser.newPage({ viewport: { width: 720, height: 720 } });
  const { problems, warnings } = watchConsole(page);
  const response = await page.goto(server.url);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
  await page.locator(TOTAL).waitFor({ timeout: 20000 });

  // The wasm came from the bundle's hashed copy (esbuild's file loader).
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname).filter((path) => path.endsWith('.wasm')));
  assert.equal(wasm.length, 1, `one wasm fetched: ${wasm}`);
  assert.match(wasm[0], /^\/leptos_stripe_checkout_bg-[A-Z0-9]+\.wasm$/);
  // The package's stylesheet is in the bundle's main.css and styles the widget.
  const accent = await page.evaluate(() => getComputedStyle(document.querySelector('.lsc-checkout'))
    .getPropertyValue('--lsc-accent').trim());
  assert.notEqual(accent, '', 'checkout.css applies (--lsc-accent is set)');

  assert.equal(await page.getAttribute(SWITCH, 'aria-checked'), 'false');
  await waitForText(page, TOTAL, '$15.00 per month');
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  await waitForText(page, TOTAL, '$150.00 per year');

  await page.click(DISCOUNT);
  await waitForText(page, DISCOUNT, 'Discount Applied!');
  await waitForText(page, TOTAL, '$135.00 per year');

  // The handle the page kept unmounts the widget.
  await page.evaluate(() => window.checkoutWidget.unmount());
  assert.equal(await page.locator(TOTAL).count(), 0);

  assert.deepEqual(problems, []);
  assert.deepEqual(warnings, []);
  await page.close();
});
