// scripts/wasm-order.mjs names a release wasm's functions so that binaryen's
// `--reorder-functions-by-name` lays out alike functions side by side; the
// bench's names-kept builds get their names back. Checked on a small module
// assembled here, and through the wasm-opt that scripts/tools.sh puts on
// PATH (the test command runs this file after it).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';

import { restoreNames, sortKey, sortNames } from '../scripts/wasm-order.mjs';

const leb = (n) => { const out = []; do { let b = n & 127; n >>>= 7; if (n) b |= 128; out.push(b); } while (n); return out; };
const bytes = (text) => [...Buffer.from(text)];
const vec = (items) => [...leb(items.length), ...items.flat()];
const section = (id, body) => [id, ...leb(body.length), ...body];
const name = (text) => [...leb(Buffer.byteLength(text)), ...bytes(text)];

// An imported function, then three of type () -> i32 whose bodies differ in
// size: `big` (i32.const 1000, a three-byte number), `one` and `two`
// (i32.const 1 and 2), exported so that wasm-opt keeps them.
const BODIES = {
  big: [0x00, 0x41, ...[0xe8, 0x07], 0x0b],
  two: [0x00, 0x41, 0x02, 0x0b],
  one: [0x00, 0x41, 0x01, 0x0b],
};
const DEFINED = ['big', 'two', 'one'];

function module({ withNames = true } = {}) {
  const names = [[0, 'imported'], ...DEFINED.map((n, i) => [i + 1, n])];
  return Buffer.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 0x00, 0x01, 0x7f]])),
    ...section(2, vec([[...name('env'), ...name('f'), 0x00, 0x00]])),
    ...section(3, vec(DEFINED.map(() => [0x00]))),
    ...section(7, vec(DEFINED.map((n, i) => [...name(n), 0x00, i + 1]))),
    ...section(10, vec(DEFINED.map((n) => [...leb(BODIES[n].length), ...BODIES[n]]))),
    ...(withNames ? section(0, [...name('name'), ...section(1, vec(names.map(([i, n]) => [...leb(i), ...name(n)])))]) : []),
  ]);
}

/** Runs `wasm-opt` on `wasm` with `flags`: [its printed text, the wasm it wrote]. */
function wasmOpt(wasm, flags) {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-order-'));
  try {
    const file = join(dir, 'm.wasm');
    writeFileSync(file, wasm);
    const text = execFileSync('wasm-opt', [...flags, file, '-o', file, '--print'], { encoding: 'utf8' });
    return [text, readFileSync(file)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The wasm's function names (its names section), in the order of the code. */
function functionNames(wasm) {
  const [text] = wasmOpt(wasm, ['-g']);
  // The imported function's line, then each defined function's.
  const lines = /^ \((?:import "[^"]*" "[^"]*" \()?func \$("(?:[^"\\]|\\.)*"|[^\s()]+)/gm;
  return [...text.matchAll(lines)].map((m) => m[1].replace(/^"|"$/g, ''));
}

test('sort keys: size class first, then the bytes', () => {
  const small = Buffer.from([0x00, 0x41, 0x02, 0x0b]);
  const smaller = Buffer.from([0x00, 0x41, 0x01, 0x0b]);
  const large = Buffer.alloc(300, 0x01);
  assert.ok(sortKey(smaller) < sortKey(small), 'same size: by bytes');
  assert.ok(sortKey(small) < sortKey(large), 'a size class apart: by size');
  assert.ok(sortKey(undefined) < sortKey(smaller), 'imports first');
});

test('names carry the sort key and come back whole', () => {
  const sorted = sortNames(module());
  const listed = functionNames(sorted);
  assert.equal(listed.length, 4);
  for (const [i, original] of ['imported', ...DEFINED].entries()) {
    assert.ok(listed[i].endsWith(original), `${listed[i]} ends in ${original}`);
    assert.ok(listed[i].length > original.length, `${listed[i]} carries a key`);
  }
  assert.deepEqual(functionNames(restoreNames(sorted)), ['imported', ...DEFINED]);
});

test('wasm-opt lays the functions out in key order', () => {
  const [, ordered] = wasmOpt(sortNames(module()), ['--reorder-functions-by-name', '-g']);
  // `one` and `two` are the same size: by their bytes; `big` is larger.
  assert.deepEqual(functionNames(restoreNames(ordered)), ['imported', 'one', 'two', 'big']);
});

test('a wasm without function names is refused with a reason', () => {
  assert.throws(() => sortNames(module({ withNames: false })), /no names section/);
  assert.throws(() => sortNames(Buffer.from('not wasm')), /not a wasm module/);
});
