// A scripted stand-in for Stripe.js and the merchant server, for the
// component tests: `window.Stripe` and `window.fetch` are replaced, and every
// request the widget sends is recorded.
let state = null;
// The session as Stripe.js last fetched it: it shows that (in `getSession`,
// `session` and the `change` events that are not fetches) until it fetches
// again, so another tab's change stays unseen until a re-read.
let known = null;
// Calls the page's `change` handlers with the session Stripe.js holds.
let notify = () => {};

function amount(minor) {
  return { minorUnitsAmount: minor, amount: '$' + (minor / 100).toFixed(2) };
}

// Shapes Stripe.js must never hand over: the next updates (`badSessions`)
// give one each, in their result and their change event.
const BAD_SESSIONS = {
  lineItemsNotArray: (good) => ({ ...good, lineItems: 'garbage' }),
  amountAsString: (good) => ({ ...good, total: { ...good.total, total: { minorUnitsAmount: '12', amount: 12 } } }),
  anArray: (good) => [good],
  fractionalQuantity: (good) => ({ ...good, lineItems: [{ ...good.lineItems[0], quantity: 1.5 }] }),
};

// Stripe.js throws from confirm() unless the page read the total of the
// session it shows (total.total.amount, or its minorUnitsAmount with
// currency and minorUnitsAmountDivisor): the snapshots handed out record
// those reads, and confirm() rejects when the last one's were not made.
let lastReads = null;
function tracked(object, key, mark) {
  const value = object[key];
  Object.defineProperty(object, key, { enumerable: true, get() { mark(); return value; } });
}

// What Stripe.js fetches of the session.
const FETCHED = ['interval', 'discount', 'quantity', 'trialDays', 'complete', 'expired', 'email',
  'giftWrap', 'shippingAddress', 'shippingOptions', 'shippingOption'];

// The shop (`"shop": true`): a payment-mode session (one "Desk lamp"), the
// add-on `/config` offers, and the merchant's shipping policy.
const GIFT_WRAP = { id: 'gift-wrap', name: 'Gift wrap', amount: 500 };
const LAMP = 4900;

// A shipping option as Stripe.js gives it (`StripeCheckoutShippingOption`:
// an amount pair with `id`, `currency`, `displayName`, `deliveryEstimate`
// of `{unit, value}` bounds; the same on every train,
// docs/research-stripe-js.md §12).
function shippingOption(id, displayName, minor, min, max) {
  return {
    id, currency: 'usd', displayName, ...amount(minor),
    deliveryEstimate: { minimum: { unit: 'business_day', value: min }, maximum: { unit: 'business_day', value: max } },
  };
}
// The fake merchant's shipping policy: the options it writes for a country
// (none: it does not ship there).
function shippingPolicy(country) {
  // `"freeShipping": true`: a merchant whose standard shipping is free.
  const standard = shippingOption('shr_standard', 'Standard shipping', state.freeShipping ? 0 : 500, 5, 7);
  const express = shippingOption('shr_express', 'Express shipping', 1500, 1, 2);
  if (country === 'US') return [standard, express];
  if (country === 'FR') return [standard];
  return null;
}

// Stripe.js fetches the session from Stripe (at init, after an update, a
// confirmation or an email): it now holds the server's state.
function fetchSession() {
  known = Object.fromEntries(FETCHED.map((key) => [key, state[key]]));
  return session();
}

// `canConfirm`, as Stripe.js computes it (the rule is unpublished;
// docs/research-stripe-js.md §2.4, docs/research-stripe-strict.md §6): an
// open session with an email and complete payment details (the scenario's
// `paymentIncomplete` until `complete_payment_details()`), no confirmation
// in flight (custom_checkout_beta_6), and on endive no server update queued
// or running (endive changelog 2026-09-30).
function canConfirm(held) {
  return !held.complete && !held.expired && !!held.email && !state.paymentIncomplete
    && !state.confirming && !(state.train === 'endive' && state.updatesInFlight > 0);
}

