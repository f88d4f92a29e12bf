// A load that resembles production (issue 17), on loopback only: the
// stripe-sandbox binary answers every API call after a Stripe-like delay
// (SANDBOX_LATENCY_MS, 150–400 ms), and checkout-server talks to it as it
// would to api.stripe.com (Stripe mode, STRIPE_API_BASE pointed at it).
//
// 1. CUSTOMERS customers each create a session, switch it to yearly and
//    apply the customer discount: all at the same instant, then arriving
//    evenly over 1 s, then over 10 s (BENCH_LOAD_RAMPS_MS). Reported: customer-visible
//    failures (budget 0); per update, the merchant's p50 / p99 as the
//    customer saw it and minus exactly the latency the emulator injected
//    into that update's calls (GET /sandbox/latency; budget p99 < 10 ms);
//    connections the emulator accepted against the API calls it answered
//    (the merchant's connection pool must reuse them); the server's RSS.
// 2. A burst at twice the emulator's rate limit (SANDBOX_RATE_LIMIT=RATE)
//    for BURST_SECONDS: customers arrive at RATE/2 a second and make the
//    same two updates (4 API calls each, so 2 × RATE calls a second).
//    Reported: what the customers saw, and from the emulator's counters and
//    sessions that no update was applied twice and none was lost.
//
// Bounded: at most LOAD_TIMEOUT_S seconds in all (then everything is
// stopped and the script fails). Nothing here is a test: no number fails it.
//
//   BENCH_SERVER=target/release/checkout-server BENCH_SANDBOX=target/release/stripe-sandbox node bench/load.mjs
//
// Knobs: BENCH_LOAD_CUSTOMERS (1000), BENCH_LATENCY_MS (150-400),
// BENCH_LOAD_RAMPS_MS (0,1000,10000: one run per arrival spread), BENCH_RATE_LIMIT (100),
// BENCH_BURST_SECONDS (10; 0 skips the burst), BENCH_LOAD_TIMEOUT_S (300).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SERVER = process.env.BENCH_SERVER || `${root}target/release/checkout-server`;
const SANDBOX = process.env.BENCH_SANDBOX || `${root}target/release/stripe-sandbox`;
const CUSTOMERS = Number(process.env.BENCH_LOAD_CUSTOMERS || 1000);
const LATENCY = process.env.BENCH_LATENCY_MS || '150-400';
const RATE = Number(process.env.BENCH_RATE_LIMIT || 100);
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS || 10);
const TIMEOUT_S = Number(process.env.BENCH_LOAD_TIMEOUT_S || 300);
const KEY = 'sk_test_bench';
const MSG_TRY_AGAIN = "We couldn't update your order just now. Please try again in a moment.";

const log = (...args) => console.error('   ', ...args);
const children = [];
const stopAll = () => { for (const c of children) c.kill('SIGTERM'); };
const watchdog = setTimeout(() => {
  console.error(`bench/load.mjs: over ${TIMEOUT_S} s, stopping`);
  stopAll();
  process.exit(2);
}, TIMEOUT_S * 1000);
process.on('exit', stopAll);

/** Starts `bin` with `env`; resolves {url, pid, stop} once it prints its address. */
function start(bin, env) {
  const child = spawn(bin, [], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', RUST_LOG: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${bin} exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const m = buffer.match(/listening on (http:\/\/\S+)/);
      if (m) resolve({ url: m[1], pid: child.pid, stop: () => child.kill('SIGTERM') });
    });
  });
}

async function startPair(sandboxEnv) {
  const emulator = await start(SANDBOX, sandboxEnv);
  const server = await start(SERVER, {
    STRIPE_SECRET_KEY: KEY,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_bench',
    CHECKOUT_CATALOGUE: `${root}catalogue/demo.toml`,
    STRIPE_API_BASE: emulator.url,
    // The emulator's account has the previews the discount needs.
    STRIPE_PREVIEWS: 'discounts,trials',
    // The load never pays: no webhook to verify, no order to keep.
    WEBHOOKS: 'off',
    // A thousand customers from one loopback address: the per-client
    // limit would see one client (bench/bot.mjs measures that limit).
    RATE_LIMIT_PER_MINUTE: '0',
    DATABASE_URL: 'sqlite::memory:',
  });
  return { emulator, server };
}

