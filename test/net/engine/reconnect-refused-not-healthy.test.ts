/**
 * An attempt that stayed open 10 s starts the reconnect count afresh, but not one the server had
 * refused: RabbitMQ keeps a connection open after its STOMP ERROR until Web-STOMP closes it idle
 * (60 s by default), and that is no healthy open. Through the real Engine on 127.0.0.1, its clock a ManualClock: each attempt
 * sends a STOMP CONNECT (as the CLI sends its --send again); the server answers ERROR (or
 * CONNECTED), the test moves the clock 11 s while the attempt is open, then the server closes
 * with 1011. After ERROR the count goes on (reconnect 1, then 2); after CONNECTED it starts afresh
 * (reconnect 1, then 1 again). Waits end on frames and events, never on time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
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

const frame = (command: string, headers: Record<string, string> = {}): string => `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n\0`;
const CONNECT = frame('CONNECT', { 'accept-version': '1.2', host: '/', login: 'guest', passcode: 'wrong' });

/** Two attempts that each stay open 11 s (fake time) after the server's answer to their CONNECT; the reconnect number each attempt's end announced. */
async function twoLongAttempts(answer: 'ERROR' | 'CONNECTED'): Promise<number[]> {
  const sockets: WebSocket[] = [];
  server = await startRecordingServer({
    path: '/ws',
    subprotocol: 'v12.stomp',
    onMessage: (n, ws, text) => {
      sockets[n - 1] = ws;
      if (!text.startsWith('CONNECT')) return;
      ws.send(answer === 'ERROR' ? frame('ERROR', { message: 'Processing error' }) : frame('CONNECTED', { version: '1.2' }));
    },
  });
  const reconnecting = reconnectingEngine();
  engine = reconnecting.engine;
  const { clock, events, until } = reconnecting;
  const opens = (): number => events.filter((e) => e.type === 'state' && e.state === 'open').length;
  const answers = (): number => events.reduce((n, e) => n + (e.type === 'frames' ? e.frames.filter((f) => f.dir === 'in' && f.preview.startsWith(answer)).length : 0), 0);
  const attempts = (): number[] => events.flatMap((e) => (e.type === 'attempt' && e.record.next ? [e.record.next.retry] : []));

  const { sessionId } = valueOf(await engine.call('session:open', { options: { url: server.url, proxy: { mode: 'none' }, subprotocols: ['v12.stomp'], reconnect: { maxAttempts: 0 } } }));
  for (const attempt of [1, 2]) {
    await until(() => opens() === attempt);
    valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: CONNECT }));
    await until(() => answers() === attempt);
    clock.advance(11_000);
    sockets[attempt - 1]?.close(1011, 'closing after the answer');
    await until(() => attempts().length === attempt);
  }
  return attempts();
}

describe('the reconnect count after an attempt open 10 s', () => {
  it('goes on when the server refused the session with a STOMP ERROR (reconnect 1, then 2)', async () => {
    expect(await twoLongAttempts('ERROR')).toEqual([1, 2]);
  });

  it('starts afresh when the server accepted it (reconnect 1, then 1)', async () => {
    expect(await twoLongAttempts('CONNECTED')).toEqual([1, 1]);
  });
});