function session() {
  const held = known || state;
  if (state.shop) return shopSession(held);
  const yearly = held.interval === 'year';
  const unit = (yearly ? 15000 : 1500) * held.quantity;
  const discount = Math.min(held.discount, unit);
  // During a trial nothing is due today; the plan is charged after it.
  const today = held.trialDays ? 0 : unit - discount;
  const reads = { amount: false, minor: false, currency: false, divisor: false };
  lastReads = reads;
  const total = amount(today);
  tracked(total, 'amount', () => { reads.amount = true; });
  tracked(total, 'minorUnitsAmount', () => { reads.minor = true; });
  const snapshot = {
    id: 'cs_test_fake',
    currency: state.currency,
    minorUnitsAmountDivisor: 100,
    email: held.email,
    status: held.complete ? { type: 'complete', paymentStatus: 'paid' }
      : held.expired ? { type: 'expired' } : { type: 'open' },
    lineItems: [{
      id: 'li_fake', name: state.name || (yearly ? 'Plan (yearly)' : 'Plan (monthly)'), quantity: held.quantity,
      subtotal: amount(unit), total: amount(unit - discount),
      recurring: { interval: held.interval, intervalCount: 1, isProrated: false, usageType: 'licensed' },
    }],
    discountAmounts: discount > 0
      ? [{ displayName: 'Customer Discount', promotionCode: null, recurring: null, percentOff: null, ...amount(discount) }]
      : null,
    total: held.trialDays
      ? { subtotal: amount(0), discount: amount(0), total }
      : { subtotal: amount(unit), discount: amount(discount), total },
    recurring: {
      interval: held.interval, intervalCount: 1,
      trial: held.trialDays ? { trialPeriodDays: held.trialDays, trialEnd: 1900000000 } : null,
      dueNext: { total: amount(unit - discount) },
    },
  };
  if (!state.omitCanConfirm) snapshot.canConfirm = canConfirm(held);
  tracked(snapshot, 'currency', () => { reads.currency = true; });
  tracked(snapshot, 'minorUnitsAmountDivisor', () => { reads.divisor = true; });
  Object.freeze(total);
  return Object.freeze(snapshot);
}

// The shop's session: payment mode (no `recurring`), the lamp, the gift
// wrap once added, and the shipping the merchant's server wrote:
// `shippingOptions` (`[]` before an address), `shipping` (the selected
// option, `taxAmounts: null` without tax, or `null`) and
// `total.shippingRate`, which the total includes (docs/research-stripe-js.md §12).
function shopSession(held) {
  const reads = { amount: false, minor: false, currency: false, divisor: false };
  lastReads = reads;
  const line = (id, name, minor, quantity) => ({
    id, name, quantity, subtotal: amount(minor * quantity), total: amount(minor * quantity), recurring: null,
  });
  const lineItems = [line('li_lamp', 'Desk lamp', LAMP, held.quantity)];
  if (held.giftWrap) lineItems.push(line('li_gift_wrap', GIFT_WRAP.name, GIFT_WRAP.amount, 1));
  const subtotal = lineItems.reduce((sum, item) => sum + item.subtotal.minorUnitsAmount, 0);
  const options = held.shippingOptions || [];
  const selected = options.find((option) => option.id === held.shippingOption) || null;
  const shippingCost = selected ? selected.minorUnitsAmount : 0;
  const total = amount(subtotal + shippingCost);
  tracked(total, 'amount', () => { reads.amount = true; });
  tracked(total, 'minorUnitsAmount', () => { reads.minor = true; });
  const snapshot = {
    id: 'cs_test_fake',
    currency: state.currency,
    minorUnitsAmountDivisor: 100,
    email: held.email,
    status: held.complete ? { type: 'complete', paymentStatus: 'paid' }
      : held.expired ? { type: 'expired' } : { type: 'open' },
    lineItems,
    discountAmounts: null,
    total: { subtotal: amount(subtotal), discount: amount(0), shippingRate: amount(shippingCost), total },
    recurring: null,
    shippingAddress: held.shippingAddress,
    shippingOptions: options,
    shipping: selected ? { shippingOption: selected, taxAmounts: null } : null,
  };
  if (!state.omitCanConfirm) snapshot.canConfirm = canConfirm(held);
  tracked(snapshot, 'currency', () => { reads.currency = true; });
  tracked(snapshot, 'minorUnitsAmountDivisor', () => { reads.divisor = true; });
  Object.freeze(total);
  return Object.freeze(snapshot);
}

