/**
 * The app's reconnect sends the protocol's opening again, through the real Engine on 127.0.0.1:
 * a small STOMP-speaking `ws` server answers CONNECT with CONNECTED and, on the first connection,
 * drops the TCP connection once it has the SUBSCRIBE (and a SEND). The wait before attempt 2 is
 * on a ManualClock, moved on as it is announced. Attempt 2 must bring CONNECT (with its passcode,
 * from memory), then only after CONNECTED the SUBSCRIBE, never the SEND; the `resent` event
 * says so. With resend 'none' (the engine's default) the server gets nothing on attempt 2.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Engine } from '../../../src-main/core/engine';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { ResendChoice } from '../../../src-main/shared/model';
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

const frame = (command: string, headers: Record<string, string> = {}, body = ''): string => `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n${body}\0`;
const commandOf = (message: string): string => message.split('\n')[0] ?? '';

/** What connection `n` does with a message: by default CONNECTED for a CONNECT, and the first connection drops after a SEND. */
type Behaviour = (n: number, ws: WebSocket, command: string) => void;
const usual: Behaviour = (n, ws, command) => {
  if (command === 'CONNECT') ws.send(frame('CONNECTED', { version: '1.2' }));
  if (n === 1 && command === 'SEND') ws.terminate();
};

async function startServer(behaviour: Behaviour = usual): Promise<RecordingServer> {
  server = await startRecordingServer({ path: '/stomp', onMessage: (n, ws, text) => behaviour(n, ws, commandOf(text)) });
  return server;
}

async function scenario(resend: ResendChoice | undefined, behaviour?: Behaviour, opensWanted = 2) {
  const srv = await startServer(behaviour);
  const clock = new ManualClock();
  engine = new Engine({ host: 'cli', version: 't', env: {}, batch: { intervalMs: 1 }, clock });
  const events: EngineEvent[] = [];
  let opens = 0;
  let secondOpen!: () => void;
  const reopened = new Promise<void>((resolve) => (secondOpen = resolve));
  engine.onEvent((event) => {
    events.push(event);
    if (event.type === 'attempt' && event.record.next) {
      const wait = event.record.next.waitMs;
      setImmediate(() => clock.advance(wait));
    }
    if (event.type === 'state' && event.state === 'open' && ++opens === opensWanted) secondOpen();
  });
  const reconnect = resend === undefined ? {} : { resend };
  const { sessionId } = valueOf(await engine.call('session:open', { options: { url: srv.url, proxy: { mode: 'none' }, reconnect } }));
  const e = engine;
  await new Promise<void>((resolve) => {
    const off = e.onEvent((event) => {
      if (event.type === 'state' && event.state === 'open') {
        off();
        resolve();
      }
    });
  });
  for (const message of [frame('CONNECT', { 'accept-version': '1.2', login: 'u', passcode: 'pa55' }), frame('SUBSCRIBE', { id: '0', destination: '/topic/a' }), frame('SEND', { destination: '/q' }, 'once')]) {
    valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: message }));
  }
  await reopened;
  return { srv, events, sessionId };
}

/** Waits until a frames event after the second open holds an incoming frame whose preview starts with `command`. */
async function incomingAfterSecondOpen(events: EngineEvent[], command: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const opens = events.flatMap((event, index) => (event.type === 'state' && event.state === 'open' ? [index] : []));
    const from = opens[1] ?? Infinity;
    if (events.some((event, index) => index > from && event.type === 'frames' && event.frames.some((f) => f.dir === 'in' && f.preview.startsWith(command)))) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`no incoming ${command} after the second open`);
}

