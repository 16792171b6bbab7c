/**
 * MQTT's probe for a packet's own fields (mqtt-probe.ts, stateful-prefilter.ts mqttFieldValue):
 * `$.cmd`, `$.qos`, `$.retain`, `$.dup`, `$.length` (and `$.payload`) read from the bytes agree
 * with the decoded value: searches count what decoding every frame in order counts on MQTT 3.1.1
 * and 5 streams of every packet kind, flags set and not, several packets in a message, packets
 * split across messages or cut short, text frames (not valid: one mid-packet ends the packet),
 * topic aliases, and packets mqtt-packet refuses; paths going on into JSON
 * text a payload or a topic holds (escapes, nested text, 1e400, broken JSON, scalars, a BOM, bytes
 * and their `length`). The packet names are mqtt-packet's own.
 */
import { createRequire } from 'node:module';
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { MQTT_PACKET_NAMES, mqttFieldPrefilter, type MqttProbedField } from '../../../src-main/core/decode/stateful-prefilter';
import { ABSENT, CONTAINER, UNSURE, type Probed } from '../../../src-main/core/decode/value-probe';
import { parseDecodedQuery, selectPath, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, pick, seeded, type Message } from './prefilter-harness';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

/** Queries going on into JSON text a payload or a topic holds. */
const JSON_TEXT_QUERIES = [
  "$.payload.sym == 'ABC'",
  '$.payload.price > 100',
  '$.payload[1].sym',
  '$.payload.a != 1',
  '$.payload.s.sym',
  '$.payload.length > 3',
  '$.payload.length.x',
  '$.topic[0] == 1',
  '$.topic.a != 2',
  '$.qos.x',
  '$.payload.price > 100 && $.qos > 0',
  '$.payload.price != 120',
  '$.payload =~ /^\\ufeff\\{"price":140/',
];

/**
 * Payloads holding JSON text (or text that only looks like it): escapes, JSON text inside a
 * string of it, 1e400, whitespace first, broken JSON, JSON scalars, bytes that are not UTF-8.
 */
const JSON_PAYLOADS: readonly (string | readonly number[])[] = [
  '{"sym":"ABC","price":120}',
  ' \n[1,{"sym":"XYZ"}]',
  '{"sym":"AB\\u0043","price":99}',
  '{"price":1e400,"a":1}',
  '{"s":"{\\"sym\\":\\"ABC\\"}"}',
  '{"a":1',
  '{"a":1} x',
  '"x"',
  '7',
  '{"length":9,"price":101}',
  '{"pr\\u0069ce":300}',
  '\ufeff{"price":130}',
  [0xff, 0x7b, 0x7d, 0x20, 0x31],
  // Valid UTF-8 holding U+FFFD: the decoder reads it strictly, keeping the byte-order mark as
  // mqttFieldValue's text does (json-value.ts textOrBytes; it dropped the mark before).
  '\ufeff{"price":140,"x":"\ufffd"}',
];

const QUERIES = ['$.reasonCode > 0', '$.reasonCode == 0', '$.returnCode != 0', '$.returnCode', '$.payload == null', '$.payload != null', '$.payload', '$.messageId > 20', '$.messageId == 7', '$.messageId != 9', '$.messageId', '$.messageId < 0', "$.topic =~ /1/", "$.topic != 'sensors/1'", '$.topic == null', "$.topic == ''", '$.topic', "$.cmd == 'publish' && $.messageId > 10", '$.qos > 0', '$.qos == 2', '$.qos != 1', '$.retain', '$.dup == true', "$.cmd == 'puback'", '$.cmd =~ /^pub/', '$.length > 12', '$.length == 2', '$.length == 0', '$.length < 4', "$.qos == 1 && $.payload =~ /x/", '$.packets[1].qos == 1', '$.packets', '$.packets[0]', '$.continues == true', '$.continues', ...JSON_TEXT_QUERIES];

/** Packets mqtt-packet refuses: QoS 3, flags on a PUBACK. */
const REFUSED: readonly (readonly number[])[] = [
  [0x36, 0x03, 0x00, 0x01, 0x61],
  [0x42, 0x02, 0x00, 0x01],
];

/**
 * Packets it takes but reads oddly: a CONNACK without its flags or code, an empty DISCONNECT or
 * AUTH, a PUBACK with a code, a PUBACK of length 0 or 1 and a QoS 1 PUBLISH without room for its
 * id (messageId -1), a topic of bad UTF-8 (read as U+FFFD), an empty topic, a SUBACK of
 * length 2 (no codes).
 */
