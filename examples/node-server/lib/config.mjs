// The configuration, from the same environment variables as checkout-server
// (server/src/config/env.rs), minus those of its built-in emulator and SQL store.
import { fileURLToPath } from 'node:url';
import { loadCatalogue } from './catalogue.mjs';
import { hasServerUpdateBeta } from './merchant.mjs';

const here = fileURLToPath(new URL('..', import.meta.url));

/** protocol/src/api_version.rs and train.rs. */
export const TRAINS = {
  basil: { apiVersion: '2025-03-31.basil; checkout_server_update_beta=v1;', uiMode: 'custom' },
  clover: { apiVersion: '2025-09-30.clover; checkout_server_update_beta=v1;', uiMode: 'custom' },
  dahlia: { apiVersion: '2026-03-25.dahlia; checkout_server_update_beta=v1;', uiMode: 'elements' },
  endive: { apiVersion: '2026-09-30.endive; checkout_server_update_beta=v1;', uiMode: 'elements' },
};
export const TRIAL_PREVIEW = '2025-03-31.preview; checkout_server_update_beta=v1;';
const LINE_ITEMS_GA_DATE = '2025-12-15';
export const DEFAULT_DEV_ORIGINS = ['http://127.0.0.1:8080', 'http://localhost:8080'];
const isLiveKey = (key) => ['sk_live_', 'rk_live_', 'pk_live_'].some((p) => key.startsWith(p));

export class ConfigError extends Error {}
const invalid = (name, value, expected) => new ConfigError(`${name}=${JSON.stringify(value)} is not valid: expected ${expected}`);

function parseOrigin(raw) {
  const trimmed = raw.trim().replace(/\/+$/, '');
  const m = /^https?:\/\/([A-Za-z0-9.\-:[\]]+)$/.exec(trimmed);
  return m ? trimmed.toLowerCase() : null;
}

