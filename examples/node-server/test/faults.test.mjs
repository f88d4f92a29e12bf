// Stripe failing (the emulator's fault injection), a slow Stripe past the
// request's deadline, and the per-client rate limit: the Node server answers
// as checkout-server does (503 try_again after the retries, 400 for a
// refusal, discount_failed on the discount endpoints, 429 with Retry-After).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkoutServer, nodeServer, normalize, post, sandbox, stripeSession, bothServersOnOneEmulator } from './harness.mjs';

let servers;
let sb;
let rust;
let node;
before(async () => { servers = await bothServersOnOneEmulator(); ({ sb, rust, node } = servers); });
after(() => servers?.stop());

async function faults(plan) {
  const res = await fetch(`${sb.url}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) });
  assert.equal(res.status, 204);
}

const newSession = async (server) => (await post(server.url, '/create-checkout-session')).body.clientSecret.split('_secret_')[0];

/** `plan` on the emulator, then `path` with `body(id)` on each server (its own session); the answers. */
async function underFaults(plan, path, body, servers = [rust, node]) {
  const answers = [];
  for (const server of servers) {
    const id = await newSession(server);
    await faults(plan);
    try {
      answers.push({ id, server, ...(await post(server.url, path, body(id))) });
    } finally {
      await faults({ fail_next: 0 });
    }
  }
  return answers;
}

const SCENARIOS = [
  ['Stripe 500 on every attempt of an update → 503 try_again', { fail_next: 3, status: 500, method: 'POST' }, '/change-subscription-interval', (id) => ({ checkout_session_id: id, interval: 'yearly' }), 503],
  ['Stripe 500 on a discount update → 503 try_again', { fail_next: 3, status: 500, method: 'POST' }, '/update-discounts', (id) => ({ checkout_session_id: id, discounts: [{}] }), 503],
  ['Stripe 400 on an update → 400 bad_request', { fail_next: 1, status: 400, method: 'POST', should_retry: false }, '/change-subscription-interval', (id) => ({ checkout_session_id: id, interval: 'yearly' }), 400],
  ['Stripe 400 on the discounts update → 400 discount_failed', { fail_next: 1, status: 400, method: 'POST', should_retry: false }, '/update-discounts', (id) => ({ checkout_session_id: id, discounts: [] }), 400],
  ['Stripe 400 on the read of a discount endpoint → 400 discount_failed', { fail_next: 1, status: 400, method: 'GET', should_retry: false }, '/update-discounts', (id) => ({ checkout_session_id: id, discounts: [{}] }), 400],
  ['a lock timeout (429) three times: retried past the usual two (429s up to ten) → success', { fail_next: 3, error: 'lock_timeout', method: 'POST' }, '/extend-trial-for-yearly', (id) => ({ checkout_session_id: id }), 200],
  ['Stripe 500 on the status read → 503 try_again', { fail_next: 3, status: 500, method: 'GET' }, '/checkout-session-status', (id) => ({ checkout_session_id: id }), 503],
  ['Stripe 500 on the order read → 503 try_again', { fail_next: 3, status: 500, method: 'GET' }, '/order-status', (id) => ({ checkout_session_id: id }), 503],
  ['one 500 then success: retried with the same key → success', { fail_next: 1, status: 500, method: 'POST' }, '/change-subscription-interval', (id) => ({ checkout_session_id: id, interval: 'yearly' }), 200],
  ['the update applied, its answer lost: the retry is replayed → success, applied once', { fail_next: 1, status: 500, method: 'POST', after_endpoint: true }, '/change-subscription-interval', (id) => ({ checkout_session_id: id, interval: 'yearly' }), 200],
];

for (const [name, plan, path, body, status] of SCENARIOS) {
  test(name, async () => {
    const [a, b] = await underFaults(plan, path, body);
    assert.equal(a.status, status, `checkout-server: ${JSON.stringify(a.body)}; node: ${b.status} ${JSON.stringify(b.body)}`);
    assert.equal(b.status, a.status, `${JSON.stringify(a.body)} vs ${JSON.stringify(b.body)}`);
    assert.deepEqual(b.body, a.body);
    const [sa, sb2] = [await stripeSession(sb.url, a.id), await stripeSession(sb.url, b.id)];
    assert.deepEqual(normalize(sb2, [node.url]), normalize(sa, [rust.url]), 'the session at Stripe');
  });
}

test('a Stripe slower than the request\'s deadline → 503 try_again from both', async () => {
  const env = { STRIPE_UPDATE_DEADLINE_MS: '400', STRIPE_MAX_RETRIES: '0' };
  const [r2, n2] = await Promise.all([checkoutServer(sb.url, env), nodeServer(sb.url, env)]);
  try {
    const [a, b] = await underFaults({ delay_next: 1, delay_ms: 2000, method: 'GET' }, '/change-subscription-interval', (id) => ({ checkout_session_id: id, interval: 'yearly' }), [r2, n2]);
    assert.deepEqual([b.status, b.body], [a.status, a.body]);
    assert.equal(b.status, 503);
  } finally {
    await Promise.all([r2.stop(), n2.stop()]);
  }
});

test('the per-client rate limit: the same 429 with Retry-After past the burst', async () => {
  const env = { RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '2' };
  const [r2, n2] = await Promise.all([checkoutServer(sb.url, env), nodeServer(sb.url, env)]);
  try {
    const runs = [];
    for (const server of [r2, n2]) {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await post(server.url, '/checkout-session-status', { checkout_session_id: 'cs_test_ratelimited' }));
      answers.push(await post(server.url, '/webhook', undefined, { raw: '{}', headers: { 'stripe-signature': 't=1,v1=00' } }));
      const config = await fetch(`${server.url}/config`);
      runs.push({ answers: answers.map((x) => [x.status, x.body]), retryAfter: answers[2].headers.get('retry-after'), config: config.status });
    }
    assert.deepEqual(runs[1].answers, runs[0].answers);
    assert.equal(runs[1].answers[2][0], 429);
    assert.equal(runs[1].answers[3][0], 400, 'Stripe\'s deliveries are not limited');
    assert.ok(Number(runs[1].retryAfter) >= 1 && runs[0].retryAfter !== null);
    assert.equal(runs[1].config, 200);
  } finally {
    await Promise.all([r2.stop(), n2.stop()]);
  }
});
