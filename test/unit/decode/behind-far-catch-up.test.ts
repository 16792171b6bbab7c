/**
 * A frame behind the exact walk whose answer left the cache is decoded from the checkpoint before
 * it. With checkpoints thinned past MAX_WALK_FRAMES apart (a tight memory budget halves them),
 * one more than that past its checkpoint is answered marked (decoded with the 64 frames before
 * it). Before, it stayed marked however often it was asked (the catch-up only walked ahead of the
 * exact walk); now the catch-up walks there too, from that checkpoint, in its slices, and the
 * frame and its neighbours then decode as the whole session read in order does.
 */
import { describe, expect, it } from 'vitest';
import type { DecodeOutcome, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { DecoderCheckpoints } from '../../../src-main/core/decode/decoder-checkpoints';
import { FrameDecodeCache, isUnread, MAX_WALK_FRAMES } from '../../../src-main/core/decode/frame-decode-cache';
import { CATCH_UP_SLICE, StoreDecoding } from '../../../src-main/core/decode/store-decoding';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { FAR_SPECS, farStream } from './far-state-streams';

const MQTT = FAR_SPECS.find((spec) => spec.name === 'mqtt');
if (!MQTT) throw new Error('no MQTT stream');
// MQTT 5 publishes naming their topic by an alias set in the stream's first frames.
const STREAM = farStream(MQTT, 20_000, 7);
const read = (seq: number): WireFrame | undefined => STREAM.frames[seq - 1];

function inOrder(): (DecodeOutcome | undefined)[] {
  const decoder = createDecoder('mqtt');
  const out: (DecodeOutcome | undefined)[] = [];
  for (const frame of STREAM.frames) out[frame.seq] = decoder.decode({ ...frame, bytes: Uint8Array.from(frame.bytes) });
  return out;
}

/** A cache whose walk went to the last frame, its checkpoints thinned to two (one every 16,384 frames), `kept` answers kept. */
function walkedCache(kept = 100): { cache: FrameDecodeCache; checkpoints: DecoderCheckpoints } {
  const checkpoints = new DecoderCheckpoints(() => 1, 1024, 2);
  const cache = new FrameDecodeCache(() => createDecoder('mqtt'), read, kept, undefined, () => 1, checkpoints);
  cache.decodeExactly(STREAM.frames.length);
  expect(checkpoints.spacing).toBeGreaterThan(MAX_WALK_FRAMES);
  return { cache, checkpoints };
}

/** Far uses (their alias set at the start) more than one walk past the checkpoint before them. */
function farBehind(checkpoints: DecoderCheckpoints): number[] {
  const seqs = STREAM.farSeqs.filter((seq) => seq - (checkpoints.nearest(seq)?.seq ?? 1) > MAX_WALK_FRAMES + 64);
  expect(seqs.length).toBeGreaterThan(2);
  return seqs;
}

/** Catch-up turns until it has nothing more to walk (at most `turns`). */
function catchUp(cache: FrameDecodeCache, turns = 100): void {
  for (let turn = 0; turn < turns && cache.catchUp(CATCH_UP_SLICE); turn++);
}

describe('a frame behind the walk too far from any checkpoint', () => {
  it('is marked, the catch-up walks there, and asked again it is exact', () => {
    const { cache, checkpoints } = walkedCache();
    const expected = inOrder();
    const seq = farBehind(checkpoints)[0] ?? 0;
    const first = cache.decodeAt(seq);
    if (!isUnread(first)) throw new Error(`#${seq} not marked`);
    expect(first.summary).not.toBe(expected[seq]?.summary);
    // The engine walks towards it (StoreDecoding schedules catch-up turns while the cache lags).
    expect(cache.lagging).toBe(true);
    catchUp(cache);
    expect(cache.lagging).toBe(false);
    expect(cache.decodeAt(seq)).toEqual(expected[seq]);
  });

  it('rows in view around it (asked in seq order, as frames:decode does) all turn exact', () => {
    const { cache, checkpoints } = walkedCache();
    const expected = inOrder();
    const seq = farBehind(checkpoints)[1] ?? 0;
    const rows = Array.from({ length: 60 }, (_, k) => seq - 30 + k);
    for (const row of rows) expect(isUnread(cache.decodeAt(row)), `#${row}`).toBe(true);
    catchUp(cache);
    for (const row of rows) expect(cache.decodeAt(row), `#${row}`).toEqual(expected[row]);
  });

  it('two frames far apart, each asked again while marked (as the rows are), both turn exact', () => {
    // Room for the answers kept around both (about 1,000 frames each).
    const { cache, checkpoints } = walkedCache(3000);
    const expected = inOrder();
    const seqs = farBehind(checkpoints);
    const later = seqs.at(-1) ?? 0;
    const earlier = seqs[0] ?? 0;
    expect(later - earlier).toBeGreaterThan(CATCH_UP_SLICE);
    // The later one first: the walk is past the earlier one's start when it is asked.
    cache.decodeAt(later);
    cache.catchUp(CATCH_UP_SLICE);
    cache.decodeAt(earlier);
    let asks = 0;
    while (asks < 50 && [earlier, later].some((seq) => isUnread(cache.decodeAt(seq)))) {
      asks++;
      catchUp(cache, 1);
    }
    expect(cache.decodeAt(earlier)).toEqual(expected[earlier]);
    expect(cache.decodeAt(later)).toEqual(expected[later]);
  });
});

describe('through StoreDecoding (the engine’s per-session decoding)', () => {
  it('its catch-up turns walk to such a frame once asked; then exact', () => {
    const store = new FrameStore({});
    for (const frame of STREAM.frames) store.push(frame.dir, frame.opcode as 'text' | 'binary', Buffer.from(frame.bytes));
    const turns: (() => void)[] = [];
    const decoding = new StoreDecoding('mqtt', { url: 'ws://far.test/', frames: store, handshakeSteps: () => [] }, {}, 100, (turn) => turns.push(turn));
    decoding.decodeExactly(store.lastSeq);
    // Thinned as the budget of every session's checkpoints thins the largest holder.
    const checkpoints = decoding.checkpoints;
    if (!checkpoints) throw new Error('no checkpoints');
    while (checkpoints.spacing <= MAX_WALK_FRAMES) checkpoints.thinOnce();
    const seq = farBehind(checkpoints)[0] ?? 0;
    const first = decoding.decodeAt(seq);
    expect(isUnread(first)).toBe(true);
    expect(turns.length).toBe(1);
    for (let turn = 0; turn < 100 && turns.length > 0; turn++) turns.shift()?.();
    expect(turns).toEqual([]);
    expect(decoding.decodeAt(seq)).toEqual(inOrder()[seq]);
  });
});
