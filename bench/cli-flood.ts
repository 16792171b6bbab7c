/**
 * (7) The command line against a bare client, both run as a user runs them: each its own
 * process, its stdout a pipe this process drains (and counts), the flood server a third
 * process (server-child.mjs: N × 100 B text messages, then close 1000). Direct, and through a
 * real Squid (skipped, with the reason, where Squid is missing).
 *
 *   bare   node bench/bare-client.mjs <url> [<proxy>]: Node `ws`, one JSON line per message
 *          (what it writes, and why that is the fair baseline: see bare-client.mjs)
 *   json   tunnelscope connect <url> --listen --json (via tsx, as `npm run cli` runs it)
 *   human  tunnelscope connect <url> --listen (the human output; no colours, as in a pipe)
 *
 * Each run is timed from the open (the first chunk of output holding the open line) to the
 * last chunk of output: start-up (tsx compiles the CLI) and exit are left out, they are the
 * same whatever the flood. The CPU time each process used over that span is read from
 * /proc/<pid>/stat (10 ms ticks) when the open line arrives and with every later chunk: on a
 * loaded machine it moves far less than the wall clock, so its ratio is printed too. Rounds alternate which side goes first; each round's ratios are
 * taken against that round's bare run, and the medians of those are printed.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSquid, squidMissing, type RunningSquid } from '../test/support/squid';
import { startServerProcess } from './server-process';
import { formatNumber, median, type BenchRow } from './stats';

const MESSAGES = 300_000;
const SIZE = 100;
const WARMUP_ROUNDS = 1;
const ROUNDS = 5;
const JSON_TARGET = { direct: 1.1, squid: 1.25 } as const;
const HUMAN_TARGET = 1.5;
/** USER_HZ: what /proc counts CPU time in (100 on every Linux this runs on). */
const CLOCK_TICKS = 100;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const BARE = path.join(HERE, 'bare-client.mjs');
const CLI = path.join(ROOT, 'src-main', 'cli', 'index.ts');

type Side = 'bare' | 'json' | 'human' | 'json-base' | 'human-base';
type CliSide = Exclude<Side, 'bare'>;
type Route = 'direct' | 'squid';

/**
 * BENCH_CLI_BASE=<another checkout>/src-main/cli/index.ts adds that CLI's two outputs to every
 * round (reference rows): a before/after comparison measured in the same rounds, interleaved.
 */
const BASE_CLI = process.env.BENCH_CLI_BASE;

/** What the reader saw of one run. */
interface RunFigures {
  /** From the chunk with the open line to the last chunk, ms. */
  ms: number;
  /** CPU time the process used over the same span (all its threads), ms; NaN where /proc is missing. */
  cpuMs: number;
  /** From spawn to exit (start-up and exit included), ms. */
  wallMs: number;
  lines: number;
}

/** The line each side writes once open (no colours: stdout is a pipe). */
function openMarker(side: Side): string {
  return side === 'human' || side === 'human-base' ? 'WebSocket connected' : '{"type":"state","state":"open"}';
}

export async function benchCliFlood(): Promise<BenchRow[]> {
  const server = await startServerProcess(['flood', String(MESSAGES), String(SIZE)]);
  let squid: RunningSquid | undefined;
  const rows: BenchRow[] = [];
  try {
    if (squidMissing === undefined) squid = await startSquid({ connectPorts: 'any' });
    rows.push(...(await benchRoute('direct', server.url, undefined)));
    if (squid) rows.push(...(await benchRoute('squid', server.url, squid.url)));
    else {
      rows.push({ name: `(7) CLI --json through Squid`, value: 'skipped', target: `≤ ${JSON_TARGET.squid}× bare ws`, met: 'skipped', note: squidMissing });
    }
  } finally {
    await squid?.stop();
    await server.stop();
  }
  return rows;
}

