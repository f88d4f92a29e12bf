// Starts what the tests compare: the emulator (`stripe-sandbox`), the Node
// server, and checkout-server pointed at the same emulator, each on a free
// loopback port. Build the binaries first: cargo build -p stripe-sandbox -p checkout-server
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';

export const here = fileURLToPath(new URL('..', import.meta.url));
export const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = (name) => process.env[`${name.toUpperCase().replace('-', '_')}_BIN`] || `${root}target/debug/${name}`;
export const DEMO = `${root}catalogue/demo.toml`;
export const SECRET_KEY = 'sk_test_nodeserver';

const children = new Set();
const killAll = () => { for (const c of children) c.kill('SIGKILL'); };
process.on('exit', killAll);
// Stopped from outside (Ctrl-C, the runner, a closed pipe): the servers go too.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE']) {
  process.on(signal, () => { killAll(); process.exit(1); });
}

/** A port free now on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Spawns `cmd` and resolves {url, child, stop()} once it prints `listening on http://…`. */
function start(cmd, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stderr.on('data', (c) => { err += c; if (err.length > 100_000) err = err.slice(-50_000); });
    child.on('error', (e) => reject(new Error(`${cmd}: ${e.message} (cargo build -p stripe-sandbox -p checkout-server first)`)));
    child.on('exit', (code) => { children.delete(child); reject(new Error(`${cmd} exited (${code}) before listening:\n${err}`)); });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        resolve({
          url: m[1],
          child,
          stderr: () => err,
          stop: (signal = 'SIGTERM') => new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', done);
            child.kill(signal);
          }),
        });
      }
    });
  });
}

function cleanEnv(extra) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(STRIPE_|CHECKOUT_|SANDBOX_|RATE_LIMIT_|DATABASE_URL|ALLOWED_ORIGINS|RETURN_URL|WEBHOOKS|ORDER_JOURNAL|WIDGET_DIR|PORT|HOST)/.test(k)) delete env[k];
  }
  return { ...env, RUST_LOG: 'warn', HOST: '127.0.0.1', ...extra };
}

export function sandbox(extra = {}) {
  return start(bin('stripe-sandbox'), [], cleanEnv({ PORT: '0', ...extra }));
}

/** A stripe-node client for the emulator at `url`. */
export function stripeFor(url) {
  const u = new URL(url);
  return new Stripe(SECRET_KEY, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
}

/** A webhook endpoint for `url` on the emulator: its secret. */
export async function registerWebhook(sandboxUrl, url) {
  const endpoint = await stripeFor(sandboxUrl).webhookEndpoints.create({
    url,
    enabled_events: ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.expired'],
  });
  return endpoint.secret;
}

/** The environment both servers get in Stripe mode against the emulator. */
function stripeModeEnv(sandboxUrl, extra) {
  return {
    STRIPE_SECRET_KEY: SECRET_KEY,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_nodeserver',
    STRIPE_API_BASE: sandboxUrl,
    CHECKOUT_CATALOGUE: DEMO,
    STRIPE_PREVIEWS: 'discounts,trials',
    RATE_LIMIT_PER_MINUTE: '0',
    ...extra,
  };
}

/**
 * checkout-server in Stripe mode against the emulator at `sandboxUrl`
 * (its /webhook registered there unless `webhook: false`).
 */
export async function checkoutServer(sandboxUrl, extra = {}, { webhook = true } = {}) {
  const port = await freePort();
  const env = stripeModeEnv(sandboxUrl, { PORT: String(port), DATABASE_URL: 'sqlite::memory:', ...extra });
  if (webhook && !env.STRIPE_WEBHOOK_SECRET) env.STRIPE_WEBHOOK_SECRET = await registerWebhook(sandboxUrl, `http://127.0.0.1:${port}/webhook`);
  const server = await start(bin('checkout-server'), [], cleanEnv(env));
  return { ...server, secret: env.STRIPE_WEBHOOK_SECRET };
}

/** checkout-server with its built-in emulator (`--emulator`). */
export function checkoutServerEmulator(extra = {}) {
  return start(bin('checkout-server'), ['--emulator'], cleanEnv({ PORT: '0', DATABASE_URL: 'sqlite::memory:', ...extra }));
}

export const tempJournal = () => join(mkdtempSync(join(tmpdir(), 'node-server-')), 'orders.jsonl');

/** The Node server in Stripe mode against the emulator (same env as checkoutServer). */
export async function nodeServer(sandboxUrl, extra = {}, { webhook = true, port } = {}) {
  port ??= await freePort();
  const env = stripeModeEnv(sandboxUrl, { PORT: String(port), ORDER_JOURNAL: tempJournal(), ...extra });
  if (webhook && !env.STRIPE_WEBHOOK_SECRET) env.STRIPE_WEBHOOK_SECRET = await registerWebhook(sandboxUrl, `http://127.0.0.1:${port}/webhook`);
  const server = await start(process.execPath, ['server.mjs'], cleanEnv(env), here);
  return { ...server, secret: env.STRIPE_WEBHOOK_SECRET, journal: env.ORDER_JOURNAL, env };
}

/** The Node server in emulator mode (it registers its own /webhook). */
export async function nodeServerEmulator(sandboxUrl, extra = {}) {
  const env = { CHECKOUT_MODE: 'emulator', STRIPE_API_BASE: sandboxUrl, PORT: '0', ORDER_JOURNAL: tempJournal(), ...extra };
  const server = await start(process.execPath, ['server.mjs'], cleanEnv(env), here);
  return { ...server, journal: env.ORDER_JOURNAL };
}

/** Restarts a Node server on its port with its environment (its journal kept). */
export async function restart(server, signal = 'SIGKILL') {
  await server.stop(signal);
  const again = await start(process.execPath, ['server.mjs'], cleanEnv(server.env), here);
  return { ...again, secret: server.secret, journal: server.journal, env: server.env };
}

/** POST `path` with a JSON body (or `raw` as given); resolves {status, body, headers}. */
export async function post(base, path, body, { headers = {}, raw } = {}) {
  const init = { method: 'POST', headers: { ...headers } };
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { notJson: text }; }
  return { status: res.status, body: json, headers: res.headers };
}

