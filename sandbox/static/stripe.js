/*
 * Stripe.js stand-in for the offline sandbox, for four release trains:
 *
 *   /sandbox/basil/stripe.js   @stripe/stripe-js v7: await stripe.initCheckout({fetchClientSecret})
 *                              -> checkout {session(), on(), runServerUpdate(), confirm(), createPaymentElement(),
 *                                 createExpressCheckoutElement(), getExpressCheckoutElement(),
 *                                 createShippingAddressElement(), getShippingAddressElement()}
 *   /sandbox/clover/stripe.js  v8: stripe.initCheckout({clientSecret}) (synchronous)
 *                              -> sdk {on(), loadActions(), createPaymentElement(),
 *                                 createExpressCheckoutElement(), getExpressCheckoutElement(),
 *                                 createShippingAddressElement(), getShippingAddressElement()};
 *                              actions {getSession(), runServerUpdate(), confirm()}
 *   /sandbox/dahlia/stripe.js  v9: stripe.initCheckoutElementsSdk({clientSecret}); initCheckout is gone
 *                              (calling it throws an IntegrationError)
 *   /sandbox/endive/stripe.js  v10: dahlia's API; canConfirm is also false while a server update
 *                              is queued or running (below)
 *
 * The train is read from this script's own URL. It talks to the sandbox on the
 * origin it was loaded from (POST /v1/payment_pages/{id}/init, /{id} and
 * /{id}/confirm). Options a train does not accept throw an IntegrationError,
 * as Stripe.js does: elementsOptions takes appearance, loader, fonts and
 * savedPaymentMethod, and from stripe-js 8.7.0 (clover, dahlia, endive; never
 * on v7 / basil) syncAddressCheckbox ('billing' | 'shipping' | 'none').
 * (docs/sandbox-contract.md; sources in docs/research-stripe-strict.md.)
 *
 * runServerUpdate(fn) exists only with the beta custom_checkout_server_updates_1.
 * It runs one update at a time (a queue) and gives fn 20 s (override for tests
 * with `?update_timeout_ms=N` on this script's URL); fn's resolved value is
 * ignored.
 *   - fn resolves: the session is fetched again, `change` fires, and it resolves
 *     {type:'success', session}. If that re-fetch fails (offline, unknown
 *     session) it resolves {type:'error', error:{message, code:null}} although
 *     fn's change was applied: the only case that resolves an error.
 *   - fn rejects (throws): runServerUpdate REJECTS with fn's own error object.
 *   - fn does not settle in time: runServerUpdate REJECTS with an Error whose
 *     message says it timed out. fn is not cancelled: the merchant's request,
 *     and the write it makes, still land later, and nothing refreshes the
 *     session then (the page must read it again).
 * Stripe's reference says a timeout "returns an error" while its guides catch
 * a "promise rejection (for example, timeouts)": the sources disagree, and
 * the stand-in rejects (research §4). runServerUpdate(() => Promise.resolve())
 * is a pure refresh, the only one Stripe.js offers.
 *
 * The customer's email: updateEmail(email) (basil: on the checkout; clover,
 * dahlia, endive: on the actions, where null clears it) checks the address
 * here first, as Stripe.js does, and resolves {type:'error', error:{code:
 * 'incompleteEmail'|'invalidEmail', message}} without a request when it is
 * unfinished or malformed (checkEmail, the grammar of
 * protocol/src/email.rs); otherwise it posts it to POST
 * /v1/payment_pages/{id} (the emulator's own route) and resolves
 * {type:'success', session}. When the session was created with
 * customer_email the emulator refuses (400, param `email`, no code) and
 * updateEmail REJECTS with an IntegrationError (beta_6 changelog:
 * "updateEmail now throws an error if customer_email was provided").
 * confirm() fails while the session has no email (the emulator refuses it).
 *
 * Shipping (docs/sandbox-contract.md): the session shows the emulator's
 * shippingOptions (with deliveryEstimate), shippingAddress (the server's
 * collected_information[shipping_details]) and shipping (the selected
 * option, first by default; null without options).
 * updateShippingOption(id) (basil: on the checkout; clover, dahlia, endive:
 * on the actions) rejects with an IntegrationError for a non-string, posts
 * shipping_rate=id to POST /v1/payment_pages/{id} (the emulator's own field)
 * and resolves {type:'success', session}; an id that is not one of the
 * session's options (or any other refusal by the emulator) resolves
 * {type:'error', error:{message, code:null}}.
 *
 * confirm({returnUrl}) forwards return_url; the emulator refuses it when the
 * session already has a return_url (every session of this project has one)
 * and confirm REJECTS with an IntegrationError (basil changelog: "An error is
 * now thrown when passing in `returnUrl` on `confirm` when `return_url` has
 * been already set on the Checkout Session").
 *
 * canConfirm is the emulator's (open, with an email) and false while a
 * confirm() is in flight (beta_6 changelog), and on endive also while a
 * runServerUpdate is queued or running (endive changelog "Sets canConfirm to
 * false while updates are pending"). When it flips, the session handed out
 * is a new snapshot and `change` fires.
 *
 * Stripe.js throws from confirm() unless the page read the total it shows
 * (docs: "You must either read total.total.amount or each of
 * total.total.minorUnitsAmount and currency and minorUnitsAmountDivisor
 * from the checkout object and display in your UI, otherwise an error will
 * be thrown."). The sessions handed out here record those reads (getters;
 * the real session is a Proxy), and confirm() rejects with an
 * IntegrationError when the current session's total was not read. A
 * snapshot that only flips canConfirm shares its reads with the one before
 * (same total).
 *
 * The Express Checkout Element (Checkout flavour, the same types on every
 * train; docs/research-stripe-js.md §11): createExpressCheckoutElement(options?)
 * checks its options against stripe-js's unions (buttonHeight 40..55 as
 * Stripe's docs say; unknown keys and values throw an IntegrationError
 * naming them); getExpressCheckoutElement() is null until one is created
 * (a second create returns a new one, as createPaymentElement does). The
 * element has mount, unmount, destroy, on, once, off (ready, focus, blur,
 * escape, loaderror, confirm, cancel) and update (the types' update options).
 * Mounted, it shows one button, "Link (sandbox express checkout)", and
 * fires `ready` a macrotask later with Link available. A click, when a
 * `confirm` handler is registered (otherwise nothing happens), disables the
 * button and fires `confirm` with billing details of a made-up wallet;
 * its paymentFailed(payload) enables the button again.
 * confirm({expressCheckoutConfirmEvent}) takes only an event this element
 * emitted, once, and pays with the test card 4242… (no Payment Element
 * needed), sending the wallet's email when the session has none.
 * A session created with permissions[update_shipping_details]=server_only
 * has no wallet: the element renders no button and `ready` has
 * `availablePaymentMethods: undefined`, as with the test hook below.
 * Stripe's shipping guide: with server-only shipping details, wallets such
 * as Apple Pay and Google Pay, which "collect the shipping address
 * directly, bypassing the server-side update flow", are "automatically
 * disabled" (docs/research-stripe-shop.md, Issue 25). Stripe.js's session
 * does not show the permission, so the emulator's /init answer carries it in
 * a private field, `sandbox: {permissions: {update_shipping_details}}`,
 * which the stand-in removes from every session it hands out. The element
 * decides when the session is known (clover and later can mount it before
 * the session has loaded: the button, or none, and `ready` follow the load).
 *
 * The Shipping Address Element (Checkout flavour; docs/research-stripe-js.md
 * §13): createShippingAddressElement(options?) takes contacts and display
 * ({name: 'full'|'split'|'organization'}), and from stripe-js v9.10.0
 * (dahlia, endive) fields ({phone: 'always'|'never'|'auto', name:
 * 'never'|'auto'}); other keys and values throw an IntegrationError naming
 * them. getShippingAddressElement() is null until one is created (a second
 * create returns a new one). Mounted, it renders labelled inputs (full
 * name, address line 1, line 2, city, state, postal code) and a <select>
 * of seven countries (US, first and selected, CA, GB, FR, DE, JP, AU: the
 * stand-in's short list) in div.sandbox-address-element. Each input (and
 * the select's change) fires `change` {elementType:'address', elementMode:
 * 'shipping', empty (no text typed), complete, isNewAddress: true, value:
 * {name, address: {line1, line2 (null when empty), city, state,
 * postal_code, country}}}; complete is the stand-in's own rule (name,
 * line1, city, postal_code and country non-empty: Stripe's per-country
 * rules are not published). getValue() resolves {complete, isNewAddress,
 * value} alike (v9: takes {format: 'latin'|'localized'}, which changes
 * nothing here). Also: unmount, destroy, once, off, focus, blur, clear,
 * `ready` a macrotask after mount, focus/blur/escape events; update()
 * checks StripeAddressElementOptions' keys and records them, nothing more.
 * NOT modelled: display.name 'split'/'organization' and fields.phone (one
 * full-name input, no phone input: value never has firstName, lastName or
 * phone), contacts (no saved-address picker), autocomplete, validation
 * messages in the form, loaderstart/loaderror (never fire), and any write
 * of the address: the element never sends it to the session, with or
 * without permissions.update_shipping_details=server_only (Stripe's guide
 * says the server updates shipping details then; the emulator has no
 * client route for an address). createBillingAddressElement and
 * updateShippingAddress are not modelled either.
 *
 * TEST HOOKS, absent from real Stripe.js:
 *   - every call of a public Stripe.js function or method (Stripe(),
 *     initCheckout, initCheckoutElementsSdk, on, loadActions, session,
 *     getSession, runServerUpdate, updateEmail, updateShippingOption, confirm,
 *     createPaymentElement,
 *     getPaymentElement, changeAppearance, createExpressCheckoutElement,
 *     getExpressCheckoutElement, the Payment Element's mount, unmount,
 *     destroy, on, and the Express Checkout Element's mount, unmount,
 *     destroy, on, once, off, update, and the Shipping Address Element's
 *     createShippingAddressElement, getShippingAddressElement, mount,
 *     unmount, destroy, on, once, off, update, getValue, focus, blur, clear)
 *     is counted, by name, in the
 *     non-enumerable `window.__sandboxStripeCalls` (the elements' as
 *     `paymentElement.mount`, `expressCheckoutElement.mount`,
 *     `shippingAddressElement.mount` …). Calls the
 *     stand-in makes to itself are not.
 *   - the non-enumerable `window.__sandboxStripeElements` holds the Payment
 *     Element's options (`paymentElementOptions`), the appearance
 *     (`appearance`), the Express Checkout Element's options
 *     (`expressCheckoutOptions`: as given, merged with update()'s; null when
 *     none), the last paymentFailed payload (`expressPaymentFailed`) and the
 *     Shipping Address Element's options (`shippingAddressOptions`: as given,
 *     merged with update()'s; null when none).
 *   - `window.__sandboxExpressCheckout = {available: false}` when an Express
 *     Checkout Element is mounted (read when the session is known): no
 *     button, and `ready` has
 *     `availablePaymentMethods: undefined` (Stripe's docs: "undefined if no
 *     buttons will render"; paymentMethods.link 'never' does the same).
 */
