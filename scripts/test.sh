#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (host and wasm32), the server
# and unit tests, the component tests in headless Chromium, and the
# end-to-end tests against the release build. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

ensure_rust
ensure_trunk
ensure_wasm_bindgen
ensure_wasm_opt
ensure_chromium
ensure_e2e_packages
ensure_contract_env

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (host, all targets)"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy (wasm32, widget)"
cargo clippy -p leptos-stripe-checkout --target wasm32-unknown-unknown --all-targets -- -D warnings

step "cargo doc (warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p leptos-stripe-checkout --target wasm32-unknown-unknown
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p checkout-server -p stripe-sandbox -p checkout-protocol -p checkout-listener --features checkout-protocol/serde

step "checkout-server without the emulator (--no-default-features)"
cargo clippy -p checkout-server --no-default-features --all-targets -- -D warnings

step "ssr feature builds without browser APIs"
cargo clippy -p leptos-stripe-checkout --no-default-features --features ssr -- -D warnings

step "server and unit tests (host)"
cargo test --workspace

step "emulator contract suite (official stripe-python client against stripe-sandbox)"
cargo build -p stripe-sandbox
PYTHONDONTWRITEBYTECODE=1 target/contract-venv/bin/python -m pytest contract -q

step "component tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER="$(command -v chromedriver)" \
  cargo test -p leptos-stripe-checkout --target wasm32-unknown-unknown

step "release build (trunk build --release)"
trunk build --release --dist target/e2e-dist

step "checkout-server build"
cargo build -p checkout-server

step "end-to-end tests in headless Chromium"
(cd e2e && node --test --test-concurrency=1)

step "all tests passed"
