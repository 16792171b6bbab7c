/**
 * The key a query's path needs as a prefilter (query-keys.ts, stateful-prefilter.ts): which
 * queries get one, and on crafted GraphQL, Socket.IO and MQTT 5 streams (escaped keys, binary
 * events, packets split or sharing a message, the decoder's own keys) every query search finds
 * what decoding every frame in order finds.
 */
import { createRequire } from 'node:module';
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src-main/core/decode/json-value';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { DECODER_WRITTEN_KEYS, neededMessageKeys, queryKeyPrefilter } from '../../../src-main/core/decode/query-keys';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import { MQTT_PROPERTY_TYPES } from '../../../src-main/core/decode/stateful-prefilter';
import type { DecoderName, StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import { parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, pick, seeded, text, type Message } from './prefilter-harness';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

function expectAgreement(messages: readonly Message[], choice: DecoderName, url: string, make: () => StreamDecoder, queries: readonly string[]): void {
  for (const { label, expected, got } of compareSearches(messages, choice, url, make, queries.map((query) => ({ query })))) {
    expect(got, label).toEqual(expected);
  }
}

describe('which queries get a key rule', () => {
  it.each([
    ['graphql-ws', '$.nothing > 1', ['nothing'], 'probe'],
    ['graphql-ws', '$.payload.data.price > 100', ['price', 'data', 'payload'], 'probe'],
    ['graphql-ws', '$.payload.data.price != 100', [], 'probe'],
    ['graphql-ws', '$.operation.name > 1', [], 'none'],
    ['graphql-ws', '$.payload[0].x > 1', ['x', 'payload'], 'probe'],
    ['graphql-ws', '$.payload.data.prices[0].price > 9990', ['price', 'prices', 'data', 'payload'], 'probe'],
    ['graphql-ws', '$[*].name && $.a.b', ['b', 'a'], 'probe'],
    ['graphql-ws', '$[*].name && $.payload.$x > 1', ['$x', 'payload'], 'key'],
    ['socketio', '$.args[0].room =~ /r/', ['room'], 'probe'],
    ['socketio', '$.data.room =~ /r/', ['room'], 'probe'],
    ['socketio', '$.nsp && $.handshake.sid', ['sid'], 'probe'],
    ['socketio', '$.args[0].room != 1', [], 'probe'],
    ['socketio', '$.data.room != 1', [], 'probe'],
    ['socketio', '$.args[1][0].x > 1', ['x'], 'probe'],
    ['socketio', '$.args[0][*].x > 1', ['x'], 'key'],
    ['socketio', '$.nsp.x > 1', ['x'], 'probe'],
    ['socketio', '$.nsp != 1', [], 'probe'],
    ['socketio', '$[*].x > 1', ['x'], 'key'],
    ['socketio', '$[*] != 1', [], 'none'],
    ['mqtt', '$.properties.userProperties.src', ['src'], 'key and refutation'],
    ['mqtt', '$.qos > 0 && $.properties.topicAlias', [], 'probe'],
    ['mqtt', '$.messageId > 0 && $.properties.topicAlias', [], 'probe'],
    ['mqtt', '$.clientId =~ /c/ && $.properties.topicAlias', [], 'refutation'],
  ] as const)('%s %s needs %j (%s)', (protocol, query, keys, rule) => {
    const written = DECODER_WRITTEN_KEYS[protocol === 'graphql-ws' ? 'graphql-ws' : protocol];
    expect(neededMessageKeys(parsed(query), written)).toEqual(keys);
    const made = queryKeyPrefilter(protocol, parsed(query));
    // MQTT's proof reading rules out single packets too (mqtt-match-proof.ts mqttRefutation), beside a key rule or alone.
    const refutes = made?.key.includes('mqtt refutation') === true;
    expect(made === undefined ? 'none' : made.key.includes('probe') ? 'probe' : made.key.startsWith('mqtt refutation') ? 'refutation' : refutes ? 'key and refutation' : 'key').toBe(rule);
  });

  it('through queryPrefilter; none for other protocols, for keys JSON escapes, or an empty key', () => {
    for (const protocol of ['graphql-ws', 'socketio', 'mqtt'] as const) expect(queryPrefilter(protocol, parsed('$.nothing > 1'), { protobuf: 'none' })?.kind).toBe('stateful');
    expect(queryKeyPrefilter('stomp', parsed('$.nothing > 1'))).toBeUndefined();
    expect(queryKeyPrefilter('graphql-ws', parsed(`$[*]['a"b'] > 1`))).toBeUndefined();
    expect(queryKeyPrefilter('socketio', parsed(`$[*]['a"b'] > 1`))).toBeUndefined();
    expect(queryKeyPrefilter('socketio', parsed(`$[*]['tab\tkey'] > 1`))).toBeUndefined();
    expect(queryKeyPrefilter('socketio', parsed(`$[*][''] > 1`))).toBeUndefined();
    // A top-level name a Socket.IO text message's value lacks: the probe (nothing there).
    expect(queryKeyPrefilter('socketio', parsed(`$['tab\tkey'] > 1`))?.key).toMatch(/^socketio probe/);
    // No key rule for MQTT there: the proof's reading's rule-out alone.
    expect(queryKeyPrefilter('mqtt', parsed(`$['\ufffd'] > 1`))?.key).toMatch(/^mqtt refutation/);
    // A later name the rule can use is taken when the first cannot.
    expect(queryKeyPrefilter('graphql-ws', parsed(`$[*].ok['a"b'] > 1`))?.key).toBe('graphql-ws string\u0000ok');
    expect(queryKeyPrefilter('socketio', parsed(`$[*].ok['a"b'] > 1`))?.key).toBe('socketio key\u0000ok');
    // A name JSON escapes is no key of a message without a backslash: the probes take it (ABSENT there).
    expect(queryKeyPrefilter('socketio', parsed(`$.data['a"b'] > 1`))?.key).toMatch(/^socketio probe/);
  });
});

/** Every key of a value but those under userProperties (named by the packet's bytes). */
function keysOf(value: JsonValue, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.add(key);
      if (key !== 'userProperties') keysOf(item, into);
    }
  }
  return into;
}

