#!/usr/bin/env bash
# Try the Node merchant server offline: starts the emulator (stripe-sandbox,
# built if missing) and the server in emulator mode, on the demo catalogue
# or CHECKOUT_CATALOGUE. Open the printed address; pay with 4242 4242 4242 4242.
#
#   examples/node-server/run.sh                     # the demo shop on :4242
#   CHECKOUT_CATALOGUE=examples/shops/coffee.toml PORT=4300 examples/node-server/run.sh
#
# The page loads the widget's npm package from WIDGET_DIR (default
# target/npm/leptos-stripe-checkout: build it with scripts/npm-package.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
catalogue="$(realpath "${CHECKOUT_CATALOGUE:-catalogue/demo.toml}")"

if [ ! -x target/debug/stripe-sandbox ]; then
  echo "building the emulator (cargo build -p stripe-sandbox)…" >&2
  cargo build -p stripe-sandbox
fi
if [ ! -d "$here/node_modules/stripe" ]; then
  npm ci --prefix "$here" --no-audit --no-fund
fi
if [ ! -f "${WIDGET_DIR:-target/npm/leptos-stripe-checkout}/leptos_stripe_checkout.js" ]; then
  echo "note: no widget package at ${WIDGET_DIR:-target/npm/leptos-stripe-checkout}: run scripts/npm-package.sh for the page (the API works without it)" >&2
fi

log="$(mktemp)"
HOST=127.0.0.1 PORT="${SANDBOX_PORT:-0}" CHECKOUT_CATALOGUE="$catalogue" RUST_LOG=warn \
  target/debug/stripe-sandbox >"$log" &
sandbox=$!
server=""
stop() { kill $server "$sandbox" 2>/dev/null || true; rm -f "$log"; }
trap stop EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 200); do
  grep -q 'listening on' "$log" && break
  kill -0 "$sandbox" 2>/dev/null || { echo "the emulator did not start" >&2; exit 1; }
  sleep 0.05
done
api="$(grep -o 'http://[^ ]*' "$log" | head -1)"
echo "emulator: $api" >&2

cd "$here"
CHECKOUT_MODE=emulator STRIPE_API_BASE="$api" CHECKOUT_CATALOGUE="$catalogue" \
  PORT="${PORT:-4242}" node server.mjs &
server=$!
wait "$server"
