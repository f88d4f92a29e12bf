"""Create / retrieve / update Checkout Sessions through the official library."""

import concurrent.futures

import pytest
import stripe

from conftest import (
    MONTHLY,
    TRIAL_VERSION,
    YEARLY,
    inline_payment_session,
    new_session,
    payment_session,
)

# Every session here is created with the update permissions of the preview,
# from the catalog's recurring prices.
pytestmark = [pytest.mark.preview, pytest.mark.catalog]


def items(session_id):
    s = stripe.checkout.Session.retrieve(session_id, expand=["line_items"])
    return s.line_items.data


def test_create_and_retrieve():
    s = new_session(metadata={"order": "42"})
    assert s.object == "checkout.session"
    assert s.id.startswith("cs_test_")
    assert s.client_secret.startswith(s.id + "_secret_")
    assert s.status == "open"
    assert s.mode == "subscription"
    assert s.ui_mode == "custom"
    assert s.amount_subtotal == 1500
    assert s.metadata.to_dict() == {"order": "42"}
    assert s.permissions.update_line_items == "server_only"
    assert s.permissions.update_discounts == "server_only"
    assert s.expires_at > s.created
    got = stripe.checkout.Session.retrieve(s.id)
    assert got.id == s.id
    assert "line_items" not in got
    expanded = stripe.checkout.Session.retrieve(s.id, expand=["line_items"])
    assert [li.price.id for li in expanded.line_items.data] == [MONTHLY]
    assert expanded.line_items.data[0].price.recurring.interval == "month"


def test_line_items_whole_array():
    s = new_session()
    first = items(s.id)[0]
    # Update the quantity of the kept item and add one from price_data.
    s = stripe.checkout.Session.modify(
        s.id,
        line_items=[
            {"id": first.id, "quantity": 3},
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 500,
                    "recurring": {"interval": "month"},
                    "product_data": {"name": "Add-on"},
                },
                "quantity": 2,
            },
        ],
        expand=["line_items"],
    )
    data = s.line_items.data
    assert [li.quantity for li in data] == [3, 2]
    assert data[0].id == first.id
    assert data[1].description == "Add-on"
    assert data[1].price.unit_amount == 500
    assert data[1].price.recurring.interval == "month"
    assert data[1].price.product.startswith("prod_")
    assert s.amount_subtotal == 3 * 1500 + 2 * 500
    addon = data[1]
    # Reorder and keep both by id.
    s = stripe.checkout.Session.modify(
        s.id, line_items=[{"id": addon.id}, {"id": first.id}], expand=["line_items"]
    )
    assert [li.id for li in s.line_items.data] == [addon.id, first.id]
    assert [li.quantity for li in s.line_items.data] == [2, 3]
    # Remove the first by omitting it; swap the add-on's price for the yearly one.
    s = stripe.checkout.Session.modify(
        s.id, line_items=[{"id": addon.id, "price": YEARLY}], expand=["line_items"]
    )
    assert [(li.id, li.price.id, li.quantity) for li in s.line_items.data] == [
        (addon.id, YEARLY, 2)
    ]
    assert s.amount_subtotal == 30000


def test_discounts_coupon_data_and_removal():
    s = new_session(line_items=[{"price": YEARLY, "quantity": 1}])
    s = stripe.checkout.Session.modify(
        s.id,
        discounts=[
            {
                "coupon_data": {
                    "amount_off": 1500,
                    "currency": "usd",
                    "duration": "once",
                    "name": "Customer Discount",
                }
            }
        ],
        expand=["discounts"],
    )
    assert s.amount_total == 13500
    assert s.total_details.amount_discount == 1500
    coupon = s.discounts[0].coupon
    assert coupon.object == "coupon"
    assert coupon.amount_off == 1500 and coupon.name == "Customer Discount"
    s = stripe.checkout.Session.modify(
        s.id,
        discounts=[{"coupon_data": {"percent_off": 12.5, "duration": "forever"}}],
    )
    assert s.total_details.amount_discount == 1875
    assert isinstance(s.discounts[0].coupon, str)
    s = stripe.checkout.Session.modify(s.id, discounts="")
    assert s.discounts == []
    assert s.amount_total == 15000