(function () {
  'use strict';

  var SERVER_UPDATES_BETA = 'custom_checkout_server_updates_1';
  var script = document.currentScript;
  var scriptUrl = new URL(script && script.src ? script.src : '/sandbox/basil/stripe.js', window.location.href);
  var trainMatch = scriptUrl.pathname.match(/\/sandbox\/(basil|clover|dahlia|endive)\//);
  var TRAIN = trainMatch ? trainMatch[1] : 'basil';
  var apiOrigin = scriptUrl.origin;
  var updateTimeoutMs = Number(scriptUrl.searchParams.get('update_timeout_ms')) || 20000;

  // The stand-in's test hook (not in Stripe.js): calls by public name.
  if (!Object.prototype.hasOwnProperty.call(window, '__sandboxStripeCalls')) {
    Object.defineProperty(window, '__sandboxStripeCalls', { value: {}, enumerable: false, configurable: true });
  }
  var CALLS = window.__sandboxStripeCalls;
  function counted(name, fn) {
    return function () {
      CALLS[name] = (CALLS[name] || 0) + 1;
      return fn.apply(this, arguments);
    };
  }
  // A copy of `object` whose functions are counted under their names (prefixed).
  function publicApi(object, prefix) {
    var out = {};
    Object.keys(object).forEach(function (key) {
      var value = object[key];
      out[key] = typeof value === 'function' ? counted((prefix || '') + key, value) : value;
    });
    return out;
  }

  // stripe-js v7 (basil) never had syncAddressCheckbox; v8.7.0+ (clover), v9, v10 have it.
  var ELEMENTS_OPTIONS = TRAIN === 'basil'
    ? ['appearance', 'loader', 'fonts', 'savedPaymentMethod']
    : ['appearance', 'loader', 'fonts', 'savedPaymentMethod', 'syncAddressCheckbox'];
  var SYNC_ADDRESS_CHECKBOX = ['billing', 'shipping', 'none'];
  // createPaymentElement's options (StripeCheckoutPaymentElementOptions):
  // v7 (basil) has readonly; v8 and v9 renamed it readOnly and added wallets
  // (docs/research-stripe-js.md §11). layout: 'tabs' | 'accordion' | 'auto',
  // or {type, defaultCollapsed, radios, spacedAccordionItems, visibleAccordionItemsCount}.
  var PAYMENT_ELEMENT_OPTIONS = TRAIN === 'basil'
    ? ['layout', 'paymentMethodOrder', 'readonly', 'terms', 'fields']
    : ['layout', 'paymentMethodOrder', 'readOnly', 'terms', 'fields', 'wallets'];
  var LAYOUTS = ['tabs', 'accordion', 'auto'];
  var LAYOUT_OBJECT = ['type', 'defaultCollapsed', 'radios', 'spacedAccordionItems', 'visibleAccordionItemsCount'];
  // Appearance (elements-group.d.ts): theme 'stripe' | 'night' | 'flat'.
  var APPEARANCE = ['disableAnimations', 'theme', 'variables', 'rules', 'labels'];
  var THEMES = ['stripe', 'night', 'flat'];

  function checkPaymentElementOptions(options) {
    checkKeys('createPaymentElement', options, PAYMENT_ELEMENT_OPTIONS);
    var layout = options && options.layout;
    if (layout === undefined) return;
    var type = layout !== null && typeof layout === 'object' ? layout.type : layout;
    if (layout !== null && typeof layout === 'object') checkKeys('createPaymentElement layout', layout, LAYOUT_OBJECT);
    if (LAYOUTS.indexOf(type) === -1) {
      throw IntegrationError('Invalid value for createPaymentElement: layout should be one of the following strings: tabs, accordion, auto. You specified: ' + type + '.');
    }
  }

  // The Express Checkout Element, Checkout flavour (types/stripe-js/checkout.d.ts,
  // identical at v7.9.0, v8.11.0 and v9.13.0; endive follows dahlia):
  // createExpressCheckoutElement takes StripeCheckoutExpressCheckoutElementOptions,
  // six keys typed from StripeExpressCheckoutElementOptions
  // (elements/express-checkout.d.ts, the same unions at the three tags);
  // update() takes StripeExpressCheckoutElementUpdateOptions (another set:
  // no buttonTheme, buttonType, paymentMethods; four collection flags and
  // allowedShippingCountries instead). Any subset, as Stripe's docs list
  // each option as optional.
  var ECE_OPTIONS = ['buttonHeight', 'buttonTheme', 'buttonType', 'layout', 'paymentMethodOrder', 'paymentMethods'];
  var ECE_UPDATE_OPTIONS = ['allowedShippingCountries', 'billingAddressRequired', 'buttonHeight', 'emailRequired',
    'layout', 'paymentMethodOrder', 'phoneNumberRequired', 'shippingAddressRequired'];
  var ECE_UPDATE_FLAGS = ['billingAddressRequired', 'emailRequired', 'phoneNumberRequired', 'shippingAddressRequired'];
  var ECE_BUTTON_THEME = {
    applePay: ['black', 'white', 'white-outline'],
    googlePay: ['black', 'white'],
    paypal: ['gold', 'blue', 'silver', 'white', 'black']
  };
  var ECE_BUTTON_TYPE = {
    applePay: ['add-money', 'book', 'buy', 'check-out', 'contribute', 'donate', 'order', 'plain', 'reload',
      'rent', 'subscribe', 'support', 'tip', 'top-up'],
    googlePay: ['book', 'buy', 'checkout', 'donate', 'order', 'pay', 'plain', 'subscribe'],
    paypal: ['paypal', 'buynow', 'checkout', 'pay']
  };
  var AUTO_NEVER = ['auto', 'never'];
  var ALWAYS_AUTO_NEVER = ['always', 'auto', 'never'];
  var ECE_PAYMENT_METHODS = {
    amazonPay: AUTO_NEVER, applePay: ALWAYS_AUTO_NEVER, googlePay: ALWAYS_AUTO_NEVER,
    link: AUTO_NEVER, paypal: AUTO_NEVER, klarna: AUTO_NEVER
  };
  var ECE_LAYOUT = ['maxColumns', 'maxRows', 'overflow'];
  // StripeCheckoutExpressCheckoutElement's events (no 'click', 'shippingaddresschange',
  // 'shippingratechange' nor 'availablepaymentmethodschange': those are the
  // Elements-flavour element's).
  var ECE_EVENTS = ['ready', 'focus', 'blur', 'escape', 'loaderror', 'confirm', 'cancel'];

  function describeValue(value) {
    try { return JSON.stringify(value); } catch (error) { return String(value); }
  }

  // An object whose keys are wallets and values one of table[wallet].
  function checkWalletChoices(what, key, value, table) {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw IntegrationError('Invalid ' + what + ' parameter: options.' + key + ' must be an object.');
    }
    Object.keys(value).forEach(function (wallet) {
      if (!Object.prototype.hasOwnProperty.call(table, wallet)) {
        throw IntegrationError('Invalid ' + what + ' parameter: options.' + key + '.' + wallet + ' is not an accepted parameter.');
      }
      if (table[wallet].indexOf(value[wallet]) === -1) {
        throw IntegrationError('Invalid value for ' + what + ': options.' + key + '.' + wallet + ' should be one of the following strings: '
          + table[wallet].join(', ') + '. You specified: ' + describeValue(value[wallet]) + '.');
      }
    });
  }

  function checkExpressCheckoutOptions(what, options, allowed) {
    checkKeys(what, options, allowed);
    if (options === undefined) return;
    var height = options.buttonHeight;
    if (height !== undefined && (typeof height !== 'number' || !(height >= 40 && height <= 55))) {
      throw IntegrationError('Invalid value for ' + what + ': options.buttonHeight should be a number in the range 40 to 55 (px). You specified: '
        + describeValue(height) + '.');
    }
    checkWalletChoices(what, 'buttonTheme', options.buttonTheme, ECE_BUTTON_THEME);
    checkWalletChoices(what, 'buttonType', options.buttonType, ECE_BUTTON_TYPE);
    checkWalletChoices(what, 'paymentMethods', options.paymentMethods, ECE_PAYMENT_METHODS);
    var layout = options.layout;
    if (layout !== undefined) {
      if (layout === null || typeof layout !== 'object' || Array.isArray(layout)) {
        throw IntegrationError('Invalid ' + what + ' parameter: options.layout must be an object ({maxColumns, maxRows, overflow}).');
      }
      checkKeys(what + ' layout', layout, ECE_LAYOUT);
      ['maxColumns', 'maxRows'].forEach(function (key) {
        if (layout[key] !== undefined && (typeof layout[key] !== 'number' || !isFinite(layout[key]))) {
          throw IntegrationError('Invalid ' + what + ' parameter: options.layout.' + key + ' must be a number.');
        }
      });
      if (layout.overflow !== undefined && AUTO_NEVER.indexOf(layout.overflow) === -1) {
        throw IntegrationError('Invalid value for ' + what + ': options.layout.overflow should be one of the following strings: auto, never. You specified: '
          + describeValue(layout.overflow) + '.');
      }
    }
    var order = options.paymentMethodOrder;
    if (order !== undefined && (!Array.isArray(order) || order.some(function (item) { return typeof item !== 'string'; }))) {
      throw IntegrationError('Invalid ' + what + ' parameter: options.paymentMethodOrder must be an array of strings.');
    }
    var countries = options.allowedShippingCountries;
    if (countries !== undefined && (!Array.isArray(countries) || countries.some(function (item) { return typeof item !== 'string'; }))) {
      throw IntegrationError('Invalid ' + what + ' parameter: options.allowedShippingCountries must be an array of strings.');
    }
    ECE_UPDATE_FLAGS.forEach(function (key) {
      if (options[key] !== undefined && typeof options[key] !== 'boolean') {
        throw IntegrationError('Invalid ' + what + ' parameter: options.' + key + ' must be a boolean.');
      }
    });
  }

  function checkAppearance(what, appearance) {
    checkKeys(what, appearance, APPEARANCE);
    if (appearance && appearance.theme !== undefined && THEMES.indexOf(appearance.theme) === -1) {
      throw IntegrationError('Invalid ' + what + ' parameter: appearance.theme should be one of stripe, night, flat.');
    }
    if (appearance && appearance.variables !== undefined
      && (appearance.variables === null || typeof appearance.variables !== 'object')) {
      throw IntegrationError('Invalid ' + what + ' parameter: appearance.variables must be an object.');
    }
  }

  // The stand-in's test hook (not in Stripe.js): the options the page gave
  // the Payment Element and the appearance it has now (init's, then
  // changeAppearance's), for tests to read.
  if (!Object.prototype.hasOwnProperty.call(window, '__sandboxStripeElements')) {
    Object.defineProperty(window, '__sandboxStripeElements', { value: {}, enumerable: false, configurable: true });
  }
  var ELEMENTS = window.__sandboxStripeElements;
  var CONFIRM_OPTIONS = ['returnUrl', 'redirect', 'paymentMethod', 'savePaymentMethod', 'email',
    'phoneNumber', 'billingAddress', 'shippingAddress', 'expressCheckoutConfirmEvent'];
  var INIT_OPTIONS = {
    basil: ['fetchClientSecret', 'elementsOptions'],
    clover: ['clientSecret', 'elementsOptions', 'defaultValues', 'adaptivePricing'],
    dahlia: ['clientSecret', 'elementsOptions', 'defaultValues', 'adaptivePricing'],
    endive: ['clientSecret', 'elementsOptions', 'defaultValues', 'adaptivePricing']
  };

  function IntegrationError(message) {
    var error = new Error(message);
    error.name = 'IntegrationError';
    return error;
  }

  function checkKeys(what, options, allowed) {
    if (options === undefined) return;
    if (options === null || typeof options !== 'object') {
      throw IntegrationError('Invalid ' + what + ' parameter: options must be an object.');
    }
    Object.keys(options).forEach(function (key) {
      if (allowed.indexOf(key) === -1) {
        throw IntegrationError('Invalid ' + what + ' parameter: options.' + key + ' is not an accepted parameter.');
      }
    });
  }

  // Freezes without calling getters (the tracked reads below).
  function deepFreeze(value) {
    if (value && typeof value === 'object') {
      Object.keys(value).forEach(function (key) {
        var descriptor = Object.getOwnPropertyDescriptor(value, key);
        if (descriptor && 'value' in descriptor) deepFreeze(descriptor.value);
      });
      Object.freeze(value);
    }
    return value;
  }

  // Which of the total's properties the page read, per session object.
  var TOTAL_READS = new WeakMap();

  function watch(object, key, mark) {
    if (!object || typeof object !== 'object' || !Object.prototype.hasOwnProperty.call(object, key)) return;
    var value = object[key];
    Object.defineProperty(object, key, {
      enumerable: true,
      configurable: false,
      get: function () { mark(); return value; }
    });
  }

  function unread() {
    return { amount: false, minorUnitsAmount: false, currency: false, divisor: false };
  }

  // A session as Stripe.js hands it to the page: a frozen copy of `json`,
  // with the reads of total.total.amount, total.total.minorUnitsAmount,
  // currency and minorUnitsAmountDivisor recorded in `seen`; canConfirm
  // false when `blocked`.
  function trackedSession(json, seen, blocked) {
    if (!json || typeof json !== 'object') return json;
    var copy = JSON.parse(JSON.stringify(json));
    // The emulator's private field (walletsDisabledBy) is not Stripe.js's.
    delete copy.sandbox;
    if (blocked) copy.canConfirm = false;
    var total = copy.total && copy.total.total;
    watch(total, 'amount', function () { seen.amount = true; });
    watch(total, 'minorUnitsAmount', function () { seen.minorUnitsAmount = true; });
    watch(copy, 'currency', function () { seen.currency = true; });
    watch(copy, 'minorUnitsAmountDivisor', function () { seen.divisor = true; });
    deepFreeze(copy);
    TOTAL_READS.set(copy, seen);
    return copy;
  }

  function totalWasRead(session) {
    var seen = TOTAL_READS.get(session);
    return !seen || seen.amount || (seen.minorUnitsAmount && seen.currency && seen.divisor);
  }

  // The email grammar of protocol/src/email.rs: 'valid', 'incomplete' (more
  // typed at its end could make it valid) or 'invalid'.
  var LOCAL_CHARS = /^[A-Za-z0-9!#$%&'*+\/=?^_`{|}~.-]*$/;
  var DOMAIN_CHARS = /^[A-Za-z0-9.-]*$/;
  function checkEmail(text) {
    var email = String(text).trim();
    if (email === '') return 'incomplete';
    if (email.length > 254) return 'invalid';
    var at = email.indexOf('@');
    var local = at === -1 ? email : email.slice(0, at);
    var domain = at === -1 ? null : email.slice(at + 1);
    if (!LOCAL_CHARS.test(local) || local.charAt(0) === '.' || local.indexOf('..') !== -1 || local.length > 64) {
      return 'invalid';
    }
    if (domain === null) return 'incomplete';
    if (local === '' || local.charAt(local.length - 1) === '.' || !DOMAIN_CHARS.test(domain)) return 'invalid';
    if (domain === '') return 'incomplete';
    var labels = domain.split('.');
    for (var i = 0; i < labels.length; i += 1) {
      var label = labels[i];
      var last = i === labels.length - 1;
      if (label.length > 63 || label.charAt(0) === '-') return 'invalid';
      if (!last && (label === '' || label.charAt(label.length - 1) === '-')) return 'invalid';
    }
    var tld = labels[labels.length - 1];
    var complete = labels.length >= 2 && tld.length >= 2 && tld.charAt(tld.length - 1) !== '-' && !/^[0-9]+$/.test(tld);
    return complete ? 'valid' : 'incomplete';
  }

  var EMAIL_MESSAGES = {
    incompleteEmail: 'Your email address is incomplete.',
    invalidEmail: 'Your email address is invalid.'
  };

  function emailError(code, message) {
    return { type: 'error', error: { code: code, message: message || EMAIL_MESSAGES[code] } };
  }

  // A refusal by the emulator of something the integration did (400
  // invalid_request_error, no code) about `param`: Stripe.js throws those.
  function integrationRefusal(reply, param) {
    var error = (reply.json && reply.json.error) || {};
    return reply.status === 400 && error.type === 'invalid_request_error' && !error.code
      && error.param === param && typeof error.message === 'string';
  }

  function post(path, fields) {
    return fetch(apiOrigin + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString()
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { ok: response.ok, status: response.status, json: json };
      });
    });
  }

  function sessionIdOf(clientSecret) {
    return clientSecret.split('_secret_')[0];
  }

  // The session as the emulator renders it (plain JSON).
  function fetchSession(publishableKey, clientSecret) {
    var id = sessionIdOf(clientSecret);
    return post('/v1/payment_pages/' + encodeURIComponent(id) + '/init', {
      key: publishableKey, client_secret: clientSecret
    }).then(function (reply) {
      if (!reply.ok) {
        var error = reply.json && reply.json.error;
        throw new Error(error && error.message ? error.message : 'Could not load the Checkout Session.');
      }
      return reply.json;
    });
  }

  function checkSecret(clientSecret) {
    if (typeof clientSecret !== 'string' || !/^cs_(test|live)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+$/.test(clientSecret)) {
      throw IntegrationError('Invalid client secret: expected a Checkout Session client secret (cs_..._secret_...).');
    }
    return clientSecret;
  }

  // The Payment Element (internal: its methods are not counted; the page gets
  // publicApi(element, 'paymentElement.')).
  function createPaymentElement(state) {
    var container = null;
    var input = null;
    var element = {
      mount: function (target) {
        container = typeof target === 'string' ? document.querySelector(target) : target;
        if (!container || typeof container.appendChild !== 'function') {
          throw IntegrationError('mount(): the target is not an element or a selector of one.');
        }
        var wrapper = document.createElement('div');
        wrapper.className = 'sandbox-payment-element';
        var label = document.createElement('label');
        label.textContent = 'Card number (sandbox test card)';
        input = document.createElement('input');
        input.name = 'cardnumber';
        input.autocomplete = 'cc-number';
        input.inputMode = 'numeric';
        input.value = '4242 4242 4242 4242';
        label.appendChild(input);
        var hint = document.createElement('p');
        hint.textContent = '4242 4242 4242 4242 succeeds; 4000 0000 0000 0002 is declined.';
        wrapper.appendChild(label);
        wrapper.appendChild(hint);
        container.appendChild(wrapper);
        state.paymentElement = element;
      },
      unmount: function () { if (container) container.textContent = ''; },
      destroy: function () { element.unmount(); state.paymentElement = null; },
      on: function () {},
      cardNumber: function () { return input ? input.value.replace(/\s+/g, '') : ''; }
    };
    return element;
  }

  function publicElement(element) {
    return publicApi({
      mount: element.mount,
      unmount: element.unmount,
      destroy: element.destroy,
      on: element.on
    }, 'paymentElement.');
  }

  // One element's event handlers (on, once, off; emit for the stand-in
  // itself): `name` prefixes its refusals, `kind` names it in them,
  // `names` are the events its stripe-js type declares, and `self()` is the
  // page's object, which on/once/off return (the types chain them).
  function elementEvents(name, kind, names, self) {
    var handlers = {};
    function check(method, event) {
      if (names.indexOf(event) === -1) {
        throw IntegrationError(name + '.' + method + '(): unknown event ' + describeValue(event)
          + '. ' + kind + ' emits ' + names.join(', ') + '.');
      }
    }
    function listen(method, event, handler, once) {
      check(method, event);
      if (typeof handler !== 'function') {
        throw IntegrationError(name + '.' + method + '(): handler must be a function.');
      }
      (handlers[event] = handlers[event] || []).push({ fn: handler, once: once });
      return self();
    }
    return {
      on: function (event, handler) { return listen('on', event, handler, false); },
      once: function (event, handler) { return listen('once', event, handler, true); },
      off: function (event, handler) {
        check('off', event);
        handlers[event] = handler === undefined ? [] : (handlers[event] || []).filter(function (entry) {
          return entry.fn !== handler;
        });
        return self();
      },
      emit: function (event, payload) {
        var list = handlers[event] || [];
        handlers[event] = list.filter(function (entry) { return !entry.once; });
        list.forEach(function (entry) {
          try { entry.fn(payload); } catch (error) { setTimeout(function () { throw error; }); }
        });
      },
      listening: function (event) { return (handlers[event] || []).length > 0; },
      clear: function () { handlers = {}; }
    };
  }

  // What one checkout knows of its Express Checkout Element: the current one
  // (the page's object), and the confirm events it emitted and confirm() used.
  // `loaded` resolves once the checkout's session is known (or failed to
  // load); `session()` is then the emulator's latest one (null if none).
  function expressHolder() {
    var holder = { element: null, emitted: new WeakSet(), used: new WeakSet(), session: function () { return null; } };
    holder.loaded = new Promise(function (resolve) { holder.load = resolve; });
    return holder;
  }

  // Whether the session was created with permissions.update_shipping_details
  // = server_only (the emulator's private `sandbox` field): Stripe's shipping
  // guide says the wallets are then "automatically disabled".
  function walletsDisabledBy(server) {
    var permissions = server && server.sandbox && server.sandbox.permissions;
    return Boolean(permissions && permissions.update_shipping_details === 'server_only');
  }

  // The wallet the stand-in's button stands for (Link) and the customer it
  // hands over (BillingDetails: name, email?, phone?, address).
  var EXPRESS_BILLING_DETAILS = {
    name: 'Sandbox Wallet',
    email: 'wallet@example.com',
    address: { line1: '1 Sandbox Street', line2: null, city: 'San Francisco', state: 'CA', postal_code: '94103', country: 'US' }
  };

  // The Express Checkout Element (Checkout flavour). Returns the page's
  // object: its methods are counted as `expressCheckoutElement.<name>`, and
  // on/once/off/update return it (the types chain them).
  function createExpressCheckoutElement(express, options) {
    checkExpressCheckoutOptions('createExpressCheckoutElement', options, ECE_OPTIONS);
    var current = options === undefined ? {} : JSON.parse(JSON.stringify(options));
    ELEMENTS.expressCheckoutOptions = options === undefined ? null : JSON.parse(JSON.stringify(options));
    var wrapper = null;
    var button = null;
    var mounts = 0;
    var page;
    var events = elementEvents('expressCheckoutElement', 'The Express Checkout Element', ECE_EVENTS,
      function () { return page; });
    var emit = events.emit;

    // TEST HOOK window.__sandboxExpressCheckout = {available: false}: no wallet.
    // A session with server-only shipping details has none either.
    function walletAvailable() {
      var hook = window.__sandboxExpressCheckout;
      if (hook && typeof hook === 'object' && hook.available === false) return false;
      if (walletsDisabledBy(express.session())) return false;
      return !(current.paymentMethods && current.paymentMethods.link === 'never');
    }

    function styleButton() {
      if (button) button.style.height = current.buttonHeight === undefined ? '' : current.buttonHeight + 'px';
    }

    function clicked() {
      // Without a confirm handler there is nothing to hand the payment to.
      if (!events.listening('confirm')) return;
      var pressed = button;
      pressed.disabled = true;
      var event = {
        elementType: 'expressCheckout',
        expressPaymentType: 'link',
        billingDetails: JSON.parse(JSON.stringify(EXPRESS_BILLING_DETAILS)),
        paymentFailed: function (payload) {
          ELEMENTS.expressPaymentFailed = payload === undefined ? null : JSON.parse(JSON.stringify(payload));
          pressed.disabled = false;
        }
      };
      express.emitted.add(event);
      emit('confirm', event);
    }

    var element = {
      mount: function (target) {
        var container = typeof target === 'string' ? document.querySelector(target) : target;
        if (!container || typeof container.appendChild !== 'function') {
          throw IntegrationError('mount(): the target is not an element or a selector of one.');
        }
        element.unmount();
        wrapper = document.createElement('div');
        wrapper.className = 'sandbox-express-checkout';
        container.appendChild(wrapper);
        mounts += 1;
        var mount = mounts;
        // The button (or none) once the session is known: on clover and
        // later the element can be mounted before the session has loaded.
        express.loaded.then(function () {
          if (mount !== mounts || !wrapper) return;
          var available = walletAvailable();
          if (available) {
            button = document.createElement('button');
            button.type = 'button';
            button.textContent = 'Link (sandbox express checkout)';
            button.addEventListener('click', clicked);
            button.addEventListener('focus', function () { emit('focus', { elementType: 'expressCheckout' }); });
            button.addEventListener('blur', function () { emit('blur', { elementType: 'expressCheckout' }); });
            button.addEventListener('keydown', function (event) {
              if (event.key === 'Escape') emit('escape', { elementType: 'expressCheckout' });
            });
            styleButton();
            wrapper.appendChild(button);
          }
          setTimeout(function () {
            if (mount !== mounts || !wrapper) return;
            emit('ready', {
              elementType: 'expressCheckout',
              availablePaymentMethods: available
                ? { amazonPay: false, applePay: false, googlePay: false, link: true, paypal: false, klarna: false }
                : undefined
            });
          }, 0);
        });
      },
      unmount: function () {
        if (wrapper && wrapper.parentNode) wrapper.parentNode.removeChild(wrapper);
        wrapper = null;
        button = null;
        mounts += 1;
      },
      destroy: function () {
        element.unmount();
        events.clear();
        if (express.element === page) express.element = null;
      },
      on: events.on,
      once: events.once,
      off: events.off,
      update: function (updates) {
        if (updates === null || typeof updates !== 'object') {
          throw IntegrationError('expressCheckoutElement.update(): options must be an object.');
        }
        checkExpressCheckoutOptions('expressCheckoutElement.update', updates, ECE_UPDATE_OPTIONS);
        Object.assign(current, JSON.parse(JSON.stringify(updates)));
        ELEMENTS.expressCheckoutOptions = JSON.parse(JSON.stringify(current));
        styleButton();
        return page;
      }
    };
    page = publicApi(element, 'expressCheckoutElement.');
    express.element = page;
    return page;
  }

  // The Shipping Address Element, Checkout flavour (docs/research-stripe-js.md §13).
  // createShippingAddressElement takes StripeCheckoutAddressElementOptions
  // (types/stripe-js/checkout.d.ts): contacts and display at v7.9.0 and
  // v8.11.0 (basil, clover); v9.10.0 added fields (dahlia, endive). It returns
  // a StripeAddressElement (elements/address.d.ts), whose getValue() takes
  // {format: 'latin' | 'localized'} from v9 (dahlia, endive) and nothing before.
  var ADDRESS_OPTIONS = TRAIN === 'basil' || TRAIN === 'clover'
    ? ['contacts', 'display']
    : ['contacts', 'display', 'fields'];
  var ADDRESS_FIELDS = { phone: ['always', 'never', 'auto'], name: ['never', 'auto'] };
  var ADDRESS_DISPLAY_NAMES = ['full', 'split', 'organization'];
  // update() takes Partial<StripeAddressElementOptions> (the Elements flavour's keys).
  var ADDRESS_UPDATE_OPTIONS = ['mode', 'allowedCountries', 'autocomplete', 'blockPoBox', 'contacts',
    'defaultValues', 'fields', 'validation', 'display'];
  var ADDRESS_EVENTS = ['change', 'ready', 'focus', 'blur', 'escape', 'loaderror', 'loaderstart'];
  // The stand-in's own short list of countries (Stripe's element offers every
  // country it ships to); the first is selected at mount.
  var ADDRESS_COUNTRIES = [
    ['US', 'United States'], ['CA', 'Canada'], ['GB', 'United Kingdom'], ['FR', 'France'],
    ['DE', 'Germany'], ['JP', 'Japan'], ['AU', 'Australia']
  ];
  var ADDRESS_INPUTS = [
    ['name', 'Full name', 'name'], ['line1', 'Address line 1', 'address-line1'],
    ['line2', 'Address line 2', 'address-line2'], ['city', 'City', 'address-level2'],
    ['state', 'State', 'address-level1'], ['postal_code', 'Postal code', 'postal-code']
  ];

  function checkAddressOptions(what, options) {
    checkKeys(what, options, ADDRESS_OPTIONS);
    if (options === undefined) return;
    if (options.contacts !== undefined && !Array.isArray(options.contacts)) {
      throw IntegrationError('Invalid ' + what + ' parameter: options.contacts must be an array.');
    }
    if (options.display !== undefined) {
      checkKeys(what + ' display', options.display, ['name']);
      if (options.display.name !== undefined && ADDRESS_DISPLAY_NAMES.indexOf(options.display.name) === -1) {
        throw IntegrationError('Invalid value for ' + what + ': options.display.name should be one of the following strings: '
          + ADDRESS_DISPLAY_NAMES.join(', ') + '. You specified: ' + describeValue(options.display.name) + '.');
      }
    }
    if (options.fields !== undefined) {
      checkWalletChoices(what, 'fields', options.fields, ADDRESS_FIELDS);
    }
  }

  // Returns the page's object: its methods are counted as
  // `shippingAddressElement.<name>`; on/once/off/update return it.
  function createShippingAddressElement(holder, options) {
    checkAddressOptions('createShippingAddressElement', options);
    ELEMENTS.shippingAddressOptions = options === undefined ? null : JSON.parse(JSON.stringify(options));
    var wrapper = null;
    var inputs = {};
    var mounts = 0;
    var page;
    var events = elementEvents('shippingAddressElement', 'The Address Element', ADDRESS_EVENTS,
      function () { return page; });
    var emit = events.emit;

    function text(key) { return inputs[key] ? inputs[key].value.trim() : ''; }

    // {complete, isNewAddress, value} (StripeAddressElementChangeEvent's).
    // complete is the stand-in's own rule (Stripe's per-country rules are not
    // published): name, line1, city, postal_code and country non-empty.
    // isNewAddress is always true: no contacts picker is modelled.
    function current() {
      var value = {
        name: text('name'),
        address: {
          line1: text('line1'),
          line2: text('line2') || null,
          city: text('city'),
          state: text('state'),
          postal_code: text('postal_code'),
          country: inputs.country ? inputs.country.value : ADDRESS_COUNTRIES[0][0]
        }
      };
      var complete = ['name', 'line1', 'city', 'postal_code'].every(function (key) { return text(key) !== ''; })
        && value.address.country !== '';
      return { complete: complete, isNewAddress: true, value: value };
    }

    function changed() {
      var now = current();
      var empty = ADDRESS_INPUTS.every(function (row) { return text(row[0]) === ''; });
      emit('change', {
        elementType: 'address', elementMode: 'shipping', empty: empty,
        complete: now.complete, isNewAddress: now.isNewAddress, value: now.value
      });
    }

    var element = {
      mount: function (target) {
        var container = typeof target === 'string' ? document.querySelector(target) : target;
        if (!container || typeof container.appendChild !== 'function') {
          throw IntegrationError('mount(): the target is not an element or a selector of one.');
        }
        element.unmount();
        wrapper = document.createElement('div');
        wrapper.className = 'sandbox-address-element';
        inputs = {};
        ADDRESS_INPUTS.forEach(function (row) {
          var label = document.createElement('label');
          label.textContent = row[1] + ' ';
          var input = document.createElement('input');
          input.type = 'text';
          input.name = row[0];
          input.autocomplete = 'shipping ' + row[2];
          input.addEventListener('input', changed);
          label.appendChild(input);
          wrapper.appendChild(label);
          inputs[row[0]] = input;
        });
        var countryLabel = document.createElement('label');
        countryLabel.textContent = 'Country ';
        var select = document.createElement('select');
        select.name = 'country';
        select.autocomplete = 'shipping country';
        ADDRESS_COUNTRIES.forEach(function (country) {
          var option = document.createElement('option');
          option.value = country[0];
          option.textContent = country[1];
          select.appendChild(option);
        });
        select.addEventListener('change', changed);
        countryLabel.appendChild(select);
        wrapper.appendChild(countryLabel);
        inputs.country = select;
        wrapper.addEventListener('focusin', function (event) {
          if (!wrapper.contains(event.relatedTarget)) emit('focus', { elementType: 'address' });
        });
        wrapper.addEventListener('focusout', function (event) {
          if (!wrapper || !wrapper.contains(event.relatedTarget)) emit('blur', { elementType: 'address' });
        });
        wrapper.addEventListener('keydown', function (event) {
          if (event.key === 'Escape') emit('escape', { elementType: 'address' });
        });
        container.appendChild(wrapper);
        mounts += 1;
        var mount = mounts;
        setTimeout(function () {
          if (mount === mounts && wrapper) emit('ready', { elementType: 'address' });
        }, 0);
      },
      unmount: function () {
        if (wrapper && wrapper.parentNode) wrapper.parentNode.removeChild(wrapper);
        wrapper = null;
        inputs = {};
        mounts += 1;
      },
      destroy: function () {
        element.unmount();
        events.clear();
        if (holder.element === page) holder.element = null;
      },
      on: events.on,
      once: events.once,
      off: events.off,
      // Checked and recorded (merged into shippingAddressOptions); it changes nothing on screen.
      update: function (updates) {
        if (updates === null || typeof updates !== 'object') {
          throw IntegrationError('shippingAddressElement.update(): options must be an object.');
        }
        checkKeys('shippingAddressElement.update', updates, ADDRESS_UPDATE_OPTIONS);
        ELEMENTS.shippingAddressOptions = Object.assign(ELEMENTS.shippingAddressOptions || {},
          JSON.parse(JSON.stringify(updates)));
        return page;
      },
      getValue: function (getValueOptions) {
        try {
          checkKeys('shippingAddressElement.getValue', getValueOptions,
            TRAIN === 'basil' || TRAIN === 'clover' ? [] : ['format']);
          if (getValueOptions && getValueOptions.format !== undefined
            && ['latin', 'localized'].indexOf(getValueOptions.format) === -1) {
            throw IntegrationError("Invalid value for shippingAddressElement.getValue: options.format should be one of the following strings: latin, localized. You specified: "
              + describeValue(getValueOptions.format) + '.');
          }
        } catch (error) {
          return Promise.reject(error);
        }
        return Promise.resolve(current());
      },
      focus: function () { if (inputs.name) inputs.name.focus(); },
      blur: function () {
        if (wrapper && wrapper.contains(document.activeElement)) document.activeElement.blur();
      },
      clear: function () {
        Object.keys(inputs).forEach(function (key) {
          inputs[key].value = key === 'country' ? ADDRESS_COUNTRIES[0][0] : '';
        });
        if (wrapper) changed();
      }
    };
    page = publicApi(element, 'shippingAddressElement.');
    holder.element = page;
    return page;
  }

  function createCheckout(publishableKey, betas, clientSecret, initialJson, express, address) {
    var state = {
      express: express || expressHolder(),
      address: address || { element: null },
      server: initialJson,
      seen: unread(),
      current: null,
      confirming: 0,
      updating: 0,
      listeners: [],
      queue: Promise.resolve(),
      paymentElement: null
    };
    state.express.session = function () { return state.server; };
    state.express.load();

    // canConfirm is held false: a confirm() in flight (all trains), or on
    // endive a runServerUpdate queued or running.
    function blocked() {
      return state.confirming > 0 || (TRAIN === 'endive' && state.updating > 0);
    }

    function snapshot() {
      state.current = trackedSession(state.server, state.seen, blocked());
    }
    snapshot();

    function emitChange() {
      state.listeners.forEach(function (listener) {
        try { listener(state.current); } catch (error) { setTimeout(function () { throw error; }); }
      });
    }

    // A new session from the emulator.
    function received(json) {
      state.server = json;
      state.seen = unread();
      snapshot();
      emitChange();
    }

    // After a change of the in-flight counts: a new snapshot and `change`
    // when canConfirm flips.
    function reconsider() {
      var current = state.current;
      if (!current || typeof current !== 'object') return;
      var wanted = blocked() ? false : Boolean(state.server && state.server.canConfirm);
      if (current.canConfirm !== wanted) {
        snapshot();
        emitChange();
      }
    }

    function refresh() {
      return fetchSession(publishableKey, clientSecret);
    }

    function runOne(userFunction) {
      var timer;
      var timeout = new Promise(function (_, reject) {
        timer = setTimeout(function () {
          reject(new Error('runServerUpdate() timed out: the update function did not settle within '
            + updateTimeoutMs + ' ms.'));
        }, updateTimeoutMs);
      });
      var work = Promise.resolve().then(function () { return userFunction(); });
      return Promise.race([work, timeout]).then(function () {
        clearTimeout(timer);
        return refresh().then(function (json) {
          state.updating -= 1;
          received(json);
          return { type: 'success', session: state.current };
        }, function (error) {
          state.updating -= 1;
          reconsider();
          var message = error && error.message ? String(error.message) : 'The session could not be refreshed.';
          return { type: 'error', error: { message: message, code: null } };
        });
      }, function (error) {
        // fn threw or the time ran out: the same error, rejected.
        clearTimeout(timer);
        state.updating -= 1;
        reconsider();
        throw error;
      });
    }

    function pagePath(suffix) {
      return '/v1/payment_pages/' + encodeURIComponent(sessionIdOf(clientSecret)) + suffix;
    }

    var actions = {
      confirm: function (options) {
        try {
          checkKeys('confirm()', options, CONFIRM_OPTIONS);
          if (options && options.email !== undefined && typeof options.email !== 'string') {
            throw IntegrationError('Invalid confirm() parameter: options.email must be a string.');
          }
          if (options && options.returnUrl !== undefined && typeof options.returnUrl !== 'string') {
            throw IntegrationError('Invalid confirm() parameter: options.returnUrl must be a string.');
          }
          var expressEvent = options ? options.expressCheckoutConfirmEvent : undefined;
          if (expressEvent !== undefined && (expressEvent === null || typeof expressEvent !== 'object'
            || !state.express.emitted.has(expressEvent) || state.express.used.has(expressEvent))) {
            throw IntegrationError('Invalid confirm() parameter: expressCheckoutConfirmEvent must be the event '
              + "the Express Checkout Element's confirm handler received.");
          }
          if (!totalWasRead(state.current)) {
            throw IntegrationError('confirm(): read total.total.amount (or total.total.minorUnitsAmount, '
              + 'currency and minorUnitsAmountDivisor) from the session and display it before confirming.');
          }
        } catch (error) {
          return Promise.reject(error);
        }
        var fields = { key: publishableKey, client_secret: clientSecret };
        if (expressEvent !== undefined) {
          // Paid with the wallet: its test card, and its email when the session has none.
          state.express.used.add(expressEvent);
          fields['payment_method[card][number]'] = '4242424242424242';
          var walletEmail = expressEvent.billingDetails && expressEvent.billingDetails.email;
          if (!(options && typeof options.email === 'string') && !(state.server && state.server.email)
            && typeof walletEmail === 'string') {
            fields.email = walletEmail;
          }
        } else if (!state.paymentElement) {
          return Promise.resolve({ type: 'error', error: { message: 'Enter your payment details.', code: null } });
        } else {
          fields['payment_method[card][number]'] = state.paymentElement.cardNumber();
        }
        if (options && typeof options.email === 'string') fields.email = options.email;
        if (options && typeof options.returnUrl === 'string') fields.return_url = options.returnUrl;
        state.confirming += 1;
        reconsider();
        var run = state.queue.then(function () {
          return post(pagePath('/confirm'), fields);
        }).then(function (reply) {
          state.confirming -= 1;
          if (reply.ok) {
            received(reply.json);
            return { type: 'success', session: state.current };
          }
          reconsider();
          var error = (reply.json && reply.json.error) || {};
          if (integrationRefusal(reply, 'return_url')) throw IntegrationError(error.message);
          if (error.type === 'card_error') {
            return { type: 'error', error: { message: error.message || 'Your card was declined.', code: 'paymentFailed', paymentFailed: { declineCode: error.decline_code || null } } };
          }
          return { type: 'error', error: { message: error.message || 'The payment could not be completed.', code: null } };
        }, function (error) {
          state.confirming -= 1;
          reconsider();
          throw error;
        });
        state.queue = run.then(function () {}, function () {});
        return run;
      },
      updateEmail: function (email) {
        var value = email;
        if (value === null && TRAIN !== 'basil') {
          value = '';
        } else if (typeof value !== 'string') {
          return Promise.reject(IntegrationError('updateEmail() expects a string'
            + (TRAIN === 'basil' ? '' : ' or null') + '.'));
        } else {
          var verdict = checkEmail(value);
          if (verdict === 'incomplete') return Promise.resolve(emailError('incompleteEmail'));
          if (verdict === 'invalid') return Promise.resolve(emailError('invalidEmail'));
        }
        var run = state.queue.then(function () {
          return post(pagePath(''), {
            key: publishableKey, client_secret: clientSecret, email: value
          }).then(function (reply) {
            if (reply.ok) {
              received(reply.json);
              return { type: 'success', session: state.current };
            }
            var error = (reply.json && reply.json.error) || {};
            if (error.code === 'email_invalid') return emailError('invalidEmail');
            // The session was created with customer_email.
            if (integrationRefusal(reply, 'email')) throw IntegrationError(error.message);
            throw new Error(error.message || 'Could not update the email.');
          });
        });
        state.queue = run.then(function () {}, function () {});
        return run;
      },
      updateShippingOption: function (shippingOption) {
        if (typeof shippingOption !== 'string') {
          return Promise.reject(IntegrationError('updateShippingOption() expects a string (the id of one of '
            + 'session.shippingOptions).'));
        }
        var run = state.queue.then(function () {
          return post(pagePath(''), {
            key: publishableKey, client_secret: clientSecret, shipping_rate: shippingOption
          }).then(function (reply) {
            if (reply.ok) {
              received(reply.json);
              return { type: 'success', session: state.current };
            }
            var error = (reply.json && reply.json.error) || {};
            return { type: 'error', error: { message: error.message || 'Could not update the shipping option.', code: null } };
          });
        });
        state.queue = run.then(function () {}, function () {});
        return run;
      }
    };
    if (betas.indexOf(SERVER_UPDATES_BETA) !== -1) {
      actions.runServerUpdate = function (userFunction) {
        if (typeof userFunction !== 'function') {
          return Promise.reject(IntegrationError('runServerUpdate() expects a function that returns a Promise.'));
        }
        state.updating += 1;
        reconsider();
        var result = state.queue.then(function () { return runOne(userFunction); });
        state.queue = result.then(function () {}, function () {});
        return result;
      };
    }
    var sdk = {
      on: function (event, handler) {
        if (event !== 'change') throw IntegrationError('Unknown event: ' + event);
        if (typeof handler !== 'function') throw IntegrationError('on(): handler must be a function.');
        state.listeners.push(handler);
      },
      createPaymentElement: function (options) {
        checkPaymentElementOptions(options);
        ELEMENTS.paymentElementOptions = options === undefined ? null : JSON.parse(JSON.stringify(options));
        return createPaymentElement(state, options);
      },
      getPaymentElement: function () { return state.paymentElement; },
      createExpressCheckoutElement: function (options) { return createExpressCheckoutElement(state.express, options); },
      getExpressCheckoutElement: function () { return state.express.element; },
      createShippingAddressElement: function (options) { return createShippingAddressElement(state.address, options); },
      getShippingAddressElement: function () { return state.address.element; },
      changeAppearance: function (appearance) {
        if (appearance === null || typeof appearance !== 'object') {
          throw IntegrationError('changeAppearance(): appearance must be an object.');
        }
        checkAppearance('changeAppearance', appearance);
        ELEMENTS.appearance = JSON.parse(JSON.stringify(appearance));
      }
    };
    return { sdk: sdk, actions: actions, state: state };
  }

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options);
    CALLS.Stripe = (CALLS.Stripe || 0) + 1;
    if (typeof publishableKey !== 'string' || publishableKey.indexOf('pk_') !== 0) {
      throw IntegrationError('Invalid API Key provided: Stripe() expects a publishable key (pk_...).');
    }
    checkKeys('Stripe()', options, ['betas', 'apiVersion', 'locale', 'stripeAccount']);
    var betas = options && Array.isArray(options.betas) ? options.betas.slice() : [];

    function checkInit(what, checkoutOptions) {
      checkKeys(what, checkoutOptions, INIT_OPTIONS[TRAIN]);
      if (!checkoutOptions) throw IntegrationError('Invalid ' + what + ' parameter: options are required.');
      var elementsOptions = checkoutOptions.elementsOptions;
      if (elementsOptions !== undefined) {
        checkKeys(what + ' elementsOptions', elementsOptions, ELEMENTS_OPTIONS);
        if (elementsOptions && elementsOptions.appearance !== undefined) {
          checkAppearance(what + ' elementsOptions', elementsOptions.appearance);
          ELEMENTS.appearance = JSON.parse(JSON.stringify(elementsOptions.appearance));
        }
        if (elementsOptions.syncAddressCheckbox !== undefined
          && SYNC_ADDRESS_CHECKBOX.indexOf(elementsOptions.syncAddressCheckbox) === -1) {
          throw IntegrationError('Invalid ' + what + ' elementsOptions parameter: options.syncAddressCheckbox '
            + "must be one of 'billing', 'shipping' or 'none'.");
        }
      }
    }

    // What the page gets for a checkout: the SDK's and the actions' methods, counted.
    function publicPaymentElementFactory(create) {
      return function (elementOptions) { return publicElement(create(elementOptions)); };
    }

    if (TRAIN === 'basil') {
      this.initCheckout = counted('initCheckout', function (checkoutOptions) {
        try {
          checkInit('initCheckout()', checkoutOptions);
          if (typeof checkoutOptions.fetchClientSecret !== 'function') {
            throw IntegrationError('Invalid initCheckout() parameter: options.fetchClientSecret must be a function.');
          }
        } catch (error) {
          return Promise.reject(error);
        }
        return Promise.resolve()
          .then(function () { return checkoutOptions.fetchClientSecret(); })
          .then(function (clientSecret) {
            checkSecret(clientSecret);
            return fetchSession(publishableKey, clientSecret).then(function (json) {
              var checkout = createCheckout(publishableKey, betas, clientSecret, json);
              var object = Object.assign({}, checkout.sdk, checkout.actions);
              object.createPaymentElement = publicPaymentElementFactory(checkout.sdk.createPaymentElement);
              object.getPaymentElement = function () {
                return checkout.state.paymentElement ? publicElement(checkout.state.paymentElement) : null;
              };
              object.session = function () { return checkout.state.current; };
              return publicApi(object);
            });
          });
      });
      return;
    }

    // clover, dahlia and endive: synchronous init, actions behind loadActions().
    var init = function (what, checkoutOptions) {
      checkInit(what, checkoutOptions);
      if (checkoutOptions.clientSecret === undefined) {
        throw IntegrationError('Invalid ' + what + ' parameter: options.clientSecret is required.');
      }
      // The Express Checkout Element needs no session to render: it exists
      // before the checkout does, and the checkout's confirm() knows its events.
      var express = expressHolder();
      var address = { element: null };
      var ready = Promise.resolve(checkoutOptions.clientSecret).then(function (clientSecret) {
        checkSecret(clientSecret);
        return fetchSession(publishableKey, clientSecret).then(function (json) {
          return createCheckout(publishableKey, betas, clientSecret, json, express, address);
        });
      });
      // No session: a mounted Express Checkout Element still gets its `ready`.
      ready.then(null, function () { express.load(); });
      var sdk = {
        on: function (event, handler) {
          if (event !== 'change') throw IntegrationError('Unknown event: ' + event);
          if (typeof handler !== 'function') throw IntegrationError('on(): handler must be a function.');
          ready.then(function (checkout) { checkout.sdk.on(event, handler); }, function () {});
        },
        loadActions: function () {
          return ready.then(function (checkout) {
            var actions = Object.assign({}, checkout.actions);
            actions.getSession = function () { return checkout.state.current; };
            return { type: 'success', actions: publicApi(actions) };
          }, function (error) {
            return { type: 'error', error: { message: error && error.message ? error.message : 'Could not load the checkout.', code: null } };
          });
        },
        createPaymentElement: function (options) {
          checkPaymentElementOptions(options);
          var element = null;
          var mountTarget = null;
          ready.then(function (checkout) {
            element = checkout.sdk.createPaymentElement(options);
            if (mountTarget) element.mount(mountTarget);
          }, function () {});
          return publicApi({
            mount: function (target) { mountTarget = target; if (element) element.mount(target); },
            unmount: function () { if (element) element.unmount(); },
            destroy: function () { if (element) element.destroy(); },
            on: function () {}
          }, 'paymentElement.');
        },
        createExpressCheckoutElement: function (options) { return createExpressCheckoutElement(express, options); },
        getExpressCheckoutElement: function () { return express.element; },
        createShippingAddressElement: function (options) { return createShippingAddressElement(address, options); },
        getShippingAddressElement: function () { return address.element; },
        changeAppearance: function (appearance) {
          if (appearance === null || typeof appearance !== 'object') {
            throw IntegrationError('changeAppearance(): appearance must be an object.');
          }
          checkAppearance('changeAppearance', appearance);
          ELEMENTS.appearance = JSON.parse(JSON.stringify(appearance));
          ready.then(function (checkout) { checkout.sdk.changeAppearance(appearance); }, function () {});
        }
      };
      return publicApi(sdk);
    };

    if (TRAIN === 'clover') {
      this.initCheckout = counted('initCheckout', function (checkoutOptions) { return init('initCheckout()', checkoutOptions); });
      // stripe-js v8.10 added the new name as an alias.
      this.initCheckoutElementsSdk = counted('initCheckoutElementsSdk', function (checkoutOptions) {
        return init('initCheckoutElementsSdk()', checkoutOptions);
      });
    } else {
      this.initCheckout = counted('initCheckout', function () {
        throw IntegrationError('initCheckout() was renamed to initCheckoutElementsSdk() in the dahlia release.');
      });
      this.initCheckoutElementsSdk = counted('initCheckoutElementsSdk', function (checkoutOptions) {
        return init('initCheckoutElementsSdk()', checkoutOptions);
      });
    }
  }

  window.Stripe = Stripe;
})();
