/*
 * Stripe.js stand-in for the offline sandbox: the "basil" release train
 * (@stripe/stripe-js v7 types), custom checkout surface only.
 *
 * It is served by checkout-server in sandbox mode and talks to the sandbox's
 * `POST /v1/payment_pages/{id}/init` on the origin it was loaded from. It
 * implements what the widget uses, with basil's semantics:
 *
 *   Stripe(pk, {betas})
 *   stripe.initCheckout({fetchClientSecret, elementsOptions}) -> Promise<checkout>
 *   checkout.session(), checkout.on('change', cb)
 *   checkout.runServerUpdate(fn)   (only with the beta custom_checkout_server_updates_1)
 *
 * runServerUpdate runs one update at a time, gives fn 20 s (override for tests
 * with `?update_timeout_ms=N` on this script's URL), ignores fn's return
 * value, re-fetches the session on success, fires `change`, and resolves
 * {type:'success', session}; if fn throws or times out it resolves
 * {type:'error', error:{message, code:null}}. Unknown options throw an
 * IntegrationError, as Stripe.js does.
 */
(function () {
  'use strict';

  var SERVER_UPDATES_BETA = 'custom_checkout_server_updates_1';
  var script = document.currentScript;
  var scriptUrl = new URL(script && script.src ? script.src : '/sandbox/basil/stripe.js', window.location.href);
  var apiOrigin = scriptUrl.origin;
  var updateTimeoutMs = Number(scriptUrl.searchParams.get('update_timeout_ms')) || 20000;

  function IntegrationError(message) {
    var error = new Error(message);
    error.name = 'IntegrationError';
    return error;
  }

  function checkKeys(what, options, allowed) {
    if (options === undefined || options === null) return;
    if (typeof options !== 'object') {
      throw IntegrationError('Invalid ' + what + ' parameter: options must be an object.');
    }
    Object.keys(options).forEach(function (key) {
      if (allowed.indexOf(key) === -1) {
        throw IntegrationError('Invalid ' + what + ' parameter: options.' + key + ' is not an accepted parameter.');
      }
    });
  }

  function deepFreeze(value) {
    if (value && typeof value === 'object') {
      Object.keys(value).forEach(function (key) { deepFreeze(value[key]); });
      Object.freeze(value);
    }
    return value;
  }

  function fetchSession(publishableKey, clientSecret) {
    var id = clientSecret.split('_secret_')[0];
    var body = new URLSearchParams({ key: publishableKey, client_secret: clientSecret });
    return fetch(apiOrigin + '/v1/payment_pages/' + encodeURIComponent(id) + '/init', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString()
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) {
          var message = json && json.error && json.error.message ? json.error.message : 'Could not load the Checkout Session.';
          throw new Error(message);
        }
        return deepFreeze(json);
      });
    });
  }

  function createCheckout(publishableKey, betas, clientSecret, initialSession) {
    var current = initialSession;
    var listeners = [];
    var queue = Promise.resolve();

    function emitChange() {
      listeners.forEach(function (listener) {
        try { listener(current); } catch (error) { setTimeout(function () { throw error; }); }
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
        return fetchSession(publishableKey, clientSecret).then(function (session) {
          current = session;
          emitChange();
          return { type: 'success', session: current };
        });
      }).catch(function (error) {
        clearTimeout(timer);
        var message = error && error.message ? String(error.message) : 'The update failed.';
        return { type: 'error', error: { message: message, code: null } };
      });
    }

    var checkout = {
      session: function () { return current; },
      on: function (event, handler) {
        if (event !== 'change') throw IntegrationError('Unknown event: ' + event);
        if (typeof handler !== 'function') throw IntegrationError('on(): handler must be a function.');
        listeners.push(handler);
      }
    };
    if (betas.indexOf(SERVER_UPDATES_BETA) !== -1) {
      checkout.runServerUpdate = function (userFunction) {
        if (typeof userFunction !== 'function') {
          return Promise.reject(IntegrationError('runServerUpdate() expects a function that returns a Promise.'));
        }
        var result = queue.then(function () { return runOne(userFunction); });
        queue = result.then(function () {}, function () {});
        return result;
      };
    }
    return checkout;
  }

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options);
    if (typeof publishableKey !== 'string' || publishableKey.indexOf('pk_') !== 0) {
      throw IntegrationError('Invalid API Key provided: Stripe() expects a publishable key (pk_...).');
    }
    checkKeys('Stripe()', options, ['betas', 'apiVersion', 'locale', 'stripeAccount']);
    var betas = options && Array.isArray(options.betas) ? options.betas.slice() : [];

    this.initCheckout = function (checkoutOptions) {
      try {
        checkKeys('initCheckout()', checkoutOptions, ['fetchClientSecret', 'elementsOptions']);
        if (!checkoutOptions || typeof checkoutOptions.fetchClientSecret !== 'function') {
          throw IntegrationError('Invalid initCheckout() parameter: options.fetchClientSecret must be a function.');
        }
        checkKeys('initCheckout()', checkoutOptions.elementsOptions, ['appearance', 'loader', 'fonts', 'savedPaymentMethod']);
      } catch (error) {
        return Promise.reject(error);
      }
      return Promise.resolve()
        .then(function () { return checkoutOptions.fetchClientSecret(); })
        .then(function (clientSecret) {
          if (typeof clientSecret !== 'string' || !/^cs_(test|live)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+$/.test(clientSecret)) {
            throw IntegrationError('Invalid client secret: fetchClientSecret() must resolve a Checkout Session client secret.');
          }
          return fetchSession(publishableKey, clientSecret).then(function (session) {
            return createCheckout(publishableKey, betas, clientSecret, session);
          });
        });
    };
  }

  window.Stripe = Stripe;
})();
