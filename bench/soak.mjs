// Slow-client soak (issue 17): customers keep checking out while a few
// hundred slow connections are held open against the same checkout-server,
// on loopback, bounded in count and time. Prints a markdown table (and
// appends it to BENCH_REPORT when set). Not a test: nothing fails on a number.
//
//   node bench/soak.mjs path/to/checkout-server
//
// Environment (all optional):
//   SOAK_SLOW            slow connections held at once (default 300, at most 2000)
//   SOAK_SECONDS         duration of the soak phase (default 35, at most 300)
//   SOAK_BASELINE_SECONDS  customers alone first, for comparison (default 5, after 2 s of warm-up)
//   SOAK_CUSTOMERS       concurrent customers (default 4)
//   SOAK_SERVER_ENV      extra server variables, e.g. "MAX_CONNECTIONS=256 HEADER_READ_TIMEOUT_MS=5000"
//   SOAK_NOFILE          run the server under `ulimit -n SOAK_NOFILE` (default: inherited)
//   BENCH_REPORT         a markdown file to append the table to
//
// The slow connections are split four ways, and each is reopened when the
// server closes it (as an attacker would): idle (nothing sent), a header line
// every 2 s, a declared 10,000-byte body at 10 bytes/s, and an idle
// keep-alive connection after one request. A customer is one checkout:
// POST /create-checkout-session, POST /change-subscription-interval (yearly),
// POST /apply-customer-discount, each on a new connection.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

