"""Errors come back as the `stripe` library's error classes, with `param` set."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
import stripe

from conftest import PUBLISHABLE_KEY, YEARLY, inline_payment_session, new_session

BASIL = "2025-03-31.basil"


def post_form(base, path, form):
    data = urllib.parse.urlencode(form).encode()
    req = urllib.request.Request(base + path, data=data, method="POST")
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def confirm(base, session, number):
    return post_form(
        base,
        f"/v1/payment_pages/{session.id}/confirm",
        {
            "key": PUBLISHABLE_KEY,
            "client_secret": session.client_secret,
            "payment_method[card][number]": number,
            "email": "buyer@example.com",
        },
    )


def test_missing_required_param():
    with pytest.raises(stripe.InvalidRequestError) as e:
        stripe.checkout.Session.create(ui_mode="custom", return_url="http://x/")
    assert e.value.param == "mode"
    assert e.value.code == "parameter_missing"


@pytest.mark.preview
def test_unknown_price():
    with pytest.raises(stripe.InvalidRequestError) as e:
        new_session(line_items=[{"price": "price_nope", "quantity": 1}])
    assert e.value.param == "line_items[0][price]"
    assert e.value.code == "resource_missing"


def test_unknown_session_is_404():
    with pytest.raises(stripe.InvalidRequestError) as e:
        stripe.checkout.Session.retrieve("cs_test_doesnotexist")
    assert e.value.http_status == 404
    assert e.value.code == "resource_missing"
    assert e.value.param == "id"


@pytest.mark.preview
@pytest.mark.catalog
def test_update_of_expired_session():
    s = new_session()
    expired = stripe.checkout.Session.expire(s.id)
    assert expired.status == "expired"
    with pytest.raises(stripe.InvalidRequestError) as e:
        stripe.checkout.Session.modify(s.id, metadata={"a": "b"})
    assert e.value.http_status == 400
    with pytest.raises(stripe.InvalidRequestError):
        stripe.checkout.Session.expire(s.id)


@pytest.mark.emulator_only
def test_confirm_then_update_of_complete_session(sandbox_base):
    s = new_session()
    status, body = confirm(sandbox_base, s, "4000000000000002")
    assert status == 402
    assert body == {
        "error": {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "generic_decline",
            "message": "Your card was declined.",
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
        }
    }
    status, body = confirm(sandbox_base, s, "4111111111111112")
    assert status == 400 and body["error"]["code"] == "incorrect_number"
    status, body = confirm(sandbox_base, s, "4242424242424242")
    assert status == 200, body
    assert body["status"] == {"type": "complete", "paymentStatus": "paid"}
    got = stripe.checkout.Session.retrieve(s.id)
    assert got.status == "complete" and got.payment_status == "paid"
    with pytest.raises(stripe.InvalidRequestError) as e:
        stripe.checkout.Session.modify(s.id, line_items=[{"price": YEARLY, "quantity": 1}])
    assert e.value.http_status == 400


@pytest.mark.emulator_only
def test_coupon_and_coupon_data():
    s = new_session()
    with pytest.raises(stripe.InvalidRequestError) as e:
        stripe.checkout.Session.modify(
            s.id, discounts=[{"coupon": "SANDBOX10", "coupon_data": {"percent_off": 5}}]
        )
    assert e.value.param == "discounts[0][coupon_data]"


@pytest.mark.preview
@pytest.mark.catalog
@pytest.mark.parametrize("percent", [0, 100.5, 150, -3])
def test_percent_off_out_of_range(percent):
    s = new_session()
    with pytest.raises(stripe.InvalidRequestError) as e:
        stripe.checkout.Session.modify(
            s.id, discounts=[{"coupon_data": {"percent_off": percent}}]
        )
    assert e.value.param == "discounts[0][coupon_data][percent_off]"


@pytest.mark.preview
@pytest.mark.catalog
@pytest.mark.parametrize(
    "param,kwargs",
    [
        ("discounts", {"discounts": [{"coupon": "SANDBOX10"}]}),
        ("subscription_data", {"subscription_data": {"trial_period_days": 7}}),
    ],
)
def test_beta_update_params_need_the_beta_header(param, kwargs):
    s = new_session()
    with pytest.raises(stripe.InvalidRequestError) as e:
        stripe.checkout.Session.modify(s.id, stripe_version=BASIL, **kwargs)
    assert e.value.param == param
    assert "unknown parameter" in e.value.user_message


@pytest.mark.emulator_only
def test_trial_updates_need_the_preview_version():
    # Stripe's trials guide: "the private preview API version and the
    # checkout_server_update_beta=v1 beta version header".
    s = new_session()
    with pytest.raises(stripe.InvalidRequestError) as e:
        stripe.checkout.Session.modify(s.id, subscription_data={"trial_period_days": 7})
    assert e.value.param == "subscription_data"


@pytest.mark.preview
@pytest.mark.catalog
@pytest.mark.parametrize("param", ["update_line_items", "update_discounts"])
def test_beta_permissions_need_the_beta_header(param):
    with pytest.raises(stripe.InvalidRequestError) as e:
        new_session(stripe_version=BASIL, permissions={param: "server_only"})
    assert e.value.param == f"permissions[{param}]"


def test_bad_key():
    with pytest.raises(stripe.AuthenticationError) as e:
        stripe.checkout.Session.retrieve("cs_test_x", api_key="sk_test_")
    assert e.value.http_status == 401
    with pytest.raises(stripe.AuthenticationError):
        stripe.checkout.Session.retrieve("cs_test_x", api_key="sk_live_abcdefgh12345678")


@pytest.mark.emulator_only
def test_missing_key(sandbox_base):
    # The library refuses locally; on the wire, the sandbox answers 401.
    stripe.api_key = None
    with pytest.raises(stripe.AuthenticationError):
        stripe.checkout.Session.retrieve("cs_test_x")
    status, body = post_form(sandbox_base, "/v1/checkout/sessions", {"mode": "payment"})
    assert status == 401
    assert body["error"]["type"] == "invalid_request_error"


def test_customer_email_is_kept_and_details_wait_for_payment():
    s = inline_payment_session(customer_email="buyer@example.com")
    assert s.customer_email == "buyer@example.com"
    assert s.customer_details is None


def test_customer_email_must_be_an_address():
    with pytest.raises(stripe.InvalidRequestError) as e:
        inline_payment_session(customer_email="not an email")
    assert e.value.http_status == 400
    assert e.value.param == "customer_email"


@pytest.mark.emulator_only
def test_confirm_needs_an_email_and_the_paid_session_carries_it(sandbox_base):
    s = new_session()
    form = {
        "key": PUBLISHABLE_KEY,
        "client_secret": s.client_secret,
        "payment_method[card][number]": "4242424242424242",
    }
    status, body = post_form(sandbox_base, f"/v1/payment_pages/{s.id}/confirm", form)
    assert status == 400
    assert body["error"]["param"] == "email"
    assert stripe.checkout.Session.retrieve(s.id).status == "open"
    # The stand-in's updateEmail: a malformed address is email_invalid.
    page = f"/v1/payment_pages/{s.id}"
    keys = {"key": PUBLISHABLE_KEY, "client_secret": s.client_secret}
    status, body = post_form(sandbox_base, page, {**keys, "email": "a da@example.com"})
    assert status == 400 and body["error"]["code"] == "email_invalid"
    status, body = post_form(sandbox_base, page, {**keys, "email": "buyer@example.com"})
    assert status == 200 and body["email"] == "buyer@example.com" and body["canConfirm"] is True
    status, body = post_form(sandbox_base, f"/v1/payment_pages/{s.id}/confirm", form)
    assert status == 200, body
    got = stripe.checkout.Session.retrieve(s.id)
    assert got.customer_details.email == "buyer@example.com"
    assert got.customer_email is None
