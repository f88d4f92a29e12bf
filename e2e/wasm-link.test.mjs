// scripts/wasm-link.mjs, the release wasm's linker, hands rust-lld rustc's
// arguments without the `--export`s of wasm-streams' stream adapters (both
// spellings rustc could use), and everything else as it came.
import assert from 'node:assert/strict';
import test from 'node:test';

import { linkerArgs } from '../scripts/wasm-link.mjs';

test('the stream adapters are not exported, the rest passes through in order', () => {
  const rustc = [
    '-flavor', 'wasm',
    '--export', '__wbg_intounderlyingsink_free_58a9338f50bce61c',
    '--export', '__wbindgen_describe___wbg_getReader_6912875434814e8c',
    '--export', 'intounderlyingsource_pull_58a9338f50bce61c',
    '--export=__wbindgen_describe_intounderlyingbytesource_start_58a9338f50bce61c',
    '--export=main',
    '-z', 'stack-size=1048576', '--gc-sections', '-o', 'guides.wasm',
  ];
  assert.deepEqual(linkerArgs(rustc), [
    '-flavor', 'wasm',
    '--export', '__wbindgen_describe___wbg_getReader_6912875434814e8c',
    '--export=main',
    '-z', 'stack-size=1048576', '--gc-sections', '-o', 'guides.wasm',
  ]);
});

test('a trailing --export and a file named like an adapter are left alone', () => {
  assert.deepEqual(linkerArgs(['x/intounderlying.o', '--export']), ['x/intounderlying.o', '--export']);
});
