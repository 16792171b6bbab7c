import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FrameStore, type FrameStoreOptions } from '../../../src-main/core/session/frame-store';
import { SessionStatsRecorder } from '../../../src-main/core/session/session-stats';
import { FrameScanner } from '../../../src-main/core/search/frame-scanner';
import { compileFilter } from '../../../src-main/core/search/compile-filter';

/**
 * FrameStore.pushIncoming stores the frames of a burst as a run: their time and slab id reach
 * the ring, and their count the statistics, only when the run ends. These tests push the same
 * frames into two stores, one through pushIncoming in bursts and one through push frame by
 * frame (which writes every field at once), and compare everything a reader can see, read at
 * every point: in the middle of a burst, across slab boundaries, through eviction, ring growth
 * and a ring that wraps, with control frames, empty and large frames in between.
 */

const T0 = 1_700_000_000_000; // a whole second

/** A small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

type Step =
  | { kind: 'incoming'; binary: boolean; payload: Buffer; at: number }
  | { kind: 'control'; payload: Buffer; at: number }
  | { kind: 'end-of-burst' }
  | { kind: 'read' }
  | { kind: 'seal' };

/** Bursts of incoming messages (views into one "socket read", as ws hands them over), with other events between. */
function steps(seed: number, bursts: number, largest: number): Step[] {
  const next = random(seed);
  const list: Step[] = [];
  let at = T0;
  let n = 0;
  for (let burst = 0; burst < bursts; burst++) {
    at += Math.floor(next() * 700); // some bursts share a second, some a millisecond
    const sizes = Array.from({ length: 1 + Math.floor(next() * 40) }, () => {
      const roll = next();
      return roll < 0.05 ? 0 : roll < 0.08 ? Math.floor(largest * next()) : 1 + Math.floor(next() * 120);
    });
    const read = Buffer.alloc(sizes.reduce((sum, size) => sum + size + 2, 0));
    let offset = 0;
    for (const size of sizes) {
      const payload = read.subarray(offset + 2, offset + 2 + size);
      payload.fill(0x20 + (n % 90));
      if (size > 3) payload.write(n % 7 === 0 ? 'abc' : String(n % 1000), 1, 'latin1');
      n += 1;
      offset += size + 2;
      list.push({ kind: 'incoming', binary: next() < 0.3, payload, at });
      const event = next();
      if (event < 0.04) list.push({ kind: 'control', payload: Buffer.from(`ping ${n}`), at });
      else if (event < 0.07) list.push({ kind: 'read' });
    }
    if (next() < 0.8) list.push({ kind: 'end-of-burst' });
    if (next() < 0.01) list.push({ kind: 'seal' });
  }
  return list;
}

interface Pair {
  runs: FrameStore;
  plain: FrameStore;
  runStats: SessionStatsRecorder;
  plainStats: SessionStatsRecorder;
}

function pair(options: FrameStoreOptions): Pair {
  const runs = new FrameStore(options);
  const plain = new FrameStore(options);
  const runStats = new SessionStatsRecorder({ windowSeconds: 5 });
  const plainStats = new SessionStatsRecorder({ windowSeconds: 5 });
  runStats.countIncomingFrom(runs);
  plainStats.countIncomingFrom(plain);
  return { runs, plain, runStats, plainStats };
}

/** What a reader sees of a store: its bounds, its newest `last` frames (all when undefined), their summaries, a page, a search and the statistics. */
function seen(store: FrameStore, stats: SessionStatsRecorder, now: number, last?: number): unknown {
  const frames = [];
  const from = last === undefined ? store.firstSeq : Math.max(store.firstSeq, store.lastSeq - last + 1);
  for (let seq = from; seq > 0 && seq <= store.lastSeq; seq++) {
    const entry = store.entry(seq);
    frames.push({ ...entry, payload: entry ? createHash('sha1').update(entry.payload).digest('hex') : undefined });
  }
  const found: number[] = [];
  const compiled = compileFilter({ text: 'abc' });
  if (!compiled.ok) throw new Error(compiled.problem.message);
  new FrameScanner(store, compiled.filter).run({ next: from, end: store.lastSeq, backward: false }, 60_000, (seq) => found.push(seq) > 0);
  return {
    firstSeq: store.firstSeq,
    lastSeq: store.lastSeq,
    count: store.count,
    bytes: store.bytes,
    dropped: store.dropped,
    frames,
    summaries: store.summaries(from, store.lastSeq).map((frame) => ({ ...frame, preview: frame.preview.length })),
    page: store.page(store.lastSeq - 5, 10),
    found,
    stats: stats.snapshot(now),
  };
}

function play(list: readonly Step[], stores: Pair): void {
  let now = T0;
  for (const step of list) {
    if (step.kind === 'incoming') {
      now = step.at;
      const seq = stores.runs.pushIncoming(step.binary, step.payload, step.at);
      expect(stores.plain.push('in', step.binary ? 'binary' : 'text', step.payload, undefined, step.at)).toBe(seq);
    } else if (step.kind === 'control') {
      stores.runs.push('in', 'ping', step.payload, undefined, step.at);
      stores.plain.push('in', 'ping', step.payload, undefined, step.at);
    } else if (step.kind === 'end-of-burst') {
      stores.runs.endRun();
    } else if (step.kind === 'seal') {
      stores.runs.seal();
      stores.plain.seal();
    } else {
      expect(seen(stores.runs, stores.runStats, now, 20)).toEqual(seen(stores.plain, stores.plainStats, now, 20));
    }
  }
  expect(seen(stores.runs, stores.runStats, now)).toEqual(seen(stores.plain, stores.plainStats, now));
}

