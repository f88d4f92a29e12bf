// Slow-client and log probes against a checkout-server binary, on loopback,
// bounded in connections and time. Not a test and not part of the test
// command: it prints what it measured (the before/after figures of the
// connection-hygiene work). Usage:
//
//   node bench/probes.mjs path/to/checkout-server   [PROBE_SECONDS=75] [PROBE_NOFILE=256] [PROBE_IDLE=250]
//
// It starts the server itself (emulator mode, 127.0.0.1, a free port) under
// `ulimit -n PROBE_NOFILE`, with RUST_LOG=info and its stderr captured, then:
//  1. four slow clients at once (idle; a header line every 5 s; a declared
//     10,000-byte body at 10 bytes/s; an idle keep-alive connection after one
//     request), each watched until the server closes it or PROBE_SECONDS pass;
//  2. `Content-Length: 99999999` on POST /change-subscription-interval with no
//     body: the time to an answer (bounded at 10 s);
//  3. oversized head / URI answers and their security headers;
//  4. log probes: a newline + forged line and an ESC sequence in
//     checkout_session_id, a client secret as the id, a 15,000-character
//     value; then the captured log is searched;
//  5. PROBE_IDLE idle connections held, then GET /config and
//     POST /create-checkout-session timed (bounded at 10 s each).
import { spawn } from 'node:child_process';
import net from 'node:net';

const bin = process.argv[2];
if (!bin) {
  console.error('usage: node bench/probes.mjs path/to/checkout-server');
  process.exit(2);
}
const SECONDS = Number(process.env.PROBE_SECONDS || 75);
const NOFILE = Number(process.env.PROBE_NOFILE || 256);
const IDLE = Number(process.env.PROBE_IDLE || 250);
// Which probes to run (default all): slow,length,heads,logs,many
const STEPS = new Set((process.env.PROBE_STEPS || 'slow,length,heads,logs,many').split(','));
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------ the server
const server = spawn('bash', ['-c', `ulimit -n ${NOFILE} && exec "$0"`, bin], {
  env: { ...process.env, HOST: '127.0.0.1', PORT: '0', RUST_LOG: 'info', STRIPE_SECRET_KEY: '', CHECKOUT_MODE: 'emulator', DATABASE_URL: 'sqlite::memory:' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let stderr = '';
server.stderr.on('data', (d) => (stderr += d));
const base = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/[^\s]+)/);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
});
const { hostname: host, port } = new URL(base);
console.log(`server ${bin} at ${base}, ulimit -n ${NOFILE}`);

/** A raw connection: `sent(text)`, and a promise of how it ended. */
function connect() {
  const socket = net.connect({ host, port: Number(port) });
  socket.setNoDelay(true);
  const opened = now();
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  const closed = new Promise((resolve) => {
    socket.on('close', () => resolve(now() - opened));
    socket.on('error', () => {});
  });
  return { socket, closed, received: () => received, opened };
}
const bounded = (promise, ms) =>
  Promise.race([promise, sleep(ms).then(() => null)]);
const status = (text) => text.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? '-';
const securityHeaders = (text) =>
  /content-security-policy:/i.test(text) && /x-content-type-options: nosniff/i.test(text);

