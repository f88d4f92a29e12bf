// The merchant endpoints, as checkout-server's server/src/merchant/*.rs
// answer them: the same checks in the same order, the same refusals
// (protocol/src/refusal.rs), the same Stripe calls with the same parameters
// and `Stripe-Version`s (the trials preview version only on an update that
// writes `subscription_data`), the same policies (server/src/policy/).
import { randomUUID } from 'node:crypto';
import { isValidEmail } from './email.mjs';
import { BodyError, readDiscounts, readQuantity } from './body.mjs';
import { intervalName, parseInterval } from './catalogue.mjs';

/** protocol/src/refusal.rs: code → [status, message]. */
export const REFUSALS = {
  not_eligible: [200, 'Customer discounts apply to orders over $100.00.'],
  invalid_discounts: [200, 'Your discounts are invalid. Please refresh your session.'],
  cart_changed: [409, 'Your order changed in another window. Please review it and try again.'],
  not_subscription: [400, 'Trials are only available for subscriptions.'],
  no_line_item: [400, 'That item is not in your cart. Please refresh your session.'],
  bad_quantity: [400, 'quantity must be a whole number from 1 to 10.'],
  discount_failed: [400, 'We could not update your discounts. Please try again.'],
  bad_request: [400, "We couldn't process your request. Please try again later."],
  server_error: [500, 'Something went wrong on our end. Please try again later.'],
  try_again: [503, "We couldn't update your order just now. Please try again in a moment."],
  forbidden_origin: [403, 'This page is not allowed to call the checkout server.'],
  not_open: [400, 'This checkout session is no longer open. Please refresh your session.'],
  invalid_request: [400, 'The request is not valid.'],
};

export const MSG_SESSION_REQUIRED = 'checkout_session_id is required.';
export const MSG_BAD_SESSION_ID = 'checkout_session_id is not a valid Checkout Session id.';
export const MSG_BAD_CUSTOMER_EMAIL = 'customer_email is not a valid email address.';
export const MSG_DISCOUNTS_OFF = 'Discount updates are not enabled on this server (STRIPE_PREVIEWS has no discounts).';
export const MSG_TRIALS_OFF = 'Trial updates are not enabled on this server (STRIPE_PREVIEWS has no trials).';
export const TRIAL_METADATA_KEY = 'checkout_trial_period_days';
export const HANDLED_EVENTS = ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.expired'];
const FULFILLED_PAYMENT_STATUSES = ['paid', 'no_payment_required'];
const MAX_REPAIRS = 3;

/** The deadline passed: a transient failure (503 try_again), as StripeError::DeadlineExceeded. */
class DeadlineExceeded extends Error {}

/** An error answer: `status` with `{"type":"error","message":…,"code":…}`. */
export class ApiError extends Error {
  constructor(code, message = REFUSALS[code][1], status = REFUSALS[code][0]) {
    super(message);
    this.code = code;
    this.status = status;
  }

  static invalid(message, status = 400) {
    return new ApiError('invalid_request', message, status);
  }

  body() {
    return { type: 'error', message: this.message, code: this.code };
  }
}

export const tooLarge = (limit) => ApiError.invalid(`The request body is too large (limit ${limit / 1024} KiB).`, 413);

/** A Stripe failure: transient (no answer, the deadline, 409, 429, 5xx), or a refusal (4xx). Anything else is a bug: neither. */
export const isTransient = (e) => (e?.statusCode === undefined
  ? e instanceof DeadlineExceeded || e?.type === 'StripeConnectionError'
  : e.statusCode === 409 || e.statusCode === 429 || e.statusCode >= 500);
export const isClientError = (e) => e?.statusCode >= 400 && e.statusCode < 500;

/** ApiError::from(StripeError): 503 try_again, 400 bad_request, or 500; details to the log only. */
export function fromStripe(e) {
  if (e instanceof ApiError) return e;
  console.warn(`Stripe call failed: ${e?.statusCode ?? 'no answer'} ${e?.type ?? ''} ${e?.code ?? ''} ${e?.message ?? e}`);
  if (isTransient(e)) return new ApiError('try_again');
  if (isClientError(e)) return new ApiError('bad_request');
  return new ApiError('server_error');
}

/** ApiError::discount: transient stays try_again; otherwise discount_failed with that status. */
export function fromStripeDiscount(e) {
  const answer = fromStripe(e);
  if (answer.code === 'try_again' || e instanceof ApiError) return answer;
  return new ApiError('discount_failed', REFUSALS.discount_failed[1], answer.status);
}

