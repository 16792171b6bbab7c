/**
 * Through the real Engine on 127.0.0.1, its reconnect waits on a ManualClock (moved by the wait
 * each attempt announces, never waited for): a server that answers the upgrade with 503 and
 * Retry-After: 120, and a proxy that answers CONNECT with 503 and a Retry-After date, make the
 * next wait the one they asked for (not the 1 s backoff), and the attempt's line says so; a 503
 * without Retry-After keeps the backoff.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { describeAttempt, type AttemptRecord } from '../../../src-main/shared/attempts';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { startFakeProxy } from '../../support/fake-proxy';
import { reconnectingEngine, type ReconnectingEngine } from '../../support/reconnecting-engine';

const closers: (() => Promise<void>)[] = [];
let run: ReconnectingEngine | undefined;

afterEach(async () => {
  await run?.engine.dispose();
  run = undefined;
  for (const close of closers.splice(0)) await close();
});

/** A ws server refusing every upgrade with 503 and these headers. */
async function busyServer(headers: Record<string, string>): Promise<string> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, verifyClient: (_info, done) => done(false, 503, 'Service Unavailable', headers) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
}

/** The first attempt's record, once attempt 2 has started after its wait. */
async function firstRecord(options: ConnectionOptionsInput): Promise<AttemptRecord> {
  run = reconnectingEngine();
  const { engine, events, until } = run;
  const opened = await engine.call('session:open', { options: { proxy: { mode: 'none' }, ...options, reconnect: { maxAttempts: 3, initialDelayMs: 1000 } } });
  if (!opened.ok) throw new Error(`session:open refused: ${JSON.stringify(opened.error)}`);
  await until(() => events.some((e) => e.type === 'attempt-started' || e.type === 'closed'));
  const record = events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []))[0];
  if (!record) throw new Error('no attempt record');
  return record;
}

describe('Retry-After', () => {
  it("the server's 503 with Retry-After: 120: the next wait is 120 s, and the line says the server asked", async () => {
    const record = await firstRecord({ url: await busyServer({ 'Retry-After': '120' }) });
    expect(record.next).toMatchObject({ attempt: 2, waitMs: 120_000, asked: { by: 'server', seconds: 120 } });
    expect(describeAttempt(record)).toBe('attempt 1 failed: UPGRADE_REJECTED · reconnect 1 of 3 in 120.0 s (the server asked to wait 120 s)');
  });

  it("the proxy's 503 to CONNECT with a Retry-After date (from its Date header): that wait, said as the proxy's", async () => {
    const proxy = await startFakeProxy(({ socket }) =>
      socket.end('HTTP/1.1 503 Service Unavailable\r\nDate: Mon, 07 Dec 2026 08:00:00 GMT\r\nRetry-After: Mon, 07 Dec 2026 08:00:40 GMT\r\nContent-Length: 0\r\n\r\n'),
    );
    closers.push(() => proxy.close());
    const record = await firstRecord({ url: 'ws://echo.test/feed', proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` } });
    // A proxy's 503 reads as "could not reach the server"; its Retry-After still counts.
    expect(record.outcome.error?.code).toBe('PROXY_UPSTREAM_UNREACHABLE');
    expect(record.next).toMatchObject({ waitMs: 40_000, asked: { by: 'proxy', seconds: 40 } });
  });

  it('a 503 without Retry-After: the backoff (about 1 s), nothing asked', async () => {
    const record = await firstRecord({ url: await busyServer({}) });
    expect(record.next?.asked).toBeUndefined();
    expect(record.next?.waitMs).toBeLessThan(2_000);
  });
});
