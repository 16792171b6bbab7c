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

  it('keeps map keys that are not strings', () => {
    const result = new MsgpackDecoder().decode(binaryFrame([0x81, 0x01, 0xa1, 0x61]));
    expect(result).toMatchObject({ kind: 'decoded', value: { $map: [[1, 'a']] } });
  });

  it.each([
    ['truncated array', [0x92, 0x01], /^not valid MessagePack: the message \(2 B\) ends before its value does/],
    ['string longer than the message', [0xa5, 0x61], /ends before its value does/],
    ['bytes left over', [0x01, 0x02], /^not valid MessagePack: the value ends at byte 1 of 2; the bytes after it are left over$/],
    // The place is where the value ends, not the value (msgpackr's message ends with the value: 5).
    ['bytes left over after 5', [0x05, 0x02, 0x03], /^not valid MessagePack: the value ends at byte 1 of 3; the bytes after it are left over$/],
    // A map (17 B: msgpackr writes map16 headers) then a byte: msgpackr's message shows the map as {}, which said nothing.
    ['bytes left over after a map', [...packr.pack({ event: 'tick', n: 2 }), 0x00], /^not valid MessagePack: the value ends at byte 17 of 18; the bytes after it are left over$/],
    ['reserved byte', [0xc1], /reserved byte 0xC1/],
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
    ['bytes left over', [0x01, 0x02], /bytes are left over after the data item/],
    ['reserved additional information', [0x1c], /^not valid CBOR: /],
  ])('%s is not valid', (_name, bytes, problem) => {
    const result = new CborDecoder().decode(binaryFrame(bytes));
    expect(result?.kind).toBe('invalid');
    expect(result?.summary).toMatch(problem);
  });
});
