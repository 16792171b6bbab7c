/**
 * Repeated sends through the real Engine, on 127.0.0.1: the repeat's timer is on a ManualClock
 * (the engine's `clock`), the sockets on real time. Each step advances fake time and then lets
 * the sockets work; nothing asserts how long anything took.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { EngineEvent, EngineEventOf } from '../../../src-main/shared/events';
import { SEND_HIGH_WATER_MARK } from '../../../src-main/shared/model';
import type { Result } from '../../../src-main/shared/result';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { ManualClock } from '../../support/manual-clock';
import { startRawServer, switchingProtocols, type RawServer } from '../../support/raw-ws-server';

let engine: Engine | undefined;
let echo: EchoServer | undefined;
let raw: RawServer | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await echo?.close();
  echo = undefined;
  await raw?.close();
  raw = undefined;
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`command failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

async function openEngine(url: string, clock: ManualClock): Promise<{ engine: Engine; sessionId: string; events: EngineEvent[] }> {
  const created = new Engine({
    host: 'cli',
    version: '1',
    env: {},
    clock,
    batch: { intervalMs: 5 },
    builtinSources: { now: () => clock.now(), random: () => 0.25, uuid: () => 'fixed-uuid' },
  });
  engine = created;
  const events: EngineEvent[] = [];
  created.onEvent((event) => events.push(event));
  const { sessionId } = value(await created.call('session:open', { options: { url, proxy: { mode: 'none' } } }));
  await expect.poll(() => events.some((e) => e.type === 'state' && e.state === 'open')).toBe(true);
  return { engine: created, sessionId, events };
}

function repeatEvents(events: EngineEvent[]): EngineEventOf<'repeat'>[] {
  return events.filter((e): e is EngineEventOf<'repeat'> => e.type === 'repeat');
}

function incomingTexts(events: EngineEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'frames' ? e.frames.filter((f) => f.dir === 'in' && f.opcode === 'text').map((f) => f.preview) : []));
}

describe('session:send with repeat, through the engine', () => {
  it('sends 100 messages with {{$counter}}: they arrive in order, each body distinct', async () => {
    echo = await startEchoServer();
    const clock = new ManualClock();
    const { engine: e, sessionId, events } = await openEngine(echo.url, clock);
    const started = value(await e.call('session:send', { sessionId, kind: 'text', data: 'msg {{$counter}} r{{$randomInt}}', builtins: true, repeat: { count: 100, intervalMs: 10, until: 'count' } }));
    expect(started.seq).toBe(1);
    expect(started.repeatId).toEqual(expect.any(String));
    for (let i = 0; i < 100 && !repeatEvents(events).some((r) => r.status === 'done'); i++) {
      clock.advance(10);
      await nextTurn();
    }
    await expect.poll(() => incomingTexts(events).length).toBe(100);
    const texts = incomingTexts(events);
    expect(texts).toEqual(Array.from({ length: 100 }, (_, i) => `msg ${i + 1} r250`));
    expect(new Set(texts).size).toBe(100);
    const final = repeatEvents(events).at(-1);
    expect(final).toMatchObject({ sessionId, repeatId: started.repeatId, status: 'done', sent: 100, count: 100 });
    // A second Stop finds nothing running.
    expect(value(await e.call('session:send-stop', { sessionId })).stopped).toBe(false);
  });

  it('until stopped: session:send-stop ends it, and a second repeat is refused while one runs', async () => {
    echo = await startEchoServer();
    const clock = new ManualClock();
    const { engine: e, sessionId, events } = await openEngine(echo.url, clock);
    value(await e.call('session:send', { sessionId, kind: 'text', data: 'tick', repeat: { intervalMs: 100, until: 'stopped' } }));
    const second = await e.call('session:send', { sessionId, kind: 'text', data: 'tock', repeat: { intervalMs: 100, until: 'stopped' } });
    expect(second).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'repeat' } });
    clock.advance(100);
    clock.advance(100);
    expect(value(await e.call('session:send-stop', { sessionId })).stopped).toBe(true);
    clock.advance(1000);
    expect(repeatEvents(events).at(-1)).toMatchObject({ status: 'stopped', sent: 3, count: null });
    await expect.poll(() => incomingTexts(events).length).toBe(3);
  });

  it('ends the repeat when the session closes mid-repeat', async () => {
    echo = await startEchoServer();
    const clock = new ManualClock();
    const { engine: e, sessionId, events } = await openEngine(echo.url, clock);
    value(await e.call('session:send', { sessionId, kind: 'text', data: 'x', repeat: { count: 50, intervalMs: 100, until: 'count' } }));
    clock.advance(100);
    value(await e.call('session:close', { sessionId }));
    await expect.poll(() => repeatEvents(events).at(-1)?.status).toBe('ended');
    expect(repeatEvents(events).at(-1)).toMatchObject({ sent: 2, reason: 'the connection is closing' });
  });

  it('an unknown built-in is refused before anything is sent; a single send renders the built-ins', async () => {
    echo = await startEchoServer();
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { engine: e, sessionId, events } = await openEngine(echo.url, clock);
    const refused = await e.call('session:send', { sessionId, kind: 'text', data: 'a {{$nope}}', builtins: true, repeat: { count: 3, intervalMs: 0, until: 'count' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'data' } });
    expect(refused.ok ? '' : refused.error.message).toContain('unknown built-in {{$nope}} at character 3');
    expect(value(await e.call('session:send', { sessionId, kind: 'text', data: '{{$timestamp}} {{$uuid}} {{$counter}}', builtins: true })).seq).toBe(1);
    // Without builtins the text goes as it is.
    value(await e.call('session:send', { sessionId, kind: 'text', data: '{{$nope}}' }));
    await expect.poll(() => incomingTexts(events)).toEqual(['1767225600 fixed-uuid 1', '{{$nope}}']);
    expect(repeatEvents(events)).toEqual([]);
  });

  it('waits while the server does not read (queue at the mark) and resumes when it reads again', async () => {
    let serverSocket: net.Socket | undefined;
    raw = await startRawServer(({ socket, key }) => {
      serverSocket = socket;
      socket.pause();
      socket.write(switchingProtocols(key));
    });
    const clock = new ManualClock();
    const { engine: e, sessionId, events } = await openEngine(raw.url, clock);
    const chunk = Buffer.alloc(1024 * 1024, 7).toString('base64');
    value(await e.call('session:send', { sessionId, kind: 'binary', data: chunk, repeat: { count: 40, intervalMs: 0, until: 'count' } }));
    for (let i = 0; i < 60 && repeatEvents(events).at(-1)?.status !== 'waiting'; i++) {
      clock.advance(0);
      await nextTurn();
    }
    const waiting = repeatEvents(events).at(-1);
    expect(waiting?.status).toBe('waiting');
    expect(waiting?.sent).toBeLessThan(40);
    // Never refused: no error event, and the queue passed the mark by at most one message.
    expect(events.some((ev) => ev.type === 'error')).toBe(false);
    const stats = value(await e.call('session:stats', { sessionId }));
    expect(stats.queued?.bytes ?? 0).toBeGreaterThanOrEqual(SEND_HIGH_WATER_MARK);
    expect(stats.queued?.bytes ?? 0).toBeLessThan(SEND_HIGH_WATER_MARK + 2 * 1024 * 1024);

    serverSocket?.resume();
    for (let i = 0; i < 2000 && repeatEvents(events).at(-1)?.status !== 'done'; i++) {
      clock.advance(0);
      await nextTurn();
    }
    expect(repeatEvents(events).at(-1)).toMatchObject({ status: 'done', sent: 40 });
    expect(repeatEvents(events).some((r) => r.status === 'running' && r.sent > (waiting?.sent ?? 0))).toBe(true);
  });
});
