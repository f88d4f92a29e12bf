// Production, minified bundle of checkout.jsx: node build.mjs OUTDIR
// [--summary] (--summary: the comparison page with the order summary).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const out = process.argv[2] || 'dist';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL('checkout.jsx', import.meta.url).pathname],
  outfile: `${out}/checkout.js`,
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"', SUMMARY: String(process.argv.includes('--summary')) },
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(new URL('index.html', import.meta.url), `${out}/index.html`);
