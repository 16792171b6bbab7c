/**
 * The query prefilter's string rules for paths with `[*]` (query-prefilter.ts ANY_STEPS,
 * query-literals.ts reachesPayloadStringsThroughAny, mayBeBase64): which queries get a rule, and
 * crafted streams of every protocol where a `[*]` may reach text the decoder makes rather than
 * the message holds (`$bytes` of binary attachments, bodies and payloads, `$cut`, Infinity, the
 * decoders' own fields, aliased topics, strings holding JSON text, escapes), each searched with
 * the prefilter (twice, then backward) against decoding every frame in order (prefilter-harness.ts).
 */
import { gzipSync } from 'node:zlib';
import { encode as cborEncode } from 'cbor-x';
import mqtt from 'mqtt-packet';
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { CborDecoder } from '../../../src-main/core/decode/cbor-decoder';
import type { DecoderName, StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';
import { ProtobufDecoder } from '../../../src-main/core/decode/protobuf-decoder';
import { mayBeBase64, reachesPayloadStringsThroughAny } from '../../../src-main/core/decode/query-literals';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import { parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, text, type Message } from './prefilter-harness';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

/** The needles of the rule the query gets, as text ([] for a rule without needles, undefined for none). */
function needles(protocol: DecoderName, query: string): string[] | undefined {
  return queryPrefilter(protocol, parsed(query), { protobuf: 'none' })?.needles.map(String);
}

function expectSameAsInOrder(messages: readonly Message[], choice: DecoderName, make: () => StreamDecoder, queries: readonly string[], url = 'ws://h/'): void {
  for (const { label, expected, got } of compareSearches(messages, choice, url, make, queries.map((query) => ({ query })))) {
    expect(got, label).toEqual(expected);
  }
}

/** A value nested `levels` arrays deep around "x" as JSON text: json-value.ts cuts it at 64. */
const deepJson = (levels: number): string => `${'['.repeat(levels)}"x"${']'.repeat(levels)}`;
/** `$` + `head` + `[0]` × n + `[*] == 'nested deeper than 64 levels'`: the `$cut` text of a value cut n levels in. */
const cutQuery = (head: string, n: number): string => `$${head}${'[0]'.repeat(n)}[*] == 'nested deeper than 64 levels'`;
const SIGNALR_RS = '\u001e';
/** Bytes that are not UTF-8: every decoder shows them as {$bytes: '//79', length: 3}. */
const NOT_UTF8 = Buffer.from([0xff, 0xfe, 0xfd]);

describe('which [*] paths get a string rule', () => {
  it('knows Base64 as Buffer writes it, and no more than it must', () => {
    for (const literal of ['//79', 'AQID', 'Y2hhdA==', 'Y2hhdDI=', 'chat', 'Send']) expect(mayBeBase64(literal), literal).toBe(true);
    for (const literal of ['r3', 'room3', 'caf\u00e9', 'a/7', 'Y2hhd=A=', 'Y2h', 'a b!']) expect(mayBeBase64(literal), literal).toBe(false);
    expect(NOT_UTF8.toString('base64')).toBe('//79');
  });

  it('refuses a [*] path longer than the cut allows, and $ names', () => {
    const any = parsed("$.a[*] == 'x'").clauses[0]?.path ?? [];
    expect(reachesPayloadStringsThroughAny(any, () => true)).toBe(true);
    expect(reachesPayloadStringsThroughAny(any, () => false)).toBe(false);
    expect(reachesPayloadStringsThroughAny(parsed(cutQuery('', 40)).clauses[0]?.path ?? [], () => true)).toBe(false);
    expect(reachesPayloadStringsThroughAny(parsed("$.a[*].$bytes == 'x'").clauses[0]?.path ?? [], () => true)).toBe(false);
  });

  it('gives each protocol its string rule where a [*] reaches only the payload', () => {
    for (const [protocol, query, literal] of [
      ['socketio', "$.args[*].room == 'r3'", 'r3'],
      ['socketio', "$.args[*][*] == 'AQID'", 'AQID'],
      ['socketio', "$.data[*] == 'r3'", 'r3'],
      ['signalr', "$.arguments[*] == 'room3'", '"room3"'],
      ['signalr', "$.messages[*].arguments[*] == 'room3'", '"room3"'],
      ['graphql-ws', "$.payload.data.prices[*] == 'r3'", '"r3"'],
      ['stomp', "$.headers[*] == 'r3'", ':r3\n'],
      ['stomp', "$[*] == 'MESSAGE'", 'MESSAGE'],
      ['stomp', "$.headers[*] == '//79'", '://79\n'],
      ['stomp', "$.headerList[*][*] == '//79'", '\n//79:'],
      ['mqtt', "$.payload.items[*] == 'on'", 'on'],
      ['mqtt', "$.subscriptions[0][*] == 'a/7'", 'a/7'],
      ['msgpack', "$.a[*] == 'caf\u00e9!'", 'caf\u00e9!'],
      ['cbor', "$[*] == 'r3'", 'r3'],
      ['protobuf', "$['1'][*] == 'r3'", 'r3'],
    ] as const) {
      expect(needles(protocol, query), `${protocol} ${query}`).toContain(literal);
    }
    for (const protocol of ['base64', 'compressed'] as const) {
      for (const query of ["$.payload.a[*] == 'r3'", "$.payload[*] == 'r3'", "$.payload[*].a == 'chat2'"]) expect(needles(protocol, query), `${protocol} ${query}`).toEqual([]);
    }
  });

  it('gives none where a [*] may reach the decoder own fields or a wrapper Base64', () => {
    for (const [protocol, query, literal] of [
      ['signalr', "$[*] == 'Invocation'", 'Invocation'],
      ['signalr', "$.messages[1][*] == 'Invocation'", 'Invocation'],
      ['graphql-ws', "$[*].type == 'subscription'", 'subscription'],
      ['mqtt', "$[*] == 'publish'", 'publish'],
      ['mqtt', "$.packets[1][*] == 'publish'", 'publish'],
      ['mqtt', "$.payload[*] == '//79'", '//79'],
      ['stomp', "$.body[*] == '//79'", '//79'],
      ['stomp', "$[*][*] == '//79'", '//79'],
      ['protobuf', "$['1'][*][*] == '//79'", '//79'],
      ['socketio', cutQuery('.args[0]', 65), 'nested deeper than 64 levels'],
      ['msgpack', cutQuery('', 65), 'nested deeper than 64 levels'],
    ] as const) {
      expect(needles(protocol, query) ?? [], `${protocol} ${query}`).not.toContain(literal);
      expect(needles(protocol, query) ?? [], `${protocol} ${query}`).not.toContain(`"${literal}"`);
    }
    // SignalR, a literal that may be Base64: the rule for messages without byte strings.
    for (const query of ["$.arguments[*][*] == 'AQID'", "$.arguments[*] == 'Send'"]) {
      const rule = queryPrefilter('signalr', parsed(query), { protobuf: 'none' });
      expect(rule?.kind === 'stateful' ? rule.key : undefined, query).toMatch(/^signalr bytes-free\u0000/);
    }
    // MessagePack and CBOR, a literal that may be Base64: only messages without byte strings are passed over.
    for (const [protocol, encode] of [['msgpack', pack], ['cbor', cborEncode]] as const) {
      for (const query of ["$.a[*][*] == '//79'", "$.a[0][*] == 'chat'"]) {
        const rule = queryPrefilter(protocol, parsed(query), { protobuf: 'none' });
        const withBytes = encode({ a: [NOT_UTF8] });
        const withoutBytes = encode({ a: ['x'] });
        expect(rule?.kind === 'self-contained' && rule.selfContained(withBytes, 0, withBytes.length, 'binary'), `${protocol} ${query}`).toBe(false);
        expect(rule?.kind === 'self-contained' && rule.selfContained(withoutBytes, 0, withoutBytes.length, 'binary'), `${protocol} ${query}`).toBe(true);
      }
    }
    expect(needles('protobuf', "$['1'][*][*] == '//79'") ?? []).not.toContain('//79');
    for (const protocol of ['base64', 'compressed'] as const) {
      const rule = queryPrefilter(protocol, parsed("$.payload[*] == '//79'"), { protobuf: 'none' });
      expect(rule?.kind === 'self-contained' && rule.lacks !== undefined && rule.needles.length === 0 && !('needlesOrLacks' in rule), protocol).not.toBe(true);
    }
  });
});

describe('[*] query searches with the prefilter count what decoding every frame in order counts', () => {
  it('Socket.IO: a binary attachment under [*], Infinity, escapes, JSON text in a string, a value cut at 64 levels', () => {
    const messages = [
      text('in', '0{"sid":"r3","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'),
      text('out', '40{"token":"r3"}'),
      text('in', '2{"a":"r3"}'),
      text('in', '42["chat",{"room":"r3"}]'),
      text('in', '42["chat",{"room":"r\\u0033"}]'),
      text('in', '42["chat","{\\"room\\":\\"r3\\"}"]'),
      text('in', '42["chat",1e999]'),
      text('in', '451-["chat",{"_placeholder":true,"num":0}]'),
      binary('in', [1, 2, 3]),
      text('in', `42["deep",${deepJson(70)}]`),
      text('in', '42["chat",{"room":"r4"},["r3"]]'),
    ];
    const make = () => createDecoder('socketio', { engineVersion: 4 });
    expectSameAsInOrder(messages, 'socketio', make, ["$.args[*].room == 'r3'", "$.args[*] == 'r3'", "$.args[*][*] == 'r3'", "$.args[*] == 'Infinity'", "$.args[*][*] == 'AQID'", "$.args[*].length == 3", "$.data[*] == 'r3'", "$.handshake[*] == 'r3'", cutQuery('.args[0]', 65)], 'ws://h/socket.io/?EIO=4');
  });

  it('SignalR JSON: messageType and conversation under [*], joined records, escapes, JSON text in a string, Infinity', () => {
    const rs = SIGNALR_RS;
    const messages = [
      text('out', `{"protocol":"json","version":1}${rs}`),
      text('in', `{}${rs}`),
      text('in', `{"type":1,"target":"Send","arguments":["room3",{"room":"room3"}]}${rs}`),
      text('in', `{"type":1,"target":"Send","arguments":["room\\u0033"]}${rs}`),
      text('in', `{"type":1,"target":"Send","arguments":["{\\"room\\":\\"room3\\"}"]}${rs}`),
      text('in', `{"type":1,"target":"Send","arguments":[1e999]}${rs}`),
      text('in', `{"type":2,"invocationId":"room3","item":"x"}${rs}`),
      text('in', `{"type":6}${rs}{"type":1,"target":"x","arguments":["room3"]}${rs}`),
      text('in', `{"type":1,"target":"x","arguments":[],"messages":[{"a":"Invocation"}]}${rs}`),
      text('in', `{"type":1,"target":"Send","arguments":["other"]}${rs}`),
      text('in', `{"type":1,"target":"x","arguments":["Send",{"a":"AQID"}]}${rs}`),
      text('in', `{"type":1,"target":"x","arguments":["S\\u0065nd"]}${rs}`),
    ];
    expectSameAsInOrder(messages, 'signalr', () => new SignalRDecoder(), [
      "$.arguments[*] == 'room3'",
      "$.arguments[*].room == 'room3'",
      "$.messages[*].arguments[*] == 'room3'",
      "$.arguments[*] == 'Infinity'",
      "$[*] == 'Invocation'",
      "$[*][*] == 'invocation room3'",
      "$[*].role == 'stream'",
      "$.messages[1][*] == 'Invocation'",
      "$.messages[0][*] == 'Invocation'",
      "$.arguments[*] == 'Send'",
      "$.arguments[*][*] == 'AQID'",
    ]);
  });

  it('SignalR MessagePack: bytes under [*] show as Base64, in any hub message of a binary message', () => {
    const hub = (items: unknown[]): Buffer => {
      const body = pack(items);
      return Buffer.concat([Buffer.from([body.length]), body]);
    };
    const messages = [
      text('out', `{"protocol":"messagepack","version":1}${SIGNALR_RS}`),
      text('in', `{}${SIGNALR_RS}`),
      binary('in', hub([1, {}, null, 'Send', [Buffer.from([1, 2, 3]), 'room3']])),
      binary('in', hub([1, {}, null, 'Send', [{ room: 'room3' }]])),
      binary('in', hub([1, {}, null, 'Send', ['other']])),
      binary('in', hub([1, {}, null, 'Send', ['Send']])),
      binary('in', hub([1, {}, null, 'Send', [Buffer.from('I\u0010\u009e')]])),
      binary('in', Buffer.concat([hub([1, {}, null, 'x', ['y']]), hub([1, {}, null, 'x', [Buffer.from([1, 2, 3])]])])),
      binary('in', Buffer.concat([hub([1, {}, null, 'x', ['AQID']]), hub([1, {}, null, 'x', ['y']])])),
      binary('in', hub([1, {}, null, 'x', [{ a: 'AQID' }, 'Send']])),
    ];
    expectSameAsInOrder(messages, 'signalr', () => new SignalRDecoder(), ["$.arguments[*][*] == 'AQID'", "$.arguments[*] == 'room3'", "$.arguments[*].room == 'room3'", "$.arguments[*] == 'Send'", "$.arguments[*][*] == 'SRDCng=='", "$.messages[*].arguments[*][*] == 'AQID'", "$.messages[*].arguments[*] == 'AQID'"]);
  });

  it('GraphQL over WebSocket: the operation under [*], escapes', () => {
    const messages = [
      text('out', '{"type":"connection_init"}'),
      text('out', '{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { prices }"}}'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"prices":["r3"]}}}'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"prices":["r\\u0033"]}}}'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"prices":["x"]}}}'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"prices":{"a":"r3"}}}}'),
    ];
    expectSameAsInOrder(messages, 'graphql-ws', () => createDecoder('graphql-ws', {}), ["$.payload.data.prices[*] == 'r3'", "$.payload.data[*][*] == 'r3'", "$[*].type == 'subscription'", "$[*].name == 'OnPrice'"]);
  });

  it('STOMP: a body of bytes under [*], headers, JSON bodies with escapes', () => {
    const messages = [
      text('in', 'CONNECTED\nversion:1.2\n\n\0'),
      text('in', 'MESSAGE\ndestination:/a\nx-id:r3\n\nhello\0'),
      binary('in', Buffer.concat([Buffer.from('MESSAGE\ndestination:/a\n\n'), NOT_UTF8, Buffer.from([0])])),
      text('in', 'MESSAGE\ndestination:/a\n\n{"items":["r3"]}\0'),
      text('in', 'MESSAGE\ndestination:/a\n\n{"items":["r\\u0033"]}\0'),
      text('in', 'MESSAGE\ndestination:/a\nx-id:first\nx-id:r3\n\nx\0'),
      text('in', 'MESSAGE\ndestination:/a\nx-id://79\nx-id:2\n\n{"a":"//79"}\0'),
      text('in', 'MESSAGE\ndestination:/a\n\n//79\0'),
    ];
    expectSameAsInOrder(messages, 'stomp', () => createDecoder('stomp', {}), ["$.headers[*] == 'r3'", "$.body.items[*] == 'r3'", "$.body[*] == '//79'", "$[*] == 'MESSAGE'", "$.headerList[*][*] == 'r3'", "$.headers[*] == '//79'", "$.headerList[*][*] == '//79'", "$[*][*] == '//79'", "$[*] == '//79'", "$.body[*] == '//79'"]);
  });

  it('MQTT 5: the packet name and aliased topics under [*], payload bytes, several packets a message', () => {
    const v5 = { protocolVersion: 5 } as const;
    const packet = (p: Record<string, unknown>): Buffer => mqtt.generate(p as unknown as mqtt.Packet, v5);
    const publish = (topic: string, payload: Buffer | string, properties: Record<string, unknown> = {}): Buffer =>
      packet({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false, properties });
    const messages = [
      binary('out', packet({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 30 })),
      binary('in', publish('a/7', '{"items":["on"]}', { topicAlias: 3 })),
      binary('in', publish('', 'x', { topicAlias: 3 })),
      binary('in', publish('a/8', '{"items":["o\\u006e"]}')),
      binary('in', publish('a/8', NOT_UTF8)),
      binary('in', publish('a/8', 'x', { userProperties: { k: 'on' } })),
      binary('in', Buffer.concat([publish('a/9', 'x'), publish('a/9', '{"items":["on"]}')])),
      binary('out', packet({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/7', qos: 0 }] })),
    ];
    expectSameAsInOrder(messages, 'mqtt', () => createDecoder('mqtt', {}), [
      "$.payload.items[*] == 'on'",
      "$.packets[*].payload.items[*] == 'on'",
      "$.properties.userProperties[*] == 'on'",
      "$[*] == 'a/7'",
      "$[*] == 'publish'",
      "$.packets[1][*] == 'publish'",
      "$.payload[*] == '//79'",
      "$.subscriptions[0][*] == 'a/7'",
    ]);
  });

  it('MessagePack, CBOR and Protocol Buffers without a schema: bytes, dates and cut values under [*]', () => {
    const deep = JSON.parse(deepJson(70)) as unknown;
    const values = [{ a: [NOT_UTF8, 'caf\u00e9!'] }, { a: ['//79'] }, { a: [{ b: '//79' }, NOT_UTF8] }, { a: ['r3'] }, { a: [{ b: 'caf\u00e9!' }] }, { t: new Date(Date.UTC(2020, 0, 1)) }, deep, { a: ['x'] }];
    const queries = ["$.a[*][*] == '//79'", "$.a[0][*] == '//79'", "$.a[*] == 'caf\u00e9!'", "$.a[*][*] == 'caf\u00e9!'", "$[*] == '2020-01-01T00:00:00.000Z'", cutQuery('', 65), "$[*][*] == 'r3'", "$.a[*][*] == '//79'", "$[*][*] == '//79'", "$.a[*] == '//79'"];
    expectSameAsInOrder(values.map((v) => binary('in', pack(v))), 'msgpack', () => new MsgpackDecoder(), queries);
    expectSameAsInOrder(values.map((v) => binary('in', cborEncode(v))), 'cbor', () => new CborDecoder(), queries);
    const field = (number: number, wire: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([(number << 3) | wire]), wire === 2 ? Buffer.from([bytes.length]) : Buffer.alloc(0), bytes]);
    const messages = [
      field(1, 2, Buffer.concat([field(1, 2, Buffer.from('r3')), field(2, 2, NOT_UTF8)])),
      field(1, 1, Buffer.from([7, 0, 0, 0, 0, 0, 0, 0])),
      field(1, 2, Buffer.from('r3')),
      field(1, 2, Buffer.concat([field(1, 2, Buffer.from('x'))])),
    ].map((bytes) => binary('in', bytes));
    expectSameAsInOrder(messages, 'protobuf', () => new ProtobufDecoder(), ["$['1'][*] == 'r3'", "$['1'][*][*] == '//79'", "$['1']['2'][*] == '//79'", "$['1'][*] == '7'", "$[*][*] == 'r3'"]);
  });

  it.each(['base64', 'compressed'] as const)('%s: payload bytes under [*], JSON lists, escapes', (protocol) => {
    const wrap = (bytes: Buffer): Message => (protocol === 'base64' ? text('in', bytes.toString('base64')) : binary('in', gzipSync(bytes)));
    const messages = [wrap(NOT_UTF8), wrap(Buffer.from('{"a":["r3"]}')), wrap(Buffer.from('{"a":["r\\u0033"]}')), wrap(Buffer.from('[{"a":"chat2"}]')), wrap(Buffer.from('{"a":[1e999]}')), wrap(Buffer.from('{"a":["x"]}'))];
    expectSameAsInOrder(messages, protocol, () => createDecoder(protocol, {}), ["$.payload[*] == '//79'", "$.payload.a[*] == 'r3'", "$.payload[*][*] == 'r3'", "$.payload[*].a == 'chat2'", "$.payload.a[*] == 'Infinity'"]);
  });
});
