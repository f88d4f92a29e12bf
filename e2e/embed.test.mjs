// The mount() export at its edges (issue 18, items 7–9): unmounting while
// anything is pending is no trap; bad targets and a second widget on one
// element are refused with a clear Error and create no session; two widgets
// have distinct element ids; without the status control, the control that
// failed says so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  enterEmail, launchBrowser, openCheckout, startServer, waitForText,
  ALERT, CARD, DECLINED_CARD, EN, PAY, SWITCH, TOTAL,
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

/** Holds every request matching `pattern` until the returned function is called. */
async function hold(page, pattern) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let arrived;
  const seen = new Promise((resolve) => { arrived = resolve; });
  await page.route(pattern, async (route) => {
    arrived();
    await released;
    await route.continue().catch(() => {});
  });
  return { seen, release: () => release() };
}

test('7. unmount() while loading, updating or paying: no trap, nothing touched afterwards', async () => {
  const { page, problems } = await openCheckout(browser, `${server.url}/embed.html`);

  // While an update is pending.
  let held = await hold(page, '**/change-subscription-interval');
  await page.click(SWITCH);
  await held.seen;
  await page.evaluate(() => window.checkoutWidget.unmount());
  held.release();
  await page.waitForTimeout(500);
  await page.unroute('**/change-subscription-interval');

  // While paying (the stand-in's confirm is held).
  await page.evaluate(async () => {
    const { mount } = await import('/leptos-stripe-checkout.js');
    window.checkoutWidget = mount(document.getElementById('checkout-widget'), {
      controls: ['summary', 'payment'],
    });
  });
  await page.locator(CARD).waitFor();
  await enterEmail(page);
  held = await hold(page, '**/v1/payment_pages/*/confirm');
  await page.fill(CARD, DECLINED_CARD);
  await page.click(PAY);
  await held.seen;
  await page.evaluate(() => window.checkoutWidget.unmount());
  held.release();
  await page.waitForTimeout(500);
  await page.unroute('**/v1/payment_pages/*/confirm');

  // While loading (the configuration is held).
  held = await hold(page, '**/config');
  await page.evaluate(async () => {
    const { mount } = await import('/leptos-stripe-checkout.js');
    window.checkoutWidget = mount(document.getElementById('checkout-widget'), {});
  });
  await held.seen;
  await page.evaluate(() => window.checkoutWidget.unmount());
  held.release();
  await page.waitForTimeout(500);
  await page.unroute('**/config');

  // The wasm still works.
  await page.evaluate(async () => {
    const { mount } = await import('/leptos-stripe-checkout.js');
    window.checkoutWidget = mount(document.getElementById('checkout-widget'), {});
  });
  await page.locator(TOTAL).waitFor();
  const before = await page.getAttribute(SWITCH, 'aria-checked');
  await page.click(SWITCH);
  await page.waitForFunction(
    ([s, was]) => document.querySelector(s)?.getAttribute('aria-checked') !== was,
    [SWITCH, before],
  );
  // The declined card's 402 is a failed resource load, nothing else.
  assert.deepEqual(problems.filter((p) => !p.includes('402')), []);
  await page.close();
});

test('8. mount() refuses what is not an element, and a second widget on one element, creating no session', async () => {
  const { page, problems } = await openCheckout(browser, `${server.url}/embed.html`);
  let created = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/create-checkout-session')) created += 1;
  });
  const outcome = await page.evaluate(async () => {
    const { mount } = await import('/leptos-stripe-checkout.js');
    const element = document.getElementById('checkout-widget');
    const results = [];
    const targets = [null, undefined, '#checkout-widget', document.createTextNode('x'), element];
    for (const target of targets) {
      try {
        mount(target, {});
        results.push('mounted');
      } catch (error) {
        results.push(`${error instanceof Error}: ${error.message}`);
      }
    }
    return results;
  });
  assert.match(outcome[0], /^true: mount\(\): the target must be an HTML element, got null$/);
  assert.match(outcome[1], /^true: mount\(\): the target must be an HTML element, got undefined$/);
  assert.match(outcome[2], /^true: mount\(\): .*the string "#checkout-widget".*document\.querySelector/);
  assert.match(outcome[3], /^true: mount\(\): the target must be an HTML element, got a #text node$/);
  assert.match(outcome[4], /^true: mount\(\): this element already holds a checkout widget/);
  await page.waitForTimeout(300);
  assert.equal(created, 0, 'refused mounts create no session');
  assert.equal(await page.locator(SWITCH).count(), 1, 'still one widget');

  // Two widgets on two elements: every id once; the first keeps the guides' ids.
  await page.evaluate(async () => {
    const { mount } = await import('/leptos-stripe-checkout.js');
    const second = document.createElement('div');
    document.querySelector('main').append(second);
    window.secondWidget = mount(second, { controls: ['switch', 'discount', 'summary', 'payment'] });
  });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=total]').length === 2);
  const ids = await page.$$eval('[id]', (elements) => elements.map((element) => element.id));
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], `duplicate ids: ${ids}`);
  assert.ok(ids.includes('change-subscription-interval'));
  assert.ok(ids.includes('lsc2-change-subscription-interval'), ids.join(' '));
  const labelled = await page.$$eval('[aria-labelledby]', (elements) => elements.map(
    (element) => document.getElementById(element.getAttribute('aria-labelledby'))?.textContent,
  ));
  assert.deepEqual(labelled, ['Order summary', 'Order summary']);
  // After unmount() the element takes a widget again.
  await page.evaluate(async () => {
    const { mount } = await import('/leptos-stripe-checkout.js');
    window.checkoutWidget.unmount();
    window.checkoutWidget = mount(document.getElementById('checkout-widget'), {});
  });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=total]').length === 2);
  assert.deepEqual(problems, []);
  await page.close();
});