@pytest.mark.emulator_only
def test_discounts_by_coupon_id():
    coupon = stripe.Coupon.create(percent_off=20, duration="once", name="Twenty")
    assert coupon.object == "coupon"
    assert stripe.Coupon.retrieve(coupon.id).percent_off == 20
    s = new_session(line_items=[{"price": YEARLY, "quantity": 1}])
    s = stripe.checkout.Session.modify(s.id, discounts=[{"coupon": coupon.id}])
    assert s.total_details.amount_discount == 3000
    s = stripe.checkout.Session.modify(s.id, discounts=[{"coupon": "SANDBOX10"}])
    assert s.total_details.amount_discount == 1500


@pytest.mark.emulator_only
def test_expand_line_item_discounts():
    s = new_session(line_items=[{"price": YEARLY, "quantity": 1}])
    stripe.checkout.Session.modify(s.id, discounts=[{"coupon": "SANDBOX10"}])
    s = stripe.checkout.Session.retrieve(s.id, expand=["line_items.data.discounts"])
    entry = s.line_items.data[0].discounts[0]
    assert entry.amount == 1500
    assert entry.discount.object == "discount"
    assert entry.discount.source.coupon == "SANDBOX10"


def test_trial_period_days_set_and_removed():
    s = new_session()
    stripe.checkout.Session.modify(
        s.id, stripe_version=TRIAL_VERSION, subscription_data={"trial_period_days": 14}
    )
    stripe.checkout.Session.modify(
        s.id, stripe_version=TRIAL_VERSION, subscription_data={"trial_period_days": ""}
    )
    s = new_session(subscription_data={"trial_period_days": 7})
    assert s.status == "open"


def test_shipping_options_in_payment_mode():
    s = payment_session()
    assert s.amount_total == 2000
    s = stripe.checkout.Session.modify(
        s.id,
        shipping_options=[
            {
                "shipping_rate_data": {
                    "display_name": "Ground shipping",
                    "type": "fixed_amount",
                    "fixed_amount": {"amount": 500, "currency": "usd"},
                }
            }
        ],
        expand=["shipping_options.shipping_rate"],
    )
    assert s.amount_total == 2500
    assert s.total_details.amount_shipping == 500
    assert s.shipping_options[0].shipping_amount == 500
    assert s.shipping_options[0].shipping_rate.object == "shipping_rate"
    assert s.shipping_cost.amount_total == 500
    s = stripe.checkout.Session.modify(s.id, shipping_options="")
    assert s.shipping_options == [] and s.amount_total == 2000


def test_shipping_options_rejected_in_subscription_mode():
    s = new_session()
    try:
        stripe.checkout.Session.modify(
            s.id,
            shipping_options=[
                {
                    "shipping_rate_data": {
                        "display_name": "Ground",
                        "fixed_amount": {"amount": 500, "currency": "usd"},
                    }
                }
            ],
        )
    except stripe.InvalidRequestError as e:
        assert e.param == "shipping_options"
        assert e.http_status == 400
    else:
        raise AssertionError("expected InvalidRequestError")
    got = stripe.checkout.Session.retrieve(s.id)
    assert got.shipping_options == [] and got.shipping_cost is None
    # On create too.
    with pytest.raises(stripe.InvalidRequestError) as refused:
        new_session(shipping_options=[rate("Ground", 500)])
    assert refused.value.http_status == 400
    assert refused.value.param == "shipping_options"


def rate(name, amount, days=None):
    """A `shipping_options[]` entry: a fixed-amount rate in usd, with a
    business-day delivery estimate when `days` is `(minimum, maximum)`."""
    data = {
        "display_name": name,
        "type": "fixed_amount",
        "fixed_amount": {"amount": amount, "currency": "usd"},
    }
    if days:
        data["delivery_estimate"] = {
            "minimum": {"unit": "business_day", "value": days[0]},
            "maximum": {"unit": "business_day", "value": days[1]},
        }
    return {"shipping_rate_data": data}


