/**
 * Pages are sent what their log shows: per batch interval at most `tailFrames` rows, the
 * newest, and the earlier frames as a notice with `behind` 0 (FrameBatcher). Every frame stays
 * accounted for seq by seq, a page that stops acknowledging still falls behind alone, and a
 * consumer without a tail (the CLI) still gets every frame as a row.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { type EngineEvent, type EngineEventOf } from '../../../src-main/shared/events';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { FrameBatcher, type FrameBatch, type SkippedNotice } from '../../../src-main/core/session/frame-batcher';
import { Subscriptions } from '../../../src-main/core/subscriptions/subscriptions';
import type { Subscriber } from '../../../src-main/core/subscriptions/subscriber';
import type { SessionFeed } from '../../../src-main/core/subscriptions/session-feed';
import { ManualClock } from '../../support/manual-clock';

const INTERVAL = 10;
const MAX_FRAMES = 100;
const MAX_UNACKED = 2_000;
const TAIL = 30;

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** What one consumer was sent, in order. */
class Log {
  readonly events: EngineEvent[] = [];
  rows(): number[] {
    return this.events.flatMap((e) => (e.type === 'frames' ? e.frames.map((f) => f.seq) : []));
  }
  notices(): EngineEventOf<'frames-skipped'>[] {
    return this.events.filter((e): e is EngineEventOf<'frames-skipped'> => e.type === 'frames-skipped');
  }
  /** Every seq it was told of, by a batch or a notice, in order. */
  covered(): number[] {
    return this.events.flatMap((e) => {
      if (e.type === 'frames') return e.frames.map((f) => f.seq);
      if (e.type === 'frames-skipped') return range(e.fromSeq, e.toSeq);
      return [];
    });
  }
}

describe('Subscriptions: a page is sent the tail it shows', () => {
  let clock: ManualClock;
  let subs: Subscriptions;
  let store: FrameStore;
  let feed: SessionFeed;
  /** Stores n frames in bursts of 10 and notes each burst as one range, as the session does. */
  const add = (n: number): void => {
    for (let done = 0; done < n; done += 10) {
      const first = store.push('in', 'text', Buffer.from('x'));
      let last = first;
      for (let i = 1; i < Math.min(10, n - done); i++) last = store.push('in', 'text', Buffer.from('x'));
      feed.note(first, last);
    }
  };
  const consumer = (log: Log, options: { tail?: boolean; acks?: () => boolean; self?: () => Subscriber | undefined } = {}): Subscriber =>
    subs.subscribe({
      ...(options.tail ? { batch: { tailFrames: TAIL } } : {}),
      deliver: (event) => {
        if (event.type !== 'frames' && event.type !== 'frames-skipped') return;
        log.events.push(event);
        // A page acknowledges what it took in, a batch or a notice (frame-feed.ts in the renderer).
        const seq = event.type === 'frames' ? (event.frames.at(-1)?.seq ?? 0) : event.toSeq;
        if (options.acks?.() === true) options.self?.()?.ack(event.sessionId, seq);
      },
    });

  beforeEach(() => {
    clock = new ManualClock();
    subs = new Subscriptions({ batch: { intervalMs: INTERVAL, maxFrames: MAX_FRAMES, maxUnacked: MAX_UNACKED }, clock, snapshot: () => undefined });
    store = new FrameStore();
    feed = subs.addSession('s1');
    feed.attach(store);
  });

  it('two pages and the CLI on one flood: each page gets the newest rows of each interval and exact ranges for the rest; the one that stops acknowledging falls behind alone; the CLI gets every row', () => {
    const pageLog = new Log();
    const stuckLog = new Log();
    const cliLog = new Log();
    let stuckAcks = true;
    const page: Subscriber = consumer(pageLog, { tail: true, acks: () => true, self: () => page });
    const stuck: Subscriber = consumer(stuckLog, { tail: true, acks: () => stuckAcks, self: () => stuck });
    const cli = consumer(cliLog);
    for (const subscriber of [page, stuck, cli]) expect(subs.watch(subscriber, 's1', { snapshot: false })).toBe(true);

    // 500 frames an interval, 20 intervals; the stuck page stops acknowledging after the fifth.
    for (let turn = 0; turn < 20; turn++) {
      if (turn === 5) stuckAcks = false;
      add(500);
      clock.advance(INTERVAL);
    }

    // The page: per interval one notice for the first 470 and the newest 30 as rows.
    expect(pageLog.rows()).toHaveLength(20 * TAIL);
    expect(pageLog.rows().slice(0, TAIL)).toEqual(range(471, 500));
    expect(pageLog.rows().slice(-TAIL)).toEqual(range(9_971, 10_000));
    expect(pageLog.notices()[0]).toMatchObject({ fromSeq: 1, toSeq: 470, behind: 0, dropped: 0, tail: true });
    expect(pageLog.notices().every((notice) => notice.behind === 0 && notice.tail === true)).toBe(true);
    expect(pageLog.covered()).toEqual(range(1, 10_000));
    expect(page.isBehind('s1')).toBe(false);

    // The stuck page: tails while it acknowledged, then past MAX_UNACKED only notices saying how far behind it is.
    expect(stuck.isBehind('s1')).toBe(true);
    expect(stuckLog.covered()).toEqual(range(1, 10_000));
    const last = stuckLog.notices().at(-1);
    expect(last).toMatchObject({ toSeq: 10_000 });
    expect(last?.behind).toBeGreaterThan(MAX_UNACKED);
    expect(last?.tail).toBeUndefined();
    expect(stuckLog.events.at(-1)?.type).toBe('frames-skipped');
    expect(stuckLog.rows().length).toBeLessThan(pageLog.rows().length);

    // The CLI-like consumer: every frame as a row, no notice.
    expect(cliLog.rows()).toEqual(range(1, 10_000));
    expect(cliLog.notices()).toEqual([]);

    // Both pages were sent the same tails while both acknowledged: one event each, shared.
    expect(stuckLog.events[1]).toBe(pageLog.events[1]);

    // The stuck page catches up: tails again from the next interval.
    stuck.ack('s1', 10_000);
    expect(stuck.isBehind('s1')).toBe(false);
    add(100);
    clock.advance(INTERVAL);
    expect(stuckLog.rows().slice(-TAIL)).toEqual(range(10_071, 10_100));
    expect(stuckLog.notices().at(-1)).toMatchObject({ fromSeq: 10_001, toSeq: 10_070, behind: 0 });
  });

  it('a quiet stream reaches a page whole, and a flush before another event sends the tail at once', () => {
    const pageLog = new Log();
    const page: Subscriber = consumer(pageLog, { tail: true, acks: () => true, self: () => page });
    subs.watch(page, 's1', { snapshot: false });
    add(20);
    clock.advance(INTERVAL);
    expect(pageLog.rows()).toEqual(range(1, 20));
    expect(pageLog.notices()).toEqual([]);
    // More than a batch's maxFrames in one interval: no early flush, the tail when the session flushes (a state event).
    add(250);
    expect(pageLog.rows()).toEqual(range(1, 20));
    feed.flush();
    expect(pageLog.notices()).toEqual([expect.objectContaining({ fromSeq: 21, toSeq: 240, behind: 0 })]);
    expect(pageLog.rows().slice(20)).toEqual(range(241, 270));
  });
});

