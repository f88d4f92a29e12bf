// A merchant server for the leptos-stripe-checkout widget, in Node: Express
// and the official `stripe` package, answering checkout-server's contract
// (protocol/src/endpoints.rs, bodies.rs, refusal.rs, limits.rs) with its
// policies. See README.md.
//
//   CHECKOUT_MODE=emulator STRIPE_API_BASE=http://127.0.0.1:12111 node server.mjs
//   STRIPE_SECRET_KEY=sk_test_… STRIPE_PUBLISHABLE_KEY=pk_test_… \
//     CHECKOUT_CATALOGUE=shop.toml STRIPE_WEBHOOK_SECRET=whsec_… node server.mjs
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import Stripe from 'stripe';
import { BodyError, MSG_NOT_JSON, MSG_NOT_JSON_TYPE, isJsonContentType, parseJson, readShape } from './lib/body.mjs';
import { fromStripe as fromStripeInterval, intervalName } from './lib/catalogue.mjs';
import { ConfigError, configFromEnv } from './lib/config.mjs';
import { ApiError, HANDLED_EVENTS, Merchant, tooLarge } from './lib/merchant.mjs';
import { Store } from './lib/store.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Merchant request bodies: 16 KiB; Stripe's webhook deliveries: 1 MiB; the proxied emulator: 64 KiB. */
export const BODY_LIMIT = 16 * 1024;
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
const EMULATOR_BODY_LIMIT = 64 * 1024;

/** server/src/security.rs: on every response. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://js.stripe.com https://*.js.stripe.com; frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com; connect-src 'self' https://api.stripe.com";

/** The stripe-node client of `config`: pointed at STRIPE_API_BASE (the emulator) when it is not Stripe's. */
export function stripeClient(config) {
  const options = {
    apiVersion: config.apiVersion,
    maxNetworkRetries: 0, // the retries are checkout-server's (lib/merchant.mjs, send)
    timeout: config.timeoutMs,
    telemetry: false,
  };
  const url = new URL(config.apiBase);
  if (url.origin !== 'https://api.stripe.com') {
    Object.assign(options, {
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      protocol: url.protocol.replace(':', ''),
    });
  }
  return new Stripe(config.secretKey, options);
}

/** Reads the body (at most `limit` bytes): a Buffer, or throws the 413. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(tooLarge(limit));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { if (!done) { done = true; resolve(Buffer.concat(chunks)); } });
    const broken = () => { if (!done) { done = true; reject(ApiError.invalid('The request body could not be read.')); } };
    req.on('error', broken);
    req.on('close', () => { if (!req.complete) broken(); });
  });
}

function sendJson(res, status, body) {
  res.status(status).set('Content-Type', 'application/json').send(JSON.stringify(body));
}

/** A merchant body: the JSON object of `shape` (extract.rs's rules and messages). */
async function jsonBody(req, shape) {
  if (!isJsonContentType(req.headers['content-type'])) {
    // axum reads no body it will not parse; the limit still holds for declared lengths.
    throw ApiError.invalid(MSG_NOT_JSON_TYPE);
  }
  const bytes = await readBody(req, BODY_LIMIT);
  return readShape(parse(bytes), shape);
}

function parse(bytes) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw ApiError.invalid(MSG_NOT_JSON);
  }
  try {
    return parseJson(text);
  } catch {
    throw ApiError.invalid(MSG_NOT_JSON);
  }
}

/** `POST /create-checkout-session`'s optional body: none, or a JSON object with application/json. */
async function createBody(req) {
  const bytes = await readBody(req, BODY_LIMIT);
  const type = req.headers['content-type'];
  if (bytes.length === 0 && type === undefined) return {};
  if (!isJsonContentType(type, true)) throw ApiError.invalid(MSG_NOT_JSON_TYPE);
  return readShape(parse(bytes), 'create');
}