const ODD: readonly (readonly number[])[] = [
  [0x20, 0x00],
  [0x20, 0x01, 0x01],
  [0xe0, 0x00],
  [0xf0, 0x00],
  [0x40, 0x03, 0x00, 0x01, 0x10],
  [0x40, 0x00],
  [0x40, 0x01, 0x05],
  [0x32, 0x03, 0x00, 0x01, 0x61],
  [0x30, 0x05, 0x00, 0x02, 0xc3, 0x28, 0x31],
  [0x30, 0x03, 0x00, 0x00, 0x31],
  [0x90, 0x02, 0x00, 0x09],
];

function packetsOf(random: (n: number) => number, version: 4 | 5, i: number): mqtt.Packet {
  const opts = version === 5;
  const qos = random(3) as 0 | 1 | 2;
  switch (random(12)) {
    case 9:
      return { cmd: pick(random, ['pubrec', 'pubcomp', 'puback'] as const), messageId: 1 + i, ...(opts && random(2) === 0 ? { reasonCode: pick(random, [0, 0x10, 0x80]) } : {}) };
    case 10:
      return { cmd: 'unsuback', messageId: 1 + i, granted: opts ? [0] : [] };
    case 11:
      if (opts && random(4) === 0) return { cmd: 'auth', reasonCode: pick(random, [0, 0x18]) };
      return random(2) === 0 ? { cmd: 'disconnect', ...(opts ? { reasonCode: pick(random, [0, 4]) } : {}) } : { cmd: 'connack', sessionPresent: random(2) === 0, ...(opts ? { reasonCode: pick(random, [0, 0x87]) } : { returnCode: random(3) }) };
    case 0:
      return { cmd: 'puback', messageId: 1 + i, ...(opts ? { reasonCode: 0 } : {}) };
    case 1:
      return { cmd: 'subscribe', messageId: 1 + i, subscriptions: [{ topic: `a/${i}`, qos }] };
    case 2:
      return { cmd: 'suback', messageId: 1 + i, granted: [qos] };
    case 3:
      return { cmd: 'pingreq' };
    case 4:
      return { cmd: 'pubrel', messageId: 1 + i };
    case 5:
      return { cmd: 'unsubscribe', messageId: 1 + i, unsubscriptions: [`a/${i}`] };
    default:
      return {
        cmd: 'publish',
        // Under MQTT 5 now and then an empty topic, standing for an alias's (when one was set).
        topic: opts && random(5) === 0 ? '' : random(6) === 0 ? pick(random, ['[1,2]', ' {"a":2}', '[0]']) : `sensors/${random(4)}`,
        payload: Buffer.from(random(2) === 0 ? pick(random, JSON_PAYLOADS) : pick(random, ['x', 'hello', '{"t":1}', 'xx'.repeat(random(20))])),
        qos,
        ...(qos > 0 ? { messageId: 1 + i } : {}),
        retain: random(2) === 0,
        dup: qos > 0 && random(3) === 0,
        ...(opts && random(3) === 0 ? { properties: { topicAlias: 1 + random(3) } } : {}),
      };
  }
}

function stream(random: (n: number) => number, version: 4 | 5): Message[] {
  const messages: Message[] = [binary('out', mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: 'c', clean: true, keepalive: 5 }, { protocolVersion: version }))];
  let carried: Buffer = Buffer.alloc(0);
  for (let i = 0; i < 40; i++) {
    const count = random(5) === 0 ? 2 : 1;
    const bytes: Buffer[] = [carried];
    for (let k = 0; k < count; k++) bytes.push(mqtt.generate(packetsOf(random, version, i * 2 + k), { protocolVersion: version }));
    // Now and then a packet mqtt-packet refuses (QoS 3, flags on a PUBACK), or one it reads oddly.
    if (random(15) === 0) bytes.push(Buffer.from(pick(random, REFUSED)));
    if (random(8) === 0) bytes.push(Buffer.from(pick(random, ODD)));
    const all = Buffer.concat(bytes);
    const cut = random(6) === 0 ? 1 + random(all.length - 1) : all.length;
    const dir = random(3) === 0 ? 'out' : 'in';
    // A tenth in text frames (not valid MQTT over WebSocket; one mid-packet ends that packet).
    messages.push({ dir, opcode: random(10) === 0 ? 'text' : 'binary', bytes: Buffer.from(all.subarray(0, cut)) });
    carried = all.subarray(cut);
    // Now and then an empty binary message: alone (no packet), or in the middle of a packet under way.
    if (random(7) === 0) messages.push(binary(dir, []));
    if (carried.length > 0 && random(4) === 0) {
      // Cut short: the rest never comes, or comes in a text frame of that direction.
      if (random(2) === 0) messages.push({ dir, opcode: 'text', bytes: Buffer.from(carried) });
      carried = Buffer.alloc(0);
    }
  }
  return messages;
}

