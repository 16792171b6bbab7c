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
 * same whatever the flood. Rounds alternate which side goes first; each round's ratios are
 * taken against that round's bare run, and the medians of those are printed.
 */
import { spawn } from 'node:child_process';
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

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const BARE = path.join(HERE, 'bare-client.mjs');
const CLI = path.join(ROOT, 'src-main', 'cli', 'index.ts');

type Side = 'bare' | 'json' | 'human';
type Route = 'direct' | 'squid';

/** What the reader saw of one run. */
interface RunFigures {
  /** From the chunk with the open line to the last chunk, ms. */
  ms: number;
  /** From spawn to exit (start-up and exit included), ms. */
  wallMs: number;
  lines: number;
}

/** The line each side writes once open (no colours: stdout is a pipe). */
const OPEN_MARKER: Record<Side, string> = {
  bare: '{"type":"state","state":"open"}',
  json: '{"type":"state","state":"open"}',
  human: 'WebSocket connected',
};

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
  const sides: Side[] = ['bare', 'json', 'human'];
  for (let round = 0; round < WARMUP_ROUNDS; round++) for (const side of sides) await runSide(side, url, proxy);
  const runs: Record<Side, RunFigures[]> = { bare: [], json: [], human: [] };
  const ratios: Record<'json' | 'human', number[]> = { json: [], human: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order, so no side always runs first (or right after another).
    const order = sides.map((_, i) => sides[(i + round) % sides.length] ?? 'bare');
    const figures: Partial<Record<Side, RunFigures>> = {};
    for (const side of order) figures[side] = await runSide(side, url, proxy);
    const { bare, json, human } = figures;
    if (!bare || !json || !human) throw new Error('a run is missing');
    runs.bare.push(bare);
    runs.json.push(json);
    runs.human.push(human);
    ratios.json.push(json.ms / bare.ms);
    ratios.human.push(human.ms / bare.ms);
  }
  const ms = (side: Side): number => median(runs[side].map((run) => run.ms));
  const wall = (side: Side): number => median(runs[side].map((run) => run.wallMs));
  const nsPer = (value: number): string => `${formatNumber((value * 1e6) / MESSAGES)} ns/msg`;
  const where = route === 'direct' ? 'direct' : 'through Squid';
  const baseline = `${formatNumber(ms('bare'))} ms bare ws (${nsPer(ms('bare'))})`;
  const jsonRatio = median(ratios.json);
  const humanRatio = median(ratios.human);
  const jsonTarget = JSON_TARGET[route];
  const common = `open to last output byte, median of ${ROUNDS} rounds (order rotated) after ${WARMUP_ROUNDS} warm-up; spawn to exit`;
  return [
    {
      name: `(7) CLI --listen --json to a pipe, ${where}, ${formatNumber(MESSAGES)} × ${SIZE} B`,
      value: `${formatNumber(ms('json'))} ms (${nsPer(ms('json'))})`,
      baseline,
      ratio: jsonRatio,
      target: `≤ ${jsonTarget}× bare ws`,
      met: jsonRatio <= jsonTarget,
      note: `${common} ${formatNumber(wall('json'))} ms vs ${formatNumber(wall('bare'))} ms bare (tsx start-up included)`,
    },
    {
      name: `(7) CLI --listen (human output) to a pipe, ${where}`,
      value: `${formatNumber(ms('human'))} ms (${nsPer(ms('human'))})`,
      baseline,
      ratio: humanRatio,
      target: `≤ ${HUMAN_TARGET}× bare ws`,
      met: humanRatio <= HUMAN_TARGET,
      note: `${common} ${formatNumber(wall('human'))} ms`,
    },
  ];
}

/** Spawns one side, drains its stdout, and times it; rejects unless it saw every message. */
function runSide(side: Side, url: string, proxy: string | undefined): Promise<RunFigures> {
  const args =
    side === 'bare'
      ? [BARE, url, ...(proxy ? [proxy] : [])]
      : ['--import', 'tsx', CLI, 'connect', url, '--listen', ...(side === 'json' ? ['--json'] : []), ...(proxy ? ['--proxy', proxy] : ['--no-proxy'])];
  // No proxy from this environment, no colours: what a pipe gets.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' };
  const spawned = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const marker = OPEN_MARKER[side];
  return new Promise((resolve, reject) => {
    let head = '';
    let openedAt = 0;
    let lastAt = 0;
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      lastAt = performance.now();
      if (openedAt === 0) {
        // Only the lines before the open are kept and searched (a few hundred bytes).
        head += chunk.toString('utf8');
        if (head.includes(marker)) openedAt = lastAt;
      }
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines += 1;
    });
    child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - spawned;
      if (code !== 0 || openedAt === 0 || lines < MESSAGES) {
        reject(new Error(`${side} exited ${code} after ${lines} lines${openedAt === 0 ? ' (never open)' : ''}: ${stderr.trim()}`));
      } else resolve({ ms: lastAt - openedAt, wallMs, lines });
    });
  });
}
