// scripts/wasm-link.mjs, the release wasm's linker, hands rust-lld rustc's
// arguments without the `--export`s of wasm-streams' stream adapters (both
// spellings rustc could use), and everything else as it came.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

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

// Cargo hands the linker CARGO_MAKEFLAGS naming its jobserver's file
// descriptors, which do not reach the script's children: rustc and
// rust-lld must run without it, or every release link warns.
test('the linker runs rust-lld without cargo\'s jobserver, and says nothing about it', () => {
  const script = fileURLToPath(new URL('../scripts/wasm-link.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script, '-flavor', 'wasm', '--version'], {
    encoding: 'utf8',
    env: { ...process.env, CARGO_MAKEFLAGS: '-j --jobserver-fds=3,5 --jobserver-auth=3,5' },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^LLD /);
  assert.doesNotMatch(run.stderr, /jobserver/);
});
