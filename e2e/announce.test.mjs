// What assistive technology hears, and layout limits (issue 18, items
// 10–14), read through the accessibility tree (DevTools protocol) and the
// live regions' mutations.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  enterEmail, launchBrowser, openCheckout, startServer, waitForAttribute, waitForText,
  ALERT, CARD, DECLINED_CARD, EN, PAY, STATUS, SWITCH, TOTAL,
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

/** Records, for every live region of the page, each text it takes. */
async function recordLiveRegions(page) {
  await page.evaluate(() => {
    window.__live = [];
    const live = '[role=alert], [role=status], [role=log], [aria-live], output';
    for (const region of document.querySelectorAll(live)) {
      new MutationObserver(() => {
        window.__live.push({ region: region.getAttribute('role') || region.tagName, text: region.textContent });
      }).observe(region, { childList: true, subtree: true, characterData: true });
    }
  });
}
const liveChanges = (page) => page.evaluate(() => window.__live);

/** The accessibility tree's nodes with `role`, through the DevTools protocol. */
async function axNodes(page, role) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  return nodes.filter((node) => !node.ignored && node.role?.value === role);
}

test('10. the same decline twice is announced twice', async () => {
  const { page, problems } = await openCheckout(browser, server.url);
  await page.locator(CARD).waitFor();
  await enterEmail(page);
  await recordLiveRegions(page);
  await page.fill(CARD, DECLINED_CARD);
  for (let i = 0; i < 2; i += 1) {
    await page.click(PAY);
    await waitForText(page, ALERT, EN.declined);
    await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-busy'), PAY);
  }
  const alerts = (await liveChanges(page)).filter((change) => change.region === 'alert');
  assert.equal(alerts.filter((change) => change.text === EN.declined).length, 2, JSON.stringify(alerts));
  assert.deepEqual(problems.filter((p) => !p.includes('402')), []);
  await page.close();
});

test('11. live regions are in the accessibility tree from the start; one announcement per change', async () => {
  const { page, problems } = await openCheckout(browser, server.url);
  assert.equal(await page.textContent(ALERT), '');
  assert.equal(await page.textContent(STATUS), '');
  assert.equal((await axNodes(page, 'alert')).length, 1, 'the empty alert region is in the tree');
  // UpdateStatus's polite region, and OrderConfirmation's (always present
  // too, empty until payment): every status region of the page is in the tree.
  const statusRegions = await page.locator('[role=status]').count();
  assert.ok(statusRegions >= 1);
  assert.equal((await axNodes(page, 'status')).length, statusRegions, 'the empty status regions are in the tree');

  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  await waitForText(page, STATUS, 'Total is now $150.00 per year');

  await recordLiveRegions(page);
  await page.click('#extend-trial');
  // During the trial nothing is due today: the announcement says so, with
  // the first charge after it (never a bare "$0.00 per year").
  await waitForText(page, STATUS,
    '14-day free trial added. Total is now $0.00 due today, then $150.00 per year after the 14-day trial');
  await page.click('.lsc-quantity__step >> nth=1');
  await waitForText(page, '[data-testid=quantity]', '2');
  await waitForText(page, STATUS,
    'Quantity 2. Total is now $0.00 due today, then $300.00 per year after the 14-day trial');
  const changes = await liveChanges(page);
  assert.deepEqual(changes.map((change) => change.region), ['status', 'status'], JSON.stringify(changes));
  assert.deepEqual(problems, []);
  await page.close();
});

test('12. after Try again focus stays in the checkout; the quantity has a name while nothing is loaded', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.route('**/sandbox/*/stripe.js', (route) => route.abort('failed'), { times: 1 });
  await page.goto(server.url);
  await waitForText(page, ALERT, 'The payment form could not be loaded. Please try again.');
  const group = await page.locator('.lsc-quantity').ariaSnapshot();
  assert.match(group, /group "Quantity"/);
  assert.match(group, /button "Decrease quantity"/);
  assert.doesNotMatch(group, /Quantity of|"0"/);

  await page.focus('.lsc-status__retry');
  await page.keyboard.press('Enter');
  await page.locator(TOTAL).waitFor();
  await page.waitForFunction(() => document.activeElement !== document.body, null, { timeout: 3000 })
    .catch(() => {});
  const focused = await page.evaluate(() => document.activeElement.id || document.activeElement.tagName);
  assert.equal(focused, 'change-subscription-interval');
  assert.deepEqual(problems, []);
  await page.close();
});

test('13. French on an English page: lang on the widget, a French form name, no untranslated message', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openCheckout(context, `${server.url}/embed.html?locale=fr`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getAttribute('.lsc-checkout', 'lang'), 'fr-FR');
  assert.match(await page.locator('.lsc-payment').ariaSnapshot(), /form "Paiement"/);
  // The update reaches the server, then the network drops before Stripe.js refreshes.
  await page.route('**/change-subscription-interval', async (route) => {
    const response = await route.fetch();
    await context.setOffline(true);
    await route.fulfill({ response });
  }, { times: 1 });
  await page.click(SWITCH);
  await page.waitForFunction((s) => document.querySelector(s).textContent !== '', ALERT);
  const alert = await page.textContent(ALERT);
  assert.match(alert, /^Impossible de charger la dernière version de votre commande/);
  assert.doesNotMatch(alert, /fetch/i);
  await context.setOffline(false);
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  assert.deepEqual(problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED')), []);
  await context.close();
});

test('14. 320 px: long words wrap, an over-long name is cut with its full text kept; progress is visible', async () => {
  const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  const word = 'Supercalifragilisticexpialidocious'.repeat(6);
  const huge = 'N'.repeat(200000);
  let name = word;
  await page.route('**/v1/payment_pages/*/init', async (route) => {
    const response = await route.fetch();
    const session = await response.json();
    session.lineItems[0].name = name;
    await route.fulfill({ response, json: session });
  });
  await page.goto(server.url);
  await page.locator(TOTAL).waitFor();
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok((await width()) <= 320, `page width ${await width()} at 320 px`);

  name = huge;
  await page.reload();
  await page.locator(TOTAL).waitFor();
  assert.ok((await width()) <= 320, `page width ${await width()} with a 200,000-character name`);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 5000, `page height ${height}`);
  const line = page.locator('.lsc-summary__name');
  assert.ok((await line.textContent()).length <= 121);
  assert.equal((await line.getAttribute('title')).length, huge.length, 'the full name is kept');

  // A visible, moving progress sign while an update runs; still under reduced motion.
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route('**/change-subscription-interval', async (route) => {
    await released;
    await route.continue();
  });
  await page.click(SWITCH);
  await waitForAttribute(page, SWITCH, 'aria-busy', 'true');
  const sign = () => page.$eval(SWITCH, (element) => {
    const after = getComputedStyle(element, '::after');
    const bar = getComputedStyle(document.querySelector('.lsc-summary'), '::before');
    return { content: after.content, animation: after.animationName, width: after.width, bar: bar.content };
  });
  const moving = await sign();
  assert.notEqual(moving.content, 'none');
  assert.equal(moving.animation, 'lsc-spin');
  assert.notEqual(moving.bar, 'none');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const still = await sign();
  assert.notEqual(still.content, 'none', 'still visible');
  assert.equal(still.animation, 'none', 'not moving');
  release();
  await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
  assert.deepEqual(problems, []);
  await page.close();
});