export const isValidSessionId = (id) => /^cs_(test|live)_[A-Za-z0-9]{1,250}$/.test(id);
export const isValidLineItemId = (id) => /^li_[A-Za-z0-9_]{1,250}$/.test(id);

function sessionId(raw, missing) {
  if (raw === undefined) throw missing;
  if (!isValidSessionId(raw)) throw ApiError.invalid(MSG_BAD_SESSION_ID);
  return raw;
}
const requiredSessionId = (raw) => sessionId(raw, ApiError.invalid(MSG_SESSION_REQUIRED));

/** server/src/policy/discount.rs: 10 % over $100.00, at most $20.00. */
export function customerDiscount(subtotal, currency) {
  if (subtotal <= 10_000) return null;
  const amountOff = Math.min(Math.trunc((subtotal * 10) / 100), 2_000);
  return amountOff > 0 ? { name: 'Customer Discount', amount_off: amountOff, currency } : null;
}

/** server/src/policy/trial.rs: 14 days on yearly plans. */
export const trialDays = (interval) => (interval === 'year' ? 14 : null);

function trialMarker(session) {
  const days = session?.metadata?.[TRIAL_METADATA_KEY];
  return typeof days === 'string' && /^\+?[0-9]+$/.test(days) && Number(days) <= 0xffffffff ? Number(days) : null;
}

/** The `Stripe-Version` an update is sent with: the trials preview's when it writes the trial. */
export const updateApiVersion = (config, params) => (params.subscription_data ? config.trialApiVersion : config.apiVersion);

/**
 * server/src/stripe_client/retry.rs: what is retried (no answer; 409, 429,
 * 5xx, or what `Stripe-Should-Retry` says), how often (2 retries; 10 for a
 * 429), and the waits (0.5 s doubling to 5 s, jittered, at least
 * `Retry-After`, at most 60 s of it). stripe-node's own retries are off
 * (maxNetworkRetries: 0) so that these are the ones.
 */
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;
const RATE_LIMITED_RETRIES = 10;

