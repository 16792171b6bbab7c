import { describe, expect, it } from 'vitest';
import { parseBuiltins, type BuiltinSources } from '../../../src-main/shared/builtin-variables';
import type { EngineEventOf } from '../../../src-main/shared/events';
import type { SessionState } from '../../../src-main/shared/model';
import type { SessionStats } from '../../../src-main/shared/stats';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { SendRepeat, ZERO_INTERVAL_BURST, type RepeatTarget } from '../../../src-main/core/session/send-repeat';
import { ManualClock } from '../../support/manual-clock';

const MARK = 1000;
const sources: BuiltinSources = { now: () => 0, random: () => 0, uuid: () => 'u' };

/** A session that records what it was sent; its queue fills only when the test says so. */
class FakeTarget implements RepeatTarget {
  state: SessionState = 'open';
  queued = 0;
  sent: string[] = [];
  /** Refuse like ws-session does when the queue is at the mark. */
  send(_kind: 'text' | 'binary', payload: Buffer): number | undefined {
    if (this.state !== 'open') return undefined;
    if (this.queued >= MARK) throw NetFailure.of('transport', 'SEND_QUEUE_FULL', { queuedBytes: this.queued });
    this.sent.push(payload.toString('utf8'));
    return this.sent.length;
  }
  queuedBytes(): number {
    return this.queued;
  }
}

function setup(repeat: { count: number | null; intervalMs: number }, body = 'm{{$counter}}') {
  const clock = new ManualClock();
  const target = new FakeTarget();
  const events: EngineEventOf<'repeat'>[] = [];
  let ended = 0;
  const parsed = parseBuiltins(body);
  if (!parsed.ok) throw new Error(parsed.error);
  const sender = new SendRepeat({
    id: 'r1',
    sessionId: 's1',
    target,
    kind: 'text',
    body: { template: parsed.template },
    count: repeat.count,
    intervalMs: repeat.intervalMs,
    highWaterMark: MARK,
    clock,
    sources,
    emit: (event) => events.push(event),
    onEnd: () => {
      ended += 1;
    },
  });
  return { clock, target, events, sender, endedCount: () => ended };
}

const statsEvent = { type: 'stats', sessionId: 's1', stats: {} as SessionStats } as const;

