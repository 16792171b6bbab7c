// What a schema's problems say (protobuf-schema-problems.ts, QA D1, D2, D11): a message that does
// not fit its type says which field breaks at which byte (protobufjs says only "index out of
// range"), as the schema-less reading does; a descriptor set cut short says so and where; a file
// that is not a schema (a message's bytes) says it is none and why; an import not there is named
// with the file and line importing it; a type not defined with the line that uses it, and, for
// .proto text given as content, the imports that were not read.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProtobufSchema, loadProtobufSchema, type ProtobufSchema } from '../../../src-main/core/decode/protobuf-schema';
import { ProtobufDecoder } from '../../../src-main/core/decode/protobuf-decoder';
import { readWireMessage } from '../../../src-main/core/decode/protobuf-wire';
import { protobufChoiceSettings } from '../../../src-main/core/decode/protobuf-choice';

const ORDERS = `syntax = "proto3";
package shop;
enum Status { UNKNOWN = 0; PAID = 1; SHIPPED = 2; }
message Item { string sku = 1; uint32 qty = 2; }
message Order { uint64 id = 1; string customer = 2; repeated Item items = 3; Status status = 4; int64 big = 5; }
message Ack { uint32 code = 1; string note = 2; }
`;
/** The QA's order.bin: an Order (id 12345678901234567890, ann, items A1×2 and B2×1, SHIPPED, big −9007199254740993). */
const ORDER = Buffer.from('08d295fcd8ceb1aaaaab011203616e6e1a060a02413110021a060a0242321001200228ffffffffffffffefff01', 'hex');

function orderType(): ProtobufSchema {
  const loaded = loadProtobufSchema({ protoText: ORDERS, name: 'orders.proto' }, 'shop.Order');
  if ('problem' in loaded) throw new Error(loaded.problem);
  return loaded.schema;
}

function descriptorSet(): Uint8Array {
  const root = protobuf.parse(ORDERS, { keepCase: true }).root;
  const set = root.toDescriptor('proto3');
  return set.$type.encode(set).finish();
}

describe('a message that does not fit its type says which field breaks, and where', () => {
  it('the QA case: the first 20 B of an Order, as the schema-less reading says it', () => {
    const cut = ORDER.subarray(0, 20);
    expect(cut.toString('hex')).toBe('08d295fcd8ceb1aaaaab011203616e6e1a060a02');
    const read = orderType().decode(cut);
    expect(read).toEqual({ problem: 'as shop.Order: field 3 at byte 16 says 6 B, but 2 B are left (truncated, or a length is wrong)' });
    const wire = readWireMessage(cut);
    expect('problem' in wire && `as shop.Order: ${wire.problem}`).toBe('problem' in read && read.problem);
    expect(new ProtobufDecoder(orderType()).decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: cut })?.summary).toBe(
      'not valid Protocol Buffers: as shop.Order: field 3 at byte 16 says 6 B, but 2 B are left (truncated, or a length is wrong)',
    );
  });

  it('every cut of the Order is either whole or says a field and a byte (never protobufjs\'s "index out of range")', () => {
    for (let end = 0; end <= ORDER.byteLength; end++) {
      const read = orderType().decode(ORDER.subarray(0, end));
      if ('value' in read) continue;
      expect(read.problem).toMatch(/^as shop\.Order: .*at byte \d+/);
      expect(read.problem).not.toContain('index out of range');
    }
  });

  it('inside a nested message: the field path and the nested bytes', () => {
    // items[0] says 6 B and holds them, but inside it sku says 5 B of the 4 left.
    const bytes = Buffer.from('1a060a0541311002', 'hex');
    expect(orderType().decode(bytes)).toEqual({ problem: 'as shop.Order: in items (bytes 2–8): field 1 at byte 2 says 5 B, but 4 B are left (truncated, or a length is wrong)' });
  });

  it('a varint cut off, a wire type that does not exist, a fixed64 cut off', () => {
    expect(orderType().decode(Buffer.from('08ff', 'hex'))).toEqual({ problem: "as shop.Order: field 1's varint at byte 0 runs past the end of the message (or is longer than 10 bytes)" });
    expect(orderType().decode(Buffer.from('0801 0f01'.replace(' ', ''), 'hex'))).toEqual({ problem: 'as shop.Order: wire type 7 at byte 2 does not exist (field 1)' });
    expect(orderType().decode(Buffer.from('31010203', 'hex'))).toEqual({ problem: 'as shop.Order: field 6 (fixed64) at byte 0 needs 8 B, 3 B are left' });
  });
});