test('9. without the status control, a declined card is shown by the payment form', async () => {
  const { page, problems } = await openCheckout(browser, `${server.url}/embed.html`);
  await page.evaluate(async () => {
    const { mount } = await import('/leptos-stripe-checkout.js');
    window.checkoutWidget.unmount();
    window.checkoutWidget = mount(document.getElementById('checkout-widget'), {
      controls: ['summary', 'payment'],
    });
  });
  await page.locator(CARD).waitFor();
  await enterEmail(page);
  await page.fill(CARD, DECLINED_CARD);
  await page.click(PAY);
  await waitForText(page, `.lsc-payment ${ALERT}`, EN.declined);
  assert.equal(await page.getByRole('alert').filter({ hasText: EN.declined }).count(), 1);
  assert.deepEqual(problems.filter((p) => !p.includes('402')), []);
  await page.close();
});

test('10. the Payment Element gets the widget\'s theme, or the page\'s own appearance and options through mount()', async () => {
  const { page, problems } = await openCheckout(browser, `${server.url}/embed.html`);
  await page.locator(CARD).waitFor({ timeout: 20000 });
  // No appearance given: the widget's --lsc-* theme, as its root computes it.
  const themed = await page.evaluate(() => {
    const style = getComputedStyle(document.querySelector('.lsc-checkout'));
    const css = (name) => style.getPropertyValue(name).trim();
    return {
      given: window.__sandboxStripeElements.appearance,
      expected: {
        variables: {
          fontFamily: css('--lsc-font'),
          colorPrimary: css('--lsc-accent'),
          colorBackground: css('--lsc-background'),
          colorText: css('--lsc-text'),
          colorTextSecondary: css('--lsc-muted'),
          colorDanger: css('--lsc-danger'),
          borderRadius: css('--lsc-radius'),
        },
      },
      options: window.__sandboxStripeElements.paymentElementOptions,
    };
  });
  assert.equal(themed.expected.variables.colorPrimary, '#4f46e5');
  assert.deepEqual(themed.given, themed.expected);
  assert.equal(themed.options, null, 'no options: Stripe\'s defaults');

  // The page's own: its appearance wins (no theme applied over it), and the
  // Payment Element gets its layout.
  const calls = () => page.evaluate(() => window.__sandboxStripeCalls.changeAppearance || 0);
  const before = await calls();
  await page.evaluate(async () => {
    const { mount } = await import('/leptos-stripe-checkout.js');
    window.checkoutWidget.unmount();
    window.checkoutWidget = mount(document.getElementById('checkout-widget'), {
      controls: ['switch', 'summary', 'payment'],
      elementsOptions: { appearance: { theme: 'night' } },
      paymentElementOptions: { layout: 'accordion' },
    });
  });
  await page.waitForFunction(() => window.__sandboxStripeElements.paymentElementOptions !== null);
  assert.deepEqual(await page.evaluate(() => window.__sandboxStripeElements), {
    appearance: { theme: 'night' },
    paymentElementOptions: { layout: 'accordion' },
  });
  assert.equal(await calls(), before, 'no changeAppearance over the page\'s appearance');
  await page.locator(CARD).waitFor({ timeout: 20000 });

  // What is not an object is refused by name, before anything starts.
  const refused = await page.evaluate(async () => {
    const { mount } = await import('/leptos-stripe-checkout.js');
    const results = [];
    for (const options of [{ paymentElementOptions: ['accordion'] }, { elementsOptions: 'night' }]) {
      try {
        mount(document.createElement('div'), options);
        results.push('mounted');
      } catch (error) {
        results.push(error.message);
      }
    }
    return results;
  });
  assert.deepEqual(refused, [
    'mount(): options.paymentElementOptions must be an object',
    'mount(): options.elementsOptions must be an object',
  ]);
  assert.deepEqual(problems, []);
  await page.close();
});