/** The session as the emulator holds it, with its line items. */
export async function stripeSession(sandboxUrl, id) {
  const res = await fetch(`${sandboxUrl}/v1/checkout/sessions/${id}?expand[]=line_items`, {
    headers: { authorization: `Bearer ${SECRET_KEY}` },
  });
  return res.json();
}

/** What went over the wire to the emulator for session `id` (GET /sandbox/requests). */
export async function requestsFor(sandboxUrl, id, after = 0) {
  const res = await fetch(`${sandboxUrl}/sandbox/requests?session=${id}&after=${after}`);
  return (await res.json()).requests;
}

/** Every request to the emulator after `after`. */
export async function requestsAfter(sandboxUrl, after) {
  const res = await fetch(`${sandboxUrl}/sandbox/requests?after=${after}`);
  return (await res.json()).requests;
}

export async function lastSeq(sandboxUrl) {
  const res = await fetch(`${sandboxUrl}/sandbox/requests`);
  const list = (await res.json()).requests;
  return list.length ? list[list.length - 1].seq : 0;
}

/** Pays session `id` on the emulator's Stripe.js stand-in route (a test card). */
export async function pay(sandboxUrl, clientSecret, email = 'buyer@example.com') {
  const id = clientSecret.split('_secret_')[0];
  const form = new URLSearchParams({
    key: 'pk_test_nodeserver',
    client_secret: clientSecret,
    'payment_method[card][number]': '4242424242424242',
    email,
  });
  const res = await fetch(`${sandboxUrl}/v1/payment_pages/${id}/confirm`, { method: 'POST', body: form });
  if (res.status !== 200) throw new Error(`confirm answered ${res.status}: ${await res.text()}`);
  return id;
}

/** The journal's lines. */
export function journal(path) {
  if (!existsSync(path)) return [];
  // A torn last line (a crash mid-append) is the server's to skip: skipped here too.
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).flatMap((l) => {
    try { return [JSON.parse(l)]; } catch { return []; }
  });
}

/** Calls `check` until it returns a truthy value, at most `attempts` times (a pause between). */
export async function eventually(check, what, attempts = 600) {
  for (let i = 0; i < attempts; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not after ${attempts} attempts`);
}

/**
 * A value with what differs between two servers' runs made comparable: ids
 * by prefix (in order of appearance), times, secrets and server addresses.
 */
export function normalize(value, bases = []) {
  const seen = new Map();
  const walk = (v, key) => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object') {
      const out = {};
      for (const k of Object.keys(v).sort()) out[k] = walk(v[k], k);
      return out;
    }
    if (typeof v === 'number' && ['created', 'expires_at', 'at', 'fulfilled_at'].includes(key)) return '<time>';
    if (typeof v === 'string') {
      let s = v;
      for (const b of bases) s = s.split(b).join('<base>');
      if (key === 'client_secret' || /_secret_/.test(s)) return '<secret>';
      if (key === 'coupon' || key === 'idempotency_key') return `<${key}>`; // random ids of the emulator / the clients
      return s.replace(/\b(cs|li|co|di|pi|seti|sub|in|evt|req|we|cus|promo|pm|ch)_(test_)?[A-Za-z0-9]+/g, (id, prefix) => {
        if (!seen.has(id)) seen.set(id, `<${prefix}#${[...seen.keys()].filter((k) => k.startsWith(prefix + '_')).length}>`);
        return seen.get(id);
      });
    }
    return v;
  };
  return walk(value);
}

/** A logged request as comparable between the servers: `expand[0]` (stripe-node) read as `expand[]` (serde_qs), ids normalized by the caller. */
export function wire(entry) {
  return {
    method: entry.method,
    path: entry.path,
    stripe_version: entry.stripe_version,
    idempotent: entry.idempotency_key !== null,
    params: entry.params.map(([k, v]) => [k.replace(/^expand\[\d+\]$/, 'expand[]'), v]),
    status: entry.status,
  };
}

/**
 * The emulator, checkout-server and this server in Stripe mode on it:
 * {sb, rust, node, stop()}. (A file starts them in its own `before`: Node
 * 20 runs a file's `before` hooks concurrently, so a helper's hook could
 * not be waited for.)
 */
export async function bothServersOnOneEmulator() {
  const sb = await sandbox();
  const [rust, node] = await Promise.all([checkoutServer(sb.url), nodeServer(sb.url)]);
  return {
    sb,
    rust,
    node,
    stop: async () => {
      await Promise.all([rust.stop(), node.stop()]);
      await sb.stop();
    },
  };
}
