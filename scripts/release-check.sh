#!/usr/bin/env bash
# Before a release (not part of the test command: it needs the crates.io
# index and a baseline tag):
#   1. the two published crates package and build as crates.io would see them;
#   2. the npm package packs cleanly;
#   3. the public API changed only as the new version says (cargo-semver-checks
#      against the previous release tag, `v*`, or BASELINE_REV).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
ensure_rust

step "cargo publish --dry-run -p checkout-protocol -p leptos-stripe-checkout"
# One command for both: the widget depends on checkout-protocol, which cargo
# then takes from the same dry run instead of crates.io.
cargo publish --dry-run -p checkout-protocol -p leptos-stripe-checkout

if [ -x scripts/npm-package.sh ]; then
  step "npm pack --dry-run (the package built by scripts/npm-package.sh)"
  scripts/npm-package.sh
  (cd target/npm/leptos-stripe-checkout && npm pack --dry-run)
fi

baseline="${BASELINE_REV:-$(git describe --tags --abbrev=0 --match 'v*' 2>/dev/null || true)}"
if [ -z "$baseline" ]; then
  step "semver"
  note "no release tag (v*) yet: nothing to compare against; the first release sets the baseline"
else
  ensure_semver_checks
  step "cargo semver-checks against $baseline"
  cargo semver-checks -p checkout-protocol -p leptos-stripe-checkout --baseline-rev "$baseline"
fi
step "ready to release"
