/**
 * (4) The UI in Chromium (through the web host) ingesting 50,000 frames per second for 10 s.
 *
 * An engine and the web host run in this process; a server in its own process streams 500
 * frames every 10 ms; Chromium (playwright-core, /usr/bin/chromium) opens the UI, connects to
 * the server through the UI's own form, and records every main-thread task over 50 ms with a
 * PerformanceObserver('longtask'), and, since that API sees nothing under 50 ms, the longest stall
 * of a 4 ms timer loop in the page (a figure even when no task reaches 50 ms; an upper bound
 * of the longest task). "Kept up" is judged from the page itself: the log follows the
 * live end, so the newest row it renders must show the engine's newest seq within 2 s of the
 * end of the stream; how far it lagged at worst is sampled every half second. (The row count
 * would not do: the UI keeps only the newest frames in memory and pages older ones.)
 * Acknowledgements (`frames:ack`) the page sends are counted too. The browser is traced during
 * the stream (renderer-trace.ts): the page's tasks in CPU time, which a loaded machine does not
 * stretch, and its main thread's CPU time in all.
 *
 * Skipped, with the reason printed, when the built UI (out/renderer, or
 * TUNNELSCOPE_RENDERER_DIR) or Chromium is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../src-main/core/engine';
import type { EngineEvent } from '../src-main/shared/events';
import { startWebHost, type WebHostEngine } from '../src-main/web/server';
import { describeThreads, LONG_TASK_MS, startRendererTrace } from './renderer-trace';
import { startServerProcess } from './server-process';
import { formatNumber, pause, type BenchRow } from './stats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const PER_SECOND = 50_000;
const SECONDS = 10;
const TOTAL = PER_SECOND * SECONDS;
/** Chromium's minimum delay for a timer nested five deep or more. */
const TIMER_CLAMP_MS = 4;
const CATCH_UP_MS = 2000;
const NAME = `(4) UI ingest, ${formatNumber(PER_SECOND)} frames/s for ${SECONDS} s`;
const TARGET = 'no task > 50 ms; log keeps up';