describe('SendRepeat', () => {
  it('sends N times, one interval apart, each with its own counter, then says done', () => {
    const { clock, target, events, sender, endedCount } = setup({ count: 3, intervalMs: 500 });
    expect(sender.start()).toBe(1);
    expect(target.sent).toEqual(['m1']);
    clock.advance(499);
    expect(target.sent).toHaveLength(1);
    clock.advance(1);
    expect(target.sent).toEqual(['m1', 'm2']);
    clock.advance(500);
    expect(target.sent).toEqual(['m1', 'm2', 'm3']);
    clock.advance(5000);
    expect(target.sent).toHaveLength(3);
    expect(events.map((e) => [e.sent, e.status])).toEqual([
      [1, 'running'],
      [2, 'running'],
      [3, 'done'],
    ]);
    expect(events.every((e) => e.count === 3 && e.intervalMs === 500 && e.repeatId === 'r1')).toBe(true);
    expect(endedCount()).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('runs until stopped; Stop ends it with no further send', () => {
    const { clock, target, events, sender, endedCount } = setup({ count: null, intervalMs: 100 });
    sender.start();
    clock.advance(100 * 49);
    expect(target.sent).toHaveLength(50);
    expect(sender.stop()).toBe(true);
    expect(sender.stop()).toBe(false);
    clock.advance(10_000);
    expect(target.sent).toHaveLength(50);
    expect(events.at(-1)).toMatchObject({ status: 'stopped', sent: 50, count: null });
    expect(endedCount()).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('says its progress at most every 100 ms while it runs fast', () => {
    const { clock, target, events, sender } = setup({ count: 1000, intervalMs: 0 });
    sender.start();
    for (let i = 0; i < 999; i++) clock.advance(0);
    expect(target.sent).toHaveLength(1000);
    // Time stood still: the first send's event and the final one.
    expect(events.map((e) => [e.sent, e.status])).toEqual([
      [1, 'running'],
      [1000, 'done'],
    ]);
  });

  it('ends when the session closes mid-repeat, saying why', () => {
    const { clock, target, events, sender, endedCount } = setup({ count: 10, intervalMs: 100 });
    sender.start();
    clock.advance(200);
    target.state = 'closing';
    sender.sessionEvent({ type: 'state', sessionId: 's1', state: 'closing', previous: 'open', at: 0 });
    clock.advance(1000);
    expect(target.sent).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ status: 'ended', sent: 3, reason: 'the connection is closing' });
    sender.sessionEvent({ type: 'closed', sessionId: 's1', code: 1000, reason: '', wasClean: true, initiatedBy: 'client', at: 0 });
    expect(endedCount()).toBe(1);
  });

  it('ends at its next send when the session is no longer open without an event', () => {
    const { clock, target, events, sender } = setup({ count: null, intervalMs: 100 });
    sender.start();
    target.state = 'failed';
    clock.advance(100);
    expect(events.at(-1)).toMatchObject({ status: 'ended', sent: 1, reason: 'the connection failed' });
  });

  it('waits on a full queue instead of being refused, and resumes when it drains', () => {
    const { clock, target, events, sender } = setup({ count: 4, intervalMs: 10 });
    sender.start();
    target.queued = MARK;
    clock.advance(10);
    expect(target.sent).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ status: 'waiting', sent: 1 });
    clock.advance(10_000);
    // A stats event while still full changes nothing.
    sender.sessionEvent(statsEvent);
    expect(target.sent).toHaveLength(1);
    target.queued = MARK - 1;
    sender.sessionEvent(statsEvent);
    expect(target.sent).toEqual(['m1', 'm2']);
    expect(events.at(-1)).toMatchObject({ status: 'running', sent: 2 });
    clock.advance(20);
    expect(target.sent).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(events.at(-1)).toMatchObject({ status: 'done', sent: 4 });
  });

  it('waits when the session refuses with SEND_QUEUE_FULL, and a first send that waits answers seq 0', () => {
    const { target, events, sender } = setup({ count: 2, intervalMs: 0 });
    target.queued = MARK;
    expect(sender.start()).toBe(0);
    expect(events).toEqual([expect.objectContaining({ status: 'waiting', sent: 0 })]);
    target.queued = 0;
    sender.sessionEvent(statsEvent);
    expect(target.sent).toEqual(['m1', 'm2']);
    expect(events.at(-1)).toMatchObject({ status: 'done', sent: 2 });
  });

  it('at 0 ms sends a bounded burst per timer turn, checking the queue before each send', () => {
    const { clock, target, sender } = setup({ count: 10 * ZERO_INTERVAL_BURST, intervalMs: 0 });
    sender.start();
    expect(target.sent).toHaveLength(ZERO_INTERVAL_BURST);
    expect(clock.pending).toBe(1);
    // The queue fills mid-burst: the burst stops there and waits, with no timer left.
    const send = target.send.bind(target);
    target.send = (kind, payload) => {
      const seq = send(kind, payload);
      if (target.sent.length === ZERO_INTERVAL_BURST + 3) target.queued = MARK;
      return seq;
    };
    clock.advance(0);
    expect(target.sent).toHaveLength(ZERO_INTERVAL_BURST + 3);
    expect(clock.pending).toBe(0);
  });

  it('a stop while waiting ends it', () => {
    const { target, events, sender, clock } = setup({ count: null, intervalMs: 0 });
    target.queued = MARK;
    sender.start();
    expect(sender.stop()).toBe(true);
    target.queued = 0;
    sender.sessionEvent(statsEvent);
    clock.advance(100);
    expect(target.sent).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ status: 'stopped', sent: 0 });
  });
});