// The fake's email rule (Stripe.js's is unpublished): empty or without a
// complete domain is incomplete; spaces or two @ are invalid.
function checkEmail(text) {
  const email = String(text).trim();
  if (/\s|@.*@/.test(email)) return 'invalidEmail';
  if (!/^[^@]+@[^@.]+(\.[^@.]+)+$/.test(email)) return 'incompleteEmail';
  return null;
}

function reply(status, body, delayMs) {
  return new Promise((resolve) => setTimeout(() => resolve(new Response(JSON.stringify(body), {
    status, headers: { 'Content-Type': 'application/json' },
  })), delayMs || 0));
}

// Uncaught errors and rejections of the page (a trap in the wasm is one).
const pageErrors = [];
window.addEventListener('error', (event) => pageErrors.push(String(event.message)));
window.addEventListener('unhandledrejection', (event) => pageErrors.push(String(event.reason)));

export function page_errors() {
  return JSON.stringify(pageErrors);
}

// Texts an element went through, one entry per mutation batch.
const watched = [];
export function watch_text(selector) {
  watched.length = 0;
  const element = document.querySelector(selector);
  if (!element) throw new Error(`nothing matches ${selector}`);
  new MutationObserver(() => watched.push(element.textContent)).observe(element, {
    childList: true, subtree: true, characterData: true,
  });
}
export function watched_texts() {
  return JSON.stringify(watched);
}

// Another tab (or a late write) changes the session on the server; this
// page's Stripe.js does not know until it reads the session again.
export function change_elsewhere(interval) {
  state.interval = interval;
}
export function expire_session() { state.expired = true; }
export function lose_session() { state.gone = true; }

// The customer completes the Payment Element (or empties a field of it):
// Stripe.js's canConfirm follows and a `change` event says so.
// The customer approves a payment in the wallet of the Express Checkout
// Element: its `confirm` handlers get an event like Stripe.js's.
export function wallet_confirm() {
  const event = {
    elementType: 'expressCheckout',
    expressPaymentType: 'link',
    paymentFailed(payload) { state.walletFailures.push(payload === undefined ? 'no payload' : payload); },
  };
  state.walletEvents.push(event);
  (state.expressHandlers.confirm || []).forEach((handler) => handler(event));
}

// The customer types into the Shipping Address Element: its `change`
// handlers get a `StripeAddressElementChangeEvent` ({elementType:
// 'address', elementMode: 'shipping', empty, complete, isNewAddress, value:
// {name, address: {line1, line2, city, state, postal_code, country}}};
// elements/address.d.ts, docs/research-stripe-js.md §13). `text` is the
// value as JSON; the parts not given are `''` (`line2`: `null`), as the
// element reports empty fields. When `complete` is true is unpublished:
// like the emulator, name, line1, city, postal_code and country non-empty.
export function type_address(text) {
  const given = JSON.parse(text);
  const address = { line1: '', line2: null, city: '', state: '', postal_code: '', country: 'US', ...(given.address || {}) };
  const value = { name: given.name || '', address };
  const filled = (part) => typeof part === 'string' && part.trim() !== '';
  const complete = filled(value.name) && ['line1', 'city', 'postal_code', 'country'].every((key) => filled(address[key]));
  const empty = !filled(value.name) && ['line1', 'line2', 'city', 'state', 'postal_code'].every((key) => !filled(address[key]));
  const event = { elementType: 'address', elementMode: 'shipping', empty, complete, isNewAddress: true, value };
  state.addressHandlers.forEach((handler) => handler(event));
}

export function set_payment_complete(complete) {
  state.paymentIncomplete = !complete;
  notify(session());
}

