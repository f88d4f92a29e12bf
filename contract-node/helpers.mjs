// The target of the stripe-node contract suite: the offline emulator (the
// `stripe-sandbox` binary, started here on a free loopback port), or, when
// STRIPE_SECRET_KEY is set (a sk_test_ key), your Stripe test account, so the
// same tests check the emulator against Stripe.
//
//   STRIPE_SECRET_KEY=sk_test_… node --test --test-concurrency=1   # against Stripe
//   STRIPE_PREVIEW=1 additionally runs the tests that need the private preview
//   of dynamic updates (the `checkout_server_update_beta=v1` version header).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';

export const root = fileURLToPath(new URL('..', import.meta.url));
const binary = process.env.SANDBOX_BIN || `${root}target/debug/stripe-sandbox`;

/** GA API version (no beta flag): what every test uses unless it needs the preview. */
export const GA_VERSION = '2025-03-31.basil';
/** The private preview's version header, as the merchant server sends it. */
export const PREVIEW_VERSION = '2025-03-31.basil; checkout_server_update_beta=v1;';

const realKey = process.env.STRIPE_SECRET_KEY || '';
if (realKey && !realKey.startsWith('sk_test_')) {
  throw new Error('STRIPE_SECRET_KEY must be a test-mode key (sk_test_…): the contract suite creates and expires objects.');
}
/** 'stripe' when STRIPE_SECRET_KEY is set, else 'emulator'. */
export const TARGET = realKey ? 'stripe' : 'emulator';
export const ON_EMULATOR = TARGET === 'emulator';
const preview = ON_EMULATOR || process.env.STRIPE_PREVIEW === '1';

/** Skip reason for a test that only the emulator can run (or false). */
export const EMULATOR_ONLY = ON_EMULATOR
  ? false
  : 'emulator only (Stripe.js stand-in payment, or a delivery to this machine, which Stripe cannot reach; use `stripe listen --forward-to` for that)';
/** Skip reason for a test that needs the dynamic-updates private preview (or false). */
export const NEEDS_PREVIEW = preview
  ? false
  : 'needs the private preview of dynamic updates (checkout_server_update_beta=v1): set STRIPE_PREVIEW=1 if your account has it';

if (!ON_EMULATOR) {
  console.log(`# contract-node: target = your Stripe test account (${realKey.slice(0, 8)}…); preview tests ${preview ? 'on' : 'skipped (STRIPE_PREVIEW unset)'}`);
} else {
  console.log('# contract-node: target = the offline emulator (set STRIPE_SECRET_KEY=sk_test_… to run the same tests against Stripe)');
}

let started;

/** Starts the emulator once (nothing against Stripe); resolves its base URL or null. */
export async function emulatorBase() {
  if (!ON_EMULATOR) return null;
  if (!started) {
    started = new Promise((resolve, reject) => {
      const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', RUST_LOG: 'warn' };
      for (const key of Object.keys(env)) if (key.startsWith('STRIPE_')) delete env[key];
      const child = spawn(binary, [], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      child.on('error', (e) => reject(new Error(`${binary}: ${e.message} (run \`cargo build -p stripe-sandbox\` first)`)));
      let buffer = '';
      child.stdout.on('data', (chunk) => {
        buffer += chunk;
        const match = buffer.match(/listening on (http:\/\/\S+)/);
        if (match) {
          // Started: let this process end when its tests do (and stop the emulator then).
          child.unref();
          child.stdout.unref?.();
          resolve({ url: match[1], child });
        }
      });
      process.on('exit', () => child.kill('SIGTERM'));
    });
  }
  return (await started).url;
}

/** A stripe-node client for the target, pinned to `apiVersion`, no retries. */
export async function client(apiVersion = GA_VERSION, key = undefined) {
  const options = { apiVersion, maxNetworkRetries: 0 };
  if (ON_EMULATOR) {
    const url = new URL(await emulatorBase());
    Object.assign(options, { host: url.hostname, port: Number(url.port), protocol: 'http' });
    return new Stripe(key ?? 'sk_test_contract', options);
  }
  return new Stripe(key ?? realKey, options);
}

/** A payment-mode session with an inline price: needs no catalog on either target. */
export function paymentSession(stripe, extra = {}) {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    ui_mode: 'custom',
    return_url: 'https://example.com/return?session_id={CHECKOUT_SESSION_ID}',
    line_items: [
      { price_data: { currency: 'usd', unit_amount: 2000, product_data: { name: 'T-shirt' } }, quantity: 1 },
      { price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'Socks' } }, quantity: 2 },
    ],
    ...extra,
  });
}

/**
 * A webhook receiver on 127.0.0.1: resolves {url, next(), close()}; next()
 * resolves the next delivery {body (raw string), signature}.
 */
export async function receiver() {
  const queue = [];
  const waiting = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const delivery = { body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['stripe-signature'] };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"received":true}');
      const w = waiting.shift();
      if (w) w(delivery);
      else queue.push(delivery);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    next: (ms = 10000) => new Promise((resolve, reject) => {
      const d = queue.shift();
      if (d) return resolve(d);
      const timer = setTimeout(() => reject(new Error('no delivery in time')), ms);
      waiting.push((x) => { clearTimeout(timer); resolve(x); });
    }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Calls `fn`, expecting it to reject with an instance of `errorClass`; returns the error. */
export async function rejection(promise, errorClass) {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof errorClass)) throw new Error(`expected ${errorClass.name}, got ${e?.constructor?.name}: ${e?.message}`);
    return e;
  }
  throw new Error(`expected ${errorClass.name}, got success`);
}
