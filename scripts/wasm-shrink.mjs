// The release wasm's last step (issue 23; docs/weight.md, "Names"): wasm-opt
// with the passes every release artifact gets, and the wasm's import and
// export names made short, with the wasm-bindgen glue rewritten to match.
//
//   node scripts/wasm-shrink.mjs WASM GLUE.js [--keep-names]
//   node scripts/wasm-shrink.mjs --trunk-hook   (a Trunk post_build hook)
//
// wasm-bindgen names each import after the JS function and a hash
// (`__wbg_tagName_775bb05619a5c52f`) and each closure export after its Rust
// types; the names are in the wasm and again in the glue, and their hashes do
// not compress. binaryen's `--minify-imports-and-exports-and-modules` (the
// pass Emscripten uses for its release builds) renames them all and prints
// the mapping; esbuild's property mangling, fed that mapping as its cache,
// renames the same properties in the glue (the import object's keys and
// `wasm.<export>` accesses), and the import module's name is replaced. What
// the page imports from the glue (`mount`, `default`) is JavaScript's own
// export and keeps its name.
//
// Measured on the guides' page (GNU gzip -9): 121,933 → 118,866 B of wasm in
// the same wasm-opt run; run as a second wasm-opt it saves less (119,319 B),
// because reading and writing the module again costs ~0.4 KB, so the
// release pages leave wasm-opt to this script (`data-wasm-opt="0"`).
//
// Before the passes, scripts/wasm-order.mjs names each function for its
// place in the output (alike functions side by side, for gzip's window), and
// the run ends with binaryen's `--reorder-functions-by-name`; the names
// section is then dropped.
//
// `--keep-names` (the bench's names-kept builds for size attribution) runs
// the same passes and renaming but keeps the function names section (-g:
// the functions' own, the ordering keys taken off again) and leaves the
// glue alone (nothing runs that copy).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { restoreNames, sortNames } from './wasm-order.mjs';

/**
 * wasm-opt's passes for every release wasm (docs/weight.md lists each with its
 * effect). A function with one caller is inlined only up to 30 bytes
 * (`wasm-opt --help`: "default -1, which means all such functions are
 * inlined"); 20 to 80 measured about the same, all smaller than no limit.
 */
export const WASM_OPT_FLAGS = ['--one-caller-inline-max-function-size=30',
  '-Os', '--converge', '--low-memory-unused', '--flatten', '--rereloop', '-Os', '-Os',
  '--strip-producers'];

/**
 * The second run: the functions in the order scripts/wasm-order.mjs named
 * them for, then the target features section dropped (the first run needs
 * it, to know which features the wasm uses).
 */
export const ORDER_FLAGS = ['--reorder-functions-by-name', '--strip-target-features'];

const MINIFY = '--minify-imports-and-exports-and-modules';

/**
 * The exports no release wasm keeps: wasm-streams' stream adapters
 * (`IntoUnderlyingSource`, `…Sink`, `…ByteSource`), which server_fn links in
 * for streaming server functions. The widget has none, and nothing creates
 * them: only Rust code could. Their classes stay in the glue (its exports)
 * with methods that would find no function.
 *
 * scripts/wasm-link.mjs, the release builds' linker, leaves them out at link
 * time, which also drops what they reach through the table; the passes here
 * remove any that a build without it still has (−1.1 KB gzip on the guides'
 * page, where the linker's way saves 4.4 KB).
 */
export const DEAD_EXPORT = 'intounderlying';

/** Whether the wasm export or linker symbol `name` is one of the dead exports. */
export const isDeadExport = (name) => name.includes(DEAD_EXPORT);

const DEAD_EXPORTS = ['--remove-exports', `--pass-arg=remove-exports@*${DEAD_EXPORT}*`];

