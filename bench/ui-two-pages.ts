/**
 * (8) The UI in Chromium, two pages on one stream (issue 11: a subscription per consumer):
 * 100,000 frames per second for 10 s through the web host, page A showing the session it
 * opened and page B (another browser context, so another client) the same session adopted.
 * Each page is its own subscriber of the engine: its own batches, its own acknowledgements.
 *
 * For each page: the longest main-thread task (PerformanceObserver 'longtask', which sees only
 * tasks over 50 ms) and the longest stall of a 4 ms timer loop in the page (a figure even when
 * no task reaches 50 ms), whether its log kept up (the newest row it renders shows the
 * engine's newest seq within 2 s of the end of the stream) and how far it lagged at worst
 * (sampled every half second), how many frames it was sent as rows and as skipped ranges, and
 * the bytes and acknowledgements it cost. Figures only, never a test's assertion. The bytes are
 * estimated from every BYTES_SAMPLE-th event: serialising every event a second time here cost
 * the engine's process (which also runs the host and the capture) as much as the host's own
 * serialising, and took CPU from the stream being measured.
 *
 * A task's length in the long-task API is wall-clock time: on a machine loaded past its cores
 * a renderer waiting for a core stretches any task. So the browser is traced during the
 * stream too (Chromium's RunTask events, which carry the thread's CPU time), and a row gives,
 * for each page's renderer main thread, its longest task in CPU time and how many took over
 * 50 ms of CPU: the page's own work, whatever the load.
 *
 * TUNNELSCOPE_BENCH_SCREENSHOT_DIR=<dir> saves each page's screenshot halfway through the stream
 * and after it; TUNNELSCOPE_BENCH_TRACE_DIR and TUNNELSCOPE_BENCH_PROFILE_DIR keep the trace and
 * the pages' profiles (renderer-trace.ts).
 *
 * Skipped, with the reason printed, when the built UI (out/renderer, or
 * TUNNELSCOPE_RENDERER_DIR) or Chromium is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { Engine } from '../src-main/core/engine';
import type { EngineEvent } from '../src-main/shared/events';
import { startWebHost, type WebHostEngine } from '../src-main/web/server';
import { describeThreads, LONG_TASK_MS, startRendererTrace } from './renderer-trace';
import { startServerProcess } from './server-process';
import { formatNumber, pause, type BenchRow } from './stats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const PER_SECOND = 100_000;
const SECONDS = 10;
const TOTAL = PER_SECOND * SECONDS;
/** Chromium's minimum delay for a timer nested five deep or more. */
const TIMER_CLAMP_MS = 4;
const CATCH_UP_MS = 2000;
const NAME = `(8) UI, two pages, ${formatNumber(PER_SECOND)} frames/s for ${SECONDS} s`;
const TARGET = 'each page: no task > 50 ms; log keeps up';

/** Notes long tasks and the longest stall of a timer loop, from the page's first script. */
const PROBE = `(() => {
  const durations = [];
  globalThis.__tunnelscopeLongTasks = durations;
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) durations.push(entry.duration); })
    .observe({ type: 'longtask', buffered: true });
  const stall = { worst: 0, last: performance.now() };
  globalThis.__tunnelscopeStall = stall;
  const tick = () => {
    const now = performance.now();
    stall.worst = Math.max(stall.worst, now - stall.last);
    stall.last = now;
    setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
})();`;
const RESET = `(() => {
  globalThis.__tunnelscopeLongTasks.splice(0);
  globalThis.__tunnelscopeStall.worst = 0;
  globalThis.__tunnelscopeStall.last = performance.now();
})()`;
/** The newest seq among the rows the log renders (a string: no bundler helper may leak into the page). */
const NEWEST_SHOWN = `(() => {
  let max = 0;
  for (const cell of document.querySelectorAll('[role="grid"][aria-label="Frames"] [role="row"] .c-seq')) {
    const n = Number((cell.textContent || '').replace(/[^0-9]/g, ''));
    if (n > max) max = n;
  }
  return max;
})()`;

/** What one page's subscription was sent, counted where the web host hands events to it. */
interface Delivered {
  events: number;
  /** JSON characters of the sampled events, and how many were sampled. */
  sampledBytes: number;
  sampled: number;
  rows: number;
  skipped: number;
  acks: number;
}

