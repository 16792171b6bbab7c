/**
 * MQTT's probe for a packet's own fields (mqtt-probe.ts, stateful-prefilter.ts mqttFieldValue):
 * `$.cmd`, `$.qos`, `$.retain`, `$.dup`, `$.length` (and `$.payload`) read from the bytes agree
 * with the decoded value: searches count what decoding every frame in order counts on MQTT 3.1.1
 * and 5 streams of every packet kind, flags set and not, several packets in a message, packets
 * split across messages, topic aliases, and packets mqtt-packet refuses. The packet names are
 * mqtt-packet's own.
 */
import { createRequire } from 'node:module';
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { MQTT_PACKET_NAMES } from '../../../src-main/core/decode/stateful-prefilter';
import { parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, pick, seeded, type Message } from './prefilter-harness';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

const QUERIES = ['$.qos > 0', '$.qos == 2', '$.qos != 1', '$.retain', '$.dup == true', "$.cmd == 'puback'", '$.cmd =~ /^pub/', '$.length > 12', '$.length == 2', '$.length == 0', '$.length < 4', "$.qos == 1 && $.payload =~ /x/", '$.packets[1].qos == 1'];

function packetsOf(random: (n: number) => number, version: 4 | 5, i: number): mqtt.Packet {
  const opts = version === 5;
  const qos = random(3) as 0 | 1 | 2;
  switch (random(9)) {
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
        topic: `sensors/${random(4)}`,
        payload: Buffer.from(pick(random, ['x', 'hello', '{"t":1}', 'xx'.repeat(random(20))])),
        qos,
        ...(qos > 0 ? { messageId: 1 + i } : {}),
        retain: random(2) === 0,
        dup: qos > 0 && random(3) === 0,
        ...(opts && random(4) === 0 ? { properties: { topicAlias: 1 + random(3) } } : {}),
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
    // Now and then a packet mqtt-packet refuses: QoS 3, or flags on a PUBACK.
    if (random(15) === 0) bytes.push(Buffer.from(random(2) === 0 ? [0x36, 0x03, 0x00, 0x01, 0x61] : [0x42, 0x02, 0x00, 0x01]));
    const all = Buffer.concat(bytes);
    const cut = random(6) === 0 ? 1 + random(all.length - 1) : all.length;
    messages.push(binary(random(3) === 0 ? 'out' : 'in', all.subarray(0, cut)));
    carried = all.subarray(cut);
  }
  return messages;
}

describe('MQTT probe of a packet’s own fields', () => {
  it('names packets as mqtt-packet does, and is the rule for such a clause', () => {
    const types = (createRequire(import.meta.url)('mqtt-packet/constants.js') as { types: Record<string, string> }).types;
    expect(MQTT_PACKET_NAMES).toEqual(Object.values(types));
    for (const query of ['$.qos > 0', "$.cmd == 'puback'", '$.retain', '$.length > 3']) {
      const rule = queryPrefilter('mqtt', parsed(query), { protobuf: 'none' });
      expect(rule?.kind === 'stateful' ? rule.key : undefined, query).toContain('mqtt probe');
    }
    expect(queryPrefilter('mqtt', parsed('$.messageId > 3'), { protobuf: 'none' })).toBeUndefined();
  });

  it.each([4, 5] as const)('MQTT %s: searches count what decoding every frame in order counts', (version) => {
    const random = seeded(version * 13);
    for (let round = 0; round < 12; round++) {
      const results = compareSearches(stream(random, version), 'mqtt', 'ws://h/mqtt', () => new MqttDecoder(), QUERIES.map((query) => ({ query })));
      for (const { label, expected, got } of results) expect(got, `round ${round} ${label}`).toEqual(expected);
      expect(results.some(({ expected }) => expected.length > 0)).toBe(true);
    }
  });
});