/** A per-client token bucket (config/rate_limit.rs: burst, refilled at per_minute): 429 try_again past it. */
function rateLimiter(limit) {
  if (!limit) return (req, res, next) => next();
  const period = 60_000 / Math.max(limit.perMinute, 1);
  const clients = new Map(); // ip → theoretical arrival time (GCRA)
  setInterval(() => {
    const now = Date.now();
    for (const [ip, tat] of clients) if (tat < now) clients.delete(ip);
  }, 60_000).unref();
  return (req, res, next) => {
    const now = Date.now();
    const ip = req.socket.remoteAddress ?? '';
    const tat = Math.max(clients.get(ip) ?? now, now);
    const allowAt = tat - period * limit.burst;
    if (allowAt + period > now) {
      const wait = Math.max(1, Math.ceil((allowAt + period - now) / 1000));
      const e = new ApiError('try_again', undefined, 429);
      res.set('Retry-After', String(wait));
      return sendJson(res, 429, e.body());
    }
    clients.set(ip, tat + period);
    next();
  };
}

/** The Express application of `config` (with its stripe client, order store). */
export function createApp(config, stripe, store) {
  const merchant = new Merchant(config, stripe, store);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.set('query parser', 'simple');

  // Security headers and a request id (security.rs, request_id.rs) on every answer.
  app.use((req, res, next) => {
    res.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'same-origin');
    const given = req.headers['x-request-id'];
    const keep = typeof given === 'string' && /^[A-Za-z0-9\-_.:]{1,128}$/.test(given);
    res.set('x-request-id', keep ? given : randomUUID());
    next();
  });

  // 413 at once for a declared length over the route's limit (app/oversize.rs).
  app.use((req, res, next) => {
    const declared = Number(req.headers['content-length']);
    const limit = isEmulatorPath(req.path) && config.mode === 'emulator' ? EMULATOR_BODY_LIMIT
      : req.path === '/webhook' ? WEBHOOK_BODY_LIMIT : BODY_LIMIT;
    if (Number.isFinite(declared) && declared > limit) {
      if (isEmulatorPath(req.path) && config.mode === 'emulator') {
        return sendJson(res, 413, { error: { type: 'invalid_request_error', message: `The request body is too large (limit ${limit / 1024} KiB).` } });
      }
      res.set('Connection', 'close');
      return sendJson(res, 413, tooLarge(limit).body());
    }
    next();
  });

  // A POST from a page origin that is not allowed: 403 (merchant/origin.rs).
  const guardOrigin = (req, res, next) => {
    const origin = req.headers.origin;
    if (req.method === 'POST' && origin !== undefined) {
      const o = String(origin).replace(/\/+$/, '');
      if (!config.allowedOrigins.includes(o)) {
        console.warn(`refused a request from a foreign origin on ${req.path}`);
        return sendJson(res, 403, new ApiError('forbidden_origin').body());
      }
    }
    next();
  };
  const limited = rateLimiter(config.rateLimit);

  const handle = (fn) => async (req, res) => {
    try {
      const [status, body] = await fn(req);
      sendJson(res, status, body);
    } catch (e) {
      let error = e;
      if (e instanceof BodyError) error = ApiError.invalid(e.message);
      else if (!(e instanceof ApiError)) {
        console.error(`unexpected failure on ${req.path}: ${e?.stack ?? e}`);
        error = new ApiError('server_error');
      }
      if (error.status === 413) res.set('Connection', 'close');
      sendJson(res, error.status, error.body());
    }
  };

  const route = (path, method, ...handlers) => {
    app.all(path, (req, res, next) => {
      if (req.method === method || (method === 'GET' && req.method === 'HEAD')) return next();
      res.set('Allow', method === 'GET' ? 'GET,HEAD' : method);
      res.status(405).end();
    }, ...handlers);
  };

  route('/config', 'GET', guardOrigin, (req, res) => sendJson(res, 200, merchant.configReply()));
  // Every page POST but the status read has one deadline for all its Stripe
  // calls (MerchantState::for_request): past it, 503 try_again. As with
  // checkout-server, a call already sent may still land at Stripe.
  const page = (path, shape, fn) => route(path, 'POST', guardOrigin, limited, handle(async (req) => {
    const body = shape === 'create' ? await createBody(req) : await jsonBody(req, shape);
    return [200, await fn(body)];
  }));
  page('/create-checkout-session', 'create', (b) => merchant.forRequest().createCheckoutSession(b));
  page('/change-subscription-interval', 'interval', (b) => merchant.forRequest().changeSubscriptionInterval(b));
  page('/update-discounts', 'discounts', (b) => merchant.forRequest().updateDiscounts(b));
  page('/apply-customer-discount', 'session', (b) => merchant.forRequest().applyCustomerDiscount(b));
  page('/extend-trial-for-yearly', 'session', (b) => merchant.forRequest().extendTrialForYearly(b));
  page('/update-line-item-quantity', 'quantity', (b) => merchant.forRequest().updateLineItemQuantity(b));
  page('/checkout-session-status', 'session', (b) => merchant.checkoutSessionStatus(b));
  page('/order-status', 'session', (b) => merchant.forRequest().orderStatus(b));

  // Stripe's deliveries: the signature checked on the raw body first.
  route('/webhook', 'POST', guardOrigin, handle(async (req) => {
    const body = await readBody(req, WEBHOOK_BODY_LIMIT);
    if (!config.webhookSecret) {
      console.error('a webhook arrived but no signing secret is configured (STRIPE_WEBHOOK_SECRET)');
      throw ApiError.invalid('Webhooks are not configured on this server.', 503);
    }
    let event;
    try {
      event = stripe.webhooks.constructEvent(body, req.headers['stripe-signature'] ?? '', config.webhookSecret);
    } catch (e) {
      if (e instanceof Stripe.errors.StripeSignatureVerificationError) {
        console.warn(`webhook refused: bad signature (${e.message})`);
        throw ApiError.invalid('Webhook signature verification failed.');
      }
      console.warn('webhook refused: not an event');
      throw ApiError.invalid('The webhook body is not a Stripe event.');
    }
    return [200, await merchant.webhook(event)];
  }));

  app.get('/healthz', (req, res) => sendJson(res, 200, { status: 'ok' }));
  app.get('/readyz', (req, res) => sendJson(res, 200, { status: 'ready' }));

  // Emulator mode: the emulator's API and Stripe.js stand-in on this origin,
  // as checkout-server serves its built-in emulator (so /config names the
  // stand-in by path and the page's Content-Security-Policy holds).
  if (config.mode === 'emulator') {
    app.use(async (req, res, next) => {
      if (!isEmulatorPath(req.path)) return next();
      try {
        const body = ['GET', 'HEAD'].includes(req.method) ? undefined : await readBody(req, EMULATOR_BODY_LIMIT);
        const headers = {};
        for (const name of ['content-type', 'authorization', 'stripe-version', 'idempotency-key', 'accept']) {
          if (req.headers[name] !== undefined) headers[name] = req.headers[name];
        }
        const answer = await fetch(`${config.apiBase}${req.originalUrl}`, { method: req.method, headers, body });
        for (const name of ['content-type', 'cache-control', 'request-id', 'stripe-should-retry', 'idempotent-replayed', 'retry-after']) {
          const v = answer.headers.get(name);
          if (v !== null) res.set(name, v);
        }
        res.status(answer.status).send(Buffer.from(await answer.arrayBuffer()));
      } catch (e) {
        if (e instanceof ApiError) return sendJson(res, e.status, { error: { type: 'invalid_request_error', message: e.message } });
        sendJson(res, 502, { error: { type: 'api_error', message: 'The emulator did not answer.' } });
      }
    });
  }

  // The page: public/ (index.html, main.js), the widget's npm package at
  // /widget/, the repository's return page.
  const staticOptions = {
    etag: false,
    setHeaders: (res) => {
      res.set('Cache-Control', 'no-cache');
      res.set('Vary', 'accept-encoding');
    },
  };
  app.use('/widget', express.static(resolve(config.widgetDir), staticOptions));
  app.use(express.static(resolve(here, 'public'), staticOptions));
  app.get(['/return.html', '/return.js'], (req, res, next) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(resolve(here, '..', req.path.slice(1)), (e) => e && next());
  });
  app.get('/checkout.css', (req, res, next) => res.sendFile(resolve(config.widgetDir, 'checkout.css'), (e) => e && next()));

  app.use((req, res) => res.status(404).end());
  // Express's own errors (a malformed URL…): never a crash, never a stack trace.
  app.use((err, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = err?.status >= 400 && err.status < 500 ? err.status : 500;
    res.status(status).end();
  });
  return app;
}

