// Paid orders: the stand-in's payment → the emulator's signed
// checkout.session.completed → /webhook → the journal; retries and
// duplicates fulfil once; a bad signature fulfils nothing; the order
// survives a crash (SIGKILL) and a restart. And the page.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import {
  checkoutServer, eventually, journal, lastSeq, nodeServer, nodeServerEmulator, pay, post, requestsFor,
  restart, sandbox, stripeSession,
} from './harness.mjs';

let sb;
let rust;
let node;

before(async () => {
  sb = await sandbox();
  [rust, node] = await Promise.all([checkoutServer(sb.url), nodeServer(sb.url)]);
});

after(async () => {
  await Promise.all([rust?.stop(), node?.stop()]);
  await sb?.stop();
});

const orders = (path, id) => journal(path).filter((l) => l.kind === 'order' && l.session_id === id);
const createOn = async (server) => (await post(server.url, '/create-checkout-session')).body.clientSecret;

/** A signed delivery of `event` for `secret`, as Stripe signs it. */
function signed(event, secret) {
  const payload = JSON.stringify(event);
  return { raw: payload, headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) } };
}

test('pay → webhook → fulfilled once; /order-status answers as checkout-server does; duplicates and retries change nothing', async () => {
  const secrets = { rust: await createOn(rust), node: await createOn(node) };
  await pay(sb.url, secrets.rust);
  const id = await pay(sb.url, secrets.node);
  // The webhook (not the return) fulfilled it: its source is the event's id.
  const [order] = await eventually(() => orders(node.journal, id).length && orders(node.journal, id), 'the webhook fulfilled the order');
  assert.match(order.source, /^evt_/);
  assert.equal(order.payment_status, 'paid');
  assert.equal(order.amount_total, 1500);
  assert.equal(order.customer_email, 'buyer@example.com');
  assert.deepEqual(order.line_items.map((l) => [l.price, l.quantity]), [['price_sandbox_monthly', 1]]);
  const rustId = secrets.rust.split('_secret_')[0];
  const [a, b] = [await post(rust.url, '/order-status', { checkout_session_id: rustId }), await post(node.url, '/order-status', { checkout_session_id: id })];
  assert.equal(b.status, a.status);
  assert.deepEqual(b.body, a.body);
  assert.deepEqual(b.body, { status: 'fulfilled', amountTotal: 1500, currency: 'usd' });
  // Stripe delivers at least once: the same event again, and another event for the session.
  const event = { id: 'evt_nodeserver_dup', object: 'event', type: 'checkout.session.completed', data: { object: { id, object: 'checkout.session' } } };
  const rustEvent = { ...event, data: { object: { id: rustId, object: 'checkout.session' } } };
  for (const expected of [{ received: true }, { received: true, duplicate: true }]) {
    const [ra, rb] = [await post(rust.url, '/webhook', undefined, signed(rustEvent, rust.secret)), await post(node.url, '/webhook', undefined, signed(event, node.secret))];
    assert.equal(rb.status, ra.status);
    assert.deepEqual(rb.body, ra.body);
    assert.deepEqual(rb.body, expected);
  }
  assert.equal(orders(node.journal, id).length, 1, 'one order line');
  // Other events and sessions: acknowledged or refused as checkout-server does.
  for (const [name, make] of [
    ['an unhandled type', (sid) => ({ id: 'evt_other', type: 'customer.created', data: { object: { id: 'cus_1' } } })],
    ['no session', (sid) => ({ id: 'evt_nosession', type: 'checkout.session.completed', data: { object: { id: 'pi_1' } } })],
    ['not an event', (sid) => ({ hello: sid })],
    ['an unknown session', (sid) => ({ id: 'evt_unknown', type: 'checkout.session.completed', data: { object: { id: 'cs_test_doesnotexist' } } })],
    ['an expired session', (sid) => ({ id: 'evt_expired', type: 'checkout.session.expired', data: { object: { id: sid } } })],
  ]) {
    const [ra, rb] = [await post(rust.url, '/webhook', undefined, signed(make(rustId), rust.secret)), await post(node.url, '/webhook', undefined, signed(make(id), node.secret))];
    assert.equal(rb.status, ra.status, name);
    assert.deepEqual(rb.body, ra.body, name);
  }
});

test('a bad signature is 400 and fulfils nothing; the right one fulfils', async () => {
  // A server whose endpoint the emulator does not know: only our deliveries reach it.
  const quiet = await nodeServer(sb.url, { STRIPE_WEBHOOK_SECRET: 'whsec_nodeserverquiet' }, { webhook: false });
  try {
    const id = await pay(sb.url, await createOn(quiet));
    const event = { id: 'evt_nodeserver_paid', object: 'event', type: 'checkout.session.completed', data: { object: { id, object: 'checkout.session' } } };
    for (const forged of [signed(event, 'whsec_forged'), { ...signed(event, 'whsec_nodeserverquiet'), raw: JSON.stringify({ ...event, id: 'evt_tampered' }) }]) {
      const r = await post(quiet.url, '/webhook', undefined, forged);
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, { type: 'error', message: 'Webhook signature verification failed.', code: 'invalid_request' });
    }
    assert.deepEqual(journal(quiet.journal), [], 'nothing recorded');
    const ok = await post(quiet.url, '/webhook', undefined, signed(event, 'whsec_nodeserverquiet'));
    assert.deepEqual([ok.status, ok.body], [200, { received: true }]);
    assert.equal(orders(quiet.journal, id)[0].source, 'evt_nodeserver_paid');
  } finally {
    await quiet.stop();
  }
});

