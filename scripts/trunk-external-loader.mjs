// Trunk post_build hook (Trunk.toml): moves the inline `<script type="module">`
// loader Trunk writes into index.html to a file, `init.js`, in the staging
// directory, and references it with `<script type="module" src="/init.js">`.
// checkout-server's Content-Security-Policy (`script-src 'self' ...`, no
// 'unsafe-inline') blocks inline scripts, so the page must have none. It also
// drops the `integrity` attribute Chromium ignores (and warns about) on the
// wasm's preload.
//
// Trunk runs hooks with TRUNK_STAGING_DIR (the output being assembled),
// TRUNK_PUBLIC_URL, TRUNK_PROFILE and TRUNK_HTML_FILE set.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

const inline = /<script\s+type=["']module["']\s*>([\s\S]*?)<\/script>/gi;
const bodies = [];
const out = withoutFetchIntegrity(html.replace(inline, (_, body) => {
  bodies.push(body.trim());
  return bodies.length === 1 ? `<script type="module" src="${src}"></script>` : '';
}));
if (bodies.length === 0) {
  if (html.includes(`src="${src}"`)) {
    if (out !== html) writeFileSync(htmlPath, out);
    process.exit(0);
  }
  console.error(`trunk-external-loader: no inline module script in ${htmlPath}`);
  process.exit(1);
}
writeFileSync(join(staging, 'init.js'), `${bodies.join('\n')}\n`);
writeFileSync(htmlPath, out);
console.log(`trunk-external-loader: moved ${bodies.length} inline module script(s) to ${src}`);
