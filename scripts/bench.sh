#!/usr/bin/env bash
# Benchmarks (issue 6): builds release versions and prints one markdown table
# (also written to target/bench/report.md). Not a test: nothing here fails on
# a number. See README.md, "Performance".
#
#   ./scripts/bench.sh                 # the committed HEAD, full run
#   BENCH_TREE=worktree ./scripts/bench.sh   # the working tree instead
#   BENCH_SESSIONS=100000 BENCH_TOGGLES=200 ./scripts/bench.sh   # see bench/run.mjs
#   BENCH_ONLY=soak ./scripts/bench.sh  # only the server and the slow-client soak (bench/soak.mjs)
#   BENCH_ONLY=pages ./scripts/bench.sh # only the pages: sizes, size report, interaction, start-up
#   SOAK_SLOW=500 SOAK_SECONDS=30 ./scripts/bench.sh   # see bench/soak.mjs
#
# The widget and the server are built from a snapshot of HEAD under
# target/bench/src (other people's uncommitted edits neither break nor skew
# the figures) into their own cargo target dir, target/bench/cargo: the first
# run compiles everything (several minutes), later runs only what changed.
set -euo pipefail
report_args=()
cd "$(dirname "$0")/.."
ROOT="$PWD"
# shellcheck source=scripts/tools.sh
. scripts/tools.sh

BENCH_DIR="$ROOT/target/bench"
mkdir -p "$BENCH_DIR"

ONLY="${BENCH_ONLY:-all}"
case "$ONLY" in all | soak | pages) ;; *) echo "BENCH_ONLY must be all, soak or pages" >&2; exit 2 ;; esac
# Whether the pages are built and measured.
pages() { [ "$ONLY" != soak ]; }

ensure_rust
if pages; then
ensure_trunk
ensure_wasm_bindgen
ensure_wasm_opt
ensure_esbuild
ensure_chromium
ensure_e2e_packages
ensure_twiggy

step "wrk (Debian)"
if command -v wrk >/dev/null; then
  note "present"
else
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk
fi
command -v ss >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y iproute2

step "React baseline packages (bench/react/package-lock.json)"
if [ -x bench/react/node_modules/.bin/esbuild ]; then
  note "present"
else
  npm ci --prefix bench/react --no-audit --no-fund
fi
fi

if [ "${BENCH_TREE:-head}" = worktree ]; then
  SRC="$ROOT"
  step "sources: the working tree"
else
  SRC="$BENCH_DIR/src"
  # Only what the two builds read; the key changes when any of it does.
  inputs=(Cargo.toml Cargo.lock rust-toolchain.toml Trunk.toml index.html LICENSE-MIT LICENSE-APACHE src style assets examples scripts protocol sandbox listener server catalogue bench/leptos-floor)
  key="$(git ls-tree HEAD -- "${inputs[@]}" | sha1sum | cut -d' ' -f1)"
  step "sources: snapshot of HEAD $(git rev-parse --short HEAD) (build inputs $key)"
  if [ "$(cat "$SRC/.bench-key" 2>/dev/null)" = "$key" ]; then
    note "up to date"
  else
    rm -rf "$SRC" && mkdir -p "$SRC"
    git archive HEAD -- "${inputs[@]}" | tar -x -C "$SRC"
    echo "$key" >"$SRC/.bench-key"
  fi
fi
export CARGO_TARGET_DIR="$BENCH_DIR/cargo"

if pages; then
# The pages are measured as merchants get them: with the size levers
# (scripts/tools.sh). The server below is built on stable, without them.
(
use_size_levers
step "widget: trunk build --release"
(cd "$SRC" && trunk build --release --dist "$BENCH_DIR/widget")
# cargo's wasm of the full demo, before the builds without a feature replace it.
mkdir -p "$BENCH_DIR/unbound"
cp "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/leptos-stripe-checkout.wasm" "$BENCH_DIR/unbound/"

step "the guides' page: trunk build examples/guides/index.html --release (switch, discount, status, summary only)"
(cd "$SRC" && trunk build examples/guides/index.html --release --public-url /guides/ --dist "$BENCH_DIR/guides")

# What each optional feature costs: the demo built without it.
for feature in embed payment trial quantity locales; do
  rest="$(printf '%s\n' csr embed payment trial quantity locales | grep -vx "$feature" | paste -sd, -)"
  step "the demo without \`$feature\`: trunk build --release, features $rest"
  # index.html names its features (data-cargo-features="csr"), which trunk
  # prefers to its command line: build a copy that names these instead.
  sed "s/data-cargo-features=\"csr\"/data-cargo-no-default-features data-cargo-features=\"$rest\"/" \
    "$SRC/index.html" >"$SRC/index-without-$feature.html"
  grep -q "data-cargo-features=\"$rest\"" "$SRC/index-without-$feature.html"
  (cd "$SRC" && trunk build "index-without-$feature.html" --release --dist "$BENCH_DIR/features/$feature")
done

step "Leptos floor: trunk build --release (bench/leptos-floor, one switch)"
(cd "$SRC/bench/leptos-floor" && trunk build --release --dist "$BENCH_DIR/floor")
)