test('the order survives a crash: SIGKILL, restart on the same journal, /order-status fulfilled without asking Stripe', async () => {
  const id = await pay(sb.url, await createOn(node));
  await eventually(() => orders(node.journal, id).length === 1, 'fulfilled by the webhook');
  node = await restart(node, 'SIGKILL');
  // A torn last line (a crash mid-append) is dropped at start; the journal stays whole for later starts.
  writeFileSync(node.journal, '{"kind":"order","session_id":"cs_test_torn', { flag: 'a' });
  node = await restart(node, 'SIGKILL');
  assert.ok(readFileSync(node.journal, 'utf8').endsWith('\n'), 'truncated to its whole lines');
  node = await restart(node, 'SIGTERM');
  const seq = await lastSeq(sb.url);
  const r = await post(node.url, '/order-status', { checkout_session_id: id });
  assert.deepEqual([r.status, r.body], [200, { status: 'fulfilled', amountTotal: 1500, currency: 'usd' }]);
  assert.deepEqual(await requestsFor(sb.url, id, seq), [], 'answered from the journal');
  assert.equal(orders(node.journal, id).length, 1);
  // The restarted server still fulfils (its next line is whole).
  const next = await pay(sb.url, await createOn(node));
  await eventually(() => orders(node.journal, next).length === 1, 'fulfilled after the restart');
  assert.equal(journal(node.journal).filter((l) => l.session_id === 'cs_test_torn').length, 0);
});

test('/order-status on the customer\'s return fulfils a paid session whose event has not arrived, once', async () => {
  const quiet = await nodeServer(sb.url, { STRIPE_WEBHOOK_SECRET: 'whsec_nodeserverquiet2' }, { webhook: false });
  try {
    const secret = await createOn(quiet);
    const id = secret.split('_secret_')[0];
    assert.deepEqual((await post(quiet.url, '/order-status', { checkout_session_id: id })).body, { status: 'pending' });
    await pay(sb.url, secret);
    for (let i = 0; i < 2; i++) {
      const r = await post(quiet.url, '/order-status', { checkout_session_id: id });
      assert.deepEqual(r.body, { status: 'fulfilled', amountTotal: 1500, currency: 'usd' });
    }
    const [order] = orders(quiet.journal, id);
    assert.equal(order.source, 'return');
    assert.equal(orders(quiet.journal, id).length, 1);
    // A paid session is no longer open: the updates refuse it as checkout-server does.
    const rustSecret = await createOn(rust);
    await pay(sb.url, rustSecret);
    const rustId = rustSecret.split('_secret_')[0];
    for (const [path, body] of [['/apply-customer-discount', {}], ['/change-subscription-interval', { interval: 'yearly' }], ['/checkout-session-status', {}]]) {
      const [a, b] = [await post(rust.url, path, { checkout_session_id: rustId, ...body }), await post(quiet.url, path, { checkout_session_id: id, ...body })];
      assert.deepEqual([b.status, b.body], [a.status, a.body], path);
    }
    assert.equal((await stripeSession(sb.url, id)).status, 'complete');
  } finally {
    await quiet.stop();
  }
});

test('emulator mode: the server registers its own /webhook with the emulator; a payment is fulfilled through it', async () => {
  const emu = await nodeServerEmulator(sb.url);
  try {
    const secret = await createOn(emu);
    // The page pays through the stand-in proxied on the server's origin.
    const id = secret.split('_secret_')[0];
    const form = new URLSearchParams({ key: 'pk_test_sandbox', client_secret: secret, 'payment_method[card][number]': '4242424242424242', email: 'emu@example.com' });
    const paid = await fetch(`${emu.url}/v1/payment_pages/${id}/confirm`, { method: 'POST', body: form });
    assert.equal(paid.status, 200);
    const [order] = await eventually(() => orders(emu.journal, id).length && orders(emu.journal, id), 'fulfilled by the webhook');
    assert.match(order.source, /^evt_/);
    assert.equal(order.customer_email, 'emu@example.com');
  } finally {
    await emu.stop();
  }
});

test('the page: index.html, main.js and the widget package from WIDGET_DIR, with checkout-server\'s security headers', async () => {
  const widget = mkdtempSync(join(tmpdir(), 'node-server-widget-'));
  writeFileSync(join(widget, 'start.js'), 'export function start() {}\n');
  const emu = await nodeServerEmulator(sb.url, { WIDGET_DIR: widget });
  try {
    const [page, rustPage] = await Promise.all([fetch(`${emu.url}/`), fetch(`${rust.url}/config`)]);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="\/main.js"><\/script>/);
    for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy']) {
      assert.equal(page.headers.get(name), rustPage.headers.get(name), name);
    }
    const main = await fetch(`${emu.url}/main.js`);
    assert.match(await main.text(), /from '\/widget\/leptos_stripe_checkout.js'/);
    const start = await fetch(`${emu.url}/widget/start.js`);
    assert.equal(start.status, 200);
    assert.match(start.headers.get('content-type'), /javascript/);
    assert.equal((await fetch(`${emu.url}/widget/../server.mjs`)).status, 404);
    assert.equal((await fetch(`${emu.url}/return.html`)).status, 200);
  } finally {
    await emu.stop();
  }
});
