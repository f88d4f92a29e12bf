#!/usr/bin/env bash
# Builds the npm package of the widget, for pages that are not Leptos apps:
#
#   target/npm/leptos-stripe-checkout/          the package directory
#   target/npm/leptos-stripe-checkout-X.Y.Z.tgz  the same, packed (npm pack)
#   target/npm-example-dist/                    examples/npm/ bundled with esbuild
#                                               against the packed package
#
# The wasm is the library crate (not the demo binary Trunk builds: its
# main() would mount the demo into any `#app`) as a cdylib, with every
# feature (`csr` and `full`: embed, payment, trial, quantity, locales), in
# the `wasm-release` profile the Trunk release build uses, so its compiled
# dependencies are reused. Then, as the release build does: wasm-bindgen
# (`--target web`, with the TypeScript types the Rust side declares,
# src/embed.rs), wasm-opt and short import/export names (scripts/wasm-shrink.mjs), esbuild --minify.
#
# Checks: the generated .d.ts types mount(), its options and its handle;
# `npm pack --dry-run` prints no warning. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

ensure_rust
ensure_wasm_bindgen
ensure_wasm_opt
ensure_esbuild

name=leptos_stripe_checkout
out=target/npm/leptos-stripe-checkout
example=target/npm/example
example_dist=target/npm-example-dist
wasm=target/wasm32-unknown-unknown/wasm-release/$name.wasm

step "npm package: the library crate as a cdylib (wasm-release, features csr,full)"
(
  use_size_levers
  cargo rustc -p leptos-stripe-checkout --lib --crate-type cdylib \
    --target wasm32-unknown-unknown --profile wasm-release \
    --no-default-features --features csr,full
)

step "npm package: wasm-bindgen --target web, wasm-opt, esbuild into $out"
rm -rf "$out" "$example" "$example_dist" target/npm/leptos-stripe-checkout-*.tgz
mkdir -p "$out"
wasm-bindgen --target web --typescript --out-dir "$out" --out-name "$name" "$wasm"
# The wasm's own exports' types (InitOutput in the .d.ts already has them).
rm -f "$out/${name}_bg.wasm.d.ts"
# wasm-opt's passes and short import/export names, the glue minified to match.
node scripts/wasm-shrink.mjs "$out/${name}_bg.wasm" "$out/$name.js"
esbuild assets/checkout-start.js --minify --format=esm --target=es2022 --log-level=warning \
  --outfile="$out/start.js"
cp npm/start.d.ts npm/README.md "$out/"
cp style/checkout.css "$out/checkout.css"
# The merchant endpoints' contract (OpenAPI 3.1, generated from checkout-protocol).
cp docs/merchant-api.openapi.json "$out/merchant-api.openapi.json"
# The licence texts, when the repository has them.
for file in LICENSE LICENSE-MIT LICENSE-APACHE; do
  if [ -f "$file" ]; then cp "$file" "$out/"; fi
done

# The types come from the Rust side (src/embed.rs: MOUNT_OPTIONS_TS and the
# parameter types of mount()); a host test checks them against the serde types.
dts="$out/$name.d.ts"
for want in \
  'export function mount(element: HTMLElement, options?: MountOptions): EmbeddedCheckout;' \
  'export interface MountOptions {' \
  'export interface MountLabels {' \
  'export type MountControl = ' \
  'unmount(): void;' \
  'export default function __wbg_init'; do
  grep -qF -- "$want" "$dts" || { echo "npm package: $dts lacks: $want" >&2; exit 1; }
done

for file in "$out/${name}_bg.wasm" "$out/$name.js" "$out/start.js" "$out/checkout.css"; do
  note "$(basename "$file"): $(stat -c %s "$file") bytes, gzip -9 $(gzip -9c "$file" | wc -c) bytes"
done

step "npm package: package.json (name, version and licence from Cargo.toml)"
cargo metadata --no-deps --format-version 1 | node --input-type=module -e '
  import { readFileSync, writeFileSync, readdirSync } from "node:fs";
  const out = process.argv[1];
  const name = process.argv[2];
  const crate = JSON.parse(readFileSync(0, "utf8")).packages
    .find((p) => p.name === "leptos-stripe-checkout");
  const licences = readdirSync(out).filter((f) => f.startsWith("LICENSE"));
  const pkg = {
    name: "leptos-stripe-checkout",
    version: crate.version,
    description: "A Stripe Checkout widget (Checkout Sessions, custom UI, dynamic updates) for any page: mount(element, options). WebAssembly, built from the leptos-stripe-checkout crate.",
    license: crate.license,
    ...(crate.repository ? { repository: { type: "git", url: crate.repository } } : {}),
    keywords: ["stripe", "checkout", "wasm", "leptos"],
    type: "module",
    main: `./${name}.js`,
    types: `./${name}.d.ts`,
    exports: {
      ".": { types: `./${name}.d.ts`, default: `./${name}.js` },
      "./start": { types: "./start.d.ts", default: "./start.js" },
      "./checkout.css": "./checkout.css",
      "./merchant-api.openapi.json": "./merchant-api.openapi.json",
      [`./${name}_bg.wasm`]: `./${name}_bg.wasm`,
      "./package.json": "./package.json",
    },
    files: [`${name}.js`, `${name}.d.ts`, `${name}_bg.wasm`, "start.js", "start.d.ts",
      "checkout.css", "merchant-api.openapi.json", "README.md", ...licences],
    // Importing the modules does nothing but define them; the stylesheet
    // is imported for its effect.
    sideEffects: ["*.css"],
  };
  writeFileSync(`${out}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
  console.log(`    ${pkg.name}@${pkg.version}`);
' "$out" "$name"

step "npm package: npm pack --dry-run (no warnings)"
pack_log=target/npm/pack-dry-run.log
(cd "$out" && npm pack --dry-run 2>&1) | tee "$pack_log"
if grep -qi 'warn' "$pack_log"; then
  echo "npm package: npm pack --dry-run warned (see above)" >&2
  exit 1
fi
(cd "$out" && npm pack --silent --pack-destination ..) >/dev/null
tarball=$(ls target/npm/leptos-stripe-checkout-*.tgz)
note "packed: $tarball ($(stat -c %s "$tarball") bytes)"

step "npm example: examples/npm/ against the packed package, bundled by esbuild into $example_dist"
mkdir -p "$example"
printf '{ "name": "leptos-stripe-checkout-npm-example", "private": true, "type": "module" }\n' \
  >"$example/package.json"
(cd "$example" && npm install --offline --no-save --no-package-lock --no-audit --no-fund \
  --loglevel=error "../$(basename "$tarball")")
cp examples/npm/main.js examples/npm/index.html "$example/"
esbuild "$example/main.js" --bundle --minify --format=esm --target=es2022 \
  --loader:.wasm=file --asset-names='[name]-[hash]' --log-level=warning \
  --outdir="$example_dist"
cp "$example/index.html" assets/favicon.svg "$example_dist/"
ls -l "$example_dist" | sed 1d | awk '{ printf "    %8d  %s\n", $5, $9 }'
