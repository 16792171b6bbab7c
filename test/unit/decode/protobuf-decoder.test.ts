/**
 * Protocol Buffers: messages encoded by protobufjs from a schema, read back without the schema
 * (field numbers, guessed types) and with it (.proto text, a .proto file with an import, a
 * descriptor set); malformed messages say what and where.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor';
import { afterAll, describe, expect, it } from 'vitest';
import { ProtobufDecoder } from '../../../src-main/core/decode/protobuf-decoder';
import { loadProtobufSchema, type ProtobufSchema } from '../../../src-main/core/decode/protobuf-schema';
import { binaryFrame } from './wire';

const PROTO = `
syntax = "proto3";
package shop;
enum Side { BUY = 0; SELL = 1; }
message Level { double price = 1; uint32 size = 2; }
message Quote {
  string sym = 1;
  int64 cents = 2;
  repeated int32 history = 3;
  Side side = 4;
  bytes raw = 5;
  Level best = 6;
  fixed32 flags = 7;
  sint32 delta = 8;
}
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const Quote = root.lookupType('shop.Quote');
const quote = Quote.encode(
  Quote.create({ sym: 'ABC', cents: 12345678901234, history: [1, 2, -3], side: 1, raw: Buffer.from([0x00, 0xff]), best: { price: 1.5, size: 10 }, flags: 7, delta: -2 }),
).finish();

function schema(source: Parameters<typeof loadProtobufSchema>[0], type: string): ProtobufSchema {
  const loaded = loadProtobufSchema(source, type);
  if ('problem' in loaded) throw new Error(loaded.problem);
  return loaded.schema;
}

describe('Protocol Buffers without a schema', () => {
  it('reads field numbers and guesses types: text, nested message, packed varints, bytes, fixed32, negative varints', () => {
    const result = new ProtobufDecoder().decode(binaryFrame(quote));
    expect(result).toMatchObject({ kind: 'decoded', protocol: 'protobuf' });
    if (result?.kind !== 'decoded') return;
    expect(result.summary).toBe('no schema: fields 1:string, 2:varint, 3:packed, 4:varint, 5:bytes, 6:message, … (8 fields)');
    expect(result.value).toEqual({
      '1': 'ABC',
      '2': 12345678901234,
      // int32 -3 is a 10-byte varint: read as signed 64-bit it comes back -3.
      '3': { $packed: [1, 2, -3] },
      '4': 1,
      '5': { $bytes: 'AP8=', length: 2 },
      '6': { '1': { $fixed64: '4609434218613702656', double: 1.5 }, '2': 10 },
      '7': { $fixed32: 7, float: 9.80908925027372e-45 },
      // sint32 is zigzag: without the schema it is the raw varint.
      '8': 3,
    });
  });

  it('reads numbers at the edges of the fast paths as before: varints of 7 and 8 bytes, fixed64 around 2^53, text with control bytes', () => {
    const varint = (n: bigint): number[] => {
      const out: number[] = [];
      let v = n;
      while (v >= 0x80n) {
        out.push(Number(v & 0x7fn) | 0x80);
        v >>= 7n;
      }
      out.push(Number(v));
      return out;
    };
    const fixed64 = (n: bigint): number[] => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(n);
      return [...b];
    };
    const text = (bytes: number[]): number[] => [0x0a, bytes.length, ...bytes];
    const cases: [number[], unknown][] = [
      [[0x08, ...varint(2n ** 49n - 1n)], 562_949_953_421_311],
      [[0x08, ...varint(2n ** 49n)], 562_949_953_421_312],
      [[0x08, ...varint(2n ** 53n)], '9007199254740992'],
      [[0x08, ...varint(2n ** 63n)], '-9223372036854775808'],
      [[0x09, ...fixed64(2n ** 53n - 1n)], { $fixed64: '9007199254740991', double: 4.4501477170144023e-308 }],
      [[0x09, ...fixed64(2n ** 53n)], { $fixed64: '9007199254740992', double: 4.450147717014403e-308 }],
      [[0x09, ...fixed64(2n ** 53n + 1n)], { $fixed64: '9007199254740993' }],
      [[0x09, ...fixed64(2n ** 60n + 3n)], { $fixed64: '1152921504606846979' }],
      [[0x09, ...fixed64(2n ** 64n - 1n)], { $fixed64: '18446744073709551615', double: NaN }],
      [text([...Buffer.from('a\tb\r\n')]), 'a\tb\r\n'],
      [text([...Buffer.from('caf\u00e9')]), 'caf\u00e9'],
      [text([0x61, 0x7f]), { $packed: [97, 127] }],
      [text([0x01, ...Buffer.from('\u00e9')]), { $bytes: 'AcOp', length: 3 }],
    ];
    for (const [bytes, want] of cases) {
      expect(new ProtobufDecoder().decode(binaryFrame(bytes)), Buffer.from(bytes).toString('hex')).toMatchObject({ kind: 'decoded', value: { '1': want } });
    }
    expect(new ProtobufDecoder().decode(binaryFrame([...varint(2n ** 52n), 0x01]))?.summary).toBe('not valid Protocol Buffers: field number 562949953421312 at byte 0 is out of range (1–536870911) (read without a schema)');
  });

  it('a repeated field becomes a list; an empty message is all defaults', () => {
    const Repeated = protobuf.parse('syntax = "proto3"; message R { repeated string tag = 1; }').root.lookupType('R');
    const bytes = Repeated.encode(Repeated.create({ tag: ['a', 'b', 'c'] })).finish();
    expect(new ProtobufDecoder().decode(binaryFrame(bytes))).toMatchObject({ value: { '1': ['a', 'b', 'c'] } });
    expect(new ProtobufDecoder().decode(binaryFrame([]))).toMatchObject({ kind: 'decoded', value: {} });
  });

  const malformed: [string, number[], string][] = [
    ['a length past the end', [0x0a, 0x05, 0x41, 0x42], 'not valid Protocol Buffers: field 1 at byte 0 says 5 B, but 2 B are left (truncated, or a length is wrong) (read without a schema)'],
    ['a varint cut off', [0x08, 0x96], "not valid Protocol Buffers: field 1's varint at byte 0 runs past the end of the message (or is longer than 10 bytes) (read without a schema)"],
    ['wire type 7', [0x0f, 0x01], 'not valid Protocol Buffers: wire type 7 at byte 0 does not exist (field 1) (read without a schema)'],
    ['field number 0', [0x00, 0x01], 'not valid Protocol Buffers: field number 0 at byte 0 is out of range (1–536870911) (read without a schema)'],
    ['a fixed32 cut off', [0x08, 0x01, 0x15, 0x01, 0x02], 'not valid Protocol Buffers: field 2 (fixed32) at byte 2 needs 4 B, 2 B are left (read without a schema)'],
    ['a group never closed', [0x0b, 0x08, 0x01], 'not valid Protocol Buffers: group 1 is not closed before the end of the message (read without a schema)'],
    ['a group end with no group', [0x0c], 'not valid Protocol Buffers: a group end for field 1 at byte 0 with no group 1 open (read without a schema)'],
  ];
  it.each(malformed)('not valid: %s', (_name, bytes, summary) => {
    expect(new ProtobufDecoder().decode(binaryFrame(bytes))).toMatchObject({ kind: 'invalid', protocol: 'protobuf', summary });
  });
});

describe('Protocol Buffers with a schema', () => {
  const expected = { sym: 'ABC', cents: '12345678901234', history: [1, 2, -3], side: 'SELL', raw: { $bytes: 'AP8=', length: 2 }, best: { price: 1.5, size: 10 }, flags: 7, delta: -2 };
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('from .proto text: field names, enums by name, 64-bit integers as digits', () => {
    const result = new ProtobufDecoder(schema({ protoText: PROTO }, 'shop.Quote')).decode(binaryFrame(quote));
    expect(result).toMatchObject({ kind: 'decoded', summary: 'shop.Quote map {sym, cents, history, side, …}', value: expected });
  });

  it('from a .proto file that imports another beside it', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tunnelscope-proto-'));
    await writeFile(path.join(dir, 'level.proto'), 'syntax = "proto3"; package shop; message Level { double price = 1; uint32 size = 2; }');
    await writeFile(path.join(dir, 'book.proto'), 'syntax = "proto3"; package shop; import "level.proto"; message Book { repeated Level bids = 1; }');
    const Book = protobuf.parse('syntax = "proto3"; message Level { double price = 1; uint32 size = 2; } message Book { repeated Level bids = 1; }').root.lookupType('Book');
    const bytes = Book.encode(Book.create({ bids: [{ price: 2, size: 1 }, { price: 1.5, size: 3 }] })).finish();
    const result = new ProtobufDecoder(schema({ file: path.join(dir, 'book.proto') }, 'shop.Book')).decode(binaryFrame(bytes));
    expect(result).toMatchObject({ value: { bids: [{ price: 2, size: 1 }, { price: 1.5, size: 3 }] } });
  });

  it('from a descriptor set (the bytes of a FileDescriptorSet)', () => {
    const descriptor = root.toDescriptor('proto3');
    const bytes = protobuf.Root.fromJSON(descriptor.$type.root.toJSON()).lookupType('google.protobuf.FileDescriptorSet').encode(descriptor).finish();
    const result = new ProtobufDecoder(schema({ descriptorSet: bytes }, 'shop.Quote')).decode(binaryFrame(quote));
    expect(result).toMatchObject({ value: expected });
  });

  it('a message that does not fit the type is not valid, with where', () => {
    const result = new ProtobufDecoder(schema({ protoText: PROTO }, 'shop.Quote')).decode(binaryFrame(quote.subarray(0, 12)));
    expect(result?.kind).toBe('invalid');
    // protobufjs says only "index out of range": the wire structure says which field and where.
    expect(result?.summary).toBe("not valid Protocol Buffers: as shop.Quote: field 2's varint at byte 5 runs past the end of the message (or is longer than 10 bytes)");
  });

  it('a google.protobuf.Any packing a broken message of the schema is not valid, with where (protobufjs threw from toObject)', () => {
    const proto = 'syntax = "proto3";\npackage google.protobuf;\nmessage Any { string type_url = 1; bytes value = 2; }\nmessage Inner { string s = 1; }\nmessage Outer { Any a = 1; }\n';
    const url = Buffer.from('type.googleapis.com/google.protobuf.Inner');
    const field = (n: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([(n << 3) | 2, bytes.length]), bytes]);
    const packed = (value: Buffer): Buffer => field(1, Buffer.concat([field(1, url), field(2, value)]));
    const decoder = new ProtobufDecoder(schema({ protoText: proto }, 'google.protobuf.Outer'));
    // Inner.s says 5 bytes, 1 is there.
    const broken = decoder.decode(binaryFrame(packed(Buffer.from([0x0a, 0x05, 0x41]))));
    expect(broken?.kind).toBe('invalid');
    expect(broken?.summary).toBe("not valid Protocol Buffers: as google.protobuf.Outer: a google.protobuf.Any's packed value: at byte 2 a value needs 5 B, but the message ends at byte 3 (truncated, or a length is wrong)");
    // Whole, it is decoded as protobufjs shows an Any: its type and the packed message's fields.
    expect(decoder.decode(binaryFrame(packed(Buffer.from([0x0a, 0x01, 0x41]))))).toMatchObject({ kind: 'decoded', value: { a: { '@type': 'type.googleapis.com/google.protobuf.Inner', s: 'A' } } });
  });

  it('a type that is not there is named with the types that are; a broken .proto says its line', () => {
    expect(loadProtobufSchema({ protoText: PROTO }, 'shop.Nope')).toEqual({ problem: 'no message type "shop.Nope" in the schema; it has shop.Level, shop.Quote' });
    expect(loadProtobufSchema({ protoText: 'syntax = "proto3";\nmessage X {\n  string a = ;\n}' }, 'X')).toEqual({ problem: "the .proto text: illegal id ';' (line 3)" });
    expect(loadProtobufSchema({ protoText: 'syntax = "proto3"; message X { Missing a = 1; }' }, 'X')).toEqual({ problem: 'the type Missing (field a of X, line 1) is not defined' });
    expect(loadProtobufSchema({ file: '/nonexistent/x.proto' }, 'X')).toEqual({ problem: '/nonexistent/x.proto: no such file' });
  });
});
