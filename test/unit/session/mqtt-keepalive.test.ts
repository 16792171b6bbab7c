/**
 * MQTT keep-alive on fake time (ManualClock): PINGREQ once no packet went out for the keep-alive,
 * only after a CONNACK that accepted; the MQTT 5 Server Keep Alive replaces the CONNECT's; packets
 * that span messages are framed (no PINGREQ inside one, the last byte's time counts); off sends
 * nothing; not MQTT, refused, keep-alive 0 or a DISCONNECT send nothing; the close diagnosis.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { MqttKeepAlive, PINGREQ, mqttCloseDiagnosis, mqttKeepAliveHint } from '../../../src-main/core/session/mqtt-keepalive';
import { MqttFramer } from '../../../src-main/core/session/mqtt-framer';
import { ManualClock } from '../../support/manual-clock';

const v4 = (packet: mqtt.Packet): Buffer => mqtt.generate(packet, { protocolVersion: 4 });
const v5 = (packet: mqtt.Packet): Buffer => mqtt.generate(packet, { protocolVersion: 5 });
const connect = (keepalive: number, protocolVersion: 4 | 5 = 4): Buffer =>
  mqtt.generate({ cmd: 'connect', clientId: 'c', protocolVersion, keepalive, clean: true }, { protocolVersion });
const connack4 = (returnCode = 0): Buffer => v4({ cmd: 'connack', returnCode, sessionPresent: false });
const publish = (payloadBytes: number): Buffer =>
  v4({ cmd: 'publish', topic: 't', payload: Buffer.alloc(payloadBytes, 0x61), qos: 0, dup: false, retain: false });

function setup(answer = true): { clock: ManualClock; keepAlive: MqttKeepAlive; sent: Buffer[] } {
  const clock = new ManualClock();
  const sent: Buffer[] = [];
  const keepAlive: MqttKeepAlive = new MqttKeepAlive({
    answer,
    clock,
    // As the session does: what goes out is noted back as sent.
    send: (bytes) => {
      sent.push(bytes);
      keepAlive.sent(bytes);
      return true;
    },
  });
  return { clock, keepAlive, sent };
}

const pings = (sent: Buffer[]): number => sent.filter((b) => b.equals(PINGREQ)).length;

describe('MqttKeepAlive', () => {
  it('sends PINGREQ each keep-alive of silence once the CONNACK accepted, not before', () => {
    const unacked = setup();
    unacked.keepAlive.sent(connect(60));
    unacked.clock.advance(600_000);
    expect(pings(unacked.sent)).toBe(0);
    const { clock, keepAlive, sent } = setup();
    keepAlive.sent(connect(60));
    clock.advance(1_000);
    expect(pings(sent)).toBe(0); // no CONNACK yet
    keepAlive.incoming(connack4());
    expect(keepAlive.isAlive).toBe(true);
    expect(keepAlive.keepAlive).toBe(60);
    clock.advance(58_999); // 59.999 s after the CONNECT
    expect(pings(sent)).toBe(0);
    clock.advance(1);
    expect(pings(sent)).toBe(1);
    clock.advance(60_000);
    expect(pings(sent)).toBe(2);
    expect(keepAlive.pingRequests).toBe(pings(sent));
  });

  it('counts from the last packet sent: a packet within the period puts the PINGREQ off', () => {
    const { clock, keepAlive, sent } = setup();
    keepAlive.sent(connect(10));
    keepAlive.incoming(connack4());
    clock.advance(8_000);
    keepAlive.sent(publish(3));
    clock.advance(8_000); // 16 s after the CONNECT, 8 s after the PUBLISH
    expect(pings(sent)).toBe(0);
    clock.advance(2_000);
    expect(pings(sent)).toBe(1);
    // The PINGREQ itself is the last packet: the next one 10 s on.
    clock.advance(9_999);
    expect(pings(sent)).toBe(1);
    clock.advance(1);
    expect(pings(sent)).toBe(2);
  });

  it('MQTT 5: the CONNACK\'s Server Keep Alive replaces the CONNECT\'s', () => {
    const { clock, keepAlive, sent } = setup();
    keepAlive.sent(connect(60, 5));
    keepAlive.incoming(v5({ cmd: 'connack', reasonCode: 0, sessionPresent: false, properties: { serverKeepAlive: 5 } }));
    expect(keepAlive.keepAlive).toBe(5);
    expect(keepAlive.keepAliveFromServer).toBe(true);
    clock.advance(5_000);
    expect(pings(sent)).toBe(1);
  });

  it('MQTT 5: a Server Keep Alive of 0 turns it off; a refusing reason code sends nothing', () => {
    for (const connack of [
      v5({ cmd: 'connack', reasonCode: 0, sessionPresent: false, properties: { serverKeepAlive: 0 } }),
      v5({ cmd: 'connack', reasonCode: 0x87, sessionPresent: false }),
    ]) {
      const { clock, keepAlive, sent } = setup();
      keepAlive.sent(connect(1, 5));
      keepAlive.incoming(connack);
      clock.advance(10_000);
      expect(pings(sent)).toBe(0);
      expect(keepAlive.isAlive).toBe(false);
    }
  });

  it('sends nothing for keep-alive 0, a refused CONNACK (3.1.1), a DISCONNECT, or a session that did not open with a CONNECT', () => {
    const cases: [Buffer[], Buffer[]][] = [
      [[connect(0)], [connack4()]],
      [[connect(1)], [connack4(5)]],
      [[connect(1), v4({ cmd: 'disconnect' })], [connack4()]],
      [[Buffer.from('CONNECT\naccept-version:1.2\n\n\0')], [connack4()]],
      [[publish(2)], [connack4()]],
      // Starts like a CONNECT, but mqtt-packet refuses it (no protocol name MQTT).
      [[Buffer.from([0x10, 0x04, 0x00, 0x02, 0x58, 0x58])], [connack4()]],
    ];
    for (const [out, inc] of cases) {
      const { clock, keepAlive, sent } = setup();
      for (const bytes of out) keepAlive.sent(bytes);
      for (const bytes of inc) keepAlive.incoming(bytes);
      clock.advance(10_000);
      expect(pings(sent)).toBe(0);
    }
  });

  it('reads a CONNECT and a CONNACK split across messages, and several packets in one', () => {
    const { clock, keepAlive, sent } = setup();
    const bytes = Buffer.concat([connect(2), v4({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a', qos: 0 }] })]);
    for (const byte of bytes) keepAlive.sent(Buffer.from([byte]));
    const ack = Buffer.concat([connack4(), v4({ cmd: 'suback', messageId: 1, granted: [0] })]);
    keepAlive.incoming(ack.subarray(0, 1));
    expect(keepAlive.isAlive).toBe(false);
    keepAlive.incoming(ack.subarray(1));
    expect(keepAlive.isAlive).toBe(true);
    clock.advance(2_000);
    expect(pings(sent)).toBe(1);
  });

  it('never puts a PINGREQ inside a packet that spans messages; the packet counts when its last byte goes', () => {
    const { clock, keepAlive, sent } = setup();
    keepAlive.sent(connect(4));
    keepAlive.incoming(connack4());
    const big = publish(100);
    keepAlive.sent(big.subarray(0, 10));
    clock.advance(4_000); // due, but a PUBLISH is half sent
    expect(pings(sent)).toBe(0);
    clock.advance(4_000);
    expect(pings(sent)).toBe(0);
    keepAlive.sent(big.subarray(10)); // finished at 8 s
    clock.advance(3_999);
    expect(pings(sent)).toBe(0);
    clock.advance(1);
    expect(pings(sent)).toBe(1);
  });

  it('off: sends nothing, and still measures the silence', () => {
    const { clock, keepAlive, sent } = setup(false);
    keepAlive.sent(connect(60));
    keepAlive.incoming(connack4());
    clock.advance(91_000);
    expect(sent).toEqual([]);
    expect(keepAlive.silentMs).toBe(91_000);
  });

  it('stop: nothing more is sent', () => {
    const { clock, keepAlive, sent } = setup();
    keepAlive.sent(connect(1));
    keepAlive.incoming(connack4());
    keepAlive.stop();
    clock.advance(10_000);
    expect(sent).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('a PINGREQ that could not go is tried again a quarter period on', () => {
    const clock = new ManualClock();
    let attempts = 0;
    const keepAlive = new MqttKeepAlive({ answer: true, clock, send: () => (attempts += 1) < 0 });
    keepAlive.sent(connect(4));
    keepAlive.incoming(connack4());
    clock.advance(4_000);
    expect(attempts).toBe(1);
    clock.advance(1_000);
    expect(attempts).toBe(2);
    expect(keepAlive.notPingingBecause).toBe('the PINGREQ could not be sent');
  });
});

describe('mqttCloseDiagnosis', () => {
  it('off, silent past the keep-alive: says the broker closes after 1.5 × keep-alive and that PINGREQ is off', () => {
    const { clock, keepAlive } = setup(false);
    keepAlive.sent(connect(60));
    keepAlive.incoming(connack4());
    clock.advance(91_000);
    expect(mqttCloseDiagnosis(keepAlive)).toBe(
      "The session sent no MQTT packet for 91.0 s before the broker closed the connection (sending PINGREQ is off for this session): an MQTT broker closes a connection that sends nothing within 1.5 × keep-alive (the CONNECT's keep-alive 60 s: 90 s), and only MQTT packets such as PINGREQ count, not WebSocket pings.",
    );
    expect(mqttKeepAliveHint(keepAlive)).toContain('Turn the MQTT keep-alive switch on');
  });

  it('says nothing while the session kept within its keep-alive, before a CONNACK, or for a session that is not MQTT', () => {
    const on = setup();
    on.keepAlive.sent(connect(60));
    on.keepAlive.incoming(connack4());
    on.clock.advance(600_000);
    expect(mqttCloseDiagnosis(on.keepAlive)).toBeUndefined();
    const noAck = setup(false);
    noAck.keepAlive.sent(connect(1));
    noAck.clock.advance(600_000);
    expect(mqttCloseDiagnosis(noAck.keepAlive)).toBeUndefined();
    expect(mqttCloseDiagnosis(undefined)).toBeUndefined();
  });

  it('names the held-back packet when a half-sent one kept the PINGREQ out', () => {
    const { clock, keepAlive } = setup();
    keepAlive.sent(connect(1));
    keepAlive.incoming(connack4());
    keepAlive.sent(publish(50).subarray(0, 5));
    clock.advance(2_000);
    expect(mqttCloseDiagnosis(keepAlive)).toContain('a packet the session began sending was never finished');
  });
});

describe('MqttFramer', () => {
  it('finds the same packets whatever the message boundaries (generated splits)', () => {
    const packets = [connect(7), publish(0), publish(200), publish(20_000), v4({ cmd: 'pingreq' }), v4({ cmd: 'disconnect' })];
    const stream = Buffer.concat(packets);
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const framer = new MqttFramer((type) => type === 1);
      const found: number[] = [];
      let at = 0;
      while (at < stream.length) {
        const take = 1 + random(round % 2 === 0 ? 5 : 30_000);
        found.push(...framer.push(stream.subarray(at, at + take)).map((p) => p.type));
        at += take;
      }
      expect(found).toEqual([1, 3, 3, 3, 12, 14]);
      expect(framer.atBoundary).toBe(true);
    }
  });

  it('a Remaining Length of five bytes breaks the stream', () => {
    const framer = new MqttFramer();
    framer.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(framer.isBroken).toBe(true);
  });
});
