// One bot against real customers (issue 26): can a script spend the
// merchant's Stripe rate limit and lock customers out? On loopback only:
// the stripe-sandbox binary with a rate limit (BENCH_BOT_STRIPE_RATE, 25 API
// calls a second, a Stripe account's limit scaled down) and Stripe-like
// latency; checkout-server in Stripe mode in front of it, run twice: the
// per-client limit off (RATE_LIMIT_PER_MINUTE=0), then at its defaults.
//
// For BENCH_BOT_SECONDS (10 s), a bot at 127.0.0.9 asks for new checkout
// sessions with 20 requests in flight, while customers at 127.0.0.2-6 start
// one checkout every 200 ms (a session, then the switch to yearly).
// Reported: what the customers saw (failures, p50/p99), what the bot got,
// and how many API calls the emulator refused with 429.
// Bounded: BENCH_BOT_TIMEOUT_S (120 s) in all, the bot at BENCH_BOT_MAX
// (20,000) requests a run. Nothing here is a test.
//
//   BENCH_SERVER=target/release/checkout-server BENCH_SANDBOX=target/release/stripe-sandbox node bench/bot.mjs
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SERVER = process.env.BENCH_SERVER || `${root}target/release/checkout-server`;
const SANDBOX = process.env.BENCH_SANDBOX || `${root}target/release/stripe-sandbox`;
const SECONDS = Number(process.env.BENCH_BOT_SECONDS || 10);
const STRIPE_RATE = Number(process.env.BENCH_BOT_STRIPE_RATE || 25);
const TIMEOUT_S = Number(process.env.BENCH_BOT_TIMEOUT_S || 120);
const BOT_MAX = Number(process.env.BENCH_BOT_MAX || 20000);
const BOT = '127.0.0.9';
const CUSTOMERS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];

const children = [];
const stopAll = () => { for (const c of children) c.kill('SIGTERM'); };
setTimeout(() => { console.error(`bench/bot.mjs: over ${TIMEOUT_S} s, stopping`); stopAll(); process.exit(2); }, TIMEOUT_S * 1000).unref();
process.on('exit', stopAll);

function start(bin, env) {
  const child = spawn(bin, [], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', RUST_LOG: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.on('exit', (code) => reject(new Error(`${bin} exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const m = buffer.match(/listening on (http:\/\/\S+)/);
      if (m) resolve({ url: m[1], stop: () => child.kill('SIGTERM') });
    });
  });
}

/** POST `path` with `body` from `from` (a loopback address); resolves {status, ms, json}. */
function post(base, path, body, from) {
  const url = new URL(path, base);
  const data = JSON.stringify(body ?? {});
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: from,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, ms: performance.now() - started, json });
      });
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started, json: null }));
    req.end(data);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : 0);

async function run(limit) {
  const emulator = await start(SANDBOX, { SANDBOX_RATE_LIMIT: String(STRIPE_RATE), SANDBOX_LATENCY_MS: '50-150' });
  const server = await start(SERVER, {
    STRIPE_SECRET_KEY: 'sk_test_bench', STRIPE_PUBLISHABLE_KEY: 'pk_test_bench',
    CHECKOUT_CATALOGUE: `${root}catalogue/demo.toml`, STRIPE_API_BASE: emulator.url,
    WEBHOOKS: 'off', DATABASE_URL: 'sqlite::memory:', RATE_LIMIT_PER_MINUTE: limit ? '60' : '0',
  });
  const until = performance.now() + SECONDS * 1000;
  const bot = { sent: 0, ok: 0, limited: 0, other: 0 };
  const botLoop = async () => {
    while (performance.now() < until && bot.sent < BOT_MAX) {
      const r = await post(server.url, '/create-checkout-session', {}, BOT);
      bot.sent += 1;
      if (r.status === 200) bot.ok += 1; else if (r.status === 429) bot.limited += 1; else bot.other += 1;
    }
  };
  const customers = { started: 0, ok: 0, failed: 0, ms: [] };
  const customer = async (from) => {
    customers.started += 1;
    const t0 = performance.now();
    const created = await post(server.url, '/create-checkout-session', {}, from);
    const id = created.json?.clientSecret?.split('_secret_')[0];
    const switched = id
      ? await post(server.url, '/change-subscription-interval', { checkout_session_id: id, interval: 'yearly' }, from)
      : { status: created.status };
    if (created.status === 200 && switched.status === 200) customers.ok += 1; else customers.failed += 1;
    customers.ms.push(performance.now() - t0);
  };
  const customerLoop = async () => {
    const pending = [];
    for (let i = 0; performance.now() < until; i += 1) {
      pending.push(customer(CUSTOMERS[i % CUSTOMERS.length]));
      await sleep(200);
    }
    await Promise.all(pending);
  };
  await Promise.all([...Array.from({ length: 20 }, botLoop), customerLoop()]);
  const stats = await fetch(`${emulator.url}/sandbox/stats`).then((r) => r.json());
  server.stop();
  emulator.stop();
  return { bot, customers, stripeRefused: stats.rate_limited ?? 0 };
}

const off = await run(false);
const on = await run(true);
const row = (name, f) => `| ${name} | ${f(off)} | ${f(on)} |`;
const lines = [
  '',
  `### One bot against customers (bench/bot.mjs): ${SECONDS} s, the emulator limited to ${STRIPE_RATE} API calls/s`,
  '',
  '| | per-client limit off | per-client limit on (60/min, burst 30) |',
  '|---|---|---|',
  row('customers: checkouts started', (r) => r.customers.started),
  row('customers: failed (session or switch not 200)', (r) => `${r.customers.failed} (${((100 * r.customers.failed) / Math.max(1, r.customers.started)).toFixed(0)} %)`),
  row('customers: p50 / p99 for both calls', (r) => `${pct(r.customers.ms, 0.5).toFixed(0)} / ${pct(r.customers.ms, 0.99).toFixed(0)} ms`),
  row('bot: requests / 200 / 429 from checkout-server / other', (r) => `${r.bot.sent} / ${r.bot.ok} / ${r.bot.limited} / ${r.bot.other}`),
  row('API calls the emulator refused with 429 (the account\'s limit)', (r) => r.stripeRefused),
  '',
];
console.log(lines.join('\n'));
