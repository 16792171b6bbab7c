/**
 * After the store evicted its front, the rows decode every frame from the first surviving
 * checkpoint on as the whole session read in order did (frame-decode-cache.ts starts there). A
 * search's in-order walk starts afresh at the oldest stored frame (what the evicted frames set is
 * gone); when it reaches that checkpoint it must take its state, or it counts differently from
 * the rows: an MQTT 5 PUBLISH naming its topic by an alias set before the eviction has no topic
 * for the search while its row shows it.
 */
import { describe, expect, it } from 'vitest';
import type { DecodeOutcome, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { decodedFields } from '../../../src-main/core/decode/decoded-fields';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { isUnread } from '../../../src-main/core/decode/frame-decode-cache';
import { StoreDecoding, type DecodableSession } from '../../../src-main/core/decode/store-decoding';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import { FAR_SPECS, farStream, framesOf } from './far-state-streams';

const MQTT = FAR_SPECS.find((spec) => spec.name === 'mqtt');
if (!MQTT) throw new Error('no MQTT stream');
const STREAM = farStream(MQTT, 12_000, 77);
// The first 4,000 frames are evicted (the aliases are set in the first few).
const KEPT = STREAM.frames.length - 4000;
const TOPIC = 'far/in';

function push(store: FrameStore, frames: readonly WireFrame[]): void {
  for (const frame of frames) store.push(frame.dir, frame.opcode as 'text' | 'binary', Buffer.from(frame.bytes));
}

function sessionOf(store: FrameStore, scannable: boolean): DecodableSession {
  const frames = framesOf(store, scannable);
  return { url: 'ws://far.test/', frames, handshakeSteps: () => [] };
}

/** Every frame, evicted ones too, decoded in order by one decoder. */
function wholeSession(): (DecodeOutcome | undefined)[] {
  const decoder = createDecoder('mqtt', {});
  const answers: (DecodeOutcome | undefined)[] = [];
  for (const frame of STREAM.frames) answers[frame.seq] = decoder.decode({ ...frame, bytes: Uint8Array.from(frame.bytes) });
  return answers;
}

const hasTopic = (outcome: DecodeOutcome | undefined): boolean => outcome !== undefined && outcome.kind !== 'invalid' && decodedFields(outcome.value).topics.includes(TOPIC);

/** A session whose first KEPT frames were read in order (checkpoints left), then evicted by the rest. */
function evictedSession(scannable: boolean, cacheEntries?: number): { store: FrameStore; decoding: StoreDecoding; from: number } {
  const store = new FrameStore({ maxFrames: KEPT });
  push(store, STREAM.frames.slice(0, KEPT));
  const decoding = new StoreDecoding('mqtt', sessionOf(store, scannable), {}, cacheEntries);
  decoding.decodeExactly(KEPT);
  push(store, STREAM.frames.slice(KEPT));
  expect(store.firstSeq).toBe(STREAM.frames.length - KEPT + 1);
  // The first surviving checkpoint: from there the rows decode as the whole session did.
  let from = store.lastSeq;
  for (let seq = store.lastSeq; ; ) {
    const checkpoint = decoding.checkpoints?.nearest(seq);
    if (!checkpoint) break;
    from = checkpoint.seq;
    seq = checkpoint.seq - 1;
  }
  expect(from).toBeGreaterThan(store.firstSeq);
  expect(from).toBeLessThan(KEPT);
  return { store, decoding, from };
}

function expectedHits(from: number, last: number): number[] {
  const answers = wholeSession();
  const hits: number[] = [];
  for (let seq = from; seq <= last; seq++) if (hasTopic(answers[seq])) hits.push(seq);
  return hits;
}

describe('a search after the store evicted its front counts as the rows decode', () => {
  it('the rows from the first surviving checkpoint on decode as the whole session did', () => {
    const { store, decoding, from } = evictedSession(true);
    const answers = wholeSession();
    for (let seq = from; seq <= store.lastSeq; seq += 97) {
      const outcome = decoding.decodeAt(seq);
      expect(isUnread(outcome)).toBe(false);
      expect(outcome, `#${seq}`).toEqual(answers[seq]);
    }
  });

  for (const scannable of [true, false]) {
    it(`a query search (${scannable ? 'with' : 'without'} its prefilter)`, () => {
      const { store, decoding, from } = evictedSession(scannable);
      const parsed = parseDecodedQuery(`$.topic == '${TOPIC}'`);
      if (!parsed.ok) throw new Error(parsed.error);
      const query = parsed.query;
      const test = decoding.inOrderMatcher('q', (outcome) => outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value), { query });
      while (!(test.walkTowards?.(store.lastSeq, 2048) ?? true));
      const hits: number[] = [];
      for (let seq = store.lastSeq; seq >= from; seq--) if (test(seq)) hits.unshift(seq);
      const expected = expectedHits(from, store.lastSeq);
      expect(expected.length).toBeGreaterThan(1);
      expect(hits).toEqual(expected);
    });

    it(`a field search (${scannable ? 'with' : 'without'} its prefilter)`, () => {
      const { store, decoding, from } = evictedSession(scannable);
      const test = decoding.fieldMatcher({ topics: TOPIC });
      while (!test.walkTowards(store.lastSeq, 2048));
      const hits: number[] = [];
      for (let seq = store.lastSeq; seq >= from; seq--) {
        const known = test(seq);
        if (known ?? hasTopic(decoding.decodeExactly(seq))) hits.unshift(seq);
      }
      expect(hits).toEqual(expectedHits(from, store.lastSeq));
    });
  }
});

