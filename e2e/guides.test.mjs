// The size-focused guides' page (examples/guides, built by the test command
// into target/guides-dist with --no-default-features --features csr): the
// four controls work, and nothing else is in the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, root, startServer, waitForAttribute, waitForText, watchConsole,
  DISCOUNT, SWITCH, TOTAL,
} from './harness.mjs';

const dist = process.env.E2E_GUIDES_DIST || `${root}target/guides-dist`;
let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer({ STATIC_DIR: dist });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the guides\' page: switch, discount, status and summary, and no other part', async () => {
  const page = await browser.newPage();
  const { problems, warnings } = watchConsole(page);
  await page.goto(server.url);
  await page.locator(TOTAL).waitFor({ timeout: 20000 });
  for (const absent of ['.lsc-payment', '.lsc-quantity', '#extend-trial']) {
    assert.equal(await page.locator(absent).count(), 0, absent);
  }
  assert.equal(await page.evaluate(() => typeof window.wasmBindings.mount), 'undefined', 'no mount() export');
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  await waitForText(page, TOTAL, '$150.00 per year');
  await page.click(DISCOUNT);
  await waitForText(page, TOTAL, '$135.00 per year');
  assert.deepEqual(warnings, []);
  assert.deepEqual(problems, []);
  await page.close();
});
