import { encode as encodeCbor } from 'cbor-x';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { CborDecoder } from '../../../src-main/core/decode/cbor-decoder';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';
import { binaryFrame } from './wire';

const packr = new Packr({ useRecords: false });

describe('MessagePack decoder', () => {
  it('decodes a map with bytes and a 64-bit integer as plain JSON', () => {
    const bytes = packr.pack({ type: 'tick', price: 1.5, raw: Buffer.from([1, 2]), big: 2n ** 63n - 1n });
    const result = new MsgpackDecoder().decode(binaryFrame(bytes));
    expect(result).toMatchObject({
      kind: 'decoded',
      summary: 'MessagePack map {type, price, raw, big}',
      value: { type: 'tick', price: 1.5, raw: { $bytes: 'AQI=', length: 2 }, big: '9223372036854775807' },
    });
  });

  it('reads extension types as sent, the timestamp (-1) as a date', () => {
    const decode = (bytes: number[]) => new MsgpackDecoder().decode(binaryFrame(bytes));
    // fixext 1, type 5 (msgpackr: "Unknown extension 5").
    expect(decode([0xd4, 0x05, 0x2a])).toEqual({ kind: 'decoded', protocol: 'msgpack', summary: 'MessagePack extension type 5 (1 B)', value: { $ext: 5, $bytes: 'Kg==', length: 1 } });
    // ext 8 of type 0x73 in an array before 7 (msgpackr: a Set made of the 7 after it, "number 7 is not iterable").
    expect(decode([0x92, 0xc7, 0x02, 0x73, 0x01, 0x02, 0x07])).toMatchObject({ kind: 'decoded', value: [{ $ext: 115, $bytes: 'AQI=', length: 2 }, 7] });
    // Type 0x78 (msgpackr: a RegExp, shown as {}) and a negative type, -2.
    expect(decode([0xd5, 0x78, 0x61, 0x62])).toMatchObject({ kind: 'decoded', value: { $ext: 120, $bytes: 'YWI=', length: 2 } });
    expect(decode([0xd4, 0xfe, 0x00])).toMatchObject({ kind: 'decoded', value: { $ext: -2, $bytes: 'AA==', length: 1 } });
    expect(decode([...packr.pack(new Date(1000))])).toMatchObject({ kind: 'decoded', value: '1970-01-01T00:00:01.000Z' });
  });

  it('reads the byte 0xC1 inside a string, a number or bytes as data, not as the reserved value', () => {
    const bytes = [0x83, 0xa1, 0x73, 0xa2, 0xc3, 0x81, 0xa1, 0x6e, 0xcd, 0xc1, 0x00, 0xa1, 0x62, 0xc4, 0x01, 0xc1]; // {s: "Á", n: 0xc100, b: <c1>}
    expect(new MsgpackDecoder().decode(binaryFrame(bytes))).toMatchObject({ kind: 'decoded', value: { s: '\u00c1', n: 0xc100, b: { $bytes: 'wQ==', length: 1 } } });
  });

  it('keeps map keys that are not strings', () => {
    const result = new MsgpackDecoder().decode(binaryFrame([0x81, 0x01, 0xa1, 0x61]));
    expect(result).toMatchObject({ kind: 'decoded', value: { $map: [[1, 'a']] } });
  });

  it.each([
    ['truncated array', [0x92, 0x01], /^not valid MessagePack: the message \(2 B\) ends before its value does: it ends inside the fixarray at byte 0 \(2 items, 1 read\) \(truncated, or a length is wrong\)$/],
    ['string longer than the message', [0xa5, 0x61], /^not valid MessagePack: the message \(2 B\) ends before its value does: the fixstr at byte 0 says 5 B, 1 B is left \(truncated/],
    // ext 32 with 3 of its 4 length bytes (msgpackr: "Offset is outside the bounds of the DataView").
    ['ext 32 cut in its length', [0xc9, 0x4a, 0x79, 0x47], /^not valid MessagePack: the message \(4 B\) ends before its value does: the ext 32 at byte 0 is cut in its 4-byte length \(truncated, or a length is wrong\)$/],
    ['float 64 cut short', [0xcb, 0x3f, 0xf8], /^not valid MessagePack: the message \(3 B\) ends before its value does: the float 64 at byte 0 needs 8 B after its head, 2 B are left/],
    // ext 8 with its length and no type byte (msgpackr: "Unknown extension type undefined").
    ['ext 8 without its type', [0x8a, 0xc7, 0x00], /^not valid MessagePack: the message \(3 B\) ends before its value does: the ext 8 at byte 1 ends before its type byte/],
    ['bytes left over', [0x01, 0x02], /^not valid MessagePack: the value ends at byte 1 of 2; the bytes after it are left over$/],
    // The place is where the value ends, not the value (msgpackr's message ends with the value: 5).
    ['bytes left over after 5', [0x05, 0x02, 0x03], /^not valid MessagePack: the value ends at byte 1 of 3; the bytes after it are left over$/],
    // A map (17 B: msgpackr writes map16 headers) then a byte: msgpackr's message shows the map as {}, which said nothing.
    ['bytes left over after a map', [...packr.pack({ event: 'tick', n: 2 }), 0x00], /^not valid MessagePack: the value ends at byte 17 of 18; the bytes after it are left over$/],
    ['reserved byte', [0xc1], /reserved byte 0xC1/],
    ['reserved byte in a map in a list', [0x91, 0x81, 0xa1, 0x61, 0xc1], /reserved byte 0xC1/],
    ['empty', [], /an empty message/],
  ])('%s is not valid', (_name, bytes, problem) => {
    const result = new MsgpackDecoder().decode(binaryFrame(bytes));
    expect(result?.kind).toBe('invalid');
    expect(result?.summary).toMatch(problem);
  });
});

describe('CBOR decoder', () => {
  it('decodes a map, a date tag and an unknown tag', () => {
    const result = new CborDecoder().decode(binaryFrame(encodeCbor({ n: 1, list: [true, null], at: new Date(1000) })));
    expect(result).toMatchObject({ kind: 'decoded', summary: 'CBOR map {n, list, at}', value: { n: 1, list: [true, null], at: '1970-01-01T00:00:01.000Z' } });
    expect(new CborDecoder().decode(binaryFrame([0xd8, 0x64, 0x01]))).toMatchObject({ value: { tag: 100, value: 1 } });
  });

  it.each([
    ['truncated array', [0x82, 0x01], /^not valid CBOR: the message \(2 B\) ends before its data item does/],
    ['text longer than the message', [0x65, 0x61], /ends before its data item does/],
    ['bytes left over', [0x01, 0x02], /^not valid CBOR: the data item ends at byte 1 of 2; the bytes after it are left over$/],
    ['bytes left over after an indefinite-length array', [0x9f, 0x01, 0xff, 0x02], /^not valid CBOR: the data item ends at byte 3 of 4; the bytes after it are left over$/],
    ['reserved additional information', [0x1c], /^not valid CBOR: the head 0x1c at byte 0 uses the reserved additional information 28 \(major type 0, unsigned integer\)$/],
  ])('%s is not valid', (_name, bytes, problem) => {
    const result = new CborDecoder().decode(binaryFrame(bytes));
    expect(result?.kind).toBe('invalid');
    expect(result?.summary).toMatch(problem);
  });

  // cbor-x's own errors name no place ("Unknown token 30", "No packed values available"): the
  // heads are read to say which head and where (cbor-heads.ts).
  it.each([
    ['MessagePack bytes (a map16 head, 0xde)', [0xde, 0x00, 0x01, 0xa1, 0x61, 0x01], 'the head 0xde at byte 0 uses the reserved additional information 30 (major type 6, tag)'],
    ['a reserved head inside an array, after a string', [0x83, 0x62, 0x1c, 0x1c, 0x01, 0x1d], 'the head 0x1d at byte 5 uses the reserved additional information 29 (major type 0, unsigned integer)'],
    ['a reserved head inside a tag', [0xc1, 0x1c], 'the head 0x1c at byte 1 uses the reserved additional information 28 (major type 0, unsigned integer)'],
    ['an unassigned simple value', [0x82, 0xf4, 0xf0], 'the head 0xf0 at byte 2 is the simple value 16, which is not read (only false, true, null, undefined and floats are)'],
    ['a one-byte simple value', [0xf8, 0x20], 'the head 0xf8 at byte 0 is the simple value 32, which is not read (only false, true, null, undefined and floats are)'],
    ['a break outside an indefinite-length item', [0x82, 0x01, 0xff], 'a break (0xff) at byte 2 outside an indefinite-length array or map'],
    ['an indefinite-length integer', [0x1f], 'the head 0x1f at byte 0 gives an indefinite length to an unsigned integer (major type 0), which cannot have one'],
    ['an indefinite-length tag', [0xdf, 0x01], 'the head 0xdf at byte 0 gives an indefinite length to a tag (major type 6), which cannot have one'],
    ['an indefinite-length text string (valid CBOR that cbor-x does not read)', [0x7f, 0x61, 0x61, 0xff], 'the head 0x7f at byte 0 starts an indefinite-length text string (chunks up to a break), which is not read'],
    ['an indefinite-length map broken after a key', [0xbf, 0x03, 0xff], 'a break (0xff) at byte 2 after a key without its value, in the indefinite-length map at byte 0'],
    // cbor-x: "Offset is outside the bounds of the DataView", "Map size exceeds …", "JavaScript does not support … length over …".
    ['a float32 cut short', [0xfa, 0x77, 0xad, 0x30], 'the message (4 B) ends before its data item does (truncated, or a length is wrong)'],
    ['a map of 2^26 pairs in 5 bytes', [0xba, 0x04, 0x00, 0x00, 0x00], 'the message (5 B) ends before its data item does (truncated, or a length is wrong)'],
    // true in its two-byte form (cbor-x reads it), then a byte.
    ['true (0xf8 0x15), then a byte', [0xf8, 0x15, 0x00], 'the data item ends at byte 2 of 3; the bytes after it are left over'],
  ])('%s: which head and where', (_name, bytes, problem) => {
    const result = new CborDecoder().decode(binaryFrame(bytes));
    expect(result).toEqual({ kind: 'invalid', protocol: 'cbor', summary: `not valid CBOR: ${problem}`, problem });
  });

  it('a tag cbor-x reads, with content it refuses: its message, with the tag and its place', () => {
    // Tag 2 (a bignum) around undefined.
    const result = new CborDecoder().decode(binaryFrame([0x82, 0x01, 0xc2, 0xf7]));
    expect(result?.kind).toBe('invalid');
    expect(result?.summary).toMatch(/^not valid CBOR: .+ \(in the content of tag 2 at byte 2\)$/);
  });

  it('reads what follows a refused head\'s string contents as contents, not heads', () => {
    // A text string holding 0x1c (a reserved head as a byte), then a bad head after it.
    const result = new CborDecoder().decode(binaryFrame([0x82, 0x61, 0x1c, 0xfc]));
    expect(result?.summary).toBe('not valid CBOR: the head 0xfc at byte 3 uses the reserved additional information 28 (major type 7, simple value or float)');
  });
});
