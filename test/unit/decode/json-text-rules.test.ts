/**
 * The string rules for formats whose strings are their bytes (json-text-needles.ts:
 * raw-prefilter.ts payloadStringPrefilter and stompStringPrefilter, stateful-prefilter.ts
 * mqttStringPrefilter and the MQTT key rule) now that a query path goes on into a string holding
 * JSON text (shared/decoded-query.ts): MessagePack, CBOR, Protocol Buffers without a schema,
 * STOMP and MQTT messages whose strings hold JSON text that writes the wanted string as it is,
 * with \u escapes, with short escapes (\/, \"), inside JSON text inside JSON text, or not at all;
 * every search counts what decoding every frame in order counts. Without the escape needles the
 * escaped cases are passed over (checked: the sabotage test below).
 */
import { encode as cborEncode } from 'cbor-x';
import mqtt from 'mqtt-packet';
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { jsonTextNeedles } from '../../../src-main/core/decode/json-text-needles';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, pick, seeded, text, type Message } from './prefilter-harness';

/** JSON texts a string may hold: the wanted values written plainly, escaped, nested, or absent. */
const NOTES = [
  '{"sym":"ABC","price":120}',
  '{"sym":"\\u0041BC","price":99}',
  ' \n{"sym":"AB\\u0043"}',
  '{"inner":"{\\"sym\\":\\"ABC\\"}"}',
  '{"inner":"{\\"sym\\":\\"\\\\u0041BC\\"}"}',
  '{"sym":"ABD","price":150}',
  '{"sym":"ABC"',
  '"ABC"',
  '[{"sym":"ABC"}]',
  '[{"sym":"A\\u0042C"}]',
  '{"path":"a\\/b"}',
  '{"path":"a/b"}',
  '{"q":"A\\"C"}',
  '{"q":"A\\u0022C"}',
  'ABC',
  'nothing here',
  '{}',
  '[]',
];

const QUERIES = [
  "$.note.sym == 'ABC'",
  "$.note.inner.sym == 'ABC'",
  "$.note[0].sym == 'ABC'",
  "$.note.path == 'a/b'",
  "$.note.q == 'A\"C'",
  "$.note == 'ABC'",
  '$.note.price > 100',
];

/** The same query over a format's own path to the note (`$.note…` → `$['1']…`, `$.body…`, `$.payload…`). */
const at = (query: string, path: string): string => query.split('$.note').join(path);

function notes(seed: number, count: number): string[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => pick(random, NOTES));
}

/** Protocol Buffers field 1 (a string, length-delimited) and field 2 (a varint). */
function protobufNote(note: string, seq: number): Buffer {
  const bytes = Buffer.from(note, 'utf8');
  const length: number[] = [];
  for (let n = bytes.length; ; n >>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x0a, ...length]), bytes, Buffer.from([0x10, seq & 0x7f])]);
}

function expectAgreement(messages: Message[], choice: Parameters<typeof createDecoder>[0], url: string, queries: readonly string[]): number {
  let matched = 0;
  for (const { label, expected, got } of compareSearches(messages, choice, url, () => createDecoder(choice, {}), queries.map((query) => ({ query })))) {
    expect(got, `${choice} ${label}`).toEqual(expected);
    if (expected.length > 0) matched += 1;
  }
  return matched;
}

describe('string rules and JSON text in strings (json-text-needles.ts)', () => {
  it('MessagePack and CBOR: a string holding JSON text, found however the JSON writes the value', () => {
    const list = notes(1, 400);
    const msgpack = list.map((note, i) => binary('in', pack({ note, seq: i })));
    const cbor = list.map((note, i) => binary('in', cborEncode({ note, seq: i })));
    expect(expectAgreement(msgpack, 'msgpack', 'ws://h/', QUERIES)).toBeGreaterThan(QUERIES.length * 2);
    expect(expectAgreement(cbor, 'cbor', 'ws://h/', QUERIES)).toBeGreaterThan(QUERIES.length * 2);
  });

  it('Protocol Buffers without a schema: a string field holding JSON text', () => {
    const messages = notes(2, 400).map((note, i) => binary('in', protobufNote(note, i)));
    expect(expectAgreement(messages, 'protobuf', 'ws://h/', QUERIES.map((query) => at(query, "$['1']")))).toBeGreaterThan(QUERIES.length * 2);
  });

  it('STOMP: a body and a header value holding JSON text', () => {
    // A header with a backslash is a STOMP escape (the frame is then decoded): the body alone carries JSON escapes in half the frames.
    const messages = notes(3, 400).map((note, i) => {
      const meta = i % 2 === 0 && !note.includes('\\') ? `meta:${note.replace(/\n/g, ' ')}\n` : '';
      return text('in', `MESSAGE\ndestination:/topic/p${i % 5}\n${meta}\n${note}\u0000`);
    });
    const queries = [...QUERIES.map((query) => at(query, '$.body')), ...QUERIES.map((query) => at(query, '$.headers.meta'))];
    expect(expectAgreement(messages, 'stomp', 'ws://h/stomp', queries)).toBeGreaterThan(QUERIES.length * 2);
  });

  it('MQTT: a PUBLISH payload holding JSON text, and a key only its JSON has', () => {
    const messages: Message[] = [binary('out', mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'c', keepalive: 0 }))];
    for (const [i, note] of notes(4, 400).entries()) messages.push(binary('in', mqtt.generate({ cmd: 'publish', topic: `t/${i % 3}`, payload: Buffer.from(note, 'utf8'), qos: 0, dup: false, retain: false })));
    const queries = [...QUERIES.map((query) => at(query, '$.payload')), '$.payload.sym', '$.payload[0].sym'];
    expect(expectAgreement(messages, 'mqtt', 'ws://h/mqtt', queries)).toBeGreaterThan(QUERIES.length * 2);
  });

  it('the needles: the literal, \\u, and the short escapes of its own characters only', () => {
    expect(jsonTextNeedles('ABC').map(String)).toEqual(['ABC', '\\u']);
    expect(jsonTextNeedles('a/b"c\\d\te').map(String)).toEqual(['a/b"c\\d\te', '\\u', '\\"', '\\\\', '\\/', '\\t']);
  });

  it('sabotage: with the literal as the only needle, a search passes over a value JSON wrote with an escape', () => {
    const messages = ['{"sym":"\\u0041BC"}', '{"sym":"ABD"}'].map((note, i) => binary('in', pack({ note, seq: i })));
    const parsed = parseDecodedQuery("$.note.sym == 'ABC'");
    if (!parsed.ok) throw new Error(parsed.error);
    const rule = queryPrefilter('msgpack', parsed.query, { protobuf: 'none' });
    expect(rule?.kind).toBe('self-contained');
    // The escaped message lacks the literal's UTF-8: only the \u needle keeps it.
    const first = messages[0]?.bytes ?? Buffer.alloc(0);
    expect(first.includes(Buffer.from('ABC'))).toBe(false);
    expect(rule?.needles.some((needle) => first.includes(needle))).toBe(true);
    expect(expectAgreement(messages, 'msgpack', 'ws://h/', ["$.note.sym == 'ABC'"])).toBe(4);
  });
});
