/**
 * The reconnect's resend against a real Mosquitto (its WebSockets listener, subprotocol mqtt),
 * through the Engine: the user sends CONNECT and SUBSCRIBE by hand; another client connects with
 * the same client id, so the broker drops ours (a session takeover). Attempt 2 (the wait on a
 * ManualClock) sends the CONNECT again and, after the broker's CONNACK, the SUBSCRIBE: a message
 * published afterwards by a third client arrives on our session. Waits end on frames and events,
 * never on time; skipped without /usr/sbin/mosquitto.
 */
import mqtt from 'mqtt-packet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../../../src-main/core/engine';
import type { EngineEvent } from '../../../src-main/shared/events';
import { ManualClock } from '../../support/manual-clock';
import { hasMosquitto, startMosquitto, type Broker } from '../../support/mosquitto';
import { valueOf } from '../../unit/profiles/profile-fixtures';

let broker: Broker | undefined;
let engine: Engine | undefined;

beforeAll(async () => {
  if (hasMosquitto()) broker = await startMosquitto();
});
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});
afterAll(async () => {
  await broker?.stop();
});

const v4 = { protocolVersion: 4 } as const;
const connect = (clientId: string): Buffer => mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 60, clientId, username: 'u', password: Buffer.from('pw-in-memory') }, v4);

/** A plain client that sends `packets` once open and settles at the broker's answer to the last (or the close). */
function rawClient(port: number, packets: Buffer[], answers: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, 'mqtt');
    let got = 0;
    ws.on('open', () => packets.forEach((packet) => ws.send(packet)));
    ws.on('message', () => {
      if (++got >= answers) {
        ws.close();
        resolve();
      }
    });
    ws.on('close', () => resolve());
    ws.on('error', reject);
  });
}

describe.skipIf(!hasMosquitto())('reconnect resend against Mosquitto (skipped without /usr/sbin/mosquitto)', () => {
  it('after a takeover drops the session, attempt 2 CONNECTs and SUBSCRIBEs again, and a later PUBLISH arrives', async () => {
    if (!broker) throw new Error('no broker');
    const port = broker.wsPort;
    const clock = new ManualClock();
    engine = new Engine({ host: 'cli', version: 't', env: {}, batch: { intervalMs: 1 }, clock });
    const events: EngineEvent[] = [];
    const wakers = new Set<() => void>();
    engine.onEvent((event) => {
      events.push(event);
      if (event.type === 'attempt' && event.record.next) {
        const wait = event.record.next.waitMs;
        setImmediate(() => clock.advance(wait));
      }
      for (const wake of [...wakers]) wake();
    });
    const until = async (ready: () => boolean): Promise<void> => {
      while (!ready()) await new Promise<void>((resolve) => wakers.add(() => (wakers.clear(), resolve())));
    };
    const incoming = (hexStart: string): number => events.reduce((n, e) => n + (e.type === 'frames' ? e.frames.filter((f) => f.dir === 'in' && f.preview.startsWith(hexStart)).length : 0), 0);
    const opens = (): number => events.filter((e) => e.type === 'state' && e.state === 'open').length;

    const { sessionId } = valueOf(await engine.call('session:open', { options: { url: `ws://127.0.0.1:${port}/`, proxy: { mode: 'none' }, subprotocols: ['mqtt'], reconnect: { resend: 'subscriptions' } } }));
    await until(() => opens() === 1);
    valueOf(await engine.call('session:send', { sessionId, kind: 'binary', data: connect('resend-me').toString('base64') }));
    valueOf(await engine.call('session:send', { sessionId, kind: 'binary', data: mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'resend/t', qos: 0 }] }, v4).toString('base64') }));
    await until(() => incoming('90') === 1);

    // Same client id: the broker hands the session over and drops ours.
    await rawClient(port, [connect('resend-me')], 1);
    await until(() => opens() === 2 && events.some((e) => e.type === 'resent' && e.waiting === undefined));
    await until(() => incoming('90') === 2);
    await rawClient(port, [mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 60, clientId: 'publisher' }, v4), mqtt.generate({ cmd: 'publish', topic: 'resend/t', payload: Buffer.from('hello again'), qos: 1, messageId: 7, retain: false, dup: false }, v4)], 2);
    await until(() => incoming('30') === 1);

    const report = events.flatMap((e) => (e.type === 'resent' ? [e] : [])).at(-1);
    expect(report).toMatchObject({ attempt: 2, sent: [{ label: 'MQTT CONNECT' }, { label: 'MQTT SUBSCRIBE resend/t' }], notSent: [] });
    expect(JSON.stringify(events.filter((e) => e.type === 'resent'))).not.toContain('pw-in-memory');
  });
});