// Stripe.js's fetch of the session after a server update waits until
// `release_session_fetches()`: the update stays in progress meanwhile.
export function hold_session_fetches() {
  let release;
  const promise = new Promise((resolve) => { release = resolve; });
  state.hold = { promise, release };
}
export function release_session_fetches() {
  const hold = state.hold;
  state.hold = null;
  if (hold) hold.release();
}

// The tab is hidden or shown, as the widget learns it: `document.hidden`
// and `document.visibilityState` say so (own properties over the
// prototype's getters), then `visibilitychange` is fired at the document
// and bubbles to the window, as a browser fires it. Deterministic: headless
// Chromium keeps every tab visible whatever the test does.
export function set_hidden(hidden) {
  const values = { hidden, visibilityState: hidden ? 'hidden' : 'visible' };
  for (const [key, value] of Object.entries(values)) {
    Object.defineProperty(document, key, { configurable: true, get: () => value });
  }
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
}

function restoreVisibility() {
  delete document.hidden;
  delete document.visibilityState;
}

// Everything focus does while a customer types a card number into Stripe's
// iframe and comes back, dispatched (a real browser may or may not fire
// them, depending on the machine): the window's blur and focus, focusin and
// focusout, and focus really moved into an iframe and back.
export function focus_round_trips() {
  window.dispatchEvent(new FocusEvent('focus'));
  const frame = document.createElement('iframe');
  document.body.appendChild(frame);
  document.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
  window.dispatchEvent(new FocusEvent('blur'));
  frame.focus();
  if (frame.contentWindow) frame.contentWindow.focus();
  window.focus();
  window.dispatchEvent(new FocusEvent('focus'));
  document.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
  frame.remove();
  window.dispatchEvent(new FocusEvent('blur'));
  window.dispatchEvent(new FocusEvent('focus'));
}

