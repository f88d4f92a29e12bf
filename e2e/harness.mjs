// Starts checkout-server (emulator mode) serving the release build, and
// Debian's headless Chromium, for the end-to-end tests.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const artifacts = `${root}target/e2e-artifacts`;
const dist = process.env.E2E_DIST || `${root}target/e2e-dist`;
const serverBin = process.env.E2E_SERVER || `${root}target/debug/checkout-server`;

export const SANDBOX_KEY = 'sk_test_sandbox';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Starts the server on a free loopback port (or `PORT` in `extraEnv`);
 * resolves {url, port, stop, kill}: `stop` asks it to end (SIGTERM), `kill`
 * ends it at once, as a crash would; both resolve once it has exited.
 * `bin` runs another server that prints the same `listening on` line (the
 * SSR example's).
 */
export function startServer(extraEnv = {}, { bin = serverBin } = {}) {
  // Emulator mode, asked for (the server never starts it unasked); the
  // order store in memory unless a test names a database.
  const env = {
    ...process.env, PORT: '0', HOST: '127.0.0.1', STATIC_DIR: dist, RUST_LOG: 'warn',
    CHECKOUT_MODE: 'emulator', DATABASE_URL: 'sqlite::memory:', ...extraEnv,
  };
  for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_API_BASE']) delete env[key];
  const child = spawn(bin, [], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('checkout-server did not start in 30 s')), 30000);
    let buffer = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`checkout-server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const match = buffer.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        const exited = new Promise((done) => child.once('exit', done));
        const end = (signal) => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        };
        resolve({
          url: match[1],
          port: new URL(match[1]).port,
          stop: () => end('SIGTERM'),
          kill: () => end('SIGKILL'),
        });
      }
    });
  });
}

export async function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Opens the demo page and records console errors and uncaught exceptions. */
/** What the customer sees, by selector (the seeds' ids and the widget's roles). */
export const SWITCH = '#change-subscription-interval';
export const DISCOUNT = '#apply-customer-discount';
export const TOTAL = '[data-testid=total]';
export const ALERT = '[role=alert]';
export const STATUS = '[role=status]';
export const PAY = '#pay';
export const CARD = 'input[name=cardnumber]';
export const EMAIL = '#email';
export const EMAIL_ERROR = '[data-testid=email-error]';
export const TEST_EMAIL = 'customer@example.com';
export const TEST_CARD = '4242 4242 4242 4242';
export const DECLINED_CARD = '4000 0000 0000 0002';

/** The widget's English labels the tests look for (src/labels.rs). */
export const EN = {
  syncFailed: "We couldn't load the latest version of your order. Check your connection; we'll try again automatically.",
  updateSlow: 'Your change is taking longer than usual. Your order will show here as soon as it is confirmed.',
  expired: 'This checkout has expired.',
  gone: 'This checkout is no longer available.',
  declined: 'Your card was declined. Please try another card.',
  paid: 'Payment complete. Thank you!',
  complete: 'This order is complete and can no longer be changed.',
  // The status region once the merchant server has fulfilled the order.
  completeConfirmed: 'This order is complete and can no longer be changed. Order confirmed',
  startOver: 'Start a new checkout',
};

/** Where the widget remembers this tab's session (src/storage.rs). */
export const SESSION_KEY = 'leptos-stripe-checkout:0:/create-checkout-session';

/**
 * Records console errors and uncaught exceptions of `page` (and, with
 * `warnings`, console warnings) into the returned arrays.
 */
export function watchConsole(page) {
  const problems = [];
  const warnings = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    if (message.type() === 'warning') warnings.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return { problems, warnings };
}

/**
 * The customer leaves the tab and comes back to it: the tab is hidden, then
 * shown, as the widget learns it (`document.hidden` and
 * `document.visibilityState`, then the `visibilitychange` a browser fires
 * at the document). Headless Chromium keeps every tab visible (switching
 * tabs, minimising and focus emulation change nothing), so both states are
 * set on the document and both events dispatched, in order: deterministic
 * on any machine, and no focus event (the widget does not listen to focus).
 * The page's own getters come back afterwards.
 */
export async function hideAndShow(page) {
  await page.evaluate(() => {
    const show = (hidden) => {
      const values = { hidden, visibilityState: hidden ? 'hidden' : 'visible' };
      for (const [key, value] of Object.entries(values)) {
        Object.defineProperty(document, key, { configurable: true, get: () => value });
      }
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    };
    show(true);
    show(false);
    delete document.hidden;
    delete document.visibilityState;
  });
}

/**
 * Types the customer's email into the payment form's field and leaves it
 * (Tab), as a customer does: the widget gives it to Stripe.js's
 * `updateEmail`; waits until it is accepted (Pay no longer aria-disabled).
 * `pay` is the Pay button's selector; the field's is derived from it
 * (`#pay` → `#email`, `#lsc2-pay` → `#lsc2-email`).
 */
export async function enterEmail(page, { email = TEST_EMAIL, pay = PAY } = {}) {
  const field = pay.replace(/pay$/, 'email');
  await page.locator(field).waitFor();
  await page.fill(field, email);
  await page.locator(field).press('Tab');
  await page.waitForFunction(
    ([f, p]) => document.querySelector(f)?.getAttribute('aria-busy') === null
      && !document.querySelector(p)?.hasAttribute('aria-disabled'),
    [field, pay],
    { timeout: 10000 },
  );
}

/** Whether the payment form asks for the email (the session has none yet, or not this one). */
export async function needsEmail(page, pay = PAY) {
  const field = page.locator(pay.replace(/pay$/, 'email'));
  return (await field.count()) > 0 && (await field.isVisible())
    && (await page.getAttribute(pay, 'aria-disabled')) === 'true';
}

/** Pays with the stand-in's test card (entering the email first when asked) and waits for the confirmation. */
export async function payWithTestCard(page, pay = PAY) {
  await page.locator(CARD).first().waitFor();
  if (await needsEmail(page, pay)) await enterEmail(page, { pay });
  await page.fill(CARD, TEST_CARD);
  await page.click(pay);
  await page.locator('[data-testid=paid]').first().waitFor({ state: 'visible', timeout: 10000 });
}

/** What Stripe charged for a session: "$150.00 per year" (amount_total and interval). */
export async function charged(url, id) {
  const session = await sandboxSession(url, id);
  assert.equal(session.status, 'complete', `session ${id} is ${session.status}`);
  const amount = (session.amount_total / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
  const interval = session.line_items.data[0].price.recurring.interval;
  return `${amount} per ${interval}`;
}

/** Opens `url` in a new page of `browser` (or of a browser context). */
export async function openCheckout(browser, url, { ready = '[data-testid=total]' } = {}) {
  const page = await browser.newPage({ viewport: { width: 720, height: 720 } });
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  // The body of the latest /create-checkout-session answer. The response
  // event arrives before anything the page did with it, but reading its body
  // is another round trip to the browser, so the reads are awaited rather
  // than raced: a test that saw the page use a new session gets its id.
  let created = Promise.resolve(null);
  page.on('response', (response) => {
    if (response.url().endsWith('/create-checkout-session')) {
      const previous = created;
      created = response
        .json()
        .then((body) => (body && body.clientSecret ? body.clientSecret : previous))
        .catch(() => previous);
    }
  });
  await page.goto(url);
  await page.locator(ready).waitFor({ timeout: 20000 });
  const secret = async () => created;
  const sessionId = async () => (await created)?.split('_secret_')[0] ?? null;
  return { page, problems, sessionId, secret };
}

export async function waitForAttribute(page, selector, name, value) {
  await page.waitForFunction(
    ([s, n, v]) => document.querySelector(s)?.getAttribute(n) === v,
    [selector, name, value],
    { timeout: 10000 },
  );
}

export async function waitForText(page, selector, text) {
  await page.waitForFunction(
    ([s, t]) => document.querySelector(s)?.textContent === t,
    [selector, text],
    { timeout: 10000 },
  );
}

/** Reads a session straight from the sandbox's Stripe API. */
export async function sandboxSession(url, id) {
  const response = await fetch(`${url}/v1/checkout/sessions/${id}?expand[]=line_items&expand[]=discounts`, {
    headers: { Authorization: `Bearer ${SANDBOX_KEY}` },
  });
  if (!response.ok) throw new Error(`sandbox answered ${response.status}`);
  return response.json();
}

export async function injectFaults(url, failNext, status) {
  const response = await fetch(`${url}/sandbox/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fail_next: failNext, status }),
  });
  if (!response.ok) throw new Error(`faults answered ${response.status}`);
}

/** Reads the sandbox's counters (`GET /sandbox/stats`). */
export async function sandboxStats(url) {
  const response = await fetch(`${url}/sandbox/stats`);
  if (!response.ok) throw new Error(`stats answered ${response.status}`);
  return response.json();
}

/** Sets the sandbox's whole fault plan: {fail_next, status, delay_next, delay_ms, hang_next}. */
export async function setFaults(url, plan) {
  const response = await fetch(`${url}/sandbox/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(plan),
  });
  if (!response.ok) throw new Error(`faults answered ${response.status}`);
}

// Evaluated through the DevTools protocol, which the page's Content Security
// Policy does not block (an injected <script> would be).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core (WCAG 2.1 A/AA, or only `rules`) on the page; fails on any
 * violation. `record(results)` sees every run.
 */
export async function axeScan(page, state, { rules, record } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  const runOnly = rules ? { type: 'rule', values: rules } : { type: 'tag', values: WCAG21_AA };
  const results = await page.evaluate((options) => window.axe.run(document, options), {
    runOnly, resultTypes: ['violations'],
  });
  record?.(results);
  const report = results.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n${
    violation.nodes.map((node) => `    ${node.target.join(' ')}: ${node.failureSummary.replace(/\n/g, ' ')}`).join('\n')}`);
  assert.deepEqual(report, [], `axe found violations in the ${state} state:\n${report.join('\n')}`);
  return results;
}

/** A short description of the focused element. */
export function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'body';
    if (element.id) return `#${element.id}`;
    if (element.name) return `input[name=${element.name}]`;
    if (element.classList.contains('lsc-quantity__step')) return `quantity ${element.textContent}`;
    if (element.getAttribute('role') === 'checkbox') return `checkbox ${element.textContent}`;
    if (element.closest('.lsc-express')) return 'wallet';
    return element.getAttribute('aria-label') || element.tagName.toLowerCase();
  });
}

/** Presses `key` `count` times; what has focus after each. */
export async function tabOrder(page, count, key = 'Tab') {
  const order = [];
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.press(key);
    order.push(await focused(page));
  }
  return order;
}
