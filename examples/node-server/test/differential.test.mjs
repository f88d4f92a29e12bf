// The Node server against checkout-server on one emulator: every endpoint,
// refusal and bad input answers the same status and body; the guides' flows
// leave the same session at Stripe; the same calls go over the wire (the
// emulator's request log: Stripe-Version, parameters).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  checkoutServer, checkoutServerEmulator, lastSeq, nodeServer, nodeServerEmulator, normalize, post,
  requestsAfter, requestsFor, sandbox, stripeSession, wire, bothServersOnOneEmulator,
} from './harness.mjs';

let servers;
let sb;
let rust;
let node;
before(async () => { servers = await bothServersOnOneEmulator(); ({ sb, rust, node } = servers); });
after(() => servers?.stop());

/** A new session on `server`: {id, secret, li} (its first line item). */
async function session(server) {
  const created = await post(server.url, '/create-checkout-session');
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const secret = created.body.clientSecret;
  const id = secret.split('_secret_')[0];
  const s = await stripeSession(sb.url, id);
  return { id, secret, li: s.line_items.data[0].id };
}

/** The session at Stripe, comparable across the servers. */
async function held(server, id) {
  return normalize(await stripeSession(sb.url, id), [server.url]);
}

test('GET /config answers the same (Stripe mode against the emulator)', async () => {
  const [a, b] = await Promise.all([rust, node].map((s) => fetch(`${s.url}/config`)));
  assert.equal(b.status, a.status);
  const [ja, jb] = [await a.json(), await b.json()];
  assert.deepEqual(jb, ja);
  assert.deepEqual(Object.keys(jb), Object.keys(ja), 'the same key order');
  assert.equal(jb.mode, 'test');
  assert.deepEqual(jb.previews, ['discounts', 'trials']);
});

