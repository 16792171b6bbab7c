/**
 * Query searches that most frames match (`$.seq >= 0`, `$.payload.seq != 5`, a path alone), in
 * the protocols that keep nothing between messages and in STOMP, Socket.IO, MQTT, GraphQL over
 * WebSocket and SignalR (JSON and MessagePack), through the engine's own predicate and the
 * store's search: the matches, forward and backward, equal decoding every frame in order, and
 * the match proofs (query-match-proof.ts) spare most typical messages their decoding. The
 * streams mix typical messages with ones a proof must not vouch for: invalid bytes, text where
 * the decoder wants binary, empty messages, values of another type, a missing field, escapes,
 * numbers past a double. A search asking for anything beside the query (a decoded field, a
 * conversation) uses no proof.
 */
import { encode as cborEncode } from 'cbor-x';
import mqtt from 'mqtt-packet';
import { pack } from 'msgpackr';
import { protobufEventBytes } from '../../../bench/payload-streams';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import type { DecodedFilter, ProtobufChoice } from '../../../src-main/shared/decoding';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { Base64Decoder } from '../../../src-main/core/decode/base64-decoder';
import { CborDecoder } from '../../../src-main/core/decode/cbor-decoder';
import { CompressedDecoder } from '../../../src-main/core/decode/compressed-decoder';
import { decodedFields } from '../../../src-main/core/decode/decoded-fields';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import type { DecodeOutcome, DecoderName, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder, type DecoderSettings } from '../../../src-main/core/decode/decoder-registry';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';
import { ProtobufDecoder } from '../../../src-main/core/decode/protobuf-decoder';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { protobufChoiceSettings } from '../../../src-main/core/decode/protobuf-choice';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { searchFrames } from '../../../src-main/core/search/frame-search';
import { FrameStore } from '../../../src-main/core/session/frame-store';

interface Message {
  dir: 'in' | 'out';
  opcode: 'text' | 'binary' | 'ping';
  bytes: Buffer;
}

interface Case {
  name: string;
  choice: DecoderName;
  protobuf?: ProtobufChoice;
  /** The session's URL (Socket.IO's gives the Engine.IO version). */
  url?: string;
  messages: Message[];
  /** How many of the messages are typical (the first ones; STOMP's begin with CONNECT and CONNECTED): most of them must be proven. */
  typical: number;
  queries: string[];
  decoderClass: { prototype: { decode(frame: WireFrame): DecodeOutcome | undefined } };
}

const TYPICAL = 600;
const record = (i: number) => ({ event: i % 7 === 3 ? 'chat' : `e${i % 7}`, seq: i, data: { sym: `ABC${i % 13}`, price: (i * 7) % 1000 } });
const binary = (bytes: Buffer): Message => ({ dir: 'in', opcode: 'binary', bytes });
const text = (s: string): Message => ({ dir: 'out', opcode: 'text', bytes: Buffer.from(s, 'latin1') });

/** The messages a proof must not vouch for, in the format's own encoding where it has one. */
function oddValues(): unknown[] {
  return [{ seq: -1 }, { seq: '7' }, { event: 'x' }, { seq: 2 ** 60 }, { seq: null }, { seq: [1, 2] }, { seq: { n: 1 } }, { seq: 1.5, data: 'no' }, [1, 2, 3], 'text', 12, null, { seq: 3, seq2: 4 }];
}

function typicalAndOdd(encode: (value: unknown) => Buffer, junk: Message[]): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < TYPICAL; i++) out.push(binary(encode(record(i))));
  for (const value of oddValues()) out.push(binary(encode(value)));
  out.push(...junk, { dir: 'in', opcode: 'ping', bytes: Buffer.alloc(0) }, binary(Buffer.alloc(0)));
  // A typical message cut short, and one with a byte after it.
  const whole = encode(record(5));
  out.push(binary(whole.subarray(0, whole.length - 1)), binary(Buffer.concat([whole, Buffer.from([0])])));
  return out;
}

const jsonBytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
/** JSON payloads, with texts JSON.parse refuses or reads otherwise than they look. */
function jsonPayloads(): Buffer[] {
  const out = Array.from({ length: TYPICAL }, (_, i) => jsonBytes(record(i)));
  for (const value of oddValues()) out.push(jsonBytes(value));
  for (const raw of ['{"seq":1,}', '{"seq":1} x', '{"seq":1e400}', '{"seq":-0}', '{"s\\u0065q":4}', '{"seq":5,"seq":-5}', '\ufeff{"seq":6}', '{"seq":7', 'not json', '{"seq":0x10}', '{"seq":01}', '{"seq":8,"e":"\\ud800"}']) out.push(Buffer.from(raw, 'utf8'));
  out.push(Buffer.from([0x7b, 0x22, 0x73, 0x65, 0x71, 0x22, 0x3a, 0x31, 0x2c, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
  return out;
}

function wrapped(wrap: (bytes: Buffer) => Buffer): Message[] {
  const out = jsonPayloads().map((bytes) => binary(wrap(bytes)));
  out.push(binary(Buffer.from('not compressed')), text('{"seq":1}'), { dir: 'in', opcode: 'ping', bytes: Buffer.alloc(0) }, binary(Buffer.alloc(0)));
  const whole = wrap(jsonBytes(record(5)));
  out.push(binary(whole.subarray(0, whole.length - 2)), binary(Buffer.concat([whole, Buffer.from([0])])));
  return out;
}

function base64Messages(): Message[] {
  const out = jsonPayloads().map((bytes) => text(bytes.toString('base64')));
  out.push(text('@@not base64@@'), text(jsonBytes(record(3)).toString('base64').slice(0, -3)), binary(Buffer.from(jsonBytes(record(4)).toString('base64'))), text(zlib.gzipSync(jsonBytes(record(6))).toString('base64')), text(''));
  return out;
}

/** Protocol Buffers `Event {string event = 1; uint32 seq = 2; Data data = 3}`, `Data {string sym = 1; double price = 2}` (the bench's encoder). */
const protobufEvent = (i: number): Buffer => protobufEventBytes(record(i));

function protobufMessages(): Message[] {
  const out = Array.from({ length: TYPICAL }, (_, i) => binary(protobufEvent(i)));
  const whole = protobufEvent(9);
  out.push(
    binary(whole.subarray(0, whole.length - 1)),
    binary(Buffer.from([0x10, 0x80])), // a varint cut short
    binary(Buffer.from([0x10, 0x05, 0x10, 0x06])), // seq twice
    binary(Buffer.from([0x15, 1, 2, 3, 4])), // seq as fixed32
    binary(Buffer.from([0x12, 0x01, 0x41])), // seq as a length-delimited field
    binary(Buffer.from([0x0f])), // wire type 7
    text('{"seq":1}'),
    binary(Buffer.alloc(0)),
    { dir: 'in', opcode: 'ping', bytes: Buffer.alloc(0) },
  );
  return out;
}

/** STOMP: MESSAGE frames with JSON bodies, and frames a proof must not vouch for (escapes, repeated headers, an unknown command, heart-beats, several frames in one message, a frame split in two, CONNECTED). */
function stompMessages(): Message[] {
  const stomp = (dir: 'in' | 'out', s: string): Message => ({ dir, opcode: 'text', bytes: Buffer.from(s, 'utf8') });
  const message = (i: number, extra = ''): string => {
    const body = `{"sym":"ABC${i % 13}","price":${(i * 7) % 1000}}`;
    return `MESSAGE\ndestination:/topic/p${i % 7}\nsubscription:sub-0\nmessage-id:${i}\ncontent-length:${Buffer.byteLength(body)}${extra}\n\n${body}\0`;
  };
  const out: Message[] = [stomp('out', 'CONNECT\naccept-version:1.2\nhost:h\n\n\0'), stomp('in', 'CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0')];
  for (let i = 0; i < TYPICAL - 2; i++) out.push(stomp('in', message(i)));
  const split = message(3);
  out.push(
    stomp('in', message(1, '\ndestination:/queue/second')),
    stomp('in', message(2).replace('destination:/topic/p2', 'destination:/topic/a\\cb')),
    stomp('in', 'FLY\ndestination:/topic/p1\n\n{"price":1}\0'),
    stomp('in', '\n'),
    stomp('in', message(4) + message(5)),
    stomp('in', split.slice(0, 20)),
    stomp('in', split.slice(20)),
    stomp('in', message(6).replace('content-length:', 'content-length:9')),
    stomp('out', 'SUBSCRIBE\nid:sub-1\ndestination:/topic/p1\nreceipt:r-1\n\n\0'),
    stomp('in', 'RECEIPT\nreceipt-id:r-1\n\n\0'),
    stomp('in', 'MESSAGE\ndestination:/topic/p1\nmessage-id:x\nsubscription:sub-1\n\n{"price":-4}\0'),
  );
  return out;
}

/** Socket.IO: plain events (with namespaces and ack ids) and what a proof must not vouch for: binary events and their attachments, acks, connects, pings, an escaped event name, broken JSON. */
function socketioMessages(): Message[] {
  const sio = (dir: 'in' | 'out', s: string): Message => ({ dir, opcode: 'text', bytes: Buffer.from(s, 'utf8') });
  const out: Message[] = [sio('in', '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'), sio('out', '40/admin,')];
  for (let i = 0; i < TYPICAL - 2; i++) {
    const nsp = i % 5 === 0 ? '/admin,' : '';
    const ack = i % 7 === 0 ? String(i) : '';
    out.push(sio(i % 3 === 0 ? 'out' : 'in', `42${nsp}${ack}["${['chat', 'move', 'up'][i % 3] ?? 'chat'}",{"room":"r${i % 10}","n":${i}}]`));
  }
  out.push(
    sio('in', '451-["chat",{"_placeholder":true,"num":0}]'),
    { dir: 'in', opcode: 'binary', bytes: Buffer.from([1, 2, 3]) },
    sio('in', '43/admin,7["ok"]'),
    sio('in', '2'),
    sio('in', '42["ch\\u0061t",{"room":"r1"}]'),
    sio('in', '42["chat",{"room":"r1"}'),
    sio('in', '42["disconnect",{"room":"r1"}]'),
    sio('in', '42 ["chat",{"room":"r2"}]'),
  );
  return out;
}

/** GraphQL over WebSocket: results of a few subscriptions, and messages a proof must not vouch for (operations started and ended, escaped or repeated keys, a result without its payload, an unknown type, broken JSON, binary). */
function graphqlMessages(): Message[] {
  const gql = (dir: 'in' | 'out', s: string): Message => ({ dir, opcode: 'text', bytes: Buffer.from(s, 'utf8') });
  const subscribe = (id: number): Message => gql('out', JSON.stringify({ id: String(id), type: 'subscribe', payload: { query: `subscription OnPrice${id} { price { sym price } }` } }));
  const out: Message[] = [gql('out', '{"type":"connection_init","payload":{}}'), gql('in', '{"type":"connection_ack"}'), subscribe(0), subscribe(1), subscribe(2)];
  for (let i = out.length; i < TYPICAL; i++) out.push(gql('in', JSON.stringify({ id: String(i % 3), type: 'next', payload: { data: { price: { sym: `ABC${i % 13}`, price: (i * 7) % 1000 } } } })));
  out.push(
    gql('in', '{"id":"1","type":"complete"}'),
    gql('in', '{"id":"1","type":"next","payload":{"data":{"price":{"price":5}}}}'),
    gql('out', '{"id":"1","type":"subscribe","payload":{"query":"subscription Again { price { price } }"}}'),
    gql('in', '{"id":"2","typ\\u0065":"next","payload":{"data":{"price":{"price":6}}}}'),
    gql('in', '{"id":"2","type":"next","type":"error","payload":{"data":{"price":{"price":7}}}}'),
    gql('in', '{"id":"2","type":"next"}'),
    gql('in', '{"id":"","type":"next","payload":{"data":{"price":{"price":8}}}}'),
    gql('in', '{"id":"2","type":"nxt","payload":{"data":{"price":{"price":9}}}}'),
    gql('in', '{"id":"2","type":"next","payload":{"data":{"price":{"price":10}}}'),
    gql('in', '{"id":"0","type":"next","payload":{"data":{"price":{"price":1e400}}},"operation":"mine"}'),
    gql('in', '\ufeff{"id":"0","type":"next","payload":{"data":{"price":{"price":11}}}}'),
    { dir: 'in', opcode: 'binary', bytes: Buffer.from('{"id":"0","type":"next","payload":{}}') },
    gql('in', '{"id":"0","type":"error","payload":[{"message":"gone"}]}'),
    gql('in', '{"type":"ka"}'),
  );
  return out;
}

/** MQTT 5: a CONNECT, then PUBLISHes (some setting and using topic aliases), and what a proof must not vouch for: two packets in a message, a packet split in two, QoS 3, a SUBSCRIBE, properties cut short. */
function mqttMessages(): Message[] {
  const v5 = { protocolVersion: 5 } as const;
  const packet = (dir: 'in' | 'out', p: mqtt.Packet): Message => ({ dir, opcode: 'binary', bytes: mqtt.generate(p, v5) });
  const publish = (i: number, extra: Partial<mqtt.IPublishPacket> = {}): mqtt.IPublishPacket => ({ cmd: 'publish', topic: `sensors/${i % 7}/temp`, payload: Buffer.from(JSON.stringify(record(i))), qos: 0, retain: false, dup: false, ...extra });
  const out: Message[] = [packet('out', { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 60 }), packet('in', { cmd: 'connack', sessionPresent: false, reasonCode: 0 })];
  for (let i = out.length; i < TYPICAL; i++) {
    if (i % 50 === 0) out.push(packet('in', publish(i, { properties: { topicAlias: 1 + (i % 3) } })));
    else if (i % 50 === 1) out.push(packet('in', publish(i, { topic: '', properties: { topicAlias: 1 + ((i - 1) % 3) } })));
    else out.push(packet('in', publish(i, { qos: i % 3 === 0 ? 1 : 0, ...(i % 3 === 0 ? { messageId: i } : {}), properties: { payloadFormatIndicator: true, ...(i % 4 === 0 ? { userProperties: { src: 'test' } } : {}) } })));
  }
  const whole = mqtt.generate(publish(3, { properties: { contentType: 'application/json' } }), v5);
  const bad = Buffer.from(whole);
  bad[0] = 0x36; // QoS 3
  out.push(
    { dir: 'in', opcode: 'binary', bytes: Buffer.concat([mqtt.generate(publish(4), v5), mqtt.generate(publish(5), v5)]) },
    { dir: 'in', opcode: 'binary', bytes: whole.subarray(0, 9) },
    { dir: 'in', opcode: 'binary', bytes: whole.subarray(9) },
    { dir: 'in', opcode: 'binary', bytes: bad },
    packet('out', { cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'sensors/#', qos: 1 }] }),
    packet('out', { cmd: 'pingreq' }),
    packet('in', publish(6, { topic: '', properties: { topicAlias: 9 } })),
    { dir: 'in', opcode: 'binary', bytes: whole.subarray(0, whole.length - 1) },
    { dir: 'in', opcode: 'binary', bytes: Buffer.alloc(0) },
    { dir: 'in', opcode: 'ping', bytes: Buffer.alloc(0) },
  );
  return out;
}

const RS = '\u001e';

/** SignalR's JSON hub protocol: the handshake each way, invocations and completions, and what a proof must not vouch for (two records in a message, one split in two, an unknown type, a missing target, an escaped key, broken JSON, a record without its separator). */
function signalrJsonMessages(): Message[] {
  const hub = (dir: 'in' | 'out', s: string): Message => ({ dir, opcode: 'text', bytes: Buffer.from(s, 'utf8') });
  const invocation = (i: number): string => `{"type":1,"target":"T${i % 7}","arguments":["room${i % 10}",{"n":${i}}]}${RS}`;
  const out: Message[] = [hub('out', `{"protocol":"json","version":1}${RS}`), hub('in', `{}${RS}`)];
  for (let i = out.length; i < TYPICAL; i++) out.push(hub(i % 9 === 0 ? 'out' : 'in', i % 11 === 0 ? `{"type":3,"invocationId":"${i}","result":${i}}${RS}` : invocation(i)));
  const split = invocation(3);
  out.push(
    hub('in', invocation(4) + invocation(5)),
    hub('in', split.slice(0, 12)),
    hub('in', split.slice(12)),
    hub('in', `{"type":10,"target":"T1","arguments":[]}${RS}`),
    hub('in', `{"type":1,"arguments":[]}${RS}`),
    hub('in', `{"typ\\u0065":1,"target":"T1","arguments":[]}${RS}`),
    hub('in', `{"type":1,"target":"T1","arguments":[}${RS}`),
    hub('in', '{"type":1,"target":"T1","arguments":[]}'),
    hub('in', `{"type":1,"target":"T2","arguments":[]}${RS}`),
    hub('in', `{"type":3,"invocationId":"9","result":1,"error":"x"}${RS}`),
  );
  return out;
}

/** SignalR's MessagePack hub protocol after the JSON handshake: invocations with a varint length prefix, and what a proof must not vouch for (two in a frame, one split, a cut prefix, a body that is not an array, an extension). */
function signalrMsgpackMessages(): Message[] {
  const framed = (body: Buffer): Buffer => Buffer.concat([Buffer.from(body.length < 0x80 ? [body.length] : [(body.length & 0x7f) | 0x80, body.length >> 7]), body]);
  const invocation = (i: number): Buffer => framed(pack([1, {}, i % 5 === 0 ? String(i) : null, `T${i % 7}`, [`ABC${i % 89}`, (i * 7) % 1000]]));
  const out: Message[] = [{ dir: 'out', opcode: 'text', bytes: Buffer.from(`{"protocol":"messagepack","version":1}${RS}`) }, { dir: 'in', opcode: 'text', bytes: Buffer.from(`{}${RS}`) }];
  for (let i = out.length; i < TYPICAL; i++) out.push(binary(invocation(i)));
  const split = invocation(3);
  out.push(
    binary(Buffer.concat([invocation(4), invocation(5)])),
    binary(split.subarray(0, 6)),
    binary(split.subarray(6)),
    binary(framed(pack({ type: 1 }))),
    binary(framed(Buffer.from([0x94, 0x01, 0x80, 0xc0, 0xd4, 0x01, 0x02]))),
    binary(Buffer.from([0x85])),
    binary(framed(pack([1, {}, null, 7, []]))),
  );
  return out;
}

const PROTO = 'syntax = "proto3";\nmessage Data { string sym = 1; double price = 2; }\nmessage Event { string event = 1; uint32 seq = 2; Data data = 3; }\n';
const DENSE = ['$.seq >= 0', '$.seq != 5', '$.seq', "$.seq >= 1 && $.event != 'chat'", "$.data.price < 5000 && $.data.sym =~ /^ABC/"];
const DENSE_PAYLOAD = DENSE.map((query) => query.replace(/\$\./g, '$.payload.'));

const CASES: Case[] = [
  { name: 'MessagePack', choice: 'msgpack', messages: typicalAndOdd((v) => pack(v), [binary(Buffer.from([0xc1])), binary(Buffer.from([0xd4, 0x01, 0x02])), text('{"seq":1}')]), typical: TYPICAL, queries: DENSE, decoderClass: MsgpackDecoder },
  { name: 'CBOR', choice: 'cbor', messages: typicalAndOdd((v) => cborEncode(v), [binary(Buffer.from([0xff])), binary(Buffer.from([0xc1, 0x01])), binary(Buffer.from([0xbf, 0x63, 0x73, 0x65, 0x71, 0x01, 0xff])), text('{"seq":1}')]), typical: TYPICAL, queries: DENSE, decoderClass: CborDecoder },
  { name: 'gzip', choice: 'compressed', messages: wrapped((b) => zlib.gzipSync(b)), typical: TYPICAL, queries: DENSE_PAYLOAD, decoderClass: CompressedDecoder },
  { name: 'zlib deflate', choice: 'compressed', messages: wrapped((b) => zlib.deflateSync(b)), typical: TYPICAL, queries: DENSE_PAYLOAD, decoderClass: CompressedDecoder },
  { name: 'raw deflate', choice: 'compressed', messages: wrapped((b) => zlib.deflateRawSync(b)), typical: TYPICAL, queries: DENSE_PAYLOAD, decoderClass: CompressedDecoder },
  { name: 'brotli', choice: 'compressed', messages: wrapped((b) => zlib.brotliCompressSync(b)), typical: TYPICAL, queries: DENSE_PAYLOAD, decoderClass: CompressedDecoder },
  { name: 'Base64', choice: 'base64', messages: base64Messages(), typical: TYPICAL, queries: DENSE_PAYLOAD, decoderClass: Base64Decoder },
  { name: 'STOMP', choice: 'stomp', messages: stompMessages(), typical: TYPICAL, queries: ["$.command == 'MESSAGE'", '$.headers.destination =~ /^\\/topic\\//', '$.body.price >= 0', "$.headers.subscription != 'sub-9' && $.body.sym"], decoderClass: StompDecoder },
  { name: 'Socket.IO', choice: 'socketio', url: 'ws://h/socket.io/?EIO=4&transport=websocket', messages: socketioMessages(), typical: TYPICAL, queries: ["$.event != 'x'", "$.type == 'EVENT'", '$.args[0].room =~ /^r/', "$.nsp == '/' && $.args[0].n >= 0"], decoderClass: SocketIoDecoder },
  { name: 'GraphQL over WebSocket', choice: 'graphql-ws', messages: graphqlMessages(), typical: TYPICAL, queries: ["$.type == 'next'", '$.payload.data.price.price >= 0', "$.id =~ /^[0-9]$/ && $.type != 'x'", '$.payload.data.price.sym'], decoderClass: GraphqlWsDecoder },
  { name: 'MQTT 5', choice: 'mqtt', messages: mqttMessages(), typical: TYPICAL, queries: ["$.cmd == 'publish'", '$.qos >= 0', '$.topic =~ /temp$/', "$.cmd != 'x' && $.retain == false"], decoderClass: MqttDecoder },
  { name: 'SignalR JSON', choice: 'signalr', messages: signalrJsonMessages(), typical: TYPICAL, queries: ['$.type == 1', "$.target != 'x'", '$.arguments[0] =~ /^room/', '$.arguments[1].n >= 0 && $.messageType == \'Invocation\''], decoderClass: SignalRDecoder },
  { name: 'SignalR MessagePack', choice: 'signalr', messages: signalrMsgpackMessages(), typical: TYPICAL, queries: ['$.type == 1', "$.target != 'x'", '$.arguments[1] >= 0', "$.arguments[0] =~ /^ABC/"], decoderClass: SignalRDecoder },
  { name: 'Protocol Buffers without a schema', choice: 'protobuf', messages: protobufMessages(), typical: TYPICAL, queries: ["$['2'] >= 0", "$['2'] != 5", "$['2']"], decoderClass: ProtobufDecoder },
  { name: 'Protocol Buffers with a schema', choice: 'protobuf', protobuf: { schema: { name: 'event.proto', proto: PROTO }, type: 'Event' }, messages: protobufMessages(), typical: TYPICAL, queries: ['$.seq >= 1', '$.seq != 5', '$.seq'], decoderClass: ProtobufDecoder },
];

function settingsOf(c: Case): DecoderSettings {
  if (c.choice === 'socketio') return { engineVersion: 4 };
  if (!c.protobuf) return {};
  const made = protobufChoiceSettings(c.protobuf);
  if ('problem' in made) throw new Error(made.problem);
  return made.settings;
}

/** Decoding every frame in order, with one decoder (seqs from 1). */
function decodeAll(c: Case): (DecodeOutcome | undefined)[] {
  const decoder = createDecoder(c.choice, settingsOf(c));
  return [undefined, ...c.messages.map((m, i) => decoder.decode({ seq: i + 1, dir: m.dir, opcode: m.opcode, bytes: new Uint8Array(m.bytes) }))];
}

function expected(all: (DecodeOutcome | undefined)[], filter: DecodedFilter): number[] {
  const parsed = filter.query !== undefined ? parseDecodedQuery(filter.query) : undefined;
  if (parsed && !parsed.ok) throw new Error(parsed.error);
  const seqs: number[] = [];
  all.forEach((outcome, seq) => {
    if (!outcome || outcome.kind === 'invalid') return;
    if (parsed?.ok && !matchesDecodedQuery(parsed.query, outcome.value)) return;
    if (filter.event !== undefined && !decodedFields(outcome.value).events.includes(filter.event)) return;
    // No stateless protocol names conversations: a conversation filter matches nothing.
    if (filter.conversation !== undefined) return;
    seqs.push(seq);
  });
  return seqs;
}

type Session = Parameters<DecodeCommands['predicate']>[0];

function sessionOf(c: Case): { store: FrameStore; session: Session; decodes: DecodeCommands } {
  const store = new FrameStore();
  for (const m of c.messages) store.push(m.dir, m.opcode, m.bytes);
  const session: Session = { id: c.name, url: c.url ?? 'ws://h/', frames: store, handshakeSteps: () => [] };
  const decodes = new DecodeCommands();
  const state = decodes.state(session, { sessionId: session.id, choice: c.choice, ...(c.protobuf ? { protobuf: c.protobuf } : {}) });
  if (!state.ok) throw new Error(state.error.message);
  return { store, session, decodes };
}

async function search(c: Case, filter: DecodedFilter, backward: boolean): Promise<number[]> {
  const { store, session, decodes } = sessionOf(c);
  const decoded = decodes.predicate(session, filter);
  if (!decoded.ok) throw new Error(decoded.error.message);
  const compiled = compileFilter({});
  if (!compiled.ok) throw new Error(compiled.problem.message);
  compiled.filter.decoded = decoded.value;
  const found: number[] = [];
  let next: number | null = backward ? store.lastSeq : store.firstSeq;
  while (next !== null) {
    const page = await searchFrames(store, compiled.filter, { searchId: 's', limit: 250, fromSeq: next, backward }, { cancelled: () => false, maxDurationMs: 600_000 });
    found.push(...page.matches.map((m) => m.seq));
    next = page.nextSeq;
  }
  return backward ? found.reverse() : found;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(CASES)('$name: a query most frames match', (c) => {
  const all = decodeAll(c);

  it.each(c.queries)('%s: forward and backward equal decoding every frame in order', async (query) => {
    const want = expected(all, { query });
    expect(want.length, 'the query matches most typical messages').toBeGreaterThan(c.typical / 2);
    expect(await search(c, { query }, false)).toEqual(want);
    expect(await search(c, { query }, true)).toEqual(want);
  });

  it(`${c.queries[0] ?? ''}: most typical messages are proven, not decoded`, async () => {
    const query = c.queries[0] ?? '';
    const decode = vi.spyOn(c.decoderClass.prototype, 'decode');
    const found = await search(c, { query }, false);
    expect(found).toEqual(expected(all, { query }));
    const typicalDecoded = decode.mock.calls.filter(([frame]) => frame.seq <= c.typical).length;
    expect(typicalDecoded, 'typical messages decoded').toBeLessThan(c.typical / 10);
  });

  it('with a decoded field or a conversation beside the query, no proof: the matches are still those of decoding in order', async () => {
    const query = c.queries[0] ?? '';
    for (const filter of [{ query, event: 'chat' }, { query, conversation: 'none' }] satisfies DecodedFilter[]) {
      expect(await search(c, filter, false)).toEqual(expected(all, filter));
    }
  });
});
