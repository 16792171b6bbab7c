import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameBatcher, type FrameBatch, type SkippedNotice } from '../../../src-main/core/session/frame-batcher';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { ManualClock } from '../../support/manual-clock';

type Logged = { kind: 'frames'; batch: FrameBatch } | { kind: 'skipped'; notice: SkippedNotice } | { kind: 'state'; state: string };

describe('FrameBatcher', () => {
  let log: Logged[];
  let store: FrameStore;
  const make = (intervalMs = 50, maxFrames = 500, maxUnacked?: number): FrameBatcher =>
    new FrameBatcher({
      intervalMs,
      maxFrames,
      ...(maxUnacked !== undefined ? { maxUnacked } : {}),
      source: store,
      emit: (batch) => log.push({ kind: 'frames', batch }),
      emitSkipped: (notice) => log.push({ kind: 'skipped', notice }),
    });
  /** Stores a frame and tells the batcher, like the session does. */
  const add = (batcher: FrameBatcher, n = 1): void => {
    for (let i = 0; i < n; i++) batcher.note(store.push('in', 'text', Buffer.from('x')));
  };
  const seqsOf = (entry: Logged | undefined): number[] => (entry?.kind === 'frames' ? entry.batch.frames.map((f) => f.seq) : []);

  beforeEach(() => {
    vi.useFakeTimers();
    log = [];
    store = new FrameStore();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds frames until the interval passes, then emits them in order in one batch', () => {
    const batcher = make(50);
    add(batcher);
    vi.advanceTimersByTime(20);
    add(batcher, 2);
    vi.advanceTimersByTime(29);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toHaveLength(1);
    const first = log[0];
    expect(first?.kind === 'frames' && first.batch.fromSeq).toBe(1);
    expect(seqsOf(first)).toEqual([1, 2, 3]);
    expect(first?.kind === 'frames' && first.batch.frames[0]).toMatchObject({ dir: 'in', opcode: 'text', preview: 'x', size: 1 });
    vi.advanceTimersByTime(1000);
    expect(log).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('emits at once when a batch reaches its size bound', () => {
    const batcher = make(50, 3);
    add(batcher, 7);
    expect(log.map(seqsOf)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    vi.advanceTimersByTime(50);
    expect(log).toHaveLength(3);
    expect(log[2]?.kind === 'frames' && log[2].batch.fromSeq).toBe(7);
  });

  it('flushes pending frames before a state change, so order holds', () => {
    const batcher = make(50);
    const changeState = (state: string): void => {
      batcher.flush();
      log.push({ kind: 'state', state });
    };
    add(batcher, 2);
    changeState('closing');
    add(batcher);
    changeState('closed');
    expect(log.map((e) => (e.kind === 'state' ? e.state : seqsOf(e).join(',')))).toEqual(['1,2', 'closing', '3', 'closed']);
    vi.advanceTimersByTime(100);
    expect(log).toHaveLength(4);
  });

  it('reports the dropped count at the time of the batch and leaves out frames evicted before it went out', () => {
    store = new FrameStore({ maxFrames: 2 });
    const batcher = make(50);
    add(batcher, 5); // the store keeps 4 and 5
    batcher.flush();
    expect(log).toHaveLength(1);
    expect(log[0]?.kind === 'frames' && log[0].batch).toMatchObject({ fromSeq: 4, dropped: 3 });
    expect(seqsOf(log[0])).toEqual([4, 5]);
  });

  it('emits nothing for an empty flush and ignores notes after dispose', () => {
    const batcher = make(50);
    batcher.flush();
    add(batcher);
    batcher.dispose();
    add(batcher);
    vi.advanceTimersByTime(100);
    expect(log).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends every batch to a consumer that never acknowledges, however far it is', () => {
    const batcher = make(10, 100, 50);
    add(batcher, 1000);
    batcher.flush();
    expect(log.every((e) => e.kind === 'frames')).toBe(true);
    expect(log.flatMap(seqsOf)).toHaveLength(1000);
  });

  it('coalesces into one skipped notice per interval when the consumer falls behind, and resumes when it catches up', () => {
    const batcher = make(10, 100, 300);
    batcher.ack(0); // the consumer acknowledges: flow control is on
    add(batcher, 400); // 4 batches of 100: 400 out, none acknowledged
    expect(log.flatMap(seqsOf)).toHaveLength(400);
    expect(batcher.behind).toBe(false);
    log = [];

    // More than 300 unacknowledged: the next frames become one notice per interval, not batches.
    add(batcher, 250);
    expect(log).toEqual([]); // no size-triggered batch: the batcher sees it is behind
    vi.advanceTimersByTime(10);
    expect(log.map((e) => e.kind)).toEqual(['skipped']);
    const notice = log[0]?.kind === 'skipped' ? log[0].notice : undefined;
    expect(notice).toEqual({ fromSeq: 401, toSeq: 650, behind: 650, dropped: 0 });
    expect(batcher.behind).toBe(true);

    add(batcher, 2000);
    vi.advanceTimersByTime(10);
    expect(log.map((e) => e.kind)).toEqual(['skipped', 'skipped']);
    expect(log[1]?.kind === 'skipped' && log[1].notice).toMatchObject({ fromSeq: 651, toSeq: 2650, behind: 2650 });

    // The consumer catches up (acknowledging the notices too): batches resume from the next frame.
    batcher.ack(2650);
    expect(batcher.behind).toBe(false);
    log = [];
    add(batcher, 5);
    vi.advanceTimersByTime(10);
    expect(log.map((e) => e.kind)).toEqual(['frames']);
    expect(seqsOf(log[0])).toEqual([2651, 2652, 2653, 2654, 2655]);
    // Nothing was lost from the store: the skipped frames can be paged.
    expect(store.page(401, 5).frames.map((f) => f.seq)).toEqual([401, 402, 403, 404, 405]);
    expect(store.count).toBe(2655);
  });

  it('keeps coalescing until the acknowledgements are back under half the bound (no flapping)', () => {
    const batcher = make(10, 100, 100);
    batcher.ack(0);
    add(batcher, 300);
    add(batcher, 10);
    vi.advanceTimersByTime(10);
    expect(batcher.behind).toBe(true);
    batcher.ack(240); // 70 unacknowledged: above half of 100
    expect(batcher.behind).toBe(true);
    batcher.ack(270); // 40: under half
    expect(batcher.behind).toBe(false);
  });

  it('gives no credit for frames not sent yet when an acknowledgement runs ahead', () => {
    const batcher = make(10, 100, 100);
    add(batcher, 50);
    vi.advanceTimersByTime(10);
    batcher.ack(1_000_000); // counts as 50: all that was sent
    log = [];
    add(batcher, 99);
    vi.advanceTimersByTime(10);
    expect(log.map((e) => e.kind)).toEqual(['frames']); // 99 out, within the bound
    add(batcher, 200);
    vi.advanceTimersByTime(10);
    expect(batcher.behind).toBe(true);
    expect(log.some((e) => e.kind === 'skipped')).toBe(true);
  });
});

describe('FrameBatcher on an injected clock', () => {
  it('times its interval on the clock it is given (a session and its batcher share one fake time)', () => {
    const clock = new ManualClock();
    const store = new FrameStore();
    const batches: FrameBatch[] = [];
    const batcher = new FrameBatcher({ intervalMs: 50, clock, source: store, emit: (batch) => batches.push(batch), emitSkipped: () => undefined });
    batcher.note(store.push('in', 'text', Buffer.from('a')));
    batcher.note(store.push('in', 'text', Buffer.from('b')));
    clock.advance(49);
    expect(batches).toEqual([]);
    clock.advance(1);
    expect(batches.map((batch) => batch.frames.map((frame) => frame.seq))).toEqual([[1, 2]]);
    batcher.note(store.push('in', 'text', Buffer.from('c')));
    batcher.dispose();
    // Flushed at dispose, with no timer left on the clock.
    expect(batches).toHaveLength(2);
    expect(clock.pending).toBe(0);
  });
});