const wallUs = () => (performance.timeOrigin + performance.now()) * 1000;

// node:http with keep-alive: several times less client CPU per request than
// fetch, which matters when the client shares two cores with both servers.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** POSTs JSON; resolves {t0, t1 (µs, wall clock), status, body, server (ms, Server-Timing)}. */
function post(url, path, body) {
  return new Promise((resolve) => {
    const t0 = wallUs();
    const data = JSON.stringify(body);
    const req = http.request(url + path, {
      method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
    }, (res) => {
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { raw += chunk; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(raw); } catch { /* not JSON */ }
        const m = /app;dur=([\d.]+)/.exec(res.headers['server-timing'] || '');
        resolve({ t0, t1: wallUs(), status: res.statusCode, body: json, server: m ? Number(m[1]) : null });
      });
    });
    req.on('error', (e) => resolve({ t0, t1: wallUs(), status: 0, body: { message: e.code || e.message }, server: null }));
    req.end(data);
  });
}

const ok = (r) => r.status === 200 && r.body?.type !== 'error';
const describe = (r) => (ok(r) ? 'ok' : `${r.status} ${r.body?.message || ''}`.trim());

/** One customer: a session, then yearly, then the discount. */
async function customer(url) {
  const created = await post(url, '/create-checkout-session', {});
  const id = created.body?.clientSecret?.split('_secret_')[0];
  if (!id) return { created };
  const interval = await post(url, '/change-subscription-interval', { checkout_session_id: id, interval: 'yearly' });
  const discount = await post(url, '/apply-customer-discount', { checkout_session_id: id });
  return { id, created, interval, discount };
}

const get = async (url, path) => (await fetch(url + path, { headers: { Authorization: `Bearer ${KEY}` } })).json();