export async function benchUiIngest(): Promise<BenchRow[]> {
  const rendererDir = process.env['TUNNELSCOPE_RENDERER_DIR'] ?? path.join(ROOT, 'out', 'renderer');
  const missing: string[] = [];
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) missing.push(`the built UI (${path.relative(ROOT, path.join(rendererDir, 'index.html'))}; run npm run build)`);
  if (!fs.existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM})`);
  if (missing.length > 0) return [{ name: NAME, value: 'skipped', target: TARGET, met: 'skipped', note: `skipped: ${missing.join(' and ')} missing` }];

  const { chromium } = await import('playwright-core');
  const engine = new Engine({ host: 'web', version: 'bench', env: {} });
  let acked = 0;
  let ackCalls = 0;
  // The web host talks to the engine through this wrapper, which notes the page's acknowledgements.
  const observed: WebHostEngine = {
    invoke: (name, arg, caller) => {
      if (name === 'frames:ack' && typeof arg === 'object' && arg !== null && 'seq' in arg && typeof arg.seq === 'number') {
        ackCalls += 1;
        acked = Math.max(acked, arg.seq);
      }
      return engine.invoke(name, arg, caller);
    },
    onEvent: (listener) => engine.onEvent(listener),
    subscribe: (options) => engine.subscribe(options),
  };
  let lastSeq = 0;
  let streamEnded = 0;
  engine.onEvent((event: EngineEvent) => {
    if (event.type === 'frames') lastSeq = Math.max(lastSeq, event.frames.at(-1)?.seq ?? 0);
    if (event.type === 'frames-skipped') lastSeq = Math.max(lastSeq, event.toSeq);
    if (event.type === 'closed') streamEnded = performance.now();
  });
  const host = await startWebHost({ engine: observed, rendererDir, port: 0, log: () => undefined });
  const server = await startServerProcess(['rate', String(PER_SECOND), String(SECONDS), '100']);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A string, not a function: it runs in the page, where the DOM's PerformanceObserver types apply.
    await page.addInitScript({
      content: `(() => {
        const durations = [];
        globalThis.__tunnelscopeLongTasks = durations;
        new PerformanceObserver((list) => { for (const entry of list.getEntries()) durations.push(entry.duration); })
          .observe({ type: 'longtask', buffered: true });
        // The long-task API reports only tasks over 50 ms. For a figure below that, a timer
        // loop notes the longest gap between its turns (Chromium runs it every 4 ms at best).
        const stall = { worst: 0, last: performance.now() };
        globalThis.__tunnelscopeStall = stall;
        const tick = () => {
          const now = performance.now();
          stall.worst = Math.max(stall.worst, now - stall.last);
          stall.last = now;
          setTimeout(tick, 0);
        };
        setTimeout(tick, 0);
      })();`,
    });
    await page.goto(host.url, { waitUntil: 'load' });
    const url = page.getByLabel('URL', { exact: true }).first();
    await url.waitFor({ timeout: 15_000 });
    await url.fill(server.url);
    await page.getByRole('button', { name: 'Connect', exact: true }).first().click();
    const connectedAt = performance.now();
    const grid = page.getByRole('grid', { name: 'Frames' }).first();
    await grid.waitFor({ timeout: 15_000 });
    // Long tasks before the stream (page load) are not the ingest's.
    await page.evaluate(`(() => {
      globalThis.__tunnelscopeLongTasks.splice(0);
      globalThis.__tunnelscopeStall.worst = 0;
      globalThis.__tunnelscopeStall.last = performance.now();
    })()`);
    // The page's tasks in CPU time too: the long-task API's figures are wall-clock time.
    const trace = await startRendererTrace(browser, 'ui-ingest', [['page', page]]);

    // The newest seq among the rows the log renders (a string: no bundler helper may leak into the page).
    const newestShownScript = `(() => {
      let max = 0;
      for (const cell of document.querySelectorAll('[role="grid"][aria-label="Frames"] [role="row"] [role="gridcell"]:first-child')) {
        const n = Number((cell.textContent || '').replace(/[^0-9]/g, ''));
        if (n > max) max = n;
      }
      return max;
    })()`;
    const rows = async (): Promise<number> => {
      const value: unknown = await page.evaluate(newestShownScript);
      return typeof value === 'number' ? value : 0;
    };
    let worstLag = 0;
    const deadline = performance.now() + (SECONDS + 15) * 1000;
    while (streamEnded === 0 && performance.now() < deadline) {
      await pause(500);
      worstLag = Math.max(worstLag, lastSeq - (await rows()));
    }
    const endedAt = streamEnded || performance.now();
    const cpuTasks = await trace.stop(1);
    let shown = await rows();
    while (shown < lastSeq && performance.now() - endedAt < CATCH_UP_MS) {
      await pause(100);
      shown = await rows();
    }
    const longTasks = await page.evaluate(() => [...(Reflect.get(globalThis, '__tunnelscopeLongTasks') as number[])]);
    const stallValue: unknown = await page.evaluate('globalThis.__tunnelscopeStall.worst');
    // The timer's own 4 ms are not the page's work.
    const longestStall = Math.max(0, (typeof stallValue === 'number' ? stallValue : 0) - TIMER_CLAMP_MS);
    const longest = longTasks.reduce((max, d) => Math.max(max, d), 0);
    const keptUp = lastSeq >= TOTAL && shown >= lastSeq;
    const over = longTasks.filter((d) => d > LONG_TASK_MS).length;
    const limits: string[] = [];
    if (longest > LONG_TASK_MS) limits.push(`${over} main-thread tasks over ${LONG_TASK_MS} ms (longest ${formatNumber(longest)} ms): the renderer's work per batch`);
    if (!keptUp) {
      const rate = shown / ((performance.now() - connectedAt) / 1000);
      limits.push(
        `the log's newest row was #${formatNumber(shown)} of ${formatNumber(lastSeq)} ${CATCH_UP_MS} ms after the stream ended (the page took in about ${formatNumber(rate)} frames/s)`,
      );
    }
    return [
      {
        name: NAME,
        value:
          `${longest > 0 ? `longest task ${formatNumber(longest)} ms` : `no task over ${LONG_TASK_MS} ms`} (longest stall ${formatNumber(longestStall)} ms); ` +
          `log ${keptUp ? 'kept up' : 'fell behind'} (worst lag ${formatNumber(Math.max(0, worstLag))} frames)`,
        target: TARGET,
        met: longest <= LONG_TASK_MS && keptUp,
        note: [
          ...limits,
          `tasks over ${LONG_TASK_MS} ms come from the browser's long-task API; the longest stall is the longest gap between turns of a 4 ms timer in the page, less 4 ms (it can span several shorter tasks in a row)`,
          `the page sent ${formatNumber(ackCalls)} frames:ack${ackCalls === 0 ? ' (no flow control from this UI)' : `, up to seq ${formatNumber(acked)}`}`].join('; '),
      },
      {
        name: `${NAME}: the page's tasks in CPU time`,
        value: describeThreads(cpuTasks),
        target: 'reference (the target is wall-clock)',
        met: 'reference',
        note: `Chromium's RunTask events during the stream, for the busiest renderer main thread (the page's): the thread's CPU time in each task and in all of them`,
      },
    ];
  } finally {
    await browser.close();
    await engine.dispose();
    await host.close();
    await server.stop();
  }
}
