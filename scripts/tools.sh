# shellcheck shell=bash
# Sourced by scripts/dev.sh and scripts/test.sh: installs, when missing, the
# pinned tools the demo and the tests need, and puts them on PATH. Nothing is
# downloaded except from crates.io, the npm registry and Debian's packages.

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
# The release build minifies the widget's JS with it (the post-build hook);
# the same version bundles bench/react.
ESBUILD_VERSION="0.25.9"
# Semver checks before a release (scripts/release-check.sh only).
SEMVER_CHECKS_VERSION="0.51.0"
# Who owns each byte of the wasm (scripts/bench.sh only).
TWIGGY_VERSION="0.8.0"
TOOLS_DIR="${LSC_TOOLS_DIR:-$HOME/.cache/leptos-stripe-checkout}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# The wasm-bindgen version Cargo.lock resolves (Cargo.toml pins it with `=`).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

ensure_rust() {
  step "Rust toolchain (rust-toolchain.toml) and the wasm32 target"
  rustup show active-toolchain >/dev/null
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    note "wasm32-unknown-unknown: present"
  else
    rustup target add wasm32-unknown-unknown
  fi
}

# A tool from crates.io at its pinned version: installed with
# `cargo install --locked` unless `COMMAND --version` prints LINE.
#   ensure_cargo_tool CRATE VERSION COMMAND LINE "how long it takes"
ensure_cargo_tool() {
  local crate="$1" version="$2" command="$3" line="$4" takes="$5"
  step "$crate $version"
  if [ "$($command --version 2>/dev/null)" = "$line" ]; then
    note "present"
  else
    note "installing from crates.io ($takes on 2 cores)..."
    cargo install --locked "$crate" --version "$version"
  fi
}

ensure_trunk() {
  ensure_cargo_tool trunk "$TRUNK_VERSION" trunk "trunk $TRUNK_VERSION" "about 15 minutes"
}

ensure_semver_checks() {
  ensure_cargo_tool cargo-semver-checks "$SEMVER_CHECKS_VERSION" "cargo semver-checks" \
    "cargo-semver-checks $SEMVER_CHECKS_VERSION" "several minutes"
}

ensure_wasm_bindgen() {
  local version
  version="$(wasm_bindgen_version)"
  step "wasm-bindgen-cli $version (= Cargo.lock)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $version" ] \
    && [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" = "wasm-bindgen-test-runner $version" ]; then
    note "present"
  else
    note "installing from crates.io (about 5 minutes)..."
    # Not --locked: its lockfile wants crate versions this registry lacks.
    cargo install wasm-bindgen-cli --version "$version"
  fi
}

ensure_wasm_opt() {
  step "wasm-opt (npm binaryen@$BINARYEN_VERSION)"
  local dir="$TOOLS_DIR/binaryen-$BINARYEN_VERSION"
  if [ ! -x "$dir/node_modules/.bin/wasm-opt" ]; then
    note "installing into $dir..."
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund "binaryen@$BINARYEN_VERSION"
  else
    note "present"
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
  [ "$(wasm-opt --version)" = "wasm-opt version $BINARYEN_VERSION (version_$BINARYEN_VERSION)" ] || {
    echo "wasm-opt on PATH is not version $BINARYEN_VERSION: $(wasm-opt --version)" >&2
    return 1
  }
}

ensure_esbuild() {
  step "esbuild (npm esbuild@$ESBUILD_VERSION)"
  local dir="$TOOLS_DIR/esbuild-$ESBUILD_VERSION"
  if [ ! -x "$dir/node_modules/.bin/esbuild" ]; then
    note "installing into $dir..."
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund "esbuild@$ESBUILD_VERSION"
  else
    note "present"
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
  [ "$(esbuild --version)" = "$ESBUILD_VERSION" ] || {
    echo "esbuild on PATH is not version $ESBUILD_VERSION: $(esbuild --version)" >&2
    return 1
  }
}