const bin = process.argv[2];
if (!bin) {
  console.error('usage: node bench/soak.mjs path/to/checkout-server');
  process.exit(2);
}
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const SLOW = clamp(Number(process.env.SOAK_SLOW || 300), 0, 2000);
const SECONDS = clamp(Number(process.env.SOAK_SECONDS || 35), 1, 300);
const BASELINE = clamp(Number(process.env.SOAK_BASELINE_SECONDS || 5), 0, 60);
const CUSTOMERS = clamp(Number(process.env.SOAK_CUSTOMERS || 4), 1, 64);
const serverEnv = Object.fromEntries(
  (process.env.SOAK_SERVER_ENV || '')
    .split(/\s+/)
    .filter(Boolean)
    .map((kv) => kv.split('=', 2)),
);
const log = (...args) => console.error('   ', ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

// ------------------------------------------------------------ the server
const NOFILE = process.env.SOAK_NOFILE ? clamp(Number(process.env.SOAK_NOFILE), 64, 1_048_576) : null;
const [command, args] = NOFILE ? ['bash', ['-c', `ulimit -n ${NOFILE} && exec "$0"`, bin]] : [bin, []];
const server = spawn(command, args, {
  env: { ...process.env, HOST: '127.0.0.1', PORT: '0', RUST_LOG: 'warn', STRIPE_SECRET_KEY: '', CHECKOUT_MODE: 'emulator', DATABASE_URL: 'sqlite::memory:', ...serverEnv },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverLog = '';
server.stderr.on('data', (d) => (serverLog = (serverLog + d).slice(-20_000)));
const base = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/[^\s]+)/);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}: ${serverLog}`)));
});
const { hostname: host, port } = new URL(base);
log(`server at ${base}; ${SLOW} slow connections, ${CUSTOMERS} customers, ${BASELINE} s baseline + ${SECONDS} s soak`);

// ------------------------------------------------------------ customers
function request(method, path, body) {
  return new Promise((resolve) => {
    const started = now();
    const data = body ? JSON.stringify(body) : '';
    const req = http.request(
      {
        host,
        port: Number(port),
        method,
        path,
        agent: false, // a new connection each time: accept is part of the figure
        headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {},
        timeout: 15_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, ms: now() - started, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: e.code || e.message, ms: now() - started, text: '' }));
    req.end(data);
  });
}

async function customers(seconds) {
  const results = { create: [], interval: [], discount: [] };
  const statuses = {};
  const note = (what, r) => {
    results[what].push(r.ms);
    const key = `${what} ${r.status}`;
    statuses[key] = (statuses[key] || 0) + 1;
  };
  const until = now() + seconds * 1000;
  let flows = 0;
  await Promise.all(
    Array.from({ length: CUSTOMERS }, async () => {
      while (now() < until) {
        const created = await request('POST', '/create-checkout-session');
        note('create', created);
        if (created.status !== 200) continue;
        const id = JSON.parse(created.text).clientSecret.split('_secret_')[0];
        note('interval', await request('POST', '/change-subscription-interval', { checkout_session_id: id, interval: 'yearly' }));
        note('discount', await request('POST', '/apply-customer-discount', { checkout_session_id: id }));
        flows++;
      }
    }),
  );
  return { results, statuses, flows };
}

// ------------------------------------------------------------ slow connections
const slowStats = { opened: 0, closedByServer: 0, answers: {} };
let soaking = true;
const open = new Set();
function holdSlow(kind) {
  if (!soaking) return;
  const socket = net.connect({ host, port: Number(port) });
  open.add(socket);
  slowStats.opened++;
  let timer = null;
  let first = '';
  socket.on('connect', () => {
    if (kind === 'head') {
      socket.write(`GET /config HTTP/1.1\r\nHost: ${host}\r\n`);
      let i = 0;
      timer = setInterval(() => socket.writable && socket.write(`X-Slow-${i++}: x\r\n`), 2000);
    } else if (kind === 'body') {
      socket.write(
        `POST /change-subscription-interval HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"a":"`,
      );
      timer = setInterval(() => socket.writable && socket.write('xxxxxxxxxx'), 1000);
    } else if (kind === 'keepalive') {
      socket.write(`GET /config HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    }
  });
  socket.on('data', (d) => {
    if (!first) {
      first = d.toString('latin1').slice(9, 12);
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    clearInterval(timer);
    open.delete(socket);
    if (!soaking) return;
    slowStats.closedByServer++;
    const key = `${kind}: ${first || 'closed without answer'}`;
    slowStats.answers[key] = (slowStats.answers[key] || 0) + 1;
    setTimeout(() => holdSlow(kind), 50); // reopen, as an attacker would
  });
}

// ------------------------------------------------------------ run
const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (x) => (Number.isNaN(x) ? '-' : `${x.toFixed(1)} ms`);
const rows = [];
const describe = (phase, run) => {
  for (const [what, xs] of Object.entries(run.results)) {
    const max = xs.length ? xs.reduce((m, x) => Math.max(m, x), 0) : Number.NaN;
    rows.push(`| ${phase} | ${what} | ${xs.length} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 95))} | ${fmt(pct(xs, 99))} | ${fmt(max)} |`);
  }
};

log('warm-up: 2 s of customers, not counted');
await customers(2);
let baseline = null;
if (BASELINE > 0) {
  log('baseline: customers alone');
  baseline = await customers(BASELINE);
  describe('customers alone', baseline);
}
log(`soak: opening ${SLOW} slow connections`);
const kinds = ['idle', 'head', 'body', 'keepalive'];
for (let i = 0; i < SLOW; i++) {
  holdSlow(kinds[i % kinds.length]);
  if (i % 50 === 49) await sleep(20);
}
await sleep(500);
let minOpen = open.size;
let maxOpen = open.size;
const sampler = setInterval(() => {
  minOpen = Math.min(minOpen, open.size);
  maxOpen = Math.max(maxOpen, open.size);
}, 250);
const soak = await customers(SECONDS);
clearInterval(sampler);
soaking = false;
for (const s of open) s.destroy();
describe(`with ${SLOW} slow connections`, soak);

server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));

const errors = (run) =>
  Object.entries(run.statuses)
    .filter(([k]) => !k.endsWith(' 200'))
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ') || 'none';
const table = [
  `### Slow-client soak (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
  '',
  `${CUSTOMERS} customers checking out (create, interval, discount; a new connection per request), ${BASELINE} s alone then ${SECONDS} s beside ${SLOW} slow connections (idle, a header line every 2 s, a 10,000-byte body at 10 B/s, idle keep-alive; reopened when closed). Server: ${bin}${process.env.SOAK_SERVER_ENV ? ` with ${process.env.SOAK_SERVER_ENV}` : ''}${NOFILE ? `, ulimit -n ${NOFILE}` : ''}.`,
  '',
  '| phase | request | count | p50 | p95 | p99 | max |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Checkouts: ${baseline ? `${baseline.flows} alone (${(baseline.flows / BASELINE).toFixed(1)}/s), ` : ''}${soak.flows} during the soak (${(soak.flows / SECONDS).toFixed(1)}/s). Failed requests: ${baseline ? `alone ${errors(baseline)}; ` : ''}during the soak ${errors(soak)}.`,
  `Slow connections: ${slowStats.opened} opened, ${minOpen}–${maxOpen} open at once during the soak, ${slowStats.closedByServer} closed by the server: ${Object.entries(slowStats.answers).map(([k, n]) => `${k} ×${n}`).join(', ') || 'none'}.`,
  '',
].join('\n');
console.log(table);
if (process.env.BENCH_REPORT) appendFileSync(process.env.BENCH_REPORT, `\n${table}`);
