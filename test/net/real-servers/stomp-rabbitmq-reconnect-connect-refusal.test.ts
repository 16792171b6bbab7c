/**
 * Against a real RabbitMQ Web-STOMP (test/support/rabbitmq.ts, 127.0.0.1), through the Engine: a
 * reconnecting connection whose CONNECT carries a wrong passcode for guest. RabbitMQ answers with
 * ERROR ('Bad CONNECT', "Access refused for user 'guest'") and keeps the connection until Web-STOMP
 * closes it idle (60 s by default; IDLE_TIMEOUT_MS here, the same close sooner); the attempt's end stops the reconnect (another attempt sends the same CONNECT), with a line saying what to
 * change. One broker, one connection. The reconnect waits are on a ManualClock; waits end on
 * events, never on time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/core/engine';
import { reconnectingEngine } from '../../support/reconnecting-engine';
import { rabbitmqMissing, startRabbitMq, type RunningRabbitMq } from '../../support/rabbitmq';
import { valueOf } from '../../unit/profiles/profile-fixtures';

/** Web-STOMP's idle timeout for this broker: the close after the ERROR comes this long after it. */
const IDLE_TIMEOUT_MS = 3_000;

const title = `reconnect after RabbitMQ refused the CONNECT${rabbitmqMissing ? ` (skipped: ${rabbitmqMissing})` : ''}`;

describe.skipIf(rabbitmqMissing !== undefined)(title, () => {
  let broker: RunningRabbitMq | undefined;
  let engine: Engine | undefined;

  beforeAll(async () => {
    broker = await startRabbitMq([`web_stomp.ws_opts.idle_timeout = ${IDLE_TIMEOUT_MS}`]);
  }, 300_000);
  afterAll(async () => {
    await engine?.dispose();
    await broker?.stop();
  }, 300_000);

  it('a wrong passcode: ERROR answers the CONNECT, and auto-reconnect stops after attempt 1 saying what to change', async () => {
    if (!broker) throw new Error('the broker did not start');
    const reconnecting = reconnectingEngine();
    engine = reconnecting.engine;
    const { events, until } = reconnecting;
    const { sessionId } = valueOf(
      await engine.call('session:open', { options: { url: broker.webStompUrl, subprotocols: ['v12.stomp'], proxy: { mode: 'none' }, reconnect: { resend: 'opening', retryNormalClose: true } } }),
    );
    await until(() => events.some((e) => e.type === 'state' && e.state === 'open'));
    valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: 'CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:not-the-password\nheart-beat:0,0\n\n\0' }));
    await until(() => events.some((e) => e.type === 'closed' || e.type === 'attempt-started'));
    expect(events.some((e) => e.type === 'attempt-started')).toBe(false);
    const records = events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []));
    expect(records).toHaveLength(1);
    expect(records[0]?.next).toBeNull();
    expect(records[0]?.stopReason).toMatch(/^not retried: the server answered the CONNECT with ERROR .*access refused.*would refuse the same CONNECT again: change the CONNECT's login and passcode/i);
  }, 120_000);
});
