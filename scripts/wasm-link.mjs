#!/usr/bin/env node
// The linker of the release wasm (`use_size_levers`, scripts/tools.sh, sets
// `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER` to this file): rust-lld, as
// rustc would call it, without the `--export` of wasm-streams' stream
// adapters (DEAD_EXPORT, defined in scripts/wasm-shrink.mjs). server_fn
// links them in for streaming server functions, which the widget has none
// of; exported, they keep their futures, closures and the functions the
// closures' vtables name in the wasm's table, where no later pass can tell
// them dead. Not exported, the
// linker never takes them in: −4.4 KB gzip on the guides' page
// (docs/weight.md, "The stream adapters left at link time"). wasm-bindgen
// skips an export whose function and descriptor are both absent.
//
// rust-lld is the active toolchain's (`rustc --print sysroot`: rustup sets
// RUSTUP_TOOLCHAIN for cargo and everything it starts, so this `rustc` is
// the one that is linking); rustc passes `-flavor wasm` itself. Exports in a response file (`@file`, which rustc
// only writes when the command line is too long for the system) pass
// through unfiltered, and scripts/wasm-shrink.mjs removes them after the
// link instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeadExport } from './wasm-shrink.mjs';

/** rustc's linker arguments without the `--export`s of the dead exports. */
export function linkerArgs(input) {
  const args = [];
  for (let i = 0; i < input.length; i += 1) {
    if (input[i] === '--export' && i + 1 < input.length && isDeadExport(input[i + 1])) {
      i += 1;
    } else if (!(input[i].startsWith('--export=') && isDeadExport(input[i].slice('--export='.length)))) {
      args.push(input[i]);
    }
  }
  return args;
}

/** The active toolchain's rust-lld. */
function rustLld() {
  const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
  const rustlib = join(sysroot, 'lib', 'rustlib');
  const lld = readdirSync(rustlib)
    .map((host) => join(rustlib, host, 'bin', 'rust-lld'))
    .find((file) => existsSync(file));
  if (!lld) throw new Error(`wasm-link: no rust-lld in ${rustlib}/*/bin`);
  return lld;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    // Cargo's jobserver file descriptors do not reach this script's
    // children (`rustc --print sysroot`, rust-lld), which would warn on
    // every link ("failed to connect to jobserver"): they run without it.
    delete process.env.CARGO_MAKEFLAGS;
    const result = spawnSync(rustLld(), linkerArgs(process.argv.slice(2)), { stdio: 'inherit' });
    process.exit(result.status ?? 1);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