describe("MQTT's written keys", () => {
  it("hold mqtt-packet's property names and every key of decoded packets of each kind", () => {
    const constants = createRequire(import.meta.url)('mqtt-packet/constants.js') as { propertiesCodes: Record<string, string> };
    for (const name of Object.values(constants.propertiesCodes)) expect(DECODER_WRITTEN_KEYS.mqtt.has(name), name).toBe(true);
    const v5 = { protocolVersion: 5 };
    const user = { userProperties: { u: 'v' } };
    const packets: mqtt.Packet[] = [
      { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 5, username: 'u', password: Buffer.from('p'), will: { topic: 'w', payload: Buffer.from('x'), qos: 1, retain: true, properties: { willDelayInterval: 1, contentType: 't', ...user } }, properties: { sessionExpiryInterval: 1, receiveMaximum: 5, maximumPacketSize: 100, topicAliasMaximum: 3, requestResponseInformation: true, requestProblemInformation: true, authenticationMethod: 'm', authenticationData: Buffer.from('d'), ...user } },
      { cmd: 'connack', sessionPresent: true, reasonCode: 0, properties: { assignedClientIdentifier: 'a', serverKeepAlive: 3, responseInformation: 'r', serverReference: 's', reasonString: 'ok', maximumQoS: 1, retainAvailable: true, wildcardSubscriptionAvailable: true, subscriptionIdentifiersAvailable: true, sharedSubscriptionAvailable: true, ...user } },
      { cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 1, messageId: 2, retain: false, dup: true, properties: { payloadFormatIndicator: true, messageExpiryInterval: 4, topicAlias: 1, responseTopic: 'r', correlationData: Buffer.from('c'), subscriptionIdentifier: 5, contentType: 'c', ...user } },
      { cmd: 'puback', messageId: 2, reasonCode: 16, properties: { reasonString: 'r', ...user } },
      { cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'a/#', qos: 1, nl: true, rap: true, rh: 1 }], properties: { subscriptionIdentifier: 7, ...user } },
      { cmd: 'suback', messageId: 3, granted: [1, 0x80], properties: { reasonString: 'r', ...user } },
      { cmd: 'unsubscribe', messageId: 4, unsubscriptions: ['a/#'], properties: user },
      { cmd: 'unsuback', messageId: 4, granted: [0], properties: { reasonString: 'r', ...user } },
      { cmd: 'pingreq' },
      { cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 1, reasonString: 'r', serverReference: 's', ...user } },
      { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'm', authenticationData: Buffer.from('d'), reasonString: 'r', ...user } },
    ] as mqtt.Packet[];
    const decoder = new MqttDecoder();
    const keys = new Set<string>();
    for (const packet of packets) {
      const outcome = decoder.decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: new Uint8Array(mqtt.generate(packet, v5)) });
      expect(outcome?.kind, packet.cmd).toBe('decoded');
      if (outcome?.kind === 'decoded') keysOf(outcome.value, keys);
    }
    const cut = mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, retain: false, dup: false }, v5);
    const partial = decoder.decode({ seq: 2, dir: 'in', opcode: 'binary', bytes: new Uint8Array(cut.subarray(0, 3)) });
    if (partial) keysOf(partial.kind === 'invalid' ? null : partial.value, keys);
    const two = decoder.decode({ seq: 3, dir: 'out', opcode: 'binary', bytes: new Uint8Array(Buffer.concat([cut, cut])) });
    if (two) keysOf(two.kind === 'invalid' ? null : two.value, keys);
    const outside = [...keys].filter((key) => !DECODER_WRITTEN_KEYS.mqtt.has(key));
    expect(outside).toEqual([]);
    expect(keys.has('continues') && keys.has('packets') && keys.has('rh') && keys.has('will')).toBe(true);
  });
});

