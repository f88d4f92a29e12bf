// The shop page (examples/shop, built by the test command into
// target/shop-dist with --features csr,shop) on a checkout-server whose
// catalogue has shipping and an add-on (examples/shops/goods.toml): issue
// 25's "Done when", on each Stripe.js release train. An address the shop
// ships to gets the server's options; express goes into the total; a
// country it does not ship to is refused with no option and no Pay; gift
// wrap goes in and out; the completed session holds what the page showed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openCheckout, payWithTestCard, root, sandboxSession, startServer,
  waitForAttribute, waitForText, ALERT, PAY, TOTAL,
} from './harness.mjs';

const dist = process.env.E2E_SHOP_DIST || `${root}target/shop-dist`;
const catalogue = `${root}examples/shops/goods.toml`;
const OPTION = '[data-testid=shipping-option]';
const ADD_ON = '.lsc-add-on';
const ADDRESS = '.sandbox-address-element';

async function enterAddress(page) {
  await page.locator(`${ADDRESS} input[name=name]`).waitFor({ timeout: 10000 });
  await page.fill(`${ADDRESS} input[name=name]`, 'Ada Lovelace');
  await page.fill(`${ADDRESS} input[name=line1]`, '1 Main Street');
  await page.fill(`${ADDRESS} input[name=city]`, 'Springfield');
  await page.fill(`${ADDRESS} input[name=postal_code]`, '62701');
}

async function options(page) {
  return page.$$eval(OPTION, (labels) => labels.map((label) => ({
    text: label.textContent,
    checked: label.querySelector('input').checked,
  })));
}

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const train of ['basil', 'clover', 'dahlia', 'endive']) {
  describe(`the shop on ${train}: shipping options and an add-on`, () => {
    let server;
    before(async () => {
      server = await startServer({
        STRIPE_JS_TRAIN: train, STATIC_DIR: dist, CHECKOUT_CATALOGUE: catalogue,
      });
    });
    after(async () => { await server?.stop(); });

    test('address → options → express → refused country → gift wrap in and out → pay', async () => {
      const { page, problems, sessionId } = await openCheckout(browser, server.url);
      await waitForText(page, TOTAL, '$49.00');
      // No address yet: no option, and Pay waits.
      assert.equal(await page.locator(OPTION).count(), 0);
      await page.locator('.lsc-shipping-options__hint').waitFor();

      await enterAddress(page);
      await page.waitForFunction((s) => document.querySelectorAll(s).length === 2, OPTION, { timeout: 10000 });
      assert.deepEqual(await options(page), [
        { text: 'Standard shipping$5.005–7 business days', checked: true },
        { text: 'Express shipping$15.001–2 business days', checked: false },
      ]);
      await waitForText(page, TOTAL, '$54.00');

      // Express: the total includes it, and so does the summary.
      await page.getByRole('radio', { name: /Express shipping/ }).check();
      await waitForText(page, TOTAL, '$64.00');
      await waitForText(page, '[data-testid=shipping]', 'Express shipping$15.00');

      // A country the shop does not ship to: refused, no option, no Pay.
      await page.selectOption(`${ADDRESS} select[name=country]`, 'JP');
      await page.locator(ALERT, { hasText: "We can't ship to this address" }).waitFor({ timeout: 10000 });
      assert.equal(await page.locator(OPTION).count(), 0);
      assert.equal(await page.getAttribute(PAY, 'aria-disabled'), 'true');

      // Back to the address it accepted: its options and the choice are back.
      await page.selectOption(`${ADDRESS} select[name=country]`, 'US');
      await page.waitForFunction((s) => document.querySelectorAll(s).length === 2, OPTION, { timeout: 10000 });
      assert.equal((await options(page))[1].checked, true);

      // Gift wrap in (total up) and out (down).
      await page.click(ADD_ON);
      await waitForAttribute(page, ADD_ON, 'aria-checked', 'true');
      await waitForText(page, TOTAL, '$69.00');
      await page.click(ADD_ON);
      await waitForAttribute(page, ADD_ON, 'aria-checked', 'false');
      await waitForText(page, TOTAL, '$64.00');

      await payWithTestCard(page);
      const session = await sandboxSession(server.url, await sessionId());
      assert.equal(session.status, 'complete');
      assert.equal(session.mode, 'payment');
      assert.equal(session.amount_total, 6400);
      assert.equal(session.shipping_cost.amount_total, 1500);
      assert.deepEqual(session.line_items.data.map((li) => [li.description, li.quantity]), [['Desk lamp', 1]]);
      const shipping = session.collected_information.shipping_details;
      assert.equal(shipping.name, 'Ada Lovelace');
      assert.equal(shipping.address.country, 'US');
      assert.equal(shipping.address.line1, '1 Main Street');
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}
