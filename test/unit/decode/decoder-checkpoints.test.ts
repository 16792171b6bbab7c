/**
 * Decoder snapshots and checkpoints (decoder-snapshot.ts, decoder-checkpoints.ts) and the
 * FrameDecodeCache that walks from them: for every stateful protocol, streams whose frames need
 * state set more than 10,000 frames earlier, asked in random order (far ahead, far back, after
 * the cache dropped them, after the store evicted the front), answer as decoding every frame in
 * order; an answer that could not be walked to at once says so and is exact after catchUp.
 */
import { describe, expect, it } from 'vitest';
import type { DecodeOutcome, DecoderName, StreamDecoder, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { DecoderCheckpoints, MAX_CHECKPOINTS } from '../../../src-main/core/decode/decoder-checkpoints';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { MAX_SNAPSHOT_BYTES, STATELESS_DECODERS, type DecoderSnapshot } from '../../../src-main/core/decode/decoder-snapshot';
import { DEFAULT_CACHE_ENTRIES, FrameDecodeCache, isUnread, MAX_WALK_FRAMES, REWALK_KEPT_FRAMES } from '../../../src-main/core/decode/frame-decode-cache';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { CATCH_UP_SLICE, StoreDecoding } from '../../../src-main/core/decode/store-decoding';
import { FAR_SPECS, farStream, seeded, type FarStream } from './far-state-streams';

const FRAMES = 24_000;
const STREAMS: readonly FarStream[] = FAR_SPECS.map((spec, k) => farStream(spec, FRAMES, 100 + k));
const urlOf = (name: string): DecoderName => (name === 'socketio' ? 'socketio' : (name as DecoderName));
const makerOf = (stream: FarStream) => (): StreamDecoder => createDecoder(urlOf(stream.name), stream.name === 'socketio' ? { engineVersion: 4 } : {});

function decodeInOrder(frames: readonly WireFrame[], make: () => StreamDecoder, from = 1): (DecodeOutcome | undefined)[] {
  const decoder = make();
  const out: (DecodeOutcome | undefined)[] = [];
  for (const frame of frames) out[frame.seq] = frame.seq >= from ? decoder.decode(copy(frame)) : undefined;
  return out;
}

const inOrderOf = new Map<FarStream, readonly (DecodeOutcome | undefined)[]>();

/** Every frame of the stream decoded in order from the first, once per file: the tests only compare with it. */
function expectedOf(stream: FarStream): readonly (DecodeOutcome | undefined)[] {
  let expected = inOrderOf.get(stream);
  if (!expected) {
    expected = decodeInOrder(stream.frames, makerOf(stream));
    inOrderOf.set(stream, expected);
  }
  return expected;
}

/** As the store's reader: a fresh copy of the payload each time. */
function copy(frame: WireFrame): WireFrame {
  return { ...frame, bytes: Uint8Array.from(frame.bytes) };
}

/** A store of the frames whose front can be evicted, counting reads. */
function storeOf(frames: readonly WireFrame[]): { read: (seq: number) => WireFrame | undefined; firstSeq: () => number; evict: (before: number) => void; reads: () => number } {
  let first = 1;
  let reads = 0;
  return {
    read: (seq) => {
      reads++;
      const frame = seq >= first ? frames[seq - 1] : undefined;
      return frame ? copy(frame) : undefined;
    },
    firstSeq: () => first,
    evict: (before) => {
      first = before;
    },
    reads: () => reads,
  };
}

describe('decoder snapshots: a restored decoder decodes the rest as the one it was taken from', () => {
  for (const stream of STREAMS) {
    it(`${stream.name}${stream.name === 'signalr' && stream.frames[0]?.bytes.includes(0x6d) ? ' (MessagePack)' : ''}: at every frame of the first 3,000, and across the long split`, () => {
      const make = makerOf(stream);
      const frames = stream.frames;
      const expected = expectedOf(stream);
      const original = make();
      const snapshots: { seq: number; snapshot: DecoderSnapshot }[] = [];
      for (const frame of frames.slice(0, 3_000)) {
        const snapshot = original.snapshot?.();
        expect(snapshot, `snapshot before ${frame.seq}`).toBeDefined();
        if (snapshot && frame.seq % 7 === 0) snapshots.push({ seq: frame.seq, snapshot });
        original.decode(copy(frame));
      }
      // Taken earlier while the original went on: still the state then (a deep copy).
      for (const { seq, snapshot } of snapshots) {
        const restored = make();
        restored.restore?.(snapshot);
        for (const frame of frames.slice(seq - 1, seq + 40)) expect(restored.decode(copy(frame)), `from ${seq}, frame ${frame.seq}`).toEqual(expected[frame.seq]);
      }
      // In the middle of the 11,000-frame split: the rest still joins.
      const middle = 10_000;
      const before = make();
      for (const frame of frames.slice(0, middle - 1)) before.decode(copy(frame));
      const snapshot = before.snapshot?.();
      if (!snapshot) throw new Error('no snapshot');
      const restored = make();
      restored.restore?.(snapshot);
      for (const frame of frames.slice(middle - 1)) expect(restored.decode(copy(frame)), `frame ${frame.seq}`).toEqual(expected[frame.seq]);
    });
  }

  it('every decoder takes and restores one; a snapshot of another protocol is refused with its names', () => {
    for (const name of ['socketio', 'stomp', 'mqtt', 'graphql-ws', 'signalr', 'msgpack', 'cbor', 'protobuf', 'compressed', 'base64'] as const) {
      const decoder = createDecoder(name);
      const snapshot = decoder.snapshot?.();
      if (!snapshot) throw new Error(`no snapshot from ${name}`);
      expect(snapshot.protocol).toBe(name);
      expect(() => createDecoder(name).restore?.(snapshot)).not.toThrow();
      expect(STATELESS_DECODERS.has(name)).toBe(snapshot.bytes === 0 && !['socketio', 'stomp', 'mqtt', 'graphql-ws', 'signalr'].includes(name));
    }
    expect(() => new StompDecoder().restore(new GraphqlWsDecoder().snapshot())).toThrow("a graphql-ws decoder's snapshot cannot be restored into a stomp decoder");
  });

  it('bounds: GraphQL at its 10,000 operations, a STOMP frame over 4 MB not taken', () => {
    const graphql = new GraphqlWsDecoder();
    for (let i = 0; i < 12_000; i++) {
      graphql.decode({ seq: i + 1, dir: 'out', opcode: 'text', bytes: Buffer.from(`{"type":"subscribe","id":"op-${i}","payload":{"query":"subscription OnPrice${i % 97} { p }"}}`) });
    }
    const snapshot = graphql.snapshot();
    if (snapshot.protocol !== 'graphql-ws') throw new Error('not a GraphQL snapshot');
    // 10,000 ids (the oldest 2,000 dropped), 32 B each by the estimate (the strings are shared).
    expect(snapshot.operations.length).toBe(30_000);
    expect(snapshot.operations[0]).toBe('op-2000');
    expect(snapshot.bytes).toBe(320_000);
    const stomp = new StompDecoder();
    const big = Buffer.alloc(1024 * 1024, 0x61);
    stomp.decode({ seq: 1, dir: 'in', opcode: 'text', bytes: Buffer.from('MESSAGE\ndestination:/q\n\n') });
    for (let i = 0; i < 5; i++) stomp.decode({ seq: i + 2, dir: 'in', opcode: 'text', bytes: big });
    expect(stomp.snapshot()).toBeUndefined();
    // The frame ends: small again.
    stomp.decode({ seq: 7, dir: 'in', opcode: 'text', bytes: Buffer.from('\0') });
    expect(stomp.snapshot()?.bytes).toBe(0);
    expect(MAX_SNAPSHOT_BYTES).toBe(4 * 1024 * 1024);
  });
});

describe('DecoderCheckpoints: spaced, thinned, dropped with evicted frames', () => {
  it('one every 1,024 frames at first; past its count the spacing doubles; the bytes bounded', () => {
    let first = 1;
    const checkpoints = new DecoderCheckpoints(() => first, 1024, 16, 10_000);
    const decoder = new GraphqlWsDecoder();
    for (let seq = 1; seq <= 100_000; seq++) checkpoints.offer(seq, decoder);
    expect(checkpoints.count).toBeLessThanOrEqual(16);
    expect(checkpoints.spacing).toBe(8192);
    expect(checkpoints.nearest(50_000)?.seq).toBe(49_153);
    first = 60_000;
    expect(checkpoints.nearest(59_999)).toBeUndefined();
    expect(checkpoints.nearest(70_000)?.seq).toBe(65_537);
    // Bytes: each snapshot of a decoder with 200 operations counts 6,400 B; 20,000 B hold three.
    const heavy = new GraphqlWsDecoder();
    for (let i = 0; i < 200; i++) heavy.decode({ seq: i + 1, dir: 'out', opcode: 'text', bytes: Buffer.from(`{"type":"subscribe","id":"x${i}","payload":{"query":"query Q${i} { q }"}}`) });
    const small = new DecoderCheckpoints(() => 1, 10, 100, 20_000);
    for (let seq = 1; seq <= 1_000; seq++) small.offer(seq, heavy);
    expect(small.size).toBeLessThanOrEqual(20_000);
    expect(small.count).toBeGreaterThanOrEqual(2);
    expect(small.spacing).toBeGreaterThan(10);
    expect(MAX_CHECKPOINTS).toBe(2048);
  });
});

describe('DecoderCheckpoints.due: offered in any order, never two within the spacing, none missing', () => {
  it('walks forward and back over random stretches', () => {
    const random = seeded(11);
    const checkpoints = new DecoderCheckpoints(() => 1, 100, 100_000, Infinity);
    const decoder = new StompDecoder();
    for (let round = 0; round < 200; round++) {
      const from = 1 + Math.floor(random() * 50_000);
      for (let seq = from; seq < from + Math.floor(random() * 2_000); seq++) checkpoints.offer(seq, decoder);
    }
    const seqs: number[] = [];
    for (let seq = 1; seq <= 52_000; seq++) if (checkpoints.nearest(seq)?.seq === seq) seqs.push(seq);
    expect(seqs.length).toBe(checkpoints.count);
    for (let i = 1; i < seqs.length; i++) expect((seqs[i] ?? 0) - (seqs[i - 1] ?? 0)).toBeGreaterThanOrEqual(100);
    // due (with its remembered quiet stretch) agrees with looking at the neighbours, asked in order and at random.
    let at = 0;
    const naive = (seq: number): boolean => {
      while (at < seqs.length && (seqs[at] ?? 0) <= seq) at++;
      const before = seqs[at - 1];
      const after = seqs[at];
      return (before === undefined || seq - before >= 100) && (after === undefined || after - seq >= 100);
    };
    let disagree = 0;
    for (let seq = 1; seq <= 52_000; seq++) if (checkpoints.due(seq) !== naive(seq)) disagree++;
    expect(disagree).toBe(0);
    for (let k = 0; k < 2_000; k++) {
      const seq = 1 + Math.floor(random() * 52_000);
      at = 0;
      if (checkpoints.due(seq) !== naive(seq)) disagree++;
    }
    expect(disagree).toBe(0);
  });
});

describe('FrameDecodeCache with checkpoints: any order answers as decoding every frame in order', () => {
  for (const stream of STREAMS) {
    it(`${stream.name}: far ahead, far back, random, after the cache and the store dropped frames`, () => {
      const make = makerOf(stream);
      const expected = expectedOf(stream);
      const store = storeOf(stream.frames);
      const cache = new FrameDecodeCache(make, store.read, 300, undefined, store.firstSeq);
      const random = seeded(7);
      const last = stream.frames.length;
      const asked = [last, last - 12_000, 3, ...stream.farSeqs, 6_000, last - 1, ...Array.from({ length: 150 }, () => 1 + Math.floor(random() * last)), 16_000, 2_000];
      let marked = 0;
      for (const seq of asked) {
        const before = store.reads();
        let got = cache.decodeAt(seq);
        // One request walks at most MAX_WALK_FRAMES (and the neighbours kept after it).
        expect(store.reads() - before, `reads for ${seq}`).toBeLessThanOrEqual(MAX_WALK_FRAMES + REWALK_KEPT_FRAMES + 2);
        if (isUnread(got)) {
          marked++;
          expect(got.unread.frames).toBeGreaterThan(0);
          expect(got.unread.from).toBeGreaterThan(1);
          while (cache.catchUp(4096));
          got = cache.decodeAt(seq);
          expect(isUnread(got)).toBe(false);
        }
        expect(got, `frame ${seq}`).toEqual(expected[seq]);
      }
      // The last frame, asked first, was too far to walk to at once.
      expect(marked).toBeGreaterThan(0);
      expect(stream.farSeqs.length).toBeGreaterThan(0);
      // The stream tests what it means to: its far frames decode otherwise with only the 64 frames before them.
      const alone = stream.farSeqs.filter((seq) => {
        const decoder = make();
        let outcome: DecodeOutcome | undefined;
        for (const frame of stream.frames.slice(seq - 65, seq)) outcome = decoder.decode(copy(frame));
        return JSON.stringify(outcome) !== JSON.stringify(expected[seq]);
      });
      expect(alone.length).toBe(stream.farSeqs.length);
      // The store evicts its front: checkpoints before it go; frames after one still answer as the whole stream in order.
      const evictedBefore = 7_777;
      store.evict(evictedBefore);
      const fromOldest = decodeInOrder(stream.frames, make, evictedBefore);
      for (let k = 0; k < 80; k++) {
        const seq = evictedBefore + Math.floor(random() * (last - evictedBefore));
        const got = cache.decodeAt(seq);
        const checkpoint = cache.checkpoints.nearest(seq);
        if (checkpoint) expect(got, `frame ${seq} after eviction`).toEqual(expected[seq]);
        else expect([expected[seq], fromOldest[seq]], `frame ${seq} after eviction, before any checkpoint`).toContainEqual(got);
      }
      expect(cache.decodeAt(evictedBefore - 1)).toBeUndefined();
      expect(cache.checkpoints.nearest(evictedBefore - 1)).toBeUndefined();
    });
  }

  it('a far frame is never silently wrong: marked, with the count of frames not read, then exact', () => {
    const stream = STREAMS.find((s) => s.name === 'mqtt');
    if (!stream) throw new Error('no mqtt stream');
    const make = makerOf(stream);
    const expected = expectedOf(stream);
    const store = storeOf(stream.frames);
    const cache = new FrameDecodeCache(make, store.read, 1000, undefined, store.firstSeq);
    const far = stream.farSeqs[stream.farSeqs.length - 1] ?? 0;
    const got = cache.decodeAt(far);
    if (!isUnread(got)) throw new Error('not marked');
    expect(got.unread).toEqual({ from: far - 64, frames: far - 65 });
    // Decoded alone, the aliased PUBLISH has no topic: the mark is what tells the user.
    expect(got.summary).not.toEqual(expected[far]?.summary);
    expect(cache.lagging).toBe(true);
    let turns = 0;
    while (cache.catchUp(4096)) turns++;
    expect(turns).toBe(Math.ceil(far / 4096) - 1);
    expect(cache.decodeAt(far)).toEqual(expected[far]);
    expect(cache.lagging).toBe(false);
  });

  it('decodeExactly walks however far (a search in time slices), leaving checkpoints', () => {
    const stream = STREAMS.find((s) => s.name === 'stomp');
    if (!stream) throw new Error('no stomp stream');
    const expected = expectedOf(stream);
    const store = storeOf(stream.frames);
    const cache = new FrameDecodeCache(makerOf(stream), store.read, 1000, undefined, store.firstSeq);
    for (const seq of [...stream.farSeqs].reverse()) expect(cache.decodeExactly(seq), `frame ${seq}`).toEqual(expected[seq]);
    expect(cache.lagging).toBe(false);
    expect(cache.checkpoints.count).toBeGreaterThan(15);
  });

  it('a frame behind the walk costs a walk from the checkpoint before it, not from the first frame', () => {
    const stream = STREAMS.find((s) => s.name === 'graphql-ws');
    if (!stream) throw new Error('no graphql stream');
    const make = makerOf(stream);
    const expected = expectedOf(stream);
    const store = storeOf(stream.frames);
    const cache = new FrameDecodeCache(make, store.read, 1000, undefined, store.firstSeq);
    for (let seq = 1; seq <= stream.frames.length; seq += 4000) cache.decodeAt(seq);
    cache.decodeAt(stream.frames.length);
    const before = store.reads();
    const far = stream.farSeqs[0] ?? 0;
    expect(cache.decodeAt(far)).toEqual(expected[far]);
    expect(store.reads() - before).toBeLessThanOrEqual(1024 + 1 + 250);
  });
});

describe('StoreDecoding: a far frame answered unread is walked to between events', () => {
  it('schedules catch-up turns of CATCH_UP_SLICE frames until the frame decodes exactly', () => {
    const stream = STREAMS.find((s) => s.name === 'graphql-ws');
    if (!stream) throw new Error('no graphql stream');
    const expected = expectedOf(stream);
    const turns: (() => void)[] = [];
    const session = {
      url: 'ws://api/graphql',
      handshakeSteps: () => [],
      frames: {
        firstSeq: 1,
        lastSeq: stream.frames.length,
        entry: (seq: number) => {
          const frame = stream.frames[seq - 1];
          return frame ? { seq, dir: frame.dir, opcode: frame.opcode, at: seq, payload: Buffer.from(frame.bytes) } : undefined;
        },
      },
    };
    const decoding = new StoreDecoding('graphql-ws', session, {}, DEFAULT_CACHE_ENTRIES, (turn) => turns.push(turn));
    const far = stream.farSeqs[stream.farSeqs.length - 1] ?? 0;
    expect(isUnread(decoding.decodeAt(far))).toBe(true);
    // One turn scheduled, however often it is asked meanwhile.
    decoding.decodeAt(far);
    expect(turns.length).toBe(1);
    let ran = 0;
    while (turns.length > 0) {
      turns.shift()?.();
      ran++;
    }
    expect(ran).toBe(Math.ceil(far / CATCH_UP_SLICE));
    expect(decoding.decodeAt(far)).toEqual(expected[far]);
    expect(decoding.checkpoints?.count).toBeGreaterThan(far / 1024 - 2);
  });
});
