#!/usr/bin/env bash
# Runs the demo: checkout-server (sandbox unless STRIPE_SECRET_KEY is set) on
# 127.0.0.1:4242 and `trunk serve` on http://127.0.0.1:8080. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

ensure_rust
ensure_trunk
ensure_wasm_bindgen
ensure_wasm_opt
ensure_esbuild

step "building checkout-server"
cargo build -p checkout-server

step "starting checkout-server on 127.0.0.1:4242"
target/debug/checkout-server &
server_pid=$!
trunk_pid=""
stop() {
  trap - EXIT INT TERM
  kill $trunk_pid "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM
for _ in $(seq 1 100); do
  if curl -fsS http://127.0.0.1:4242/config >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "checkout-server failed to start" >&2; exit 1; fi
  sleep 0.2
done

step "trunk serve: open http://127.0.0.1:8080 (Ctrl-C stops both)"
trunk serve &
trunk_pid=$!
wait "$trunk_pid"
