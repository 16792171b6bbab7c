/** Decoded values as plain JSON: a key named __proto__ (from JSON, MessagePack or CBOR) stays a key. */
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { textOrBytes, toJsonValue } from '../../../src-main/core/decode/json-value';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';
import { binaryFrame, textFrame } from './wire';

describe('toJsonValue and __proto__', () => {
  it('keeps __proto__ as an own key of objects and of maps', () => {
    const parsed: unknown = JSON.parse('{"a":1,"__proto__":{"polluted":true}}');
    const value = toJsonValue(parsed);
    expect(JSON.stringify(value)).toBe('{"a":1,"__proto__":{"polluted":true}}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(toJsonValue(new Map([['__proto__', 5]])))).toBe('{"__proto__":5}');
  });

  it('through the decoders', () => {
    const next = new GraphqlWsDecoder().decode(textFrame('{"id":"1","type":"next","payload":{"data":{"__proto__":{"x":1}}}}'));
    expect(next?.kind === 'decoded' && JSON.stringify(next.value)).toBe('{"id":"1","type":"next","payload":{"data":{"__proto__":{"x":1}}}}');
    const packed = new Packr({ useRecords: false }).pack(new Map<string, unknown>([['__proto__', { x: 1 }]]));
    const msgpack = new MsgpackDecoder().decode(binaryFrame(packed));
    expect(msgpack?.kind === 'decoded' && JSON.stringify(msgpack.value)).toBe('{"__proto__":{"x":1}}');
  });
});

describe('toJsonValue and maps', () => {
  it('a map with string keys is an object; one other key (even after string keys) makes the whole map pairs, in order', () => {
    expect(toJsonValue(new Map<unknown, unknown>([['a', 1], ['b', new Map([['c', 2]])]]))).toEqual({ a: 1, b: { c: 2 } });
    expect(toJsonValue(new Map<unknown, unknown>([['a', 1], [2, 'two'], ['c', new Uint8Array([1])]]))).toEqual({
      $map: [
        ['a', 1],
        [2, 'two'],
        ['c', { $bytes: 'AQ==', length: 1 }],
      ],
    });
  });
});

describe('MessagePack and the reserved byte 0xC1', () => {
  it('is refused wherever it stands: a map key, a map value, inside an array', () => {
    // {a: 0xC1}, {0xC1: 1}, [1, [0xC1]]
    for (const bytes of [[0x81, 0xa1, 0x61, 0xc1], [0x81, 0xc1, 0x01], [0x92, 0x01, 0x91, 0xc1]]) {
      expect(new MsgpackDecoder().decode(binaryFrame(Buffer.from(bytes)))?.summary, Buffer.from(bytes).toString('hex')).toBe('not valid MessagePack: the reserved byte 0xC1 is used as a value');
    }
  });
});

describe('textOrBytes', () => {
  it('keeps a leading byte-order mark whether or not the text holds U+FFFD (the strict reading used to drop it)', () => {
    expect(textOrBytes(Buffer.from('\ufeff{"a":1}', 'utf8'))).toBe('\ufeff{"a":1}');
    expect(textOrBytes(Buffer.from('\ufeff{"a":"\ufffd"}', 'utf8'))).toBe('\ufeff{"a":"\ufffd"}');
    expect(textOrBytes(Buffer.from([0xef, 0xbb, 0xbf, 0xff]))).toEqual({ $bytes: '77u//w==', length: 4 });
  });
});
