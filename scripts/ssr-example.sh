#!/usr/bin/env bash
# The SSR + hydration example (examples/ssr): an axum server renders the
# checkout page with the widget (Leptos `ssr`), the browser hydrates it
# (`hydrate`). Two plain cargo builds and wasm-bindgen, no extra tool:
#
#   ./scripts/ssr-example.sh          # build, then run on http://127.0.0.1:3000
#   ./scripts/ssr-example.sh build    # build only (the test command does this)
#
# The browser half is a debug build, so that a hydration mismatch is reported
# in the console by name (a release build only traps); see README, "Install".
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

ensure_rust
ensure_wasm_bindgen

SITE="${SSR_SITE_DIR:-target/ssr-site}"

step "examples/ssr: the browser half (wasm32, --features hydrate)"
cargo build -p checkout-ssr-example --lib --target wasm32-unknown-unknown --features hydrate
rm -rf "$SITE/pkg"
mkdir -p "$SITE/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$SITE/pkg" \
  target/wasm32-unknown-unknown/debug/checkout_ssr_example.wasm
cp examples/ssr/hydrate.js "$SITE/pkg/"
cp assets/favicon.svg "$SITE/"

step "examples/ssr: the server half (--features ssr)"
cargo build -p checkout-ssr-example --features ssr

if [ "${1:-run}" = run ]; then
  step "examples/ssr: serving on http://${HOST:-127.0.0.1}:${PORT:-3000} (Ctrl-C stops)"
  SSR_SITE_DIR="$SITE" exec target/debug/checkout-ssr-example
fi
