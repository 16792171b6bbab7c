/**
 * Reconnect through the real Engine on 127.0.0.1: a server that drops the first two
 * connections and then echoes. One session id throughout, one continuous log (the frames of
 * every attempt in one store, seqs going on), a separator record per ended attempt, the
 * statistics across attempts; a normal close (1000) by the server is not retried by default.
 * The waits run on a ManualClock moved on as each wait is announced (no real waiting).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { Result } from '../../../src-main/shared/result';
import { startFlakyServer, type FlakyServer } from '../../support/flaky-ws-server';
import { ManualClock } from '../../support/manual-clock';

let engine: Engine | undefined;
let server: FlakyServer | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await server?.close();
  server = undefined;
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`command failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** An engine on fake time whose waits pass as soon as they are announced. */
function start(): { engine: Engine; clock: ManualClock; events: EngineEvent[]; until: (test: (e: EngineEvent) => boolean) => Promise<EngineEvent> } {
  const clock = new ManualClock();
  const created = new Engine({ host: 'cli', version: 't', env: {}, batch: { intervalMs: 1 }, clock });
  const events: EngineEvent[] = [];
  const waiters = new Set<() => void>();
  created.onEvent((event) => {
    events.push(event);
    if (event.type === 'attempt' && event.record.next) {
      const wait = event.record.next.waitMs;
      setImmediate(() => clock.advance(wait));
    }
    for (const wake of [...waiters]) wake();
  });
  const until = (test: (e: EngineEvent) => boolean): Promise<EngineEvent> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = events.find(test);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the awaited event did not come; got ${events.map((e) => e.type).join(', ')}`));
      }, 5000);
      waiters.add(check);
      check();
    });
  return { engine: created, clock, events, until };
}

function records(events: EngineEvent[]): AttemptRecord[] {
  return events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []));
}

describe('a reconnecting connection through the engine', () => {
  it('survives two dropped connections and a cut: one session id, one log across attempts, separators, stats across attempts', async () => {
    server = await startFlakyServer({ drop: 2, then: 'echo' });
    const run = start();
    engine = run.engine;
    const { sessionId } = value(await engine.call('session:open', { options: { url: `${server.url}/r`, proxy: { mode: 'none' }, reconnect: {} } }));
    await run.until((e) => e.type === 'state' && e.state === 'open');
    expect(value(await engine.call('session:send', { sessionId, kind: 'text', data: 'first' })).seq).toBe(1);
    await run.until((e) => e.type === 'frames' && e.frames.some((f) => f.dir === 'in' && f.preview === 'first'));

    // An abnormal drop after open is retried too, and the log goes on; after 10 s open the count starts afresh.
    run.clock.advance(10_000);
    server.cutAll();
    await run.until((e) => e.type === 'attempt' && e.record.attempt === 3);
    await run.until((e) => e.type === 'state' && e.state === 'open' && run.events.filter((s) => s.type === 'state' && s.state === 'open').length === 2);
    const seq = value(await engine.call('session:send', { sessionId, kind: 'text', data: 'second' })).seq;
    expect(seq).toBe(3);
    await run.until((e) => e.type === 'frames' && e.frames.some((f) => f.dir === 'in' && f.preview === 'second'));

    const ended = records(run.events);
    expect(ended.map((r) => [r.attempt, r.outcome.kind, r.outcome.opened, r.afterSeq, r.next?.attempt])).toEqual([
      [1, 'failed', false, 0, 2],
      [2, 'failed', false, 0, 3],
      [3, 'failed', true, 2, 4],
    ]);
    expect(ended[2]?.outcome.error?.stage).toBe('transport');
    // Attempt 3 was open for 10 s: the count starts afresh, so the wait after it is the first again.
    expect(ended.map((r) => r.next?.retry)).toEqual([1, 2, 1]);
    expect(run.events.some((e) => e.type === 'closed')).toBe(false);
    expect(new Set(run.events.map((e) => e.sessionId))).toEqual(new Set([sessionId]));

    const page = value(await engine.call('frames:page', { sessionId, fromSeq: 1, limit: 100 }));
    expect(page.frames.map((f) => `${f.seq}${f.dir}:${f.preview}`)).toEqual(['1out:first', '2in:first', '3out:second', '4in:second']);

    const stats = value(await engine.call('session:stats', { sessionId }));
    expect(stats.attempts).toEqual({ started: 4, opened: 2 });
    expect(stats.totals.in.messages).toBe(2);
    expect(stats.totals.out.messages).toBe(2);

    const list = value(await engine.call('session:list', {}));
    expect(list).toHaveLength(1);
    expect(list[0]?.attempts?.map((r) => r.attempt)).toEqual([1, 2, 3]);

    value(await engine.call('session:close', { sessionId }));
    const closed = await run.until((e) => e.type === 'closed');
    expect(closed).toMatchObject({ initiatedBy: 'client' });
    expect(records(run.events).at(-1)).toMatchObject({ attempt: 4, next: null, stopReason: 'closed by the user' });
    expect(server.connections).toBe(4);
    // The log's separators go into an NDJSON export and come back with its import.
    const exported = value(await engine.call('frames:export', { sessionId, format: 'ndjson' }));
    const header: unknown = JSON.parse(exported.text.split('\n')[0] ?? '');
    expect(header).toMatchObject({ attempts: [{ attempt: 1 }, { attempt: 2 }, { attempt: 3 }, { attempt: 4, stopReason: 'closed by the user' }] });
    const imported = value(await engine.call('frames:import', { name: 'again.ndjson', text: exported.text }));
    const importedInfo = value(await engine.call('session:list', {})).find((info) => info.sessionId === imported.sessionId);
    expect(importedInfo?.attempts?.map((r) => [r.attempt, r.afterSeq])).toEqual([
      [1, 0],
      [2, 0],
      [3, 2],
      [4, 6],
    ]);
    expect(run.events.filter((e) => e.type === 'attempt' && e.sessionId === imported.sessionId)).toHaveLength(4);
  });

  it('does not retry a normal close (1000) by the server unless asked to', async () => {
    server = await startFlakyServer({ drop: 0, then: 'close-1000' });
    const run = start();
    engine = run.engine;
    const { sessionId } = value(await engine.call('session:open', { options: { url: server.url, proxy: { mode: 'none' }, reconnect: {} } }));
    const closed = await run.until((e) => e.type === 'closed');
    expect(closed).toMatchObject({ sessionId, code: 1000, initiatedBy: 'server' });
    const ended = records(run.events);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ attempt: 1, next: null });
    expect(ended[0]?.stopReason).toMatch(/normally \(1000\)/);
    expect(server.connections).toBe(1);
  });

  it('retries a normal close when retryNormalClose is set, and reconnect-now is refused when nothing waits', async () => {
    server = await startFlakyServer({ drop: 0, then: 'close-1000' });
    const run = start();
    engine = run.engine;
    const { sessionId } = value(await engine.call('session:open', { options: { url: server.url, proxy: { mode: 'none' }, reconnect: { maxAttempts: 2, retryNormalClose: true } } }));
    await run.until((e) => e.type === 'closed');
    // Each attempt opens and is closed at once: not open for long, so the count goes on to the limit (no loop).
    const ended = records(run.events);
    expect(ended.map((r) => r.next?.retry ?? null)).toEqual([1, 2, null]);
    expect(ended.at(-1)?.stopReason).toMatch(/gave up after 2 reconnects/);
    expect(server.connections).toBe(3);
    const refused = await engine.call('session:reconnect-now', { sessionId });
    expect(refused.ok).toBe(false);
  });
});
