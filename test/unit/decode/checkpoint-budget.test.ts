/**
 * One budget over every session's decoder checkpoints (checkpoint-budget.ts): sessions over it
 * thin, the largest first; a disposed session gives its bytes back; and a frame decoded from a
 * thinned checkpoint still equals decoding every frame in order (far-state-streams.ts).
 */
import { describe, expect, it } from 'vitest';
import { CheckpointBudget } from '../../../src-main/core/decode/checkpoint-budget';
import type { DecodeOutcome, DecoderName, StreamDecoder, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { CHECKPOINT_EVERY, DecoderCheckpoints, MAX_CHECKPOINT_BYTES, MAX_CHECKPOINTS, restoredDecoder } from '../../../src-main/core/decode/decoder-checkpoints';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { FrameDecodeCache, isUnread } from '../../../src-main/core/decode/frame-decode-cache';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { FAR_SPECS, farStream, seeded, type FarStream } from './far-state-streams';

/** A GraphQL decoder remembering 200 operations: each snapshot counts the same bytes. */
function heavyDecoder(): GraphqlWsDecoder {
  const decoder = new GraphqlWsDecoder();
  for (let i = 0; i < 200; i++) decoder.decode({ seq: i + 1, dir: 'out', opcode: 'text', bytes: Buffer.from(`{"type":"subscribe","id":"x${i}","payload":{"query":"query Q${i} { q }"}}`) });
  return decoder;
}

const sessionIn = (budget: CheckpointBudget): DecoderCheckpoints => new DecoderCheckpoints(() => 1, 10, 1_000, Infinity, budget);

describe('CheckpointBudget: every session together', () => {
  it('over the budget the largest holder thins first, the same thinning; a disposed session gives its bytes back', () => {
    const heavy = heavyDecoder();
    const unit = heavy.snapshot().bytes;
    expect(unit).toBeGreaterThan(0);
    const budget = new CheckpointBudget(Math.floor(4.5 * unit));
    const a = sessionIn(budget);
    const b = sessionIn(budget);
    for (const seq of [1, 11, 21, 31]) expect(a.offer(seq, heavy)).toBe(true);
    expect(a.count).toBe(4);
    expect(budget.bytes).toBe(4 * unit);
    // B's first checkpoint takes the total over: A, the largest, thins (spacing 20: 1 and 21 kept); B keeps its one.
    expect(b.offer(1, heavy)).toBe(true);
    expect(a.count).toBe(2);
    expect(a.spacing).toBe(20);
    expect(a.nearest(40)?.seq).toBe(21);
    expect(b.count).toBe(1);
    expect(b.spacing).toBe(10);
    expect(budget.bytes).toBe(3 * unit);
    // B grows past A: now B thins.
    for (const seq of [11, 21]) b.offer(seq, heavy);
    expect(b.count).toBe(2);
    expect(b.spacing).toBe(20);
    expect(a.count).toBe(2);
    expect(budget.bytes).toBeLessThanOrEqual(budget.maxBytes);
    expect(budget.bytes).toBe(a.size + b.size);
    // Many sessions: the total stays within the budget, each keeping at least one.
    const many = Array.from({ length: 6 }, () => sessionIn(budget));
    for (let seq = 1; seq <= 200; seq += 10) for (const session of many) session.offer(seq, heavy);
    const all = [a, b, ...many];
    expect(budget.holders).toBe(8);
    expect(budget.bytes).toBe(all.reduce((sum, session) => sum + session.size, 0));
    // Eight sessions of at least one checkpoint each cannot fit 4.5 of them: none thins below one.
    for (const session of all) expect(session.count).toBeGreaterThanOrEqual(1);
    for (const session of many) expect(session.count).toBe(1);
    // Disposed: the bytes come back and the session is no longer counted.
    const held = budget.bytes;
    const gone = many.pop();
    const itsBytes = gone?.size ?? 0;
    gone?.dispose();
    expect(budget.bytes).toBe(held - itsBytes);
    expect(budget.holders).toBe(7);
    for (const session of many) session.dispose();
    b.dispose();
    expect(budget.bytes).toBe(a.size);
    expect(budget.holders).toBe(1);
    // Room again: A holds more without thinning.
    const spacing = a.spacing;
    a.offer(61, heavy);
    expect(a.spacing).toBe(spacing);
    expect(budget.bytes).toBe(a.size);
  });

  it('a session under its own bound still thins when the sessions together are over; eviction gives bytes back', () => {
    const heavy = heavyDecoder();
    const unit = heavy.snapshot().bytes;
    const budget = new CheckpointBudget(10 * unit);
    let first = 1;
    const checkpoints = new DecoderCheckpoints(() => first, 10, 1_000, 100 * unit, budget);
    for (let seq = 1; seq <= 1_000; seq++) checkpoints.offer(seq, heavy);
    expect(checkpoints.size).toBeLessThanOrEqual(10 * unit);
    expect(checkpoints.count).toBeGreaterThan(1);
    expect(budget.bytes).toBe(checkpoints.size);
    const before = checkpoints.count;
    first = 900;
    expect(checkpoints.nearest(1_000)?.seq ?? first).toBeGreaterThanOrEqual(first);
    expect(checkpoints.count).toBeLessThan(before);
    expect(budget.bytes).toBe(checkpoints.size);
    expect(checkpoints.size).toBeLessThan(10 * unit);
  });
});

const FRAMES = 24_000;
const urlOf = (name: string): DecoderName => name as DecoderName;
const makerOf = (stream: FarStream) => (): StreamDecoder => createDecoder(urlOf(stream.name), stream.name === 'socketio' ? { engineVersion: 4 } : {});

function copy(frame: WireFrame): WireFrame {
  return { ...frame, bytes: Uint8Array.from(frame.bytes) };
}

function decodeInOrder(frames: readonly WireFrame[], make: () => StreamDecoder): (DecodeOutcome | undefined)[] {
  const decoder = make();
  const out: (DecodeOutcome | undefined)[] = [];
  for (const frame of frames) out[frame.seq] = decoder.decode(copy(frame));
  return out;
}

/** Each stream's cache walked to its end (leaving checkpoints), all under one budget. */
function walkAll(streams: readonly FarStream[], budget: CheckpointBudget): { cache: FrameDecodeCache; checkpoints: DecoderCheckpoints }[] {
  return streams.map((stream) => {
    const read = (seq: number): WireFrame | undefined => {
      const frame = stream.frames[seq - 1];
      return frame ? copy(frame) : undefined;
    };
    const checkpoints = new DecoderCheckpoints(() => 1, CHECKPOINT_EVERY, MAX_CHECKPOINTS, MAX_CHECKPOINT_BYTES, budget);
    const cache = new FrameDecodeCache(makerOf(stream), read, 300, undefined, () => 1, checkpoints);
    cache.decodeExactly(stream.frames.length);
    return { cache, checkpoints };
  });
}

describe('thinned by the budget of every session: still exact', () => {
  it('frames decoded from the checkpoints left after thinning equal decoding every frame in order', () => {
    const streams = FAR_SPECS.filter((spec) => ['mqtt', 'stomp', 'graphql-ws'].includes(spec.name)).map((spec, k) => farStream(spec, FRAMES, 300 + k));
    expect(streams.length).toBeGreaterThanOrEqual(3);
    const unbounded = walkAll(streams, new CheckpointBudget(Infinity));
    const whole = unbounded.reduce((sum, { checkpoints }) => sum + checkpoints.size, 0);
    expect(whole).toBeGreaterThan(0);
    const budget = new CheckpointBudget(Math.floor(whole / 3));
    const thinned = walkAll(streams, budget);
    expect(budget.bytes).toBeLessThanOrEqual(budget.maxBytes);
    expect(thinned.some(({ checkpoints }) => checkpoints.spacing > CHECKPOINT_EVERY)).toBe(true);
    const random = seeded(11);
    streams.forEach((stream, k) => {
      const make = makerOf(stream);
      const expected = decodeInOrder(stream.frames, make);
      const entry = thinned[k];
      if (!entry) throw new Error(`no cache for ${stream.name}`);
      const { cache, checkpoints } = entry;
      // Every checkpoint kept, restored: the next frames as in order.
      for (let seq = 1; seq <= stream.frames.length; seq += 1_000) {
        const checkpoint = checkpoints.nearest(seq);
        if (!checkpoint) continue;
        const decoder = restoredDecoder(checkpoint, make);
        for (let s = checkpoint.seq; s < Math.min(checkpoint.seq + 50, stream.frames.length + 1); s++) {
          const frame = stream.frames[s - 1];
          if (frame) expect(decoder.decode(copy(frame)), `${stream.name} frame ${s} from checkpoint ${checkpoint.seq}`).toEqual(expected[s]);
        }
      }
      // The cache, its answers dropped, asked far and random frames: as in order (a marked answer exact after catching up).
      for (const seq of [...stream.farSeqs, ...Array.from({ length: 40 }, () => 1 + Math.floor(random() * stream.frames.length))]) {
        let got = cache.decodeAt(seq);
        if (isUnread(got)) {
          while (cache.catchUp(4096));
          got = cache.decodeExactly(seq);
        }
        expect(got, `${stream.name} frame ${seq}`).toEqual(expected[seq]);
      }
    });
  });
});
