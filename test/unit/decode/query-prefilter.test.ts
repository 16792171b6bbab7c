/**
 * The JSONPath query search's prefilter (query-literals.ts, query-prefilter.ts): which clauses
 * give a literal and which must not (negations, regular expressions, numbers, orders; the query
 * language has no OR), which protocol and path get a rule, and, for every protocol, queries
 * searched with the prefilter (twice, then backward) giving exactly what decoding every frame in
 * order gives (prefilter-harness.ts), on crafted cases that must be decoded (escapes, chunked and
 * tagged CBOR strings, Base64 of bytes, converted numbers and dates, messages split in two) and on
 * generated streams.
 */
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { encode as cborEncode } from 'cbor-x';
import mqtt from 'mqtt-packet';
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { CborDecoder } from '../../../src-main/core/decode/cbor-decoder';
import { lacksIn } from '../../../src-main/core/decode/compressed-prefilter';
import type { DecoderName, StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';
import { ProtobufDecoder } from '../../../src-main/core/decode/protobuf-decoder';
import { requiredStrings } from '../../../src-main/core/decode/query-literals';
import { loadProtobufSchema, type ProtobufSchema } from '../../../src-main/core/decode/protobuf-schema';
import { queryPrefilter, type QueryPrefilterContext } from '../../../src-main/core/decode/query-prefilter';
import { cborSelfContained } from '../../../src-main/core/decode/raw-prefilter';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import { signalrRefutation } from '../../../src-main/core/decode/signalr-match-proof';
import { parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import type { DecodedFilter } from '../../../src-main/shared/decoding';
import { binary, compareSearches, pick, seeded, text, type Message } from './prefilter-harness';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

const literals = (query: string): string[] => requiredStrings(parsed(query)).map((r) => r.literal);
const ruleFor = (protocol: DecoderName, query: string, protobuf: QueryPrefilterContext['protobuf'] = 'none') => queryPrefilter(protocol, parsed(query), { protobuf });

const PROTO = `syntax = "proto3";
enum Kind { none = 0; chat = 1; }
message Data { string sym = 1; double price = 2; }
message Event { string event = 1; Kind kind = 2; Data data = 3; bytes blob = 4; repeated string tags = 5; map<string, string> labels = 6; int64 big = 7; }`;

function eventSchema(): ProtobufSchema {
  const loaded = loadProtobufSchema({ protoText: PROTO, name: 'event.proto' }, 'Event');
  if ('problem' in loaded) throw new Error(loaded.problem);
  return loaded.schema;
}

function expectSameAsInOrder(messages: readonly Message[], choice: DecoderName, make: () => StreamDecoder, queries: readonly string[], url = 'ws://h/'): void {
  const filters: DecodedFilter[] = queries.map((query) => ({ query }));
  for (const { label, expected, got } of compareSearches(messages, choice, url, make, filters)) {
    expect(got, label).toEqual(expected);
  }
}

describe('the strings a query needs (query-literals.ts)', () => {
  it('takes each path == string clause of the && chain, with the query escapes read', () => {
    expect(literals("$.event == 'chat'")).toEqual(['chat']);
    expect(literals("$.a == 'x' && $.n > 2 && $.b == \"y\"")).toEqual(['x', 'y']);
    expect(literals("$.event == 'it\\'s'")).toEqual(["it's"]);
  });

  it('takes nothing from a negation, a regular expression, an order, a number, true, false, null or a path alone', () => {
    for (const query of ["$.event != 'chat'", '$.event =~ /chat/', "$.event >= 'chat'", '$.n == 7', '$.ok == true', '$.x == null', '$.event']) {
      expect(literals(query), query).toEqual([]);
    }
  });

  it('has no OR to take from: the language refuses one', () => {
    expect(parseDecodedQuery("$.event == 'a' || $.event == 'b'").ok).toBe(false);
  });
});

describe('which query gets a rule (query-prefilter.ts)', () => {
  it('routes a decoded field path to the field search prefilter', () => {
    expect(ruleFor('socketio', "$.event == 'chat'")?.needles.map(String)).toEqual(['"chat"']);
    expect(ruleFor('stomp', "$.headers.destination == '/topic/a'")?.needles.map(String)).toEqual(['\ndestination:/topic/a\n', '\ndestination:/topic/a\r\n', '\n\ufeffdestination:/topic/a\n', '\n\ufeffdestination:/topic/a\r\n']);
    expect(ruleFor('mqtt', "$.topic == 'a/7'")?.kind).toBe('stateful');
    expect(ruleFor('graphql-ws', "$.operation.name == 'OnPrice'")?.kind).toBe('stateful');
    expect(ruleFor('signalr', "$.target == 'Send'")?.kind).toBe('stateful');
    expect(ruleFor('socketio', "$.nsp == '/' && $.event == 'chat'")?.needles.map(String)).toEqual(['"chat"']);
    expect(ruleFor('mqtt', "$.payload == 'on'")?.kind).toBe('stateful');
    // The literal, or an escape JSON text in the frame may write it with (json-text-needles.ts).
    expect(ruleFor('stomp', "$.body == 'x'")?.needles.map(String)).toEqual(['x', '\\u']);
    expect(ruleFor('stomp', "$.body.path == 'a/b'")?.needles.map(String)).toEqual(['a/b', '\\u', '\\/']);
    expect(ruleFor('socketio', "$.args[0].room == 'lobby'")?.needles.map(String)).toEqual(['lobby', '\\']);
    expect(ruleFor('socketio', "$.handshake.sid == 'abc'")?.kind).toBe('self-contained');
    // GraphQL and SignalR: a string of the message's own JSON anywhere but under the decoder's keys.
    expect(ruleFor('graphql-ws', "$.payload.data.sym == 'ABC'")?.needles.map(String)).toContain('"ABC"');
    expect(ruleFor('graphql-ws', "$.operationName == 'OnPrice'")?.needles.map(String)).toContain('"OnPrice"');
    expect(ruleFor('signalr', "$.arguments[0] == 'x'")?.kind).toBe('stateful');
  });

  it('gives none for other paths of JSON protocols, negations, numbers, regular expressions', () => {
    for (const [protocol, query] of [
      ['socketio', "$[*] == 'lobby'"],
      ['stomp', "$.body[*] == 'eA=='"],
      ['graphql-ws', "$.operation.type == 'subscription'"],
      ['graphql-ws', "$[*].type == 'subscription'"],
    ] as const) {
      expect(ruleFor(protocol, query), `${protocol} ${query}`).toBeUndefined();
    }
    // MQTT: no string rule under `packets`; the proof's reading rules single packets out (mqtt-match-proof.ts mqttRefutation).
    const packets = ruleFor('mqtt', "$.packets[0].topic == 'a/7'");
    expect(packets?.kind === 'stateful' ? packets.key : packets).toMatch(/^mqtt refutation/);
    // SignalR: no string or key rule for these; the JSON proof's own reading rules frames out
    // (signalr-match-proof.ts signalrRefutation) and is all the prefilter there is.
    for (const query of ["$.messages[0].messageType == 'Invocation'", "$.conversation.key == 'signalr invocation 1'", "$.messageType == 'Invocation'"]) {
      const refutation = signalrRefutation(parsed(query));
      expect(refutation, query).toBeDefined();
      const rule = ruleFor('signalr', query);
      expect(rule?.kind === 'stateful' ? rule.key : rule, query).toBe(refutation?.key);
    }
    // MQTT's header fields: no string rule, the probe reads them (mqtt-probe.ts).
    for (const query of ['$.qos == 1', "$.cmd == 'publish'"]) expect(ruleFor('mqtt', query)?.kind, query).toBe('stateful');
    // Socket.IO's own fields: no string rule, the probe reads them from the text (socketio-probe.ts).
    for (const query of ["$.nsp == '/admin'", "$.type == 'EVENT'", "$.event != 'chat'", '$.event =~ /^chat$/']) expect(ruleFor('socketio', query)?.kind, query).toBe('stateful');
    // No string rule for an escape or a number's text, but GraphQL's probe follows the path (graphql-probe.ts).
    expect(ruleFor('graphql-ws', "$.payload.data.q == 'a\"b'")?.needles.map(String)).toContain('"subscribe"');
    expect(ruleFor('graphql-ws', "$.payload.data.n == '12'")?.needles.map(String)).toContain('"subscribe"');
  });

  it('gives the UTF-8 of a payload string in MessagePack, CBOR and schema-less protobuf, under [*] as byte strings allow, not under a $ name, not for converted text', () => {
    expect(ruleFor('msgpack', "$.a[0].b == 'caf\u00e9'")?.needles.map((n) => n.toString('hex'))).toEqual([Buffer.from('caf\u00e9').toString('hex'), '5c75']);
    expect(ruleFor('cbor', "$ == 'chat'")?.needles.map(String)).toEqual(['chat', '\\u']);
    expect(ruleFor('protobuf', "$['1'] == 'chat'")?.needles.map(String)).toEqual(['chat', '\\u']);
    expect(ruleFor('msgpack', "$.note.text == 'a\"b'")?.needles.map(String)).toEqual(['a"b', '\\u', '\\"']);
    expect(ruleFor('msgpack', "$.b.$bytes == 'Y2hhdA=='"), '$ name').toBeUndefined();
    // Under [*]: for a literal that may be `$bytes`' Base64 in messages without byte strings only (any-step-prefilter.test.ts).
    for (const query of ["$.a[*] == 'chat2'", "$.a[*] == 'chat'"]) expect(ruleFor('msgpack', query)?.needles.map(String), query).toEqual([query.slice(11, -1), '\\u']);
    // Text a number or a date becomes, or bad UTF-8 reads as: no needle (the bytes need not hold it); the path is probed instead (query-probe.ts).
    for (const query of ["$.n == '9007199254740993'", "$.t == '2020-01-01T00:00:00.000Z'", "$.x == 'NaN'", "$.x == 'a\ufffd'"]) {
      expect(ruleFor('msgpack', query)?.needles, query).toEqual([]);
    }
    expect(ruleFor('protobuf', "$['1'] == 'chat'", 'rules')).toBeUndefined();
  });

  it.each(['base64', 'compressed'] as const)('for %s, only a payload string path, unwrapping the payload to look', (protocol) => {
    for (const query of ["$.payload.event == 'chat'", "$.payload == 'chat'"]) {
      const rule = ruleFor(protocol, query);
      expect(rule?.kind === 'self-contained' && rule.lacks !== undefined, query).toBe(true);
    }
    for (const query of ["$.as == 'JSON'", "$.compression == 'gzip'", "$.payload[*] == 'chat'", "$.payload.$bytes == 'Y2hhdA=='"]) {
      expect(ruleFor(protocol, query), query).toBeUndefined();
    }
    // Text json-value.ts makes of a number is no string of the payload's bytes: the payload probe
    // (payload-probe.ts) reads the value instead, and passes over the number 12, not 'Infinity'.
    const wrap = (json: string): Buffer => (protocol === 'base64' ? Buffer.from(Buffer.from(json).toString('base64'), 'latin1') : gzipSync(json));
    for (const [query, passedOver, kept] of [["$.payload.n == '12'", '{"n": 12}', '{"n": "12"}'], ["$.payload.n == 'Infinity'", '{"n": 1}', '{"n": 1e400}']] as const) {
      const rule = ruleFor(protocol, query);
      const lacks = rule?.kind === 'self-contained' ? rule.lacks?.bind(rule) : undefined;
      expect(lacks?.(wrap(passedOver), 0, wrap(passedOver).length), `${query} ${passedOver}`).toBe(true);
      expect(lacks?.(wrap(kept), 0, wrap(kept).length), `${query} ${kept}`).toBe(false);
    }
  });

  it('with a Protocol Buffers schema, only for a path to a string field', () => {
    const type = eventSchema().messageType;
    if (!type) throw new Error('no messageType');
    for (const query of ["$.event == 'chat'", "$.data.sym == 'chat'", "$.tags[1] == 'chat'"]) expect(ruleFor('protobuf', query, type), query).toBeDefined();
    for (const query of ["$.kind == 'chat'", "$.blob == 'Y2hhdA=='", "$.tags == 'chat'", "$.labels.a == 'chat'", "$.big == '7'"]) {
      expect(ruleFor('protobuf', query, type), query).toBeUndefined();
    }
    // No needle where the string need not be the bytes, but the path is followed in them (query-probe.ts, protobuf-probe.ts).
    for (const query of ["$.nothing == 'chat'", "$.data == 'chat'", "$.data.price == 'chat'"]) expect(ruleFor('protobuf', query, type)?.needles, query).toEqual([]);
  });

  it('takes a CBOR message as its bytes only when it is one data item without tags and indefinite lengths, read head by head', () => {
    const check = (bytes: Buffer): boolean => cborSelfContained(bytes, 0, bytes.length);
    expect(check(cborEncode({ event: 'chat', n: 1, seq: 0xc0d8c6, price: 1.5, list: [1, 'x', null, true] }))).toBe(true);
    expect(check(cborEncode({ b: Buffer.from([0xc0, 0xd8, 0x7f]) }))).toBe(true); // tag-like bytes inside a byte string
    expect(check(Buffer.from([0x7f, 0x62, 0x63, 0x68, 0x62, 0x61, 0x74, 0xff]))).toBe(false); // "ch" "at" in chunks
    expect(check(Buffer.from([0xc0, 0x64, 0x63, 0x68, 0x61, 0x74]))).toBe(false); // tag 0
    expect(check(Buffer.from([0xa1, 0x61, 0x65, 0xd8, 0x20, 0x64, 0x63, 0x68, 0x61, 0x74]))).toBe(false); // {e: 32("chat")}
    expect(check(Buffer.from([0x9f, 0x64, 0x63, 0x68, 0x61, 0x74, 0xff]))).toBe(false); // an indefinite array
    expect(check(Buffer.from([0x64, 0x63, 0x68, 0x61]))).toBe(false); // truncated
    expect(check(Buffer.from([0x01, 0x02]))).toBe(false); // bytes after the item
    expect(check(Buffer.from([0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(false); // an array longer than the message
  });
});

describe('query searches with the prefilter count what decoding every frame in order counts', () => {
  it('Socket.IO: an escaped event name, a binary event named on its attachment, another path', () => {
    const messages = [
      text('in', '0{"sid":"a"}'),
      text('in', '40'),
      text('in', '42["chat",1]'),
      text('in', '42["ch\\u0061t",2]'),
      text('in', '42["other","chat"]'),
      text('in', '451-["chat",{"_placeholder":true,"num":0}]'),
      binary('in', [1, 2, 3]),
      text('in', '42/admin,["chat"]'),
    ];
    const make = () => createDecoder('socketio', { engineVersion: 4 });
    expectSameAsInOrder(messages, 'socketio', make, ["$.event == 'chat'", "$.event == 'chat' && $.nsp == '/admin'", "$.data[1] == 'chat'", "$.event != 'chat'"], 'ws://h/socket.io/?EIO=4');
  });

  it('MQTT 5: payloads and user properties, aliases set and used, a packet over two messages', () => {
    const v5 = { protocolVersion: 5 } as const;
    const packet = (p: Record<string, unknown>): Buffer => mqtt.generate(p as unknown as mqtt.Packet, v5);
    const publish = (topic: string, payload: string, properties: Record<string, unknown> = {}): Buffer =>
      packet({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false, properties });
    const aliased = publish('', 'on', { topicAlias: 3 });
    const messages = [
      binary('out', packet({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 30 })),
      binary('in', publish('a/7', 'zz', { topicAlias: 3 })),
      binary('in', aliased),
      binary('in', publish('a/8', 'off', { userProperties: { k: 'on' } })),
      binary('in', Buffer.concat([publish('a/9', 'x'), publish('a/9', 'on')])),
      binary('in', aliased.subarray(0, 3)),
      binary('in', aliased.subarray(3)),
      binary('in', publish('a/7', 'o\u00ff')),
    ];
    expectSameAsInOrder(messages, 'mqtt', () => createDecoder('mqtt', {}), ["$.payload == 'on'", "$.payload == 'on' && $.topic == 'a/7'", "$.properties.userProperties.k == 'on'", "$.packets[1].payload == 'on'", "$.payload == 'o\u00ff'"]);
  });

  it('Socket.IO: strings in arguments, packet data and the handshake; escapes anywhere; an argument in a binary event', () => {
    const messages = [
      text('in', '0{"sid":"lobby","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'),
      text('out', '40{"token":"lobby"}'),
      text('in', '2probe'),
      text('in', '42["chat",{"room":"lobby"}]'),
      text('in', '42["chat",{"room":"lo\\u0062by"}]'),
      text('in', '42/admin,7["chat","lobby"]'),
      text('in', '451-["chat",{"_placeholder":true,"num":0},"lobby"]'),
      binary('in', [1, 2, 3]),
      text('in', '43["lobby"]'),
      text('in', '42["chat",{"room":"other"}]'),
    ];
    const make = () => createDecoder('socketio', { engineVersion: 4 });
    expectSameAsInOrder(messages, 'socketio', make, ["$.args[0].room == 'lobby'", "$.args[0] == 'lobby'", "$.args[1] == 'lobby'", "$.data.token == 'lobby'", "$.data == 'probe'", "$.handshake.sid == 'lobby'"], 'ws://h/socket.io/?EIO=4');
  });

  it('GraphQL over WebSocket: result data, escapes, a message with its own operation key, the subscribe that names results', () => {
    const messages = [
      text('out', '{"type":"connection_init"}'),
      text('out', '{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { prices }"}}'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"prices":{"sym":"chat"}}}}'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"prices":{"sym":"ch\\u0061t"}}}}'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"prices":{"sym":"other"}}}}'),
      text('in', '{"id":"2","type":"next","payload":{"data":{"prices":{"sym":"chat"}}},"operation":{"name":"chat"}}'),
      text('in', '{"id":"1","type":"complete"}'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"prices":{"sym":"OnPrice"}}}}'),
    ];
    expectSameAsInOrder(messages, 'graphql-ws', () => createDecoder('graphql-ws', {}), ["$.payload.data.prices.sym == 'chat'", "$.operation.name == 'OnPrice'", "$.operation.name == 'chat'", "$.type == 'next' && $.payload.data.prices.sym == 'OnPrice'", "$.payload.query == 'subscription OnPrice { prices }'", "$.payload.data.prices.sym == 'chat' && $.operation.name == 'OnPrice'"]);
  });

  it('STOMP: destination header lines, a frame split over two messages, escapes in a header', () => {
    const frame = (destination: string) => `MESSAGE\ndestination:${destination}\nmessage-id:1\n\nbody\0`;
    const whole = frame('/topic/a');
    const messages = [text('in', 'CONNECTED\nversion:1.2\n\n\0'), text('in', whole), text('in', frame('/topic/ab')), text('in', whole.slice(0, 9)), text('in', whole.slice(9)), text('in', 'MESSAGE\ndestination:/topic\\ca\n\n\0'), text('in', frame('/topic/b'))];
    expectSameAsInOrder(messages, 'stomp', () => createDecoder('stomp', {}), ["$.headers.destination == '/topic/a'", "$.headers.destination == '/topic:a'", "$.body == 'body'", "$.headers['message-id'] == '1'", "$.command == 'MESSAGE'"]);
  });

  it('STOMP: header values and bodies, escaped headers, repeated headers, a frame over two messages', () => {
    const messages = [
      text('in', 'CONNECTED\nversion:1.2\n\n\0'),
      text('in', 'MESSAGE\ndestination:/a\nx-id:chat\n\nhello\0'),
      text('in', 'MESSAGE\ndestination:/a\nx-id:ch\\cat\n\nhello\0'),
      text('in', 'MESSAGE\ndestination:/a\nx-id:first\nx-id:chat\n\nchat\0'),
      text('in', 'MESSAGE\ndestination:/a\nx-id:ch'),
      text('in', 'at\n\nhel'),
      text('in', 'lo\0'),
      text('in', 'MESSAGE\ndestination:/a\ncontent-length:4\n\nch\0t\0'),
      binary('in', Buffer.concat([Buffer.from('MESSAGE\ndestination:/a\n\n'), Buffer.from([0xff, 0x00])])),
    ];
    expectSameAsInOrder(messages, 'stomp', () => createDecoder('stomp', {}), ["$.headers['x-id'] == 'chat'", "$.headers['x-id'] == 'ch:at'", "$.body == 'hello'", "$.body == 'chat'", "$.headerList[1][1] == 'chat'", "$.body == 'ch\u0000t'"]);
  });

  it('MessagePack: bytes, dates, top-level strings, bad UTF-8, values nested in lists', () => {
    const badUtf8 = Buffer.from([0x81, 0xa5, ...Buffer.from('event'), 0xa4, 0x63, 0x68, 0xc3, 0x28]); // {event: "ch\xc3("}
    const messages = [
      binary('in', pack({ event: 'chat', a: [{ b: 'caf\u00e9' }] })),
      binary('in', pack({ event: 'other', a: [{ b: 'chat' }] })),
      binary('in', pack({ b: Buffer.from('chat') })),
      binary('in', pack('chat')),
      binary('in', pack({ t: new Date(Date.UTC(2020, 0, 1)) })),
      binary('in', badUtf8),
      binary('in', pack({ event: 'chat' }).subarray(0, 4)),
      text('out', '{"event":"chat"}'),
    ];
    expectSameAsInOrder(messages, 'msgpack', () => new MsgpackDecoder(), [
      "$.event == 'chat'",
      "$.a[0].b == 'caf\u00e9'",
      "$.a[0].b == 'chat'",
      "$ == 'chat'",
      "$.b.$bytes == 'Y2hhdA=='",
      "$.b[*] == 'Y2hhdA=='",
      "$.t == '2020-01-01T00:00:00.000Z'",
      "$.event == 'ch\ufffd('",
    ]);
  });

  it('CBOR: indefinite-length (chunked) strings, tags, dates, byte strings', () => {
    const chunked = Buffer.from([0xa1, 0x65, ...Buffer.from('event'), 0x7f, 0x62, 0x63, 0x68, 0x62, 0x61, 0x74, 0xff]); // {event: "ch"+"at"}
    const tagged = Buffer.from([0xa1, 0x65, ...Buffer.from('event'), 0xd8, 0x20, 0x64, ...Buffer.from('chat')]); // {event: 32("chat")}
    const messages = [
      binary('in', cborEncode({ event: 'chat' })),
      binary('in', chunked),
      binary('in', tagged),
      binary('in', cborEncode({ event: 'other', t: new Date(Date.UTC(2020, 0, 1)) })),
      binary('in', cborEncode({ b: Buffer.from('chat') })),
      binary('in', cborEncode('chat')),
      binary('in', Buffer.from([0xff])),
    ];
    expectSameAsInOrder(messages, 'cbor', () => new CborDecoder(), ["$.event == 'chat'", "$.event.value == 'chat'", "$ == 'chat'", "$.b.$bytes == 'Y2hhdA=='", "$.t == '2020-01-01T00:00:00.000Z'"]);
  });

  it('Protocol Buffers without a schema: text fields, nested messages, bytes that are not text', () => {
    const field = (number: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
    const messages = [
      binary('in', field(1, Buffer.from('chat'))),
      binary('in', field(2, field(1, Buffer.from('chat')))),
      binary('in', field(1, Buffer.from([0x63, 0x68, 0x61, 0x74, 0x00]))),
      binary('in', field(1, Buffer.from('other'))),
      binary('in', Buffer.from([0x0a, 0x09])),
    ];
    expectSameAsInOrder(messages, 'protobuf', () => new ProtobufDecoder(), ["$['1'] == 'chat'", "$['2']['1'] == 'chat'", "$['1'].$bytes == 'Y2hhdAA='"]);
  });

  it('Protocol Buffers with a schema: string fields, an enum value named like the literal, bytes, bad UTF-8', () => {
    const schema = eventSchema();
    const type = schema.messageType;
    if (!type) throw new Error('no messageType');
    const event = (fields: Record<string, unknown>): Buffer => Buffer.from(type.encode(type.fromObject(fields)).finish());
    const badUtf8 = Buffer.from([0x0a, 0x04, 0x63, 0x68, 0xc3, 0x28]); // event: "ch\xc3("
    const messages = [
      binary('in', event({ event: 'chat', data: { sym: 'x' } })),
      binary('in', event({ event: 'other', data: { sym: 'chat' }, tags: ['a', 'chat'] })),
      binary('in', event({ event: 'x', kind: 1 })),
      binary('in', event({ event: 'other', blob: Buffer.from('chat'), labels: { a: 'chat' } })),
      binary('in', badUtf8),
      binary('in', Buffer.from([0x0a, 0x09])),
    ];
    const queries = ["$.event == 'chat'", "$.data.sym == 'chat'", "$.tags[1] == 'chat'", "$.kind == 'chat'", "$.blob == 'Y2hhdA=='", "$.labels.a == 'chat'", "$.event == 'ch\ufffd('"];
    const filters = queries.map((query) => ({ query }));
    for (const { label, expected, got } of compareSearches(messages, 'protobuf', 'ws://h/', () => new ProtobufDecoder(schema), filters, undefined, { schema: { name: 'event.proto', proto: PROTO }, type: 'Event' })) {
      expect(got, label).toEqual(expected);
    }
  });

  it('SignalR MessagePack: hub messages split over binary messages, several in one, the target in arguments', () => {
    const hub = (items: unknown[]): Buffer => {
      const body = pack(items);
      return Buffer.concat([Buffer.from([body.length]), body]);
    };
    const send = hub([1, {}, '1', 'Send', ['x']]);
    const messages = [
      text('out', '{"protocol":"messagepack","version":1}\u001e'),
      text('in', '{}\u001e'),
      binary('in', send),
      binary('in', hub([1, {}, null, 'Other', ['Send']])),
      binary('in', send.subarray(0, 5)),
      binary('in', send.subarray(5)),
      binary('in', Buffer.concat([hub([1, {}, null, 'Other', []]), hub([1, {}, null, 'Send', []])])),
      binary('in', hub([1, {}, null, 'Sender', []])),
    ];
    expectSameAsInOrder(messages, 'signalr', () => new SignalRDecoder(), ["$.target == 'Send'", "$.messages[1].target == 'Send'", "$.event == 'Send'"]);
  });

  it('compressed payloads: the in-place look for the literal (lacksIn)', () => {
    const needle = Buffer.from('chat');
    const lacks = (text: string, length = Buffer.byteLength(text)): boolean => lacksIn(Buffer.from(text), length, needle);
    expect(lacks('{"e":"chat"}')).toBe(false);
    expect(lacks('chchat')).toBe(false);
    expect(lacks('xxchat')).toBe(false);
    expect(lacks('xxcha')).toBe(true);
    expect(lacks('xxchat', 5)).toBe(true); // only the first `length` bytes count
    expect(lacks('{"e":"c\\u0068at"}')).toBe(false); // a backslash: the decoder decides
    expect(lacks('{"e":"other"}')).toBe(true);
    expect(lacks('')).toBe(true);
  });

  it('compressed payloads: every compression, escapes, text, bytes, long outputs, members, refused and tiny messages', () => {
    const chat = Buffer.from('{"event":"chat"}');
    const messages: Message[] = [
      binary('in', gzipSync(chat)),
      binary('in', deflateSync(chat)),
      binary('in', deflateRawSync(chat)),
      binary('in', brotliCompressSync(chat)),
      binary('in', gzipSync(Buffer.from('{"event":"ch\\u0061t"}'))),
      binary('in', brotliCompressSync(Buffer.from('{"event":"ch\\u0061t"}'))),
      binary('in', gzipSync(Buffer.from('{"event":"other"}'))),
      { dir: 'in', opcode: 'text', bytes: gzipSync(Buffer.from('chat')) }, // a text message may carry it too
      binary('in', deflateSync(Buffer.from('chat'))),
      binary('in', gzipSync(Buffer.from([0xff, 0x63, 0x68, 0x61, 0x74]))),
      binary('in', gzipSync(Buffer.from(`[{"event":"chat"},"${'x'.repeat(70_000)}"]`))), // past the scratch buffer
      binary('in', gzipSync(Buffer.from(`{"pad":"${'x'.repeat(70_000)}","event":"other"}`))),
      binary('in', Buffer.concat([gzipSync(Buffer.from('{"event":')), gzipSync(Buffer.from('"chat"}'))])), // two gzip members
      binary('in', Buffer.concat([gzipSync(chat), Buffer.from('trailing')])),
      binary('in', gzipSync(chat).subarray(0, 12)), // truncated
      binary('in', Buffer.from('not compressed at all')),
      binary('in', [0x1f, 0x8b]),
      binary('in', [0x06]), // an empty brotli stream
      binary('in', []),
      binary('in', gzipSync(Buffer.from('{"event":"other","n":1e400}'))),
      { dir: 'in', opcode: 'ping', bytes: gzipSync(chat) },
    ];
    expectSameAsInOrder(messages, 'compressed', () => createDecoder('compressed', {}), ["$.payload.event == 'chat'", "$.payload == 'chat'", "$.payload[0].event == 'chat'", "$.payload.n == 'Infinity'"]);
  });

  it('Base64: escapes, gzip inside, both alphabets, line ends, text, bytes, Infinity, refused messages', () => {
    const b64 = (bytes: Buffer | string, alphabet: 'base64' | 'base64url' = 'base64'): Message => text('in', Buffer.from(bytes).toString(alphabet));
    const messages = [
      b64('{"event":"chat"}'),
      b64('{"event":"ch\\u0061t"}'),
      b64(gzipSync(Buffer.from('{"event":"chat"}'))),
      b64(deflateSync(Buffer.from('{"event":"chat"}'))),
      b64(gzipSync(Buffer.from('{"event":"other"}'))),
      b64(gzipSync(Buffer.from('{"event":"ch\\u0061t"}'))),
      b64(gzipSync(Buffer.from('{"event":"chat"}')).subarray(0, 14)),
      b64(gzipSync(Buffer.from(`[{"event":"chat"},"${'x'.repeat(70_000)}"]`))),
      b64('{"event":"chat","x":"\u00ff\u00fe?>"}', 'base64url'),
      text('in', `${Buffer.from('{"event":"chat"}').toString('base64')}\r\n`),
      b64('chat'),
      b64(Buffer.from([0xff, 0x63, 0x68, 0x61, 0x74])),
      b64('{"event":"other","n":1e400}'),
      b64('[{"event":"chat"}]'),
      text('in', 'not base64!'),
      text('in', `${Buffer.from('{"event":"chat"}').toString('base64')}=`),
      // Text that starts with a zlib header ('x^': 0x785e is a multiple of 31) and does not inflate: shown as its text.
      b64('x^chat'),
    ];
    expectSameAsInOrder(messages, 'base64', () => createDecoder('base64', {}), ["$.payload.event == 'chat'", "$.payload == 'chat'", "$.payload[0].event == 'chat'", "$.payload.n == 'Infinity'", "$.payload == 'x^chat'"]);
  });
});

