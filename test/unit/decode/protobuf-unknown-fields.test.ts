// Fields a message's type does not have (QA D16): decoding an Order as shop.Ack showed code and
// note and dropped fields 3–5 without a word. They are now in the value under "$unknown", by
// number and read as the schema-less reading reads them, and the summary names them. The search
// agrees: a `$[*]` probe (protobufAnyFields) and a `$['$unknown']` path decode a message that may
// have such fields, and the match proof does not claim them; results equal decoding every frame.
import { describe, expect, it } from 'vitest';
import { ProtobufDecoder } from '../../../src-main/core/decode/protobuf-decoder';
import { loadProtobufSchema, type ProtobufSchema } from '../../../src-main/core/decode/protobuf-schema';
import { binary, compareSearches, pick, seeded } from './prefilter-harness';

const ORDERS = `syntax = "proto3";
package shop;
enum Status { UNKNOWN = 0; PAID = 1; SHIPPED = 2; }
message Item { string sku = 1; uint32 qty = 2; }
message Order { uint64 id = 1; string customer = 2; repeated Item items = 3; Status status = 4; int64 big = 5; }
message Ack { uint32 code = 1; string note = 2; }
`;
const ORDER = Buffer.from('08d295fcd8ceb1aaaaab011203616e6e1a060a02413110021a060a0242321001200228ffffffffffffffefff01', 'hex');

function schema(type: string): ProtobufSchema {
  const loaded = loadProtobufSchema({ protoText: ORDERS, name: 'orders.proto' }, type);
  if ('problem' in loaded) throw new Error(loaded.problem);
  return loaded.schema;
}

const frame = (bytes: Uint8Array) => ({ seq: 1, dir: 'in' as const, opcode: 'binary' as const, bytes });

describe('fields the type does not have', () => {
  it('an Order read as shop.Ack shows fields 3–5 by number, read without the schema, and the summary names them', () => {
    const outcome = new ProtobufDecoder(schema('shop.Ack')).decode(frame(ORDER));
    expect(outcome).toMatchObject({
      kind: 'decoded',
      value: {
        code: 3944680146,
        note: 'ann',
        $unknown: { '3': [{ '1': 'A1', '2': 2 }, { '1': 'B2', '2': 1 }], '4': 2, '5': '-9007199254740993' },
      },
    });
    expect(outcome && 'summary' in outcome ? outcome.summary : '').toMatch(/^shop\.Ack .* \(not in shop\.Ack: fields 3, 4, 5\)$/);
  });

  it('one unknown field is "field N"; a message of its own type has none (summary and value as before)', () => {
    const one = new ProtobufDecoder(schema('shop.Ack')).decode(frame(Buffer.from('08c801' + '2002', 'hex')));
    expect(one).toMatchObject({ value: { code: 200, $unknown: { '4': 2 } } });
    expect(one && 'summary' in one ? one.summary : '').toMatch(/\(not in shop\.Ack: field 4\)$/);
    const own = new ProtobufDecoder(schema('shop.Order')).decode(frame(ORDER));
    expect(own && 'value' in own ? Object.keys(own.value ?? {}) : []).toEqual(['id', 'customer', 'items', 'status', 'big']);
    expect(own && 'summary' in own ? own.summary : '').not.toContain('not in');
  });

  it('a known field with another wire type is kept too (protobufjs skips it as unknown)', () => {
    // code (uint32, a varint) written length-delimited.
    const outcome = new ProtobufDecoder(schema('shop.Ack')).decode(frame(Buffer.from('0a026f6b1202686900', 'hex').subarray(0, 8)));
    expect(outcome).toMatchObject({ value: { note: 'hi', $unknown: { '1': 'ok' } } });
  });
});

/** A tag and a value, by hand. */
function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wire: number): number[] => varint(BigInt(field * 8 + wire));

function field(random: (n: number) => number): number[] {
  switch (random(9)) {
    case 0:
      return [...tag(1, 0), ...varint(BigInt(random(20_000)))];
    case 1:
      return [...tag(2, 2), 2, 0x6f, 0x6b];
    case 2:
      // code written with another wire type: unknown.
      return [...tag(1, 2), 1, 0x37];
    case 3:
      return [...tag(pick(random, [3, 7, 100, 2 ** 20]), 0), ...varint(BigInt(random(20_000)))];
    case 4:
      return [...tag(pick(random, [4, 9]), 2), 2, 0x6f, 0x6b];
    case 5:
      return [...tag(pick(random, [5, 6]), 5), 1, 2, 3, 4];
    case 6:
      return [...tag(8, 1), 1, 2, 3, 4, 5, 6, 7, 8];
    case 7:
      // A tag over 4 bytes.
      return [...tag(2 ** 28, 0), 1];
    default:
      return [...tag(2, 2), 3, 0x61, 0x62, 0x63];
  }
}

function message(random: (n: number) => number): Buffer {
  const bytes: number[] = [];
  for (let k = random(5); k > 0; k--) bytes.push(...field(random));
  // Some cut short (not valid: matches nothing).
  return Buffer.from(random(8) === 0 ? bytes.slice(0, random(bytes.length + 1)) : bytes);
}

describe('the search agrees with decoding every frame', () => {
  it('`$[*]`, `$["$unknown"]` and named queries over messages with and without unknown fields, forward twice and backward', () => {
    const random = seeded(1616);
    const messages = Array.from({ length: 400 }, () => binary('in', message(random)));
    messages.push(binary('in', Buffer.alloc(0)));
    const choice = { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Ack' };
    const queries = ['$[*] > 9990', '$[*]', "$[*] == 'ok'", '$[*] != 1', "$['$unknown']", "$['$unknown']['3'] > 9990", "$['$unknown']['4'] == 'ok'", '$.code > 9990', '$.code >= 0', "$.note == 'ok'"];
    const results = compareSearches(messages, 'protobuf', 'ws://h/', () => new ProtobufDecoder(schema('shop.Ack')), queries.map((query) => ({ query })), undefined, choice);
    for (const { label, expected, got } of results) expect(got, label).toEqual(expected);
    // The unknown fields are found: some messages match each of these.
    const found = (query: string) => results.find((r) => r.label.startsWith(JSON.stringify({ query })))?.expected.length ?? 0;
    expect(found("$['$unknown']")).toBeGreaterThan(50);
    expect(found("$['$unknown']['3'] > 9990")).toBeGreaterThan(0);
    // `$[*]` selects the $unknown object too: a message with only unknown fields has a field.
    expect(found('$[*]')).toBeGreaterThan(found('$.code >= 0'));
  });
});
