// The MLP page trains for a long time in headless Chromium; its JavaScript heap must stay flat.
//   node scripts/soak-page.mjs [--minutes N] [--dir DIR] [--no-build] [--hash '#…']
// Builds the site into DIR (default build/site-soak, its own folder so nothing else races it; --no-build
// serves what is there), opens the playground, presses Play and, every minute, forces a garbage
// collection through CDP (HeapProfiler.collectGarbage) and samples Performance.getMetrics'
// JSHeapUsedSize, the epoch and the training loss. Prints one line a minute and, at the end, the
// start, end and maximum heap and the least-squares slope in KB per minute (docs/robustness.md).
// Exits 1 if the page threw, or if training stopped (the epoch did not move in the last minute).
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchContext } from '../tests/browser/chromium.js';
import { buildSite } from '../tests/browser/site.js';
import { startServer } from './serve.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const minutes = Number(option('--minutes', 30));
const dir = resolve(root, option('--dir', 'build/site-soak'));
const hash = option('--hash', '');
if (!(minutes > 0)) throw new Error('--minutes must be a positive number');

if (!args.includes('--no-build')) buildSite(dir);
const server = await startServer({ dir, port: 0 });
const { context, profile } = await launchContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
await page.goto(`${server.url}${hash}`);
await page.waitForFunction(() => /\d/.test(document.getElementById('train-loss').textContent), null, {
  timeout: 30_000,
});
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');

async function sample(minute) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
  const read = (id) => page.evaluate((i) => document.getElementById(i).textContent, id);
  return {
    minute,
    heapUsed: metric('JSHeapUsedSize'),
    heapTotal: metric('JSHeapTotalSize'),
    nodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
    epoch: Number((await read('epoch')).replace(/,/g, '')),
    loss: (await read('train-loss')).trim(),
  };
}

const mb = (b) => (b / 2 ** 20).toFixed(2);
const samples = [await sample(0)];
const log = (s) =>
  console.log(
    `minute ${String(s.minute).padStart(3)}: JS heap ${mb(s.heapUsed)} MB used / ${mb(s.heapTotal)} MB, ` +
      `${s.nodes} DOM nodes, ${s.listeners} listeners, epoch ${s.epoch}, training loss ${s.loss}`,
  );
log(samples[0]);
await page.getByRole('button', { name: 'Play' }).click();
for (let m = 1; m <= minutes; m++) {
  await page.waitForTimeout(60_000);
  const s = await sample(m);
  samples.push(s);
  log(s);
}

// Least-squares slope of the heap over the minutes after the first (the first minute warms up).
const fit = samples.slice(1);
const n = fit.length;
const mx = fit.reduce((a, s) => a + s.minute, 0) / n;
const my = fit.reduce((a, s) => a + s.heapUsed, 0) / n;
const sxy = fit.reduce((a, s) => a + (s.minute - mx) * (s.heapUsed - my), 0);
const sxx = fit.reduce((a, s) => a + (s.minute - mx) ** 2, 0);
const slope = n > 1 && sxx > 0 ? sxy / sxx : 0;
const first = samples[0];
const last = samples.at(-1);
const max = Math.max(...samples.map((s) => s.heapUsed));
const summary = {
  minutes,
  epochs: last.epoch,
  startMB: +mb(first.heapUsed),
  afterFirstMinuteMB: +mb(samples[Math.min(1, samples.length - 1)].heapUsed),
  endMB: +mb(last.heapUsed),
  maxMB: +mb(max),
  slopeKBPerMinute: +(slope / 1024).toFixed(1),
  errors,
};
console.log(JSON.stringify(summary));
const stalled = samples.length > 1 && last.epoch <= samples.at(-2).epoch;
if (stalled) console.log('training stopped: the epoch did not move in the last minute');

await context.close();
await server.close();
rmSync(profile, { recursive: true, force: true });
process.exit(errors.length || stalled ? 1 : 0);