/**
 * The glue without the JavaScript classes of the dead exports: wasm-bindgen
 * writes a class for each (`export class IntoUnderlyingSink { … }`, its
 * `Symbol.dispose` line and its `FinalizationRegistry`), whose methods call
 * wasm exports that the release wasm no longer has. Nothing imports them
 * (the pages import the glue's `default`; the npm package re-exports
 * `mount` and `default`). −0.2 KB gzip of glue (docs/weight.md). The npm
 * package's `.d.ts` loses their declarations the same way.
 */
export function withoutDeadClasses(source) {
  const dead = [...source.matchAll(/^export class (\w+) \{$/gm)].map((m) => m[1])
    .filter((name) => isDeadExport(name.toLowerCase()));
  let code = source;
  for (const name of dead) {
    const block = new RegExp(`^export class ${name} \\{\\n[\\s\\S]*?\\n\\}\\n`
      + `(?:if \\(Symbol\\.dispose\\) ${name}\\.prototype\\[Symbol\\.dispose\\] = ${name}\\.prototype\\.free;\\n)?`, 'm');
    const registry = new RegExp(`^const ${name}Finalization = [^;]*;\\n`, 'm');
    const next = code.replace(block, '').replace(registry, '');
    if (next.length === code.length) throw new Error(`wasm-shrink: could not take the class ${name} out of the glue`);
    code = next;
  }
  const left = dead.filter((name) => code.includes(name));
  if (left.length > 0) throw new Error(`wasm-shrink: the glue still names ${left.join(', ')}`);
  return code;
}

/** The first executable `name` on PATH. */
function onPath(name) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    const file = join(dir, name);
    if (dir && existsSync(file)) return file;
  }
  throw new Error(`wasm-shrink: ${name} is not on PATH (scripts/tools.sh installs it)`);
}

/** esbuild's JavaScript API, from the package whose binary is on PATH (scripts/tools.sh, ensure_esbuild). */
async function esbuildApi() {
  const bin = realpathSync(onPath('esbuild'));
  const main = join(dirname(dirname(bin)), 'lib', 'main.js');
  if (!existsSync(main)) throw new Error(`wasm-shrink: no esbuild package beside ${bin}`);
  return import(pathToFileURL(main).href);
}

/**
 * The renaming wasm-opt printed: one JSON document per run of the pass
 * (`--converge` repeats it), composed into original name → final name.
 */
