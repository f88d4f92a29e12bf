// The cost of the merchant server's consistency design (every update writes
// one consistent snapshot; docs/consistency.md), on a production-like load:
// the emulator answers each Checkout Sessions call after a Stripe-like delay,
// and CUSTOMERS customers at once each switch to yearly, apply the discount,
// add the trial and change the quantity. Prints a markdown table: per
// endpoint, Stripe calls per update (from the emulator's own counters) and the
// merchant's latency (p50 / p99) minus the injected delay of its calls.
// Not a test: nothing here fails on a number.
//
//   BENCH_SERVER=target/release/checkout-server node bench/consistency.mjs
import { startServer, setFaults, sandboxStats, SANDBOX_KEY } from '../e2e/harness.mjs';

const CUSTOMERS = Number(process.env.BENCH_CONSISTENCY_CUSTOMERS || 200);
const DELAY_MS = Number(process.env.BENCH_STRIPE_DELAY_MS || 150);
if (process.env.BENCH_SERVER) process.env.E2E_SERVER = process.env.BENCH_SERVER;

const server = await startServer();
const url = server.url;
const post = async (path, body) => {
  const t0 = performance.now();
  const r = await fetch(url + path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await r.json().catch(() => null);
  return { ms: performance.now() - t0, status: r.status, body: json };
};

const STEPS = ['/change-subscription-interval', '/apply-customer-discount', '/extend-trial-for-yearly', '/update-line-item-quantity'];
const latencies = Object.fromEntries(STEPS.map((s) => [s, []]));
let failures = 0;

async function customer() {
  const { body } = await post('/create-checkout-session', {});
  const id = body.clientSecret.split('_secret_')[0];
  const session = await (await fetch(`${url}/v1/checkout/sessions/${id}?expand[]=line_items`, {
    headers: { Authorization: `Bearer ${SANDBOX_KEY}` },
  })).json();
  const li = session.line_items.data[0].id;
  for (const [path, payload] of [
    [STEPS[0], { checkout_session_id: id, interval: 'yearly' }],
    [STEPS[1], { checkout_session_id: id }],
    [STEPS[2], { checkout_session_id: id }],
    [STEPS[3], { checkout_session_id: id, line_item_id: li, quantity: 2 }],
  ]) {
    const r = await post(path, payload);
    if (r.status !== 200 || r.body?.type === 'error') failures += 1;
    latencies[path].push(r.ms);
  }
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };

// One customer first, alone and without delay, to count Stripe calls per update.
const calls = {};
{
  const { body } = await post('/create-checkout-session', {});
  const id = body.clientSecret.split('_secret_')[0];
  const session = await (await fetch(`${url}/v1/checkout/sessions/${id}?expand[]=line_items`, {
    headers: { Authorization: `Bearer ${SANDBOX_KEY}` },
  })).json();
  const li = session.line_items.data[0].id;
  for (const [path, payload] of [
    [STEPS[0], { checkout_session_id: id, interval: 'yearly' }],
    [STEPS[1], { checkout_session_id: id }],
    [STEPS[2], { checkout_session_id: id }],
    [STEPS[3], { checkout_session_id: id, line_item_id: li, quantity: 2 }],
    ['/change-subscription-interval', { checkout_session_id: id, interval: 'monthly' }],
  ]) {
    const before = (await sandboxStats(url)).requests;
    await post(path, payload);
    const after = (await sandboxStats(url)).requests;
    const n = Object.entries(after).filter(([k]) => k.includes('/v1/'))
      .reduce((sum, [k, v]) => sum + v - (before[k] || 0), 0);
    calls[path] = calls[path] ? `${calls[path]}, ${n}` : `${n}`;
  }
}

await setFaults(url, { delay_next: 1_000_000, delay_ms: DELAY_MS });
const t0 = performance.now();
await Promise.all(Array.from({ length: CUSTOMERS }, customer));
const wall = performance.now() - t0;
await setFaults(url, { fail_next: 0 });
server.stop();

console.log(`\n${CUSTOMERS} concurrent customers, ${DELAY_MS} ms injected per Checkout Sessions call, ${(wall / 1000).toFixed(1)} s, customer-visible failures: ${failures}\n`);
console.log('| update | Stripe calls (first customer) | p50 | p99 | p50 minus the 2 delayed calls |');
console.log('|---|---|---|---|---|');
for (const path of STEPS) {
  const xs = latencies[path];
  // The delay applies to Checkout Sessions calls: a retrieve and an update per update.
  const injected = DELAY_MS * 2;
  console.log(`| ${path} | ${calls[path]} | ${pct(xs, 50).toFixed(1)} ms | ${pct(xs, 99).toFixed(1)} ms | ${(pct(xs, 50) - injected).toFixed(1)} ms |`);
}
