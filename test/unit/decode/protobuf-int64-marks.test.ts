// Protocol Buffers' 64-bit integers (QA D8): the decoded value shows them as digits, as before,
// and marks them (shared/int64-digits.ts) where they are, and only there: with a schema every
// int64, uint64, sint64, fixed64 and sfixed64 (singular, repeated, map values, nested, packed in
// an Any, beside unknown fields); without one a varint past 2^53 (not a $fixed64's digits).
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { int64Selected } from '../../../src-main/shared/int64-digits';
import { loadProtobufSchema } from '../../../src-main/core/decode/protobuf-schema';
import { readWireMessage } from '../../../src-main/core/decode/protobuf-wire';
import type { JsonValue } from '../../../src-main/core/decode/json-value';

const PROTO = `
syntax = "proto3";
package google.protobuf;
message Any { string type_url = 1; bytes value = 2; }
message Inner { sint64 s = 1; string label = 2; }
message Big {
  int64 i = 1; uint64 u = 2; sint64 s = 3; fixed64 f = 4; sfixed64 sf = 5;
  string text = 6; int32 small = 7; repeated int64 list = 8; map<string, uint64> counts = 9;
  Inner inner = 10; repeated Inner inners = 11; google.protobuf.Any any = 12; map<int64, string> names = 13;
}
`;

function schema(): { decode: (bytes: Uint8Array) => JsonValue; type: protobuf.Type } {
  const loaded = loadProtobufSchema({ protoText: PROTO }, 'google.protobuf.Big');
  if ('problem' in loaded) throw new Error(loaded.problem);
  const type = loaded.schema.messageType;
  if (!type) throw new Error('no type');
  return {
    type,
    decode: (bytes) => {
      const read = loaded.schema.decode(bytes);
      if ('problem' in read) throw new Error(read.problem);
      return read.value;
    },
  };
}

/** What a query selects at container[key]. */
function selected(container: JsonValue | undefined, key: string | number): unknown {
  if (typeof container !== 'object' || container === null) throw new Error(`not a container at ${key}`);
  const value: unknown = Array.isArray(container) ? container[Number(key)] : container[String(key)];
  return int64Selected(container, key, value);
}

function member(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value[key] : undefined;
}

describe('with a schema', () => {
  const { decode, type } = schema();
  const encode = (object: Record<string, unknown>): Uint8Array => type.encode(type.fromObject(object)).finish();

  it('marks every 64-bit field, and no other, keeping the digits shown', () => {
    const value = decode(
      encode({
        i: '-9223372036854775808',
        u: '18446744073709551615',
        s: '-5',
        f: '9007199254740993',
        sf: '-1',
        text: '123',
        small: 7,
        list: ['1', '-2'],
        counts: { a: '3' },
        inner: { s: '-9007199254740993', label: '4' },
        inners: [{ s: '8' }],
        names: { '5': 'five' },
      }),
    );
    expect(JSON.stringify(value)).toBe(
      '{"i":"-9223372036854775808","u":"18446744073709551615","s":"-5","f":"9007199254740993","sf":"-1","text":"123","small":7,"list":["1","-2"],"counts":{"a":"3"},"inner":{"s":"-9007199254740993","label":"4"},"inners":[{"s":"8"}],"names":{"5":"five"}}',
    );
    expect(['i', 'u', 's', 'f', 'sf'].map((key) => selected(value, key))).toEqual([-(2n ** 63n), 2n ** 64n - 1n, -5n, 2n ** 53n + 1n, -1n]);
    expect(selected(value, 'text')).toBe('123');
    expect(selected(value, 'small')).toBe(7);
    const list = member(value, 'list');
    expect([selected(list, 0), selected(list, 1)]).toEqual([1n, -2n]);
    expect(selected(member(value, 'counts'), 'a')).toBe(3n);
    expect(selected(member(value, 'inner'), 's')).toBe(-(2n ** 53n) - 1n);
    expect(selected(member(value, 'inner'), 'label')).toBe('4');
    const inners = member(value, 'inners');
    expect(selected(Array.isArray(inners) ? inners[0] : undefined, 's')).toBe(8n);
    // A map's int64 keys are names, not values.
    expect(selected(member(value, 'names'), '5')).toBe('five');
  });

  it('marks the fields of the message an Any packs, and unknown fields past 2^53', () => {
    const inner = type.lookupType('Inner');
    const packed = inner.encode(inner.fromObject({ s: '-7', label: 'x' })).finish();
    const value = decode(encode({ any: { type_url: 'example/google.protobuf.Inner', value: packed } }));
    const any = member(value, 'any');
    expect(member(any, '@type')).toBe('example/google.protobuf.Inner');
    expect(selected(any, 's')).toBe(-7n);
    expect(selected(any, 'label')).toBe('x');
    // Field 99 (not in Big) holds a varint past 2^53: shown under $unknown, marked as read without a schema.
    const unknown = decode(Buffer.concat([Buffer.from(encode({ i: '1' })), Buffer.from([0x98, 0x06, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10])]));
    expect(selected(unknown, 'i')).toBe(1n);
    expect(selected(member(unknown, '$unknown'), '99')).toBe(2n ** 52n * 2n + 1n);
  });
});

describe('without a schema', () => {
  const varint = (value: bigint): number[] => {
    const out: number[] = [];
    let rest = BigInt.asUintN(64, value);
    while (rest >= 0x80n) {
      out.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    out.push(Number(rest));
    return out;
  };
  const read = (bytes: number[]): JsonValue => {
    const wire = readWireMessage(Uint8Array.from(bytes));
    if ('problem' in wire) throw new Error(wire.problem);
    return wire.value;
  };

  it('marks a varint past 2^53 (not one inside), also in a list a repeated field makes; not a $fixed64', () => {
    const value = read([0x08, ...varint(2n ** 53n + 1n), 0x10, ...varint(-5n), 0x18, ...varint(2n ** 53n - 1n)]);
    expect(JSON.stringify(value)).toBe('{"1":"9007199254740993","2":-5,"3":9007199254740991}');
    expect(selected(value, '1')).toBe(2n ** 53n + 1n);
    expect(selected(value, '2')).toBe(-5);
    // Field 1: a big varint, then text of digits, then another big one: only the varints are integers.
    const list = member(read([0x08, ...varint(-(2n ** 60n)), 0x0a, 0x01, 0x35, 0x08, ...varint(2n ** 63n)]), '1');
    expect(list).toEqual(['-1152921504606846976', '5', '-9223372036854775808']);
    expect([selected(list, 0), selected(list, 1), selected(list, 2)]).toEqual([-(2n ** 60n), '5', -(2n ** 63n)]);
    // Text first, then the varint.
    const later = member(read([0x0a, 0x01, 0x35, 0x08, ...varint(2n ** 62n)]), '1');
    expect([selected(later, 0), selected(later, 1)]).toEqual(['5', 2n ** 62n]);
    const fixed = member(read([0x09, 1, 0, 0, 0, 0, 0, 0, 0]), '1');
    expect(selected(fixed, '$fixed64')).toBe('1');
  });

  it('marks packed varints past 2^53', () => {
    // A body that is not text and does not read as fields: packed varints.
    const body = [...varint(2n ** 55n), 0x00, ...varint(3n)];
    const value = read([0x0a, body.length, ...body]);
    const packed = member(member(value, '1'), '$packed');
    expect(packed).toEqual(['36028797018963968', 0, 3]);
    expect([selected(packed, 0), selected(packed, 1)]).toEqual([2n ** 55n, 0]);
  });
});
