// A merchant's own catalogue, with no code change: examples/shops/coffee.toml
// (a coffee box billed quarterly or yearly, two of them, and a one-time mug)
// given to the server and, through it, to the emulator. The page starts with
// the file's cart, says what is due today and what every quarter, switches
// to yearly and back to quarterly, and the order paid is what it showed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openCheckout, payWithTestCard, root, startServer,
  waitForAttribute, waitForText, SWITCH, TOTAL,
} from './harness.mjs';

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer({ CHECKOUT_CATALOGUE: `${root}examples/shops/coffee.toml` });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const NEXT = '[data-testid=due-next]';

test('the coffee shop: its cart, quarterly ⇄ yearly, the mug on the first charge only, paid', async () => {
  const { page, problems, sessionId } = await openCheckout(browser, server.url);
  const lines = async () => (await page.locator('.lsc-summary__lines').innerText());
  assert.match(await lines(), /Coffee box/);
  assert.match(await lines(), /Enamel mug/);
  await waitForText(page, TOTAL, '$96.00');
  await waitForText(page, NEXT, 'Then $84.00 every 3 months');
  assert.equal(await page.getAttribute(SWITCH, 'aria-checked'), 'false');

  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  await waitForText(page, TOTAL, '$312.00');
  await waitForText(page, NEXT, 'Then $300.00 per year');
  // Off again: the plan's other interval is quarterly (from /config), not monthly.
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'false');
  await waitForText(page, NEXT, 'Then $84.00 every 3 months');

  await payWithTestCard(page);
  const status = await fetch(`${server.url}/order-status`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ checkout_session_id: await sessionId() }),
  }).then((r) => r.json());
  assert.deepEqual(status, { status: 'fulfilled', amountTotal: 9600, currency: 'usd' });
  assert.deepEqual(problems, []);
  await page.close();
});
