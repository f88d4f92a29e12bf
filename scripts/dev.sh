#!/usr/bin/env bash
# Runs the demo on http://127.0.0.1:8080: checkout-server (`--emulator`, the
# offline emulator, unless STRIPE_SECRET_KEY is set) serves the merchant endpoints and
# the widget that `trunk watch` builds into target/dev-dist (a change
# rebuilds it; reload the page). One origin, so no proxy. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

ensure_rust
ensure_trunk
ensure_wasm_bindgen
ensure_wasm_opt
ensure_esbuild

DIST=target/dev-dist
PORT="${PORT:-8080}"

step "building checkout-server and the widget (trunk build)"
cargo build -p checkout-server
trunk build --dist "$DIST"

step "starting checkout-server on 127.0.0.1:$PORT"
# The emulator is asked for, unless you set your Stripe keys; the orders go
# to a SQLite file under target/ unless DATABASE_URL says otherwise.
mode_flag=(--emulator)
if [ -n "${STRIPE_SECRET_KEY:-}" ]; then mode_flag=(); fi
PORT="$PORT" STATIC_DIR="$DIST" DATABASE_URL="${DATABASE_URL:-sqlite://target/dev-data/checkout.db}" \
  target/debug/checkout-server "${mode_flag[@]}" &
server_pid=$!
watch_pid=""
stop() {
  trap - EXIT INT TERM
  kill $watch_pid "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "checkout-server failed to start" >&2; exit 1; fi
  sleep 0.2
done

step "open http://127.0.0.1:$PORT (trunk watch rebuilds on change; Ctrl-C stops both)"
trunk watch --dist "$DIST" &
watch_pid=$!
wait "$watch_pid"