export function parseMapping(stdout) {
  const docs = stdout.split(/\n(?=\{\s*\n\s*"imports")/).map((text) => text.trim()).filter(Boolean)
    .map((text) => JSON.parse(text));
  if (docs.length === 0) throw new Error('wasm-shrink: wasm-opt printed no mapping');
  const modules = new Set(docs[0].imports.map(([module]) => module));
  // original → current, for imports and exports apart (each is its own namespace in the wasm).
  const imports = new Map(docs[0].imports.map(([, base, short]) => [base, short]));
  const exports = new Map(docs[0].exports);
  for (const doc of docs.slice(1)) {
    const importStep = new Map(doc.imports.map(([, base, short]) => [base, short]));
    const exportStep = new Map(doc.exports);
    for (const [original, now] of imports) imports.set(original, importStep.get(now) ?? now);
    for (const [original, now] of exports) exports.set(original, exportStep.get(now) ?? now);
  }
  const names = new Map([...imports, ...exports]);
  if (names.size !== imports.size + exports.size) throw new Error('wasm-shrink: an import and an export share a name');
  return { modules: [...modules], names };
}

/** The module name wasm-opt gave the imports (read back from the wasm). */
function importModule(wasm) {
  const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasm))).map((i) => i.module));
  if (modules.size !== 1) throw new Error(`wasm-shrink: ${wasm} imports from ${modules.size} modules`);
  return [...modules][0];
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Optimises `wasm` in place and rewrites `glue` (minified) to its new names. */
export async function shrink(wasm, glue, { keepNames = false } = {}) {
  const wasmOpt = onPath('wasm-opt');
  const before = readFileSync(wasm).length;
  // The functions named for their order (scripts/wasm-order.mjs), then the
  // passes, the order and the short names in one run.
  writeFileSync(wasm, sortNames(readFileSync(wasm)));
  const flags = [...DEAD_EXPORTS, ...WASM_OPT_FLAGS, ...ORDER_FLAGS, keepNames ? '-g' : '--strip-debug', MINIFY];
  const stdout = execFileSync(wasmOpt, [...flags, wasm, '-o', wasm], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (keepNames) {
    writeFileSync(wasm, restoreNames(readFileSync(wasm)));
    console.log(`wasm-shrink: ${wasm} ${before} → ${readFileSync(wasm).length} B (names kept)`);
    return;
  }
  const esbuild = await esbuildApi();
  const source = readFileSync(glue, 'utf8');
  let code = withoutDeadClasses(source);
  const { modules, names } = parseMapping(stdout);
  const module = importModule(wasm);
  // The import object's key: the glue names its module in quotes.
  for (const original of modules) {
    const quoted = new RegExp(`(["'])${escape(original)}\\1`, 'g');
    if (!quoted.test(code)) throw new Error(`wasm-shrink: ${glue} never names the import module ${original}`);
    code = code.replace(quoted, JSON.stringify(module));
  }
  const mangleCache = Object.fromEntries(names);
  const result = await esbuild.transform(code, {
    format: 'esm',
    target: 'es2022',
    minify: true,
    mangleProps: new RegExp(`^(${[...names.keys()].map(escape).join('|')})$`),
    mangleCache,
    logLevel: 'warning',
  });
  // Every name esbuild renamed must be one wasm-opt renamed, to the same.
  for (const [name, short] of Object.entries(result.mangleCache)) {
    if (names.get(name) !== short) throw new Error(`wasm-shrink: esbuild renamed ${name} to ${short}`);
  }
  code = result.code;
  // And none of wasm-bindgen's own names may be left behind (an access
  // the mangling did not see, such as a quoted one, would fail only when
  // the page instantiates the wasm).
  const left = [...names.keys()].filter((name) => /^(__wbg|__wbindgen|__externref|wasm_bindgen)/.test(name) && code.includes(name));
  if (left.length > 0) throw new Error(`wasm-shrink: ${glue} still names ${left.join(', ')}`);
  writeFileSync(glue, code);
  // The npm package's types: the instance's exports now have short names.
  const types = glue.replace(/\.js$/, '.d.ts');
  if (existsSync(types)) {
    const text = withoutDeadClasses(readFileSync(types, 'utf8'));
    const alias = '/** The wasm instance\'s exports (their names are minified). */\nexport type InitOutput = WebAssembly.Exports;\n';
    const rewritten = text.replace(/export interface InitOutput \{[\s\S]*?\n\}\n/, alias);
    if (rewritten === text) throw new Error(`wasm-shrink: ${types} has no InitOutput interface`);
    writeFileSync(types, rewritten);
  }
  console.log(`wasm-shrink: ${wasm} ${before} → ${readFileSync(wasm).length} B, ${glue} ${source.length} → ${code.length} B`);
}

/** Every `<name>_bg.wasm` in `dir` with its glue `<name>.js`. */
export async function shrinkAll(dir) {
  const wasms = readdirSync(dir).filter((name) => name.endsWith('_bg.wasm'));
  if (wasms.length === 0) throw new Error(`wasm-shrink: no *_bg.wasm in ${dir}`);
  for (const name of wasms) {
    await shrink(join(dir, name), join(dir, name.replace(/_bg\.wasm$/, '.js')));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  try {
    if (args[0] === '--trunk-hook') {
      if (process.env.TRUNK_PROFILE === 'release') await shrinkAll(process.env.TRUNK_STAGING_DIR);
    } else if (args.length >= 2) {
      await shrink(args[0], args[1], { keepNames: args.includes('--keep-names') });
    } else {
      console.error('usage: node scripts/wasm-shrink.mjs WASM GLUE.js [--keep-names] | --trunk-hook');
      process.exit(2);
    }
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
