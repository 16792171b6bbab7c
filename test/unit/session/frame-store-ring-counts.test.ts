import { describe, expect, it } from 'vitest';
import { FrameStore, encodeClosePayload, type FrameDirection } from '../../../src-main/core/session/frame-store';
import { SessionStatsRecorder } from '../../../src-main/core/session/session-stats';
import type { Opcode } from '../../../src-main/shared/model';

const T0 = 1_700_000_000_000; // a whole second

interface Frame {
  dir: FrameDirection;
  opcode: Opcode;
  size: number;
  at: number;
}

/** A mixed run: both directions, every opcode, sizes from 0 up, times over several seconds. */
function frames(count: number): Frame[] {
  const opcodes: Opcode[] = ['text', 'binary', 'ping', 'pong', 'close'];
  return Array.from({ length: count }, (_, i) => ({
    dir: i % 3 === 0 ? 'out' : 'in',
    opcode: opcodes[i % opcodes.length] ?? 'text',
    size: (i * 7) % 50,
    at: T0 + i * 37,
  }));
}

/** The same frames counted one `record` call per frame: what the store's tally must equal. */
function recounted(list: readonly Frame[], now: number, windowSeconds: number): ReturnType<SessionStatsRecorder['snapshot']> {
  const stats = new SessionStatsRecorder({ windowSeconds });
  for (const frame of list) if (frame.dir === 'in') stats.record('in', frame.size, frame.at);
  return stats.snapshot(now);
}

function pushAll(store: FrameStore, list: readonly Frame[]): void {
  for (const frame of list) {
    const payload = frame.opcode === 'close' ? encodeClosePayload(1000, 'x'.repeat(frame.size)) : Buffer.alloc(frame.size, 0x61);
    store.push(frame.dir, frame.opcode, payload, undefined, frame.at);
  }
}

/** What the store holds for each frame, as the incoming count sees it (close frames carry their code's 2 bytes). */
function asStored(list: readonly Frame[]): Frame[] {
  return list.map((frame) => (frame.opcode === 'close' ? { ...frame, size: encodeClosePayload(1000, 'x'.repeat(frame.size)).length } : frame));
}

describe('SessionStatsRecorder counting incoming frames through the FrameStore (no record call per frame)', () => {
  it('gives the same figures as a record call per frame, read at any point of the run', () => {
    const store = new FrameStore();
    const stats = new SessionStatsRecorder({ windowSeconds: 10 });
    stats.countIncomingFrom(store);
    const list = frames(400);
    pushAll(store, list.slice(0, 150));
    const early = T0 + 150 * 37;
    expect(stats.snapshot(early)).toEqual(recounted(asStored(list.slice(0, 150)), early, 10));
    pushAll(store, list.slice(150));
    const late = T0 + 400 * 37;
    expect(stats.snapshot(late)).toEqual(recounted(asStored(list), late, 10));
  });

  it('counts every frame, also those the store has evicted, however small the store', () => {
    const store = new FrameStore({ maxFrames: 16, maxBytes: 300 });
    const stats = new SessionStatsRecorder({ windowSeconds: 30 });
    stats.countIncomingFrom(store);
    const list = frames(500);
    pushAll(store, list);
    expect(store.dropped).toBeGreaterThan(400);
    const now = T0 + 500 * 37;
    expect(stats.snapshot(now)).toEqual(recounted(asStored(list), now, 30));
  });

  it('counts an incoming frame larger than the whole byte budget, which is never stored', () => {
    const store = new FrameStore({ maxBytes: 64 });
    const stats = new SessionStatsRecorder();
    stats.countIncomingFrom(store);
    store.push('in', 'binary', Buffer.alloc(10), undefined, T0);
    store.push('in', 'binary', Buffer.alloc(100), undefined, T0 + 1);
    store.push('out', 'binary', Buffer.alloc(100), undefined, T0 + 2);
    expect(store.count).toBe(0);
    expect(stats.snapshot(T0 + 3).totals.in).toEqual({ messages: 2, bytes: 110 });
  });

  it('counts what a released store held, and nothing stored before it was linked', () => {
    const store = new FrameStore();
    store.push('in', 'text', Buffer.from('before'), undefined, T0);
    const stats = new SessionStatsRecorder();
    stats.countIncomingFrom(store);
    stats.countIncomingFrom(store); // linking again (a reconnect's next attempt) counts nothing twice
    store.push('in', 'text', Buffer.from('after'), undefined, T0 + 1);
    store.release();
    expect(stats.snapshot(T0 + 2).totals.in).toEqual({ messages: 1, bytes: 5 });
  });

  it('leaves outgoing frames to record (they count when written, not when stored)', () => {
    const store = new FrameStore();
    const stats = new SessionStatsRecorder();
    stats.countIncomingFrom(store);
    store.push('out', 'text', Buffer.from('queued'), undefined, T0);
    expect(stats.snapshot(T0 + 1).totals.out).toEqual({ messages: 0, bytes: 0 });
    stats.record('out', 6, T0 + 1);
    expect(stats.snapshot(T0 + 2).totals).toEqual({ in: { messages: 0, bytes: 0 }, out: { messages: 1, bytes: 6 } });
  });
});

describe('FrameStore close codes', () => {
  it('gives a close code only to close frames, also in a slot a close frame used before', () => {
    const store = new FrameStore({ maxFrames: 2 });
    store.push('in', 'close', encodeClosePayload(4001, 'bye'), undefined, T0);
    store.push('in', 'text', Buffer.from('a'), undefined, T0);
    // Wraps the ring: this text frame takes the close frame's slot.
    const seq = store.push('in', 'text', Buffer.from('b'), undefined, T0);
    expect(store.entry(seq)?.closeCode).toBeUndefined();
    expect(store.summary(seq)?.closeCode).toBeUndefined();
    const close = store.push('out', 'close', Buffer.alloc(0), { closeCode: 1006 }, T0);
    expect(store.entry(close)?.closeCode).toBe(1006);
    expect(store.summary(close)?.closeCode).toBe(1006);
  });
});
