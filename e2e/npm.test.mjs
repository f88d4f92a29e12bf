// The npm package on a page that is not a Leptos app (issue 15): examples/npm/
// imports the packed package, esbuild bundles it (scripts/npm-package.sh,
// into target/npm-example-dist), and checkout-server serves it with its
// strict Content-Security-Policy. Both of the guides' flows work on it, and
// nothing goes to the console.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  launchBrowser, payWithTestCard, root, startServer, waitForAttribute, waitForText, watchConsole,
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

test('the bundled npm package: monthly → yearly, the discount and payment, heard by the page, under the strict CSP', async () => {
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

  // The page heard each change, with the totals it showed (its own list,
  // fed by the widget's bubbling lsc-* events).
  const heard = () => page.locator('#heard li').allTextContents();
  await page.waitForFunction(() => document.querySelectorAll('#heard li').length >= 3);
  assert.deepEqual(await heard(), [
    'lsc-ready: $15.00 per month (1500 usd)',
    'lsc-change: $150.00 per year (15000 usd)',
    'lsc-change: $135.00 per year (13500 usd)',
  ]);

  // Through payment: mount()'s onComplete hears the order, once.
  assert.equal(await page.isHidden('#thanks'), true);
  await payWithTestCard(page);
  await page.locator('#thanks').waitFor({ state: 'visible', timeout: 20000 });
  const completes = (await heard()).filter((line) => line.startsWith('complete'));
  assert.deepEqual(completes, ['complete: $135.00 (13500 usd, paid)']);

  // The handle the page kept unmounts the widget.
  await page.evaluate(() => window.checkoutWidget.unmount());
  assert.equal(await page.locator(TOTAL).count(), 0);

  assert.deepEqual(problems, []);
  assert.deepEqual(warnings, []);
  await page.close();
});

// The package's types, as a merchant's TypeScript sees them: mount()'s
// callbacks and the bubbling lsc-* events are typed (the .d.ts generated from
// the Rust types, src/embed.rs), and a wrong field is a compile error.
test('the package types the events and callbacks a TypeScript page uses', async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const pkg = `${root}target/npm/leptos-stripe-checkout`;
  assert.ok(existsSync(`${pkg}/package.json`), `${pkg} is missing: run scripts/npm-package.sh`);
  const dir = mkdtempSync(`${tmpdir()}/lsc-types-`);
  const tsc = (source) => {
    writeFileSync(`${dir}/page.ts`, source);
    try {
      execFileSync(`${root}e2e/node_modules/.bin/tsc`, [
        '--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022',
        '--moduleResolution', 'bundler', '--lib', 'esnext,dom', `${dir}/page.ts`,
      ], { encoding: 'utf8', stdio: 'pipe' });
      return '';
    } catch (error) {
      return `${error.stdout}${error.stderr}`;
    }
  };
  try {
    const page = (body) => `
      import init, { mount, type CheckoutSummary } from ${JSON.stringify(`${pkg}/leptos_stripe_checkout.js`)};
      await init();
      const el = document.getElementById('checkout-widget')!;
      ${body}
    `;
    const good = page(`
      el.addEventListener('lsc-change', (event) => { const cents: number = event.detail.total.minorUnits; console.log(cents); });
      document.addEventListener('lsc-update-failed', (event) => console.log(event.detail.code, event.detail.endpoint));
      const widget = mount(el, {
        controls: ['switch', 'payment'],
        onChange: (summary: CheckoutSummary) => console.log(summary.totalText, summary.lineItems[0]?.total.text),
        onComplete: (order) => console.log(order.sessionId, order.paymentStatus ?? 'unknown'),
      });
      widget.unmount();
    `);
    assert.equal(tsc(good), '', 'the good page type-checks');
    const badField = tsc(page(`el.addEventListener('lsc-change', (event) => console.log(event.detail.totl));`));
    assert.match(badField, /Property 'totl' does not exist on type 'CheckoutSummary'/);
    const badCallback = tsc(page(`mount(el, { onComplete: (order: string) => console.log(order) });`));
    assert.match(badCallback, /CheckoutSummary/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