test('GET /config in emulator mode is checkout-server --emulator\'s, and its stand-in is served on the same origin', async () => {
  const rustEmu = await checkoutServerEmulator();
  const nodeEmu = await nodeServerEmulator(sb.url);
  try {
    const [ja, jb] = await Promise.all([rustEmu, nodeEmu].map((s) => fetch(`${s.url}/config`).then((r) => r.json())));
    assert.deepEqual(jb, ja);
    assert.equal(jb.stripeJsUrl, '/sandbox/basil/stripe.js');
    const js = await fetch(`${nodeEmu.url}${jb.stripeJsUrl}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /javascript/);
    assert.match(await js.text(), /payment_pages/);
  } finally {
    await Promise.all([rustEmu.stop(), nodeEmu.stop()]);
  }
});

/** The refusals and bad inputs: [name, path, request(ctx) → {body?, raw?, headers?}]. */
const BAD = [
  ['create: text/plain body', '/create-checkout-session', () => ({ raw: '{}', headers: { 'content-type': 'text/plain' } })],
  ['create: not JSON', '/create-checkout-session', () => ({ raw: '{', headers: { 'content-type': 'application/json' } })],
  ['create: an array', '/create-checkout-session', () => ({ body: [] })],
  ['create: an unknown field', '/create-checkout-session', () => ({ body: { amount: 1 } })],
  ['create: a bad email', '/create-checkout-session', () => ({ body: { customer_email: 'ada@example' } })],
  ['create: an email of the wrong type', '/create-checkout-session', () => ({ body: { customer_email: 5 } })],
  ['create: a body without content type', '/create-checkout-session', () => ({ raw: '{}' })],
  ['interval: no content type', '/change-subscription-interval', (c) => ({ raw: JSON.stringify({ checkout_session_id: c.id, interval: 'yearly' }) })],
  ['interval: a +json content type with charset', '/change-subscription-interval', () => ({ raw: '{"interval":"fortnightly"}', headers: { 'content-type': 'application/merchant+json; charset=utf-8' } })],
  ['create: a +json content type', '/create-checkout-session', () => ({ raw: '{}', headers: { 'content-type': 'application/merchant+json' } })],
  ['create: JSON with a charset', '/create-checkout-session', () => ({ raw: '{"customer_email":"x"}', headers: { 'content-type': 'Application/JSON; charset=utf-8' } })],
  ['interval: a lone surrogate', '/change-subscription-interval', () => ({ raw: '{"checkout_session_id":"\\ud800","interval":"yearly"}', headers: { 'content-type': 'application/json' } })],
  ['interval: bytes that are not UTF-8', '/change-subscription-interval', () => ({ raw: Buffer.from([0x7b, 0x22, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x76, 0x61, 0x6c, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } })],
  ['interval: a duplicate key (the last wins)', '/change-subscription-interval', (c) => ({ raw: `{"checkout_session_id":"${c.id}","interval":"yearly","interval":"fortnightly"}`, headers: { 'content-type': 'application/json' } })],
  ['interval: whitespace only', '/change-subscription-interval', () => ({ raw: '  \n ', headers: { 'content-type': 'application/json' } })],
  ['interval: null body', '/change-subscription-interval', () => ({ raw: 'null', headers: { 'content-type': 'application/json' } })],
  ['interval: trailing garbage', '/change-subscription-interval', (c) => ({ raw: `{"checkout_session_id":"${c.id}"} x`, headers: { 'content-type': 'application/json' } })],
  ['interval: a boolean interval', '/change-subscription-interval', (c) => ({ body: { checkout_session_id: c.id, interval: true } })],
  ['interval: an object interval', '/change-subscription-interval', (c) => ({ body: { checkout_session_id: c.id, interval: { name: 'yearly' } } })],
  ['interval: a big float id', '/change-subscription-interval', () => ({ raw: '{"checkout_session_id":1e400}', headers: { 'content-type': 'application/json' } })],
  ['interval: bad JSON', '/change-subscription-interval', () => ({ raw: '{"checkout_session_id":', headers: { 'content-type': 'application/json' } })],
  ['interval: empty body', '/change-subscription-interval', () => ({ raw: '', headers: { 'content-type': 'application/json' } })],
  ['interval: a string body', '/change-subscription-interval', () => ({ body: 'yearly' })],
  ['interval: an array body', '/change-subscription-interval', (c) => ({ body: [c.id, 'yearly'] })],
  ['interval: unknown field', '/change-subscription-interval', (c) => ({ body: { checkout_session_id: c.id, interval: 'yearly', price: 'price_x' } })],
  ['interval: id of the wrong type', '/change-subscription-interval', () => ({ body: { checkout_session_id: 42, interval: 'yearly' } })],
  ['interval: interval of the wrong type', '/change-subscription-interval', (c) => ({ body: { checkout_session_id: c.id, interval: 1.5 } })],
  ['interval: no id', '/change-subscription-interval', () => ({ body: { interval: 'yearly' } })],
  ['interval: bad id', '/change-subscription-interval', () => ({ body: { checkout_session_id: 'cs_test_../x', interval: 'yearly' } })],
  ['interval: no interval', '/change-subscription-interval', (c) => ({ body: { checkout_session_id: c.id } })],
  ['interval: not offered', '/change-subscription-interval', (c) => ({ body: { checkout_session_id: c.id, interval: 'quarterly' } })],
  ['interval: not an interval', '/change-subscription-interval', (c) => ({ body: { checkout_session_id: c.id, interval: 'fortnightly' } })],
  ['interval: unknown session', '/change-subscription-interval', () => ({ body: { checkout_session_id: 'cs_test_doesnotexist', interval: 'yearly' } })],
  ['discounts: no id', '/update-discounts', () => ({ body: { discounts: [] } })],
  ['discounts: missing', '/update-discounts', (c) => ({ body: { checkout_session_id: c.id } })],
  ['discounts: null', '/update-discounts', (c) => ({ body: { checkout_session_id: c.id, discounts: null } })],
  ['discounts: a number', '/update-discounts', (c) => ({ body: { checkout_session_id: c.id, discounts: 5 } })],
  ['discounts: a string', '/update-discounts', (c) => ({ body: { checkout_session_id: c.id, discounts: 'SAVE' } })],
  ['discounts: two', '/update-discounts', (c) => ({ body: { checkout_session_id: c.id, discounts: [{}, {}] } })],
  ['discounts: unknown session', '/update-discounts', () => ({ body: { checkout_session_id: 'cs_test_doesnotexist', discounts: [] } })],
  ['customer discount: not eligible ($15)', '/apply-customer-discount', (c) => ({ body: { checkout_session_id: c.id } })],
  ['customer discount: no id', '/apply-customer-discount', () => ({ body: {} })],
  ['customer discount: unknown session', '/apply-customer-discount', () => ({ body: { checkout_session_id: 'cs_live_doesnotexist' } })],
  ['trial: bad id', '/extend-trial-for-yearly', () => ({ body: { checkout_session_id: 'cs_prod_1' } })],
  ['trial: unknown field', '/extend-trial-for-yearly', (c) => ({ body: { checkout_session_id: c.id, trial_period_days: 90 } })],
  ['trial: unknown session', '/extend-trial-for-yearly', () => ({ body: { checkout_session_id: 'cs_test_doesnotexist' } })],
  ['quantity: 0', '/update-line-item-quantity', (c) => ({ body: { checkout_session_id: c.id, line_item_id: c.li, quantity: 0 } })],
  ['quantity: 11', '/update-line-item-quantity', (c) => ({ body: { checkout_session_id: c.id, line_item_id: c.li, quantity: 11 } })],
  ['quantity: 3.0', '/update-line-item-quantity', (c) => ({ raw: `{"checkout_session_id":"${c.id}","line_item_id":"${c.li}","quantity":3.0}`, headers: { 'content-type': 'application/json' } })],
  ['quantity: -1', '/update-line-item-quantity', (c) => ({ body: { checkout_session_id: c.id, line_item_id: c.li, quantity: -1 } })],
  ['quantity: "3"', '/update-line-item-quantity', (c) => ({ body: { checkout_session_id: c.id, line_item_id: c.li, quantity: '3' } })],
  ['quantity: huge', '/update-line-item-quantity', (c) => ({ raw: `{"checkout_session_id":"${c.id}","line_item_id":"${c.li}","quantity":18446744073709551616}`, headers: { 'content-type': 'application/json' } })],
  ['quantity: missing', '/update-line-item-quantity', (c) => ({ body: { checkout_session_id: c.id, line_item_id: c.li } })],
  ['quantity: no line item', '/update-line-item-quantity', (c) => ({ body: { checkout_session_id: c.id, quantity: 2 } })],
  ['quantity: bad line item id', '/update-line-item-quantity', (c) => ({ body: { checkout_session_id: c.id, line_item_id: 'price_1', quantity: 2 } })],
  ['quantity: line item not in the cart', '/update-line-item-quantity', (c) => ({ body: { checkout_session_id: c.id, line_item_id: 'li_notinthecart', quantity: 2 } })],
  ['quantity: line item id of the wrong type', '/update-line-item-quantity', (c) => ({ body: { checkout_session_id: c.id, line_item_id: ['li_1'], quantity: 2 } })],
  ['status: no id', '/checkout-session-status', () => ({ body: {} })],
  ['status: null id', '/checkout-session-status', () => ({ body: { checkout_session_id: null } })],
  ['status: unknown session', '/checkout-session-status', () => ({ body: { checkout_session_id: 'cs_test_doesnotexist' } })],
  ['order: no id', '/order-status', () => ({ body: {} })],
  ['order: bad id', '/order-status', () => ({ body: { checkout_session_id: 'x' } })],
  ['order: unknown session', '/order-status', () => ({ body: { checkout_session_id: 'cs_test_doesnotexist' } })],
  ['order: open session', '/order-status', (c) => ({ body: { checkout_session_id: c.id } })],
  ['a foreign origin', '/change-subscription-interval', (c) => ({ body: { checkout_session_id: c.id, interval: 'yearly' }, headers: { origin: 'https://evil.example' } })],
  ['a declared body over 16 KiB', '/update-discounts', () => ({ raw: `{"x":"${'a'.repeat(17 * 1024)}"}`, headers: { 'content-type': 'application/json' } })],
  ['a deeply nested body', '/update-discounts', (c) => ({ raw: `{"checkout_session_id":"${c.id}","discounts":${'['.repeat(200)}${']'.repeat(200)}}`, headers: { 'content-type': 'application/json' } })],
  ['webhook: no signature', '/webhook', () => ({ raw: '{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"cs_test_1"}}}', headers: { 'content-type': 'application/json' } })],
  ['webhook: a forged signature', '/webhook', () => ({ raw: '{"id":"evt_1"}', headers: { 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` } })],
];