async function benchRoute(route: Route, url: string, proxy: string | undefined): Promise<BenchRow[]> {
  const cliSides: CliSide[] = BASE_CLI ? ['json', 'human', 'json-base', 'human-base'] : ['json', 'human'];
  const sides: Side[] = ['bare', ...cliSides];
  for (let round = 0; round < WARMUP_ROUNDS; round++) for (const side of sides) await runSide(side, url, proxy);
  const runs = new Map<Side, RunFigures[]>(sides.map((side) => [side, []]));
  const ratios = new Map<CliSide, number[]>(cliSides.map((side) => [side, []]));
  const cpuRatios = new Map<CliSide, number[]>(cliSides.map((side) => [side, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order, so no side always runs first (or right after another).
    const order = sides.map((_, i) => sides[(i + round) % sides.length] ?? 'bare');
    const figures = new Map<Side, RunFigures>();
    for (const side of order) figures.set(side, await runSide(side, url, proxy));
    const bare = figures.get('bare');
    if (!bare) throw new Error('the bare run is missing');
    for (const side of sides) {
      const run = figures.get(side);
      if (!run) throw new Error(`the ${side} run is missing`);
      runs.get(side)?.push(run);
      if (side === 'bare') continue;
      ratios.get(side)?.push(run.ms / bare.ms);
      cpuRatios.get(side)?.push(run.cpuMs / bare.cpuMs);
    }
  }
  const of = (side: Side, pick: (run: RunFigures) => number): number => median((runs.get(side) ?? []).map(pick));
  const nsPer = (value: number): string => `${formatNumber((value * 1e6) / MESSAGES)} ns/msg`;
  const where = route === 'direct' ? 'direct' : 'through Squid';
  const bareMs = of('bare', (run) => run.ms);
  const baseline = `${formatNumber(bareMs)} ms bare ws (${nsPer(bareMs)})`;
  const common = `open to last output byte, median of ${ROUNDS} rounds (order rotated) after ${WARMUP_ROUNDS} warm-up`;
  return cliSides.map((side): BenchRow => {
    const ratio = median(ratios.get(side) ?? []);
    const json = side === 'json' || side === 'json-base';
    const target = json ? JSON_TARGET[route] : HUMAN_TARGET;
    const base = side.endsWith('-base');
    const ms = of(side, (run) => run.ms);
    return {
      name: `(7) ${base ? 'reference: base ' : ''}CLI --listen${json ? ' --json' : ' (human output)'} to a pipe, ${where}${json && !base ? `, ${formatNumber(MESSAGES)} × ${SIZE} B` : ''}`,
      value: `${formatNumber(ms)} ms (${nsPer(ms)})`,
      baseline,
      ratio,
      target: base ? 'none (reference)' : `≤ ${target}× bare ws`,
      met: base ? 'reference' : ratio <= target,
      note:
        `CPU ${formatNumber(of(side, (run) => run.cpuMs))} ms vs ${formatNumber(of('bare', (run) => run.cpuMs))} ms bare ` +
        `(ratio ${formatNumber(median(cpuRatios.get(side) ?? []), 3)}); ${common}; spawn to exit ${formatNumber(of(side, (run) => run.wallMs))} ms ` +
        `vs ${formatNumber(of('bare', (run) => run.wallMs))} ms bare (tsx start-up included)${base ? `; ${BASE_CLI ?? ''}` : ''}`,
    };
  });
}

/** Spawns one side, drains its stdout, and times it; rejects unless it saw every message. */
function runSide(side: Side, url: string, proxy: string | undefined): Promise<RunFigures> {
  const entry = side.endsWith('-base') && BASE_CLI ? BASE_CLI : CLI;
  const json = side === 'json' || side === 'json-base';
  const args =
    side === 'bare'
      ? [BARE, url, ...(proxy ? [proxy] : [])]
      : ['--import', 'tsx', entry, 'connect', url, '--listen', ...(json ? ['--json'] : []), ...(proxy ? ['--proxy', proxy] : ['--no-proxy'])];
  // No proxy from this environment, no colours: what a pipe gets.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' };
  const spawned = performance.now();
  const child = spawn(process.execPath, args, { cwd: side.endsWith('-base') ? path.dirname(path.dirname(path.dirname(entry))) : ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const marker = openMarker(side);
  return new Promise((resolve, reject) => {
    let head = '';
    let openedAt = 0;
    let lastAt = 0;
    let cpuAtOpen = 0;
    let cpuAtLast = 0;
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      lastAt = performance.now();
      if (openedAt === 0) {
        // Only the lines before the open are kept and searched (a few hundred bytes).
        head += chunk.toString('utf8');
        if (head.includes(marker)) {
          openedAt = lastAt;
          cpuAtOpen = cpuMsOf(child.pid);
        }
      }
      cpuAtLast = cpuMsOf(child.pid);
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines += 1;
    });
    child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - spawned;
      if (code !== 0 || openedAt === 0 || lines < MESSAGES) {
        reject(new Error(`${side} exited ${code} after ${lines} lines${openedAt === 0 ? ' (never open)' : ''}: ${stderr.trim()}`));
      } else resolve({ ms: lastAt - openedAt, cpuMs: cpuAtLast - cpuAtOpen, wallMs, lines });
    });
  });
}

/** User + system CPU time of a running process (all threads), ms, from /proc; NaN where there is none. */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The fields after the command name (which may hold spaces) start with the state; utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