describe('a descriptor set that is cut short, or a file that is not a schema', () => {
  it('a descriptor set cut to 100 B is not a whole one, and says where it breaks', () => {
    const set = descriptorSet();
    const compiled = compileProtobufSchema({ descriptorSet: set.subarray(0, 100), name: 'trunc.desc' });
    expect(compiled).toEqual({
      problem: `trunc.desc is not a whole descriptor set: field 1 at byte 0 says ${set.byteLength - 3} B, but 97 B are left (truncated, or a length is wrong)`,
    });
    // Whole, it loads.
    expect(compileProtobufSchema({ descriptorSet: set, name: 'orders.desc' })).toMatchObject({ compiled: { types: ['shop.Item', 'shop.Order', 'shop.Ack'] } });
  });

  it("a message's bytes are not a .proto or descriptor set (its fields said), not \"no message types\"", () => {
    expect(compileProtobufSchema({ descriptorSet: ORDER, name: 'order.bin' })).toEqual({
      problem:
        'order.bin is not a .proto or descriptor set: its 45 B read as fields 1 (varint), 2, 3, 4, 5; a descriptor set holds its files in field 1, length-delimited',
    });
    expect(compileProtobufSchema({ descriptorSet: new Uint8Array(0), name: 'empty.pb' })).toEqual({ problem: 'empty.pb is empty: not a .proto or descriptor set' });
    expect(compileProtobufSchema({ descriptorSet: Buffer.from('hello world'), name: 'notes.txt' })).toEqual({
      problem: 'notes.txt is not a .proto or descriptor set: read as a descriptor set, a group end for field 13 at byte 2 with no group 13 open',
    });
  });

  it("the app's choice keeps the file's words, at the schema", () => {
    const made = protobufChoiceSettings({ schema: { name: 'order.bin', descriptorSet: ORDER.toString('base64') }, type: 'shop.Order' });
    expect(made).toMatchObject({ field: 'schema', problem: expect.stringMatching(/^order\.bin is not a \.proto or descriptor set: /) });
  });
});

describe('imports and types that are not there', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'proto-problems-'));
    await mkdir(path.join(dir, 'inc'));
    await writeFile(path.join(dir, 'imports.proto'), 'syntax = "proto3";\npackage shop;\nimport "does/not/exist.proto";\nmessage Wrap { shop.Missing m = 1; }\n');
    await writeFile(path.join(dir, 'inc', 'nested.proto'), 'syntax = "proto3";\npackage inc;\n\nimport "gone.proto";\n');
    await writeFile(path.join(dir, 'outer.proto'), 'syntax = "proto3";\nimport "inc/nested.proto";\n');
    await writeFile(path.join(dir, 'unresolved.proto'), 'syntax = "proto3";\npackage shop;\nmessage Wrap {\n  string a = 1;\n  Missing m = 2;\n}\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a missing import (the CLI reads files): which import, from which file and line, and where it was looked for', () => {
    const file = path.join(dir, 'imports.proto');
    expect(compileProtobufSchema({ file })).toEqual({
      problem: `${file} line 3: import "does/not/exist.proto" was not found (looked for ${path.join(dir, 'does/not/exist.proto')}: imports are read relative to the importing file's folder)`,
    });
    const nested = path.join(dir, 'inc', 'nested.proto');
    expect(compileProtobufSchema({ file: path.join(dir, 'outer.proto') })).toEqual({
      problem: `${nested} line 4: import "gone.proto" was not found (looked for ${path.join(dir, 'inc', 'gone.proto')}: imports are read relative to the importing file's folder)`,
    });
  });

  it('a type not defined: the field and line that use it, from a file and from text', () => {
    const file = path.join(dir, 'unresolved.proto');
    expect(compileProtobufSchema({ file })).toEqual({ problem: `${file}: the type Missing (field m of shop.Wrap, line 5) is not defined` });
    const text = 'syntax = "proto3";\npackage shop;\nmessage Wrap {\n  string a = 1;\n  Missing m = 2;\n}\n';
    expect(compileProtobufSchema({ protoText: text, name: 'unresolved.proto' })).toEqual({ problem: 'unresolved.proto: the type Missing (field m of shop.Wrap, line 5) is not defined' });
  });

  it('.proto text (the app) does not read its imports: said with the import and its line', () => {
    const text = 'syntax = "proto3";\npackage shop;\nimport "does/not/exist.proto";\nmessage Wrap { shop.Missing m = 1; }\n';
    expect(compileProtobufSchema({ protoText: text, name: 'imports.proto' })).toEqual({
      problem:
        'imports.proto: the type shop.Missing (field m of shop.Wrap, line 4) is not defined; it may be in "does/not/exist.proto" (line 3): imports are not read here, pick a descriptor set made with protoc --include_imports',
    });
    // An import whose types are not used costs nothing.
    expect(compileProtobufSchema({ protoText: 'syntax = "proto3";\nimport "x/y.proto";\nmessage A { string s = 1; }\n', name: 'a.proto' })).toMatchObject({ compiled: { types: ['A'] } });
  });
});