// ------------------------------------------------------------ 1. slow clients
if (STEPS.has('slow')) await slowClients();
async function slowClients() {
async function slow(name, start) {
  const c = connect();
  await new Promise((r) => c.socket.once('connect', r));
  const stop = start(c.socket);
  const ms = await bounded(c.closed, SECONDS * 1000);
  stop?.();
  c.socket.destroy();
  const answer = c.received();
  return {
    name,
    result: ms === null ? `still open after ${SECONDS} s` : `closed after ${(ms / 1000).toFixed(2)} s`,
    answer: answer ? `${status(answer)}${securityHeaders(answer) ? ' (security headers)' : ''}` : 'none',
  };
}
const every = (ms, f) => {
  const t = setInterval(f, ms);
  return () => clearInterval(t);
};
const slowResults = await Promise.all([
  slow('idle connection (nothing sent)', () => {}),
  slow('a header line every 5 s', (s) => {
    s.write(`GET /config HTTP/1.1\r\nHost: ${host}\r\n`);
    let i = 0;
    return every(5000, () => s.writable && s.write(`X-Trickle-${i++}: x\r\n`));
  }),
  slow('declared 10,000-byte body at 10 B/s', (s) => {
    s.write(
      `POST /change-subscription-interval HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"a":"`,
    );
    return every(1000, () => s.writable && s.write('xxxxxxxxxx'));
  }),
  slow('idle keep-alive after one request', (s) => {
    s.write(`GET /config HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  }),
]);
console.log('\n| slow client | outcome | answer |\n|---|---|---|');
for (const r of slowResults) console.log(`| ${r.name} | ${r.result} | ${r.answer} |`);
}

// ------------------------------------------------------------ 2. Content-Length
if (STEPS.has('length')) {
  const c = connect();
  await new Promise((r) => c.socket.once('connect', r));
  const t0 = now();
  c.socket.write(
    `POST /change-subscription-interval HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n`,
  );
  let answeredAt = null;
  const answered = new Promise((resolve) =>
    c.socket.on('data', () => {
      answeredAt ??= now() - t0;
      resolve();
    }),
  );
  await bounded(answered, 10_000);
  c.socket.destroy();
  console.log(
    `\nContent-Length: 99999999 (no body sent): ${
      answeredAt === null ? 'no answer after 10 s' : `${status(c.received())} after ${answeredAt.toFixed(1)} ms${securityHeaders(c.received()) ? ' (security headers)' : ''}`
    }`,
  );
}

// ------------------------------------------------------------ 3. oversized heads
async function rawRequest(text, ms = 5000) {
  const c = connect();
  await new Promise((r) => c.socket.once('connect', r));
  c.socket.write(text);
  await bounded(c.closed, ms);
  c.socket.destroy();
  return c.received();
}
if (STEPS.has('heads')) console.log('\n| request | answer | security headers |\n|---|---|---|');
for (const [name, text] of !STEPS.has('heads') ? [] : [
  ['URI of 20,000 bytes', `GET /config?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`],
  ['headers of 40,000 bytes', `GET /config HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'b'.repeat(40_000)}\r\nConnection: close\r\n\r\n`],
  ['head of 100,000 bytes', `GET /config HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'b'.repeat(100_000)}\r\nConnection: close\r\n\r\n`],
  ['URI of 70,000 bytes', `GET /config?q=${'a'.repeat(70_000)} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`],
  ['120 header fields', `GET /config HTTP/1.1\r\nHost: ${host}\r\n${Array.from({ length: 120 }, (_, i) => `X-H${i}: v\r\n`).join('')}Connection: close\r\n\r\n`],
]) {
  const answer = await rawRequest(text);
  console.log(`| ${name} | ${status(answer)} | ${securityHeaders(answer) ? 'yes' : 'no'} |`);
}

// ------------------------------------------------------------ 4. logs
const post = async (path, body) => {
  const r = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return r.status;
};
let lines = stderr.split('\n');
if (STEPS.has('logs')) {
const created = await (await fetch(`${base}/create-checkout-session`, { method: 'POST' })).json();
const secret = created.clientSecret;
const forged = 'cs_test_x\n2026-01-01T00:00:00.000000Z  INFO FORGED refund issued amount=99999';
const statuses = [
  await post('/change-subscription-interval', { checkout_session_id: forged, interval: 'yearly' }),
  await post('/apply-customer-discount', { checkout_session_id: 'cs_test_\u001b[2J\u001b[31mRED' }),
  await post('/apply-customer-discount', { checkout_session_id: secret }),
  await post('/apply-customer-discount', { checkout_session_id: `cs_test_${'A'.repeat(15_000)}` }),
  await post('/change-subscription-interval', { [`x${'L'.repeat(15_000)}`]: 1 }),
];
await sleep(300);
lines = stderr.split('\n');
const forgedLines = lines.filter((l) => l.startsWith('2026-01-01T00:00:00.000000Z  INFO FORGED'));
const longest = Math.max(...lines.map((l) => l.length));
console.log(`\nlog probes (answers ${statuses.join(', ')}):`);
console.log(`- forged log lines: ${forgedLines.length}`);
console.log(`- raw ESC bytes in the log: ${(stderr.match(/\u001b/g) || []).length}`);
console.log(`- the client secret in the log: ${stderr.includes(secret) ? 'yes' : 'no'}; "_secret_" anywhere: ${stderr.includes('_secret_') ? 'yes' : 'no'}`);
console.log(`- longest log line: ${longest} characters`);
}

// ------------------------------------------------------------ 5. many idle connections
if (STEPS.has('many')) {
  const held = [];
  let refused = 0;
  for (let i = 0; i < IDLE; i++) {
    const c = connect();
    c.socket.on('error', () => refused++);
    held.push(c);
  }
  await sleep(1500);
  // Each on a new connection (a pooled keep-alive one would skip accept).
  const timed = async (method, path) => {
    const t0 = now();
    const answer = await rawRequest(
      `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      10_000,
    );
    const ms = now() - t0;
    return answer ? `${status(answer)} in ${ms.toFixed(1)} ms` : `no answer after ${(ms / 1000).toFixed(1)} s`;
  };
  const config = await timed('GET', '/config');
  const create = await timed('POST', '/create-checkout-session');
  const open = held.filter((c) => !c.socket.destroyed && c.socket.readyState === 'open').length;
  console.log(`\n${IDLE} idle connections (${open} still open after 1.5 s): GET /config ${config}; POST /create-checkout-session ${create}`);
  for (const c of held) c.socket.destroy();
  const emfile = (stderr.match(/Too many open files/g) || []).length;
  console.log(`"Too many open files" in the log: ${emfile} times`);
  const refusals = stderr.split('\n').filter((l) => /refus/i.test(l) && /connection/i.test(l));
  console.log(`connection-cap log lines: ${refusals.length}${refusals[0] ? ` (first: ${refusals[0].slice(0, 160)})` : ''}`);
}

server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
console.log('\n--- log excerpt (request probes) ---');
for (const l of lines.filter((l) => /cs_test_x|FORGED|RED|rejected|refused a/.test(l)).slice(0, 12)) {
  console.log(l.length > 300 ? `${l.slice(0, 300)}… (${l.length} chars)` : l);
}