function outcomeOf(e) {
  if (e?.statusCode === undefined) return e?.type === 'StripeConnectionError' ? { connection: true } : { notSent: true };
  const header = (name) => {
    const h = e.headers ?? {};
    const v = h[name] ?? h[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const said = header('stripe-should-retry');
  const after = Number.parseInt(header('retry-after') ?? '', 10);
  return {
    status: e.statusCode,
    shouldRetry: said === 'true' ? true : said === 'false' ? false : undefined,
    retryAfterMs: Number.isFinite(after) && after >= 0 ? Math.min(after, 60) * 1000 : undefined,
  };
}

export function shouldRetry(outcome, retries, maxRetries) {
  const limit = outcome.status === 429 && maxRetries > 0 ? RATE_LIMITED_RETRIES : maxRetries;
  if (retries >= limit || outcome.notSent) return false;
  if (outcome.connection) return true;
  if (outcome.shouldRetry !== undefined) return outcome.shouldRetry;
  return outcome.status === 409 || outcome.status === 429 || outcome.status >= 500;
}

function delayAfter(outcome, retry) {
  const base = Math.min(INITIAL_DELAY_MS * 2 ** Math.min(Math.max(retry - 1, 0), 30), MAX_DELAY_MS);
  const scheduled = Math.max(base * 0.5 * (1 + Math.random()), INITIAL_DELAY_MS);
  return Math.max(scheduled, outcome.retryAfterMs ?? 0);
}

export class Merchant {
  constructor(config, stripe, store) {
    this.config = config;
    this.stripe = stripe;
    this.store = store;
    this.prices = new Map();
    this.deadline = null;
  }

  /** This merchant for one request: every Stripe call, retries included, ends by one deadline. */
  forRequest() {
    const view = Object.create(this);
    view.deadline = Date.now() + this.config.updateDeadlineMs;
    return view;
  }

  // ---- Stripe calls (server/src/stripe_client/mod.rs) ----

  /** `call(options)` with the retries of retry.rs, one Idempotency-Key for every attempt of a POST. */
  async send(call, post) {
    const key = post ? randomUUID() : undefined;
    for (let retries = 0; ; retries++) {
      const options = {};
      if (key) options.idempotencyKey = key;
      let timeout = this.config.timeoutMs;
      if (this.deadline !== null) {
        const left = this.deadline - Date.now();
        if (left <= 0) throw new DeadlineExceeded('no time left to start');
        timeout = Math.min(left, timeout);
      }
      options.timeout = timeout;
      try {
        return await call(options);
      } catch (e) {
        const outcome = outcomeOf(e);
        if (!shouldRetry(outcome, retries, this.config.maxRetries)) throw e;
        const wait = delayAfter(outcome, retries + 1);
        if (this.deadline !== null && Date.now() + wait >= this.deadline) throw new DeadlineExceeded(e.message);
        console.warn(`retrying the Stripe call (retry ${retries + 1}, in ${Math.round(wait)} ms): ${e.message}`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  retrieveSession(id, expand = []) {
    return this.send((o) => this.stripe.checkout.sessions.retrieve(id, expand.length ? { expand } : {}, { apiVersion: this.config.apiVersion, ...o }), false);
  }

  updateSession(id, params) {
    return this.send((o) => this.stripe.checkout.sessions.update(id, params, { apiVersion: updateApiVersion(this.config, params), ...o }), true);
  }

  createSession(params) {
    return this.send((o) => this.stripe.checkout.sessions.create(params, { apiVersion: this.config.apiVersion, ...o }), true);
  }

  retrievePrice(id) {
    return this.send((o) => this.stripe.prices.retrieve(id, {}, { apiVersion: this.config.apiVersion, ...o }), false);
  }

  listPricesByLookupKeys(keys) {
    return this.send((o) => this.stripe.prices.list({ lookup_keys: keys, active: true, limit: 100 }, { apiVersion: this.config.apiVersion, ...o }), false);
  }

  async price(id) {
    if (this.prices.has(id)) return this.prices.get(id);
    if (!/^[A-Za-z0-9_]+$/.test(id)) throw new ApiError('server_error');
    const price = await this.retrievePrice(id).catch((e) => { throw fromStripe(e); });
    if (this.prices.size < 64) this.prices.set(id, price);
    return price;
  }

  // ---- GET /config ----

  configReply() {
    const c = this.config;
    return {
      publishableKey: c.publishableKey,
      stripeJsUrl: c.stripeJsUrl,
      intervals: c.catalogue.intervals().map(intervalName),
      mode: c.modeName,
      train: c.train,
      previews: ['discounts', 'trials'].filter((p) => c.previews[p]),
    };
  }

  // ---- POST /create-checkout-session ----

  async createCheckoutSession(body) {
    let email;
    if (body.customer_email !== undefined) {
      if (!isValidEmail(body.customer_email)) throw ApiError.invalid(MSG_BAD_CUSTOMER_EMAIL);
      email = body.customer_email.trim();
    }
    const catalogue = this.config.catalogue;
    const lineItems = catalogue.start()
      .filter((p) => p.prices.length > 0)
      .map((p) => ({ price: p.prices[0].price, quantity: p.quantity.default }));
    if (lineItems.length === 0) throw new ApiError('server_error');
    const params = {
      mode: catalogue.startMode(),
      ui_mode: this.config.uiMode,
      line_items: lineItems,
    };
    // Under the server-update beta: the update permissions (line items
    // always, discounts with the preview); none without it (GA).
    if (hasServerUpdateBeta(this.config.apiVersion)) {
      params.permissions = { update_line_items: 'server_only' };
      if (this.config.previews.discounts) params.permissions.update_discounts = 'server_only';
    }
    params.return_url = this.config.returnUrl;
    if (email !== undefined) params.customer_email = email;
    let session;
    try {
      session = await this.createSession(params);
    } catch (e) {
      throw fromStripe(e);
    }
    if (!session.client_secret) throw new ApiError('server_error');
    return { clientSecret: session.client_secret };
  }

  // ---- the cart (server/src/merchant/cart.rs) ----

  async readCart(id, onError) {
    let session;
    try {
      session = await this.retrieveSession(id, ['line_items']);
    } catch (e) {
      throw onError(e);
    }
    return cartOf(session);
  }

  policyDiscount(cart) {
    return customerDiscount(cart.subtotal(), cart.session.currency ?? 'usd');
  }

  /** Cart::params: the line items, and only the discount/trial this update changes. */
  params(cart, discount, trial) {
    const previews = this.config.previews;
    const params = {
      line_items: cart.items.map((item) => (item.id ? { id: item.id, quantity: item.quantity } : { price: item.price, quantity: item.quantity })),
    };
    const writeDiscount = previews.discounts && (discount === 'apply' || cart.hasDiscount());
    if (writeDiscount) {
      const d = this.policyDiscount(cart);
      params.discounts = d ? [{ coupon_data: { name: d.name, amount_off: d.amount_off, currency: d.currency } }] : '';
    }
    const marker = trialMarker(cart.session);
    let days; // undefined: send nothing; null: remove; n: set
    if (previews.trials && cart.isSubscription()) {
      if (trial === 'from_policy') days = trialDays(cart.interval());
      else if (trial === 'remove_if_any') days = marker === null ? undefined : null;
      else if (marker !== null) {
        const allowed = trialDays(cart.interval());
        days = allowed !== marker ? allowed : undefined;
      }
    }
    if (days !== undefined) {
      params.subscription_data = { trial_period_days: days === null ? '' : days };
      params.metadata = { [TRIAL_METADATA_KEY]: days === null ? '' : String(days) };
    }
    return params;
  }

  /** Cart::write: a refusal naming a line item is a concurrent change (409 cart_changed). */
  async write(cart, params, onError) {
    try {
      return await this.updateSession(cart.session.id, params);
    } catch (e) {
      if ((e?.statusCode === 400 || e?.statusCode === 404) && e.code === 'resource_missing' && String(e.param ?? '').startsWith('line_items')) {
        throw new ApiError('cart_changed');
      }
      throw onError(e);
    }
  }

  async update(cart, discount, trial, onError) {
    const params = this.params(cart, discount, trial);
    const after = await this.write(cart, params, onError);
    await this.settle(cart, after);
  }

  /** consistency.rs `holds`: the session holds no discount or trial its line items do not allow. */
  holds(cart, session) {
    const subtotal = session.amount_subtotal ?? cart.subtotal();
    const discount = session.total_details?.amount_discount ?? 0;
    const hasDiscount = discount > 0 || (Array.isArray(session.discounts) && session.discounts.length > 0);
    const allowed = customerDiscount(subtotal, session.currency ?? 'usd');
    const discountOk = !hasDiscount || (allowed !== null && allowed.amount_off === discount);
    const marker = trialMarker(session);
    const trialOk = marker === null || trialDays(cart.interval()) === marker;
    return discountOk && trialOk;
  }

  /** consistency.rs `settle`: repairs what a concurrent update left (at most 3 times); never fails the update. */
  async settle(written, after) {
    if (this.holds(written, after)) return;
    for (let attempt = 1; attempt <= MAX_REPAIRS; attempt++) {
      console.warn(`repairing a session a concurrent update left inconsistent (attempt ${attempt})`);
      let cart;
      try {
        cart = await this.readCart(written.session.id, fromStripe);
      } catch {
        return;
      }
      if (this.holds(cart, cart.session)) return;
      const params = this.params(cart, 'follow', 'follow');
      if (params.discounts === undefined && params.subscription_data === undefined) return;
      try {
        const again = await this.write(cart, params, fromStripe);
        if (this.holds(cart, again)) return;
      } catch { /* another update landed: read again */ }
    }
    console.error('the session still holds a discount or trial its line items do not allow');
  }

  // ---- POST /change-subscription-interval ----

  async changeSubscriptionInterval(body) {
    const id = sessionId(body.checkout_session_id, new ApiError('bad_request'));
    const catalogue = this.config.catalogue;
    const offered = () => catalogue.intervals().map((i) => `"${intervalName(i)}"`).join(', ');
    if (body.interval === undefined) throw new ApiError('bad_request');
    const interval = parseInterval(body.interval);
    if (!interval || !catalogue.intervals().some((i) => intervalName(i) === intervalName(interval))) {
      throw ApiError.invalid(`interval must be one of ${offered()}.`);
    }
    const cart = await this.readCart(id, fromStripe);
    for (const [n, item] of cart.items.entries()) {
      const found = catalogue.price(item.price);
      if (!found) continue;
      const [product] = found;
      if (!product.isRecurring()) continue;
      const target = product.priceAt(interval);
      if (!target) throw ApiError.invalid(`${product.name} is not offered ${intervalName(interval)}.`);
      if (target.price === item.price) continue;
      const price = await this.price(target.price);
      cart.items[n] = { id: null, price: target.price, unit_amount: price.unit_amount ?? 0, interval: price.recurring?.interval ?? null, quantity: item.quantity };
    }
    await this.update(cart, 'follow', 'remove_if_any', fromStripe);
    return { type: 'success' };
  }

  // ---- POST /update-discounts, /apply-customer-discount ----

  async updateDiscounts(body) {
    const id = requiredSessionId(body.checkout_session_id);
    const discounts = readDiscounts(body.discounts);
    if (discounts === 'missing') throw ApiError.invalid('discounts is required (a list, or "" to remove all discounts).');
    if (discounts === 'invalid') throw ApiError.invalid('discounts must be a list, or "" to remove all discounts.');
    if (!this.config.previews.discounts) throw ApiError.invalid(MSG_DISCOUNTS_OFF, 404);
    const cart = await this.readCart(id, fromStripeDiscount);
    if (discounts.list > 1) throw new ApiError('invalid_discounts');
    if (discounts.list === 0) {
      await this.write(cart, { discounts: '' }, fromStripeDiscount);
    } else {
      await this.update(cart, 'apply', 'follow', fromStripeDiscount);
    }
    return { type: 'object', value: { succeeded: true } };
  }

  async applyCustomerDiscount(body) {
    const id = requiredSessionId(body.checkout_session_id);
    if (!this.config.previews.discounts) throw ApiError.invalid(MSG_DISCOUNTS_OFF, 404);
    const cart = await this.readCart(id, fromStripeDiscount);
    if (!this.policyDiscount(cart)) throw new ApiError('not_eligible');
    await this.update(cart, 'apply', 'follow', fromStripeDiscount);
    return { type: 'object', value: { succeeded: true } };
  }

  // ---- POST /extend-trial-for-yearly ----

  async extendTrialForYearly(body) {
    const id = requiredSessionId(body.checkout_session_id);
    if (!this.config.previews.trials) throw ApiError.invalid(MSG_TRIALS_OFF, 404);
    const cart = await this.readCart(id, fromStripe);
    if (!cart.isSubscription() || cart.interval() === null) throw new ApiError('not_subscription');
    await this.update(cart, 'follow', 'from_policy', fromStripe);
    return { type: 'success' };
  }

  // ---- POST /update-line-item-quantity ----

  async updateLineItemQuantity(body) {
    const id = requiredSessionId(body.checkout_session_id);
    const quantity = readQuantity(body.quantity);
    if (!quantity.valid) throw new ApiError('bad_quantity');
    const lineItemId = body.line_item_id;
    if (lineItemId === undefined || !isValidLineItemId(lineItemId)) throw ApiError.invalid('line_item_id is not a valid line item id.');
    const cart = await this.readCart(id, fromStripe);
    const item = cart.items.find((i) => i.id === lineItemId);
    if (!item) throw new ApiError('no_line_item');
    const found = this.config.catalogue.price(item.price);
    if (found && !found[0].allows(quantity.valid)) {
      const { min, max } = found[0].quantity;
      throw new ApiError('bad_quantity', `quantity must be a whole number from ${min} to ${max}.`);
    }
    item.quantity = quantity.valid;
    await this.update(cart, 'follow', 'follow', fromStripe);
    return { type: 'success' };
  }

  // ---- POST /checkout-session-status ----

  async checkoutSessionStatus(body) {
    const id = requiredSessionId(body.checkout_session_id);
    let session;
    try {
      session = await this.retrieveSession(id);
    } catch (e) {
      if (e?.statusCode === 404) return { status: 'unknown' };
      throw fromStripe(e);
    }
    if (!['open', 'complete', 'expired'].includes(session.status)) throw new ApiError('server_error');
    return { status: session.status };
  }

  // ---- fulfilment (server/src/merchant/fulfil.rs) ----

  /** {fulfilled: 'now'|'before', record} or {notPaid: status}; Stripe errors thrown as they are. */
  async fulfil(id, source) {
    const existing = this.store.order(id);
    if (existing) return { fulfilled: 'before', record: existing };
    const session = await this.retrieveSession(id, ['line_items']);
    const paymentStatus = session.payment_status ?? '';
    if (!FULFILLED_PAYMENT_STATUSES.includes(paymentStatus)) return { notPaid: paymentStatus };
    const record = {
      session_id: session.id,
      source,
      payment_status: paymentStatus,
      amount_total: session.amount_total ?? null,
      currency: session.currency ?? null,
      mode: session.mode ?? null,
      customer_email: session.customer_details?.email ?? session.customer_email ?? null,
      client_reference_id: session.client_reference_id ?? null,
      line_items: (session.line_items?.data ?? []).map((li) => ({
        price: li.price?.id ?? null,
        description: li.description ?? null,
        quantity: li.quantity ?? 1,
        amount_total: li.amount_total ?? null,
      })),
      fulfilled_at: Math.floor(Date.now() / 1000),
    };
    // What the merchant does with a paid order goes here (send it, email
    // it): make it idempotent by session id, as Stripe's guide asks.
    const claim = this.store.claim(record);
    if (claim.created) console.info(`order fulfilled: ${record.session_id} (${source})`);
    return { fulfilled: claim.created ? 'now' : 'before', record: claim.record };
  }

  // ---- POST /order-status ----

  async orderStatus(body) {
    const id = sessionId(body.checkout_session_id, ApiError.invalid(MSG_SESSION_REQUIRED));
    let result;
    try {
      result = await this.fulfil(id, 'return');
    } catch (e) {
      if (e?.statusCode !== undefined || e?.type?.startsWith?.('Stripe') || e instanceof DeadlineExceeded) throw fromStripe(e);
      console.error(`fulfilment on return failed: ${e?.message ?? e}`);
      throw new ApiError('try_again', REFUSALS.try_again[1], 503);
    }
    if (result.fulfilled) {
      const reply = { status: 'fulfilled' };
      if (result.record.amount_total !== null && result.record.amount_total !== undefined) reply.amountTotal = result.record.amount_total;
      if (result.record.currency !== null && result.record.currency !== undefined) reply.currency = result.record.currency;
      return reply;
    }
    return { status: 'pending' };
  }

  // ---- POST /webhook (server/src/merchant/webhook.rs) ----

  /** A verified event → [status, body]. */
  async webhook(event) {
    if (typeof event?.id !== 'string' || typeof event?.type !== 'string' || typeof event?.data?.object !== 'object' || event.data.object === null
      || (event.data.object.id !== undefined && typeof event.data.object.id !== 'string')) {
      throw ApiError.invalid('The webhook body is not a Stripe event.');
    }
    if (!HANDLED_EVENTS.includes(event.type)) return { received: true };
    const id = event.data.object.id ?? '';
    if (!isValidSessionId(id)) throw ApiError.invalid('The event has no Checkout Session.');
    if (this.store.eventHandled(event.id)) return { received: true, duplicate: true };
    if (event.type !== 'checkout.session.expired') {
      try {
        await this.fulfil(id, event.id);
      } catch (e) {
        if (isClientError(e) && !isTransient(e)) {
          throw ApiError.invalid("The event's Checkout Session could not be retrieved from Stripe.");
        }
        console.error(`fulfilment failed: ${e?.message ?? e}`);
        throw new ApiError('server_error');
      }
    }
    try {
      this.store.recordEvent(event.id, event.type, id, Math.floor(Date.now() / 1000));
    } catch (e) {
      console.error(`webhook: the order store failed: ${e.message}`);
      throw new ApiError('server_error');
    }
    return { received: true };
  }
}

/** Whether a `Stripe-Version` carries the server-update beta (config/previews.rs). */
export function hasServerUpdateBeta(version) {
  return version.split(';').map((part) => part.replace(/\s+/g, '')).includes('checkout_server_update_beta=v1');
}

/** The cart of a session read with `expand[]=line_items` (refused unless open). */
export function cartOf(session) {
  if (session.status !== undefined && session.status !== null && session.status !== 'open') throw new ApiError('not_open');
  const list = session.line_items;
  if (!list || list.has_more) throw new ApiError('server_error');
  const items = list.data.map((li) => ({
    id: li.id,
    price: li.price?.id ?? '',
    unit_amount: li.price?.unit_amount ?? 0,
    interval: li.price?.recurring?.interval ?? null,
    quantity: li.quantity ?? 1,
  }));
  return {
    session,
    items,
    subtotal() { return this.items.reduce((sum, i) => sum + i.unit_amount * i.quantity, 0); },
    interval() { return this.items.find((i) => i.interval)?.interval ?? null; },
    hasDiscount() {
      return (Array.isArray(session.discounts) && session.discounts.length > 0) || (session.total_details?.amount_discount ?? 0) > 0;
    },
    isSubscription() { return session.mode === 'subscription'; },
  };
}

export { BodyError };
