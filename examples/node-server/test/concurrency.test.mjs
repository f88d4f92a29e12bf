// Concurrent updates of one session (two tabs, a double click): whatever
// order they land in, the session is left holding only what the policies
// allow its line items (docs/consistency.md), on the Node server as on
// checkout-server: the discount is the policy's for the subtotal or none,
// the trial marker only on a yearly plan. Every answer is one of the
// contract's (success, or a refusal with its code).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkoutServer, eventually, nodeServer, post, sandbox, stripeSession, bothServersOnOneEmulator } from './harness.mjs';

let servers;
let sb;
let rust;
let node;
before(async () => { servers = await bothServersOnOneEmulator(); ({ sb, rust, node } = servers); });
after(() => servers?.stop());

const KNOWN = new Set(['success', 'object']);
const CODES = new Set(['cart_changed', 'not_eligible', 'no_line_item', 'try_again']);

function holds(session) {
  const subtotal = session.amount_subtotal;
  const discount = session.total_details?.amount_discount ?? 0;
  const allowed = subtotal > 10_000 ? Math.min(Math.trunc(subtotal / 10), 2_000) : 0;
  const interval = session.line_items.data.find((li) => li.price.recurring)?.price.recurring.interval;
  const trial = session.metadata?.checkout_trial_period_days;
  return {
    discount: discount === 0 || discount === allowed,
    trial: trial === undefined || trial === '' || (trial === '14' && interval === 'year'),
  };
}

for (const name of ['checkout-server', 'node']) {
  test(`${name}: concurrent updates leave a session the policies allow`, async () => {
    const server = name === 'node' ? node : rust;
    for (let round = 0; round < 4; round++) {
      const secret = (await post(server.url, '/create-checkout-session')).body.clientSecret;
      const id = secret.split('_secret_')[0];
      const li = (await stripeSession(sb.url, id)).line_items.data[0].id;
      // Start on a yearly plan with a trial and a discount, then race.
      await post(server.url, '/change-subscription-interval', { checkout_session_id: id, interval: 'yearly' });
      await post(server.url, '/extend-trial-for-yearly', { checkout_session_id: id });
      await post(server.url, '/apply-customer-discount', { checkout_session_id: id });
      const yearlyLi = (await stripeSession(sb.url, id)).line_items.data[0].id;
      const answers = await Promise.all([
        post(server.url, '/change-subscription-interval', { checkout_session_id: id, interval: 'monthly' }),
        post(server.url, '/extend-trial-for-yearly', { checkout_session_id: id }),
        post(server.url, '/apply-customer-discount', { checkout_session_id: id }),
        post(server.url, '/update-line-item-quantity', { checkout_session_id: id, line_item_id: round % 2 ? li : yearlyLi, quantity: 3 }),
        post(server.url, '/update-discounts', { checkout_session_id: id, discounts: [{}] }),
      ]);
      for (const a of answers) {
        assert.ok(KNOWN.has(a.body.type) || CODES.has(a.body.code), `${a.status} ${JSON.stringify(a.body)}`);
      }
      const session = await stripeSession(sb.url, id);
      assert.deepEqual(holds(session), { discount: true, trial: true }, JSON.stringify({
        subtotal: session.amount_subtotal, discount: session.total_details, metadata: session.metadata,
        items: session.line_items.data.map((x) => [x.price.id, x.quantity]),
      }));
    }
  });
}

async function faults(plan) {
  const res = await fetch(`${sb.url}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) });
  assert.equal(res.status, 204);
}

for (const name of ['checkout-server', 'node']) {
  test(`${name}: a trial that lands while an interval change is in flight is repaired away (the race of docs/consistency.md, made certain)`, async () => {
    const server = name === 'node' ? node : rust;
    const id = (await post(server.url, '/create-checkout-session')).body.clientSecret.split('_secret_')[0];
    await post(server.url, '/change-subscription-interval', { checkout_session_id: id, interval: 'yearly' });
    // The interval change reads the session (yearly, no trial), then its
    // update hangs at the emulator until the faults are set again.
    await faults({ hang_next: 1, method: 'POST' });
    const change = post(server.url, '/change-subscription-interval', { checkout_session_id: id, interval: 'monthly' });
    await eventually(async () => (await (await fetch(`${sb.url}/sandbox/stats`)).json()).faults_pending.hang_next === 0, 'the interval change hangs');
    // Meanwhile a trial lands on the yearly plan.
    const trial = await post(server.url, '/extend-trial-for-yearly', { checkout_session_id: id });
    assert.deepEqual(trial.body, { type: 'success' });
    assert.equal((await stripeSession(sb.url, id)).metadata.checkout_trial_period_days, '14');
    await faults({ fail_next: 0 }); // releases the interval change: monthly lands, with the trial's leftovers
    const changed = await change;
    assert.deepEqual([changed.status, changed.body], [200, { type: 'success' }]);
    const session = await stripeSession(sb.url, id);
    assert.equal(session.line_items.data[0].price.recurring.interval, 'month');
    assert.equal(session.metadata.checkout_trial_period_days, undefined, 'the trial was repaired away: no trial on a monthly plan');
  });
}
