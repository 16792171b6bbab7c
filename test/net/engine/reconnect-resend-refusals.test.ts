/**
 * Through the real Engine on 127.0.0.1, a reconnecting STOMP connection whose server answers with
 * ERROR and closes (as a STOMP server does after an ERROR, here with 1011 so the policy retries):
 * - a SUBSCRIBE the server refused is not sent again: attempt 2 sends the CONNECT and the other
 *   SUBSCRIBE, gets no ERROR and stays open (no loop of reconnect, resend, ERROR), and the notice
 *   says in words what was not sent again and why;
 * - the CONNECT sent again refused with an ERROR another attempt may pass ('server busy'; one
 *   refusing the credentials stops instead, reconnect-stomp-connect-refusal.test.ts): attempt 3 does
 *   not send that CONNECT a third time (the loop ends there); its notice says why; and the quick
 *   ERROR-and-close attempts count on (reconnect 2, not 1 again), so the waits grow.
 * The reconnect waits are on a ManualClock moved by the test at each `attempt` event; every wait
 * ends on a frame or an event, never on time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/core/engine';
import type { EngineEvent } from '../../../src-main/shared/events';
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

const frame = (command: string, headers: Record<string, string> = {}, body = ''): string => `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n${body}\0`;
const CONNECT = frame('CONNECT', { 'accept-version': '1.2', host: '/', login: 'u', passcode: 'pw-in-memory' });
const GOOD = frame('SUBSCRIBE', { id: 'sub-0', destination: '/topic/good' });
const BAD = frame('SUBSCRIBE', { id: 'sub-1', destination: '/nowhere/bad' });
const firstLine = (text: string): string => text.split('\n')[0] ?? '';

/** A STOMP server: CONNECT gets CONNECTED (or, per `refuseConnect(n)`, ERROR and a close); a SUBSCRIBE to /nowhere gets ERROR and a close; "SEND drop" cuts the connection. */
async function startStomp(refuseConnect: (connection: number) => boolean): Promise<RecordingServer> {
  const destinationOf = (text: string): string | undefined => /\ndestination:([^\n]*)/.exec(text)?.[1];
  server = await startRecordingServer({
    path: '/ws',
    subprotocol: 'v12.stomp',
    // Each frame's command line and destination.
    record: (text) => `${firstLine(text)}${destinationOf(text) !== undefined ? ` ${destinationOf(text)}` : ''}`,
    onMessage: (n, ws, text) => {
      const destination = destinationOf(text);
      const command = firstLine(text);
      if (command === 'CONNECT' && refuseConnect(n)) {
        ws.send(frame('ERROR', { message: 'server busy' }));
        ws.close(1011, 'refused');
      } else if (command === 'CONNECT') ws.send(frame('CONNECTED', { version: '1.2' }));
      else if (command === 'SUBSCRIBE' && destination?.startsWith('/nowhere')) {
        ws.send(frame('ERROR', { message: 'no such destination', 'content-type': 'text/plain' }, `${destination} does not exist`));
        ws.close(1011, 'after ERROR');
      } else if (command === 'SEND' && destination === 'drop') ws.terminate();
    },
  });
  return server;
}

/** The engine with its reconnect waits on a ManualClock, moved at once at each attempt event. */
function engineAndEvents(): { events: EngineEvent[]; until: (test: (event: EngineEvent) => boolean) => Promise<void> } {
  const reconnecting = reconnectingEngine();
  engine = reconnecting.engine;
  const { events } = reconnecting;
  return { events, until: (test) => reconnecting.until(() => events.some(test)) };
}

async function openStomp(url: string): Promise<string> {
  if (!engine) throw new Error('no engine');
  const { sessionId } = valueOf(await engine.call('session:open', { options: { url, subprotocols: ['v12.stomp'], proxy: { mode: 'none' }, reconnect: { resend: 'subscriptions', maxAttempts: 0 } } }));
  return sessionId;
}

const send = async (sessionId: string, data: string): Promise<void> => {
  valueOf(await engine!.call('session:send', { sessionId, kind: 'text', data }));
};

describe('reconnect resend: what the server answered with ERROR', () => {
  it('a SUBSCRIBE refused with ERROR is not sent again: attempt 2 stays open, and the notice says why', async () => {
    const srv = await startStomp(() => false);
    const { events, until } = engineAndEvents();
    const sessionId = await openStomp(srv.url);
    await until((e) => e.type === 'state' && e.state === 'open');
    await send(sessionId, CONNECT);
    await send(sessionId, GOOD);
    await send(sessionId, BAD);

    await until((e) => e.type === 'resent' && e.attempt === 2 && e.waiting === undefined);
    const report = events.flatMap((e) => (e.type === 'resent' ? [e] : [])).at(-1);
    expect(report?.sent.map((s) => s.label)).toEqual(['STOMP CONNECT', 'STOMP SUBSCRIBE /topic/good']);
    expect(report?.notSent).toEqual(["STOMP SUBSCRIBE /nowhere/bad: the server answered it with ERROR 'no such destination'"]);
    // Attempt 2 is still open: a frame sent now reaches the server on connection 2, after the two sent again.
    await send(sessionId, frame('SEND', { destination: '/topic/good' }, 'still here'));
    await srv.read(2, 3);
    expect(srv.connections).toEqual([
      ['CONNECT', 'SUBSCRIBE /topic/good', 'SUBSCRIBE /nowhere/bad'],
      ['CONNECT', 'SUBSCRIBE /topic/good', 'SEND /topic/good'],
    ]);
    expect(events.filter((e) => e.type === 'attempt')).toHaveLength(1);
    expect(JSON.stringify(events.filter((e) => e.type === 'resent'))).not.toContain('pw-in-memory');
  });

  it('the CONNECT sent again refused with ERROR: attempt 3 does not send it again (no loop); the attempts count on', async () => {
    // Connection 1 takes the CONNECT; from connection 2 on the server refuses it (busy).
    const srv = await startStomp((n) => n >= 2);
    const { events, until } = engineAndEvents();
    const sessionId = await openStomp(srv.url);
    await until((e) => e.type === 'state' && e.state === 'open');
    await send(sessionId, CONNECT);
    await send(sessionId, GOOD);
    await srv.read(1, 2);
    await send(sessionId, frame('SEND', { destination: 'drop' }));

    await until((e) => e.type === 'resent' && e.attempt === 3);
    const reports = events.flatMap((e) => (e.type === 'resent' ? [e] : []));
    // Attempt 2: the CONNECT went again and was refused; the SUBSCRIBE waited and did not go.
    expect(reports.filter((r) => r.attempt === 2).at(-1)).toMatchObject({ sent: [{ label: 'STOMP CONNECT' }], notSent: ['1 subscription: the broker answered ERROR'] });
    // Attempt 3: nothing sent again, and why.
    expect(reports.filter((r) => r.attempt === 3).at(-1)).toMatchObject({ attempt: 3, sent: [], notSent: ["STOMP CONNECT: the server answered it with ERROR 'server busy'"] });
    await send(sessionId, frame('SEND', { destination: '/x' }, 'typed by the user'));
    await srv.read(3, 1);
    expect(srv.connections[2]).toEqual(['SEND /x']);
    expect(srv.connections).toHaveLength(3);
    // The attempt that opened and was closed at once counts on: reconnect 2, not 1 again (so the waits grow, and a limit applies).
    const records = events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []));
    expect(records.map((r) => r.next?.retry)).toEqual([1, 2]);
  });
});