export function install_fake(scenario) {
  const script = JSON.parse(scenario);
  if (!script.keepStorage) window.sessionStorage.clear();
  restoreVisibility();
  const previous = state;
  state = {
    interval: 'month', discount: 0, requests: [], betas: null,
    switchReplies: script.switchReplies || [], discountReplies: script.discountReplies || [],
    delayMs: script.delayMs || 0, rejectUpdates: !!script.rejectUpdates,
    quantity: 1, trialDays: 0, complete: false, decline: !!script.decline,
    currency: script.currency || 'usd', configFailures: script.configFailures || 0,
    badSessions: script.badSessions || [],
    refreshFailures: script.refreshFailures || 0, timeoutMs: script.timeoutMs || 0,
    statusDown: !!script.statusDown, expired: false, gone: false, name: script.name || null,
    creates: 0,
    // The merchant's customer_email by default, so that only the email
    // tests see the field; `"email": null` for a session without one.
    initialEmail: 'email' in script ? script.email : 'customer@example.com',
    emailUpdates: [], emailDelayMs: script.emailDelayMs || 0,
    // Every runServerUpdate call, the widget's no-op re-reads included.
    runServerUpdates: 0,
    // Updates queued or running (endive: canConfirm is false meanwhile).
    updatesInFlight: 0, confirming: false, hold: null,
    // The Payment Element is not complete yet: canConfirm is false.
    paymentIncomplete: !!script.paymentIncomplete,
    // A Stripe.js whose sessions have no canConfirm at all.
    omitCanConfirm: !!script.omitCanConfirm,
    // GET /config's `previews` (absent unless the scenario has one); the
    // merchant answers 404 to the endpoints of a preview that is off.
    previews: script.previews,
    // GET /config's `intervals` (absent unless the scenario has them).
    intervals: script.intervals,
    // A merchant whose routes are elsewhere: {"/shop/discount": "/apply-customer-discount"}
    // answers the first path as the second (requests are recorded by the path called).
    routes: script.routes || {},
    // The Express Checkout Element: whether a wallet button renders
    // (`"wallet": false`: none), its options, handlers, events and what
    // was told to the wallet (`paymentFailed`).
    wallet: script.wallet !== false, expressOptions: undefined, expressHandlers: {},
    walletEvents: [], walletFailures: [],
    // The shop (payment mode, an add-on, shipping): `"addOns": false` for
    // a `/config` without `addOns`; `refuseAddOns`: `/update-add-on`
    // answers an error; `refuseShippingOption`: `updateShippingOption`
    // resolves Stripe.js's error result.
    shop: !!script.shop, offerAddOns: script.addOns !== false,
    refuseAddOns: !!script.refuseAddOns, refuseShippingOption: !!script.refuseShippingOption,
    freeShipping: !!script.freeShipping,
    giftWrap: false, shippingAddress: null, shippingOptions: [], shippingOption: null,
    // The Shipping Address Element: its `change` handlers (the element
    // mounted last; a destroyed one hears nothing) and every call made to
    // it (`create`, `on:change`, `mount:DIV`, `destroy`).
    addressHandlers: [], addressCalls: [], shippingOptionUpdates: [],
  };
  state.email = state.initialEmail;
  if (script.keepSession && previous) {
    for (const key of ['interval', 'discount', 'quantity', 'trialDays', 'complete', 'expired', 'gone', 'email', 'giftWrap', 'shippingAddress', 'shippingOptions', 'shippingOption']) state[key] = previous[key];
  }
  const listeners = [];
  known = null;
  notify = (current) => listeners.forEach((cb) => cb(current));
  let queue = Promise.resolve();
  const train = script.train || 'basil';
  state.train = train;
  // A `change` event a moment later (canConfirm changed), as Stripe.js
  // emits it: never from inside the call that caused it.
  const notifySoon = () => Promise.resolve().then(() => notify(session()));
  // Runs the page's function, then fetches the session; the failure, if any.
  async function update(fn) {
    try {
      const work = Promise.resolve().then(() => fn());
      if (state.timeoutMs) {
        let timer;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('The update took too long. Please try again.')), state.timeoutMs);
        });
        await Promise.race([work, timeout]).finally(() => clearTimeout(timer));
      } else {
        await work;
      }
    } catch (error) {
      return { type: 'error', error: { message: error.message, code: null } };
    }
    // Stripe.js then fetches the session again.
    if (state.hold) await state.hold.promise;
    if (state.gone) return { type: 'error', error: { message: "No such payment_page: 'cs_test_fake'", code: null } };
    if (state.refreshFailures > 0) {
      state.refreshFailures -= 1;
      return { type: 'error', error: { message: 'Failed to fetch', code: null } };
    }
    return null;
  }
  function runServerUpdate(fn) {
    state.runServerUpdates += 1;
    if (state.rejectUpdates) return Promise.reject(new Error('Stripe.js rejected the update'));
    state.updatesInFlight += 1;
    if (train === 'endive') notifySoon();
    const run = queue.then(() => update(fn)).then((failure) => {
      state.updatesInFlight -= 1;
      if (failure) {
        // Endive: canConfirm comes back, on the session Stripe.js holds.
        if (train === 'endive') notify(session());
        return failure;
      }
      const bad = BAD_SESSIONS[state.badSessions.shift()];
      const current = bad ? bad(fetchSession()) : fetchSession();
      notify(current);
      return { type: 'success', session: current };
    });
    queue = run.catch(() => {});
    return run;
  }
  function confirm(options) {
    if (lastReads && !(lastReads.amount || (lastReads.minor && lastReads.currency && lastReads.divisor))) {
      const error = new Error('confirm(): the total of the session was not read');
      error.name = 'IntegrationError';
      state.unreadConfirms = (state.unreadConfirms || 0) + 1;
      return Promise.reject(error);
    }
    state.confirmOptions = options;
    const wallet = options && options.expressCheckoutConfirmEvent;
    if (wallet) state.walletPaid = state.walletEvents.includes(wallet);
    state.confirms = (state.confirms || 0) + 1;
    // In flight: canConfirm is false until it settles.
    state.confirming = true;
    notifySoon();
    const refused = (error) => {
      state.confirming = false;
      notify(session());
      return { type: 'error', error };
    };
    return Promise.resolve().then(() => {
      // A wallet gives the email and the payment details itself.
      if (!state.email && !wallet) return refused({ message: 'An email address is required.', code: null });
      if (state.paymentIncomplete && !wallet) return refused({ message: 'Your card number is incomplete.', code: null });
      if (state.gone) return refused({ message: "No such payment_page: 'cs_test_fake'", code: null });
      if (state.decline) {
        return refused({ message: 'Your card was declined.', code: 'paymentFailed', paymentFailed: { declineCode: 'generic_decline' } });
      }
      state.complete = true;
      state.confirming = false;
      const current = fetchSession();
      notify(current);
      return { type: 'success', session: current };
    });
  }
  const paymentElement = { mount(target) { state.mountedInto = target && target.tagName; }, destroy() { state.destroyed = (state.destroyed || 0) + 1; } };
  const sdk = {
    on(event, cb) { listeners.push(cb); },
    createPaymentElement() { return paymentElement; },
    createExpressCheckoutElement(options) {
      state.expressOptions = options === undefined ? null : options;
      return {
        on(name, handler) { (state.expressHandlers[name] = state.expressHandlers[name] || []).push(handler); },
        mount(target) {
          state.expressMountedInto = target && target.tagName;
          const available = state.wallet ? { link: true, applePay: false, googlePay: false } : undefined;
          setTimeout(() => (state.expressHandlers.ready || []).forEach((handler) => handler({ elementType: 'expressCheckout', availablePaymentMethods: available })));
        },
        destroy() { state.expressHandlers = {}; },
      };
    },
    // `createShippingAddressElement(options?)`: next to
    // `createPaymentElement` on every train (the checkout object on basil,
    // the SDK on clover, dahlia and endive; checkout.d.ts v7.9.0 l. 619,
    // v8.11.0 l. 687, v9.13.0 l. 829, docs/research-stripe-js.md §13). The
    // element fires no `change` on mount; `type_address()` fires one.
    createShippingAddressElement() {
      // The calls are the scenario's that created it (a page of an earlier
      // test may destroy its element after the next scenario is installed).
      const own = state;
      own.addressCalls.push('create');
      const handlers = [];
      return {
        on(name, handler) {
          own.addressCalls.push(`on:${name}`);
          if (name === 'change') handlers.push(handler);
        },
        mount(target) {
          own.addressCalls.push(`mount:${target && target.tagName}`);
          own.addressHandlers = handlers;
        },
        destroy() {
          own.addressCalls.push('destroy');
          if (own.addressHandlers === handlers) own.addressHandlers = [];
        },
      };
    },
  };
  function updateEmail(email) {
    state.emailUpdates.push(email);
    if (typeof email !== 'string') return Promise.reject(new Error('updateEmail() expects a string'));
    const code = checkEmail(email);
    const result = code
      ? { type: 'error', error: { code, message: code === 'invalidEmail' ? 'Your email address is invalid.' : 'Your email address is incomplete.' } }
      : null;
    const run = queue.then(() => new Promise((resolve) => setTimeout(resolve, state.emailDelayMs))).then(() => {
      if (result) return result;
      state.email = email.trim();
      const current = fetchSession();
      notify(current);
      return { type: 'success', session: current };
    });
    queue = run.catch(() => {});
    return run;
  }
  // `updateShippingOption(id)`: where `updateEmail` is (the checkout object
  // on basil, the actions of `loadActions()` on clover, dahlia and endive;
  // checkout.d.ts v7.9.0 l. 582, v8.11.0 l. 634, v9.13.0 l. 757,
  // docs/research-stripe-js.md §12). It resolves `{type: 'success',
  // session}` or `{type: 'error', error: {message, code: null}}`
  // (`AnyBuyerError`): for an id that is not an option (unconfirmed, §12)
  // and, with `refuseShippingOption`, for any.
  function updateShippingOption(id) {
    state.shippingOptionUpdates.push(id);
    const run = queue.then(() => {
      const listed = (state.shippingOptions || []).some((option) => option.id === id);
      if (state.refuseShippingOption || !listed) {
        return { type: 'error', error: { message: 'This shipping option is not available.', code: null } };
      }
      state.shippingOption = id;
      const current = fetchSession();
      notify(current);
      return { type: 'success', session: current };
    });
    queue = run.catch(() => {});
    return run;
  }
  const actions = { runServerUpdate, confirm, updateEmail, updateShippingOption };
  window.Stripe = function (pk, options) {
    state.betas = options && options.betas;
    if (train === 'basil') {
      return {
        initCheckout(opts) {
          state.elementsOptions = opts.elementsOptions || null;
          state.clientSecretSeen = null;
          if ('clientSecret' in opts) return Promise.reject(new Error('basil: clientSecret is not an accepted parameter'));
          return Promise.resolve(opts.fetchClientSecret()).then((secret) => {
            state.clientSecretSeen = secret;
            fetchSession();
            return { ...sdk, ...actions, session };
          });
        },
      };
    }
    const init = (opts) => {
      if ('fetchClientSecret' in opts) throw new Error(`${train}: fetchClientSecret is not an accepted parameter`);
      const ready = Promise.resolve(opts.clientSecret);
      return {
        ...sdk,
        loadActions: () => ready.then(() => {
          fetchSession();
          return { type: 'success', actions: { ...actions, getSession: session } };
        }),
      };
    };
    if (train === 'clover') return { initCheckout: init };
    // Dahlia renamed initCheckout; endive (stripe-js v10) keeps dahlia's API.
    if (train !== 'dahlia' && train !== 'endive') throw new Error(`the fake has no train ${train}`);
    return {
      initCheckout() { throw new Error('initCheckout() was renamed to initCheckoutElementsSdk()'); },
      initCheckoutElementsSdk: init,
    };
  };
  window.fetch = async function (input, init) {
    const request = input instanceof Request ? input : new Request(input, init);
    const called = new URL(request.url, window.location.href).pathname;
    const path = state.routes[called] || called;
    const text = await request.text();
    state.requests.push({ path: called, method: request.method, contentType: request.headers.get('content-type'), body: text ? JSON.parse(text) : null });
    if (path === '/config' && state.configFailures > 0) {
      state.configFailures -= 1;
      return reply(503, { type: 'error', message: 'down' });
    }
    if (path === '/config') {
      const config = { publishableKey: 'pk_test_fake', stripeJsUrl: '/never-loaded.js', train: state.train };
      if (state.previews !== undefined) config.previews = state.previews;
      if (state.intervals !== undefined) config.intervals = state.intervals;
      if (state.shop) {
        config.mode = 'payment';
        config.shipping = true;
        if (state.offerAddOns) config.addOns = [GIFT_WRAP];
      }
      return reply(200, config);
    }
    const previewOf = { '/apply-customer-discount': 'discounts', '/extend-trial-for-yearly': 'trials' };
    if (previewOf[path] && state.previews && !state.previews.includes(previewOf[path])) {
      return reply(404, { type: 'error', message: 'not found' });
    }
    if (path === '/create-checkout-session') {
      state.creates += 1;
      // A new session: open, monthly.
      Object.assign(state, {
        interval: 'month', discount: 0, quantity: 1, trialDays: 0, complete: false, expired: false, gone: false, email: state.initialEmail,
        giftWrap: false, shippingAddress: null, shippingOptions: [], shippingOption: null,
      });
      return reply(200, { clientSecret: 'cs_test_fake_secret_fake' });
    }
    if (path === '/checkout-session-status') {
      if (state.statusDown) return Promise.reject(new TypeError('Failed to fetch'));
      const status = state.gone ? 'unknown' : state.complete ? 'complete' : state.expired ? 'expired' : 'open';
      return reply(200, { status });
    }
    const updates = ['/change-subscription-interval', '/apply-customer-discount', '/extend-trial-for-yearly', '/update-line-item-quantity',
      '/update-add-on', '/calculate-shipping-options'];
    if (updates.includes(path) && (state.expired || state.complete)) {
      return reply(400, { type: 'error', message: 'This checkout session is no longer open. Please refresh your session.', code: 'not_open' });
    }
    if (updates.includes(path) && state.gone) {
      return reply(400, { type: 'error', message: "We couldn't process your request. Please try again later.", code: 'bad_request' });
    }
    if (path === '/change-subscription-interval') {
      const next = state.switchReplies.shift() || { status: 200, body: { type: 'success' } };
      if (next.status === 200 && next.body.type !== 'error') state.interval = JSON.parse(text).interval === 'yearly' ? 'year' : 'month';
      return reply(next.status, next.body, state.delayMs);
    }
    if (path === '/apply-customer-discount') {
      const next = state.discountReplies.shift() || { status: 200, body: { type: 'object', value: { succeeded: true } } };
      if (next.status === 200 && next.body.type !== 'error') state.discount = 1500;
      return reply(next.status, next.body, state.delayMs);
    }
    if (path === '/extend-trial-for-yearly') {
      state.trialDays = state.interval === 'year' ? 14 : 0;
      return reply(200, { type: 'success' }, state.delayMs);
    }
    if (path === '/update-line-item-quantity') {
      const quantity = JSON.parse(text).quantity;
      if (quantity > 10) return reply(400, { type: 'error', message: 'Quantity must be between 1 and 10.' });
      state.quantity = quantity;
      return reply(200, { type: 'success' }, state.delayMs);
    }
    if (path === '/update-add-on') {
      const body = JSON.parse(text);
      if (body.add_on !== GIFT_WRAP.id || typeof body.selected !== 'boolean') {
        return reply(400, { type: 'error', message: "We couldn't process your request. Please try again later.", code: 'bad_request' });
      }
      if (state.refuseAddOns) {
        return reply(200, { type: 'error', message: 'Gift wrap is not available right now.' }, state.delayMs);
      }
      // Added at the server's price (once), or removed.
      state.giftWrap = body.selected;
      return reply(200, { type: 'success' }, state.delayMs);
    }
    if (path === '/calculate-shipping-options') {
      const details = JSON.parse(text).shipping_details || {};
      const options = shippingPolicy(details.address && details.address.country);
      // Not shipped there: refused with 200 (a business rule), nothing written.
      if (!options) {
        return reply(200, { type: 'error', message: "We can't ship to this address. Please enter a different one.", code: 'cannot_ship_to' }, state.delayMs);
      }
      // The address and its options, in one update; the first option is
      // selected when the options change (Checkout pre-selects the first,
      // docs/research-stripe-js.md §12), else the choice stays.
      const ids = (list) => list.map((option) => option.id).join();
      if (ids(options) !== ids(state.shippingOptions || [])) state.shippingOption = options[0].id;
      state.shippingAddress = details;
      state.shippingOptions = options;
      return reply(200, { type: 'success' }, state.delayMs);
    }
    return reply(404, { type: 'error', message: 'not found' });
  };
}

