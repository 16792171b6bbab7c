/**
 * (12) The detail pane asking for a frame far back in a session of a million frames (issue 14):
 * the rows have been scrolled through to the end (`frames:decode` for 40 rows every 4,000 frames,
 * so the cache's walk has read every frame in order), then the pane asks `frames:decode` with
 * values for frames 100,000 … 900,000 back, whose answers left the cache (it keeps 10,000).
 * Before decoder checkpoints each such request walked from the oldest stored frame (time linear
 * in its seq); with them it walks from the checkpoint before it (at most the spacing, 1,024
 * frames at a million). CPU time per request (median and the slowest); the answers are checked
 * against one decoder reading every frame in order. The walk through the rows is timed too (it
 * now leaves checkpoints), and, on a decoding that has read nothing, the newest frame asked
 * first: answered at once, marked "decoded without …" until the walk has caught up in slices
 * between events (then asked again: exact); and on a decoding whose only reading was a first
 * field search (`timedDecodedSearch`, the stream's filter), the newest frame and the frames far
 * back asked after it: exact at once from the checkpoints the search's walk left.
 *
 * BENCH_FAR_FRAMES=<n> runs it on another count, BENCH_FAR_STREAMS=mqtt5,graphql only those.
 * The same file runs on a tree without checkpoints (a baseline copy), which answers every request
 * exactly but walks from the first frame, and answers the newest frame asked first afresh.
 */
import { DecodeCommands } from '../src-main/core/decode-commands';
import { createDecoder } from '../src-main/core/decode/decoder-registry';
import { FrameStore } from '../src-main/core/session/frame-store';
import { DECODED_STREAMS, type DecodedStream } from './decoded-streams';
import { formatNumber, median, type BenchRow } from './stats';
import { timedDecodedSearch } from './timed-decoded-search';

const FRAMES = Number(process.env.BENCH_FAR_FRAMES ?? 1_000_000);
const STREAMS = (process.env.BENCH_FAR_STREAMS ?? 'mqtt5,graphql,socketio').split(',');
const ROWS = 40;
const ROW_STEP = 4000;
/** What a "decoded without the frames before" answer said in its summary before frames:decode's `unread` flag (a baseline tree). */
const UNREAD = / — decoded without the [\d,]+ frames before #[\d,]+ \(not read yet\)$/;

type Session = Parameters<DecodeCommands['decode']>[0];

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function decodeOne(decodes: DecodeCommands, session: Session, seq: number): string {
  return decodeMarked(decodes, session, seq).summary;
}

