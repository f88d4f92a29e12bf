// scripts/wasm-shrink.mjs reads the renaming wasm-opt prints: one JSON
// document per run of the pass (`--converge` runs it again), which must be
// composed, or the glue would name what the first run called an import
// while the wasm calls it something else (every page would then fail to
// instantiate; the other tests here load the renamed pages).
import assert from 'node:assert/strict';
import test from 'node:test';

import { parseMapping, withoutDeadClasses } from '../scripts/wasm-shrink.mjs';

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

// wasm-bindgen's shape for an exported Rust struct: the class, its
// `Symbol.dispose` line, its FinalizationRegistry.
const klass = (name, free) => `export class ${name} {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        ${name}Finalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.${free}(ptr, 0);
    }
}
if (Symbol.dispose) ${name}.prototype[Symbol.dispose] = ${name}.prototype.free;
`;
const registry = (name, free) => `const ${name}Finalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.${free}(ptr, 1));
`;

test('the glue loses the classes of the dead exports, and keeps the others', () => {
  const glue = `${klass('IntoUnderlyingSink', '__wbg_intounderlyingsink_free')}
${klass('Handle', '__wbg_handle_free')}
function helper() {}
${registry('IntoUnderlyingSink', '__wbg_intounderlyingsink_free')}${registry('Handle', '__wbg_handle_free')}
export { helper as default };
`;
  const left = withoutDeadClasses(glue);
  assert.doesNotMatch(left, /IntoUnderlying|intounderlying/);
  assert.match(left, /export class Handle \{/);
  assert.match(left, /const HandleFinalization = /);
  assert.match(left, /if \(Symbol\.dispose\) Handle\.prototype/);
  assert.match(left, /function helper\(\) \{\}/);
  assert.equal(withoutDeadClasses('export { a as default };\n'), 'export { a as default };\n');
});

test('a dead class the glue names elsewhere stops the build', () => {
  const glue = `${klass('IntoUnderlyingSource', '__wbg_intounderlyingsource_free')}
${registry('IntoUnderlyingSource', '__wbg_intounderlyingsource_free')}
export const s = new IntoUnderlyingSource();
`;
  assert.throws(() => withoutDeadClasses(glue), /still names IntoUnderlyingSource/);
});