/** The configuration of environment `env` for a server listening at `ownBase` (http://host:port). */
export function configFromEnv(env, ownBase) {
  const get = (name) => (env[name] !== undefined && env[name].trim() !== '' ? env[name] : undefined);
  const modeVar = get('CHECKOUT_MODE')?.trim();
  if (modeVar !== undefined && modeVar !== 'emulator' && modeVar !== 'stripe') throw invalid('CHECKOUT_MODE', modeVar, 'emulator or stripe');
  const emulator = modeVar === 'emulator';
  const c = {};
  if (emulator) {
    if (['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY'].some((n) => get(n) && isLiveKey(get(n).trim()))) {
      throw new ConfigError('the emulator refuses to start with a live Stripe key: unset STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY, or leave CHECKOUT_MODE unset to use Stripe');
    }
    if (!get('STRIPE_API_BASE')) throw new ConfigError('emulator mode needs STRIPE_API_BASE: the address of a running stripe-sandbox (run.sh starts one)');
    Object.assign(c, {
      mode: 'emulator',
      modeName: 'sandbox',
      secretKey: get('STRIPE_SECRET_KEY')?.trim() ?? 'sk_test_sandbox',
      publishableKey: get('STRIPE_PUBLISHABLE_KEY')?.trim() ?? 'pk_test_sandbox',
      catalogue: loadCatalogue(get('CHECKOUT_CATALOGUE')?.trim() ?? `${here}../../catalogue/demo.toml`).resolveForEmulator(),
      previews: { discounts: true, trials: true },
      rateLimit: null,
    });
  } else {
    const secret = get('STRIPE_SECRET_KEY')?.trim();
    if (!secret) {
      throw new ConfigError('set CHECKOUT_MODE=emulator (with STRIPE_API_BASE of a running stripe-sandbox) for the offline emulator, or STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY, CHECKOUT_CATALOGUE and STRIPE_WEBHOOK_SECRET for Stripe');
    }
    const require = (name) => {
      const v = get(name);
      if (v === undefined) throw new ConfigError(`${name} is required with STRIPE_SECRET_KEY`);
      return v.trim();
    };
    const publishable = require('STRIPE_PUBLISHABLE_KEY');
    if (!/^(sk|rk)_/.test(secret)) throw invalid('STRIPE_SECRET_KEY', '(not shown)', 'a secret key, sk_test_… or sk_live_… (or a restricted key, rk_…)');
    if (!publishable.startsWith('pk_')) throw invalid('STRIPE_PUBLISHABLE_KEY', publishable, 'a publishable key, pk_test_… or pk_live_…');
    if (isLiveKey(secret) !== isLiveKey(publishable)) throw new ConfigError('STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY must be of one mode: both test keys or both live keys');
    Object.assign(c, {
      mode: 'stripe',
      modeName: isLiveKey(publishable) ? 'live' : 'test',
      secretKey: secret,
      publishableKey: publishable,
      catalogue: loadCatalogue(require('CHECKOUT_CATALOGUE')),
      previews: { discounts: false, trials: false },
      rateLimit: { perMinute: 60, burst: 30 },
    });
  }
  const trainName = get('STRIPE_JS_TRAIN')?.trim() ?? 'basil';
  if (!Object.hasOwn(TRAINS, trainName)) throw invalid('STRIPE_JS_TRAIN', trainName, 'one of basil, clover, dahlia, endive');
  c.train = trainName;
  c.uiMode = TRAINS[trainName].uiMode;
  c.apiVersion = get('STRIPE_API_VERSION') ?? TRAINS[trainName].apiVersion;
  c.trialApiVersion = get('STRIPE_TRIAL_API_VERSION') ?? TRIAL_PREVIEW;
  c.apiBase = (get('STRIPE_API_BASE') ?? 'https://api.stripe.com').trim().replace(/\/+$/, '');
  // The emulator's Stripe.js stand-in is proxied on this server's own origin
  // (as checkout-server serves it in emulator mode), so /config names it by path.
  let stripeJsUrl = emulator ? `/sandbox/${trainName}/stripe.js` : `https://js.stripe.com/${trainName}/stripe.js`;
  if (emulator && get('SANDBOX_UPDATE_TIMEOUT_MS')) stripeJsUrl += `?update_timeout_ms=${get('SANDBOX_UPDATE_TIMEOUT_MS').trim()}`;
  c.stripeJsUrl = stripeJsUrl;
  const returnUrl = get('RETURN_URL')?.trim();
  if (returnUrl !== undefined && (!/^https?:\/\//.test(returnUrl) || returnUrl.includes(' '))) {
    throw invalid('RETURN_URL', returnUrl, 'an absolute URL, like https://shop.example/return?session_id={CHECKOUT_SESSION_ID}');
  }
  c.returnUrl = returnUrl ?? `${ownBase}/return.html?session_id={CHECKOUT_SESSION_ID}`;
  const own = parseOrigin(ownBase);
  if (get('ALLOWED_ORIGINS')) {
    const list = get('ALLOWED_ORIGINS');
    const origins = [];
    for (const raw of list.split(',').map((o) => o.trim()).filter(Boolean)) {
      const o = parseOrigin(raw);
      if (!o) throw invalid('ALLOWED_ORIGINS', list, 'comma-separated origins like http://127.0.0.1:8080 (scheme://host[:port], no path)');
      origins.push(o);
    }
    c.allowedOrigins = [...new Set([...origins, own])];
  } else {
    c.allowedOrigins = [...new Set([...DEFAULT_DEV_ORIGINS, own])];
  }
  c.webhookSecret = null;
  if (get('STRIPE_WEBHOOK_SECRET')) {
    const s = get('STRIPE_WEBHOOK_SECRET').trim();
    if (!s.startsWith('whsec_') || s.length <= 6) throw invalid('STRIPE_WEBHOOK_SECRET', '(not shown)', "the endpoint's signing secret, whsec_…");
    c.webhookSecret = s;
  }
  const webhooks = get('WEBHOOKS')?.trim() ?? 'on';
  if (webhooks !== 'on' && webhooks !== 'off') throw invalid('WEBHOOKS', webhooks, 'on or off');
  c.webhooksOff = webhooks === 'off';
  if (c.mode === 'stripe' && !c.webhookSecret && !c.webhooksOff) {
    throw new ConfigError('STRIPE_WEBHOOK_SECRET is required with Stripe keys: it is how paid orders are fulfilled when the customer does not come back to the page (set WEBHOOKS=off to fulfil only on the customer\'s return)');
  }
  const whole = (name) => {
    const v = get(name);
    if (v === undefined) return undefined;
    if (!/^[0-9]+$/.test(v.trim())) throw invalid(name, v, 'a whole number (RATE_LIMIT_PER_MINUTE=0 turns the limit off)');
    return Number(v.trim());
  };
  const perMinute = whole('RATE_LIMIT_PER_MINUTE');
  const burst = whole('RATE_LIMIT_BURST');
  if (perMinute === 0) c.rateLimit = null;
  else if (perMinute !== undefined || burst !== undefined) {
    const base = c.rateLimit ?? { perMinute: 60, burst: 30 };
    c.rateLimit = { perMinute: perMinute ?? base.perMinute, burst: burst || base.burst };
  }
  const ms = (name, fallback) => {
    const v = get(name);
    if (v === undefined) return fallback;
    if (!/^[0-9]+$/.test(v.trim()) || Number(v) <= 0) throw invalid(name, v, 'a positive number of milliseconds');
    return Number(v.trim());
  };
  c.timeoutMs = ms('STRIPE_TIMEOUT_MS', 10_000);
  // One deadline for all the Stripe calls of a merchant request, under
  // Stripe.js's 20 s for runServerUpdate (config/mod.rs).
  c.updateDeadlineMs = ms('STRIPE_UPDATE_DEADLINE_MS', 15_000);
  if (c.updateDeadlineMs >= 20_000) throw invalid('STRIPE_UPDATE_DEADLINE_MS', String(c.updateDeadlineMs), "fewer than 20000 ms (Stripe.js's runServerUpdate gives up after 20 s)");
  const retries = get('STRIPE_MAX_RETRIES');
  c.maxRetries = 2;
  if (retries !== undefined) {
    if (!/^[0-9]+$/.test(retries.trim()) || Number(retries) > 10) throw invalid('STRIPE_MAX_RETRIES', retries, 'a number of retries from 0 to 10');
    c.maxRetries = Number(retries.trim());
  }
  if (get('STRIPE_PREVIEWS')) {
    const list = get('STRIPE_PREVIEWS');
    const previews = { discounts: false, trials: false };
    for (const name of list.split(',').map((n) => n.trim()).filter(Boolean)) {
      if (name === 'discounts' || name === 'trials') previews[name] = true;
      else if (name !== 'none') throw invalid('STRIPE_PREVIEWS', list, 'a comma-separated list of discounts, trials (or none)');
    }
    c.previews = previews;
  }
  if (!hasServerUpdateBeta(c.apiVersion) && c.apiVersion.trim().slice(0, 10) < LINE_ITEMS_GA_DATE) {
    throw invalid('STRIPE_API_VERSION', c.apiVersion, 'a version from 2025-12-15 on (line-item updates are generally available from 2025-12-15.clover), or one with the server-update beta (…; checkout_server_update_beta=v1;)');
  }
  if ((c.previews.discounts || c.previews.trials) && !hasServerUpdateBeta(c.apiVersion)) {
    throw invalid('STRIPE_PREVIEWS', ['discounts', 'trials'].filter((p) => c.previews[p]).join(','), 'no preview (STRIPE_PREVIEWS=none) unless STRIPE_API_VERSION carries the server-update beta (…; checkout_server_update_beta=v1;)');
  }
  c.journal = get('ORDER_JOURNAL')?.trim() ?? `${here}data/orders.jsonl`;
  if (c.journal === 'memory') c.journal = null;
  c.widgetDir = get('WIDGET_DIR')?.trim() ?? `${here}../../target/npm/leptos-stripe-checkout`;
  return c;
}
