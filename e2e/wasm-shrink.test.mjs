// scripts/wasm-shrink.mjs reads the renaming wasm-opt prints: one JSON
// document per run of the pass (`--converge` runs it again), which must be
// composed, or the glue would name what the first run called an import
// while the wasm calls it something else (every page would then fail to
// instantiate; the other tests here load the renamed pages).
import assert from 'node:assert/strict';
import test from 'node:test';

import { parseMapping } from '../scripts/wasm-shrink.mjs';

const doc = (imports, exports) => `{
 "imports": [
${imports.map((row) => `  ${JSON.stringify(row)}`).join(',\n')}
 ],
"exports": [
${exports.map((row) => `  ${JSON.stringify(row)}`).join(',\n')}
 ]
}
`;

test('wasm-shrink composes the renamings of every run of the pass', () => {
  const stdout = doc([['./guides_bg.js', '__wbg_tagName_775b', 'a'], ['./guides_bg.js', '__wbg_next_178c', 'b']],
    [['memory', 'X'], ['__wbindgen_start', 'Y']])
    + doc([['a', 'a', 'a'], ['a', 'b', 'c']], [['X', 'X'], ['Y', 'Z']]);
  const { modules, names } = parseMapping(stdout);
  assert.deepEqual(modules, ['./guides_bg.js']);
  assert.deepEqual(Object.fromEntries(names), {
    __wbg_tagName_775b: 'a', __wbg_next_178c: 'c', memory: 'X', __wbindgen_start: 'Z',
  });
});

test('wasm-shrink refuses an import and an export that share a name, and no mapping at all', () => {
  assert.throws(() => parseMapping(doc([['m', 'same', 'a']], [['same', 'b']])), /share a name/);
  assert.throws(() => parseMapping(''), /printed no mapping/);
});