/**
 * The session's checkpoints cleared but one, `after` frames past the oldest stored frame (as
 * thinned checkpoints may lie), holding the whole session's state (a decoder that read every
 * frame before it).
 */
function onlyCheckpointAfter(store: FrameStore, decoding: StoreDecoding, after: number): { checkpoints: NonNullable<StoreDecoding['checkpoints']>; at: number } {
  const checkpoints = decoding.checkpoints;
  if (!checkpoints) throw new Error('no checkpoints');
  const at = store.firstSeq + after;
  const reference = createDecoder('mqtt', {});
  for (const frame of STREAM.frames.slice(0, at - 1)) reference.decode({ ...frame, bytes: Uint8Array.from(frame.bytes) });
  checkpoints.clear();
  expect(checkpoints.offer(at, reference)).toBe(true);
  return { checkpoints, at };
}

/** A query search for TOPIC walked to the end (its key `key`): the seqs from `from` on it matches. */
function topicQueryHits(decoding: StoreDecoding, store: FrameStore, from: number, key: string): number[] {
  const parsed = parseDecodedQuery(`$.topic == '${TOPIC}'`);
  if (!parsed.ok) throw new Error(parsed.error);
  const query = parsed.query;
  const test = decoding.inOrderMatcher(key, (outcome) => outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value), { query });
  while (!(test.walkTowards?.(store.lastSeq, 2048) ?? true));
  const hits: number[] = [];
  for (let seq = from; seq <= store.lastSeq; seq++) if (test(seq)) hits.push(seq);
  return hits;
}

describe('a walk started afresh leaves no checkpoint before the one it will take', () => {
  it('so a later search started afresh still takes the whole session’s checkpoint', () => {
    const { store, decoding, from } = evictedSession(true);
    // One checkpoint 3,000 frames after the oldest stored frame (as thinned checkpoints may lie):
    // a walk from the oldest frame would find checkpoints due before it.
    const { checkpoints, at } = onlyCheckpointAfter(store, decoding, 3000);
    const search = (key: string): number[] => topicQueryHits(decoding, store, at, key);
    const expected = expectedHits(at, store.lastSeq);
    expect(from).toBeLessThan(at);
    expect(expected.length).toBeGreaterThan(0);
    expect(search('first')).toEqual(expected);
    expect(checkpoints.nearest(at - 1)).toBeUndefined();
    expect(search('second')).toEqual(expected);
  });
});

describe("the rows' walk started afresh leaves no checkpoint before the one ahead either", () => {
  it('so a search started afresh after it takes the whole session’s checkpoint', () => {
    // Few answers kept: the row is decoded again, from the oldest stored frame.
    const { store, decoding } = evictedSession(true, 100);
    const { checkpoints, at } = onlyCheckpointAfter(store, decoding, 3000);
    // A row between the oldest frame and that checkpoint: the cache walks from the oldest frame.
    expect(isUnread(decoding.decodeAt(store.firstSeq + 2000))).toBe(false);
    expect(checkpoints.nearest(at - 1)).toBeUndefined();
    expect(topicQueryHits(decoding, store, at, 'q')).toEqual(expectedHits(at, store.lastSeq));
  });
});