describe('MQTT probe of a packet’s own fields', () => {
  it('names packets as mqtt-packet does, and is the rule for such a clause', () => {
    const types = (createRequire(import.meta.url)('mqtt-packet/constants.js') as { types: Record<string, string> }).types;
    expect(MQTT_PACKET_NAMES).toEqual(Object.values(types));
    for (const query of ['$.qos > 0', "$.cmd == 'puback'", '$.retain', '$.length > 3', '$.messageId > 999990', '$.topic =~ /temp$/', "$.topic != 'a'", '$.reasonCode > 0', '$.returnCode != 0', '$.payload.price > 100', '$.payload.a != 1', '$.topic[0]']) {
      const rule = queryPrefilter('mqtt', parsed(query), { protobuf: 'none' });
      expect(rule?.kind === 'stateful' ? rule.key : undefined, query).toContain('mqtt probe');
    }
    // A name no packet the proof reads has: not the probe, the proof's reading's rule-out (mqtt-match-proof.ts).
    const other = queryPrefilter('mqtt', parsed('$.clientId =~ /x/'), { protobuf: 'none' });
    expect(other?.kind === 'stateful' ? other.key : undefined).toMatch(/^mqtt refutation/);
    // `[*]` under a field: not the probe.
    const any = queryPrefilter('mqtt', parsed('$.payload[*] > 1'), { protobuf: 'none' });
    expect(any?.kind === 'stateful' ? any.key : '').not.toContain('mqtt probe');
  });

  it.each([4, 5] as const)('MQTT %s: searches count what decoding every frame in order counts, in a live session and one that ended', (version) => {
    const random = seeded(version * 13);
    let endedDiffer = 0;
    for (let round = 0; round < 12; round++) {
      const messages = stream(random, version);
      // Ended or not: the last message of a direction leaving a packet under way answers "so far" or "never came".
      for (const ended of [false, true]) {
        const results = compareSearches(messages, 'mqtt', 'ws://h/mqtt', () => new MqttDecoder(), QUERIES.map((query) => ({ query })), undefined, undefined, ended);
        for (const { label, expected, got } of results) expect(got, `round ${round}${ended ? ' ended' : ''} ${label}`).toEqual(expected);
        expect(results.some(({ expected }) => expected.length > 0)).toBe(true);
      }
      const live = compareSearches(messages, 'mqtt', 'ws://h/mqtt', () => new MqttDecoder(), [{ query: '$.continues == true' }]);
      const ended = compareSearches(messages, 'mqtt', 'ws://h/mqtt', () => new MqttDecoder(), [{ query: '$.continues == true' }], undefined, undefined, true);
      if (JSON.stringify(live[0]?.expected) !== JSON.stringify(ended[0]?.expected)) endedDiffer++;
    }
    // Some streams end with part of a packet in a direction: the end changes what matches there.
    expect(endedDiffer).toBeGreaterThan(0);
  });

  it.each([4, 5] as const)('MQTT %s: PUBLISH payloads and topics holding JSON text, searched as decoding every frame in order', (version) => {
    const random = seeded(version * 17);
    const messages: Message[] = [binary('out', mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: 'c', clean: true, keepalive: 5 }, { protocolVersion: version }))];
    for (let i = 0; i < 300; i++) {
      const qos = random(2) as 0 | 1;
      const payload = pick(random, JSON_PAYLOADS);
      const packet: mqtt.Packet = {
        cmd: 'publish',
        topic: random(4) === 0 ? pick(random, ['[1,2]', ' {"a":2}', '[0]', '{"a":1}']) : `sensors/${random(4)}`,
        payload: typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload),
        qos,
        ...(qos > 0 ? { messageId: 1 + i } : {}),
        retain: false,
        dup: false,
      };
      messages.push(binary('in', mqtt.generate(packet, { protocolVersion: version })));
    }
    const results = compareSearches(messages, 'mqtt', 'ws://h/mqtt', () => new MqttDecoder(), JSON_TEXT_QUERIES.map((query) => ({ query })));
    for (const { label, expected, got } of results) expect(got, label).toEqual(expected);
    // Each finds something (but those under a number), and none finds everything but the `!=` ones.
    JSON_TEXT_QUERIES.forEach((query, k) => {
      const found = results[k]?.expected.length ?? 0;
      if (query === '$.qos.x' || query === '$.payload.length.x') expect(found, query).toBe(0);
      else expect(found, query).toBeGreaterThan(0);
      if (!query.includes('!=')) expect(found, query).toBeLessThan(200);
    });
  });
});

