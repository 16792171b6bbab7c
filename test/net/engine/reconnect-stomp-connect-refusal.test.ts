/**
 * Through the real Engine on 127.0.0.1, a small STOMP server that answers the CONNECT with ERROR
 * and closes with 1011 (which the policy retries): when the ERROR refuses the sign-in
 * (RabbitMQ's words: 'Bad CONNECT', "Access refused for user 'guest'"), here in two WebSocket
 * messages, the connection ends after attempt 1, saying what to change; when it says something
 * time can change ('Processing error'), attempt 2 follows. Waits are on a ManualClock moved at
 * each announced wait.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { reconnectingEngine, type ReconnectingEngine } from '../../support/reconnecting-engine';
import { startRecordingServer, type RecordingServer } from '../../support/recording-ws-server';
import { valueOf } from '../../unit/profiles/profile-fixtures';

let run: ReconnectingEngine | undefined;
let server: RecordingServer | undefined;

afterEach(async () => {
  await run?.engine.dispose();
  run = undefined;
  await server?.close();
  server = undefined;
});

/** Each connection's CONNECT gets these messages, then a close with 1011. */
async function refusingBroker(answer: string[]): Promise<string> {
  server = await startRecordingServer({
    path: '/ws',
    subprotocol: 'v12.stomp',
    record: (text) => text.split('\n')[0] ?? text,
    onMessage: (_n, ws, text) => {
      if (!text.startsWith('CONNECT')) return;
      for (const message of answer) ws.send(message);
      ws.close(1011, 'after ERROR');
    },
  });
  return server.url;
}

async function firstEnd(url: string): Promise<{ record: AttemptRecord; secondStarted: () => boolean }> {
  run = reconnectingEngine();
  const { engine, events, until } = run;
  const { sessionId } = valueOf(await engine.call('session:open', { options: { url, subprotocols: ['v12.stomp'], proxy: { mode: 'none' }, reconnect: { resend: 'opening' } } }));
  await until(() => events.some((e) => e.type === 'state' && e.state === 'open'));
  valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: 'CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:wrong\n\n\0' }));
  await until(() => events.some((e) => e.type === 'attempt'));
  // Attempt 2 starts, or the connection closes: whichever the first end decided.
  await until(() => events.some((e) => e.type === 'closed' || e.type === 'attempt-started'));
  const record = events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []))[0]!;
  return { record, secondStarted: () => events.some((e) => e.type === 'attempt-started') };
}

describe('a STOMP ERROR answering the CONNECT', () => {
  it("refusing the sign-in (split over two messages): not retried, the line names the ERROR and what to change", async () => {
    const url = await refusingBroker(['ERROR\nmessage:Bad CONNECT\ncontent-type:text/plain\n', "\nAccess refused for user 'guest'\n\0"]);
    const { record, secondStarted } = await firstEnd(url);
    expect(secondStarted()).toBe(false);
    expect(record.next).toBeNull();
    expect(record.stopReason).toBe(
      "not retried: the server answered the CONNECT with ERROR 'Bad CONNECT' (Access refused for user 'guest'), and would refuse the same CONNECT again: change the CONNECT's login and passcode, or its host header (the virtual host)",
    );
  });

  it("saying something time can change ('Processing error'): retried", async () => {
    const url = await refusingBroker(['ERROR\nmessage:Processing error\n\n\0']);
    const { record, secondStarted } = await firstEnd(url);
    expect(secondStarted()).toBe(true);
    expect(record.next).toMatchObject({ attempt: 2 });
  });
});
