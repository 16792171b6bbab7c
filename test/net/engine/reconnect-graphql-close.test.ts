/**
 * Through the real Engine on 127.0.0.1, against graphql-ws's own server (useServer on a ws
 * server): a connection_init the server refuses with 4403 Forbidden (its onConnect returning
 * false) ends the reconnecting connection after attempt 1, saying what to change; a second
 * connection_init on an acknowledged socket (4429 Too many initialisation requests) is retried:
 * attempt 2 opens. Waits are on a ManualClock moved at each announced wait.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { reconnectingEngine, type ReconnectingEngine } from '../../support/reconnecting-engine';
import { valueOf } from '../../unit/profiles/profile-fixtures';

let run: ReconnectingEngine | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await run?.engine.dispose();
  run = undefined;
  for (const close of closers.splice(0)) await close();
});

/** A graphql-ws server accepting connection_init only with the payload {"token":"good"}. */
async function graphqlServer(): Promise<string> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const schema = buildSchema('type Query { hello: String }');
  const cleanup = useServer({ schema, onConnect: (ctx) => ctx.connectionParams?.['token'] === 'good' }, wss);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    await cleanup.dispose();
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function open(url: string, init: string): Promise<{ records: () => AttemptRecord[] }> {
  run = reconnectingEngine();
  const { engine, events, until } = run;
  const { sessionId } = valueOf(
    await engine.call('session:open', { options: { url, subprotocols: ['graphql-transport-ws'], proxy: { mode: 'none' }, reconnect: { resend: 'opening' } } }),
  );
  await until(() => events.some((e) => e.type === 'state' && e.state === 'open'));
  valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: init }));
  const records = (): AttemptRecord[] => events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []));
  return { records };
}

describe('graphql-transport-ws close codes', () => {
  it('4403 Forbidden in answer to connection_init: not retried, the line says to change the payload', async () => {
    const url = await graphqlServer();
    const { records } = await open(url, '{"type":"connection_init","payload":{"token":"bad"}}');
    // The first attempt's end decides (without the stop, attempt 2 would follow).
    await run!.until(() => records().length > 0);
    await run!.until(() => run!.events.some((e) => e.type === 'closed' || e.type === 'attempt-started'));
    expect(run!.events.some((e) => e.type === 'attempt-started')).toBe(false);
    expect(records()).toHaveLength(1);
    expect(records()[0]).toMatchObject({ next: null, outcome: { code: 4403, initiatedBy: 'server' } });
    expect(records()[0]?.stopReason).toBe(
      "not retried: the server closed with 4403 (Forbidden) before connection_ack, and would refuse the same connection_init again: change the credentials in connection_init's payload (a token, a password), or the upgrade's headers or cookies",
    );
  });

  it('4429 Too many initialisation requests (a second connection_init after the ack): retried', async () => {
    const url = await graphqlServer();
    const init = '{"type":"connection_init","payload":{"token":"good"}}';
    const { records } = await open(url, init);
    const { engine, events, until } = run!;
    await until(() => events.some((e) => e.type === 'frames' && e.frames.some((f) => f.dir === 'in' && f.preview.includes('connection_ack'))));
    const sessionId = events.find((e) => e.type === 'state')!.sessionId;
    valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: init }));
    await until(() => events.filter((e) => e.type === 'state' && e.state === 'open').length === 2);
    expect(records()[0]).toMatchObject({ outcome: { code: 4429 }, next: { attempt: 2 } });
    expect(records()[0]?.stopReason).toBeUndefined();
  });
});
