// Accessibility, proven in the browser: axe-core (WCAG 2.1 A/AA) on the demo
// page in every state the flows reach, a keyboard-only run of both seed flows,
// the switch pattern, live regions, reduced motion, forced colours and a
// documented theme override.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  axeScan, enterEmail, focused, injectFaults, launchBrowser, tabOrder, openCheckout, root, startServer, waitForAttribute, waitForText,
  SWITCH, DISCOUNT, TOTAL, ALERT, STATUS, EMAIL, EMAIL_ERROR, TEST_EMAIL,
} from './harness.mjs';

const TRIAL = '#extend-trial';
const PAY = '#pay';
const CARD = 'input[name=cardnumber]';

let browser;
let server;
/** Unique ids of every rule axe ran, over all scans of this file. */
const rulesChecked = new Set();
const scans = [];

before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  server?.stop();
  if (scans.length) {
    console.log(`axe-core: ${rulesChecked.size} WCAG 2.1 A/AA rules checked in ${scans.length} scans (${scans.join(', ')})`);
  }
});

/** Runs axe-core on the page (harness.mjs), counting its rules and scans. */
function axe(page, state, options = {}) {
  return axeScan(page, state, {
    ...options,
    record: (results) => {
      for (const kind of ['passes', 'violations', 'incomplete', 'inapplicable']) {
        for (const rule of results[kind]) rulesChecked.add(rule.id);
      }
      scans.push(state);
    },
  });
}

/** Waits for a message in the alert region. */
async function waitForAlert(page) {
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.trim() !== '', ALERT, { timeout: 10000 });
}

/** Holds the next POST to `path` until `release()` is called. */
async function holdRequest(page, path) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let held;
  const arrived = new Promise((resolve) => { held = resolve; });
  let passed;
  const continued = new Promise((resolve) => { passed = resolve; });
  await page.route(`**${path}`, async (route) => {
    held();
    await released;
    await route.continue();
    passed();
  });
  return {
    arrived,
    release: async () => {
      release();
      await continued;
      await page.unroute(`**${path}`);
    },
  };
}