def test_more_than_five_shipping_options_refused():
    six = [rate(f"Rate {i}", 100 * (i + 1)) for i in range(6)]
    with pytest.raises(stripe.InvalidRequestError) as refused:
        inline_payment_session(shipping_options=six)
    assert refused.value.http_status == 400
    assert refused.value.param == "shipping_options"
    s = inline_payment_session()
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.checkout.Session.modify(s.id, shipping_options=six)
    assert refused.value.http_status == 400
    assert refused.value.param == "shipping_options"
    assert stripe.checkout.Session.retrieve(s.id).shipping_options == []
    s = stripe.checkout.Session.modify(s.id, shipping_options=six[:5])
    assert len(s.shipping_options) == 5
    assert s.total_details.amount_shipping == 100
    assert s.amount_total == 3100


def test_update_adds_price_data_item_keeping_another_by_id():
    """The shop's add-on: a price_data item added, one item kept by id (the
    other left out, so removed)."""
    s = inline_payment_session(permissions={"update_line_items": "server_only"})
    assert s.amount_subtotal == 3000
    shirt, socks = items(s.id)
    s = stripe.checkout.Session.modify(
        s.id,
        line_items=[
            {"id": shirt.id, "quantity": 1},
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 500,
                    "product_data": {"name": "Gift wrap"},
                },
                "quantity": 1,
            },
        ],
        expand=["line_items"],
    )
    data = s.line_items.data
    assert data[0].id == shirt.id
    assert socks.id not in [li.id for li in data]
    assert [(li.description, li.quantity, li.amount_subtotal, li.amount_total) for li in data] == [
        ("T-shirt", 1, 2000, 2000),
        ("Gift wrap", 1, 500, 500),
    ]
    assert data[1].price.unit_amount == 500 and data[1].price.currency == "usd"
    assert s.amount_subtotal == 2500
    assert s.amount_total == 2500
    assert s.total_details.amount_discount == 0
    assert s.total_details.amount_shipping == 0


def test_shipping_details_and_options_then_line_items():
    """The shop's shipping step: the address and the options it gives in one
    update; then, as the cart changes, line items and options in one update."""
    s = inline_payment_session(
        shipping_address_collection={"allowed_countries": ["US"]},
        permissions={"update_line_items": "server_only", "update_shipping_details": "server_only"},
    )
    shirt, _ = items(s.id)
    s = stripe.checkout.Session.modify(
        s.id,
        collected_information={"shipping_details": SHIPPING_DETAILS},
        shipping_options=[rate("Standard", 500, (3, 5)), rate("Express", 1500, (1, 2))],
    )
    assert s.collected_information.shipping_details.name == "Ada Lovelace"
    assert [o.shipping_amount for o in s.shipping_options] == [500, 1500]
    standard = s.shipping_options[0].shipping_rate
    assert s.shipping_cost.shipping_rate == standard
    assert s.shipping_cost.amount_total == 500
    assert s.amount_subtotal == 3000
    assert s.total_details.amount_shipping == 500
    assert s.amount_total == 3500
    # The cart changes: three shirts, no socks; shipping is free now.
    s = stripe.checkout.Session.modify(
        s.id,
        line_items=[{"id": shirt.id, "quantity": 3}],
        shipping_options=[rate("Standard", 0, (3, 5)), rate("Express", 1000, (1, 2))],
        expand=["line_items"],
    )
    assert [(li.description, li.quantity, li.amount_subtotal) for li in s.line_items.data] == [
        ("T-shirt", 3, 6000)
    ]
    assert s.shipping_cost.shipping_rate != standard
    assert s.shipping_cost.amount_total == 0
    assert s.amount_subtotal == 6000
    assert s.total_details.amount_shipping == 0
    assert s.amount_total == 6000
    assert s.collected_information.shipping_details.name == "Ada Lovelace"


