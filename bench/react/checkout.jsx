// Benchmark baseline: the seeds' two flows (subscription-interval switch,
// customer-discount button) in React 18 with @stripe/react-stripe-js 7.x
// (`@stripe/react-stripe-js/checkout`: CheckoutElementsProvider and
// useCheckoutElements, on Stripe.js's endive train, @stripe/stripe-js 10).
// Bundled by bench/react/build.mjs (esbuild, production, minified).
// @stripe/stripe-js is used for its types only: Stripe.js itself is the
// sandbox stand-in loaded by index.html and is not part of any size figure.
// Like the plain page, it decides on `result.type === 'success'` (the guides
// test `response.ok`, which is never set).
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CheckoutElementsProvider, useCheckoutElements } from '@stripe/react-stripe-js/checkout';

// Adapter for the offline stand-in only: react-stripe-js checks that `stripe`
// has the Elements methods (the stand-in implements the custom-checkout
// surface only). Real Stripe.js needs none of it; the adapter is a few
// hundred bytes of the bundle.
function sandboxStripe(stripe) {
  const unsupported = () => { throw new Error('not in the sandbox stand-in'); };
  return {
    elements: unsupported, createToken: unsupported, createPaymentMethod: unsupported,
    confirmCardPayment: unsupported,
    initCheckoutElementsSdk: (options) => stripe.initCheckoutElementsSdk(options),
  };
}

const stripe = sandboxStripe(window.Stripe('pk_test_sandbox', {
  betas: ['custom_checkout_server_updates_1'],
}));

const clientSecret = fetch('/create-checkout-session', { method: 'POST' })
  .then((response) => response.json())
  .then((json) => json.clientSecret);

const post = (path, body) => fetch(path, {
  method: 'POST',
  headers: { 'Content-type': 'application/json' },
  body: JSON.stringify(body),
});

// Rendered once the checkout has loaded (see App).
function IntervalSwitch({ checkout }) {
  const yearly = checkout.recurring?.interval === 'year';
  const onClick = async () => {
    const result = await checkout.runServerUpdate(() => post('/change-subscription-interval', {
      checkout_session_id: checkout.id,
      interval: yearly ? 'monthly' : 'yearly',
    }));
    if (result.type !== 'success') {
      // Handle error state
    }
  };
  return (
    <button id="change-subscription-interval" role="switch" aria-checked={yearly} onClick={onClick}>
      {yearly ? 'Use monthly subscription' : 'Save with a yearly subscription'}
    </button>
  );
}

function DiscountButton({ checkout }) {
  const [applied, setApplied] = useState(false);
  const onClick = async () => {
    const result = await checkout.runServerUpdate(() => post('/apply-customer-discount', {
      checkout_session_id: checkout.id,
    }));
    if (result.type !== 'success') {
      // Handle error state
      return;
    }
    setApplied(true);
  };
  return (
    <button id="apply-customer-discount" disabled={applied} onClick={onClick}>
      {applied ? 'Discount Applied!' : 'Apply Customer Discount'}
    </button>
  );
}

// The order summary, in the comparison build only (build.mjs --summary,
// served at /react-summary/): what the guides' page shows besides the two
// controls, its line items and total in the page's locale through
// Intl.NumberFormat, as the widget formats them (src/money.rs). The budget's
// React page is the one without it.
function Summary({ checkout }) {
  const money = (amount) => new Intl.NumberFormat('en-US', {
    style: 'currency', currency: checkout.currency.toUpperCase(),
  }).format(amount.minorUnitsAmount / 100);
  return (
    <dl>
      {checkout.lineItems.map((item) => (
        <React.Fragment key={item.id}>
          <dt>{item.name}</dt>
          <dd>{money(item.subtotal)}</dd>
        </React.Fragment>
      ))}
      <dt>Total</dt>
      <dd data-testid="total">{`${money(checkout.total.total)} per ${checkout.recurring?.interval}`}</dd>
    </dl>
  );
}

function Controls() {
  const state = useCheckoutElements();
  if (state.type === 'loading') return <p>Loading…</p>;
  if (state.type === 'error') return <p role="alert">{state.error.message}</p>;
  return (
    <>
      <IntervalSwitch checkout={state.checkout} />
      <DiscountButton checkout={state.checkout} />
      {SUMMARY && <Summary checkout={state.checkout} />}
    </>
  );
}

function App() {
  return (
    <CheckoutElementsProvider stripe={stripe} options={{ clientSecret }}>
      <Controls />
    </CheckoutElementsProvider>
  );
}

createRoot(document.getElementById('root')).render(<App />);