describe('axe-core, WCAG 2.1 A and AA', () => {
  test('loaded, pending, error, discounted and completed states have no violations', async () => {
    const { page, problems } = await openCheckout(browser, server.url);
    await page.locator(CARD).waitFor();
    await axe(page, 'loaded');

    // Pending: the switch's request is held at the network until the scan is done.
    const hold = await holdRequest(page, '/change-subscription-interval');
    await page.focus(SWITCH);
    await page.keyboard.press('Space');
    await hold.arrived;
    await waitForAttribute(page, SWITCH, 'aria-busy', 'true');
    assert.equal(await page.getAttribute(SWITCH, 'aria-disabled'), 'true');
    assert.equal(await page.getAttribute(DISCOUNT, 'aria-disabled'), 'true');
    assert.equal(await page.getAttribute('.lsc-summary', 'aria-busy'), 'true');
    assert.equal(await focused(page), SWITCH, 'the pending switch keeps focus');
    await axe(page, 'pending');
    await hold.release();
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    await waitForText(page, STATUS, 'Total is now $150.00 per year');
    assert.equal(await page.getAttribute(SWITCH, 'aria-busy'), null);
    assert.equal(await focused(page), SWITCH, 'the announcement does not move focus');

    // Error: Stripe answers 500 more often than the merchant server retries
    // (twice), so the customer gets its 503 "try again".
    await injectFaults(server.url, 3, 500);
    await page.focus(DISCOUNT);
    await page.keyboard.press('Enter');
    await waitForAlert(page);
    await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-busy'), DISCOUNT);
    assert.equal(await focused(page), DISCOUNT, 'the alert does not move focus');
    await axe(page, 'error');

    // Discounted.
    await page.keyboard.press('Enter');
    await waitForText(page, DISCOUNT, 'Discount Applied!');
    await waitForText(page, STATUS, 'Total is now $135.00 per year');
    assert.equal(await page.textContent(ALERT), '');
    assert.equal(await page.getAttribute(DISCOUNT, 'aria-disabled'), 'true');
    assert.equal(await focused(page), DISCOUNT, 'the applied discount button keeps focus');
    await axe(page, 'discounted');

    // The email refused: the message under the field, aria-invalid.
    await page.fill(EMAIL, 'ada@');
    await page.locator(EMAIL).press('Tab');
    await waitForText(page, EMAIL_ERROR, 'Your email address is incomplete.');
    assert.equal(await page.getAttribute(EMAIL, 'aria-invalid'), 'true');
    await axe(page, 'email refused');
    await enterEmail(page);

    // Completed: the stand-in's test card.
    await page.fill(CARD, '4242 4242 4242 4242');
    await page.click(PAY);
    await page.locator('[data-testid=paid]').waitFor({ state: 'visible' });
    await page.waitForFunction(
      (s) => document.querySelector(s)?.textContent.startsWith('This order is complete and can no longer be changed.'),
      STATUS,
    );
    await axe(page, 'completed');
    assert.ok(problems.every((p) => p.includes('503')), problems.join('\n'));
    await page.close();
  });

  test('the documented dark theme override meets AA contrast', async () => {
    const css = readFileSync(`${root}style/checkout.css`, 'utf8');
    const example = css.match(/Dark theme example:\s*\n([\s\S]*?)\n\s*\*\s*End of example\./);
    assert.ok(example, 'style/checkout.css documents a dark theme override');
    const override = [...example[1].matchAll(/(--lsc-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]);
    assert.ok(override.length >= 8, 'the example overrides the colours');
    const { page } = await openCheckout(browser, server.url);
    await page.locator(CARD).waitFor();
    // Set on :root through the CSSOM (the page's CSP forbids inline <style>).
    await page.evaluate((properties) => {
      for (const [name, value] of properties) document.documentElement.style.setProperty(name, value);
    }, override);
    assert.notEqual(
      await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
      'rgb(255, 255, 255)',
      'the override applies',
    );
    const loaded = await axe(page, 'dark theme loaded', { rules: ['color-contrast'] });
    assert.ok(loaded.passes.some((rule) => rule.id === 'color-contrast'), 'text was checked');
    await page.click(SWITCH);
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    await injectFaults(server.url, 3, 500);
    await page.click(DISCOUNT);
    await waitForAlert(page);
    await axe(page, 'dark theme error', { rules: ['color-contrast'] });
    await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-busy'), DISCOUNT);
    await page.click(DISCOUNT);
    await waitForText(page, DISCOUNT, 'Discount Applied!');
    await axe(page, 'dark theme discounted', { rules: ['color-contrast'] });
    await page.close();
  });
});

describe('keyboard only', () => {
  test('both seed flows with Tab, Shift+Tab, Space and Enter; focus is never lost', async () => {
    const { page, problems } = await openCheckout(browser, server.url);
    await page.locator(CARD).waitFor();
    const decrease = 'quantity −';
    const increase = 'quantity +';
    // The Express Checkout Element's button (the stand-in's), before the form.
    const wallet = 'wallet';
    await page.locator('.lsc-express button').waitFor();

    // Monthly: the trial offer is not shown, so it is not in the order.
    assert.deepEqual(await tabOrder(page, 8), [SWITCH, DISCOUNT, decrease, increase, wallet, EMAIL, CARD, PAY]);
    assert.deepEqual(await tabOrder(page, 7, 'Shift+Tab'), [CARD, EMAIL, wallet, increase, decrease, DISCOUNT, SWITCH]);

    // Seed flow 1: switch to yearly with Space.
    await page.keyboard.press('Space');
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    await waitForText(page, TOTAL, '$150.00 per year');
    assert.equal(await focused(page), SWITCH);
    // …and back to monthly and yearly again with Enter.
    await page.keyboard.press('Enter');
    await waitForAttribute(page, SWITCH, 'aria-checked', 'false');
    await page.keyboard.press('Enter');
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    assert.equal(await focused(page), SWITCH);

    // Yearly: the trial offer joins the order after the discount.
    assert.deepEqual(await tabOrder(page, 8), [DISCOUNT, TRIAL, decrease, increase, wallet, EMAIL, CARD, PAY]);
    assert.deepEqual(await tabOrder(page, 7, 'Shift+Tab'), [CARD, EMAIL, wallet, increase, decrease, TRIAL, DISCOUNT]);

    // Seed flow 2: apply the discount with Enter. It becomes aria-disabled and keeps focus.
    await page.keyboard.press('Enter');
    await waitForText(page, DISCOUNT, 'Discount Applied!');
    await waitForText(page, TOTAL, '$135.00 per year');
    assert.equal(await page.getAttribute(DISCOUNT, 'aria-disabled'), 'true');
    assert.equal(await focused(page), DISCOUNT);
    // A second press on the disabled button changes nothing and keeps focus.
    await page.keyboard.press('Space');
    await page.waitForTimeout(200);
    assert.equal(await focused(page), DISCOUNT);
    assert.equal(await page.textContent(TOTAL), '$135.00 per year');

    // The trial offer with Space; it becomes aria-disabled and keeps focus.
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), TRIAL);
    await page.keyboard.press('Space');
    await waitForText(page, TRIAL, '14-day free trial added');
    assert.equal(await page.getAttribute(TRIAL, 'aria-disabled'), 'true');
    assert.equal(await focused(page), TRIAL);

    // Quantity + then − with Enter; − is aria-disabled at 1 and keeps focus.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), increase);
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-testid=quantity]', '2');
    assert.equal(await focused(page), increase);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-testid=quantity]', '1');
    assert.equal(await page.getAttribute('.lsc-quantity__step >> nth=0', 'aria-disabled'), 'true');
    assert.equal(await focused(page), decrease);

    // Pay with no email: unavailable; Enter on it checks the (empty)
    // field, says why under it and moves focus there.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), wallet);
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), EMAIL);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), PAY);
    assert.equal(await page.getAttribute(PAY, 'aria-disabled'), 'true');
    await page.keyboard.press('Enter');
    await waitForText(page, EMAIL_ERROR, 'Your email address is incomplete.');
    await page.waitForFunction((s) => document.activeElement?.matches(s), EMAIL);
    assert.equal(await page.getAttribute(EMAIL, 'aria-describedby'), 'email-error');

    // Type it, Tab (Stripe.js accepts it as the field is left), Tab, Enter:
    // focus lands on the confirmation, not on <body>.
    await page.keyboard.type(TEST_EMAIL);
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), CARD);
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), PAY);
    await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('aria-disabled'), PAY);
    assert.equal(await page.getAttribute(EMAIL, 'aria-invalid'), null);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=paid]').waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.activeElement !== document.body, null, { timeout: 2000 })
      .catch(() => {});
    assert.notEqual(await focused(page), 'body', 'focus after paying');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('the interval switch', () => {
  test('is a native button with role=switch, aria-checked and a name that says what it does', async () => {
    const { page } = await openCheckout(browser, server.url);
    const info = await page.$eval(SWITCH, (element) => ({
      tag: element.tagName, type: element.type, role: element.getAttribute('role'),
      checked: element.getAttribute('aria-checked'), tabIndex: element.tabIndex,
    }));
    assert.deepEqual(info, { tag: 'BUTTON', type: 'button', role: 'switch', checked: 'false', tabIndex: 0 });
    const snapshot = await page.locator(SWITCH).ariaSnapshot();
    assert.match(snapshot, /switch "Save with a yearly subscription"/);
    await page.close();
  });

  // WAI-ARIA APG: a switch's label does not change with its state. The name
  // is Labels::interval_switch in both states; the state is aria-checked
  // alone, and the plan shows in the summary.
  test('the accessible name stays the same when the switch is on', async () => {
    const { page } = await openCheckout(browser, server.url);
    const name = () => page.locator(SWITCH).ariaSnapshot();
    const accessibleName = () => page.$eval(SWITCH, (element) => element.textContent.trim());
    const off = await name();
    assert.match(off, /switch "Save with a yearly subscription"/);
    assert.equal(await page.textContent(TOTAL), '$15.00 per month');
    await page.click(SWITCH);
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    const on = await name();
    assert.match(on, /\[checked\]/, 'the state is aria-checked');
    assert.equal(on.replace(/\s*\[checked\]/, '').trim(), off.trim());
    assert.equal(await accessibleName(), 'Save with a yearly subscription');
    assert.equal(await page.textContent(TOTAL), '$150.00 per year', 'the plan shows in the summary');
    await page.click(SWITCH);
    await waitForAttribute(page, SWITCH, 'aria-checked', 'false');
    assert.equal((await name()).trim(), off.trim());
    await page.close();
  });

  test('the state is not carried by colour alone: the thumb moves', async () => {
    const { page } = await openCheckout(browser, server.url);
    const thumb = () => page.$eval(`${SWITCH} .lsc-switch__thumb`, (element) => element.getBoundingClientRect().left);
    const off = await thumb();
    await page.click(SWITCH);
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    await page.waitForTimeout(300);
    assert.ok((await thumb()) - off >= 10, 'the thumb moves to the other end');
    await page.close();
  });

  test('prefers-reduced-motion: no transition on the track and thumb', async () => {
    const { page } = await openCheckout(browser, server.url);
    const durations = () => page.$$eval(
      `${SWITCH} .lsc-switch__track, ${SWITCH} .lsc-switch__thumb`,
      (elements) => elements.map((element) => getComputedStyle(element).transitionDuration),
    );
    assert.ok((await durations()).every((d) => d !== '0s'), 'animated by default');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    assert.deepEqual(await durations(), ['0s', '0s']);
    await page.close();
  });

  test('forced colours: the focus ring and the on state stay visible', async () => {
    const { page } = await openCheckout(browser, server.url);
    await page.emulateMedia({ forcedColors: 'active' });
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), SWITCH);
    const ring = await page.$eval(SWITCH, (element) => {
      const style = getComputedStyle(element);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    assert.notEqual(ring.style, 'none');
    assert.ok(ring.width >= 2, `outline ${ring.width}px`);
    const colours = () => page.$eval(SWITCH, (element) => {
      const track = getComputedStyle(element.querySelector('.lsc-switch__track')).backgroundColor;
      const thumb = getComputedStyle(element.querySelector('.lsc-switch__thumb')).backgroundColor;
      return { track, thumb };
    });
    const off = await colours();
    assert.notEqual(off.thumb, off.track, 'the thumb is visible on the track when off');
    await page.keyboard.press('Space');
    await waitForAttribute(page, SWITCH, 'aria-checked', 'true');
    await page.waitForTimeout(300); // the track's colour transition
    const on = await colours();
    assert.notEqual(on.thumb, on.track, 'the thumb is visible on the track when on');
    await page.close();
  });
});