describe('generated MessagePack, CBOR, protobuf, Base64 and SignalR MessagePack streams', () => {
  // PREFILTER_FUZZ_ROUNDS=1000 PREFILTER_FUZZ_SEED=1 runs more rounds on other streams (as prefilter-fuzz.test.ts).
  const ROUNDS = Number(process.env.PREFILTER_FUZZ_ROUNDS ?? 40);
  const SEED = Number(process.env.PREFILTER_FUZZ_SEED ?? 0);
  const WORDS = ['chat', 'chat2', 'xchat', 'caf\u00e9', 'Send', 'Sender', ''];

  function value(random: (n: number) => number, depth = 0): unknown {
    switch (random(depth > 2 ? 4 : 7)) {
      case 0:
        return pick(random, WORDS);
      case 1:
        return random(1000);
      case 2:
        return Buffer.from(pick(random, WORDS));
      case 3:
        return random(2) === 0 ? null : new Date(Date.UTC(2020, 0, 1 + random(3)));
      case 4:
        return [value(random, depth + 1), value(random, depth + 1)];
      default:
        return { event: pick(random, WORDS), a: [value(random, depth + 1)], b: value(random, depth + 1) };
    }
  }

  /** A message's bytes, sometimes cut or with a byte changed (invalid, or another value). */
  function damaged(random: (n: number) => number, bytes: Buffer): Buffer {
    if (random(6) !== 0 || bytes.length < 2) return bytes;
    if (random(2) === 0) return bytes.subarray(0, random(bytes.length));
    const copy = Buffer.from(bytes);
    copy[random(copy.length)] = random(256);
    return copy;
  }

  const QUERIES = ["$.event == 'chat'", "$.a[0] == 'caf\u00e9'", "$.b == 'chat'", "$ == 'Send'", "$.a[0].event == 'chat'", "$.b.$bytes == 'Y2hhdA=='", "$.a[*] == 'chat2'", "$[*] == 'caf\u00e9'", "$.b[*] == 'Y2hhdA=='", "$.a[*][*] == 'xchat'", "$[*][*] == 'Y2hhdDI='", "$.b[*][*] == 'Sender'"];

  it('MessagePack and CBOR values', () => {
    const random = seeded(7 + 100 * SEED);
    for (let round = 0; round < ROUNDS; round++) {
      const values = Array.from({ length: 30 }, () => value(random));
      expectSameAsInOrder(values.map((v) => binary('in', damaged(random, pack(v)))), 'msgpack', () => new MsgpackDecoder(), QUERIES);
      expectSameAsInOrder(values.map((v) => binary('in', damaged(random, cborEncode(v)))), 'cbor', () => new CborDecoder(), QUERIES);
    }
  });

  it('Protocol Buffers without a schema', () => {
    const random = seeded(8 + 100 * SEED);
    const field = (number: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
    const message = (depth: number): Buffer => {
      const parts: Buffer[] = [];
      for (let i = random(3) + 1; i > 0; i--) {
        const number = random(3) + 1;
        if (random(4) === 0) parts.push(Buffer.from([(number << 3) | 0, random(128)]));
        else parts.push(field(number, depth < 2 && random(3) === 0 ? message(depth + 1) : Buffer.from(pick(random, WORDS) + (random(4) === 0 ? '\u0001' : ''))));
      }
      return Buffer.concat(parts);
    };
    for (let round = 0; round < ROUNDS; round++) {
      const messages = Array.from({ length: 30 }, () => binary('in', damaged(random, message(0))));
      expectSameAsInOrder(messages, 'protobuf', () => new ProtobufDecoder(), ["$['1'] == 'chat'", "$['2']['1'] == 'caf\u00e9'", "$['3'][0] == 'chat'", "$['2'][*] == 'chat2'", "$[*][*] == 'caf\u00e9'", "$[*] == 'xchat'"]);
    }
  });

  it('STOMP frames with escapes, content-length, heart-beats, cut at random points', () => {
    const random = seeded(11 + 100 * SEED);
    for (let round = 0; round < ROUNDS; round++) {
      let stream = random(2) === 0 ? 'CONNECTED\nversion:1.2\n\n\0' : '';
      for (let i = 0; i < 25; i++) {
        const value = pick(random, ['chat', 'ch\\cat', 'chat2', 'x', 'caf\u00e9']);
        const body = pick(random, ['chat', 'hello', '', 'ch\u0000at']);
        const length = body.includes('\u0000') || random(3) === 0 ? `content-length:${Buffer.byteLength(body)}\n` : '';
        stream += `${pick(random, ['MESSAGE', 'SEND', 'RECEIPT'])}\ndestination:/a\nx-id:${value}\n${length}\n${body}\0${random(4) === 0 ? '\n' : ''}`;
      }
      const bytes = Buffer.from(stream, 'utf8');
      const messages: Message[] = [];
      for (let at = 0; at < bytes.length; ) {
        const frameEnd = bytes.indexOf(0, at) + 1;
        const end = random(4) === 0 ? Math.min(bytes.length, at + 1 + random(40)) : frameEnd > at ? frameEnd : bytes.length;
        messages.push(text('in', bytes.subarray(at, end).toString('utf8')));
        at = end;
      }
      expectSameAsInOrder(messages, 'stomp', () => createDecoder('stomp', {}), ["$.headers['x-id'] == 'chat'", "$.headers['x-id'] == 'ch:at'", "$.body == 'chat'", "$.body == 'ch\u0000at'", "$.headers[*] == 'chat2'", "$.headers[*] == 'ch:at'", "$[*] == 'ch\u0000at'"]);
    }
  });

  it('Base64 of JSON, text and gzip, in both alphabets, some damaged', () => {
    const random = seeded(10 + 100 * SEED);
    const json = (): string => {
      const word = pick(random, [...WORDS, 'ch\\u0061t', 'c\\"hat']);
      return pick(random, [`{"event":"${word}","a":["${pick(random, WORDS)}"]}`, `[{"event":"${word}"}]`, word, `{"event":${random(9)}}`]);
    };
    for (let round = 0; round < ROUNDS; round++) {
      const messages = Array.from({ length: 30 }, () => {
        const inner = random(5) === 0 ? gzipSync(Buffer.from(json())) : Buffer.from(json());
        return text('in', damaged(random, Buffer.from(inner.toString(random(3) === 0 ? 'base64url' : 'base64'))).toString('latin1'));
      });
      expectSameAsInOrder(messages, 'base64', () => createDecoder('base64', {}), ["$.payload.event == 'chat'", "$.payload == 'chat'", "$.payload.a[0] == 'caf\u00e9'", "$.payload[0].event == 'chat'", "$.payload.a[*] == 'caf\u00e9'", "$.payload[*].event == 'chat2'", "$.payload[*] == 'xchat'"]);
    }
  });

  it('gzip, deflate, raw deflate and brotli of JSON and text, some damaged', () => {
    const random = seeded(12 + 100 * SEED);
    const compress = [gzipSync, deflateSync, deflateRawSync, brotliCompressSync];
    for (let round = 0; round < ROUNDS; round++) {
      const messages = Array.from({ length: 30 }, () => {
        const word = pick(random, [...WORDS, 'ch\\u0061t', 'c\\"hat']);
        const inner = pick(random, [`{"event":"${word}","a":["${pick(random, WORDS)}"]}`, `[{"event":"${word}"}]`, word, `{"event":${random(9)}}`]);
        return binary('in', damaged(random, pick(random, compress)(Buffer.from(inner))));
      });
      expectSameAsInOrder(messages, 'compressed', () => createDecoder('compressed', {}), ["$.payload.event == 'chat'", "$.payload == 'chat'", "$.payload.a[0] == 'caf\u00e9'", "$.payload[0].event == 'chat'", "$.payload.a[*] == 'caf\u00e9'", "$.payload[*].event == 'chat2'", "$.payload[*] == 'xchat'"]);
    }
  });

  it('SignalR MessagePack hub messages cut and interleaved in both directions', () => {
    const random = seeded(9 + 100 * SEED);
    for (let round = 0; round < ROUNDS; round++) {
      const streams: Record<'in' | 'out', Buffer[]> = { in: [], out: [] };
      for (let i = 0; i < 30; i++) {
        const target = pick(random, ['Send', 'Sender', 'Other', 'xSend']);
        const body = pack(random(5) === 0 ? [3, {}, String(i), 3, target] : [1, {}, random(2) === 0 ? null : String(i), target, [pick(random, WORDS)]]);
        streams[random(3) === 0 ? 'out' : 'in'].push(Buffer.concat([Buffer.from([body.length]), body]));
      }
      const messages: Message[] = [text('out', '{"protocol":"messagepack","version":1}\u001e'), text('in', '{}\u001e')];
      const queues = { in: Buffer.concat(streams.in), out: Buffer.concat(streams.out) };
      const at = { in: 0, out: 0 };
      while (at.in < queues.in.length || at.out < queues.out.length) {
        const dir = at.out >= queues.out.length || (at.in < queues.in.length && random(2) === 0) ? 'in' : 'out';
        const end = Math.min(queues[dir].length, at[dir] + 1 + random(random(2) === 0 ? 12 : 60));
        messages.push(binary(dir, queues[dir].subarray(at[dir], end)));
        at[dir] = end;
      }
      const filters = ["$.target == 'Send'", "$.event == 'Send'", "$.messages[0].target == 'Send'", "$.arguments[0] == 'chat'", "$.messages[1].arguments[0] == 'caf\u00e9'", "$.arguments[*] == 'chat2'", "$.messages[*].arguments[*] == 'caf\u00e9'", "$.arguments[*] == 'xchat'", "$.arguments[*] == 'chat'", "$.messages[*].arguments[*] == 'Send'"];
      expectSameAsInOrder(messages, 'signalr', () => new SignalRDecoder(), filters);
      for (const { label, expected, got } of compareSearches(messages, 'signalr', 'ws://h/', () => new SignalRDecoder(), [{ event: 'Send' }])) expect(got, label).toEqual(expected);
    }
  });
});