describe('query searches with a key rule find what decoding every frame in order finds', () => {
  it('GraphQL over WebSocket: escaped keys, keys as values, the decoder-added operation, binary and state messages', () => {
    const next = (id: string, data: string): Message => text('in', `{"id":"${id}","type":"next","payload":{"data":${data}}}`);
    const messages: Message[] = [
      text('out', '{"type":"connection_init"}'),
      text('in', '{"type":"connection_ack"}'),
      text('out', '{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { price }"}}'),
      next('1', '{"price":5}'),
      next('1', '{"other":1}'),
      next('1', '{"pr\\u0069ce":7}'),
      next('1', '{"k":"price","n":"nothing"}'),
      next('2', '{"price":9,"nothing":2}'),
      next('1', '{"deep":{"nothing":3}}'),
      binary('in', Buffer.from('{"id":"1","type":"next","payload":{"data":{"price":1}}}')),
      text('in', '{"id":"1","type":"complete"}'),
      next('1', '{"price":6}'),
      text('out', '{"id":"1","type":"subscribe","payload":{"query":"query Q { price }"}}'),
      next('1', '{"price":8,"caf\u00e9":1}'),
      next('3', '{"price":"x"}'),
    ];
    const queries = ['$.payload.data.price > 1', '$.nothing > 1', '$.payload.data.nothing', '$..x', '$.payload.data.price != 5', '$[*].name', '$.operation', '$.operation.type', "$.payload.data['caf\u00e9']", '$.payload.data.price && $.payload.data.nothing', '$.payload.data.deep.nothing'];
    expectAgreement(messages, 'graphql-ws', 'ws://h/graphql', () => new GraphqlWsDecoder(), queries.filter((q) => parseDecodedQuery(q).ok));
  });

  it('GraphQL probe: values followed in the JSON (duplicates, 1e400, deep nesting, bad UTF-8, escapes, broken JSON) and the operations a subscribe sets', () => {
    const next = (id: string, data: string): Message => text('in', `{"id":"${id}","type":"next","payload":{"data":${data}}}`);
    const raw = (bytes: Buffer): Message => ({ dir: 'in', opcode: 'text', bytes });
    const messages: Message[] = [
      text('out', '{"type":"connection_init"}'),
      next('1', '{"price":5}'),
      text('out', '{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { price }"}}'),
      next('1', '{"price":5}'),
      next('1', '{"price":9,"s":"xy","n":null}'),
      next('1', '{"price":1,"price":9}'),
      next('1', '{"price":9,"price":1}'),
      next('1', '{"price":-0,"big":1e400,"e":5e0}'),
      next('1', `{"price":7,"deep":${'['.repeat(70)}1${']'.repeat(70)}}`),
      next('1', '{"pr\u0069ce":8,"s":"x\u0079"}'),
      next('1', '{"price":{"x":1},"s":["x"]}'),
      next('1', '{"price":"9","s":"é"}'),
      raw(Buffer.concat([Buffer.from('{"id":"1","type":"next","payload":{"data":{"pr'), Buffer.from([0xff]), Buffer.from('ce":6,"s":"x'), Buffer.from([0xfe]), Buffer.from('"}}}')])),
      raw(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"1","type":"next","payload":{"data":{"price":9}}}')])),
      text('in', '{"id":"1","type":"next","payload":{"data":{"price":9}}} x'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"price":9}}'),
      binary('in', Buffer.from('{"id":"1","type":"next","payload":{"data":{"price":9}}}')),
      text('in', '{"id":"1","type":"complete"}'),
      next('1', '{"price":9}'),
      text('out', '{"id":"2","type":"start","payload":{"query":"{ price }"}}'),
      next('2', '{"price":6}'),
    ];
    const queries = [
      '$.payload.data.price > 5',
      '$.payload.data.price == 5',
      '$.payload.data.price != 5',
      '$.payload.data.price',
      '$.payload.data.price.x',
      '$.payload.data.s =~ /^x/',
      '$.payload.data.n == null',
      "$.payload.data.big == 'Infinity'",
      '$.payload.data.e >= 5',
      '$.payload.data.deep',
      "$.payload.data['pr\ufffdce'] > 1",
      '$.payload.data',
      '$.type =~ /ne/ && $.payload.data.price < 6',
      '$.operation.type =~ /sub/',
      '$.payload.data.price > 3 && $.operation.type =~ /sub/',
      '$.payload.data.price > 3 && $.operation.type =~ /query/',
    ];
    expectAgreement(messages, 'graphql-ws', 'ws://h/graphql', () => new GraphqlWsDecoder(), queries);
  });

  it('MQTT probe: payloads as text or bytes, every property type before them, other packets, several to a message, split, aliases, a CONNECT again', () => {
    const v4 = { protocolVersion: 4 };
    const v5 = { protocolVersion: 5 };
    const publish = (payload: Buffer | string, properties: mqtt.IPublishPacket['properties'], qos: 0 | 1 = 0, version = v5): Buffer =>
      mqtt.generate({ cmd: 'publish', topic: 'a/1', payload: Buffer.from(payload), qos, ...(qos > 0 ? { messageId: 9 } : {}), retain: false, dup: false, ...(version === v5 ? { properties } : {}) }, version);
    const every = { payloadFormatIndicator: true, messageExpiryInterval: 4, responseTopic: 'r', correlationData: Buffer.from([0xff, 0]), subscriptionIdentifier: 300, contentType: 'c', userProperties: { u: ['v', 'w'] } };
    // A property length of 3 whose content type says 5 bytes: mqtt-packet reads into the payload.
    const overrun = Buffer.from([0x30, 0x0f, 0x00, 0x01, 0x74, 0x03, 0x03, 0x00, 0x05, ...Buffer.from('"t":3xxx')]);
    const split = publish('{"t":3}', {});
    const messages: Message[] = [
      binary('in', publish('{"t":3}', {}, 0, v4)),
      binary('out', mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 5 }, v5)),
      binary('in', mqtt.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, v5)),
      binary('in', publish('{"t":3}', {})),
      binary('in', publish('{"t":4}', {})),
      binary('in', publish('{"t":3}', every, 1)),
      binary('in', publish('{"t":5}', every, 1)),
      binary('in', publish(Buffer.from([0x22, 0x74, 0xff]), {})),
      binary('in', publish('', {})),
      binary('in', publish('a\ufffdb', {})),
      binary('in', publish('m\u00e9', { contentType: '\u00e9' })),
      binary('in', mqtt.generate({ cmd: 'puback', messageId: 9, reasonCode: 0 }, v5)),
      binary('in', Buffer.concat([publish('{"t":3}', {}), publish('{"t":3}', {})])),
      binary('in', split.subarray(0, 4)),
      binary('in', split.subarray(4)),
      binary('in', publish('{"t":3}', { topicAlias: 2 })),
      binary('in', overrun),
      binary('in', Buffer.alloc(0)),
      binary('in', [0x30, 0x7f]),
      binary('in', publish('{"t":3}', {})),
      binary('out', mqtt.generate({ cmd: 'pingreq' }, v5)),
    ];
    const queries = ['$.payload =~ /"t":3/', '$.payload == null', '$.payload != null', '$.payload', "$.payload > 'm'", '$.payload =~ /^$/', "$.payload == 'm\u00e9'", '$.payload.length > 1', '$.payload =~ /"t":3/ && $.qos > 0', '$.payload =~ /^xxx$/', "$.payload != '\"t\ufffd'", '$.payload =~ /^\\{"t":3/', `$.payload != '{"t":3}'`, '$.payload =~ /^a/'];
    expectAgreement(messages, 'mqtt', 'ws://h/mqtt', () => new MqttDecoder(), queries);
  });

  it("MQTT probe's property types are mqtt-packet's", () => {
    const constants = createRequire(import.meta.url)('mqtt-packet/constants.js') as { propertiesCodes: Record<string, string>; propertiesTypes: Record<string, string> };
    const expected = Object.fromEntries(Object.entries(constants.propertiesCodes).map(([code, name]) => [code, constants.propertiesTypes[name]]));
    expect({ ...MQTT_PROPERTY_TYPES }).toEqual(expected);
  });

  it('Socket.IO probe: arguments of events and acks, namespaces and ids, strings holding brackets, broken and binary events', () => {
    const messages: Message[] = [
      text('in', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'),
      text('in', '40{"sid":"s"}'),
      text('in', '42["chat",{"at":5,"room":"r1"}]'),
      text('in', '42["chat",{"at":9,"room":"x"}]'),
      text('in', '42/admin,["chat",{"at":9}]'),
      text('in', '4217["chat",{"at":9}]'),
      text('in', '42/admin,3["chat",{"at":9}]'),
      text('in', '42 ["chat",{"at":9}]'),
      text('out', '431[{"at":9},{"at":2}]'),
      text('out', '43/admin,2[{"at":9}]'),
      text('out', '43[]'),
      text('in', '42["chat"]'),
      text('in', '42[ "chat" , {"at" : 9} ]'),
      text('in', '42["chat",]'),
      text('in', '42["chat",[1,2],{"at":9}]'),
      text('in', '42["chat",{"a":[1,{"b":"],{"}]},{"at":9}]'),
      text('in', '42["chat","]",{"at":9}]'),
      text('in', '42["chat","a,b",{"at":9}]'),
      text('in', '42["chat","[",{"at":9}]'),
      text('in', '42["chat",{"at":9,"s":"a\\"b"}]'),
      text('in', '42["chat",{"at":1e400}]'),
      text('in', `42["chat",${'['.repeat(70)}1${']'.repeat(70)},{"at":9}]`),
      text('in', '42["connect",{"at":9}]'),
      text('in', '42[7,{"at":9}]'),
      text('in', '42["chat",{"at":9}'),
      text('in', '42["chat",{"at":9}]xyz'),
      text('in', '42["chat",{"at":9,"at":1}]'),
      text('in', '451-["up",{"_placeholder":true,"num":0},{"at":9}]'),
      text('in', '42["chat",{"at":9}]'),
      binary('in', [1, 2, 3]),
      text('in', '451-["up",{"_placeholder":true,"num":0},{"at":9}]'),
      binary('in', [4]),
      text('in', '2'),
    ];
    const queries = ['$.args[0].at > 5', '$.args[1].at > 5', '$.args[0].at != 9', '$.args[0]', '$.args[0].room =~ /r/', "$.args[0].at == 'Infinity'", '$.args[2].at', '$.args[0].a[1].b', '$.args[0].at > 5 && $.nsp', '$.args[1] == 2'];
    expectAgreement(messages, 'socketio', 'ws://h/socket.io/?EIO=4&transport=websocket', () => new SocketIoDecoder({ engineVersion: 4 }), queries);
  });

  it('Socket.IO: binary events joined from a header, a text message while one joins, escaped keys, the handshake, decoder keys', () => {
    const messages: Message[] = [
      text('in', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'),
      text('in', '40{"sid":"s1"}'),
      text('in', '42["chat",{"room":"r1"}]'),
      text('in', '42["chat",{"other":1}]'),
      text('in', '42["chat",{"r\\u006fom":"r2"}]'),
      text('in', '42["room",{"k":"room"}]'),
      // A binary event whose header names the key: the attachment shows it.
      text('in', '451-["up",{"_placeholder":true,"num":0},{"room":"r3"}]'),
      binary('in', [1, 2, 3]),
      // A header without the key: the text message while it joins is not valid (and starts afresh).
      text('in', '451-["up",{"_placeholder":true,"num":0}]'),
      text('in', '42["chat",{"room":"r4"}]'),
      binary('in', [4, 5]),
      text('in', '42["chat",{"room":"r5"}]'),
      binary('in', [6]),
      text('out', '431["ack",{"room":"r6"}]'),
      text('out', '461-1[{"_placeholder":true,"num":0}]'),
      binary('out', [7, 8, 9]),
      text('in', '2'),
      text('in', '42/admin,["chat",{"room":"r7"}]'),
    ];
    const queries = ['$.args[0].room', '$.args[1].room', '$.args[0].room =~ /r/', '$.handshake.sid', '$.data.sid', '$.nsp', '$.engineIO', '$.attachments > 0', '$.attachment', '$.binaryHeader', '$.size > 0', '$.args[0].length > 0', '$.args[0].$bytes', '$.of', '$.nothing > 1', '$.args[0].room != 1'];
    expectAgreement(messages, 'socketio', 'ws://h/socket.io/?EIO=4&transport=websocket', () => new SocketIoDecoder({ engineVersion: 4 }), queries);
  });

  it('MQTT 5: user properties in whole, split and shared packets, a will, aliases, the decoder keys', () => {
    const v5 = { protocolVersion: 5 };
    const publish = (topic: string, properties: mqtt.IPublishPacket['properties'], qos: 0 | 1 = 0): Buffer => mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from('{"src":1}'), qos, ...(qos > 0 ? { messageId: 9 } : {}), retain: false, dup: false, properties }, v5);
    const split = publish('a/1', { userProperties: { src: 'split' } });
    const messages: Message[] = [
      binary('out', mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 5, will: { topic: 'w', payload: Buffer.from('x'), qos: 0, retain: false, properties: { userProperties: { wk: 'v' } } } }, v5)),
      binary('in', mqtt.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, v5)),
      binary('in', publish('a/1', { userProperties: { src: 'x' } })),
      binary('in', publish('a/1', { userProperties: { other: 'src' } })),
      binary('in', publish('a/1', { topicAlias: 3, userProperties: { src: 'alias set' } })),
      binary('in', publish('', { topicAlias: 3 }, 1)),
      binary('in', split.subarray(0, split.length - 3)),
      binary('in', split.subarray(split.length - 3)),
      binary('in', Buffer.concat([publish('a/2', {}), publish('a/3', { userProperties: { src: 'second' } })])),
      binary('out', mqtt.generate({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'a/#', qos: 1, nl: false, rap: true, rh: 2 }] }, v5)),
      binary('in', [0x00, 0x00]),
      binary('in', publish('a/4', { userProperties: { src: 'after a bad packet' } })),
    ];
    const queries = ['$.properties.userProperties.src', '$.packets[1].properties.userProperties.src', '$.will.properties.userProperties.wk', '$.nothing > 1', '$.qos > 0', '$.subscriptions[0].rh > 1', '$.topicFromAlias', '$.continues', '$.properties.topicAlias', '$.packets[0].cmd', '$.payload.src'];
    expectAgreement(messages, 'mqtt', 'ws://h/mqtt', () => new MqttDecoder(), queries);
  });
});