describe('refusals and bad input: the same status and body, and nothing changed', () => {
  let ctx;
  before(async () => {
    ctx = { rust: await session(rust), node: await session(node) };
    ctx.before = { rust: await held(rust, ctx.rust.id), node: await held(node, ctx.node.id) };
    ctx.seq = await lastSeq(sb.url);
  });

  for (const [name, path, request] of BAD) {
    test(name, async () => {
      const answers = [];
      for (const [server, c] of [[rust, ctx.rust], [node, ctx.node]]) {
        const r = request(c);
        answers.push(await post(server.url, path, r.body, r));
      }
      const [a, b] = answers;
      assert.equal(b.status, a.status, `status: checkout-server ${a.status} ${JSON.stringify(a.body)}, node ${b.status} ${JSON.stringify(b.body)}`);
      assert.deepEqual(b.body, a.body);
      assert.ok(a.body?.type === 'error' || a.body?.status, `an error or a status: ${JSON.stringify(a.body)}`);
    });
  }

  test('wrong methods and unknown paths', async () => {
    for (const [method, path] of [['GET', '/create-checkout-session'], ['PUT', '/update-discounts'], ['POST', '/config'], ['GET', '/webhook'], ['POST', '/nope'], ['GET', '/config/']]) {
      const [a, b] = await Promise.all([rust, node].map((s) => fetch(`${s.url}${path}`, { method })));
      assert.equal(b.status, a.status, `${method} ${path}`);
    }
  });

  test('after all of them, the sessions are as they were: no update reached Stripe', async () => {
    assert.deepEqual(await held(rust, ctx.rust.id), ctx.before.rust);
    assert.deepEqual(await held(node, ctx.node.id), ctx.before.node);
    for (const c of [ctx.rust, ctx.node]) {
      const posts = (await requestsFor(sb.url, c.id, ctx.seq)).filter((r) => r.method === 'POST');
      assert.deepEqual(posts, [], 'no POST to the session');
    }
  });
});

