/**
 * The MQTT keep-alive inside a WsSession on fake time (ManualClock), against a `ws` server on
 * 127.0.0.1 (port 0) playing the broker: the CONNECT goes out split over two messages, the
 * CONNACK comes split over two; once time passes the keep-alive, a PINGREQ is in the log as a
 * sent binary frame and in the sent totals; with the switch off none is. Asserted on the frames.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type RawData } from 'ws';
import { ManualClock } from '../../support/manual-clock';
import { startSession, type Harness } from '../../support/session-harness';
import { waitUntil } from '../../support/wait-until';

let server: http.Server | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.session.dispose();
  harness = undefined;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Answers the CONNECT (once its bytes are all in) with a CONNACK in two messages; counts PINGREQs. */
async function startBroker(): Promise<{ url: string; pings: () => number }> {
  const h = http.createServer();
  server = h;
  const wss = new WebSocketServer({ server: h, handleProtocols: () => 'mqtt' });
  let pings = 0;
  wss.on('connection', (ws) => {
    const parser = mqtt.parser({ protocolVersion: 4 });
    parser.on('packet', (packet) => {
      if (packet.cmd === 'connect') {
        const connack = mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }, { protocolVersion: 4 });
        ws.send(connack.subarray(0, 1));
        ws.send(connack.subarray(1));
      } else if (packet.cmd === 'pingreq') {
        pings += 1;
        ws.send(mqtt.generate({ cmd: 'pingresp' }));
      }
    });
    ws.on('message', (data: RawData) => parser.parse(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data)));
  });
  await new Promise<void>((resolve) => h.listen(0, '127.0.0.1', resolve));
  return { url: `ws://127.0.0.1:${(h.address() as AddressInfo).port}/`, pings: () => pings };
}

const connect = mqtt.generate({ cmd: 'connect', clientId: 'split', protocolVersion: 4, keepalive: 30, clean: true }, { protocolVersion: 4 });
const outBinary = (h: Harness): string[] => h.frames().filter((f) => f.dir === 'out' && f.opcode === 'binary').map((f) => f.preview);

describe('MQTT keep-alive in a session (fake time)', () => {
  it('a split CONNECT and CONNACK: after the keep-alive a PINGREQ goes out, in the log and the totals', async () => {
    const broker = await startBroker();
    const clock = new ManualClock();
    harness = startSession({ url: broker.url, subprotocols: ['mqtt'] }, { clock });
    const h = harness;
    await h.opened();
    h.session.send('binary', connect.subarray(0, 5));
    h.session.send('binary', connect.subarray(5));
    // The CONNACK's two messages are in the log: the session has read it.
    await waitUntil('the CONNACK', () => h.frames().filter((f) => f.dir === 'in' && f.opcode === 'binary').length >= 2);
    clock.advance(29_999);
    expect(outBinary(h)).toHaveLength(2);
    clock.advance(1);
    await waitUntil('the PINGREQ at the broker', () => broker.pings() === 1);
    await waitUntil('the PINGREQ in the log', () => outBinary(h).length === 3);
    expect(outBinary(h)[2]).toBe('c0 00');
    expect(h.session.statsNow().totals.out.messages).toBeGreaterThanOrEqual(3);
    await waitUntil('the PINGRESP', () => h.frames().some((f) => f.dir === 'in' && f.preview === 'd0 00'));
  });

  it('off: no PINGREQ however long it stays quiet', async () => {
    const broker = await startBroker();
    const clock = new ManualClock();
    harness = startSession({ url: broker.url, subprotocols: ['mqtt'], mqttKeepalive: false }, { clock });
    const h = harness;
    await h.opened();
    h.session.send('binary', connect);
    await waitUntil('the CONNACK', () => h.frames().filter((f) => f.dir === 'in' && f.opcode === 'binary').length >= 2);
    clock.advance(300_000);
    // A marker after the advance: anything the keep-alive sent would be in the log before it.
    h.session.send('binary', Buffer.from(mqtt.generate({ cmd: 'disconnect' })));
    await waitUntil('the marker', () => outBinary(h).length === 2);
    expect(outBinary(h)).not.toContain('c0 00');
    expect(broker.pings()).toBe(0);
  });
});
