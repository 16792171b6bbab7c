/**
 * What Mosquitto's WebSockets listener does with a client that offers no subprotocol and sends an
 * MQTT CONNECT, through a Tunnelscope session (Mosquitto 2.0.11, Debian 12): it accepts the
 * upgrade (101, no Sec-WebSocket-Protocol) and then reads nothing: no CONNACK, no close, its log
 * silent (a probe by hand kept such a connection open 90 s, until the client ended it). Asserted by
 * order, not time: three WebSocket pings, each sent after the CONNECT (and the one before it
 * answered), are answered with no MQTT packet before or between them, while the same session
 * offering `mqtt` gets its CONNACK. The failure diagnosis's rule
 * (core/errors/mqtt-subprotocol.ts) is then fed what each session saw.
 */
import mqtt from 'mqtt-packet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mqttSubprotocolDiagnosis, MQTT_SUBPROTOCOL_DIAGNOSIS } from '../../../src-main/core/errors/mqtt-subprotocol';
import { upgradeSigns } from '../../../src-main/core/decode/upgrade-signs';
import { hasMosquitto, startMosquitto, type Broker } from '../../support/mosquitto';
import { startSession, type Harness } from '../../support/session-harness';
import { WAIT_MS, waitUntil } from '../../support/wait-until';

let broker: Broker | undefined;
let harness: Harness | undefined;

beforeAll(async () => {
  if (hasMosquitto()) broker = await startMosquitto();
});

afterEach(async () => {
  await harness?.session.dispose();
  harness = undefined;
});

afterAll(async () => {
  await broker?.stop();
});

const connectPacket = (clientId: string): Buffer => mqtt.generate({ cmd: 'connect', clientId, protocolVersion: 4, keepalive: 60, clean: true }, { protocolVersion: 4 });

async function open(subprotocols: string[]): Promise<Harness> {
  if (!broker) throw new Error('no broker');
  const h = startSession({ url: `ws://127.0.0.1:${broker.wsPort}/`, subprotocols, mqttKeepalive: false });
  harness = h;
  await h.opened();
  return h;
}

const data = (h: Harness, dir: 'in' | 'out') => h.frames().filter((f) => f.dir === dir && (f.opcode === 'binary' || f.opcode === 'text'));
const pongs = (h: Harness) => h.frames().filter((f) => f.dir === 'in' && f.opcode === 'pong').length;

/** Whether mqtt-packet reads the bytes as a CONNECT (as the session's MQTT keep-alive does). */
function isConnect(bytes: Buffer): boolean {
  let cmd: string | undefined;
  const parser = mqtt.parser();
  parser.on('packet', (packet: mqtt.Packet) => (cmd ??= packet.cmd));
  parser.on('error', () => undefined);
  parser.parse(bytes);
  return cmd === 'connect';
}

/** What the rule reads of a session: the CONNECT went first, the subprotocol agreed, anything back after it. */
function signsOf(h: Harness): Parameters<typeof mqttSubprotocolDiagnosis>[0] {
  const first = data(h, 'out')[0];
  return { connectSent: first !== undefined && isConnect(Buffer.from(first.preview.replace(/ /g, ''), 'hex')), subprotocol: upgradeSigns(h.session.handshakeSteps()).subprotocol, answered: data(h, 'in').length > 0 };
}

describe.skipIf(!hasMosquitto())('an MQTT CONNECT to Mosquitto without the mqtt subprotocol (skipped without /usr/sbin/mosquitto)', () => {
  it('offering mqtt (the control): the 101 agrees mqtt, the CONNECT gets its CONNACK, and no diagnosis', async () => {
    const h = await open(['mqtt']);
    expect(upgradeSigns(h.session.handshakeSteps()).subprotocol).toBe('mqtt');
    h.session.send('binary', connectPacket('with-subprotocol'));
    await waitUntil('the CONNACK', () => data(h, 'in').some((f) => f.preview === '20 02 00 00'), WAIT_MS);
    expect(mqttSubprotocolDiagnosis(signsOf(h))).toBeUndefined();
    expect(broker?.log()).toMatch(/New client connected from .* as with-subprotocol/);
    await h.session.close();
    expect((await h.closed(WAIT_MS)).diagnosis).toBeUndefined();
  });

  it('offering none: the upgrade is accepted with no subprotocol, pings after the CONNECT are answered, the CONNECT never is; the rule says to offer mqtt', async () => {
    const h = await open([]);
    expect(upgradeSigns(h.session.handshakeSteps()).subprotocol).toBeUndefined();
    h.session.send('binary', connectPacket('without-subprotocol'));
    // Each ping goes after the CONNECT on the same connection, so the broker has read the CONNECT when
    // it answers one (a CONNACK, which the control gets in the same turn of its loop, may come just
    // after the first pong: three rounds leave it room).
    for (let round = 1; round <= 3; round++) {
      h.session.send('ping', Buffer.from(`after-connect-${round}`));
      await waitUntil(`pong ${round}`, () => pongs(h) >= round, WAIT_MS);
    }
    expect(data(h, 'in')).toEqual([]);
    expect(h.session.state).toBe('open');
    expect(broker?.log()).not.toMatch(/without-subprotocol/);
    expect(signsOf(h)).toEqual({ connectSent: true, subprotocol: undefined, answered: false });
    expect(mqttSubprotocolDiagnosis(signsOf(h))).toBe(MQTT_SUBPROTOCOL_DIAGNOSIS);
    // The user gives up and closes: still nothing came back.
    await h.session.close();
    expect((await h.closed(WAIT_MS)).diagnosis).toBe(MQTT_SUBPROTOCOL_DIAGNOSIS);
    expect(data(h, 'in')).toEqual([]);
  });
});
