"""Lists through the official library: a session's line items and the sessions
themselves as Stripe's list objects (limit, starting_after, has_more), and
Stripe's JSON 404 for an unknown route."""

import pytest
import stripe

from conftest import inline_payment_session


def test_list_line_items_paginated():
    s = inline_payment_session()
    items = stripe.checkout.Session.list_line_items(s.id)
    assert items.object == "list"
    assert items.url == f"/v1/checkout/sessions/{s.id}/line_items"
    assert items.has_more is False
    assert [(li.description, li.quantity, li.amount_total) for li in items.data] == [
        ("T-shirt", 1, 2000),
        ("Socks", 2, 1000),
    ]
    first = stripe.checkout.Session.list_line_items(s.id, limit=1)
    assert first.has_more is True
    rest = stripe.checkout.Session.list_line_items(
        s.id, limit=1, starting_after=first.data[0].id
    )
    assert [li.id for li in first.data + rest.data] == [li.id for li in items.data]
    walked = [li.id for li in first.auto_paging_iter()]
    assert walked == [li.id for li in items.data]


def test_list_sessions_newest_first_and_filtered():
    a = inline_payment_session()
    b = inline_payment_session()
    page = stripe.checkout.Session.list(limit=100, created={"gte": a.created})
    ids = [s.id for s in page.data]
    assert page.object == "list" and page.url == "/v1/checkout/sessions"
    assert ids.index(b.id) < ids.index(a.id)
    one = stripe.checkout.Session.list(limit=1, created={"gte": a.created})
    assert len(one.data) == 1 and one.has_more is True
    stripe.checkout.Session.expire(a.id)
    expired = stripe.checkout.Session.list(
        status="expired", created={"gte": a.created}, limit=100
    )
    assert a.id in [s.id for s in expired.data]
    assert all(s.status == "expired" for s in expired.data)


def test_unknown_route_is_a_json_404():
    client = stripe.StripeClient(
        stripe.api_key,
        base_addresses={"api": stripe.api_base},
        stripe_version=stripe.api_version,
    )
    with pytest.raises(stripe.InvalidRequestError) as e:
        client.raw_request("get", "/v1/nope")
    assert e.value.http_status == 404
    assert e.value.user_message.startswith("Unrecognized request URL (GET: /v1/nope).")
    with pytest.raises(stripe.InvalidRequestError) as e:
        client.raw_request("delete", "/v1/checkout/sessions/cs_test_x")
    assert e.value.http_status == 404
