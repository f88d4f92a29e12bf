#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (host and wasm32), the server
# and unit tests (PostgreSQL from Debian's package for the order store), the component tests in headless Chromium, and the
# end-to-end tests against the release build. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

ensure_rust
ensure_trunk
ensure_wasm_bindgen
ensure_wasm_opt
ensure_esbuild
ensure_chromium
ensure_postgres
ensure_e2e_packages
ensure_contract_env
ensure_contract_node_packages
ensure_node_server_packages

step "cargo fmt --check"
cargo fmt --all -- --check

step "no module cycle in any crate's non-test code (scripts/module-cycles.py)"
python3 scripts/module-cycles.py src server/src sandbox/src listener/src protocol/src conformance/src

step "clippy (host, all targets)"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy (wasm32, widget and its tests: the full build plus the shop's parts, --features csr,shop)"
cargo clippy -p leptos-stripe-checkout --target wasm32-unknown-unknown --features csr,shop --all-targets -- -D warnings

step "clippy (wasm32, the guides' four controls only: --no-default-features --features csr)"
cargo clippy -p leptos-stripe-checkout --target wasm32-unknown-unknown --no-default-features --features csr -- -D warnings

step "clippy (wasm32, the shop's parts: --features csr,shop; and shipping, add-ons alone)"
cargo clippy -p leptos-stripe-checkout --target wasm32-unknown-unknown --no-default-features --features csr,shop --bin shop -- -D warnings
cargo clippy -p leptos-stripe-checkout --target wasm32-unknown-unknown --no-default-features --features csr,shipping -- -D warnings
cargo clippy -p leptos-stripe-checkout --target wasm32-unknown-unknown --no-default-features --features csr,add-ons -- -D warnings

step "cargo doc (warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p leptos-stripe-checkout --target wasm32-unknown-unknown
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p checkout-server -p stripe-sandbox -p checkout-protocol -p checkout-listener --features checkout-protocol/serde
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p checkout-conformance

step "checkout-server without the emulator (--no-default-features)"
cargo clippy -p checkout-server --no-default-features --all-targets -- -D warnings
cargo clippy -p checkout-server --features crash-points --all-targets -- -D warnings

step "ssr feature builds without browser APIs"
cargo clippy -p leptos-stripe-checkout --no-default-features --features ssr -- -D warnings
cargo clippy -p leptos-stripe-checkout --no-default-features --features ssr,full -- -D warnings
cargo clippy -p leptos-stripe-checkout --no-default-features --features ssr,shop -- -D warnings

step "the published crate holds the library, its stylesheet and docs, nothing else"
package_list="$(cargo package -p leptos-stripe-checkout --list --allow-dirty)"
unexpected="$(grep -vxE 'src/([a-z_]+/)?[a-z_]+\.rs|style/checkout\.css|docs/merchant-api\.openapi\.json|README\.md|CHANGELOG\.md|LICENSE-(MIT|APACHE)|Cargo\.(toml|toml\.orig|lock)|\.cargo_vcs_info\.json' <<<"$package_list" || true)"
if [ -n "$unexpected" ]; then echo "unexpected files in the package: $unexpected" >&2; exit 1; fi
grep -qx 'src/lib.rs' <<<"$package_list"
grep -qx 'style/checkout.css' <<<"$package_list"
grep -qx 'docs/merchant-api.openapi.json' <<<"$package_list"
grep -qx 'LICENSE-MIT' <<<"$package_list"
grep -qx 'LICENSE-APACHE' <<<"$package_list"
if grep -qx 'src/main.rs' <<<"$package_list"; then echo "the demo binary is in the package" >&2; exit 1; fi

step "server and unit tests (host; the order store on SQLite and on a throwaway PostgreSQL)"
cargo test --workspace

step "the widget's unit tests with the shop's parts (host, --features shop: their labels in every locale)"
cargo test -p leptos-stripe-checkout --lib --features shop

step "kill -9 at each step of fulfilment, on SQLite and PostgreSQL (feature crash-points)"
cargo test -p checkout-server --features crash-points --test crash

# The contract suites target the emulator here (STRIPE_* unset); the
# differential run against a Stripe test account is the step after them.
no_stripe_env() { env $(env | sed -n 's/^\(STRIPE_[A-Z_]*\)=.*/-u \1/p') "$@"; }

step "emulator contract suite (official stripe-python client against stripe-sandbox)"
cargo build -p stripe-sandbox
no_stripe_env PYTHONDONTWRITEBYTECODE=1 target/contract-venv/bin/python -m pytest contract -q

step "emulator contract suite (official stripe-node client against stripe-sandbox)"
(cd contract-node && no_stripe_env node --test --test-concurrency=1)

step "both contract suites against your Stripe test account (differential)"
if [ -n "${STRIPE_SECRET_KEY:-}" ]; then
  PYTHONDONTWRITEBYTECODE=1 target/contract-venv/bin/python -m pytest contract -q -rs
  (cd contract-node && node --test --test-concurrency=1)
else
  note "skipped: STRIPE_SECRET_KEY is not set. Set it to a sk_test_ key (and STRIPE_PREVIEW=1,"
  note "MONTHLY_PRICE_ID, YEARLY_PRICE_ID for the preview and catalog tests) to run both"
  note "suites against Stripe; see README, \"Checking the emulator against Stripe\"."
fi

# `cargo test --workspace` ran the suite against checkout-server in-process;
# this runs the binaries as a merchant would (README: "Checking your server").
# conformance_run NAME [VAR=value…]: starts `checkout-server --emulator` with
# the given environment (output in target/conformance-NAME.{out,log}), runs
# checkout-conformance against it, stops it, exits with the suite's status
# when it failed.
conformance_run() {
  local name="$1"
  shift
  local out="target/conformance-$name.out" log="target/conformance-$name.log"
  : >"$out"
  # `env` (not the no_stripe_env function, whose subshell would be the job):
  # $! is the server's own pid, which `kill` below stops.
  env $(env | sed -n 's/^\(STRIPE_[A-Z_]*\)=.*/-u \1/p') PORT=0 HOST=127.0.0.1 \
    DATABASE_URL=sqlite::memory: RUST_LOG=warn "$@" \
    target/debug/checkout-server --emulator >"$out" 2>"$log" &
  local pid=$!
  local base=""
  # Up to 60 s for the first line (it comes once the store is migrated).
  for _ in $(seq 600); do
    base="$(sed -n 's/^listening on //p' "$out")"
    [ -n "$base" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$base" ]; then
    kill "$pid" 2>/dev/null || true
    echo "checkout-server did not start ($log)" >&2; exit 1
  fi
  local status=0
  target/debug/checkout-conformance --base-url "$base" --stripe-url "$base" || status=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$status" -eq 0 ] || exit "$status"
}

step "merchant conformance suite: checkout-conformance against the checkout-server binary (--emulator)"
cargo build -p checkout-server -p checkout-conformance
conformance_run server

step "merchant conformance suite, the shop's checks: checkout-server --emulator on CHECKOUT_CATALOGUE=examples/shops/goods.toml"
conformance_run goods CHECKOUT_CATALOGUE=examples/shops/goods.toml

step "component tests in headless Chromium (wasm-bindgen-test; the full build plus the shop's parts)"
CHROMEDRIVER="$(command -v chromedriver)" \
  cargo test -p leptos-stripe-checkout --target wasm32-unknown-unknown --features csr,shop

# The e2e suite runs against the build merchants get: the size levers
# (scripts/tools.sh, use_size_levers) in a subshell, so that what follows is
# built on stable as before.
step "release build (trunk build --release, with the size levers)"
(use_size_levers && trunk build --release --dist target/e2e-dist)

step "the guides' page, size-focused (trunk build examples/guides/index.html --release, with the size levers)"
(use_size_levers && trunk build examples/guides/index.html --release --dist target/guides-dist)

step "the shop page: payment mode, shipping and an add-on (trunk build examples/shop/index.html --release, with the size levers)"
(use_size_levers && trunk build examples/shop/index.html --release --dist target/shop-dist)

step "debug build, as scripts/dev.sh builds it (trunk build, no --release)"
trunk build --dist target/e2e-debug-dist

step "npm package and its example page (scripts/npm-package.sh; npm pack --dry-run must not warn)"
npm_started=$SECONDS
scripts/npm-package.sh
note "npm package and example: $((SECONDS - npm_started)) s"

step "checkout-server build"
cargo build -p checkout-server

step "the Node merchant server (examples/node-server): differential against checkout-server on the emulator, and the conformance suite"
cargo build -p stripe-sandbox -p checkout-conformance
(cd examples/node-server && no_stripe_env node --test --test-concurrency=1)

step "the SSR + hydration example (examples/ssr): clippy, then both halves built"
cargo clippy -p checkout-ssr-example --features ssr -- -D warnings
cargo clippy -p checkout-ssr-example --lib --target wasm32-unknown-unknown --features hydrate -- -D warnings
./scripts/ssr-example.sh build

step "end-to-end tests in headless Chromium"
(cd e2e && node --test --test-concurrency=1)

step "all tests passed"