/** Runs `steps` ([path, body(ctx)]) on both servers, comparing each answer, the session at Stripe, and the wire. */
async function sameFlow(steps) {
  const ctx = { rust: await session(rust), node: await session(node) };
  const sessions = [];
  for (const [path, body] of steps) {
    const answers = [];
    for (const [server, c] of [[rust, ctx.rust], [node, ctx.node]]) {
      // The line item ids change when the plan does: read the current one.
      const s = await stripeSession(sb.url, c.id);
      c.li = s.line_items.data[0]?.id;
      const before = await lastSeq(sb.url);
      answers.push({ reply: await post(server.url, path, body(c)), wire: (await requestsFor(sb.url, c.id, before)).map(wire) });
    }
    const [a, b] = answers;
    assert.equal(b.reply.status, a.reply.status, `${path}: ${JSON.stringify(a.reply.body)} vs ${JSON.stringify(b.reply.body)}`);
    assert.deepEqual(b.reply.body, a.reply.body, path);
    // What went to Stripe: the same calls, versions and parameters (ids aside).
    const calls = (w, server) => normalize(w, [server.url]);
    assert.deepEqual(calls(b.wire, node), calls(a.wire, rust), `${path}: the wire`);
    const [ha, hb] = [await held(rust, ctx.rust.id), await held(node, ctx.node.id)];
    assert.deepEqual(hb, ha, `${path}: the session at Stripe`);
    sessions.push(hb);
  }
  return { ctx, sessions };
}