/** What the probe reads of each field in a message taken alone by a decoder that has read `before`. */
function probed(before: readonly Buffer[], message: Buffer, fields: readonly MqttProbedField[]): Map<MqttProbedField, Probed> | undefined {
  const decoder = new MqttDecoder();
  for (const bytes of before) decoder.decode({ seq: 0, dir: 'in', opcode: 'binary', bytes });
  const reads = new Map<MqttProbedField, Probed>();
  const rule = mqttFieldPrefilter('test', (read) => {
    for (const field of fields) reads.set(field, read(field));
    return false;
  });
  rule.passable(decoder, message, 0, message.length, 'binary', 'in');
  return reads.size > 0 ? reads : undefined;
}

describe('MQTT probe: each field read from one packet is what the decoded value holds there', () => {
  const FIELDS: readonly MqttProbedField[] = ['payload', 'cmd', 'qos', 'retain', 'dup', 'length', 'messageId', 'topic', 'reasonCode', 'returnCode'];

  function expectAsDecoded(version: 4 | 5, before: readonly Buffer[], message: Buffer): number {
    const reads = probed(before, message, FIELDS);
    if (!reads) return 0;
    const decoder = new MqttDecoder();
    for (const bytes of before) decoder.decode({ seq: 0, dir: 'in', opcode: 'binary', bytes });
    const outcome = decoder.decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: message });
    if (!outcome || outcome.kind !== 'decoded') return 0; // not valid: any answer is right
    let sure = 0;
    for (const [field, found] of reads) {
      if (found === UNSURE) continue;
      sure++;
      const selected = selectPath(outcome.value, [{ kind: 'key', name: field }]);
      const label = `MQTT ${version} ${field} of ${message.toString('hex')}`;
      if (found === ABSENT) expect(selected, label).toEqual([]);
      else if (found === CONTAINER) expect(typeof selected[0], label).toBe('object');
      else expect(selected, label).toEqual([found]);
    }
    return sure;
  }

  it.each([4, 5] as const)('MQTT %s: generated packets, the odd ones and every cut of them', (version) => {
    const random = seeded(version * 71);
    const connect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: 'c', clean: true, keepalive: 5 }, { protocolVersion: version });
    // Under MQTT 5, alias 1 stands for a topic in the direction read.
    const alias = mqtt.generate({ cmd: 'publish', topic: 'set/by/alias', payload: Buffer.from('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 1 } }, { protocolVersion: 5 });
    const before = version === 5 ? [connect, alias] : [connect];
    let sure = 0;
    for (let i = 0; i < 400; i++) {
      const packet = mqtt.generate(packetsOf(random, version, random(70_000)), { protocolVersion: version });
      sure += expectAsDecoded(version, before, packet);
      // Cut short, or with more after it: not one whole packet.
      sure += expectAsDecoded(version, before, packet.subarray(0, random(packet.length)));
      sure += expectAsDecoded(version, before, Buffer.concat([packet, packet.subarray(0, 1 + random(packet.length))]));
    }
    for (const bytes of [...ODD, ...REFUSED]) sure += expectAsDecoded(version, before, Buffer.from(bytes));
    expect(sure).toBeGreaterThan(2000);
  });

  it('reads the packet id where mqtt-packet does, and no topic but a PUBLISH’s', () => {
    const read = (bytes: readonly number[]) => probed([], Buffer.from(bytes), ['messageId', 'topic']);
    expect(read([0x40, 0x02, 0x01, 0x02])).toEqual(new Map<string, Probed>([['messageId', 0x102], ['topic', ABSENT]]));
    expect(read([0x32, 0x05, 0x00, 0x01, 0x61, 0x00, 0x07])).toEqual(new Map<string, Probed>([['messageId', 7], ['topic', 'a']]));
    expect(read([0x30, 0x04, 0x00, 0x01, 0x61, 0x78])).toEqual(new Map<string, Probed>([['messageId', ABSENT], ['topic', 'a']]));
    expect(read([0xc0, 0x00])).toEqual(new Map<string, Probed>([['messageId', ABSENT], ['topic', ABSENT]]));
    // Too short for an id: mqtt-packet reads -1 and takes the packet; the probe leaves it to the decoder.
    expect(read([0x40, 0x00])?.get('messageId')).toBe(UNSURE);
    expect(read([0x32, 0x03, 0x00, 0x01, 0x61])?.get('messageId')).toBe(UNSURE);
    // Two packets, or one cut short: nothing read as one packet's.
    expect(read([0x40, 0x02, 0x00, 0x01, 0x40, 0x02, 0x00, 0x02])?.get('messageId')).toBe(ABSENT);
    expect(read([0x40, 0x02, 0x00])).toBeUndefined();
  });
});
