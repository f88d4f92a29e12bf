#!/usr/bin/env bash
# Runs the demo on http://127.0.0.1:8080: checkout-server (`--emulator`, the
# offline emulator, unless STRIPE_SECRET_KEY is set) serves the merchant endpoints and
# the widget that `trunk watch` builds into target/dev-dist (a change
# rebuilds it; reload the page). One origin, so no proxy. Beside it, on
# http://127.0.0.1:8081 (PORT + 1), the shop page (examples/shop: payment
# mode, shipping and an add-on), built once into target/dev-shop-dist and
# served by a second checkout-server on examples/shops/goods.toml (with
# Stripe keys it runs only when SHOP_CATALOGUE names a catalogue of your
# own prices: the example's do not exist in your account).
# Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

ensure_rust
ensure_trunk
ensure_wasm_bindgen
ensure_wasm_opt
ensure_esbuild

DIST=target/dev-dist
SHOP_DIST=target/dev-shop-dist
PORT="${PORT:-8080}"
SHOP_PORT=$((PORT + 1))

step "building checkout-server and the widget (trunk build)"
cargo build -p checkout-server
trunk build --dist "$DIST"
trunk build examples/shop/index.html --dist "$SHOP_DIST"

step "starting checkout-server on 127.0.0.1:$PORT"
# The emulator is asked for, unless you set your Stripe keys; the orders go
# to a SQLite file under target/ unless DATABASE_URL says otherwise.
mode_flag=(--emulator)
if [ -n "${STRIPE_SECRET_KEY:-}" ]; then mode_flag=(); fi
PORT="$PORT" STATIC_DIR="$DIST" DATABASE_URL="${DATABASE_URL:-sqlite://target/dev-data/checkout.db}" \
  target/debug/checkout-server "${mode_flag[@]}" &
server_pid=$!
shop_pid=""
if [ -z "${STRIPE_SECRET_KEY:-}" ] || [ -n "${SHOP_CATALOGUE:-}" ]; then
  PORT="$SHOP_PORT" STATIC_DIR="$SHOP_DIST" \
    CHECKOUT_CATALOGUE="${SHOP_CATALOGUE:-examples/shops/goods.toml}" \
    DATABASE_URL="${SHOP_DATABASE_URL:-sqlite://target/dev-data/shop.db}" \
    target/debug/checkout-server "${mode_flag[@]}" &
  shop_pid=$!
fi
watch_pid=""
stop() {
  trap - EXIT INT TERM
  kill $watch_pid "$server_pid" $shop_pid 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM
for port_pid in "$PORT:$server_pid" ${shop_pid:+"$SHOP_PORT:$shop_pid"}; do
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:${port_pid%%:*}/readyz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "${port_pid##*:}" 2>/dev/null; then echo "checkout-server failed to start" >&2; exit 1; fi
    sleep 0.2
  done
done

step "open http://127.0.0.1:$PORT, and the shop on http://127.0.0.1:$SHOP_PORT (trunk watch rebuilds the first on change; Ctrl-C stops all)"
trunk watch --dist "$DIST" &
watch_pid=$!
wait "$watch_pid"
