import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { EMPTY_MESSAGE, MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { notValid } from '../../../src-main/core/decode/decoded-frame';
import { decodedFields } from '../../../src-main/core/decode/decoded-fields';
import { endedAnswer, isEndAware } from '../../../src-main/core/decode/session-end';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { binaryFrame, textFrame } from './wire';

const v4 = { protocolVersion: 4 };
const v5 = { protocolVersion: 5 };
const connect4 = mqtt.generate({ cmd: 'connect', clientId: 'c1', protocolVersion: 4, protocolId: 'MQTT', keepalive: 60, clean: true }, v4);
const publish = mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}xx'), qos: 1, messageId: 5, retain: false, dup: false }, v4);

describe('MQTT decoder', () => {
  it.each([
    ['CONNECT 3.1.1', connect4, 'CONNECT client=c1 MQTT 3.1.1 keepalive 60 clean'],
    ['PUBLISH', publish, 'PUBLISH sensors/1 QoS 1 12 B id=5'],
    ['SUBSCRIBE', mqtt.generate({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'a/#', qos: 1 }, { topic: 'b', qos: 0 }] }, v4), 'SUBSCRIBE a/# QoS 1, b QoS 0 id=3'],
    ['SUBACK', mqtt.generate({ cmd: 'suback', messageId: 3, granted: [1, 0] }, v4), 'SUBACK id=3 granted 1,0'],
    ['PINGREQ', mqtt.generate({ cmd: 'pingreq' }, v4), 'PINGREQ'],
    ['CONNACK', mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }, v4), 'CONNACK rc=0'],
  ])('%s', (_name, bytes, summary) => {
    const decoder = new MqttDecoder();
    // After the client's CONNECT (a packet before it is noted: mqtt-connection.test.ts).
    if (summary !== 'CONNECT client=c1 MQTT 3.1.1 keepalive 60 clean') decoder.decode(binaryFrame(connect4, 'out'));
    expect(decoder.decode(binaryFrame(bytes, 'out'))).toMatchObject({ kind: 'decoded', protocol: 'mqtt', summary });
  });

  it('keeps the payload as text and reads MQTT 5 properties after a version 5 CONNECT, both directions', () => {
    const decoder = new MqttDecoder();
    decoder.decode(binaryFrame(mqtt.generate({ cmd: 'connect', clientId: 'c5', protocolVersion: 5, protocolId: 'MQTT', keepalive: 10, clean: true }, v5), 'out'));
    const connack = decoder.decode(binaryFrame(mqtt.generate({ cmd: 'connack', reasonCode: 0, sessionPresent: false, properties: { topicAliasMaximum: 10 } }, v5), 'in'));
    expect(connack).toMatchObject({ kind: 'decoded', summary: 'CONNACK reason 0', value: { properties: { topicAliasMaximum: 10 } } });
    const pub = decoder.decode(binaryFrame(mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('hi'), qos: 0, retain: false, dup: false, properties: { contentType: 'text/plain' } }, v5), 'in'));
    expect(pub).toMatchObject({ kind: 'decoded', value: { topic: 't', payload: 'hi', properties: { contentType: 'text/plain' } } });
  });

  it('says an empty topic in words (no double space): none, an alias it has not seen set, an alias it knows', () => {
    const decoder = new MqttDecoder();
    const empty4 = mqtt.generate({ cmd: 'publish', topic: '', payload: Buffer.from('hi'), qos: 0, retain: false, dup: false }, v4);
    expect(decoder.decode(binaryFrame(empty4))?.summary).toBe('PUBLISH (empty topic) QoS 0 2 B');
    decoder.decode(binaryFrame(mqtt.generate({ cmd: 'connect', clientId: 'c5', protocolVersion: 5, protocolId: 'MQTT', keepalive: 10, clean: true }, v5), 'out'));
    const aliased = (topic: string, topicAlias: number): Buffer => mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from('hi'), qos: 0, retain: false, dup: false, properties: { topicAlias } }, v5);
    expect(decoder.decode(binaryFrame(aliased('', 9)))?.summary).toBe('PUBLISH (empty topic, alias 9 unknown) QoS 0 2 B');
    expect(decoder.decode(binaryFrame(aliased('t', 4)))?.summary).toBe('PUBLISH t QoS 0 2 B');
    const used = decoder.decode(binaryFrame(aliased('', 4)));
    expect(used?.summary).toBe('PUBLISH t (alias 4) QoS 0 2 B');
    expect(used?.summary).not.toMatch(/ {2}/);
  });

  it("a PUBLISH's value: the packet's keys in order, its payload in place as text or bytes", () => {
    const decoder = new MqttDecoder();
    decoder.decode(binaryFrame(mqtt.generate({ cmd: 'connect', clientId: 'c5', protocolVersion: 5, protocolId: 'MQTT', keepalive: 10, clean: true }, v5), 'out'));
    const properties = { correlationData: Buffer.from('ab'), userProperties: { k: ['a', 'b'] } };
    const bytes = mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.from([0xff, 1]), qos: 1, messageId: 3, retain: true, dup: false, properties }, v5);
    const pub = decoder.decode(binaryFrame(bytes));
    expect(JSON.stringify(pub?.kind === 'decoded' ? pub.value : null)).toBe(
      '{"cmd":"publish","retain":true,"qos":1,"dup":false,"length":27,"topic":"t","payload":{"$bytes":"/wE=","length":2},"messageId":3,"properties":{"correlationData":{"$bytes":"YWI=","length":2},"userProperties":{"k":["a","b"]}}}',
    );
  });

  it("another packet's value: without mqtt-packet's topic: null and payload: null, which only a PUBLISH sets", () => {
    const decoder = new MqttDecoder();
    const value = (packet: mqtt.Packet) => {
      const outcome = decoder.decode(binaryFrame(mqtt.generate(packet, v4)));
      return JSON.stringify(outcome?.kind === 'decoded' ? outcome.value : null);
    };
    expect(value({ cmd: 'suback', messageId: 3, granted: [1, 0] })).toBe('{"cmd":"suback","retain":false,"qos":0,"dup":false,"length":4,"granted":[1,0],"messageId":3}');
    expect(value({ cmd: 'pubrel', messageId: 7 })).toBe('{"cmd":"pubrel","retain":false,"qos":1,"dup":false,"length":2,"messageId":7}');
    expect(value({ cmd: 'pingresp' })).toBe('{"cmd":"pingresp","retain":false,"qos":0,"dup":false,"length":0}');
    expect(value({ cmd: 'connack', returnCode: 0, sessionPresent: false })).not.toMatch(/"topic"|"payload"/);
    // A PUBLISH keeps both, an empty topic and payload too.
    expect(value({ cmd: 'publish', topic: '', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false })).toBe('{"cmd":"publish","retain":false,"qos":0,"dup":false,"length":2,"topic":"","payload":""}');
  });

  it('joins a packet spanning messages and lists packets sharing one', () => {
    const decoder = new MqttDecoder();
    // 0x32 0x19 then 5 of the 25 bytes after the fixed header.
    const rest = 'part of an MQTT PUBLISH: 5 of the 25 B after its fixed header arrived; the session ended before the rest';
    expect(decoder.decode(binaryFrame(publish.subarray(0, 7)))).toEqual({
      kind: 'partial',
      protocol: 'mqtt',
      summary: 'part of an MQTT PUBLISH: 5 of the 25 B after its fixed header so far (continues in a later message)',
      value: { continues: true },
      // What it is when the session ends with no later message in this direction (session-end.ts).
      ifEnded: { kind: 'invalid', protocol: 'mqtt', summary: `not valid MQTT: ${rest}`, problem: rest },
    });
    expect(decoder.decode(binaryFrame(publish.subarray(7)))).toMatchObject({ kind: 'decoded', summary: 'PUBLISH sensors/1 QoS 1 12 B id=5' });
    const two = Buffer.concat([mqtt.generate({ cmd: 'pingresp' }, v4), publish, publish.subarray(0, 3)]);
    expect(decoder.decode(binaryFrame(two))?.summary).toBe('2 packets: PINGRESP · PUBLISH sensors/1 QoS 1 12 B id=5 · then the start of a PUBLISH: 1 of the 25 B after its fixed header so far (continues)');
  });

  it('gives the answer a message leaving a packet under way has once the session ended with it the last of its direction', () => {
    const decoder = new MqttDecoder();
    const two = Buffer.concat([mqtt.generate({ cmd: 'pingresp' }, v4), publish.subarray(0, 3)]);
    const mixed = decoder.decode(binaryFrame(two));
    // The whole packets stay decoded: the words say the last never came.
    expect(mixed && isEndAware(mixed) ? mixed.ifEnded : undefined).toEqual({ kind: 'decoded', protocol: 'mqtt', summary: 'PINGRESP · then the start of a PUBLISH: 1 of the 25 B after its fixed header arrived; the session ended before the rest', value: mixed?.kind === 'decoded' ? mixed.value : null });
    const big = mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(300, 0x61), qos: 0, retain: false, dup: false }, v4);
    const header = new MqttDecoder().decode(binaryFrame(big.subarray(0, 2)));
    expect(header && endedAnswer(header).summary).toBe('not valid MQTT: part of an MQTT PUBLISH: its first 2 B (its type and part of its remaining length) arrived; the session ended before the rest');
    // Whole packets only, or a packet completed: nothing under way, nothing to say at the end.
    const whole = new MqttDecoder();
    expect(isEndAware(whole.decode(binaryFrame(publish)))).toBe(false);
    whole.decode(binaryFrame(publish.subarray(0, 4)));
    expect(isEndAware(whole.decode(binaryFrame(publish.subarray(4))))).toBe(false);
  });

  it('reads an empty binary message as one holding no packet, alone or in the middle of a packet', () => {
    const decoder = new MqttDecoder();
    const empty = decoder.decode(binaryFrame([]));
    expect(empty).toEqual({ kind: 'decoded', protocol: 'mqtt', summary: `${EMPTY_MESSAGE}`, value: { packets: [] } });
    expect(EMPTY_MESSAGE).toBe('empty binary message (no MQTT packet: MQTT over WebSocket sends whole or partial packets, and an empty message carries nothing)');
    expect(decoder.idle('in')).toBe(true);
    // fields() gives what decode's value gives, and moves the decoder alike.
    expect(new MqttDecoder().fields(binaryFrame([]))).toEqual(decodedFields(empty?.kind === 'decoded' ? empty.value : null));
    expect(decoder.decode(binaryFrame(publish.subarray(0, 7)))?.kind).toBe('partial');
    const between = decoder.decode(binaryFrame([]));
    expect(between).toMatchObject({ kind: 'partial', summary: 'an empty binary message, with part of an MQTT PUBLISH under way: 5 of the 25 B after its fixed header so far (continues in a later message)', value: { continues: true } });
    expect(between && endedAnswer(between)).toEqual(notValid('mqtt', 'an empty binary message, with part of an MQTT PUBLISH under way: 5 of the 25 B after its fixed header arrived; the session ended before the rest'));
    // It adds nothing: the rest completes the packet.
    expect(decoder.decode(binaryFrame(publish.subarray(7)))).toMatchObject({ kind: 'decoded', summary: 'PUBLISH sensors/1 QoS 1 12 B id=5' });
    // Another direction's empty message while this one has a packet under way: that direction is idle.
    decoder.decode(binaryFrame(publish.subarray(0, 7), 'in'));
    expect(decoder.decode(binaryFrame([], 'out'))?.summary).toBe(EMPTY_MESSAGE);
  });

  it('says a packet continues when a message ends with its fixed header alone, or inside its remaining length', () => {
    const decoder = new MqttDecoder();
    const puback = mqtt.generate({ cmd: 'puback', messageId: 2 }, v4);
    expect(decoder.decode(binaryFrame(Buffer.concat([puback, publish.subarray(0, 2)])))?.summary).toBe('PUBACK id=2 · then the start of a PUBLISH: 0 of the 25 B after its fixed header so far (continues)');
    const big = mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(300, 0x61), qos: 0, retain: false, dup: false }, v4);
    const other = new MqttDecoder();
    expect(other.decode(binaryFrame(big.subarray(0, 2)))?.summary).toBe('part of an MQTT PUBLISH: its first 2 B (its type and part of its remaining length) so far (continues in a later message)');
    expect(other.decode(binaryFrame(big.subarray(2)))?.summary).toBe('PUBLISH t QoS 0 300 B');
  });

  it.each([
    ['reserved packet type 0', [0x00, 0x00], /^not valid MQTT: packet 1 of this message: packet type 0 is reserved \(MQTT gives it to no packet\)$/],
    ['a whole AUTH (type 15) under MQTT 3.1.1', [0xf0, 0x00], /^not valid MQTT: packet 1 of this message: packet type 15 is reserved before MQTT 5 \(where it is AUTH\)$/],
    ['wrong flags on SUBSCRIBE', [0x80, 0x02, 0x00, 0x01], /^not valid MQTT: packet 1 of this message: .*/],
    ['remaining length over 4 bytes', [0x30, 0xff, 0xff, 0xff, 0xff, 0x01], /^not valid MQTT: packet 1 of this message: Invalid variable byte integer/],
    ['topic longer than its packet', [0x30, 0x04, 0x00, 0x20, 0x61, 0x62], /^not valid MQTT: packet 1 of this message: Cannot parse topic/],
    ['QoS 3', [0x36, 0x02, 0x00, 0x00], /QoS bits/],
    // mqtt-packet reads these, but MQTT requires a topic filter in each.
    ['SUBSCRIBE with no topic filter', [0x82, 0x02, 0x00, 0x01], /^not valid MQTT: packet 1 of this message: a SUBSCRIBE with no topic filter \(MQTT requires at least one\)$/],
    ['UNSUBSCRIBE with no topic filter', [0xa2, 0x02, 0x00, 0x01], /^not valid MQTT: packet 1 of this message: an UNSUBSCRIBE with no topic filter/],
    ['an empty SUBSCRIBE after a PINGREQ', [0xc0, 0x00, 0x82, 0x02, 0x00, 0x01], /^not valid MQTT: packet 2 of this message: a SUBSCRIBE with no topic filter/],
  ])('%s is not valid', (_name, bytes, problem) => {
    const result = new MqttDecoder().decode(binaryFrame(bytes));
    expect(result?.kind).toBe('invalid');
    expect(result?.summary).toMatch(problem);
  });

  it('says a reserved packet type is not valid at its first byte, not waiting for its remaining length, and the next message starts afresh', () => {
    const pingreq = mqtt.generate({ cmd: 'pingreq' }, v4);
    const cases: [string, Buffer, string][] = [
      ['type 0 with a length of 200 (QA D4)', Buffer.from('08c80112026f6b', 'hex'), 'not valid MQTT: packet 1 of this message: packet type 0 is reserved (MQTT gives it to no packet)'],
      ['type 0, its first byte alone', Buffer.from([0x00]), 'not valid MQTT: packet 1 of this message: packet type 0 is reserved (MQTT gives it to no packet)'],
      ['type 0 inside its remaining length', Buffer.from([0x00, 0x80]), 'not valid MQTT: packet 1 of this message: packet type 0 is reserved (MQTT gives it to no packet)'],
      ['type 0 after a whole packet', Buffer.concat([pingreq, Buffer.from([0x00, 0x05, 0x01])]), 'not valid MQTT: packet 2 of this message after 1 whole packet: packet type 0 is reserved (MQTT gives it to no packet)'],
      ['type 15 under MQTT 3.1.1', Buffer.from([0xf0, 0xc8, 0x01, 0x01]), 'not valid MQTT: packet 1 of this message: packet type 15 is reserved before MQTT 5 (where it is AUTH)'],
    ];
    for (const [name, bytes, summary] of cases) {
      const decoder = new MqttDecoder();
      decoder.decode(binaryFrame(connect4, 'out'));
      expect(decoder.decode(binaryFrame(bytes)), name).toMatchObject({ kind: 'invalid', summary });
      expect(decoder.idle('in'), name).toBe(true);
      // The next message is read as a message of its own, and a close cuts nothing short.
      expect(decoder.decode(binaryFrame(publish))?.summary, name).toBe('PUBLISH sensors/1 QoS 1 12 B id=5');
      expect(decoder.decode(closeFrame()), name).toBeUndefined();
      // fields() reads alike: nothing, and the direction left idle.
      const other = new MqttDecoder();
      expect(other.fields(binaryFrame(bytes)), name).toEqual(decodedFields(null));
      expect(other.idle('in'), name).toBe(true);
    }
  });

  it('an AUTH (type 15) under MQTT 5 is under way until its remaining length arrives', () => {
    const decoder = new MqttDecoder();
    decoder.decode(binaryFrame(mqtt.generate({ cmd: 'connect', clientId: 'c5', protocolVersion: 5, protocolId: 'MQTT', keepalive: 10, clean: true }, v5), 'out'));
    expect(decoder.decode(binaryFrame([0xf0, 0x02, 0x00]))).toMatchObject({ kind: 'partial', summary: 'part of an MQTT AUTH: 1 of the 2 B after its fixed header so far (continues in a later message)' });
    expect(decoder.decode(binaryFrame([0x00]))?.summary).toMatch(/^AUTH/);
  });

  it('gives no fields for a message a packet of which has no topic filter (a field search matches nothing there)', () => {
    const decoder = new MqttDecoder();
    expect(decoder.fields(binaryFrame([0x82, 0x02, 0x00, 0x01]))).toEqual(decoder.fields(binaryFrame([0x00, 0x00])));
    expect(decoder.decode(binaryFrame(publish))).toMatchObject({ kind: 'decoded' });
  });

  const closeFrame = (dir: WireFrame['dir'] = 'in'): WireFrame => ({ seq: 0, dir, opcode: 'close', bytes: Uint8Array.from([0x03, 0xe8]) });
  const textOf = (bytes: Buffer, dir: WireFrame['dir'] = 'in'): WireFrame => ({ ...textFrame('', dir), bytes: Uint8Array.from(bytes) });

  it('a text frame is not valid MQTT over WebSocket (sent in binary frames only), whatever it holds', () => {
    const decoder = new MqttDecoder();
    for (const bytes of [publish, connect4, Buffer.alloc(0), Buffer.from('hello')]) {
      expect(decoder.decode(textOf(bytes))).toEqual({
        kind: 'invalid',
        protocol: 'mqtt',
        summary: 'not valid MQTT: a text frame (MQTT over WebSocket is sent in binary frames only)',
        problem: 'a text frame (MQTT over WebSocket is sent in binary frames only)',
      });
    }
    // A CONNECT in a text frame sets no version.
    decoder.decode(textOf(mqtt.generate({ cmd: 'connect', clientId: 'c5', protocolVersion: 5, protocolId: 'MQTT', keepalive: 10, clean: true }, v5), 'out'));
    expect(decoder.protocolVersion).toBe(4);
    expect(decoder.fields(textOf(publish))).toEqual(decoder.fields(binaryFrame([0x00, 0x00])));
  });

  it('a text frame in the middle of a packet cuts it short, as a broker closes the connection there: the next binary message starts a new packet', () => {
    const decoder = new MqttDecoder();
    decoder.decode(binaryFrame(publish.subarray(0, 9)));
    // The other direction's packet under way is not touched.
    decoder.decode(binaryFrame(publish.subarray(0, 4), 'out'));
    expect(decoder.decode(textOf(publish.subarray(9)))?.summary).toBe('not valid MQTT: a text frame (MQTT over WebSocket is sent in binary frames only), which cuts short the PUBLISH under way in this direction: 7 of the 25 B after its fixed header arrived');
    expect(decoder.idle('in')).toBe(true);
    expect(decoder.idle('out')).toBe(false);
    expect(decoder.decode(binaryFrame(publish))).toMatchObject({ kind: 'decoded', summary: 'PUBLISH sensors/1 QoS 1 12 B id=5' });
    expect(decoder.decode(binaryFrame(publish.subarray(4), 'out'))).toMatchObject({ kind: 'decoded', summary: 'PUBLISH sensors/1 QoS 1 12 B id=5 — before CONNECT: the server closes the connection (MQTT 3.1.1 and 5 §3.1)' });
    // fields() moves the decoder on alike.
    const fielding = new MqttDecoder();
    fielding.fields(binaryFrame(publish.subarray(0, 9)));
    fielding.fields(textOf(publish.subarray(9)));
    expect(fielding.idle('in')).toBe(true);
  });

  it('a close frame in a direction whose packet is under way says it was cut short, and changes nothing; nothing under way: nothing to say', () => {
    const decoder = new MqttDecoder();
    expect(decoder.decode(closeFrame())).toBeUndefined();
    decoder.decode(binaryFrame(publish.subarray(0, 12)));
    const before = JSON.stringify(decoder.snapshot());
    expect(decoder.decode(closeFrame('out'))).toBeUndefined();
    expect(decoder.decode(closeFrame())).toEqual({
      kind: 'invalid',
      protocol: 'mqtt',
      summary: 'not valid MQTT: a close frame, which cuts short the PUBLISH under way in this direction: 10 of the 25 B after its fixed header arrived',
      problem: 'a close frame, which cuts short the PUBLISH under way in this direction: 10 of the 25 B after its fixed header arrived',
    });
    expect(decoder.fields(closeFrame())).toEqual(decoder.fields(binaryFrame([0x00, 0x00], 'out')));
    expect(JSON.stringify(decoder.snapshot())).toBe(before);
    // Pings and pongs say nothing.
    expect(decoder.decode({ ...closeFrame(), opcode: 'ping' })).toBeUndefined();
    // A packet whose remaining length had not ended; another type's name.
    const cut = new MqttDecoder();
    cut.decode(binaryFrame([0x30, 0x80]));
    expect(cut.decode(closeFrame())?.summary).toBe('not valid MQTT: a close frame, which cuts short the PUBLISH under way in this direction: its first 2 B (its type and part of its remaining length) arrived');
    cut.decode(binaryFrame([0xa2, 0x05, 0x00], 'out'));
    expect(cut.decode(closeFrame('out'))?.summary).toBe('not valid MQTT: a close frame, which cuts short the UNSUBSCRIBE under way in this direction: 1 of the 5 B after its fixed header arrived');
  });

  it('starts clean after an invalid packet', () => {
    const decoder = new MqttDecoder();
    expect(decoder.decode(binaryFrame([0x00, 0x00]))?.kind).toBe('invalid');
    expect(decoder.decode(binaryFrame(publish))).toMatchObject({ kind: 'decoded' });
  });
});

describe('MQTT summary sizes', () => {
  it('a large PUBLISH reads its size as the Size column does (20.0 MiB, not 20971520 B)', () => {
    const payload = Buffer.alloc(20 * 1024 * 1024, 0x61);
    const bytes = mqtt.generate({ cmd: 'publish', topic: 'big/1', payload, qos: 0, dup: false, retain: false }, { protocolVersion: 4 });
    expect(new MqttDecoder().decode(binaryFrame(bytes))).toMatchObject({ kind: 'decoded', summary: 'PUBLISH big/1 QoS 0 20.0 MiB' });
    expect(new MqttDecoder().decode(binaryFrame(mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(1536), qos: 0, dup: false, retain: false })))?.summary).toBe('PUBLISH t QoS 0 1.5 KiB');
  });
});
