// Webhooks through the official stripe-node client: endpoints, events, and
// `stripe.webhooks.constructEvent` on the emulator's signed deliveries; a
// forged, tampered, stale or replayed delivery is refused by the verifier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import {
  client, paymentSession, receiver, rejection, emulatorBase, ON_EMULATOR, EMULATOR_ONLY,
} from './helpers.mjs';

const EVENTS = ['checkout.session.completed', 'checkout.session.expired'];

test('webhook endpoints: create (with its secret), retrieve, update, list, delete', async () => {
  const stripe = await client();
  const hook = ON_EMULATOR ? await receiver() : null;
  const url = hook ? hook.url : 'https://example.com/contract-node-webhook';
  const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: EVENTS, description: 'contract-node' });
  try {
    assert.equal(endpoint.object, 'webhook_endpoint');
    assert.match(endpoint.id, /^we_/);
    assert.match(endpoint.secret, /^whsec_/);
    assert.equal(endpoint.status, 'enabled');
    assert.deepEqual(endpoint.enabled_events, EVENTS);
    const got = await stripe.webhookEndpoints.retrieve(endpoint.id);
    assert.equal(got.url, url);
    assert.equal(got.secret, undefined, 'the secret is returned at creation only');
    const updated = await stripe.webhookEndpoints.update(endpoint.id, { disabled: true, enabled_events: ['*'] });
    assert.equal(updated.status, 'disabled');
    assert.deepEqual(updated.enabled_events, ['*']);
    const list = await stripe.webhookEndpoints.list({ limit: 100 });
    assert.equal(list.object, 'list');
    assert.ok(list.data.some((e) => e.id === endpoint.id));
  } finally {
    const deleted = await stripe.webhookEndpoints.del(endpoint.id);
    assert.deepEqual({ id: deleted.id, deleted: deleted.deleted }, { id: endpoint.id, deleted: true });
    await hook?.close();
  }
  const gone = await rejection(stripe.webhookEndpoints.retrieve(endpoint.id), Stripe.errors.StripeInvalidRequestError);
  assert.equal(gone.statusCode, 404);
});

test('constructEvent verifies the emulator\'s signed checkout.session.expired; forged, tampered, stale refused', { skip: EMULATOR_ONLY }, async () => {
  const stripe = await client();
  const hook = await receiver();
  const endpoint = await stripe.webhookEndpoints.create({ url: hook.url, enabled_events: EVENTS });
  try {
    const session = await paymentSession(stripe);
    await stripe.checkout.sessions.expire(session.id, {}, { idempotencyKey: `expire-${session.id}` });
    const delivery = await hook.next();
    const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret);
    assert.equal(event.object, 'event');
    assert.match(event.id, /^evt_/);
    assert.equal(event.type, 'checkout.session.expired');
    assert.equal(event.livemode, false);
    assert.equal(event.data.object.object, 'checkout.session');
    assert.equal(event.data.object.id, session.id);
    assert.equal(event.data.object.status, 'expired');
    assert.match(event.request.id, /^req_/);
    assert.equal(event.request.idempotency_key, `expire-${session.id}`);
    // The same event through the API.
    const stored = await stripe.events.retrieve(event.id);
    assert.deepEqual(stored.data, event.data);
    assert.equal(stored.type, event.type);
    const listed = await stripe.events.list({ type: 'checkout.session.*', limit: 1 });
    assert.equal(listed.data[0].id, event.id);
    // A Buffer of the raw body verifies too; anything else does not.
    stripe.webhooks.constructEvent(Buffer.from(delivery.body), delivery.signature, endpoint.secret);
    const Verification = Stripe.errors.StripeSignatureVerificationError;
    assert.throws(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_forged'), Verification);
    assert.throws(() => stripe.webhooks.constructEvent(delivery.body.replace('"expired"', '"complete"'), delivery.signature, endpoint.secret), Verification);
    assert.throws(() => stripe.webhooks.constructEvent(JSON.stringify(JSON.parse(delivery.body)), delivery.signature, endpoint.secret), Verification, 're-serialized body');
    // Replayed five minutes later: outside the default tolerance.
    const later = Date.now() + 301 * 1000;
    assert.throws(
      () => stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret, undefined, undefined, later),
      /Timestamp outside the tolerance zone/,
    );
    // A header carrying only the test-mode v0 scheme is not a signature.
    const v0Only = delivery.signature.split(',').filter((p) => !p.startsWith('v1=')).join(',');
    assert.throws(() => stripe.webhooks.constructEvent(delivery.body, v0Only, endpoint.secret), Verification);
  } finally {
    await stripe.webhookEndpoints.del(endpoint.id);
    await hook.close();
  }
});

test('paying on the stand-in sends checkout.session.completed, verified by constructEvent', { skip: EMULATOR_ONLY }, async () => {
  const stripe = await client();
  const hook = await receiver();
  const endpoint = await stripe.webhookEndpoints.create({ url: hook.url, enabled_events: ['checkout.session.completed'] });
  try {
    const session = await paymentSession(stripe);
    const base = await emulatorBase();
    const form = new URLSearchParams({
      key: 'pk_test_contract',
      client_secret: session.client_secret,
      'payment_method[card][number]': '4242424242424242',
      email: 'buyer@example.com',
    });
    const paid = await fetch(`${base}/v1/payment_pages/${session.id}/confirm`, { method: 'POST', body: form });
    assert.equal(paid.status, 200);
    const delivery = await hook.next();
    const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret);
    assert.equal(event.type, 'checkout.session.completed');
    assert.equal(event.data.object.id, session.id);
    assert.equal(event.data.object.payment_status, 'paid');
    assert.equal(event.data.object.customer_details.email, 'buyer@example.com');
    assert.equal(event.request.id, null, 'an automatic event');
  } finally {
    await stripe.webhookEndpoints.del(endpoint.id);
    await hook.close();
  }
});

test('events list and retrieve errors', async () => {
  const stripe = await client();
  const page = await stripe.events.list({ limit: 3 });
  assert.equal(page.object, 'list');
  assert.equal(page.url, '/v1/events');
  assert.ok(page.data.length <= 3);
  const missing = await rejection(stripe.events.retrieve('evt_doesnotexist000000000000'), Stripe.errors.StripeInvalidRequestError);
  assert.equal(missing.statusCode, 404);
});