SHIPPING_DETAILS = {
    "name": "Ada Lovelace",
    "address": {
        "line1": "1 Main St",
        "city": "Springfield",
        "postal_code": "12345",
        "country": "US",
    },
}


def test_shipping_address_collection_and_collected_shipping_details():
    s = inline_payment_session(
        shipping_address_collection={"allowed_countries": ["US", "CA"]},
        permissions={"update_shipping_details": "server_only"},
    )
    assert s.shipping_address_collection.allowed_countries == ["US", "CA"]
    assert s.collected_information is None
    stripe.checkout.Session.modify(
        s.id, collected_information={"shipping_details": SHIPPING_DETAILS}
    )
    got = stripe.checkout.Session.retrieve(s.id)
    assert got.shipping_address_collection.allowed_countries == ["US", "CA"]
    details = got.collected_information.shipping_details
    assert details.name == "Ada Lovelace"
    assert details.address.to_dict() == {
        "city": "Springfield",
        "country": "US",
        "line1": "1 Main St",
        "line2": None,
        "postal_code": "12345",
        "state": None,
    }


def test_shipping_details_and_countries_refused():
    s = inline_payment_session(
        shipping_address_collection={"allowed_countries": ["US"]},
        permissions={"update_shipping_details": "server_only"},
    )
    no_line1 = {"name": "Ada", "address": {"country": "US"}}
    try:
        stripe.checkout.Session.modify(
            s.id, collected_information={"shipping_details": no_line1}
        )
    except stripe.InvalidRequestError as e:
        assert e.http_status == 400
        assert e.code == "parameter_missing"
        assert e.param == "collected_information[shipping_details][address][line1]"
    else:
        raise AssertionError("expected InvalidRequestError")
    assert stripe.checkout.Session.retrieve(s.id).collected_information is None
    try:
        inline_payment_session(shipping_address_collection={"allowed_countries": ["US", "XX"]})
    except stripe.InvalidRequestError as e:
        assert e.http_status == 400
        assert e.param == "shipping_address_collection[allowed_countries][1]"
    else:
        raise AssertionError("expected InvalidRequestError")


def test_metadata_set_and_unset():
    s = new_session(metadata={"a": "1", "b": "2"})
    s = stripe.checkout.Session.modify(s.id, metadata={"a": "", "c": "3"})
    assert s.metadata.to_dict() == {"b": "2", "c": "3"}


def test_permissions_default_client_only():
    s = new_session(permissions={"update_shipping_details": "server_only"})
    assert s.permissions.update_line_items == "client_only"
    try:
        stripe.checkout.Session.modify(s.id, discounts=[{"coupon": "SANDBOX10"}])
    except stripe.InvalidRequestError as e:
        assert e.param == "discounts"
    else:
        raise AssertionError("expected InvalidRequestError")


def test_ui_mode_by_api_version():
    for version in ("2025-03-31.basil", "2025-09-30.clover; checkout_server_update_beta=v1;"):
        s = new_session(stripe_version=version, permissions={})
        assert s.ui_mode == "custom"
    dahlia = "2026-03-25.dahlia; checkout_server_update_beta=v1;"
    s = new_session(stripe_version=dahlia, ui_mode="elements")
    assert s.ui_mode == "elements"
    for version, ui_mode in ((dahlia, "custom"), ("2025-03-31.basil", "elements")):
        try:
            new_session(stripe_version=version, ui_mode=ui_mode, permissions={})
        except stripe.InvalidRequestError as e:
            assert e.param == "ui_mode"
        else:
            raise AssertionError(f"{ui_mode} accepted under {version}")


def test_concurrent_updates_are_serialized():
    s = new_session()

    def put(i):
        return stripe.checkout.Session.modify(s.id, metadata={f"k{i}": str(i)})

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(put, range(16)))
    got = stripe.checkout.Session.retrieve(s.id)
    assert got.metadata.to_dict() == {f"k{i}": str(i) for i in range(16)}
