/**
 * The searches' in-order walks leave decoder checkpoints (issue 14): a query search's walk
 * (in-order-match-walk.ts) and a field search's prefilter walk (prefilter-walk.ts) offer their
 * decoder to the session's checkpoints, passing over most frames with a prefilter. Every
 * checkpoint they leave equals the state of a decoder that read every frame before it in order,
 * and after one search any far frame decodes exactly at once (no marked answer). A field search
 * never matches on a marked answer: backward, with no walk before it, it counts as decoding in order.
 */
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import type { DecodeOutcome, DecoderName, StreamDecoder, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { decodedFields } from '../../../src-main/core/decode/decoded-fields';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import type { DecoderSnapshot } from '../../../src-main/core/decode/decoder-snapshot';
import { isUnread, MAX_WALK_FRAMES } from '../../../src-main/core/decode/frame-decode-cache';
import { StoreDecoding, type DecodableSession } from '../../../src-main/core/decode/store-decoding';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import type { DecodedFilter } from '../../../src-main/shared/decoding';
import { FAR_SPECS, farStream, framesOf, type FarStream } from './far-state-streams';

const FRAMES = 24_000;
const SOCKETIO_URL = 'ws://far.test/socket.io/?EIO=4&transport=websocket';

/** Per stream: a query and a field search whose prefilter passes over most frames (a match is rare). */
const SEARCHES: Record<string, { query: string; fields: DecodedFilter }> = {
  mqtt: { query: "$.topic == 'far/in'", fields: { topic: 'far/in' } },
  stomp: { query: "$.headers.destination == '/far'", fields: { destination: '/far' } },
  socketio: { query: "$.event == 'far'", fields: { event: 'far' } },
  'graphql-ws': { query: "$.operation.name == 'OnFar'", fields: { operation: 'OnFar' } },
  signalr: { query: "$.target == 'Send3'", fields: { event: 'Send3' } },
};

const STREAMS: readonly FarStream[] = FAR_SPECS.map((spec, k) => farStream(spec, FRAMES, 300 + k));

function protocolOf(stream: FarStream): DecoderName {
  return stream.name as DecoderName;
}

function makerOf(stream: FarStream): () => StreamDecoder {
  return () => createDecoder(protocolOf(stream), stream.name === 'socketio' ? { engineVersion: 4 } : {});
}

function storeOf(frames: readonly WireFrame[]): FrameStore {
  const store = new FrameStore({});
  for (const frame of frames) store.push(frame.dir, frame.opcode as 'text' | 'binary', Buffer.from(frame.bytes));
  return store;
}

function sessionOf(stream: FarStream, store: FrameStore, scannable = true): DecodableSession & { id: string } {
  const frames = framesOf(store, scannable);
  return { id: `${stream.name}-${String(scannable)}`, url: stream.name === 'socketio' ? SOCKETIO_URL : 'ws://far.test/', frames, handshakeSteps: () => [] };
}

/** Every frame decoded in order by one decoder: the answers, and the snapshot before each seq asked. */
function inOrder(stream: FarStream, snapshotsAt: ReadonlySet<number>): { answers: (DecodeOutcome | undefined)[]; snapshots: Map<number, DecoderSnapshot | undefined> } {
  const decoder = makerOf(stream)();
  const answers: (DecodeOutcome | undefined)[] = [];
  const snapshots = new Map<number, DecoderSnapshot | undefined>();
  for (const frame of stream.frames) {
    if (snapshotsAt.has(frame.seq)) snapshots.set(frame.seq, decoder.snapshot?.());
    answers[frame.seq] = decoder.decode({ ...frame, bytes: Uint8Array.from(frame.bytes) });
  }
  return { answers, snapshots };
}

/** The seqs of the session's checkpoints. */
function checkpointSeqs(decoding: StoreDecoding, last: number): number[] {
  const seqs: number[] = [];
  for (let seq = last; seq >= 1; ) {
    const checkpoint = decoding.checkpoints?.nearest(seq);
    if (!checkpoint) break;
    seqs.unshift(checkpoint.seq);
    seq = checkpoint.seq - 1;
  }
  return seqs;
}

/** Far frames: the stream's own, and every 997th from the end back. */
function farSeqsOf(stream: FarStream): number[] {
  const last = stream.frames.length;
  const spread: number[] = [];
  for (let seq = last; seq > MAX_WALK_FRAMES + 1; seq -= 997) spread.push(seq);
  return [...stream.farSeqs, ...spread];
}

function expectCheckpointsExact(stream: FarStream, decoding: StoreDecoding, walk: string): void {
  const last = stream.frames.length;
  const seqs = checkpointSeqs(decoding, last);
  // One every 1,024 frames, left by the search alone (nothing else decoded yet).
  expect(seqs.length, `${walk}: checkpoints`).toBeGreaterThanOrEqual(Math.floor(last / 1024) - 1);
  const { snapshots } = inOrder(stream, new Set(seqs));
  for (const seq of seqs) expect(decoding.checkpoints?.nearest(seq)?.snapshot, `${walk}: checkpoint before #${seq}`).toEqual(snapshots.get(seq));
}

function expectFarFramesExact(stream: FarStream, decoding: StoreDecoding, walk: string): void {
  const { answers } = inOrder(stream, new Set());
  for (const seq of farSeqsOf(stream)) {
    const outcome = decoding.decodeAt(seq);
    expect(isUnread(outcome), `${walk}: #${seq} marked`).toBe(false);
    expect(outcome, `${walk}: #${seq}`).toEqual(answers[seq]);
  }
}

describe("a search's in-order walk leaves exact checkpoints, and far frames then decode exactly at once", () => {
  for (const stream of STREAMS) {
    const search = SEARCHES[stream.name];
    if (!search) throw new Error(`no search for ${stream.name}`);
    const label = `${stream.name}${stream.frames[0]?.bytes.includes(0x6d) && stream.name === 'signalr' ? ' (MessagePack)' : ''}`;

    it(`${label}: a query search (${search.query})`, () => {
      const store = storeOf(stream.frames);
      const decoding = new StoreDecoding(protocolOf(stream), sessionOf(stream, store));
      const parsed = parseDecodedQuery(search.query);
      if (!parsed.ok) throw new Error(parsed.error);
      const query = parsed.query;
      const test = decoding.inOrderMatcher('q', (outcome) => outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value), { query });
      while (!(test.walkTowards?.(store.lastSeq, 2048) ?? true));
      test(store.lastSeq);
      expectCheckpointsExact(stream, decoding, 'query walk');
      expectFarFramesExact(stream, decoding, 'after a query search');
    });

    it(`${label}: a field search (${JSON.stringify(search.fields)})`, () => {
      const store = storeOf(stream.frames);
      const decoding = new StoreDecoding(protocolOf(stream), sessionOf(stream, store));
      const wanted = Object.fromEntries(
        Object.entries(search.fields).map(([name, value]) => [{ event: 'events', destination: 'destinations', topic: 'topics', operation: 'operations' }[name] ?? name, value]),
      );
      const test = decoding.fieldMatcher(wanted);
      while (!test.walkTowards(store.lastSeq, 2048));
      test(store.lastSeq);
      expectCheckpointsExact(stream, decoding, 'field walk');
      expectFarFramesExact(stream, decoding, 'after a field search');
    });
  }
});

