"""Starts the offline Stripe emulator (the `stripe-sandbox` binary) once per
session and points the official `stripe` library at it.

With `STRIPE_SECRET_KEY=sk_test_…` the same tests run against your Stripe test
account instead (the differential run): tests marked `emulator_only` are
skipped (the Stripe.js stand-in's payment page, deliveries to this machine,
the emulator's pre-seeded coupon and test controls), tests marked `preview`
need `STRIPE_PREVIEW=1` (an account with the dynamic-updates private preview,
`checkout_server_update_beta=v1`), tests marked `catalog` need
`MONTHLY_PRICE_ID` and `YEARLY_PRICE_ID` (two recurring prices, as for the
merchant server). Each skip says why."""

import os
import pathlib
import subprocess

import pytest
import stripe

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "debug" / "stripe-sandbox"
PREVIEW_VERSION = "2025-03-31.basil; checkout_server_update_beta=v1;"
GA_VERSION = "2025-03-31.basil"

REAL_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
ON_STRIPE = bool(REAL_KEY)
if ON_STRIPE and not REAL_KEY.startswith("sk_test_"):
    raise pytest.UsageError("STRIPE_SECRET_KEY must be a test-mode key (sk_test_…)")
PREVIEW = not ON_STRIPE or os.environ.get("STRIPE_PREVIEW") == "1"
# Without the preview, every call uses the GA version (the beta flag would be refused).
API_VERSION = PREVIEW_VERSION if PREVIEW else GA_VERSION
SECRET_KEY = REAL_KEY or "sk_test_contract"
# The version Stripe's "Dynamically update trials" guide names for trial updates.
TRIAL_VERSION = "2025-03-31.preview; checkout_server_update_beta=v1;"
PUBLISHABLE_KEY = "pk_test_contract"
MONTHLY = os.environ.get("MONTHLY_PRICE_ID", "") if ON_STRIPE else "price_sandbox_monthly"
YEARLY = os.environ.get("YEARLY_PRICE_ID", "") if ON_STRIPE else "price_sandbox_yearly"

SKIPS = {
    "emulator_only": (
        ON_STRIPE,
        "emulator only: the Stripe.js stand-in's payment page, deliveries to this machine "
        "(Stripe cannot reach it; forward with `stripe listen`), or the emulator's own "
        "coupon and controls",
    ),
    "preview": (
        not PREVIEW,
        "needs the dynamic-updates private preview (checkout_server_update_beta=v1): "
        "set STRIPE_PREVIEW=1 if your account has it",
    ),
    "catalog": (
        ON_STRIPE and not (MONTHLY and YEARLY),
        "needs MONTHLY_PRICE_ID and YEARLY_PRICE_ID (two recurring prices of your account)",
    ),
}


def pytest_configure(config):
    for name, (_, reason) in SKIPS.items():
        config.addinivalue_line("markers", f"{name}: {reason}")


def pytest_report_header(config):
    if ON_STRIPE:
        return (
            f"contract target: your Stripe test account ({REAL_KEY[:8]}…), "
            f"preview {'on' if PREVIEW else 'off'}"
        )
    return (
        "contract target: the offline emulator "
        "(set STRIPE_SECRET_KEY=sk_test_… to run these tests against Stripe)"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        for name, (skip, reason) in SKIPS.items():
            if skip and item.get_closest_marker(name):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def sandbox_base():
    if ON_STRIPE:
        yield None
        return
    if not BINARY.exists():
        pytest.exit(f"{BINARY} is missing: run `cargo build -p stripe-sandbox` first", 2)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    env.update({"PORT": "0", "HOST": "127.0.0.1", "RUST_LOG": "warn"})
    proc = subprocess.Popen(
        [str(BINARY)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = proc.stdout.readline().strip()
        prefix = "listening on "
        if not line.startswith(prefix):
            raise RuntimeError(f"unexpected first line from the server: {line!r}")
        yield line[len(prefix):]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(autouse=True)
def client(sandbox_base):
    """The global `stripe` configuration every test starts from."""
    stripe.api_key = SECRET_KEY
    stripe.api_base = sandbox_base or "https://api.stripe.com"
    stripe.api_version = API_VERSION
    stripe.max_network_retries = 0
    yield stripe


def new_session(**extra):
    params = dict(
        mode="subscription",
        ui_mode="custom",
        line_items=[{"price": MONTHLY, "quantity": 1}],
        permissions={"update_line_items": "server_only", "update_discounts": "server_only"},
        return_url="http://127.0.0.1:8080/return?session_id={CHECKOUT_SESSION_ID}",
    )
    params.update(extra)
    return stripe.checkout.Session.create(**params)


def payment_session(**extra):
    params = dict(
        mode="payment",
        line_items=[
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 2000,
                    "product_data": {"name": "T-shirt"},
                },
                "quantity": 1,
            }
        ],
    )
    params.update(extra)
    return new_session(**params)


def inline_payment_session(**extra):
    """A payment-mode session with inline prices: needs no catalog on either target."""
    params = dict(
        mode="payment",
        ui_mode="custom",
        return_url="https://example.com/return?session_id={CHECKOUT_SESSION_ID}",
        line_items=[
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 2000,
                    "product_data": {"name": "T-shirt"},
                },
                "quantity": 1,
            },
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 500,
                    "product_data": {"name": "Socks"},
                },
                "quantity": 2,
            },
        ],
    )
    params.update(extra)
    return stripe.checkout.Session.create(**params)
