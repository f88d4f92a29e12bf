// Size attribution (issue 23): who owns each byte of a release wasm.
//
//   node bench/size-report.mjs LABEL=NAMED.wasm [LABEL=NAMED.wasm …]
//
// Each NAMED.wasm is the release build's wasm after wasm-bindgen and the same
// wasm-opt passes, with the function names kept (`wasm-opt -g`;
// scripts/bench.sh makes them). twiggy (scripts/tools.sh, ensure_twiggy)
// lists every function and data segment with its own size; this script sums
// them by owner and prints a markdown table, raw bytes (the names section
// excluded): a group per crate family, our crates per module, and how much of
// the framework's code was instantiated for our own types.
import { execFileSync } from 'node:child_process';

// Crate → group. Our own crates are split by module below.
const GROUPS = [
  ['Leptos (tachys, reactive_graph, leptos, …)', ['tachys', 'reactive_graph', 'leptos', 'leptos_dom', 'leptos_macro', 'any_spawner',
    'or_poisoned', 'throw_error', 'hydration_context', 'next_tuple', 'oco_ref', 'either_of', 'const_str_slice_concat', 'server_fn',
    'leptos_config', 'leptos_server', 'reactive_stores', 'guardian', 'send_wrapper', 'slotmap', 'indexmap', 'rustc_hash',
    'hashbrown', 'drain_filter_polyfill', 'attribute_derive', 'paste', 'pin_project', 'pin_project_lite', 'async_lock',
    'event_listener', 'futures_lite', 'concurrent_queue', 'parking']],
  ['serde (serde, serde_json)', ['serde', 'serde_core', 'serde_wasm_bindgen', 'serde_json', 'serde_qs']],
  ['wasm-bindgen, js-sys, web-sys, gloo (glue)', ['wasm_bindgen', 'js_sys', 'web_sys', 'wasm_bindgen_futures', 'gloo_net',
    'gloo_utils', 'gloo_timers', 'http']],
  ['futures, wasm-streams (server_fn\'s, never called)', ['futures_util', 'futures_core', 'futures_channel', 'futures_executor',
    'futures_sink', 'futures', 'wasm_streams']],
  ['core::fmt (formatting, f64 printing)', []],
  ['core, alloc, std, allocator', ['core', 'alloc', 'std', 'dlmalloc', 'compiler_builtins', 'panic_abort', 'thiserror', '__rustc']],
];
const OURS = new Set(['leptos_stripe_checkout', 'checkout_protocol', 'guides']);
const crateOf = new Map(GROUPS.flatMap(([group, crates]) => crates.map((crate) => [crate, group])));

/** The crate that owns an item: for `<T as Trait>::f`, T's (or Trait's when T is a primitive). */
function owner(name) {
  let subject = name;
  if (name.startsWith('<')) {
    let depth = 0;
    for (let i = 0; i < name.length; i += 1) {
      const c = name[i];
      if (c === '<') depth += 1;
      else if (c === '>') depth -= 1;
      if (depth === 1 && name.startsWith(' as ', i)) {
        const self = name.slice(1, i);
        subject = /\w+\[[0-9a-f]+\]/.test(self) ? self : name.slice(i + 4);
        break;
      }
      if (depth === 0) { subject = name.slice(1, i); break; }
    }
  }
  const crate = subject.match(/(\w+)\[[0-9a-f]+\]/);
  return { crate: crate ? crate[1] : null, subject };
}