const isEmulatorPath = (path) => path.startsWith('/v1/') || path.startsWith('/sandbox/');

/** Stripe mode (catalogue/check at start, serve.rs): lookup keys resolved, every price as the file says. */
async function checkCatalogue(config, merchant) {
  const catalogue = config.catalogue;
  const keys = catalogue.unresolvedLookupKeys();
  const ids = new Map();
  for (let i = 0; i < keys.length; i += 10) {
    const chunk = keys.slice(i, i + 10);
    const list = await merchant.listPricesByLookupKeys(chunk);
    for (const price of list.data) if (price.lookup_key) ids.set(price.lookup_key, price.id);
  }
  const missing = catalogue.resolve(ids);
  if (missing.length) throw new ConfigError(`CHECKOUT_CATALOGUE: no active price in your Stripe account has the lookup key(s) ${JSON.stringify(missing)}`);
  const found = [];
  for (const [product, entry] of catalogue.prices()) {
    const at = (what) => found.push(`product ${JSON.stringify(product.id)}, price ${entry.price}: ${what}`);
    let price;
    try {
      price = await merchant.retrievePrice(entry.price);
    } catch (e) {
      at(`could not be read from Stripe (${e.message})`);
      continue;
    }
    if (!price.active) at('is archived (not active) in Stripe');
    if (price.currency !== catalogue.currency) at(`Stripe's currency is ${JSON.stringify(price.currency)}, the catalogue's ${JSON.stringify(catalogue.currency)}`);
    if (price.unit_amount !== entry.amount) at(`Stripe's unit_amount is ${price.unit_amount}, the catalogue says ${entry.amount}`);
    const stripeInterval = price.recurring ? fromStripeInterval(price.recurring.interval, price.recurring.interval_count) : null;
    const name = (i) => (i ? intervalName(i) : 'one-time');
    if (name(stripeInterval) !== name(entry.interval)) at(`Stripe's price is ${name(stripeInterval)}, the catalogue says ${name(entry.interval)}`);
  }
  if (found.length) throw new ConfigError(`CHECKOUT_CATALOGUE does not match your Stripe account:\n  ${found.join('\n  ')}`);
}