function rss(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (k) => Number(text.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'))[1]);
  return { rss: kib('VmRSS') * 1024, hwm: kib('VmHWM') * 1024 };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const ms = (x) => `${x.toFixed(2)} ms`;
const mb = (b) => `${(b / 1048576).toFixed(0)} MB`;
const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
const tally = (xs) => xs.reduce((m, x) => ({ ...m, [x]: (m[x] || 0) + 1 }), {});
const fmtTally = (t) => Object.entries(t).map(([k, v]) => `${v} × ${k}`).join('; ');

/** The latency the emulator injected into each update's calls (by session and time). */
function injectedFor(calls, updates) {
  const bySession = new Map();
  for (const c of calls) {
    if (!c.session) continue;
    if (!bySession.has(c.session)) bySession.set(c.session, []);
    bySession.get(c.session).push(c);
  }
  return updates.map(({ id, r }) => (bySession.get(id) || [])
    .filter((c) => c.at_us >= r.t0 && c.at_us <= r.t1)
    .reduce((s, c) => s + c.ms, 0));
}

/** Reads every session (started at 80 % of `rate` a second when given). */
async function readSessions(url, ids, rate) {
  const gap = rate ? 1000 / (rate * 0.8) : 0;
  const reads = [];
  for (const id of ids) {
    reads.push(get(url, `/v1/checkout/sessions/${id}?expand[]=line_items&expand[]=discounts`).then((s) => [id, s]));
    if (gap) await new Promise((r) => setTimeout(r, gap));
  }
  return new Map(await Promise.all(reads));
}

/** What the emulator holds against what the customers were told. */
function integrity(results, sessions, statsBefore, statsAfter) {
  const told = results.reduce((n, c) => n + (c.interval && ok(c.interval) ? 1 : 0) + (c.discount && ok(c.discount) ? 1 : 0), 0);
  const applied = statsAfter.session_updates - statsBefore.session_updates;
  let lost = 0; let unexpected = 0;
  for (const c of results) {
    if (!c.id) continue;
    const s = sessions.get(c.id);
    const yearly = s?.line_items?.data?.[0]?.price?.id === 'price_sandbox_yearly';
    const discount = s?.total_details?.amount_discount || 0;
    if (c.interval && ok(c.interval) && !yearly) lost += 1;
    if (c.discount && ok(c.discount) && discount !== 1500) lost += 1;
    if (!ok(c.interval) && yearly) unexpected += 1;
    if (!(c.discount && ok(c.discount)) && discount !== 0) unexpected += 1;
  }
  return {
    told, applied, lost, unexpected,
    replayed: statsAfter.idempotency.replayed - statsBefore.idempotency.replayed,
    reused: statsAfter.idempotency.keys_reused - statsBefore.idempotency.keys_reused,
  };
}

const L = [];

// ------------------------------------------------ 1. production-like load
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, 100 ticks a second
}
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** CUSTOMERS customers, arriving evenly over `rampMs` (0: all at once). */
async function loadRun(rampMs) {
  console.error(`==> load: ${CUSTOMERS} customers arriving over ${rampMs} ms, ${LATENCY} ms per Stripe call`);
  const { emulator, server } = await startPair({ SANDBOX_LATENCY_MS: LATENCY });
  const idle = rss(server.pid);
  const cpu0 = cpuMs(server.pid);
  const before = await get(emulator.url, '/sandbox/stats');
  const load = loadavg();
  const t0 = Date.now();
  const results = await Promise.all(Array.from({ length: CUSTOMERS }, async (_, i) => {
    if (rampMs) await new Promise((r) => setTimeout(r, (i * rampMs) / CUSTOMERS));
    return customer(server.url);
  }));
  const wall = (Date.now() - t0) / 1000;
  const cpu = cpuMs(server.pid) - cpu0;
  const after = await get(emulator.url, '/sandbox/stats');
  const memory = rss(server.pid);
  const emuMemory = rss(emulator.pid);
  const { calls } = await get(emulator.url, '/sandbox/latency');
  const sessions = await readSessions(emulator.url, results.filter((c) => c.id).map((c) => c.id));
  const check = integrity(results, sessions, before, after);
  server.stop(); emulator.stop();

  const failures = results.flatMap((c) => [c.created, c.interval, c.discount].filter((r) => r && !ok(r)).map(describe));
  const missing = results.filter((c) => !c.id).length;
  const updates = [['/change-subscription-interval', (c) => c.interval], ['/apply-customer-discount', (c) => c.discount]]
    .map(([name, pick]) => {
      const list = results.filter((c) => c.id && pick(c)).map((c) => ({ id: c.id, r: pick(c) }));
      const injected = injectedFor(calls, list);
      const total = list.map(({ r }) => (r.t1 - r.t0) / 1000);
      const server = list.map(({ r }) => r.server ?? NaN);
      return {
        name, n: list.length, total, list,
        own: total.map((t, i) => t - injected[i]),
        serverOwn: server.map((t, i) => t - injected[i]),
      };
    });
  // The merchant between its two calls: from the end of the retrieve's
  // injected delay to the update's arrival (its own work, the emulator's
  // answer and two loopback hops).
  const bySession = new Map();
  for (const c of calls) if (c.session) (bySession.get(c.session) || bySession.set(c.session, []).get(c.session)).push(c);
  const between = updates.flatMap((u) => u.list.map(({ id, r }) => {
    const cs = (bySession.get(id) || []).filter((c) => c.at_us >= r.t0 && c.at_us <= r.t1).sort((x, y) => x.at_us - y.at_us);
    return cs.length === 2 ? (cs[1].at_us - cs[0].at_us) / 1000 - cs[0].ms : null;
  })).filter((x) => x !== null);
  // How many customers were waiting for an answer at once, at most.
  const edges = results.flatMap((c) => [c.created, c.interval, c.discount].filter(Boolean).flatMap((r) => [[r.t0, 1], [r.t1, -1]]));
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0; let peak = 0;
  for (const [, d] of edges) { open += d; peak = Math.max(peak, open); }
  return {
    rampMs, wall, load, failures, missing, updates, between, check, idle, memory, emuMemory, peak,
    cpuPerRequest: cpu / (CUSTOMERS * 3),
    apiCalls: sum(after.requests) - sum(before.requests) - 1, // not the second stats read
    connections: after.connections_accepted - before.connections_accepted,
  };
}

{
  const ramps = (process.env.BENCH_LOAD_RAMPS_MS || '0,1000,10000').split(',').map(Number);
  const runs = [];
  for (const ramp of ramps) runs.push(await loadRun(ramp));
  const head = (r) => (r.rampMs ? `arriving over ${r.rampMs / 1000} s` : 'all at the same instant');
  const cells = (f) => runs.map(f).join(' | ');
  L.push(`\n**Production-like load** (bench/load.mjs): ${CUSTOMERS} concurrent customers each create a session, switch to yearly and apply the discount; `
    + `the emulator (the stripe-sandbox binary, its own process) waits ${LATENCY} ms on every API call; checkout-server (release, Stripe mode) talks to it `
    + 'as to api.stripe.com; the load generator (Node, node:http keep-alive) shares the machine\'s cores with both. "Minus the injected latency" takes out exactly the delays the emulator drew '
    + 'for that update\'s own calls (`GET /sandbox/latency`). "At the customer" is from the request leaving the load generator to its answer read there (so it includes the '
    + 'generator\'s own waits for CPU and new connections); "at the server" is the merchant\'s `Server-Timing: app;dur=` (request received → answer ready, both Stripe calls included).\n');
  L.push(`| what | ${cells(head)} | budget | verdict |`);
  L.push(`|---|${runs.map(() => '---').join('|')}|---|---|`);
  L.push(`| wall time; load average (1, 5, 15 min) at the start | ${cells((r) => `${r.wall.toFixed(1)} s; ${r.load}`)} | | |`);
  L.push(`| customers in the middle of a request at once, at most | ${cells((r) => String(r.peak))} | | |`);
  const failed = runs.some((r) => r.failures.length || r.missing);
  L.push(`| customer-visible failures of ${CUSTOMERS * 3} requests | ${cells((r) => `${r.failures.length}${r.failures.length ? ` (${fmtTally(tally(r.failures))})` : ''}${r.missing ? `, ${r.missing} without a session` : ''}`)} | 0 | ${failed ? 'MISS' : 'PASS'} |`);
  for (let i = 0; i < 2; i += 1) {
    const name = runs[0].updates[i].name;
    const pair = (xs) => `${ms(pct(xs, 50))} / ${ms(pct(xs, 99))}`;
    L.push(`| ${name}: p50 / p99 at the customer | ${cells((r) => pair(r.updates[i].total))} | | |`);
    L.push(`| … at the customer, minus the injected latency | ${cells((r) => pair(r.updates[i].own))} | | |`);
    const verdicts = runs.map((r) => (pct(r.updates[i].serverOwn, 99) < 10 ? 'PASS' : 'MISS')).join(' / ');
    L.push(`| … at the server (Server-Timing), minus the injected latency | ${cells((r) => pair(r.updates[i].serverOwn))} | p99 < 10 ms | ${verdicts} |`);
  }
  L.push(`| the merchant between its two calls (retrieve answered → update arrives), p50 / p99 | ${cells((r) => `${ms(pct(r.between, 50))} / ${ms(pct(r.between, 99))}`)} | | |`);
  L.push(`| checkout-server CPU per merchant request | ${cells((r) => ms(r.cpuPerRequest))} | | |`);
  L.push(`| connections the emulator accepted (API calls) | ${cells((r) => `${r.connections} (${r.apiCalls}): ${(r.apiCalls / Math.max(1, r.connections)).toFixed(1)} calls each`)} | reused | ${runs.every((r) => r.connections < r.apiCalls / 2) ? 'PASS' : 'MISS'} |`);
  L.push(`| checkout-server RSS idle → after (peak); emulator | ${cells((r) => `${mb(r.idle.rss)} → ${mb(r.memory.rss)} (${mb(r.memory.hwm)}); ${mb(r.emuMemory.rss)}`)} | | |`);
  const sound = runs.every((r) => r.check.applied === r.check.told && !r.check.lost && !r.check.unexpected);
  L.push(`| updates applied (emulator) vs answered as applied; lost; applied unasked | ${cells((r) => `${r.check.applied} vs ${r.check.told}; ${r.check.lost}; ${r.check.unexpected}`)} | equal, 0, 0 | ${sound ? 'PASS' : 'MISS'} |`);
}

// ------------------------------------------------ 2. burst at twice the rate limit
if (BURST_SECONDS > 0) {
  const customers = Math.round((RATE / 2) * BURST_SECONDS);
  console.error(`==> burst: rate limit ${RATE}/s, ${customers} customers over ${BURST_SECONDS} s (${2 * RATE} API calls/s)`);
  const { emulator, server } = await startPair({ SANDBOX_LATENCY_MS: LATENCY, SANDBOX_RATE_LIMIT: String(RATE) });
  // Sessions first, paced under the limit (80 %), then a second to refill.
  const ids = [];
  const createGap = 1000 / (RATE * 0.8);
  const creating = [];
  for (let i = 0; i < customers; i += 1) {
    creating.push(post(server.url, '/create-checkout-session', {}).then((r) => r.body?.clientSecret?.split('_secret_')[0]));
    await new Promise((r) => setTimeout(r, createGap));
  }
  for (const id of await Promise.all(creating)) if (id) ids.push(id);
  await new Promise((r) => setTimeout(r, 1500));
  const before = await get(emulator.url, '/sandbox/stats');
  const arrivalGap = 1000 / (RATE / 2);
  const t0 = Date.now();
  const runs = [];
  for (const id of ids) {
    runs.push((async () => {
      const interval = await post(server.url, '/change-subscription-interval', { checkout_session_id: id, interval: 'yearly' });
      const discount = await post(server.url, '/apply-customer-discount', { checkout_session_id: id });
      return { id, interval, discount };
    })());
    await new Promise((r) => setTimeout(r, arrivalGap));
  }
  const results = await Promise.all(runs);
  const wall = (Date.now() - t0) / 1000;
  const after = await get(emulator.url, '/sandbox/stats');
  await new Promise((r) => setTimeout(r, 1500));
  const sessions = await readSessions(emulator.url, ids, RATE);
  const check = integrity(results, sessions, before, after);
  server.stop(); emulator.stop();
  const saw = (pick) => fmtTally(tally(results.map((c) => describe(pick(c)))));
  const apiCalls = sum(after.requests) - sum(before.requests) - 1; // not the second stats read
  L.push(`\n**Burst at twice the rate limit**: the emulator limits its API to ${RATE} requests/s (SANDBOX_RATE_LIMIT, Stripe's live-mode rate) and adds ${LATENCY} ms; `
    + `${ids.length} customers arrive over ${BURST_SECONDS} s (${(ids.length / BURST_SECONDS).toFixed(0)}/s) and each makes the two updates, ${apiCalls} API calls in ${wall.toFixed(1)} s `
    + `(${(apiCalls / wall).toFixed(0)}/s); the emulator refused ${after.rate_limited - before.rate_limited} with 429 rate_limit (checkout-server retries a 429 with backoff, within each update's deadline).\n`);
  L.push('| what the customers saw | |');
  L.push('|---|---|');
  L.push(`| /change-subscription-interval | ${saw((c) => c.interval)} |`);
  L.push(`| /apply-customer-discount | ${saw((c) => c.discount)} |`);
  L.push(`| updates applied (emulator's session_updates) vs answered as applied | ${check.applied} vs ${check.told} |`);
  L.push(`| applied twice / lost / applied though refused (from the ${sessions.size} sessions read back) | ${Math.max(0, check.applied - check.told - check.unexpected)} / ${check.lost} / ${check.unexpected} |`);
  L.push(`| idempotent replays, retries with the same key | ${check.replayed}, ${check.reused} |`);
  const verdict = check.applied === check.told && !check.lost && !check.unexpected;
  L.push(`| verdict | ${verdict ? 'PASS: every update answered as applied was applied once; none applied that was not' : 'MISS'} |`);
  L.push(`\n(The "try again" answers are "${MSG_TRY_AGAIN}" with HTTP 503; a discount after a refused switch finds a $15 monthly order and answers 200 with the not-eligible message.)`);
}

clearTimeout(watchdog);
console.log(L.join('\n'));
