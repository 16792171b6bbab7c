/**
 * The reconnect's resend against a real RabbitMQ Web-STOMP (test/support/rabbitmq.ts, 127.0.0.1),
 * through the Engine: the user sends CONNECT, a SUBSCRIBE to /topic/resend-good and one to
 * /nowhere/x, which RabbitMQ refuses with ERROR ('Unknown destination'). RabbitMQ 3.10 keeps the
 * connection open after that ERROR (its STOMP processor goes on); with heart-beat 0,0 the client
 * sends nothing more, so Web-STOMP's Cowboy closes it with 1000 at its idle_timeout, 60 s by
 * default; this broker sets it to 10 s (web_stomp.ws_opts.idle_timeout, IDLE_TIMEOUT_MS below), the
 * same close sooner: the wait was most of this test's time. The policy retries that close only
 * with retryNormalClose (set here); in the field, open that long, the attempt also restarts the
 * count of reconnects, so the waits never grew: resending the refused frame looped at the first
 * wait for good (here the engine's clock is a ManualClock, so the real idle time changes nothing
 * the engine sees). Attempt 2 sends the CONNECT and the good SUBSCRIBE again, not the
 * refused one, so no ERROR comes and the attempt stays open (before, it looped: reconnect,
 * resend, ERROR, close…): a SEND to the good topic comes back as a MESSAGE on attempt 2. The
 * notice says what was not sent again and why. The reconnect wait is on a ManualClock; waits end
 * on events, never on time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/core/engine';
import { reconnectingEngine } from '../../support/reconnecting-engine';
import { rabbitmqMissing, startRabbitMq, type RunningRabbitMq } from '../../support/rabbitmq';
import { valueOf } from '../../unit/profiles/profile-fixtures';

const frame = (command: string, headers: Record<string, string> = {}, body = ''): string => `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n${body}\0`;

/**
 * Web-STOMP's WebSocket idle timeout for this broker: long enough that attempt 2 (resend, SEND,
 * MESSAGE, each resetting it) never goes idle on a starved machine, short enough not to wait 60 s.
 */
const IDLE_TIMEOUT_MS = 10_000;

const title = `reconnect resend against RabbitMQ Web-STOMP${rabbitmqMissing ? ` (skipped: ${rabbitmqMissing})` : ''}`;

describe.skipIf(rabbitmqMissing !== undefined)(title, () => {
  let broker: RunningRabbitMq | undefined;
  let engine: Engine | undefined;

  beforeAll(async () => {
    broker = await startRabbitMq([`web_stomp.ws_opts.idle_timeout = ${IDLE_TIMEOUT_MS}`]);
  }, 300_000);
  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
  });
  afterAll(async () => {
    await broker?.stop();
  }, 300_000);

  it('a SUBSCRIBE refused with ERROR is not sent again: attempt 2 gets no ERROR, stays open, and the notice says why', async () => {
    if (!broker) throw new Error('the broker did not start');
    const reconnecting = reconnectingEngine();
    engine = reconnecting.engine;
    const { events, until } = reconnecting;
    const incoming = (start: string): number => events.reduce((n, e) => n + (e.type === 'frames' ? e.frames.filter((f) => f.dir === 'in' && f.preview.startsWith(start)).length : 0), 0);
    const opens = (): number => events.filter((e) => e.type === 'state' && e.state === 'open').length;

    // retryNormalClose: whatever code RabbitMQ closes with after its ERROR, the connection reconnects.
    const { sessionId } = valueOf(
      await engine.call('session:open', { options: { url: broker.webStompUrl, subprotocols: ['v12.stomp'], proxy: { mode: 'none' }, reconnect: { resend: 'subscriptions', maxAttempts: 0, retryNormalClose: true } } }),
    );
    await until(() => opens() === 1);
    const send = async (data: string): Promise<void> => {
      valueOf(await engine!.call('session:send', { sessionId, kind: 'text', data }));
    };
    await send(frame('CONNECT', { 'accept-version': '1.2', host: '/', login: 'guest', passcode: 'guest', 'heart-beat': '0,0' }));
    await until(() => incoming('CONNECTED') === 1);
    await send(frame('SUBSCRIBE', { id: 'sub-0', destination: '/topic/resend-good' }));
    await send(frame('SUBSCRIBE', { id: 'sub-1', destination: '/nowhere/x' }));

    await until(() => events.some((e) => e.type === 'resent' && e.attempt === 2 && e.waiting === undefined));
    const report = events.flatMap((e) => (e.type === 'resent' ? [e] : [])).at(-1);
    expect(report?.sent.map((s) => s.label)).toEqual(['STOMP CONNECT', 'STOMP SUBSCRIBE /topic/resend-good']);
    expect(report?.notSent).toEqual(["STOMP SUBSCRIBE /nowhere/x: the server answered it with ERROR 'Unknown destination'"]);
    const first = events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []))[0];
    expect(first?.outcome.opened).toBe(true);

    // Attempt 2 is open and subscribed: a SEND to the good topic comes back as a MESSAGE.
    await send(frame('SEND', { destination: '/topic/resend-good', 'content-type': 'text/plain' }, 'still here'));
    await until(() => incoming('MESSAGE') === 1);
    expect(incoming('ERROR')).toBe(1);
    expect(opens()).toBe(2);
    expect(events.filter((e) => e.type === 'attempt')).toHaveLength(1);
    expect(JSON.stringify(events.filter((e) => e.type === 'resent'))).not.toContain('passcode');
    // How RabbitMQ ended attempt 1 after its ERROR: a normal close (retried here only with retryNormalClose).
    expect(first?.outcome).toMatchObject({ kind: 'closed', code: 1000, initiatedBy: 'server' });
  }, 120_000);
});