# The size report (bench/size-report.mjs): the same wasm as each page's, run
# through wasm-bindgen and scripts/wasm-shrink.mjs's passes again with the
# function names kept (-g), so that twiggy can name each function's owner.
step "size report: names-kept copies of the guides' page, the demo and the Leptos floor"
named="$BENCH_DIR/named"
rm -rf "$named" && mkdir -p "$named"
for pair in "guides' page=$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/guides.wasm" \
  "full demo=$BENCH_DIR/unbound/leptos-stripe-checkout.wasm" \
  "Leptos floor=$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/leptos-floor.wasm"; do
  label="${pair%%=*}" wasm="${pair#*=}" name="$(basename "${pair#*=}" .wasm)"
  if [ ! -f "$wasm" ]; then note "missing: $wasm"; continue; fi
  wasm-bindgen --target web --no-typescript --out-dir "$named/$name" "$wasm"
  node "$SRC/scripts/wasm-shrink.mjs" "$named/$name/${name}_bg.wasm" "$named/$name/$name.js" --keep-names
  cp "$named/$name/${name}_bg.wasm" "$named/$name.wasm"
  report_args+=("$label=$named/$name.wasm")
done
fi

step "server and emulator: cargo build --release -p checkout-server -p stripe-sandbox"
(cd "$SRC" && cargo build --release -p checkout-server -p stripe-sandbox)

if pages; then
step "baselines: plain JS and React (esbuild, production)"
rm -rf "$BENCH_DIR/plain" && cp -r bench/plain "$BENCH_DIR/plain"
node bench/react/build.mjs "$BENCH_DIR/react"
node bench/react/build.mjs "$BENCH_DIR/react-summary" --summary

step "measuring (a few minutes)"
BENCH_DIR="$BENCH_DIR" BENCH_SERVER="$CARGO_TARGET_DIR/release/checkout-server" BENCH_ONLY="$ONLY" node bench/run.mjs

step "who owns each byte (bench/size-report.mjs, twiggy)"
{
  printf '\n#### Size report: raw bytes of each wasm by owner\n\n'
  node bench/size-report.mjs "${report_args[@]}"
} | tee -a "$BENCH_DIR/report.md"
fi

if [ "$ONLY" = all ]; then

step "production-like load: 1,000 customers, Stripe-like latency, a burst at twice the rate limit"
BENCH_SERVER="$CARGO_TARGET_DIR/release/checkout-server" BENCH_SANDBOX="$CARGO_TARGET_DIR/release/stripe-sandbox" \
  node bench/load.mjs | tee -a "$BENCH_DIR/report.md"

step "one bot against customers: the per-client limit off, then on (bench/bot.mjs, loopback, bounded)"
BENCH_SERVER="$CARGO_TARGET_DIR/release/checkout-server" BENCH_SANDBOX="$CARGO_TARGET_DIR/release/stripe-sandbox" \
  node bench/bot.mjs | tee -a "$BENCH_DIR/report.md"

step "consistency design: Stripe calls and latency per update under Stripe-like delays"
# e2e/harness.mjs reads E2E_SERVER as it is imported, before the script runs.
E2E_SERVER="$CARGO_TARGET_DIR/release/checkout-server" BENCH_SERVER="$CARGO_TARGET_DIR/release/checkout-server" \
  node bench/consistency.mjs | tee -a "$BENCH_DIR/report.md"
fi
if [ "$ONLY" = soak ]; then
: >"$BENCH_DIR/report.md"
fi

if [ "$ONLY" != pages ]; then
step "slow-client soak (bench/soak.mjs, loopback, bounded)"
BENCH_REPORT="$BENCH_DIR/report.md" node bench/soak.mjs "$CARGO_TARGET_DIR/release/checkout-server"
fi
note "written to target/bench/report.md"