describe('query searches with a key rule on generated streams (30 each, seeded)', () => {
  const ROUNDS = 30;
  const KEYS = ['room', 'r\\u006fom', 'other', 'nothing'];

  it('Socket.IO: events with and without the key, binary events and their attachments, stray and interrupted ones, both directions', () => {
    const random = seeded(61);
    for (let round = 0; round < ROUNDS; round++) {
      const messages: Message[] = [text('in', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000}')];
      for (let i = 0; i < 60; i++) {
        const dir = random(3) === 0 ? 'out' : 'in';
        const args = `{"${pick(random, KEYS)}":"r${random(3)}"},{"${pick(random, KEYS)}":${random(5)}}`;
        const nsp = random(5) === 0 ? '/admin,' : '';
        switch (random(6)) {
          case 0: {
            const count = 1 + random(2);
            const placeholders = Array.from({ length: count }, (_, n) => `{"_placeholder":true,"num":${n}}`).join(',');
            messages.push(text(dir, `4${pick(random, ['5', '6'])}${count}-${nsp}${random(2) === 0 ? '7' : ''}["up",${placeholders},${args}]`));
            for (let n = random(count + 2); n > 0; n--) messages.push(random(4) === 0 ? text(dir, `42["chat",${args}]`) : binary(dir, [random(256), 1, 2]));
            break;
          }
          case 1:
            messages.push(binary(dir, [random(256)]));
            break;
          case 2:
            messages.push(text(dir, pick(random, ['2', '3probe', '40', `41${nsp}`, '4', '', 'b4AQID'])));
            break;
          default:
            messages.push(text(dir, `42${nsp}${random(3) === 0 ? String(random(99)) : ''}["chat",${args}]`));
        }
      }
      expectAgreement(messages, 'socketio', 'ws://h/socket.io/?EIO=4&transport=websocket', () => new SocketIoDecoder({ engineVersion: 4 }), ['$.args[0].room', '$.args[1].room', '$.args[0].nothing > 1', '$.args[2].other', '$.data.sid', '$.nothing > 1']);
    }
  });

  it('GraphQL over WebSocket: results with and without the key, escapes, ids subscribed, completed and reused, binary and broken messages', () => {
    const random = seeded(62);
    for (let round = 0; round < ROUNDS; round++) {
      const messages: Message[] = [text('out', '{"type":"connection_init"}')];
      for (let i = 0; i < 60; i++) {
        const id = String(random(4));
        switch (random(8)) {
          case 0:
            messages.push(text('out', `{"id":"${id}","type":"subscribe","payload":{"query":"subscription ${pick(random, ['OnPrice', 'OnTrade'])} { price }"}}`));
            break;
          case 1:
            messages.push(text(pick(random, ['in', 'out'] as const), `{"id":"${id}","type":"${pick(random, ['complete', 'error', 'stop'])}"${random(2) === 0 ? ',"payload":[{"message":"x"}]' : ''}}`));
            break;
          case 2:
            messages.push(random(2) === 0 ? binary('in', Buffer.from(`{"id":"${id}","type":"next","payload":{"data":{"price":1}}}`)) : text('in', `{"id":"${id}","type":"next","payload":{"data":{"price":`));
            break;
          default:
            messages.push(text('in', `{"id":"${id}","type":"next","payload":{"data":{"${pick(random, ['price', 'pr\\u0069ce', 'other'])}":${random(9)},"${pick(random, KEYS)}":${random(2) === 0 ? '{"name":"n"}' : '1'}}}}`));
        }
      }
      expectAgreement(messages, 'graphql-ws', 'ws://h/graphql', () => new GraphqlWsDecoder(), ['$.payload.data.price > 3', '$.payload.data.nothing.name', '$.payload.data.room', '$[*].name', '$.operation', '$.payload.data[*].name']);
    }
  });

  it('MQTT 5: user properties named or not, packets split or shared, aliases set and used, bad packets, a CONNECT again', () => {
    const random = seeded(63);
    const v5 = { protocolVersion: 5 };
    const connect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 5 }, v5);
    for (let round = 0; round < ROUNDS; round++) {
      const messages: Message[] = [binary('out', connect)];
      const packet = (): Buffer => {
        const userProperties = random(2) === 0 ? { [pick(random, ['src', 'other', 'nothing'])]: pick(random, ['x', 'src']) } : undefined;
        const alias = random(4) === 0 ? 1 + random(3) : undefined;
        const topic = alias !== undefined && random(2) === 0 ? '' : `a/${random(3)}`;
        return mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from(pick(random, ['src', '{"src":1}', ''])), qos: 0, retain: false, dup: false, properties: { ...(userProperties ? { userProperties } : {}), ...(alias !== undefined ? { topicAlias: alias } : {}) } }, v5);
      };
      for (let i = 0; i < 60; i++) {
        const bytes = random(4) === 0 ? Buffer.concat([packet(), packet()]) : packet();
        switch (random(8)) {
          case 0: {
            const cut = 1 + random(bytes.length - 1);
            messages.push(binary('in', bytes.subarray(0, cut)), binary('in', bytes.subarray(cut)));
            break;
          }
          case 1:
            messages.push(binary('in', pick(random, [[0x00, 0x00], [0x30, 0x7f], connect.subarray(0, 5)])));
            break;
          default:
            messages.push(binary(random(5) === 0 ? 'out' : 'in', bytes));
        }
      }
      expectAgreement(messages, 'mqtt', 'ws://h/mqtt', () => new MqttDecoder(), ['$.properties.userProperties.src', '$.packets[1].properties.userProperties.src', '$.properties.userProperties.nothing > 1', '$.nothing > 1', '$.topicFromAlias && $.properties.userProperties.other']);
    }
  });
});