export function requests_to(path) {
  return JSON.stringify(state.requests.filter((r) => r.path === path));
}

export function betas() {
  return JSON.stringify(state.betas);
}

export function fake_state() {
  return JSON.stringify({ elementsOptions: state.elementsOptions || null, clientSecretSeen: state.clientSecretSeen || null, train: state.train, confirmOptions: state.confirmOptions || null, mountedInto: state.mountedInto || null, complete: state.complete, confirms: state.confirms || 0, creates: state.creates, interval: state.interval, email: state.email, emailUpdates: state.emailUpdates, unreadConfirms: state.unreadConfirms || 0, runServerUpdates: state.runServerUpdates, expressOptions: state.expressOptions, expressMountedInto: state.expressMountedInto || null, walletPaid: state.walletPaid || false, walletFailures: state.walletFailures, addressCalls: state.addressCalls, shippingOptionUpdates: state.shippingOptionUpdates, shippingOption: state.shippingOption, giftWrap: state.giftWrap });
}

// What a merchant page does itself before handing its checkout to the widget.
export async function create_checkout() {
  const stripe = window.Stripe('pk_test_fake', { betas: ['custom_checkout_server_updates_1'] });
  return stripe.initCheckout({ fetchClientSecret: async () => 'cs_test_fake_secret_fake' });
}
