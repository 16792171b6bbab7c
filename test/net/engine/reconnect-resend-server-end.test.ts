/**
 * Through the real Engine on 127.0.0.1, a reconnecting GraphQL connection (graphql-transport-ws)
 * whose server completes one of two subscriptions and then drops the connection:
 * - attempt 2 sends connection_init and, after connection_ack, only the subscription the server
 *   did not complete (what the server ended is not sent again);
 * - session:list carries the last `resent` report (a reloaded page says it again);
 * - the user's Now during the wait: the attempt record (the log's separator, session:list) says
 *   the next attempt started at once, not "in 24.7 s".
 * The wait is on a ManualClock that the test never moves: only Now ends it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { describeAttempt } from '../../../src-main/shared/attempts';
import type { EngineEvent } from '../../../src-main/shared/events';
import { ManualClock } from '../../support/manual-clock';
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

const INIT = '{"type":"connection_init","payload":{"token":"t0k"}}';
const sub = (id: string, name: string): string => `{"id":"${id}","type":"subscribe","payload":{"query":"subscription ${name} { tick }"}}`;

/** A graphql-transport-ws server: acks connection_init; on connection 1, completes subscription 1 at once and drops the connection on the message "drop". */
async function startServer(): Promise<RecordingServer> {
  server = await startRecordingServer({
    path: '/graphql',
    subprotocol: 'graphql-transport-ws',
    onMessage: (n, ws, text) => {
      if (text.includes('"connection_init"')) ws.send('{"type":"connection_ack"}');
      if (n === 1 && text.includes('"id":"1","type":"subscribe"')) {
        ws.send('{"id":"1","type":"next","payload":{"data":{"tick":1}}}');
        ws.send('{"id":"1","type":"complete"}');
      }
      if (n === 1 && text === 'drop') ws.terminate();
    },
  });
  return server;
}

function until(events: EngineEvent[], test: (event: EngineEvent) => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let tries = 0;
    const look = (): void => {
      if (events.some(test)) resolve();
      else if (++tries > 5000) reject(new Error('the event never came'));
      else setTimeout(look, 1);
    };
    look();
  });
}

describe('reconnect: what the server ended, the list, Now', () => {
  it('sends again only the subscription the server did not complete; session:list has the report; Now is what the separator says', async () => {
    const srv = await startServer();
    const clock = new ManualClock();
    engine = new Engine({ host: 'cli', version: 't', env: {}, batch: { intervalMs: 1 }, clock });
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    const { sessionId } = valueOf(
      await engine.call('session:open', {
        options: { url: srv.url, subprotocols: ['graphql-transport-ws'], proxy: { mode: 'none' }, reconnect: { resend: 'subscriptions', initialDelayMs: 24_000, maxDelayMs: 60_000 } },
      }),
    );
    await until(events, (e) => e.type === 'state' && e.state === 'open');
    for (const message of [INIT, sub('1', 'A'), sub('2', 'B')]) valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: message }));
    // The server's complete of #1 is in the log before the drop.
    await until(events, (e) => e.type === 'frames' && e.frames.some((f) => f.dir === 'in' && f.preview.includes('"complete"')));
    valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: 'drop' }));

    await until(events, (e) => e.type === 'attempt');
    const planned = events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []))[0];
    expect(describeAttempt(planned!)).toMatch(/· reconnect 1 in \d+\.\d s$/);
    clock.advance(1234);
    valueOf(await engine.call('session:reconnect-now', { sessionId }));

    // Now: the record is sent again, saying the next attempt started at once, before attempt-started.
    const records = events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []));
    expect(records).toHaveLength(2);
    expect(records[1]?.next?.cutShortAt).toBe(clock.now());
    expect(describeAttempt(records[1]!)).toMatch(/· reconnect 1 at once \(Now, 1\.2 s into the \d+\.\d s wait\)$/);
    const order = events.flatMap((e) => (e.type === 'attempt' || e.type === 'attempt-started' ? [e.type] : []));
    expect(order).toEqual(['attempt', 'attempt', 'attempt-started']);

    await srv.read(2, 2);
    expect(srv.connections[1]).toEqual([INIT, sub('2', 'B')]);
    await until(events, (e) => e.type === 'resent' && e.waiting === undefined);
    const last = events.flatMap((e) => (e.type === 'resent' ? [e] : [])).at(-1);
    expect(last?.sent.map((s) => s.label)).toEqual(['GraphQL connection_init', 'GraphQL subscribe #2 (B)']);

    // session:list: the report (as a reloaded page needs it) and the record as Now left it.
    const info = valueOf(await engine.call('session:list', {})).find((s) => s.sessionId === sessionId);
    expect(info?.resent).toEqual({ attempt: 2, sent: last?.sent, notSent: [] });
    expect(info?.attempts?.[0]?.next?.cutShortAt).toBe(records[1]?.next?.cutShortAt);
    expect(JSON.stringify(info)).not.toContain('t0k');
  });
});
