/**
 * `npm run bench`: the figures issue 5 asks for, each against its baseline measured in this
 * same run, printed as a table with whether each target was met and, where not, what limits
 * it. A benchmark prints figures; it never fails a build (no timed assertion in any test).
 *
 *   (1) echo through the engine's tunnel vs direct (64 B, 16 KB, 1 MB)
 *   (2) the engine capturing a flood vs a bare ws client
 *   (3) memory per frame with a million frames stored
 *   (4) the UI in Chromium ingesting 50,000 frames/s for 10 s (needs the built UI and web host)
 *   (5) regular-expression search over a million frames
 *   (6) PAC sandbox liveness: the calling thread's pauses under hostile scripts, timeouts, memory limit
 *   (7) the CLI (--listen --json, and the human output) vs a bare ws client, as processes
 *       writing to a pipe, direct and through Squid
 *   (8) the UI in Chromium, two pages on one stream of 100,000 frames/s for 10 s (each page its
 *       own subscription: its own batches and acknowledgements)
 *   (9) a 16 KB echo through the intercepting proxy (TLS on both sides) vs the same client
 *       through Squid alone
 *   (10) a decoded-field search over a million STOMP frames (issue 14): the first search decodes
 *       only the frames the raw prefilter cannot pass over (and, for reference, every frame on a
 *       second decoding without it), the next ones read the compact index of decoded fields
 *   (11) a JSONPath query search over a million GraphQL, MQTT 5, Socket.IO frames and the payload
 *       formats (the search's own in-order walk, passing over what the query's prefilter rules
 *       out), forward, again and backward first
 *   (12) the detail pane asking a frame far back in a million MQTT 5, GraphQL and Socket.IO
 *       frames (decoded from the decoder checkpoint before it), and the newest frame asked first
 *   (13) a STOMP frame of 1 MB in 100 B messages (text, and binary with content-length) vs one of
 *       10 KB: the CPU a message, which must not grow with the frame
 *
 * `npm run bench -- 1 3` runs only those parts.
 */
import os from 'node:os';
import { benchCapture } from './capture-flood';
import { benchCliFlood } from './cli-flood';
import { benchDecodedFarFrame } from './decoded-far-frame';
import { benchDecodedQuerySearch } from './decoded-query-search';
import { benchDecodedSearch } from './decoded-search';
import { benchIntercept } from './intercept-echo';
import { benchMemory } from './memory-per-frame';
import { benchPacLiveness } from './pac-liveness';
import { benchSearch } from './search-speed';
import { benchStompSplitFrame } from './stomp-split-frame';
import { formatNumber, type BenchRow } from './stats';
import { benchTunnel } from './tunnel-throughput';
import { benchUiIngest } from './ui-ingest';
import { benchUiTwoPages } from './ui-two-pages';

const PARTS: Record<string, { title: string; run: () => Promise<BenchRow[]> }> = {
  '1': { title: 'echo through the tunnel vs direct', run: benchTunnel },
  '2': { title: 'capture vs bare ws', run: benchCapture },
  '3': { title: 'memory per frame', run: benchMemory },
  '4': { title: 'UI ingest in Chromium', run: benchUiIngest },
  '5': { title: 'regex search', run: benchSearch },
  '6': { title: 'PAC sandbox liveness', run: benchPacLiveness },
  '7': { title: 'CLI vs bare ws, as processes', run: benchCliFlood },
  '8': { title: 'UI, two pages, 100,000 frames/s', run: benchUiTwoPages },
  '9': { title: 'intercepting proxy vs Squid alone, 16 KB echo', run: benchIntercept },
  '10': { title: 'search over decoded frames', run: benchDecodedSearch },
  '11': { title: 'query search over decoded frames', run: benchDecodedQuerySearch },
  '12': { title: 'a far frame in the detail pane', run: benchDecodedFarFrame },
  '13': { title: 'a STOMP frame in many messages', run: benchStompSplitFrame },
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((arg) => arg in PARTS);
  const order = wanted.length > 0 ? wanted : Object.keys(PARTS);
  const rows: BenchRow[] = [];
  const started = performance.now();
  const loadAtStart = os.loadavg();
  for (const key of order) {
    const part = PARTS[key];
    if (!part) continue;
    const partStarted = performance.now();
    process.stderr.write(`bench (${key}) ${part.title} …`);
    try {
      rows.push(...(await part.run()));
      process.stderr.write(` ${formatNumber((performance.now() - partStarted) / 1000, 1)} s\n`);
    } catch (error) {
      process.stderr.write(' failed\n');
      rows.push({ name: `(${key}) ${part.title}`, value: 'failed', target: '', met: false, note: error instanceof Error ? error.message : String(error) });
    }
  }
  printTable(rows);
  const load = (values: number[]): string => values.map((v) => v.toFixed(2)).join(' ');
  process.stdout.write(
    `\nTotal ${formatNumber((performance.now() - started) / 1000, 1)} s on ${os.cpus().length} cores, Node ${process.version}; ` +
      `load average ${load(loadAtStart)} at the start, ${load(os.loadavg())} at the end (figures on a shared machine move with it).\n`,
  );
}

function printTable(rows: readonly BenchRow[]): void {
  const header = ['benchmark', 'figure', 'baseline (same run)', 'ratio', 'target', 'met'];
  const cells = rows.map((row) => [
    row.name,
    row.value,
    row.baseline ?? '',
    row.ratio !== undefined && row.baseline !== undefined ? formatNumber(row.ratio, 3) : '',
    row.target,
    row.met === 'skipped' ? 'skipped' : row.met === 'reference' ? '–' : row.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => (line[i] ?? '').length)));
  const line = (values: readonly string[]): string => values.map((value, i) => value.padEnd(widths[i] ?? 0)).join(' │ ');
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('─┼─')}\n`);
  for (const values of cells) process.stdout.write(`${line(values)}\n`);
  const notes = rows.filter((row) => row.note);
  if (notes.length > 0) {
    process.stdout.write('\n');
    for (const row of notes) process.stdout.write(`${row.name}: ${row.note}\n`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