const newDelivered = (): Delivered => ({ events: 0, sampledBytes: 0, sampled: 0, rows: 0, skipped: 0, acks: 0 });
/** One event in this many is serialised to estimate a page's bytes. */
const BYTES_SAMPLE = 16;
const estimatedBytes = (counts: Delivered): number => (counts.sampled === 0 ? 0 : (counts.sampledBytes / counts.sampled) * counts.events);

export async function benchUiTwoPages(): Promise<BenchRow[]> {
  const rendererDir = process.env['TUNNELSCOPE_RENDERER_DIR'] ?? path.join(ROOT, 'out', 'renderer');
  const missing: string[] = [];
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) missing.push(`the built UI (${path.relative(ROOT, path.join(rendererDir, 'index.html'))}; run npm run build)`);
  if (!fs.existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM})`);
  if (missing.length > 0) return [{ name: NAME, value: 'skipped', target: TARGET, met: 'skipped', note: `skipped: ${missing.join(' and ')} missing` }];

  const { chromium } = await import('playwright-core');
  const engine = new Engine({ host: 'web', version: 'bench', env: {} });
  // Per page connection (its subscription id), in the order the pages connect.
  const delivered = new Map<string, Delivered>();
  const deliveredOf = (id: string | undefined): Delivered | undefined => (id === undefined ? undefined : delivered.get(id));
  const observed: WebHostEngine = {
    invoke: (name, arg, caller) => {
      if (name === 'frames:ack') {
        const counts = deliveredOf(caller?.subscriptionId);
        if (counts) counts.acks += 1;
      }
      return engine.invoke(name, arg, caller);
    },
    onEvent: (listener) => engine.onEvent(listener),
    subscribe: (options) => {
      const counts = newDelivered();
      const subscription = engine.subscribe({
        ...options,
        deliver: (event) => {
          counts.events += 1;
          if (counts.events % BYTES_SAMPLE === 1) {
            counts.sampledBytes += JSON.stringify(event).length;
            counts.sampled += 1;
          }
          if (event.type === 'frames') counts.rows += event.frames.length;
          if (event.type === 'frames-skipped') counts.skipped += event.toSeq - event.fromSeq + 1;
          options.deliver(event);
        },
      });
      delivered.set(subscription.id, counts);
      return subscription;
    },
  };
  let lastSeq = 0;
  let streamEnded = 0;
  engine.onEvent((event: EngineEvent) => {
    // The seq range, not the summaries: this listener is a subscriber of its own, and reading them would build a third set.
    if (event.type === 'frames') lastSeq = Math.max(lastSeq, event.toSeq ?? event.frames.at(-1)?.seq ?? 0);
    if (event.type === 'closed') streamEnded = performance.now();
  });
  const host = await startWebHost({ engine: observed, rendererDir, port: 0, log: () => undefined });
  const server = await startServerProcess(['rate', String(PER_SECOND), String(SECONDS), '100', 'on-message']);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const open = async (): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript({ content: PROBE });
      await page.goto(host.url, { waitUntil: 'load' });
      await page.getByLabel('URL', { exact: true }).first().waitFor({ timeout: 15_000 });
      return page;
    };
    const pageA = await open();
    await pageA.getByLabel('URL', { exact: true }).first().fill(server.url);
    await pageA.getByRole('button', { name: 'Connect', exact: true }).first().click();
    await pageA.getByRole('status').filter({ hasText: 'open' }).first().waitFor({ timeout: 15_000 });
    const pageB = await open();
    const row = pageB.getByRole('list', { name: 'Sessions not in a tab' }).getByRole('listitem').first();
    await row.getByRole('button', { name: /^Adopt / }).click({ timeout: 15_000 });
    await pageB.getByRole('grid', { name: 'Frames' }).first().waitFor({ timeout: 15_000 });
    const pages: [string, Page][] = [
      ['A (opened it)', pageA],
      ['B (adopted it)', pageB],
    ];
    // Long tasks before the stream (page load, adopting) are not the ingest's.
    for (const [, page] of pages) await page.evaluate(RESET);
    const trace = await startRendererTrace(browser, 'ui-two-pages', pages);
    // The first message starts the stream.
    await pageA.getByLabel('Message', { exact: true }).first().fill('go');
    await pageA.getByRole('button', { name: 'Send', exact: true }).first().click();
    const startedAt = performance.now();

    const newest = async (page: Page): Promise<number> => {
      const value: unknown = await page.evaluate(NEWEST_SHOWN);
      return typeof value === 'number' ? value : 0;
    };
    const worstLag = new Map<Page, number>(pages.map(([, page]) => [page, 0]));
    const deadline = performance.now() + (SECONDS + 20) * 1000;
    // On request, what the pages look like halfway through the stream and once it is over (a screenshot costs the page CPU).
    const screenshotDir = process.env['TUNNELSCOPE_BENCH_SCREENSHOT_DIR'];
    const screenshots = async (when: string): Promise<void> => {
      if (screenshotDir === undefined) return;
      fs.mkdirSync(screenshotDir, { recursive: true });
      for (const [label, page] of pages) await page.screenshot({ path: path.join(screenshotDir, `ui-two-pages-${label.charAt(0)}-${when}.png`) });
    };
    let halfway = false;
    while (streamEnded === 0 && performance.now() < deadline) {
      await pause(500);
      for (const [, page] of pages) worstLag.set(page, Math.max(worstLag.get(page) ?? 0, lastSeq - (await newest(page))));
      if (!halfway && performance.now() - startedAt > (SECONDS * 1000) / 2) {
        halfway = true;
        await screenshots('during');
      }
    }
    const endedAt = streamEnded || performance.now();
    const cpuTasks = await trace.stop(2);
    const streamSeconds = (endedAt - startedAt) / 1000;
    const rows: BenchRow[] = [];
    const subscriptionIds = [...delivered.keys()];
    for (const [index, [label, page]] of pages.entries()) {
      let shown = await newest(page);
      while (shown < lastSeq && performance.now() - endedAt < CATCH_UP_MS) {
        await pause(100);
        shown = await newest(page);
      }
      if (index === pages.length - 1) await screenshots('after');
      const longTasks = await page.evaluate(() => [...(Reflect.get(globalThis, '__tunnelscopeLongTasks') as number[])]);
      const stallValue: unknown = await page.evaluate('globalThis.__tunnelscopeStall.worst');
      const longestStall = Math.max(0, (typeof stallValue === 'number' ? stallValue : 0) - TIMER_CLAMP_MS);
      const longest = longTasks.reduce((max, d) => Math.max(max, d), 0);
      const over = longTasks.filter((d) => d > LONG_TASK_MS).length;
      const keptUp = lastSeq >= TOTAL && shown >= lastSeq;
      // The pages connected in order A, B; each made one subscription (a page that reconnected would make more).
      const counts = deliveredOf(subscriptionIds[index]) ?? newDelivered();
      rows.push({
        name: `${NAME}: page ${label}`,
        value:
          `${longest > 0 ? `longest task ${formatNumber(longest)} ms (${over} over ${LONG_TASK_MS} ms)` : `no task over ${LONG_TASK_MS} ms`}, longest stall ${formatNumber(longestStall)} ms; ` +
          `log ${keptUp ? 'kept up' : `fell behind (newest row #${formatNumber(shown)} of ${formatNumber(lastSeq)})`}, worst lag ${formatNumber(Math.max(0, worstLag.get(page) ?? 0))} frames`,
        target: TARGET,
        met: longest <= LONG_TASK_MS && keptUp,
        note:
          `sent ${formatNumber(counts.rows)} frames as rows and ${formatNumber(counts.skipped)} as skipped ranges ` +
          `(${formatNumber(counts.rows / Math.max(1, lastSeq), 2)} of the stream as rows), ${formatNumber(counts.events)} events, ` +
          `about ${formatNumber(estimatedBytes(counts) / (1024 * 1024), 1)} MB (every ${BYTES_SAMPLE}th event measured), ${formatNumber(counts.acks)} frames:ack; the stream took ${formatNumber(streamSeconds, 1)} s ` +
          `(${formatNumber(lastSeq / Math.max(0.001, streamSeconds))} frames/s captured)`,
      });
    }
    rows.push({
      name: `${NAME}: the pages' tasks in CPU time`,
      value: describeThreads(cpuTasks),
      target: 'reference (the target is wall-clock)',
      met: 'reference',
      note: `Chromium's RunTask events during the stream, for the two busiest renderer main threads (the pages', not told apart): the thread's CPU time in each task, so a task stretched by waiting for a core on a loaded machine counts only for what it ran, and the thread's CPU time in all its tasks (the page's work, whatever the load)`,
    });
    return rows;
  } finally {
    await browser.close();
    await engine.dispose();
    await host.close();
    await server.stop();
  }
}