describe('a field search never matches on a marked answer', () => {
  // MQTT 5 publishes far from their alias's setting: decoded without the frames before, no topic.
  const stream = STREAMS.find((s) => s.name === 'mqtt');
  if (!stream) throw new Error('no MQTT stream');
  const expected = (filter: DecodedFilter): number[] => {
    const { answers } = inOrder(stream, new Set());
    const hits: number[] = [];
    for (const frame of stream.frames) {
      const outcome = answers[frame.seq];
      if (outcome && outcome.kind !== 'invalid' && filter.topic !== undefined && decodedFields(outcome.value).topics.includes(filter.topic)) hits.push(frame.seq);
    }
    return hits;
  };

  for (const scannable of [false, true]) {
    it(`backward with no walk before it, as decoding in order (${scannable ? 'with' : 'without'} the raw prefilter)`, () => {
      const store = storeOf(stream.frames);
      const decodes = new DecodeCommands();
      const session = sessionOf(stream, store, scannable);
      expect(decodes.state(session, { sessionId: session.id, choice: 'mqtt' }).ok).toBe(true);
      const filter: DecodedFilter = { topic: 'far/in' };
      const test = decodes.predicate(session, filter);
      if (!test.ok) throw new Error(test.error.message);
      const hits: number[] = [];
      for (let seq = store.lastSeq; seq >= store.firstSeq; seq--) if (test.value(seq)) hits.unshift(seq);
      const reference = expected(filter);
      expect(reference.filter((seq) => seq > MAX_WALK_FRAMES).length).toBeGreaterThan(3);
      expect(hits).toEqual(reference);
    });
  }

  it('walkTowards takes the walk to the first frame in stretches, then the frames before it read no further', () => {
    const store = storeOf(stream.frames);
    const decodes = new DecodeCommands();
    const session = sessionOf(stream, store, false);
    decodes.state(session, { sessionId: session.id, choice: 'mqtt' });
    const test = decodes.predicate(session, { topic: 'far/in' });
    if (!test.ok) throw new Error(test.error.message);
    let stretches = 0;
    while (!(test.value.walkTowards?.(store.lastSeq, 2048) ?? true)) stretches++;
    expect(stretches).toBeGreaterThan(5);
    expect(test.value(store.lastSeq)).toBe(expected({ topic: 'far/in' }).includes(store.lastSeq));
  });
});
