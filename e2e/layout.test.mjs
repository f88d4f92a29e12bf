// "Looks like a checkout page", seen as a customer would (issue 14): the
// demo puts the order summary beside the payment form on a wide screen and
// stacks everything in one column at 375 px; the embedded widget lays itself
// out without the demo page's CSS (the discount button touches neither the
// switch nor the summary); the quantity stepper shows what it counts.
// Screenshots of both widths go to target/e2e-artifacts/ (docs/screenshot.png
// is the wide one).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  artifacts, launchBrowser, startServer, CARD, DISCOUNT, SWITCH, TOTAL,
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

const box = (page, selector) => page.$eval(selector, (element) => {
  const r = element.getBoundingClientRect();
  return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width };
});

async function open(path, width, height) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`${server.url}${path}`);
  await page.locator(TOTAL).waitFor({ timeout: 20000 });
  return page;
}

test('wide screen: the order summary is beside the payment form', async () => {
  const page = await open('/', 1280, 900);
  await page.locator(CARD).waitFor();
  const summary = await box(page, '.lsc-summary');
  const payment = await box(page, '.lsc-payment');
  const controls = await box(page, '.lsc-controls');
  assert.ok(summary.left >= payment.right, `summary ${JSON.stringify(summary)} beside payment ${JSON.stringify(payment)}`);
  assert.ok(summary.left >= controls.right, 'and beside the controls');
  assert.ok(summary.top < payment.bottom && summary.bottom > controls.top, 'side by side, not below');
  await page.screenshot({ path: `${artifacts}/checkout-1280.png`, fullPage: true });
  await page.close();
});

test('375 px: one column, nothing wider than the screen', async () => {
  const page = await open('/', 375, 812);
  await page.locator(CARD).waitFor();
  const summary = await box(page, '.lsc-summary');
  const payment = await box(page, '.lsc-payment');
  assert.ok(payment.top >= summary.bottom, 'the payment form is below the summary');
  assert.ok(Math.abs(summary.left - payment.left) < 1, 'one column');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px)`);
  await page.screenshot({ path: `${artifacts}/checkout-375.png`, fullPage: true });
  await page.close();
});

test('embed.html: the widget spaces its own controls (no demo CSS)', async () => {
  for (const width of [1280, 375]) {
    const page = await open('/embed.html', width, 900);
    assert.equal(await page.locator('.lsc-demo__controls').count(), 0);
    const toggle = await box(page, SWITCH);
    const discount = await box(page, DISCOUNT);
    const summary = await box(page, '.lsc-summary');
    const sameRow = discount.top < toggle.bottom && discount.bottom > toggle.top;
    const gap = sameRow ? discount.left - toggle.right : discount.top - toggle.bottom;
    assert.ok(gap >= 8, `${width}: the discount button keeps ${gap} px from the switch`);
    const beside = summary.left >= discount.right;
    const below = summary.top - discount.bottom;
    assert.ok(beside || below >= 8, `${width}: the summary keeps its distance (${below} px below)`);
    await page.screenshot({ path: `${artifacts}/embed-${width}.png`, fullPage: true });
    await page.close();
  }
});

test('the quantity stepper shows the line item\'s name as its visible label', async () => {
  const page = await open('/', 1280, 900);
  const name = (await page.textContent('[data-testid=line-item] .lsc-summary__name')).trim();
  const label = (await page.textContent('.lsc-quantity .lsc-quantity__name')).trim();
  assert.ok(name.length > 0);
  assert.equal(label, name);
  const group = await page.getAttribute('.lsc-quantity', 'aria-label');
  assert.ok(group.includes(name), `the group's name (${group}) contains the visible label`);
  await page.close();
});
