// The console (issue 18, item 15): the release build loads without a
// warning, and the widget reports its own failures once, in words.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startServer, waitForText, watchConsole, ALERT, DISCOUNT, TOTAL,
} from './harness.mjs';

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('15. the demo page and the embed page load with an empty console', async () => {
  for (const path of ['/', '/embed.html']) {
    const page = await browser.newPage();
    const { problems, warnings } = watchConsole(page);
    await page.goto(`${server.url}${path}`);
    await page.locator(TOTAL).waitFor();
    await page.waitForTimeout(1500); // preload warnings come a little after the load
    assert.deepEqual(warnings, [], path);
    assert.deepEqual(problems, [], path);
    await page.close();
  }
});

// Issue 23: the server preloads Stripe.js with the pages that start the
// checkout (a `Link` header), so the browser fetches it with the page, not
// after /config names it; the console test above shows the preload is used.
test('Stripe.js comes with the checkout pages (the server\'s preload), not after /config', async () => {
  for (const path of ['/', '/embed.html']) {
    const page = await browser.newPage();
    await page.goto(`${server.url}${path}`);
    await page.locator(TOTAL).waitFor();
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((entry) => new URL(entry.name).pathname.endsWith('/stripe.js'))
      .map((entry) => entry.initiatorType));
    assert.deepEqual(fetched, ['link'], path);
    await page.close();
  }
  const returnPage = await fetch(`${server.url}/return.html`);
  assert.equal(returnPage.status, 200);
  assert.equal(returnPage.headers.get('link'), null, 'the return page loads no Stripe.js');
});

test('15. a refusal is logged once, in words', async () => {
  const page = await browser.newPage();
  const { problems, warnings } = watchConsole(page);
  await page.goto(server.url);
  await page.locator(TOTAL).waitFor();
  await page.click(DISCOUNT);
  await waitForText(page, ALERT, 'Customer discounts apply to orders over $100.00.');
  await page.waitForTimeout(300);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /^leptos-stripe-checkout: the update to \/apply-customer-discount failed: /);
  assert.doesNotMatch(warnings[0], /\b[A-Z][a-z]+\(|\{ ?\w+:/, 'no Rust enum in the log');
  assert.deepEqual(problems, []);
  await page.close();
});