describe('reconnect: the opening is sent again', () => {
  it("attempt 2 gets CONNECT (its passcode from memory), then after CONNECTED the SUBSCRIBE, never the SEND; 'resent' says so", async () => {
    const { srv, events, sessionId } = await scenario('subscriptions');
    await srv.read(2, 2);
    expect(srv.connections[0]?.map(commandOf)).toEqual(['CONNECT', 'SUBSCRIBE', 'SEND']);
    expect(srv.connections[1]).toEqual([frame('CONNECT', { 'accept-version': '1.2', login: 'u', passcode: 'pa55' }), frame('SUBSCRIBE', { id: '0', destination: '/topic/a' })]);
    const resent = events.flatMap((event) => (event.type === 'resent' ? [event] : []));
    expect(resent.map((r) => r.waiting ?? null)).toEqual(['1 subscription waits for CONNECTED', null]);
    const last = resent.at(-1);
    expect(last?.attempt).toBe(2);
    expect(last?.sent.map((s) => s.label)).toEqual(['STOMP CONNECT', 'STOMP SUBSCRIBE /topic/a']);
    expect(last?.notSent).toEqual([]);
    expect(JSON.stringify(resent)).not.toContain('pa55');
    // The resent frames are in the log as sent, after attempt 1's separator.
    const separator = events.flatMap((event) => (event.type === 'attempt' ? [event.record.afterSeq] : []))[0] ?? 0;
    for (const { seq } of last?.sent ?? []) {
      expect(seq).toBeGreaterThan(separator);
      const body = valueOf(await engine!.call('frames:get', { sessionId, seq }));
      expect(body.frame.dir).toBe('out');
      // Marked in the log as the reconnect's, as the intercept marks its frames.
      expect(body.frame.intercept).toEqual({ action: 'resent' });
    }
    // The user's own CONNECT of attempt 1 carries no mark.
    const first = valueOf(await engine!.call('frames:get', { sessionId, seq: 1 }));
    expect(first.frame.intercept).toBeUndefined();
  });

  it('resend "opening": only the CONNECT goes again (a message sent after its CONNECTED arrived comes next)', async () => {
    const { srv, events, sessionId } = await scenario('opening');
    await srv.read(2, 1);
    await incomingAfterSecondOpen(events, 'CONNECTED');
    valueOf(await engine!.call('session:send', { sessionId, kind: 'text', data: frame('SEND', { destination: '/q' }, 'marker') }));
    await srv.read(2, 2);
    expect(srv.connections[1]?.map(commandOf)).toEqual(['CONNECT', 'SEND']);
    expect(events.flatMap((event) => (event.type === 'resent' ? event.sent.map((s) => s.label) : []))).toEqual(['STOMP CONNECT']);
  });

  it("the engine's default (no resend): attempt 2 opens and nothing is sent, nothing is said", async () => {
    const { srv, events, sessionId } = await scenario(undefined);
    valueOf(await engine!.call('session:send', { sessionId, kind: 'text', data: frame('SEND', { destination: '/q' }, 'marker') }));
    await srv.read(2, 1);
    expect(srv.connections[1]?.map(commandOf)).toEqual(['SEND']);
    expect(events.some((event) => event.type === 'resent')).toBe(false);
  });

  it('attempt 2 drops before CONNECTED (its SUBSCRIBE never went): attempt 3 still sends CONNECT and SUBSCRIBE', async () => {
    const { srv, events } = await scenario(
      'subscriptions',
      (n, ws, command) => {
        if (n === 2) ws.terminate();
        else usual(n, ws, command);
      },
      3,
    );
    await srv.read(3, 2);
    expect(srv.connections.map((messages) => messages.map(commandOf))).toEqual([['CONNECT', 'SUBSCRIBE', 'SEND'], ['CONNECT'], ['CONNECT', 'SUBSCRIBE']]);
    const reports = events.flatMap((event) => (event.type === 'resent' ? [event] : []));
    expect(reports.filter((r) => r.attempt === 2).at(-1)?.notSent).toEqual(["1 subscription: the connection ended before the server's answer"]);
    expect(reports.at(-1)).toMatchObject({ attempt: 3, sent: [{ label: 'STOMP CONNECT' }, { label: 'STOMP SUBSCRIBE /topic/a' }], notSent: [] });
  });

  it('the user closes while the SUBSCRIBE waits for CONNECTED: it never goes, and the report says so', async () => {
    const { srv, events, sessionId } = await scenario('subscriptions', (n, ws, command) => {
      if (n === 1) usual(n, ws, command);
    });
    await srv.read(2, 1);
    valueOf(await engine!.call('session:close', { sessionId }));
    await new Promise<void>((resolve) => {
      const check = (): void => (events.some((event) => event.type === 'closed') ? resolve() : void setTimeout(check, 1));
      check();
    });
    expect(srv.connections[1]?.map(commandOf)).toEqual(['CONNECT']);
    expect(events.flatMap((event) => (event.type === 'resent' ? [event] : [])).at(-1)?.notSent).toEqual(['1 subscription: the connection was closed first']);
  });
});
