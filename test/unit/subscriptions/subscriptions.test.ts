// The subscriber model: each consumer its own batches, acknowledgements and skipped notices.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isSessionEvent, type EngineEvent } from '../../../src-main/shared/events';
import type { SessionInfo } from '../../../src-main/shared/session-info';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { SessionStatsRecorder } from '../../../src-main/core/session/session-stats';
import { Subscriptions } from '../../../src-main/core/subscriptions/subscriptions';
import type { Subscriber } from '../../../src-main/core/subscriptions/subscriber';
import type { SessionFeed } from '../../../src-main/core/subscriptions/session-feed';
import { ManualClock } from '../../support/manual-clock';

const INTERVAL = 10;
const MAX_FRAMES = 100;
const MAX_UNACKED = 300;

/** What one consumer was sent: its batches' seqs, its notices' ranges, its other events. */
class Log {
  readonly events: EngineEvent[] = [];
  batched(sessionId = 's1'): number[] {
    return this.events.flatMap((e) => (e.type === 'frames' && e.sessionId === sessionId ? e.frames.map((f) => f.seq) : []));
  }
  skipped(sessionId = 's1'): [number, number][] {
    return this.events.flatMap((e) => (e.type === 'frames-skipped' && e.sessionId === sessionId ? [[e.fromSeq, e.toSeq] as [number, number]] : []));
  }
  /** Every seq it was told of, by a batch or a notice, in order. */
  covered(sessionId = 's1'): number[] {
    return this.events.flatMap((e) => {
      if (e.sessionId !== sessionId) return [];
      if (e.type === 'frames') return e.frames.map((f) => f.seq);
      if (e.type === 'frames-skipped') return Array.from({ length: e.toSeq - e.fromSeq + 1 }, (_, i) => e.fromSeq + i);
      return [];
    });
  }
  types(): string[] {
    return this.events.map((e) => e.type);
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('Subscriptions: a consumer each', () => {
  let clock: ManualClock;
  let subs: Subscriptions;
  let store: FrameStore;
  let feed: SessionFeed;
  const info = (sessionId: string): SessionInfo => ({
    sessionId,
    url: 'ws://example.test/',
    state: 'open',
    createdAt: 1,
    framesStored: store.count,
    framesDropped: store.dropped,
    lastSeq: store.lastSeq,
  });
  /** Stores n frames and notes each, as the session does. */
  const add = (n: number, into = feed, to = store): void => {
    for (let i = 0; i < n; i++) into.note(to.push('in', 'text', Buffer.from('x')));
  };
  const consumer = (log: Log, extra: { ackEverything?: () => Subscriber | undefined } = {}): Subscriber => {
    const subscriber = subs.subscribe({
      deliver: (event) => {
        if (isSessionEvent(event)) log.events.push(event);
        // An eager consumer acknowledges each batch as it takes it in.
        const self = extra.ackEverything?.();
        if (self && event.type === 'frames') self.ack(event.sessionId, event.frames.at(-1)?.seq ?? 0);
      },
    });
    return subscriber;
  };

  beforeEach(() => {
    clock = new ManualClock();
    subs = new Subscriptions({ batch: { intervalMs: INTERVAL, maxFrames: MAX_FRAMES, maxUnacked: MAX_UNACKED }, clock, snapshot: (id) => info(id) });
    store = new FrameStore();
    feed = subs.addSession('s1');
    feed.attach(store);
  });

  it('two consumers of one flood: the fast one gets every frame in batches, the slow one falls behind alone and is told exactly which frames it missed', () => {
    const fastLog = new Log();
    const slowLog = new Log();
    const fast: Subscriber = consumer(fastLog, { ackEverything: () => fast });
    const slow = consumer(slowLog);
    expect(subs.watch(fast, 's1', { snapshot: false })).toBe(true);
    expect(subs.watch(slow, 's1', { snapshot: false })).toBe(true);
    // Both acknowledge once (flow control on); the slow one then stops.
    fast.ack('s1', 0);
    slow.ack('s1', 0);

    for (let turn = 0; turn < 20; turn++) {
      add(50);
      clock.advance(INTERVAL);
    }
    // The fast one: all 1,000 frames as summaries, in order, no notice.
    expect(fastLog.batched()).toEqual(range(1, 1000));
    expect(fastLog.skipped()).toEqual([]);
    expect(fast.isBehind('s1')).toBe(false);

    // The slow one: summaries up to the bound, then notices; together exactly 1..1000, each seq once.
    const batched = slowLog.batched();
    expect(batched.length).toBeGreaterThan(0);
    expect(batched.length).toBeLessThanOrEqual(MAX_UNACKED + MAX_FRAMES);
    expect(batched).toEqual(range(1, batched.length));
    const skipped = slowLog.skipped();
    expect(skipped[0]?.[0]).toBe(batched.length + 1);
    expect(skipped.at(-1)?.[1]).toBe(1000);
    for (let i = 1; i < skipped.length; i++) expect(skipped[i]?.[0]).toBe((skipped[i - 1]?.[1] ?? 0) + 1);
    expect(slowLog.covered()).toEqual(range(1, 1000));
    expect(slow.isBehind('s1')).toBe(true);
    // Each notice says how far behind the slow one is (it acknowledged nothing past 0).
    const lastNotice = slowLog.events.filter((e) => e.type === 'frames-skipped').at(-1);
    expect(lastNotice).toMatchObject({ type: 'frames-skipped', sessionId: 's1', toSeq: 1000, behind: 1000, dropped: 0 });
    // The fast one's acknowledgements did not hide the slow one, nor did the slow one's notices reach the fast one.
    expect(fastLog.types().every((type) => type === 'frames')).toBe(true);

    // The slow one catches up (it paged what it missed): batches resume for it from the next frame.
    slow.ack('s1', 1000);
    expect(slow.isBehind('s1')).toBe(false);
    add(5);
    clock.advance(INTERVAL);
    expect(slowLog.batched().slice(-5)).toEqual(range(1001, 1005));
    expect(fastLog.batched().slice(-5)).toEqual(range(1001, 1005));
  });

  it('consumers sent the same range share one event: its summaries are built once', () => {
    const logA = new Log();
    const logB = new Log();
    const a = consumer(logA);
    const b = consumer(logB);
    subs.watch(a, 's1', { snapshot: false });
    subs.watch(b, 's1', { snapshot: false });
    const summaries = vi.spyOn(store, 'summaries');
    add(150); // one full batch at once, the rest when the interval passes
    clock.advance(INTERVAL);
    const framesOf = (log: Log): EngineEvent[] => log.events.filter((e) => e.type === 'frames');
    expect(framesOf(logA)).toHaveLength(2);
    expect(framesOf(logB)).toHaveLength(2);
    expect(framesOf(logB)[0]).toBe(framesOf(logA)[0]);
    expect(framesOf(logB)[1]).toBe(framesOf(logA)[1]);
    expect(logA.batched()).toEqual(range(1, 150));
    expect(logB.batched()).toEqual(range(1, 150));
    expect(summaries).toHaveBeenCalledTimes(2);

    // A third consumer that joins now shares the next range with the others.
    const logC = new Log();
    const c = consumer(logC);
    subs.watch(c, 's1', { snapshot: false });
    add(20);
    clock.advance(INTERVAL);
    expect(logC.batched()).toEqual(range(151, 170));
    expect(framesOf(logC)[0]).toBe(framesOf(logA)[2]);
    expect(summaries).toHaveBeenCalledTimes(3);
  });

  it('a session event reaches its watchers after the frames before it, and no one else', () => {
    const aLog = new Log();
    const bLog = new Log();
    const a = consumer(aLog);
    consumer(bLog);
    subs.watch(a, 's1', { snapshot: false });
    add(3);
    // The session flushes its feed before each other event, as WsSession does.
    feed.flush();
    subs.dispatch({ type: 'stats', sessionId: 's1', stats: statsOf() });
    expect(aLog.types()).toEqual(['frames', 'stats']);
    expect(bLog.events).toEqual([]);
  });

  it('unsubscribing stops delivery: no batches, no notices, no events, for that session or (closed) any', () => {
    const log = new Log();
    const other = subs.addSession('s2');
    const otherStore = new FrameStore();
    other.attach(otherStore);
    const subscriber = consumer(log);
    subs.watch(subscriber, 's1', { snapshot: false });
    subs.watch(subscriber, 's2', { snapshot: false });
    add(2);
    clock.advance(INTERVAL);
    expect(log.batched()).toEqual([1, 2]);

    add(3); // noted, not yet sent: dropped with the subscription
    subs.unwatch(subscriber, 's1');
    expect(feed.consumers).toBe(0);
    clock.advance(INTERVAL);
    subs.dispatch({ type: 'stats', sessionId: 's1', stats: statsOf() });
    expect(log.events.filter((e) => e.sessionId === 's1').map((e) => e.type)).toEqual(['frames']);

    add(2, other, otherStore);
    clock.advance(INTERVAL);
    expect(log.batched('s2')).toEqual([1, 2]);
    subs.unsubscribe(subscriber);
    const before = log.events.length;
    add(2, other, otherStore);
    clock.advance(INTERVAL);
    subs.dispatch({ type: 'stats', sessionId: 's2', stats: statsOf() });
    expect(log.events.length).toBe(before);
    expect(clock.pending).toBe(0);
  });

  it('a late subscriber gets where the session stands (subscribed), then only the frames after it', () => {
    add(7);
    const log = new Log();
    const late = consumer(log);
    subs.watch(late, 's1');
    add(2);
    clock.advance(INTERVAL);
    // Taken when it subscribed: 7 frames stored then.
    expect(log.events[0]).toMatchObject({ type: 'subscribed', sessionId: 's1', info: { sessionId: 's1', lastSeq: 7, framesStored: 7 } });
    expect(log.batched()).toEqual([8, 9]);
    // Watching again changes nothing (no second snapshot, one batcher).
    subs.watch(late, 's1');
    expect(log.types().filter((t) => t === 'subscribed')).toHaveLength(1);
    expect(feed.consumers).toBe(1);
    expect(subs.watch(late, 'no-such-session')).toBe(false);
  });

  it('the list: a consumer subscribed to it hears that every session exists, its state, end and removal, nothing more', () => {
    const log = new Log();
    const lister = subs.subscribe({ deliver: (event) => isSessionEvent(event) && log.events.push(event), list: true });
    subs.addSession('s2');
    const events: EngineEvent[] = [
      { type: 'session-created', sessionId: 's2', url: 'ws://x/', at: 1 },
      { type: 'state', sessionId: 's2', state: 'open', previous: 'upgrading', at: 2 },
      { type: 'stats', sessionId: 's2', stats: statsOf() },
      { type: 'attempt-started', sessionId: 's2', attempt: 2, at: 2 },
      { type: 'closed', sessionId: 's2', code: 1000, reason: '', wasClean: true, initiatedBy: 'client', at: 3 },
      { type: 'session-removed', sessionId: 's2' },
    ];
    for (const event of events) subs.dispatch(event);
    expect(log.types()).toEqual(['session-created', 'state', 'closed', 'session-removed']);
    // Watching it too: each event once.
    log.events.length = 0;
    subs.watch(lister, 's1', { snapshot: false });
    subs.dispatch({ type: 'state', sessionId: 's1', state: 'closing', previous: 'open', at: 4 });
    expect(log.types()).toEqual(['state']);
    subs.setList(lister, false);
    subs.dispatch({ type: 'session-created', sessionId: 's3', url: 'ws://y/', at: 5 });
    expect(log.types()).toEqual(['state']);
  });

  it('a consumer whose transport is congested gets notices instead of batches, with exact ranges, until it drains', () => {
    const log = new Log();
    let congested = false;
    const subscriber = subs.subscribe({ deliver: (event) => isSessionEvent(event) && log.events.push(event), congested: () => congested });
    subs.watch(subscriber, 's1', { snapshot: false });
    add(150);
    expect(log.batched()).toEqual(range(1, 100)); // the size bound sent a batch at once
    congested = true;
    add(250);
    expect(log.events).toHaveLength(1); // no size-bound batches while congested
    clock.advance(INTERVAL);
    expect(log.skipped()).toEqual([[101, 400]]);
    expect(log.events.at(-1)).toMatchObject({ type: 'frames-skipped', behind: 300 });
    congested = false;
    add(3);
    clock.advance(INTERVAL);
    expect(log.batched().slice(-3)).toEqual([401, 402, 403]);
    expect(log.covered()).toEqual(range(1, 403));
  });

  it('a session removed: its watchers detach and its feed stops', () => {
    const log = new Log();
    const subscriber = consumer(log);
    subs.watch(subscriber, 's1', { snapshot: false });
    add(2);
    feed.flush(); // the session flushes when it ends, before it is removed
    add(1); // nothing is noted after that in the engine; were it, it would not be sent
    subs.removeSession('s1');
    clock.advance(INTERVAL);
    expect(log.batched()).toEqual([1, 2]);
    expect(subscriber.watches('s1')).toBe(false);
    expect(subs.hasSession('s1')).toBe(false);
    expect(clock.pending).toBe(0);
  });
});

function statsOf(): Extract<EngineEvent, { type: 'stats' }>['stats'] {
  return new SessionStatsRecorder({ sendHighWaterMark: 1 }).snapshot(0);
}
