/**
 * The reconnecting connection on fake time, its attempts failing at the TCP step (no socket
 * is opened): one session id across attempts, the waits on the Clock, the limit, and the
 * user cancelling a wait or cutting it short.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/shared/events';
import { connectionOptionsSchema, reconnectOptionsSchema, type ReconnectOptionsInput } from '../../../src-main/shared/model';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { WsConnection } from '../../../src-main/core/session/ws-connection';
import { ManualClock } from '../../support/manual-clock';

interface Harness {
  connection: WsConnection;
  clock: ManualClock;
  events: EngineEvent[];
  connects: () => number;
}

function harness(reconnect: ReconnectOptionsInput, random = (): number => 0.5): Harness {
  const clock = new ManualClock();
  const events: EngineEvent[] = [];
  let connects = 0;
  const options = connectionOptionsSchema.parse({ url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' } });
  const connection = new WsConnection({
    id: 'c1',
    options,
    environment: { env: {} },
    emit: (event) => events.push(event),
    reconnect: reconnectOptionsSchema.parse(reconnect),
    backoffClock: clock,
    random,
    deps: {
      tcpConnect: () => {
        connects += 1;
        return Promise.reject(NetFailure.of('connect', 'CONNECTION_REFUSED', { target: '127.0.0.1:9' }));
      },
    },
  });
  return { connection, clock, events, connects: () => connects };
}

/** Events already waited for: `settle` waits for a new one. */
const seen = new Set<EngineEvent>();

/** Lets the attempt's pipeline run until a new event of `type` (promises only; the clock stands still). */
async function settle(h: Harness, type: EngineEvent['type']): Promise<void> {
  for (let i = 0; i < 200 && !h.events.some((e) => e.type === type && !seen.has(e)); i += 1) await new Promise((r) => setImmediate(r));
  for (const e of h.events) seen.add(e);
}

function attemptsOf(events: EngineEvent[]) {
  return events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []));
}

describe('a reconnecting connection', () => {
  it('waits 1 s, 2 s, 4 s on the clock between failed attempts, then gives up at the limit with one closed', async () => {
    const h = harness({ maxAttempts: 3 });
    h.connection.start();
    await settle(h, 'attempt');
    expect(attemptsOf(h.events).map((r) => r.next?.waitMs)).toEqual([1000]);
    h.clock.advance(999);
    expect(h.connects()).toBe(1);
    h.clock.advance(1);
    await settle(h, 'attempt');
    h.clock.advance(2000);
    await settle(h, 'attempt');
    h.clock.advance(4000);
    await settle(h, 'closed');
    const records = attemptsOf(h.events);
    expect(records.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
    expect(records.map((r) => r.next?.waitMs ?? null)).toEqual([1000, 2000, 4000, null]);
    expect(records.at(-1)?.stopReason).toMatch(/gave up after 3 reconnects/);
    expect(records.every((r) => r.outcome.kind === 'failed' && r.outcome.error?.code === 'CONNECTION_REFUSED')).toBe(true);
    expect(h.events.filter((e) => e.type === 'closed')).toHaveLength(1);
    expect(h.events.filter((e) => e.type === 'attempt-started').map((e) => (e.type === 'attempt-started' ? e.attempt : 0))).toEqual([2, 3, 4]);
    expect(new Set(h.events.map((e) => e.sessionId))).toEqual(new Set(['c1']));
    expect(h.connection.statsNow().attempts).toEqual({ started: 4, opened: 0 });
    expect(h.clock.pending).toBe(0);
  });

  it('applies the jitter the injected random gives', async () => {
    const h = harness({}, () => 0);
    h.connection.start();
    await settle(h, 'attempt');
    expect(attemptsOf(h.events)[0]?.next?.waitMs).toBe(800);
    await h.connection.close();
  });

  it('close during the wait cancels the next attempt: the separator says so, and closed comes from the user', async () => {
    const h = harness({});
    h.connection.start();
    await settle(h, 'attempt');
    expect(h.connection.pending?.attempt).toBe(2);
    await h.connection.close();
    const records = attemptsOf(h.events);
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({ attempt: 1, next: null, stopReason: 'reconnect cancelled by the user' });
    expect(h.events.at(-1)).toMatchObject({ type: 'closed', initiatedBy: 'client' });
    expect(h.clock.pending).toBe(0);
    h.clock.advance(60_000);
    expect(h.connects()).toBe(1);
    expect(h.connection.reconnectNow()).toBe(false);
  });

  it('reconnectNow starts the next attempt at once; the record says so (sent again before attempt-started)', async () => {
    const h = harness({});
    h.connection.start();
    await settle(h, 'attempt');
    h.clock.advance(300);
    expect(h.connection.reconnectNow()).toBe(true);
    await settle(h, 'attempt-started');
    await settle(h, 'attempt');
    expect(h.connects()).toBe(2);
    // Attempt 1's record again, cut short by Now (the separator's "next in 1.0 s" becomes "at once"), then attempt 2's.
    const records = attemptsOf(h.events);
    expect(records.map((r) => [r.attempt, r.next?.retry, r.next?.cutShortAt])).toEqual([
      [1, 1, undefined],
      [1, 1, h.clock.now()],
      [2, 2, undefined],
    ]);
    expect(h.events.map((e) => e.type).filter((t) => t === 'attempt' || t === 'attempt-started').slice(0, 3)).toEqual(['attempt', 'attempt', 'attempt-started']);
    expect(h.connection.attempts().map((r) => r.attempt)).toEqual([1, 2]);
    await h.connection.dispose();
    expect(h.events.filter((e) => e.type === 'closed')).toHaveLength(1);
  });
});
