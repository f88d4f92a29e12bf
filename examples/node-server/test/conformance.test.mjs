// The merchant contract's conformance suite (crate checkout-conformance,
// `cargo build -p checkout-conformance`) against this server, as a merchant
// would run it: Stripe mode against the emulator (its /webhook registered
// through the emulator's API), and emulator mode (the server registers its
// own). Every check must pass; a failure prints the suite's report.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { nodeServer, nodeServerEmulator, root, sandbox } from './harness.mjs';

const suite = process.env.CHECKOUT_CONFORMANCE_BIN || `${root}target/debug/checkout-conformance`;

/** Runs the suite: {code, report}. */
function conformance(base, stripe) {
  return new Promise((resolve) => {
    execFile(suite, ['--base-url', base, '--stripe-url', stripe], { timeout: 240_000, maxBuffer: 1 << 22 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, report: `${stdout}${stderr}` }));
  });
}

before(() => {
  assert.ok(existsSync(suite), `${suite} is missing: cargo build -p checkout-conformance`);
});

// Each run gets its own emulator: a webhook endpoint left by a stopped
// server would keep the next run's deliveries pending.
for (const [mode, start] of [
  ['Stripe mode, its webhook registered through the emulator\'s API', nodeServer],
  ['emulator mode, its own webhook', nodeServerEmulator],
]) {
  test(`the conformance suite passes against the Node server (${mode})`, async () => {
    const sb = await sandbox();
    const server = await start(sb.url);
    try {
      const { code, report } = await conformance(server.url, sb.url);
      assert.equal(code, 0, report);
      assert.match(report, /^PASSED: (\d+) checks, \1 passed, 0 failed$/m, report);
    } finally {
      await server.stop();
      await sb.stop();
    }
  });
}
