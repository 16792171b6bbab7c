/** Decoded values as plain JSON: a key named __proto__ (from JSON, MessagePack or CBOR) stays a key. */
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { toJsonValue } from '../../../src-main/core/decode/json-value';
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
