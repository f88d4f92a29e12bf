"""Starts the offline Stripe emulator (the `stripe-sandbox` binary) once per
session and points the official `stripe` library at it."""

import os
import pathlib
import subprocess

import pytest
import stripe

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "debug" / "stripe-sandbox"
API_VERSION = "2025-03-31.basil; checkout_server_update_beta=v1;"
# The version Stripe's "Dynamically update trials" guide names for trial updates.
TRIAL_VERSION = "2025-03-31.preview; checkout_server_update_beta=v1;"
SECRET_KEY = "sk_test_contract"
PUBLISHABLE_KEY = "pk_test_contract"
MONTHLY = "price_sandbox_monthly"
YEARLY = "price_sandbox_yearly"


@pytest.fixture(scope="session")
def sandbox_base():
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
    stripe.api_base = sandbox_base
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
