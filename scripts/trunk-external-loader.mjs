// Trunk post_build hook (Trunk.toml; Trunk runs the hooks of a stage at the
// same time, so this one does every step, in order):
//
// 1. Moves the inline `<script type="module">` loader Trunk writes into
//    index.html to a file, `init.js`, in the staging directory, and
//    references it with `<script type="module" src="/init.js">`; init.js
//    first calls `start()` of checkout-start.js, which fetches /config, loads
//    Stripe.js and creates the session while the wasm downloads and compiles.
// 2. Release builds only (TRUNK_PROFILE=release): runs wasm-opt on the wasm
//    and gives its imports and exports short names, the glue rewritten to
//    match (scripts/wasm-shrink.mjs; the pages say `data-wasm-opt="0"`), then
//    minifies the JavaScript
//    (the wasm-bindgen glue, init.js, checkout-start.js) with esbuild and
//    updates the `integrity` attributes that name them, then writes a brotli
//    (quality 11) and a gzip (level 9) twin of every text asset and the wasm,
//    which checkout-server serves precompressed.
//
// checkout-server's Content-Security-Policy (`script-src 'self' ...`, no
// 'unsafe-inline') blocks inline scripts, so the page must have none. It also
// drops the `integrity` attribute Chromium ignores (and warns about) on the
// wasm's preload.
//
// Trunk runs hooks with TRUNK_STAGING_DIR (the output being assembled),
// TRUNK_PUBLIC_URL, TRUNK_PROFILE and TRUNK_HTML_FILE set.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib';
import { shrinkAll } from './wasm-shrink.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('trunk-external-loader: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)');
  process.exit(1);
}
const publicUrl = (process.env.TRUNK_PUBLIC_URL || '/').replace(/\/?$/, '/');
const htmlPath = join(staging, 'index.html');
const html = readFileSync(htmlPath, 'utf8');
const src = `${publicUrl}init.js`;

// Chromium ignores `integrity` on a preload whose destination is "fetch" (the
// wasm) and warns about it on every load ("The `integrity` attribute is
// currently ignored for preload destinations that do not support subresource
// integrity"): drop it there. The module preload and the stylesheet keep theirs.
const withoutFetchIntegrity = (text) => text.replace(
  /<link\b[^>]*\brel=["']preload["'][^>]*>/gi,
  (tag) => (/\bas=["']fetch["']/i.test(tag) ? tag.replace(/\s+integrity=["'][^"']*["']/i, '') : tag),
);

// Start-up in parallel: checkout-start.js (copied by Trunk, index.html)
// begins /config, Stripe.js and the session before the loader imports the
// wasm-bindgen glue and compiles the wasm.
const startScript = 'checkout-start.js';
const startFirst = existsSync(join(staging, startScript))
  ? `import { start } from '${publicUrl}${startScript}';\nstart();\n`
  : '';

const inline = /<script\s+type=["']module["']\s*>([\s\S]*?)<\/script>/gi;
const bodies = [];
// A preload hint for it, beside Trunk's own for the glue and the wasm.
const withStartHint = (text) => (startFirst && !text.includes(`href="${publicUrl}${startScript}"`)
  ? text.replace('</head>', `<link rel="modulepreload" href="${publicUrl}${startScript}"></head>`)
  : text);
const out = withStartHint(withoutFetchIntegrity(html.replace(inline, (_, body) => {
  bodies.push(body.trim());
  return bodies.length === 1 ? `<script type="module" src="${src}"></script>` : '';
})));
if (bodies.length === 0) {
  if (!html.includes(`src="${src}"`)) {
    console.error(`trunk-external-loader: no inline module script in ${htmlPath}`);
    process.exit(1);
  }
  if (out !== html) writeFileSync(htmlPath, out);
} else {
  writeFileSync(join(staging, 'init.js'), `${startFirst}${bodies.join('\n')}\n`);
  writeFileSync(htmlPath, out);
  console.log(`trunk-external-loader: moved ${bodies.length} inline module script(s) to ${src}`);
}

if (process.env.TRUNK_PROFILE === 'release') {
  await shrinkAll(staging);
  minify();
  compress();
}

/** esbuild: $ESBUILD, else on PATH (scripts/tools.sh, ensure_esbuild). */
function esbuild() {
  const candidates = [process.env.ESBUILD, 'esbuild'].filter(Boolean);
  for (const bin of candidates) {
    try {
      execFileSync(bin, ['--version'], { stdio: 'ignore' });
      return bin;
    } catch {
      // next
    }
  }
  console.error('trunk-external-loader: esbuild is not on PATH (release builds minify the JS; '
    + '`. scripts/tools.sh; ensure_esbuild` installs it)');
  process.exit(1);
}

function sri(file) {
  return `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
}

/** Minifies the widget's own JS (not the examples) and fixes `integrity`. */
function minify() {
  const bin = esbuild();
  const scripts = readdirSync(staging)
    .filter((name) => name.endsWith('.js') && name !== 'embed.js');
  let page = readFileSync(htmlPath, 'utf8');
  for (const name of scripts) {
    const file = join(staging, name);
    const before = readFileSync(file).length;
    execFileSync(bin, [file, '--minify', '--format=esm', '--target=es2022', '--log-level=warning',
      `--outfile=${file}`, '--allow-overwrite'], { stdio: 'inherit' });
    const after = readFileSync(file).length;
    console.log(`trunk-external-loader: minified ${name}: ${before} → ${after} bytes`);
    const link = new RegExp(`(<(?:link|script)\\b[^>]*\\b(?:href|src)=["']${publicUrl}${name.replace(/[.]/g, '\\.')}["'][^>]*\\bintegrity=["'])[^"']*(["'])`, 'g');
    page = page.replace(link, `$1${sri(file)}$2`);
  }
  writeFileSync(htmlPath, page);
}

/** Writes `.br` and `.gz` twins of every compressible file, when smaller. */
function compress() {
  const compressible = /\.(html|js|mjs|css|wasm|svg|json|txt|map)$/;
  let count = 0;
  for (const name of readdirSync(staging, { recursive: true })) {
    if (!compressible.test(name)) continue;
    const file = join(staging, name);
    const data = readFileSync(file);
    const br = brotliCompressSync(data, {
      params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: data.length },
    });
    const gz = gzipSync(data, { level: 9 });
    if (br.length < data.length) writeFileSync(`${file}.br`, br);
    if (gz.length < data.length) writeFileSync(`${file}.gz`, gz);
    count += 1;
  }
  console.log(`trunk-external-loader: wrote brotli and gzip twins of ${count} files`);
}
