"""Webhooks through the official library: endpoints and events, and
`stripe.Webhook.construct_event` on the emulator's signed deliveries; a forged,
tampered, stale or replayed delivery is refused by the verifier."""

import http.server
import json
import queue
import threading
import time
import urllib.parse
import urllib.request

import pytest
import stripe

from conftest import ON_STRIPE, PUBLISHABLE_KEY, inline_payment_session

EVENTS = ["checkout.session.completed", "checkout.session.expired"]


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1: yields (url, queue of (body, signature))."""
    deliveries = queue.Queue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            deliveries.put((body.decode("utf-8"), self.headers["Stripe-Signature"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/webhook", deliveries
    finally:
        server.shutdown()


def test_webhook_endpoints_crud():
    url = "https://example.com/contract-python-webhook"
    if not ON_STRIPE:
        url = "http://127.0.0.1:9/webhook"
    endpoint = stripe.WebhookEndpoint.create(url=url, enabled_events=EVENTS)
    try:
        assert endpoint.object == "webhook_endpoint"
        assert endpoint.id.startswith("we_")
        assert endpoint.secret.startswith("whsec_")
        got = stripe.WebhookEndpoint.retrieve(endpoint.id)
        assert got.url == url and "secret" not in got
        updated = stripe.WebhookEndpoint.modify(endpoint.id, disabled=True)
        assert updated.status == "disabled"
        listed = stripe.WebhookEndpoint.list(limit=100)
        assert endpoint.id in [e.id for e in listed.data]
    finally:
        deleted = stripe.WebhookEndpoint.delete(endpoint.id)
        assert deleted.deleted is True
    with pytest.raises(stripe.InvalidRequestError) as e:
        stripe.WebhookEndpoint.retrieve(endpoint.id)
    assert e.value.http_status == 404


@pytest.mark.emulator_only
def test_construct_event_on_emulator_signed_deliveries(receiver, monkeypatch):
    url, deliveries = receiver
    endpoint = stripe.WebhookEndpoint.create(url=url, enabled_events=EVENTS)
    try:
        s = inline_payment_session()
        stripe.checkout.Session.expire(s.id, idempotency_key=f"expire-{s.id}")
        body, signature = deliveries.get(timeout=10)
        event = stripe.Webhook.construct_event(body, signature, endpoint.secret)
        assert event.type == "checkout.session.expired"
        assert event.data.object.id == s.id
        assert event.data.object.status == "expired"
        assert event.request.id.startswith("req_")
        assert event.request.idempotency_key == f"expire-{s.id}"
        assert stripe.Event.retrieve(event.id).type == "checkout.session.expired"
        assert stripe.Event.list(type="checkout.session.expired", limit=1).data[0].id == event.id
        # Forged, tampered or re-serialized: refused.
        for payload, secret in [
            (body, "whsec_forged"),
            (body.replace('"expired"', '"complete"'), endpoint.secret),
            (json.dumps(json.loads(body)), endpoint.secret),
        ]:
            with pytest.raises(stripe.SignatureVerificationError):
                stripe.Webhook.construct_event(payload, signature, secret)
        v0_only = ",".join(p for p in signature.split(",") if not p.startswith("v1="))
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(body, v0_only, endpoint.secret)
        # Replayed five minutes later: stale.
        later = time.time() + 301
        monkeypatch.setattr(time, "time", lambda: later)
        with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
            stripe.Webhook.construct_event(body, signature, endpoint.secret)
    finally:
        monkeypatch.undo()
        stripe.WebhookEndpoint.delete(endpoint.id)


@pytest.mark.emulator_only
def test_payment_sends_checkout_session_completed(receiver, sandbox_base):
    url, deliveries = receiver
    endpoint = stripe.WebhookEndpoint.create(
        url=url, enabled_events=["checkout.session.completed"]
    )
    try:
        s = inline_payment_session()
        form = urllib.parse.urlencode(
            {
                "key": PUBLISHABLE_KEY,
                "client_secret": s.client_secret,
                "payment_method[card][number]": "4242424242424242",
                "email": "buyer@example.com",
            }
        ).encode()
        with urllib.request.urlopen(
            urllib.request.Request(
                f"{sandbox_base}/v1/payment_pages/{s.id}/confirm", data=form, method="POST"
            )
        ) as r:
            assert r.status == 200
        body, signature = deliveries.get(timeout=10)
        event = stripe.Webhook.construct_event(body, signature, endpoint.secret)
        assert event.type == "checkout.session.completed"
        assert event.data.object.payment_status == "paid"
        assert event.data.object.customer_details.email == "buyer@example.com"
        assert event.request.id is None
    finally:
        stripe.WebhookEndpoint.delete(endpoint.id)