const id = (c) => ({ checkout_session_id: c.id });

test('the guides\' flow: monthly → yearly, trial, customer discount, quantity, back to monthly, discounts removed, status', async () => {
  const { sessions } = await sameFlow([
    ['/change-subscription-interval', (c) => ({ ...id(c), interval: 'yearly' })],
    ['/extend-trial-for-yearly', id],
    ['/apply-customer-discount', id],
    ['/update-line-item-quantity', (c) => ({ ...id(c), line_item_id: c.li, quantity: 2 })],
    ['/change-subscription-interval', (c) => ({ ...id(c), interval: 'monthly' })],
    ['/extend-trial-for-yearly', id],
    ['/update-discounts', (c) => ({ ...id(c), discounts: [] })],
    ['/checkout-session-status', id],
  ]);
  // The yearly plan had the discount ($150 → $15 off) and a trial marker.
  assert.equal(sessions[2].total_details.amount_discount, 1500);
  assert.equal(sessions[1].metadata.checkout_trial_period_days, '14');
  assert.equal(sessions[4].metadata.checkout_trial_period_days, undefined, 'the trial went with the yearly plan');
  assert.equal(sessions[6].total_details.amount_discount, 0);
});

test('the discounts guide: a discount follows the quantity; update-discounts with one entry; invalid discounts', async () => {
  const { sessions } = await sameFlow([
    ['/update-line-item-quantity', (c) => ({ ...id(c), line_item_id: c.li, quantity: 7 })],
    ['/apply-customer-discount', id],
    ['/update-line-item-quantity', (c) => ({ ...id(c), line_item_id: c.li, quantity: 10 })],
    ['/update-line-item-quantity', (c) => ({ ...id(c), line_item_id: c.li, quantity: 6 })],
    ['/update-discounts', (c) => ({ ...id(c), discounts: [{ coupon: 'anything' }] })],
    ['/update-line-item-quantity', (c) => ({ ...id(c), line_item_id: c.li, quantity: 8 })],
    ['/update-discounts', (c) => ({ ...id(c), discounts: [{}] })],
    ['/update-discounts', (c) => ({ ...id(c), discounts: [{}, {}] })],
    ['/update-discounts', (c) => ({ ...id(c), discounts: '' })],
    ['/extend-trial-for-yearly', id],
  ]);
  assert.equal(sessions[1].total_details.amount_discount, 1050, '10 % of $105');
  assert.equal(sessions[2].total_details.amount_discount, 1500, 'followed the quantity');
  assert.equal(sessions[3].total_details.amount_discount, 0, '$90: no discount any more');
  assert.equal(sessions[6].total_details.amount_discount, 1200);
  assert.equal(sessions[8].total_details.amount_discount, 0);
});

test('create with customer_email: the same session at Stripe, the same wire', async () => {
  const made = [];
  for (const server of [rust, node]) {
    const seq = await lastSeq(sb.url);
    const r = await post(server.url, '/create-checkout-session', { customer_email: ' ada@example.com ' });
    assert.equal(r.status, 200);
    const sid = r.body.clientSecret.split('_secret_')[0];
    const sent = normalize((await requestsAfter(sb.url, seq)).map(wire), [server.url]);
    made.push({ held: await held(server, sid), wire: sent });
  }
  assert.deepEqual(made[1].held, made[0].held);
  assert.deepEqual(made[1].wire, made[0].wire);
  assert.equal(made[1].held.customer_email, 'ada@example.com');
  // The create call itself: the default version, the permissions of the beta.
  const create = made[1].wire.find((w) => w.method === 'POST');
  assert.equal(create.stripe_version, '2025-03-31.basil; checkout_server_update_beta=v1;');
  assert.ok(create.idempotent, 'an Idempotency-Key');
  assert.deepEqual(create.params.map(([k]) => k), [
    'mode', 'ui_mode', 'line_items[0][price]', 'line_items[0][quantity]',
    'permissions[update_line_items]', 'permissions[update_discounts]', 'return_url', 'customer_email',
  ]);
});

