// One cold load of each page on slow 4G (the bench's throttling; or
// unthrottled with WATERFALL_NETWORK=loopback), printed as a waterfall:
// every resource's start, first byte and end (ms since navigation) and its
// encoded size, and when the switch became interactive.
// A diagnostic for start-up, not a measurement the budgets use (those are
// bench/run.mjs's medians). Run after ./scripts/bench.sh has built
// target/bench:
//
//   node bench/waterfall.mjs [/guides/,/,/react/]
const benchDir = process.env.BENCH_DIR || `${process.cwd()}/target/bench`;
process.env.E2E_DIST = `${benchDir}/site`;
process.env.E2E_SERVER = process.env.BENCH_SERVER || `${benchDir}/cargo/release/checkout-server`;
const { startServer, launchBrowser } = await import('../e2e/harness.mjs');
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6e6) / 8, uploadThroughput: 750e3 / 8 };
const server = await startServer();
const browser = await launchBrowser();
for (const path of (process.argv[2] || '/guides/,/,/react/').split(',')) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (process.env.WATERFALL_NETWORK !== 'loopback') await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await page.goto(server.url + path);
  const t = await page.waitForFunction(() => {
    const el = document.getElementById('change-subscription-interval');
    return el && el.getAttribute('aria-disabled') !== 'true' ? performance.now() : null;
  }, null, { timeout: 60000, polling: 'raf' });
  const ready = await t.jsonValue();
  const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, ''), Math.round(e.startTime), Math.round(e.responseStart), Math.round(e.responseEnd), e.encodedBodySize]));
  const nav = await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0]; return [Math.round(n.responseStart), Math.round(n.responseEnd), Math.round(n.domContentLoadedEventEnd)]; });
  console.log(`\n${path} ready ${Math.round(ready)} nav(respStart,respEnd,DCL) ${nav}`);
  for (const e of entries) console.log(e.join('\t'));
  await context.close();
}
await browser.close();
await server.stop();
process.exit(0);
