/**
 * What the UI benches (parts 4 and 8) read from Chromium while a stream runs: a trace of the
 * renderers' main-thread tasks (Chromium's RunTask events carry the thread's CPU time, so a task
 * stretched by waiting for a core counts only for what it ran), and, on request, material to
 * find where the time goes:
 *
 * - TUNNELSCOPE_BENCH_TRACE_DIR=<dir>: the raw trace is written there (`<part>-trace.json`,
 *   with V8 and Blink categories added: opens in chrome://tracing or Perfetto).
 * - TUNNELSCOPE_BENCH_PROFILE_DIR=<dir>: each page is sampled by V8's profiler through CDP
 *   during the stream (`<part>-<page>.cpuprofile`, opens in DevTools' Performance panel).
 *
 * Both cost the pages CPU: the figures of such a run are for finding work, not for the table.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { z } from 'zod';

export const LONG_TASK_MS = 50;
const TASK_CATEGORIES = ['disabled-by-default-devtools.timeline'];
const DETAIL_CATEGORIES = ['devtools.timeline', 'v8', 'v8.execute', 'blink', 'cc', 'toplevel', 'disabled-by-default-v8.gc'];

/** One renderer main thread's tasks during the trace. */
export interface ThreadTasks {
  longestCpuMs: number;
  longestWallMs: number;
  /** Tasks that ran over LONG_TASK_MS of CPU. */
  overCpu: number;
  /** Tasks that took over LONG_TASK_MS of wall-clock time. */
  overWall: number;
  /** The thread's CPU time in all its tasks: the page's work, whatever the load. */
  totalCpuMs: number;
  tasks: number;
}

/** A trace and the page profiles asked for by the environment, running until `stop`. */
export interface RendererTrace {
  /** The `count` busiest renderer main threads, busiest first. */
  stop(count: number): Promise<ThreadTasks[]>;
}

export async function startRendererTrace(browser: Browser, part: string, pages: readonly [string, Page][]): Promise<RendererTrace> {
  const traceDir = process.env['TUNNELSCOPE_BENCH_TRACE_DIR'];
  const profileDir = process.env['TUNNELSCOPE_BENCH_PROFILE_DIR'];
  const profiling: [string, CDPSession][] = [];
  if (profileDir !== undefined) {
    for (const [label, page] of pages) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      profiling.push([label, cdp]);
    }
  }
  await browser.startTracing(undefined, { categories: traceDir === undefined ? TASK_CATEGORIES : [...TASK_CATEGORIES, ...DETAIL_CATEGORIES] });
  return {
    async stop(count) {
      const trace = await browser.stopTracing();
      for (const [label, cdp] of profiling) {
        const { profile } = await cdp.send('Profiler.stop');
        fs.mkdirSync(profileDir ?? '.', { recursive: true });
        fs.writeFileSync(path.join(profileDir ?? '.', `${part}-${label.replace(/[^A-Za-z0-9]+/g, '-')}.cpuprofile`), JSON.stringify(profile));
        await cdp.detach();
      }
      if (traceDir !== undefined) {
        fs.mkdirSync(traceDir, { recursive: true });
        fs.writeFileSync(path.join(traceDir, `${part}-trace.json`), trace);
      }
      return rendererTaskCpu(trace, count);
    },
  };
}

/** How the trace rows read in the bench's table: per thread, busiest first. */
export function describeThreads(threads: readonly ThreadTasks[]): string {
  if (threads.length === 0) return 'no renderer main thread in the trace';
  return threads
    .map(
      (t) =>
        `longest ${fmt(t.longestCpuMs)} ms of CPU (${t.overCpu} over ${LONG_TASK_MS} ms; longest in wall-clock time ${fmt(t.longestWallMs)} ms, ${t.overWall} over ${LONG_TASK_MS} ms), ` +
        `${fmt(t.totalCpuMs)} ms of CPU in ${t.tasks} tasks`,
    )
    .join('; ');
}

const fmt = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 0 });

/**
 * The `count` busiest renderer main threads of a Chromium trace (the pages'; the browser keeps
 * spare renderers too): each one's longest task in thread CPU time and in wall-clock time, how
 * many tasks took over LONG_TASK_MS, and the CPU time of all its tasks.
 */
export function rendererTaskCpu(trace: Buffer, count: number): ThreadTasks[] {
  const parsed: unknown = JSON.parse(trace.toString('utf8'));
  const events = traceEventsOf(parsed);
  const mainThreads = new Set<string>();
  for (const event of events) if (event.name === 'thread_name' && event.args?.name === 'CrRendererMain') mainThreads.add(`${event.pid}:${event.tid}`);
  const byThread = new Map<string, ThreadTasks>();
  for (const event of events) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.name !== 'RunTask' || event.ph !== 'X' || !mainThreads.has(thread)) continue;
    const figures = byThread.get(thread) ?? { longestCpuMs: 0, longestWallMs: 0, overCpu: 0, overWall: 0, totalCpuMs: 0, tasks: 0 };
    const cpuMs = (event.tdur ?? 0) / 1000;
    const wallMs = (event.dur ?? 0) / 1000;
    figures.totalCpuMs += cpuMs;
    figures.tasks += 1;
    figures.longestCpuMs = Math.max(figures.longestCpuMs, cpuMs);
    figures.longestWallMs = Math.max(figures.longestWallMs, wallMs);
    if (cpuMs > LONG_TASK_MS) figures.overCpu += 1;
    if (wallMs > LONG_TASK_MS) figures.overWall += 1;
    byThread.set(thread, figures);
  }
  return [...byThread.values()].sort((a, b) => b.totalCpuMs - a.totalCpuMs).slice(0, count);
}

/** The fields of a trace event read here (Chromium's trace format); other events and fields are ignored. */
const traceEventSchema = z.object({
  name: z.string().optional(),
  ph: z.string().optional(),
  pid: z.number().optional(),
  tid: z.number().optional(),
  dur: z.number().optional(),
  tdur: z.number().optional(),
  args: z.object({ name: z.unknown().optional() }).optional(),
});
type TraceEvent = z.infer<typeof traceEventSchema>;
const traceSchema = z.union([z.object({ traceEvents: z.array(z.unknown()) }), z.array(z.unknown())]);

/** The events of a trace file (an object with traceEvents, or a bare array); an entry that is not an event is skipped. */
function traceEventsOf(parsed: unknown): TraceEvent[] {
  const trace = traceSchema.safeParse(parsed);
  if (!trace.success) throw new Error(`the browser's trace is not a trace (${trace.error.issues[0]?.message ?? 'invalid'})`);
  const list = Array.isArray(trace.data) ? trace.data : trace.data.traceEvents;
  const events: TraceEvent[] = [];
  for (const item of list) {
    const event = traceEventSchema.safeParse(item);
    if (event.success) events.push(event.data);
  }
  return events;
}
