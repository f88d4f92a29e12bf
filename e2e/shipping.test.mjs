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
  axeScan, focused, injectFaults, launchBrowser, openCheckout, payWithTestCard, root,
  sandboxSession, startServer, waitForAttribute, waitForText, ALERT, CARD, EMAIL, PAY,
  TEST_CARD, TEST_EMAIL, TOTAL,
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

/** Presses Tab until `is(focused)` (at most 20 times); fails otherwise. */
async function tabTo(page, is, what) {
  for (let i = 0; i < 20; i += 1) {
    await page.keyboard.press('Tab');
    if (is(await focused(page))) return;
  }
  assert.fail(`Tab never reached ${what}`);
}

describe('the shop, keyboard only, axe-clean, and what fails', () => {
  let server;
  before(async () => {
    server = await startServer({ STATIC_DIR: dist, CHECKOUT_CATALOGUE: catalogue });
  });
  after(async () => { await server?.stop(); });

  test('keyboard only: gift wrap, quantity, address, express (arrow key), pay; free shipping from $100.00', async () => {
    const { page, problems, sessionId } = await openCheckout(browser, server.url);
    await waitForText(page, TOTAL, '$49.00');
    await axeScan(page, 'shop: loaded');
    await tabTo(page, (f) => f === 'checkbox Add Gift wrap ($5.00)', 'the add-on');
    await page.keyboard.press('Space');
    await waitForAttribute(page, ADD_ON, 'aria-checked', 'true');
    await waitForText(page, TOTAL, '$54.00');
    await tabTo(page, (f) => f === 'quantity +', 'the quantity\'s +');
    await page.keyboard.press('Enter');
    await waitForText(page, TOTAL, '$103.00');
    for (const [field, text] of [['name', 'Ada Lovelace'], ['line1', '1 Main Street'], ['city', 'Springfield'], ['postal_code', '62701']]) {
      await tabTo(page, (f) => f === `input[name=${field}]`, field);
      await page.keyboard.type(text);
    }
    await page.waitForFunction((s) => document.querySelectorAll(s).length === 2, OPTION, { timeout: 10000 });
    // $103.00 of goods: standard shipping is free.
    assert.deepEqual(await options(page), [
      { text: 'Standard shippingFree5–7 business days', checked: true },
      { text: 'Express shipping$15.001–2 business days', checked: false },
    ]);
    await waitForText(page, '[data-testid=shipping]', 'Standard shippingFree');
    await axeScan(page, 'shop: options');
    // The radio group is one tab stop; an arrow key selects express.
    await tabTo(page, (f) => f.startsWith('input[name=') && f.includes('shipping'), 'the shipping options');
    await page.keyboard.press('ArrowDown');
    await waitForText(page, TOTAL, '$118.00');
    assert.equal((await options(page))[1].checked, true);
    await tabTo(page, (f) => f === EMAIL, 'the email');
    await page.keyboard.type(TEST_EMAIL);
    await tabTo(page, (f) => f === 'input[name=cardnumber]', 'the card number');
    await page.keyboard.type(TEST_CARD);
    await tabTo(page, (f) => f === PAY, 'Pay');
    await page.waitForFunction((p) => !document.querySelector(p).hasAttribute('aria-disabled'), PAY, { timeout: 10000 });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=paid]').waitFor({ state: 'visible', timeout: 10000 });
    await axeScan(page, 'shop: paid');
    const session = await sandboxSession(server.url, await sessionId());
    assert.equal(session.amount_total, 11800);
    assert.deepEqual(
      session.line_items.data.map((li) => [li.description, li.quantity, li.amount_total]),
      [['Desk lamp', 2, 9800], ['Gift wrap', 1, 500]],
    );
    assert.equal(session.shipping_cost.amount_total, 1500);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a refused address says so in the alert, axe-clean; a failed choice or add-on leaves what was', async () => {
    const { page } = await openCheckout(browser, server.url);
    await enterAddress(page);
    await page.waitForFunction((s) => document.querySelectorAll(s).length === 2, OPTION, { timeout: 10000 });
    // Pay waits for the email and card here, not for shipping.
    await page.selectOption(`${ADDRESS} select[name=country]`, 'AU');
    await page.locator(ALERT, { hasText: "We can't ship to this address" }).waitFor({ timeout: 10000 });
    await page.locator('.lsc-shipping-options__hint').waitFor();
    await axeScan(page, 'shop: address refused');
    // Pressing Pay says what is missing, and charges nothing.
    await page.fill(EMAIL, TEST_EMAIL);
    await page.locator(EMAIL).press('Tab');
    await page.fill(CARD, TEST_CARD);
    assert.equal(await page.getAttribute(PAY, 'aria-disabled'), 'true');
    await page.focus(PAY);
    await page.keyboard.press('Enter');
    await page.locator(ALERT, { hasText: 'Enter an address we ship to and choose a shipping method.' }).waitFor();
    await page.selectOption(`${ADDRESS} select[name=country]`, 'US');
    await page.waitForFunction((s) => document.querySelectorAll(s).length === 2, OPTION, { timeout: 10000 });
    await waitForText(page, TOTAL, '$54.00');

    // Stripe.js refuses the choice: the alert says so and standard stays chosen.
    await page.route('**/v1/payment_pages/*', (route) => (route.request().method() === 'POST'
      && (route.request().postData() || '').includes('shipping_rate')
      ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"type":"api_error","message":"boom"}}' })
      : route.continue()));
    await page.getByRole('radio', { name: /Express shipping/ }).check();
    await page.locator(ALERT, { hasText: "We couldn't update your order" }).waitFor({ timeout: 10000 });
    assert.deepEqual((await options(page)).map((o) => o.checked), [true, false]);
    await waitForText(page, TOTAL, '$54.00');
    await page.unroute('**/v1/payment_pages/*');

    // Stripe refuses the add-on's update: nothing changes.
    await injectFaults(server.url, 1, 400);
    await page.click(ADD_ON);
    await page.locator(ALERT, { hasText: "We couldn't process your request" }).waitFor({ timeout: 10000 });
    assert.equal(await page.getAttribute(ADD_ON, 'aria-checked'), 'false');
    await waitForText(page, TOTAL, '$54.00');
    await page.close();
  });
});
