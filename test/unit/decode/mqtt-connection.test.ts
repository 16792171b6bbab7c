/**
 * mqtt-connection.ts through mqtt-decoder.ts: a client packet before its CONNECT, or a second
 * CONNECT, is one an MQTT server closes the connection for ([MQTT-3.1.0-1], [MQTT-3.1.0-2]): the
 * summary says so (QA: a SUBSCRIBE sent first read as a plain "SUBSCRIBE a/b QoS 0 id=1"), the
 * value and fields stay the bytes'. Per connection: a reconnect's attempt starts afresh, and a
 * checkpoint (snapshot) carries whether the CONNECT came. And a CONNACK's refusal in words.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { AttemptBoundaries } from '../../../src-main/core/decode/attempt-boundaries';
import { DecoderCheckpoints } from '../../../src-main/core/decode/decoder-checkpoints';
import { FrameDecodeCache } from '../../../src-main/core/decode/frame-decode-cache';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { storeFrameReader } from '../../../src-main/core/decode/store-frame-reader';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { binaryFrame } from './wire';

const v4 = { protocolVersion: 4 } as const;
const v5 = { protocolVersion: 5 } as const;
const connect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 30 }, v4);
const subscribe = mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/b', qos: 0 }] }, v4);
const connack = mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }, v4);
const BEFORE = ' — before CONNECT: the server closes the connection (MQTT 3.1.1 and 5 §3.1)';
const SECOND = ' — a second CONNECT: the server closes the connection (MQTT 3.1.1 and 5 §3.1)';

describe('MQTT: the client CONNECTs first, and once', () => {
  it("QA's repro: a SUBSCRIBE first says the server closes the connection; after the CONNECT it does not; a second CONNECT does", () => {
    const decoder = new MqttDecoder();
    const first = decoder.decode(binaryFrame(subscribe, 'out'));
    expect(first).toMatchObject({ kind: 'decoded', summary: `SUBSCRIBE a/b QoS 0 id=1${BEFORE}` });
    // The value is the bytes' alone (searches read it).
    const connected = new MqttDecoder();
    connected.decode(binaryFrame(connect, 'out'));
    const plain = connected.decode(binaryFrame(subscribe, 'out'));
    expect(first?.kind === 'decoded' && plain?.kind === 'decoded' ? [first.value, plain.value] : undefined).toEqual([plain?.kind === 'decoded' ? plain.value : null, expect.objectContaining({ cmd: 'subscribe' })]);
    expect(new MqttDecoder().fields(binaryFrame(subscribe, 'out'))).toEqual(connected.fields(binaryFrame(subscribe, 'out')));
    expect(decoder.decode(binaryFrame(connect, 'out'))?.summary).toBe('CONNECT client=c MQTT 3.1.1 keepalive 30 clean');
    expect(decoder.decode(binaryFrame(connack, 'in'))?.summary).toBe('CONNACK rc=0');
    expect(decoder.decode(binaryFrame(subscribe, 'out'))?.summary).toBe('SUBSCRIBE a/b QoS 0 id=1');
    expect(decoder.decode(binaryFrame(connect, 'out'))?.summary).toBe(`CONNECT client=c MQTT 3.1.1 keepalive 30 clean${SECOND}`);
  });

  it("the server's packets are never noted; packets sharing a message are noted one by one", () => {
    const decoder = new MqttDecoder();
    expect(decoder.decode(binaryFrame(connack, 'in'))?.summary).toBe('CONNACK rc=0');
    expect(decoder.decode(binaryFrame(Buffer.concat([subscribe, connect, connect]), 'out'))?.summary).toBe(
      `3 packets: SUBSCRIBE a/b QoS 0 id=1${BEFORE} · CONNECT client=c MQTT 3.1.1 keepalive 30 clean · CONNECT client=c MQTT 3.1.1 keepalive 30 clean${SECOND}`,
    );
  });

  it('fields() moves the decoder on alike (a search walk reading fields, then rows from its checkpoints)', () => {
    const decoder = new MqttDecoder();
    decoder.fields(binaryFrame(connect, 'out'));
    expect(decoder.decode(binaryFrame(connect, 'out'))?.summary).toBe(`CONNECT client=c MQTT 3.1.1 keepalive 30 clean${SECOND}`);
  });

  it('a snapshot carries whether the CONNECT came', () => {
    const before = new MqttDecoder();
    const fresh = before.snapshot();
    before.decode(binaryFrame(connect, 'out'));
    const after = before.snapshot();
    if (!fresh || !after) throw new Error('no snapshot');
    const a = new MqttDecoder();
    a.restore(after);
    expect(a.decode(binaryFrame(subscribe, 'out'))?.summary).toBe('SUBSCRIBE a/b QoS 0 id=1');
    const b = new MqttDecoder();
    b.decode(binaryFrame(connect, 'out'));
    b.restore(fresh);
    expect(b.decode(binaryFrame(subscribe, 'out'))?.summary).toBe(`SUBSCRIBE a/b QoS 0 id=1${BEFORE}`);
  });

  it('per attempt: after a reconnect the CONNECT is not a second one, and a SUBSCRIBE before it is noted, from checkpoints too', () => {
    const store = new FrameStore();
    // Attempt 1: CONNECT, CONNACK, SUBSCRIBE. Attempt 2 (after 3): SUBSCRIBE, CONNECT, CONNACK, SUBSCRIBE.
    for (const [dir, bytes] of [['out', connect], ['in', connack], ['out', subscribe], ['out', subscribe], ['out', connect], ['in', connack], ['out', subscribe]] as const) store.push(dir, 'binary', bytes);
    const expected = [
      'CONNECT client=c MQTT 3.1.1 keepalive 30 clean',
      'CONNACK rc=0',
      'SUBSCRIBE a/b QoS 0 id=1',
      `SUBSCRIBE a/b QoS 0 id=1${BEFORE}`,
      'CONNECT client=c MQTT 3.1.1 keepalive 30 clean',
      'CONNACK rc=0',
      'SUBSCRIBE a/b QoS 0 id=1',
    ];
    const checkpoints = new DecoderCheckpoints(() => store.firstSeq, 1);
    const first = new FrameDecodeCache(() => new MqttDecoder(), storeFrameReader(store), 100, undefined, () => store.firstSeq, checkpoints, AttemptBoundaries.of([3]));
    expect([1, 2, 3, 4, 5, 6, 7].map((seq) => first.decodeAt(seq)?.summary)).toEqual(expected);
    // One answer kept: every frame is decoded again from a checkpoint (one a frame).
    const second = new FrameDecodeCache(() => new MqttDecoder(), storeFrameReader(store), 1, undefined, () => store.firstSeq, checkpoints, AttemptBoundaries.of([3]));
    expect([7, 3, 4, 6, 2, 5, 1].map((seq) => second.decodeAt(seq)?.summary)).toEqual([7, 3, 4, 6, 2, 5, 1].map((seq) => expected[seq - 1]));
    store.release();
  });
});

describe('MQTT: a CONNACK in words', () => {
  const connack4 = (returnCode: number, sessionPresent = false): string | undefined => new MqttDecoder().decode(binaryFrame(mqtt.generate({ cmd: 'connack', returnCode, sessionPresent }, v4), 'in'))?.summary;
  const connack5 = (reasonCode: number): string | undefined => {
    const decoder = new MqttDecoder();
    decoder.decode(binaryFrame(mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 30 }, v5), 'out'));
    return decoder.decode(binaryFrame(mqtt.generate({ cmd: 'connack', reasonCode, sessionPresent: false }, v5), 'in'))?.summary;
  };

  it('MQTT 3.1.1: accepted as before, each refusal by its meaning (§3.2.2.3), a reserved code said so', () => {
    expect(connack4(0)).toBe('CONNACK rc=0');
    expect(connack4(0, true)).toBe('CONNACK rc=0 session present');
    expect([1, 2, 3, 4, 5].map((rc) => connack4(rc))).toEqual([
      'CONNACK refused: unacceptable protocol version (rc=1)',
      'CONNACK refused: identifier rejected (rc=2)',
      'CONNACK refused: server unavailable (rc=3)',
      'CONNACK refused: bad user name or password (rc=4)',
      'CONNACK refused: not authorized (rc=5)',
    ]);
    expect(connack4(6)).toBe('CONNACK refused: a return code MQTT 3.1.1 reserves (rc=6)');
  });

  it('MQTT 5: success as before, the reason codes 0x80–0x9F by their meaning (§3.2.2.2)', () => {
    expect(connack5(0)).toBe('CONNACK reason 0');
    expect(connack5(0x86)).toBe('CONNACK refused: bad user name or password (reason 0x86)');
    expect(connack5(0x80)).toBe('CONNACK refused: unspecified error (reason 0x80)');
    expect(connack5(0x84)).toBe('CONNACK refused: unsupported protocol version (reason 0x84)');
    expect(connack5(0x9f)).toBe('CONNACK refused: connection rate exceeded (reason 0x9f)');
  });
});