# The size levers of the release artifacts (issue 23; README, "Performance"):
# the demo's and the guides' release builds, the npm package, the bench.
# Callers run them in a subshell, `( use_size_levers; trunk build --release … )`,
# because they export RUSTFLAGS and the toolchain for what follows.
#
# - Stable 1.95: Leptos's `erase_components` cfg (type-erased component
#   boundaries); the wasm linked by scripts/wasm-link.mjs (no wasm-streams
#   stream adapters); scripts/wasm-shrink.mjs runs wasm-opt (its passes,
#   short import and export names).
# - With the pinned nightly, and only for these artifacts: std rebuilt for
#   the wasm (`-Zbuild-std`) with panics that abort at once and carry no
#   message (`panic = "immediate-abort"`) and std's `optimize_for_size`
#   feature, no panic locations (`-Zlocation-detail=none`) and `{:?}`
#   compiled to nothing (`-Zfmt-debug=none`: the widget's texts use Display
#   only).
#
# When the nightly of NIGHTLY_DATE is missing (or SIZE_LEVERS=stable), the
# build falls back to the stable levers and says so. The crates' MSRV, clippy
# and every test stay on stable 1.95 (rust-toolchain.toml).
NIGHTLY_DATE="2026-05-19"
use_size_levers() {
  step "size levers for the release build"
  export RUSTFLAGS="--cfg erase_components"
  # The wasm's linker, scripts/wasm-link.mjs: rust-lld without wasm-streams'
  # stream-adapter exports. Cargo's own setting for the target's linker (an
  # absolute path, which may contain spaces; nothing but the link changes).
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/wasm-link.mjs"
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER
  local toolchain="" candidate version sysroot
  for candidate in "nightly-$NIGHTLY_DATE" nightly; do
    version="$(rustc "+$candidate" --version 2>/dev/null || true)"
    if [[ "$version" == *" $NIGHTLY_DATE)" ]]; then toolchain="$candidate"; break; fi
  done
  if [ "${SIZE_LEVERS:-nightly}" = stable ]; then
    note "SIZE_LEVERS=stable: stable levers only (erase_components, wasm-opt flags)"
    return 0
  fi
  if [ -z "$toolchain" ]; then
    note "no nightly of $NIGHTLY_DATE here (rustc +nightly --version: ${version:-none}):"
    note "falling back to the stable levers only; the wasm is about 15 % larger"
    return 0
  fi
  # std's sources and its dependencies (fetched once: trunk builds offline).
  if ! rustup component add rust-src --toolchain "$toolchain" >/dev/null 2>&1 \
    || ! rustup target add wasm32-unknown-unknown --toolchain "$toolchain" >/dev/null 2>&1 \
    || ! sysroot="$(rustc "+$toolchain" --print sysroot)" \
    || ! cargo "+$toolchain" fetch --manifest-path "$sysroot/lib/rustlib/src/rust/library/Cargo.toml" >/dev/null 2>&1; then
    note "$toolchain lacks rust-src or the wasm32 target and could not add them:"
    note "falling back to the stable levers only; the wasm is about 15 % larger"
    return 0
  fi
  export RUSTUP_TOOLCHAIN="$toolchain"
  export CARGO_UNSTABLE_BUILD_STD="std,panic_abort"
  # std's own size lever: smaller algorithms where it has two (std's
  # Cargo.toml: "optimized for binary size instead of runtime performance").
  # It replaces the default feature, panic-unwind, which immediate-abort
  # panics never use.
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  export CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT=true
  export CARGO_PROFILE_WASM_RELEASE_PANIC=immediate-abort
  export RUSTFLAGS="$RUSTFLAGS -Zlocation-detail=none -Zfmt-debug=none"
  note "$version: build-std (optimize_for_size), immediate-abort panics, no panic locations, no Debug formatting"
}

ensure_chromium() {
  step "Chromium and ChromeDriver (Debian)"
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    note "present: $(chromium --version 2>/dev/null | head -n1)"
  else
    note "installing with apt-get..."
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
  fi
}

# PostgreSQL for the order store's tests (server/tests/store.rs, crash.rs):
# Debian's package; the tests start their own throwaway clusters on
# 127.0.0.1 (the package's own cluster is not used).
ensure_postgres() {
  step "PostgreSQL (Debian)"
  if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    note "present: $(ls /usr/lib/postgresql | sort -V | tail -n1)"
  else
    note "installing with apt-get..."
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  fi
}

# The bench's size report (bench/size-report.mjs) only.
ensure_twiggy() {
  ensure_cargo_tool twiggy "$TWIGGY_VERSION" twiggy "twiggy-opt $TWIGGY_VERSION" "about 2 minutes"
}

ensure_e2e_packages() {
  step "end-to-end test packages (e2e/package-lock.json)"
  if [ -d e2e/node_modules/playwright-core ] && [ -d e2e/node_modules/typescript ]; then
    note "present"
  else
    npm ci --prefix e2e --no-audit --no-fund
  fi
}

ensure_contract_node_packages() {
  step "stripe-node contract suite packages (contract-node/package-lock.json)"
  if [ -f contract-node/node_modules/stripe/package.json ] \
    && [ "$(node -p "require('./contract-node/node_modules/stripe/package.json').version")" \
      = "$(node -p "require('./contract-node/package.json').dependencies.stripe")" ]; then
    note "present"
  else
    npm ci --prefix contract-node --no-audit --no-fund
  fi
}

ensure_node_server_packages() {
  step "Node merchant server packages (examples/node-server/package-lock.json)"
  if [ -f examples/node-server/node_modules/stripe/package.json ] \
    && [ "$(node -p "require('./examples/node-server/node_modules/stripe/package.json').version")" \
      = "$(node -p "require('./examples/node-server/package.json').dependencies.stripe")" ]; then
    note "present"
  else
    npm ci --prefix examples/node-server --no-audit --no-fund
  fi
}

# Trunk: never download, never ask crates.io for updates.
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true

# The Python venv of the official-client contract suite (contract/), at
# target/contract-venv; reinstalled when contract/requirements.txt changes.
ensure_contract_env() {
  step "contract test venv (contract/requirements.txt)"
  local venv="target/contract-venv"
  local stamp="$venv/.requirements.sha256"
  local want
  want="$(sha256sum contract/requirements.txt | cut -d' ' -f1)"
  if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    note "present"
    return 0
  fi
  if [ ! -x "$venv/bin/python" ]; then
    note "creating $venv..."
    python3 -m venv "$venv" || {
      note "python3 -m venv failed; installing python3-venv with apt-get..."
      as_root apt-get update
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
      python3 -m venv "$venv"
    }
  fi
  note "installing contract/requirements.txt from PyPI..."
  "$venv/bin/python" -m pip install --disable-pip-version-check -r contract/requirements.txt
  echo "$want" >"$stamp"
}