/** The frame's summary and whether it was answered decoded without the frames before it. */
function decodeMarked(decodes: DecodeCommands, session: Session, seq: number): { summary: string; marked: boolean } {
  const result = decodes.decode(session, { sessionId: session.id, seqs: [seq], values: true });
  if (!result.ok) throw new Error(result.error.message);
  const frame = result.value.frames[0];
  const summary = frame?.summary ?? '(nothing)';
  return { summary, marked: (frame !== undefined && 'unread' in frame) || UNREAD.test(summary) };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function benchStream(name: string, stream: DecodedStream): Promise<BenchRow> {
  const store = new FrameStore();
  stream.fill(FRAMES, (frame) => store.push(frame.dir, frame.opcode, frame.bytes));
  const last = store.lastSeq;
  const asked = [0.1, 0.3, 0.5, 0.7, 0.9].map((part) => Math.round(last * part));
  // The reference: one decoder reading every frame in order.
  const reference = new Map<number, string>();
  const decoder = createDecoder(stream.choice, stream.choice === 'socketio' ? { engineVersion: 4 } : {});
  for (let seq = store.firstSeq; seq <= last; seq++) {
    const entry = store.entry(seq);
    if (!entry) continue;
    const outcome = decoder.decode({ seq, dir: entry.dir, opcode: entry.opcode, bytes: new Uint8Array(entry.payload) });
    if (outcome && (asked.includes(seq) || seq === last)) reference.set(seq, outcome.summary);
  }
  const session: Session = { id: name, url: stream.url, frames: store, handshakeSteps: () => [] };
  const decodes = new DecodeCommands();
  const state = decodes.state(session, { sessionId: session.id, choice: stream.choice });
  if (!state.ok) throw new Error(state.error.message);
  // The rows scrolled through to the end.
  const scroll = process.cpuUsage();
  for (let from = 1; from <= last; from += ROW_STEP) {
    const seqs = Array.from({ length: ROWS }, (_, i) => from + i).filter((seq) => seq <= last);
    const rows = decodes.decode(session, { sessionId: session.id, seqs, values: false });
    if (!rows.ok) throw new Error(rows.error.message);
  }
  decodeOne(decodes, session, last);
  const scrollCpu = cpuMs(scroll);
  // The detail pane, frames far back.
  const times: number[] = [];
  let wrong = 0;
  for (const seq of asked) {
    const cpu = process.cpuUsage();
    const summary = decodeOne(decodes, session, seq);
    times.push(cpuMs(cpu));
    if (summary !== reference.get(seq)) wrong++;
  }
  // A decoding that has read nothing: the newest frame first.
  const fresh = new DecodeCommands();
  const freshState = fresh.state(session, { sessionId: session.id, choice: stream.choice });
  if (!freshState.ok) throw new Error(freshState.error.message);
  const first = process.cpuUsage();
  const firstAnswer = decodeMarked(fresh, session, last);
  const firstSummary = firstAnswer.summary;
  const firstCpu = cpuMs(first);
  const marked = firstAnswer.marked;
  const firstRight = firstSummary === reference.get(last);
  let caughtUp = '';
  if (marked) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let answer = firstAnswer;
    while (answer.marked) {
      await turn();
      answer = decodeMarked(fresh, session, last);
    }
    const summary = answer.summary;
    caughtUp = `; exact after ${formatNumber(performance.now() - started, 0)} ms (${formatNumber(cpuMs(cpu), 0)} ms CPU) of catch-up between events: ${summary === reference.get(last) ? 'equal to in order' : 'DIFFERENT'}`;
  }
  // A decoding whose only reading was a first field search: the newest frame, then the far ones.
  const searched = new DecodeCommands();
  const searchedState = searched.state(session, { sessionId: session.id, choice: stream.choice });
  if (!searchedState.ok) throw new Error(searchedState.error.message);
  const search = await timedDecodedSearch(store, searched, session, stream.filter);
  const afterSearch: number[] = [];
  let afterMarked = 0;
  let afterWrong = 0;
  for (const seq of [last, ...asked]) {
    const cpu = process.cpuUsage();
    const answer = decodeMarked(searched, session, seq);
    afterSearch.push(cpuMs(cpu));
    if (answer.marked) afterMarked++;
    else if (answer.summary !== reference.get(seq)) afterWrong++;
  }
  store.release();
  return {
    name: `(12) the detail pane asking a frame far back in ${formatNumber(last)} ${name} frames`,
    value: `${formatNumber(median(times), 1)} ms CPU a request (median; slowest ${formatNumber(Math.max(...times), 1)} ms)`,
    target: '< 100 ms',
    ratio: Math.max(...times),
    met: wrong === 0 && Math.max(...times) < 100,
    note:
      `frames ${asked.map((s) => formatNumber(s)).join(', ')}: ${times.map((t) => formatNumber(t, 0)).join(' / ')} ms CPU, ${wrong === 0 ? 'each equal to decoding in order' : `${wrong} DIFFERENT from decoding in order`}; ` +
      `the rows scrolled through first took ${formatNumber(scrollCpu, 0)} ms CPU (${formatNumber((scrollCpu * 1000) / last, 2)} µs a frame); ` +
      `the newest frame asked first on a fresh decoding: ${formatNumber(firstCpu, 1)} ms CPU, ${marked ? 'marked as decoded without the frames before it' : firstRight ? 'not marked, equal to in order' : 'not marked and DIFFERENT from in order (decoded afresh)'}${caughtUp}; ` +
      `after a first field search alone (${formatNumber(search.cpuMs, 0)} ms CPU, ${formatNumber(search.total)} matches), the newest frame and then the far ones: ${afterSearch.map((t) => formatNumber(t, 1)).join(' / ')} ms CPU, ${afterMarked === 0 ? 'none marked' : `${afterMarked} marked`}${afterWrong === 0 ? '' : `, ${afterWrong} DIFFERENT from in order`}`,
  };
}

export async function benchDecodedFarFrame(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const name of STREAMS) {
    const stream = (DECODED_STREAMS as Record<string, DecodedStream | undefined>)[name];
    if (!stream) throw new Error(`BENCH_FAR_STREAMS: no stream ${name} (there are ${Object.keys(DECODED_STREAMS).join(', ')})`);
    rows.push(await benchStream(name, stream));
  }
  return rows;
}
