/*
 * Stripe.js stand-in for the offline sandbox, for three release trains:
 *
 *   /sandbox/basil/stripe.js   @stripe/stripe-js v7: await stripe.initCheckout({fetchClientSecret})
 *                              -> checkout {session(), on(), runServerUpdate(), confirm(), createPaymentElement()}
 *   /sandbox/clover/stripe.js  v8: stripe.initCheckout({clientSecret}) (synchronous)
 *                              -> sdk {on(), loadActions(), createPaymentElement()};
 *                              actions {getSession(), runServerUpdate(), confirm()}
 *   /sandbox/dahlia/stripe.js  v9: stripe.initCheckoutElementsSdk({clientSecret}); initCheckout is gone
 *
 * The train is read from this script's own URL. It talks to the sandbox on the
 * origin it was loaded from (POST /v1/payment_pages/{id}/init and /confirm).
 *
 * runServerUpdate exists only with the beta custom_checkout_server_updates_1;
 * it runs one update at a time, gives fn 20 s (override for tests with
 * `?update_timeout_ms=N` on this script's URL), ignores fn's return value,
 * re-fetches the session on success, fires `change`, and resolves
 * {type:'success', session}; if fn throws or times out it resolves
 * {type:'error', error:{message, code:null}}. A timed-out fn is not
 * cancelled: the merchant's request, and the write it makes, still land
 * later, and nothing refreshes the session then (the page must read it
 * again). If the refresh after fn fails (offline, unknown session), it
 * resolves {type:'error'} although fn's change was applied. So
 * runServerUpdate(() => Promise.resolve()) is a pure refresh, the only one
 * Stripe.js offers. Options a train does not accept throw an
 * IntegrationError, as Stripe.js does. (docs/sandbox-contract.md)
 *
 * The customer's email: updateEmail(email) (basil: on the checkout; clover,
 * dahlia: on the actions, where null clears it) checks the address here
 * first, as Stripe.js does, and resolves {type:'error', error:{code:
 * 'incompleteEmail'|'invalidEmail', message}} without a request when it is
 * unfinished or malformed (checkEmail, the grammar of
 * protocol/src/email.rs); otherwise it posts it to POST
 * /v1/payment_pages/{id} (the emulator's own route) and resolves
 * {type:'success', session}. confirm() fails while the session has no
 * email (the emulator refuses it).
 *
 * Stripe.js throws from confirm() unless the page read the total it shows
 * (docs: "You must either read total.total.amount or each of
 * total.total.minorUnitsAmount and currency and minorUnitsAmountDivisor
 * from the checkout object and display in your UI, otherwise an error will
 * be thrown."). The sessions handed out here record those reads (getters;
 * the real session is a Proxy), and confirm() rejects with an
 * IntegrationError when the current session's total was not read.
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

  var ELEMENTS_OPTIONS = ['appearance', 'loader', 'fonts', 'savedPaymentMethod'];
  var CONFIRM_OPTIONS = ['returnUrl', 'redirect', 'paymentMethod', 'savePaymentMethod', 'email',
    'phoneNumber', 'billingAddress', 'shippingAddress', 'expressCheckoutConfirmEvent'];
  var INIT_OPTIONS = {
    basil: ['fetchClientSecret', 'elementsOptions'],
    clover: ['clientSecret', 'elementsOptions', 'defaultValues', 'adaptivePricing'],
    dahlia: ['clientSecret', 'elementsOptions', 'defaultValues', 'adaptivePricing']
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

  // A session as Stripe.js hands it to the page: frozen, with the reads of
  // total.total.amount, total.total.minorUnitsAmount, currency and
  // minorUnitsAmountDivisor recorded.
  function trackedSession(json) {
    var seen = { amount: false, minorUnitsAmount: false, currency: false, divisor: false };
    var total = json && json.total && json.total.total;
    watch(total, 'amount', function () { seen.amount = true; });
    watch(total, 'minorUnitsAmount', function () { seen.minorUnitsAmount = true; });
    watch(json, 'currency', function () { seen.currency = true; });
    watch(json, 'minorUnitsAmountDivisor', function () { seen.divisor = true; });
    deepFreeze(json);
    if (json && typeof json === 'object') TOTAL_READS.set(json, seen);
    return json;
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

  function fetchSession(publishableKey, clientSecret) {
    var id = sessionIdOf(clientSecret);
    return post('/v1/payment_pages/' + encodeURIComponent(id) + '/init', {
      key: publishableKey, client_secret: clientSecret
    }).then(function (reply) {
      if (!reply.ok) {
        var error = reply.json && reply.json.error;
        throw new Error(error && error.message ? error.message : 'Could not load the Checkout Session.');
      }
      return trackedSession(reply.json);
    });
  }

  function checkSecret(clientSecret) {
    if (typeof clientSecret !== 'string' || !/^cs_(test|live)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+$/.test(clientSecret)) {
      throw IntegrationError('Invalid client secret: expected a Checkout Session client secret (cs_..._secret_...).');
    }
    return clientSecret;
  }

  function createPaymentElement(state) {
    var container = null;
    var input = null;
    return {
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
        state.paymentElement = this;
      },
      unmount: function () { if (container) container.textContent = ''; },
      destroy: function () { this.unmount(); state.paymentElement = null; },
      on: function () {},
      cardNumber: function () { return input ? input.value.replace(/\s+/g, '') : ''; }
    };
  }

  function createCheckout(publishableKey, betas, clientSecret, initialSession) {
    var state = { current: initialSession, listeners: [], queue: Promise.resolve(), paymentElement: null };

    function emitChange() {
      state.listeners.forEach(function (listener) {
        try { listener(state.current); } catch (error) { setTimeout(function () { throw error; }); }
      });
    }

    function refresh() {
      return fetchSession(publishableKey, clientSecret).then(function (session) {
        state.current = session;
        emitChange();
        return session;
      });
    }

    function runOne(userFunction) {
      var timer;
      var timeout = new Promise(function (_, reject) {
        timer = setTimeout(function () {
          reject(new Error('The update took too long. Please try again.'));
        }, updateTimeoutMs);
      });
      var work = Promise.resolve().then(function () { return userFunction(); });
      return Promise.race([work, timeout]).then(function () {
        clearTimeout(timer);
        return refresh().then(function (session) { return { type: 'success', session: session }; });
      }).catch(function (error) {
        clearTimeout(timer);
        var message = error && error.message ? String(error.message) : 'The update failed.';
        return { type: 'error', error: { message: message, code: null } };
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
          if (!totalWasRead(state.current)) {
            throw IntegrationError('confirm(): read total.total.amount (or total.total.minorUnitsAmount, '
              + 'currency and minorUnitsAmountDivisor) from the session and display it before confirming.');
          }
        } catch (error) {
          return Promise.reject(error);
        }
        if (!state.paymentElement) {
          return Promise.resolve({ type: 'error', error: { message: 'Enter your payment details.', code: null } });
        }
        var fields = {
          key: publishableKey,
          client_secret: clientSecret,
          'payment_method[card][number]': state.paymentElement.cardNumber()
        };
        if (options && typeof options.email === 'string') fields.email = options.email;
        var run = state.queue.then(function () {
          return post(pagePath('/confirm'), fields).then(function (reply) {
            if (reply.ok) {
              state.current = trackedSession(reply.json);
              emitChange();
              return { type: 'success', session: state.current };
            }
            var error = (reply.json && reply.json.error) || {};
            if (error.type === 'card_error') {
              return { type: 'error', error: { message: error.message || 'Your card was declined.', code: 'paymentFailed', paymentFailed: { declineCode: error.decline_code || null } } };
            }
            return { type: 'error', error: { message: error.message || 'The payment could not be completed.', code: null } };
          });
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
              state.current = trackedSession(reply.json);
              emitChange();
              return { type: 'success', session: state.current };
            }
            var error = (reply.json && reply.json.error) || {};
            if (error.code === 'email_invalid') return emailError('invalidEmail');
            if (error.param === 'email') return emailError('invalidEmail', error.message);
            throw new Error(error.message || 'Could not update the email.');
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
        return createPaymentElement(state, options);
      },
      getPaymentElement: function () { return state.paymentElement; },
      changeAppearance: function () {}
    };
    return { sdk: sdk, actions: actions, state: state };
  }

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options);
    if (typeof publishableKey !== 'string' || publishableKey.indexOf('pk_') !== 0) {
      throw IntegrationError('Invalid API Key provided: Stripe() expects a publishable key (pk_...).');
    }
    checkKeys('Stripe()', options, ['betas', 'apiVersion', 'locale', 'stripeAccount']);
    var betas = options && Array.isArray(options.betas) ? options.betas.slice() : [];

    function checkInit(what, checkoutOptions) {
      checkKeys(what, checkoutOptions, INIT_OPTIONS[TRAIN]);
      if (!checkoutOptions) throw IntegrationError('Invalid ' + what + ' parameter: options are required.');
      if (checkoutOptions.elementsOptions !== undefined) {
        checkKeys(what + ' elementsOptions', checkoutOptions.elementsOptions, ELEMENTS_OPTIONS);
      }
    }

    if (TRAIN === 'basil') {
      this.initCheckout = function (checkoutOptions) {
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
            return fetchSession(publishableKey, clientSecret).then(function (session) {
              var checkout = createCheckout(publishableKey, betas, clientSecret, session);
              var object = Object.assign({}, checkout.sdk, checkout.actions);
              object.session = function () { return checkout.state.current; };
              return object;
            });
          });
      };
      return;
    }

    // clover and dahlia: synchronous init, actions behind loadActions().
    var init = function (what, checkoutOptions) {
      checkInit(what, checkoutOptions);
      if (checkoutOptions.clientSecret === undefined) {
        throw IntegrationError('Invalid ' + what + ' parameter: options.clientSecret is required.');
      }
      var ready = Promise.resolve(checkoutOptions.clientSecret).then(function (clientSecret) {
        checkSecret(clientSecret);
        return fetchSession(publishableKey, clientSecret).then(function (session) {
          return createCheckout(publishableKey, betas, clientSecret, session);
        });
      });
      var pendingListeners = [];
      var sdk = {
        on: function (event, handler) {
          if (event !== 'change') throw IntegrationError('Unknown event: ' + event);
          if (typeof handler !== 'function') throw IntegrationError('on(): handler must be a function.');
          pendingListeners.push(handler);
          ready.then(function (checkout) { checkout.sdk.on(event, handler); }, function () {});
        },
        loadActions: function () {
          return ready.then(function (checkout) {
            var actions = Object.assign({}, checkout.actions);
            actions.getSession = function () { return checkout.state.current; };
            return { type: 'success', actions: actions };
          }, function (error) {
            return { type: 'error', error: { message: error && error.message ? error.message : 'Could not load the checkout.', code: null } };
          });
        },
        createPaymentElement: function (options) {
          var element = null;
          var mountTarget = null;
          ready.then(function (checkout) {
            element = checkout.sdk.createPaymentElement(options);
            if (mountTarget) element.mount(mountTarget);
          }, function () {});
          return {
            mount: function (target) { mountTarget = target; if (element) element.mount(target); },
            unmount: function () { if (element) element.unmount(); },
            destroy: function () { if (element) element.destroy(); },
            on: function () {}
          };
        },
        changeAppearance: function () {}
      };
      return sdk;
    };

    if (TRAIN === 'clover') {
      this.initCheckout = function (checkoutOptions) { return init('initCheckout()', checkoutOptions); };
      // stripe-js v8.10 added the new name as an alias.
      this.initCheckoutElementsSdk = function (checkoutOptions) { return init('initCheckoutElementsSdk()', checkoutOptions); };
    } else {
      this.initCheckout = function () {
        throw IntegrationError('initCheckout() was renamed to initCheckoutElementsSdk() in the dahlia release.');
      };
      this.initCheckoutElementsSdk = function (checkoutOptions) { return init('initCheckoutElementsSdk()', checkoutOptions); };
    }
  }

  window.Stripe = Stripe;
})();