describe('FrameBatcher: tailFrames', () => {
  it('ignores a bound below one (every frame as a row), and sends frames evicted meanwhile as neither', () => {
    const store = new FrameStore({ maxFrames: 50 });
    const log: (FrameBatch | SkippedNotice)[] = [];
    const clock = new ManualClock();
    const make = (tailFrames: number): FrameBatcher =>
      new FrameBatcher({ intervalMs: 10, maxFrames: 100, tailFrames, source: store, clock, emit: (b) => log.push(b), emitSkipped: (n) => log.push(n) });
    expect(make(0).tailFrames).toBeUndefined();
    const batcher = make(5);
    for (let i = 0; i < 80; i++) batcher.note(store.push('in', 'text', Buffer.from('x')));
    clock.advance(10);
    // 1..30 were evicted (the store keeps 50): the notice starts at the oldest kept, 31..75, so
    // its fromSeq and dropped agree (a page takes the first kept frame from that pair); rows 76..80.
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ fromSeq: 31, toSeq: 75, behind: 0, dropped: 30, tail: true });
    expect('frames' in (log[1] ?? {}) ? (log[1] as FrameBatch).frames.map((f) => f.seq) : []).toEqual(range(76, 80));
  });

  it('a flood that evicted more than the tail in one interval: one batch from the oldest kept, no notice', () => {
    const store = new FrameStore({ maxFrames: 20 });
    const log: (FrameBatch | SkippedNotice)[] = [];
    const clock = new ManualClock();
    const batcher = new FrameBatcher({ intervalMs: 10, maxFrames: 100, tailFrames: 25, source: store, clock, emit: (b) => log.push(b), emitSkipped: (n) => log.push(n) });
    for (let i = 0; i < 80; i++) batcher.note(store.push('in', 'text', Buffer.from('x')));
    clock.advance(10);
    // 61..80 kept: fewer than the tail, so they go as rows, and nothing names 1..60 as kept.
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ fromSeq: 61, toSeq: 80, dropped: 60 });
  });

  it('a page behind (coalescing) is told the range from the oldest kept frame', () => {
    const store = new FrameStore({ maxFrames: 50 });
    const log: (FrameBatch | SkippedNotice)[] = [];
    const clock = new ManualClock();
    const batcher = new FrameBatcher({ intervalMs: 10, maxFrames: 100, maxUnacked: 10, source: store, clock, emit: (b) => log.push(b), emitSkipped: (n) => log.push(n) });
    for (let i = 0; i < 20; i++) batcher.note(store.push('in', 'text', Buffer.from('x')));
    clock.advance(10);
    batcher.ack(0);
    for (let i = 0; i < 100; i++) batcher.note(store.push('in', 'text', Buffer.from('x')));
    clock.advance(10);
    const notice = log.find((e): e is SkippedNotice => !('frames' in e));
    expect(notice).toMatchObject({ fromSeq: 71, toSeq: 120, dropped: 70 });
  });
});
