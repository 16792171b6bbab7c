/**
 * Through the real Engine on 127.0.0.1: a reconnecting GraphQL connection (graphql-transport-ws)
 * whose server ends one of two subscriptions with an `error` and then drops the connection.
 * Attempt 2 sends connection_init and, after connection_ack, only the other subscription, and its
 * notice (the `resent` report) names the one not sent again and the server's error, as it names
 * the other refusals. The waits are on a ManualClock moved at each announced wait.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/core/engine';
import { reconnectingEngine } from '../../support/reconnecting-engine';
import { startRecordingServer, type RecordingServer } from '../../support/recording-ws-server';
import { valueOf } from '../../unit/profiles/profile-fixtures';

let engine: Engine | undefined;
let server: RecordingServer | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await server?.close();
  server = undefined;
});

const sub = (id: string, name: string): string => `{"id":"${id}","type":"subscribe","payload":{"query":"subscription ${name} { tick }"}}`;

describe('a GraphQL subscription the server ended with an error', () => {
  it('is not sent again, and the notice names it with the error', async () => {
    server = await startRecordingServer({
      path: '/graphql',
      subprotocol: 'graphql-transport-ws',
      record: (text) => /"type":"(\w+)"/.exec(text)?.[1] ?? text,
      onMessage: (n, ws, text) => {
        if (text.includes('"connection_init"')) ws.send('{"type":"connection_ack"}');
        if (n === 1 && text.includes('"id":"2","type":"subscribe"')) ws.send('{"id":"2","type":"error","payload":[{"message":"Not allowed to watch Secrets"}]}');
        if (n === 1 && text === 'drop') ws.terminate();
      },
    });
    const run = reconnectingEngine();
    engine = run.engine;
    const { events, until } = run;
    const { sessionId } = valueOf(
      await engine.call('session:open', { options: { url: server.url, subprotocols: ['graphql-transport-ws'], proxy: { mode: 'none' }, reconnect: { resend: 'subscriptions' } } }),
    );
    await until(() => events.some((e) => e.type === 'state' && e.state === 'open'));
    for (const message of ['{"type":"connection_init"}', sub('1', 'Ticks'), sub('2', 'Secrets')]) valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: message }));
    await until(() => events.some((e) => e.type === 'frames' && e.frames.some((f) => f.dir === 'in' && f.preview.includes('error'))));
    valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: 'drop' }));
    await server.read(2, 2);
    const resent = (): Extract<(typeof events)[number], { type: 'resent' }> | undefined => events.findLast((e): e is Extract<(typeof events)[number], { type: 'resent' }> => e.type === 'resent');
    await until(() => resent()?.waiting === undefined && (resent()?.sent.length ?? 0) === 2);
    expect(server.connections[1]).toEqual(['connection_init', 'subscribe']);
    expect(resent()?.sent.map((s) => s.label)).toEqual(['GraphQL connection_init', 'GraphQL subscribe #1 (Ticks)']);
    expect(resent()?.notSent).toEqual(["GraphQL subscribe #2 (Secrets): the server ended it with error 'Not allowed to watch Secrets'"]);
  });
});