describe('FrameStore runs (pushIncoming in bursts) against a frame-by-frame store', () => {
  it('reads the same everywhere: small frames, slab boundaries, large frames with their own slab', () => {
    // Up to 300 KiB now and then: beyond OWN_SLAB_THRESHOLD, and enough to fill 1 MiB slabs often.
    play(steps(1, 80, 300 * 1024), pair({}));
  });

  it('reads the same while frames are evicted by count (the ring wraps) and by bytes', () => {
    play(steps(2, 100, 2048), pair({ maxFrames: 700 }));
    play(steps(3, 100, 4096), pair({ maxBytes: 64 * 1024 }));
    play(steps(4, 80, 200 * 1024), pair({ maxFrames: 1500, maxBytes: 3 * 1024 * 1024 }));
  });

  it('reads the same when a run goes past the end of the ring and on at its start', () => {
    // 1,020 frames of 100 B through a 1,000-byte budget leave the ring's head at slot 1,010 of
    // 1,024; bursts of 10-byte frames then run from there over the ring's end.
    const stores = pair({ maxBytes: 1_000 });
    play(
      Array.from({ length: 1_020 }, (): Step => ({ kind: 'control', payload: Buffer.alloc(100, 0x61), at: T0 })),
      stores,
    );
    expect(stores.runs.scanView().head + stores.runs.count).toBe(1_020);
    const list: Step[] = [];
    for (let burst = 0; burst < 4; burst++) {
      const read = Buffer.alloc(400, 0x30 + burst);
      for (let i = 0; i < 30; i++) list.push({ kind: 'incoming', binary: false, payload: read.subarray(i * 12 + 2, i * 12 + 12), at: T0 + 1_000 + burst });
      list.push(burst % 2 === 0 ? { kind: 'end-of-burst' } : { kind: 'read' });
    }
    play(list, stores);
    expect(stores.runs.lastSeq).toBe(1_140);
  });

  it('keeps the time and slab of frames read in the middle of a burst, and of those after the read', () => {
    const store = new FrameStore();
    const read = Buffer.from('0123456789abcdefghij');
    expect(store.pushIncoming(false, read.subarray(0, 5), T0)).toBe(1);
    expect(store.pushIncoming(true, read.subarray(5, 10), T0)).toBe(2);
    expect(store.entry(2)).toMatchObject({ at: T0, opcode: 'binary', payload: Buffer.from('56789') });
    expect(store.pushIncoming(false, read.subarray(10, 20), T0)).toBe(3);
    expect(store.pushIncoming(false, Buffer.from('next read'), T0 + 5)).toBe(4);
    expect(store.summaries(1, 4).map((frame) => [frame.seq, frame.at, frame.preview])).toEqual([
      [1, T0, '01234'],
      [2, T0, '35 36 37 38 39'],
      [3, T0, 'abcdefghij'],
      [4, T0 + 5, 'next read'],
    ]);
    const view = store.scanView();
    expect(new Set([view.slabOf[0], view.slabOf[1], view.slabOf[2], view.slabOf[3]]).size).toBe(1);
  });

  it('gives a large frame in the middle of a burst a slab of its own, as push does', () => {
    const store = new FrameStore();
    store.pushIncoming(false, Buffer.from('small'), T0);
    store.pushIncoming(false, Buffer.from('small'), T0);
    const large = store.pushIncoming(true, Buffer.alloc(300 * 1024, 1), T0);
    store.pushIncoming(false, Buffer.from('small again'), T0);
    const view = store.scanView();
    const slabOfLarge = view.slabOf[large - 1] ?? -1;
    expect(view.slab(slabOfLarge)?.length).toBe(300 * 1024);
    expect(new Set([view.slabOf[0], view.slabOf[1], slabOfLarge, view.slabOf[3]]).size).toBe(3);
    expect(store.entry(4)).toMatchObject({ at: T0, payload: Buffer.from('small again') });
  });

  it('counts a run in the statistics in the second of its time, also when read before the run ends', () => {
    const store = new FrameStore();
    const counted: Array<[number, number, number]> = [];
    store.countWith({ countIncoming: (at, messages, bytes) => counted.push([at, messages, bytes]) });
    for (let i = 0; i < 5; i++) store.pushIncoming(false, Buffer.alloc(10), T0 + 900);
    store.settleCounts(); // a statistics snapshot in the middle of the burst
    expect(counted).toEqual([[T0, 5, 50]]);
    for (let i = 0; i < 3; i++) store.pushIncoming(true, Buffer.alloc(7), T0 + 900);
    for (let i = 0; i < 2; i++) store.pushIncoming(false, Buffer.alloc(4), T0 + 1_100);
    store.endRun();
    store.settleCounts();
    expect(counted).toEqual([
      [T0, 5, 50],
      [T0, 3, 21],
      [T0 + 1_000, 2, 8],
    ]);
  });
});
