// A merchant's own shop (examples/shops/coffee.toml: quarterly or yearly
// coffee, a one-time mug, quantity bounds 1–5), a catalogue of lookup keys,
// and another release train: the Node server and checkout-server alike.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { checkoutServer, lastSeq, nodeServer, normalize, post, requestsAfter, root, sandbox, stripeSession, wire } from './harness.mjs';

const COFFEE = `${root}examples/shops/coffee.toml`;
let sb;
let rust;
let node;

before(async () => {
  sb = await sandbox({ CHECKOUT_CATALOGUE: COFFEE });
  const env = { CHECKOUT_CATALOGUE: COFFEE };
  [rust, node] = await Promise.all([checkoutServer(sb.url, env), nodeServer(sb.url, env)]);
});

after(async () => {
  await Promise.all([rust?.stop(), node?.stop()]);
  await sb?.stop();
});

const lineItem = (s, price) => s.line_items.data.find((li) => li.price.id === price)?.id;

test('the coffee shop: /config, and a flow over two line items with the catalogue\'s bounds', async () => {
  const [ca, cb] = await Promise.all([rust, node].map((s) => fetch(`${s.url}/config`).then((r) => r.json())));
  assert.deepEqual(cb, ca);
  assert.deepEqual(cb.intervals, ['quarterly', 'yearly']);
  const steps = [
    ['/change-subscription-interval', () => ({ interval: 'monthly' })],
    ['/change-subscription-interval', () => ({ interval: 'yearly' })],
    ['/update-line-item-quantity', (s) => ({ line_item_id: lineItem(s, 'price_coffee_yearly'), quantity: 6 })],
    ['/update-line-item-quantity', (s) => ({ line_item_id: lineItem(s, 'price_mug'), quantity: 10 })],
    ['/update-line-item-quantity', (s) => ({ line_item_id: lineItem(s, 'price_coffee_yearly'), quantity: 5 })],
    ['/extend-trial-for-yearly', () => ({})],
    ['/apply-customer-discount', () => ({})],
    ['/change-subscription-interval', () => ({ interval: 'quarterly' })],
    ['/update-line-item-quantity', (s) => ({ line_item_id: lineItem(s, 'price_mug'), quantity: 1 })],
    ['/checkout-session-status', () => ({})],
  ];
  const ids = {};
  for (const server of [rust, node]) ids[server.url] = (await post(server.url, '/create-checkout-session')).body.clientSecret.split('_secret_')[0];
  for (const [path, body] of steps) {
    const got = [];
    for (const server of [rust, node]) {
      const id = ids[server.url];
      const request = { checkout_session_id: id, ...body(await stripeSession(sb.url, id)) };
      const seq = await lastSeq(sb.url);
      const reply = await post(server.url, path, request);
      const sent = normalize((await requestsAfter(sb.url, seq)).map(wire), [server.url]);
      got.push({ reply: [reply.status, reply.body], sent, held: normalize(await stripeSession(sb.url, id), [server.url]) });
    }
    assert.deepEqual(got[1].reply, got[0].reply, path);
    assert.deepEqual(got[1].sent, got[0].sent, `${path}: the wire`);
    assert.deepEqual(got[1].held, got[0].held, `${path}: the session at Stripe`);
  }
  const final = await stripeSession(sb.url, ids[node.url]);
  assert.deepEqual(final.line_items.data.map((li) => [li.price.id, li.quantity]), [['price_coffee_quarterly', 5], ['price_mug', 1]]);
});

test('a catalogue of lookup keys: resolved at start from the account, the same session created', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'node-server-lk-'));
  const file = join(dir, 'shop.toml');
  writeFileSync(file, `currency = "usd"

[[products]]
id = "tea"
name = "Tea club"
in_cart = true
quantity = { min = 1, max = 3, default = 1 }

[[products.prices]]
lookup_key = "tea_monthly"
interval = "monthly"
amount = 900

[[products.prices]]
lookup_key = "tea_yearly"
interval = "yearly"
amount = 9000
`);
  const lk = await sandbox({ CHECKOUT_CATALOGUE: file });
  const env = { CHECKOUT_CATALOGUE: file };
  const [r2, n2] = await Promise.all([checkoutServer(lk.url, env), nodeServer(lk.url, env)]);
  try {
    const made = [];
    for (const server of [r2, n2]) {
      const created = await post(server.url, '/create-checkout-session');
      const id = created.body.clientSecret.split('_secret_')[0];
      const yearly = await post(server.url, '/change-subscription-interval', { checkout_session_id: id, interval: 'yearly' });
      made.push({ yearly: [yearly.status, yearly.body], held: normalize(await stripeSession(lk.url, id), [server.url]) });
    }
    assert.deepEqual(made[1], made[0]);
    assert.equal(made[1].held.line_items.data[0].price.lookup_key, 'tea_yearly');
  } finally {
    await Promise.all([r2.stop(), n2.stop()]);
    await lk.stop();
  }
});

test('another release train (dahlia): /config and the created session alike (ui_mode elements, its API version)', async () => {
  const env = { CHECKOUT_CATALOGUE: COFFEE, STRIPE_JS_TRAIN: 'dahlia' };
  const [r2, n2] = await Promise.all([checkoutServer(sb.url, env), nodeServer(sb.url, env)]);
  try {
    const [ca, cb] = await Promise.all([r2, n2].map((s) => fetch(`${s.url}/config`).then((r) => r.json())));
    assert.deepEqual(cb, ca);
    const made = [];
    for (const server of [r2, n2]) {
      const seq = await lastSeq(sb.url);
      const created = await post(server.url, '/create-checkout-session');
      const id = created.body.clientSecret.split('_secret_')[0];
      const sent = normalize((await requestsAfter(sb.url, seq)).map(wire), [server.url]);
      made.push({ sent, held: normalize(await stripeSession(sb.url, id), [server.url]) });
    }
    assert.deepEqual(made[1], made[0]);
    assert.equal(made[1].held.ui_mode, 'elements');
    assert.equal(made[1].sent[0].stripe_version, '2026-03-25.dahlia; checkout_server_update_beta=v1;');
  } finally {
    await Promise.all([r2.stop(), n2.stop()]);
  }
});

test('a catalogue that is not valid, or does not match the account: neither server starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'node-server-bad-'));
  const cases = {
    'mixed.toml': 'currency = "usd"\n[[products]]\nid = "x"\nname = "X"\nin_cart = true\n[[products.prices]]\nprice = "price_coffee_yearly"\ninterval = "yearly"\namount = 15000\n[[products.prices]]\nprice = "price_mug"\namount = 1200\n',
    'wrong-amount.toml': 'currency = "usd"\n[[products]]\nid = "x"\nname = "X"\nin_cart = true\n[[products.prices]]\nprice = "price_mug"\namount = 1300\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    const file = join(dir, name);
    writeFileSync(file, text);
    for (const start of [checkoutServer, nodeServer]) {
      await assert.rejects(start(sb.url, { CHECKOUT_CATALOGUE: file }, { webhook: false, }).then((s) => s.stop()), /exited \(1\)/, `${start.name} ${name}`);
    }
  }
});
