/**
 * (10) Search over decoded frames: for each protocol with a decoded field (STOMP destination,
 * Socket.IO event, MQTT 3.1.1 and 5 topic, GraphQL over WebSocket operation, SignalR target), one million
 * frames (decoded-streams.ts: what makes each protocol stateful is in its stream) searched for
 * a decoded field as `frames:search` with `filter.decoded` runs it: the engine's DecodeCommands
 * predicate inside the search scanner, in time slices. Decoding is lazy: the first search runs
 * the raw prefilter (core/decode/raw-prefilter.ts for STOMP and Socket.IO, whose frames decode
 * alone; stateful-prefilter.ts for MQTT, GraphQL and SignalR, asked with the walk's decoder) and decodes
 * only the rest, keeping their decoded fields in a compact index (decoded-key-index.ts, 4 bytes
 * a frame); later searches read the index and what the first one passed over. For reference the
 * same first search runs on a second decoding of the same store without the prefilter (its
 * session shows no scan view), so it decodes every frame once: its count is the expected one.
 * The target (< 1 s) is checked on the first search with the prefilter and on the median of the
 * later ones; wall and CPU time are both shown (the machine may be shared). Then another value
 * of the same field is searched once (STOMP and Socket.IO test what the first walk passed over
 * again; MQTT, GraphQL and SignalR walk again, a walk per value), against its own reference, and
 * the first search runs once more backward from the newest frame on a decoding that has not
 * searched (the walk goes towards it a stretch per frame until the frames reach it).
 *
 * Capture is not touched by decoders (nothing decodes at capture time), so part (2) is the
 * capture figure with decoders present. BENCH_DECODED_FRAMES=<n> runs it on another count,
 * BENCH_DECODED_STREAMS=socketio,mqtt5 only those streams, BENCH_DECODED_REFERENCE=0 without
 * the reference (then the expected count is not known: the row says so).
 */
import { DecodeCommands } from '../src-main/core/decode-commands';
import { FrameStore } from '../src-main/core/session/frame-store';
import { DECODED_STREAMS, type DecodedStream } from './decoded-streams';
import { timedDecodedSearch as search, type DecodedSearchSession, type TimedSearch } from './timed-decoded-search';
import { formatNumber, median, type BenchRow } from './stats';

const FRAMES = Number(process.env.BENCH_DECODED_FRAMES ?? 1_000_000);
const STREAMS = (process.env.BENCH_DECODED_STREAMS ?? Object.keys(DECODED_STREAMS).join(',')).split(',');
const WITH_REFERENCE = process.env.BENCH_DECODED_REFERENCE !== '0';
const WARM_RUNS = 5;
const TARGET_MS = 1000;

type Session = DecodedSearchSession;
type Timed = TimedSearch;

async function benchStream(name: string, stream: DecodedStream): Promise<BenchRow> {
  const store = new FrameStore();
  stream.fill(FRAMES, (frame) => store.push(frame.dir, frame.opcode, frame.bytes));
  const session: Session = { id: name, url: stream.url, frames: store, handshakeSteps: () => [] };
  // The same store without its scan view: no prefilter, every frame decoded (the reference).
  const frames = { entry: (seq: number) => store.entry(seq), get firstSeq() { return store.firstSeq; }, get lastSeq() { return store.lastSeq; } };
  const unfiltered: Session = { id: `${name}-unfiltered`, url: stream.url, frames, handshakeSteps: () => [] };
  const decodes = new DecodeCommands();
  for (const s of [session, unfiltered]) {
    const state = decodes.state(s, { sessionId: s.id, choice: stream.choice });
    if (!state.ok) throw new Error(state.error.message);
  }
  const cold = await search(store, decodes, session, stream.filter);
  const warm: Timed[] = [];
  for (let run = 0; run < WARM_RUNS; run++) warm.push(await search(store, decodes, session, stream.filter));
  // Another value after these (a stateful prefilter's walk is per value), then its reference.
  const other = await search(store, decodes, session, stream.other);
  const reference = WITH_REFERENCE ? await search(store, decodes, unfiltered, stream.filter) : undefined;
  const otherReference = WITH_REFERENCE ? await search(store, decodes, unfiltered, stream.other) : undefined;
  // A first search backward from the newest frame, on a decoding that has not searched yet.
  const fresh = new DecodeCommands();
  const freshState = fresh.state(session, { sessionId: session.id, choice: stream.choice });
  if (!freshState.ok) throw new Error(freshState.error.message);
  const backward = await search(store, fresh, session, stream.filter, true);
  store.release();
  const warmMs = median(warm.map((w) => w.ms));
  const warmCpuMs = median(warm.map((w) => w.cpuMs));
  const [field, value] = Object.entries(stream.filter)[0] ?? ['?', '?'];
  const agree = reference === undefined || (cold.total === reference.total && warm.every((w) => w.total === reference.total) && other.total === otherReference?.total && backward.total === reference.total);
  const [otherField, otherValue] = Object.entries(stream.other)[0] ?? ['?', '?'];
  return {
    name: `(10) ${field} == ${value} over ${formatNumber(store.count || FRAMES)} ${name} frames`,
    value: `first ${formatNumber(cold.ms, 0)} ms (${formatNumber(cold.cpuMs, 0)} ms CPU), later ${formatNumber(warmMs, 0)} ms (${formatNumber(warmCpuMs, 0)} ms CPU, median of ${WARM_RUNS})`,
    ratio: Math.max(cold.ms, warmMs),
    target: `< ${formatNumber(TARGET_MS)} ms`,
    met: agree && reference !== undefined && cold.ms < TARGET_MS && warmMs < TARGET_MS,
    note:
      `found ${formatNumber(cold.total)} (later ${warm.map((w) => formatNumber(w.total)).join('/')}; ` +
      (reference
        ? `decoding every frame finds ${formatNumber(reference.total)}${agree ? '' : ' — DIFFERENT'}); without the prefilter the first search took ${formatNumber(reference.ms, 0)} ms (${formatNumber(reference.cpuMs, 0)} ms CPU, ${formatNumber((reference.cpuMs * 1000) / FRAMES, 2)} µs a frame)`
        : 'no reference run: BENCH_DECODED_REFERENCE=0)') +
      `; with it ${formatNumber((cold.cpuMs * 1000) / FRAMES, 2)} µs of CPU a frame; then ${otherField} == ${otherValue} took ${formatNumber(other.ms, 0)} ms (${formatNumber(other.cpuMs, 0)} ms CPU), found ${formatNumber(other.total)}` +
      (otherReference ? ` (decoding every frame ${formatNumber(otherReference.total)})` : '') +
      `; a first search backward ${formatNumber(backward.ms, 0)} ms (${formatNumber(backward.cpuMs, 0)} ms CPU), found ${formatNumber(backward.total)}`,
  };
}

export async function benchDecodedSearch(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const name of STREAMS) {
    const stream = (DECODED_STREAMS as Record<string, DecodedStream | undefined>)[name];
    if (!stream) throw new Error(`BENCH_DECODED_STREAMS: no stream '${name}' (there are ${Object.keys(DECODED_STREAMS).join(', ')})`);
    rows.push(await benchStream(name, stream));
  }
  return rows;
}