function classify(name) {
  if (name.startsWith('data segment') || name.startsWith('"data names"')) return { group: 'data (strings, tables, field names)' };
  // wasm-bindgen's wrappers of this crate's exports hold their inlined bodies.
  if (/^(mount|embeddedcheckout_)/.test(name)) return { group: 'this crate', part: 'embed' };
  if (name === '__original_main') return { group: 'this crate', part: 'main' };
  if (/^(import |export |elem\[|type\[|table\[|global\[|memory\[|code\[|code section|custom section|wasm magic|__wbindgen|__externref|__wbg|intounderlying)/.test(name)
    || !/\w+\[[0-9a-f]+\]/.test(name) && /^[a-z_ ]+(\[\d+\])?$/.test(name)) {
    return { group: name.startsWith('intounderlying') ? GROUPS[3][0] : GROUPS[2][0] };
  }
  const { crate, subject } = owner(name);
  if (!crate) {
    // Primitive methods (`<str>::trim_matches`, `<u64>::_fmt`).
    return { group: /fmt|Display|Debug/.test(name) ? GROUPS[4][0] : GROUPS[5][0] };
  }
  if (OURS.has(crate)) {
    const module = subject.match(/\w+\[[0-9a-f]+\]::(\w+)/);
    const part = crate === 'leptos_stripe_checkout' ? (module ? module[1] : '(crate root)') : crate;
    return { group: 'this crate', part };
  }
  if (crate === 'leptos_floor') return { group: "the page's own main()" };
  const group = crateOf.get(crate) || `other: ${crate}`;
  if (crate === 'core' && /core\[[0-9a-f]+\]::(fmt|num::flt2dec|num::fmt)/.test(subject + name)) {
    return { group: GROUPS[4][0], forOurs: false };
  }
  const forOurs = [...OURS].some((ours) => name.includes(`${ours}[`));
  return { group, forOurs };
}

function attribute(file) {
  const json = execFileSync('twiggy', ['top', '-n', '1000000', '--format', 'json', file], { maxBuffer: 1 << 28 });
  const groups = new Map();
  const parts = new Map();
  let total = 0;
  for (const { name, shallow_size: size } of JSON.parse(json)) {
    if (name.endsWith('names" subsection')) continue;
    total += size;
    const { group, part, forOurs } = classify(name);
    const g = groups.get(group) || { bytes: 0, forOurs: 0 };
    g.bytes += size;
    if (forOurs) g.forOurs += size;
    groups.set(group, g);
    if (part) parts.set(part, (parts.get(part) || 0) + size);
  }
  // A page without this crate (the Leptos floor): its main() is its own.
  if ([...parts.keys()].every((part) => part === 'main') && parts.has('main')) {
    const main = parts.get('main');
    parts.delete('main');
    const ours = groups.get('this crate');
    ours.bytes -= main;
    if (ours.bytes === 0) groups.delete('this crate');
    const own = groups.get("the page's own main()") || { bytes: 0, forOurs: 0 };
    groups.set("the page's own main()", { bytes: own.bytes + main, forOurs: 0 });
  }
  return { total, groups, parts };
}

const builds = process.argv.slice(2).map((arg) => {
  const [label, file] = arg.split('=');
  return { label, ...attribute(file) };
});
if (builds.length === 0) {
  console.error('usage: node bench/size-report.mjs LABEL=NAMED.wasm …');
  process.exit(2);
}
const kb = (bytes) => (bytes / 1000).toFixed(1);
const share = (bytes, total) => `${((bytes / total) * 100).toFixed(0)} %`;
const L = [];
L.push(`| group (raw KB, names section excluded) | ${builds.map((b) => `${b.label}`).join(' | ')} |`);
L.push(`|---|${builds.map(() => '---:').join('|')}|`);
const order = [...new Set(builds.flatMap((b) => [...b.groups.keys()]))]
  .sort((x, y) => (builds[0].groups.get(y)?.bytes || 0) - (builds[0].groups.get(x)?.bytes || 0));
for (const group of order) {
  L.push(`| ${group} | ${builds.map((b) => {
    const g = b.groups.get(group);
    if (!g) return '–';
    const inst = g.forOurs ? ` (${kb(g.forOurs)} for our types)` : '';
    return `${kb(g.bytes)} · ${share(g.bytes, b.total)}${inst}`;
  }).join(' | ')} |`);
}
L.push(`| **total** | ${builds.map((b) => `**${kb(b.total)}**`).join(' | ')} |`);
L.push('');
L.push(`| this crate, by module (raw KB) | ${builds.map((b) => b.label).join(' | ')} |`);
L.push(`|---|${builds.map(() => '---:').join('|')}|`);
const largest = (module) => Math.max(...builds.map((b) => b.parts.get(module) || 0));
const modules = [...new Set(builds.flatMap((b) => [...b.parts.keys()]))].sort((x, y) => largest(y) - largest(x));
for (const module of modules) {
  L.push(`| ${module} | ${builds.map((b) => (b.parts.has(module) ? kb(b.parts.get(module)) : '–')).join(' | ')} |`);
}
console.log(L.join('\n'));
