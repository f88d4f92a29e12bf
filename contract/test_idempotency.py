"""Idempotent requests and retries, as the official library makes them:
`idempotency_key=`, its automatic keys and its retry rules (stripe-python
retries on 409, 5xx and `Stripe-Should-Retry: true`, with the same key)."""

import json
import urllib.request

import pytest
import stripe

from conftest import YEARLY, new_session


def sandbox(base, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        base + path,
        data=data,
        method="GET" if body is None else "POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def stats(base):
    return sandbox(base, "/sandbox/stats")


def test_same_key_replays_the_first_answer(sandbox_base):
    s = new_session()
    before = stats(sandbox_base)
    first = stripe.checkout.Session.modify(
        s.id, idempotency_key="contract-replay", metadata={"order": "1"}
    )
    again = stripe.checkout.Session.modify(
        s.id, idempotency_key="contract-replay", metadata={"order": "1"}
    )
    assert again.id == first.id
    assert again.metadata["order"] == "1"
    assert first.last_response.idempotency_key == "contract-replay"
    assert "idempotent-replayed" not in first.last_response.headers
    assert again.last_response.headers["idempotent-replayed"] == "true"
    after = stats(sandbox_base)
    assert after["session_updates"] - before["session_updates"] == 1
    assert after["idempotency"]["replayed"] - before["idempotency"]["replayed"] == 1


def test_same_key_other_parameters_is_an_idempotency_error():
    s = new_session()
    stripe.checkout.Session.modify(s.id, idempotency_key="contract-mismatch", metadata={"a": "1"})
    with pytest.raises(stripe.IdempotencyError) as e:
        stripe.checkout.Session.modify(
            s.id, idempotency_key="contract-mismatch", metadata={"a": "2"}
        )
    assert e.value.http_status == 400
    assert "Keys for idempotent requests can only be used with the same parameters" in str(
        e.value.user_message
    )
    # Another key is another request.
    s = stripe.checkout.Session.modify(s.id, idempotency_key="contract-other", metadata={"a": "2"})
    assert s.metadata["a"] == "2"


def test_a_create_with_one_key_creates_one_session():
    a = new_session(idempotency_key="contract-create")
    b = new_session(idempotency_key="contract-create")
    assert a.id == b.id


def test_the_library_retries_a_lost_answer_with_its_own_key(sandbox_base):
    stripe.max_network_retries = 2
    s = new_session()
    before = stats(sandbox_base)
    # The update runs, then its answer is lost: the library retries with the
    # key it generated, and gets the saved answer instead of a second update.
    sandbox(sandbox_base, "/sandbox/faults",
            {"fail_next": 1, "status": 503, "method": "POST", "after_endpoint": True})
    s = stripe.checkout.Session.modify(
        s.id, line_items=[{"price": YEARLY, "quantity": 1}]
    )
    assert s.last_response.headers["idempotent-replayed"] == "true"
    after = stats(sandbox_base)
    assert after["session_updates"] - before["session_updates"] == 1
    assert after["idempotency"]["keys_reused"] - before["idempotency"]["keys_reused"] == 1


def test_the_library_retries_a_lock_timeout_but_not_the_rate_limiter(sandbox_base):
    stripe.max_network_retries = 2
    s = new_session()
    sandbox(sandbox_base, "/sandbox/faults",
            {"fail_next": 1, "error": "lock_timeout", "method": "POST"})
    s = stripe.checkout.Session.modify(s.id, metadata={"locked": "once"})
    assert s.metadata["locked"] == "once"
    before = stats(sandbox_base)
    sandbox(sandbox_base, "/sandbox/faults",
            {"fail_next": 1, "error": "rate_limit", "method": "POST"})
    with pytest.raises(stripe.RateLimitError) as e:
        stripe.checkout.Session.modify(s.id, metadata={"limited": "yes"})
    assert e.value.http_status == 429
    assert e.value.json_body["error"]["code"] == "rate_limit"
    after = stats(sandbox_base)
    key = "POST /v1/checkout/sessions/{id}"
    assert after["requests"][key] - before["requests"][key] == 1, "not retried"