async function main() {
  const host = process.env.HOST || '127.0.0.1';
  const portVar = process.env.PORT ?? '4242';
  if (!/^[0-9]+$/.test(portVar) || Number(portVar) > 65535) throw new ConfigError(`PORT must be a number between 0 and 65535, got ${JSON.stringify(portVar)}`);
  // Bind first (PORT=0 picks a free port): the server's own origin is part of its configuration.
  const server = (await import('node:http')).createServer();
  await new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new ConfigError(`could not bind ${host}:${portVar}: ${e.message}`)));
    server.listen(Number(portVar), host, resolve);
  });
  const { port } = server.address();
  const own = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const config = configFromEnv(process.env, own);
  const stripe = stripeClient(config);
  if (config.mode === 'stripe') {
    await checkCatalogue(config, new Merchant(config, stripe, null));
  } else if (!config.webhookSecret) {
    // Emulator mode: register this server's /webhook with the emulator, as
    // checkout-server registers its own; the endpoint's secret verifies deliveries.
    const endpoint = await stripe.webhookEndpoints.create({ url: `${own}/webhook`, enabled_events: HANDLED_EVENTS });
    config.webhookSecret = endpoint.secret;
    console.error(`emulator: this server's webhook endpoint ${own}/webhook is registered (${endpoint.id})`);
  }
  const store = new Store(config.journal);
  if (!existsSync(config.widgetDir)) console.error(`WIDGET_DIR ${config.widgetDir} does not exist: the page will not load the widget (build it: scripts/npm-package.sh)`);
  const app = createApp(config, stripe, store);
  server.on('request', app);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  process.stdout.write(`listening on ${own}\n`);
  const stop = () => {
    server.close(() => { store.close(); process.exit(0); });
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(`node-server: ${e instanceof ConfigError ? e.message : e?.stack ?? e}`);
    process.exit(1);
  });
}