test('the preview version goes only with subscription_data (the trial): never on calls that do not need it', async () => {
  const c = await session(node);
  const seq = await lastSeq(sb.url);
  await post(node.url, '/change-subscription-interval', { ...id(c), interval: 'yearly' });
  await post(node.url, '/extend-trial-for-yearly', id(c));
  await post(node.url, '/apply-customer-discount', id(c));
  await post(node.url, '/change-subscription-interval', { ...id(c), interval: 'monthly' });
  const calls = await requestsFor(sb.url, c.id, seq);
  assert.ok(calls.length >= 8);
  for (const call of calls) {
    const trial = call.params.some(([k]) => k.startsWith('subscription_data'));
    assert.equal(call.stripe_version, trial ? '2025-03-31.preview; checkout_server_update_beta=v1;' : '2025-03-31.basil; checkout_server_update_beta=v1;',
      `${call.method} ${call.path} ${JSON.stringify(call.params)}`);
  }
  assert.equal(calls.filter((x) => x.stripe_version.includes('preview')).length, 2, 'the trial, and its removal with the plan change');
});

test('with the previews off, no preview parameter is sent and their endpoints answer 404 (as checkout-server)', async () => {
  const env = { STRIPE_PREVIEWS: 'none' };
  const [r2, n2] = await Promise.all([checkoutServer(sb.url, env), nodeServer(sb.url, env)]);
  try {
    const [ca, cb] = await Promise.all([r2, n2].map((s) => fetch(`${s.url}/config`).then((r) => r.json())));
    assert.deepEqual(cb, ca);
    const made = [];
    for (const server of [r2, n2]) {
      const seq = await lastSeq(sb.url);
      const c = await session(server);
      const answers = [];
      for (const path of ['/apply-customer-discount', '/extend-trial-for-yearly']) answers.push(await post(server.url, path, id(c)));
      answers.push(await post(server.url, '/update-discounts', { ...id(c), discounts: [] }));
      answers.push(await post(server.url, '/change-subscription-interval', { ...id(c), interval: 'yearly' }));
      made.push({ answers, wire: normalize((await requestsFor(sb.url, c.id, seq)).map(wire), [server.url]) });
    }
    assert.deepEqual(made[1].answers.map((a) => [a.status, a.body]), made[0].answers.map((a) => [a.status, a.body]));
    assert.equal(made[1].answers[0].status, 404);
    assert.deepEqual(made[1].wire, made[0].wire);
    assert.ok(!JSON.stringify(made[1].wire).includes('update_discounts'), 'no discounts permission');
  } finally {
    await Promise.all([r2.stop(), n2.stop()]);
  }
});

test('without preview access (a GA version, no beta): no permissions, the switch on the GA version, as checkout-server', async () => {
  const env = { STRIPE_PREVIEWS: 'none', STRIPE_API_VERSION: '2025-12-15.clover' };
  const [r2, n2] = await Promise.all([checkoutServer(sb.url, env), nodeServer(sb.url, env)]);
  try {
    const made = [];
    for (const server of [r2, n2]) {
      const seq = await lastSeq(sb.url);
      const created = await post(server.url, '/create-checkout-session');
      const sid = created.body.clientSecret.split('_secret_')[0];
      const switched = await post(server.url, '/change-subscription-interval', { checkout_session_id: sid, interval: 'yearly' });
      const sent = normalize((await requestsAfter(sb.url, seq)).map(wire), [server.url]);
      made.push({ switched: [switched.status, switched.body], sent, held: await held(server, sid) });
    }
    assert.deepEqual(made[1], made[0]);
    assert.ok(made[1].sent.every((w) => w.stripe_version === '2025-12-15.clover'), JSON.stringify(made[1].sent));
    assert.ok(!JSON.stringify(made[1].sent).includes('permissions'));
  } finally {
    await Promise.all([r2.stop(), n2.stop()]);
  }
});
