// The dev console (issue 14): the debug build — what `trunk serve` serves,
// built by the test command with `trunk build` (no --release) into
// target/e2e-debug-dist — loads and runs the seed flows without one console
// warning or error. Leptos reports reactive mistakes (a signal read outside
// a tracking context, an effect on a disposed owner) only in debug builds,
// so the release-build tests cannot see them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  launchBrowser, payWithTestCard, root, startServer, waitForAttribute, waitForText, watchConsole,
  ALERT, DISCOUNT, STATUS, SWITCH, TOTAL,
} from './harness.mjs';

const debugDist = process.env.E2E_DEBUG_DIST || `${root}target/e2e-debug-dist`;

let browser;
let server;
before(async () => {
  assert.ok(existsSync(`${debugDist}/index.html`), `no debug build in ${debugDist} (trunk build --dist ${debugDist})`);
  browser = await launchBrowser();
  server = await startServer({ STATIC_DIR: debugDist });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the debug build: no console warning or error on load, a toggle, a refusal, a discount and a payment', async () => {
  for (const path of ['/', '/embed.html']) {
    const page = await browser.newPage();
    const { problems, warnings } = watchConsole(page);
    await page.goto(`${server.url}${path}`);
    await page.locator(TOTAL).waitFor({ timeout: 30000 });
    if (path === '/') {
      // The widget's own refusal is logged once, as a warning, by design
      // (console.test.mjs); it is the one line allowed here.
      await page.click(DISCOUNT);
      await waitForText(page, ALERT, 'Customer discounts apply to orders over $100.00.');
      await page.click(SWITCH);
      await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
      await waitForText(page, STATUS, 'Total is now $150.00 per year');
      await page.click(DISCOUNT);
      await waitForText(page, DISCOUNT, 'Discount Applied!');
      await waitForText(page, TOTAL, '$135.00 per year');
      await payWithTestCard(page);
    }
    await page.waitForTimeout(1500); // late warnings (preloads, effects)
    const expected = path === '/'
      ? [/^leptos-stripe-checkout: the update to \/apply-customer-discount failed: /]
      : [];
    const unexpected = warnings.filter((text) => !expected.some((pattern) => pattern.test(text)));
    assert.deepEqual(unexpected, [], `${path}: console warnings from the debug build`);
    assert.deepEqual(problems, [], `${path}: console errors from the debug build`);
    await page.close();
  }
});
