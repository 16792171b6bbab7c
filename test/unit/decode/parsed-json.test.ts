/** A parsed JSON value taken without a copy only when toJsonValue would give an equal one. */
import { describe, expect, it } from 'vitest';
import { toJsonValue } from '../../../src-main/core/decode/json-value';
import { parsedJsonValue, PLAIN_DEPTH } from '../../../src-main/core/decode/parsed-json';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import { binaryFrame, textFrame } from './wire';

/** `levels` arrays (or objects) inside each other around 1. */
const nested = (levels: number, open: string, close: string): string => `${open.repeat(levels)}1${close.repeat(levels)}`;

describe('parsedJsonValue', () => {
  it.each([
    ['flat object', '{"a":1,"b":"x","c":[true,false,null],"d":-0.5}', true],
    ['__proto__ as a key', '{"a":1,"__proto__":{"polluted":true}}', true],
    ['empty containers', '{"a":{},"b":[]}', true],
    ['unicode', '{"é":"\\u00e9😀"}', true],
    [`${PLAIN_DEPTH} arrays deep (1 at depth ${PLAIN_DEPTH})`, nested(PLAIN_DEPTH, '[', ']'), true],
    [`${PLAIN_DEPTH + 1} arrays deep (cut)`, nested(PLAIN_DEPTH + 1, '[', ']'), false],
    [`${PLAIN_DEPTH + 2} arrays deep (cut)`, nested(PLAIN_DEPTH + 2, '[', ']'), false],
    [`${PLAIN_DEPTH} objects deep`, nested(PLAIN_DEPTH, '{"k":', '}'), true],
    [`${PLAIN_DEPTH + 1} objects deep (cut)`, nested(PLAIN_DEPTH + 1, '{"k":', '}'), false],
    ['1e400 (Infinity)', '{"n":1e400}', false],
    ['-1e400 (-Infinity)', '[1,-1e400]', false],
  ])('%s: equal to toJsonValue, the same object when plain', (_name, text, plain) => {
    const parsed: unknown = JSON.parse(text);
    const copied = toJsonValue(JSON.parse(text));
    const value = parsedJsonValue(parsed);
    expect(value).toEqual(copied);
    expect(JSON.stringify(value)).toBe(JSON.stringify(copied));
    expect(value === parsed).toBe(plain);
  });

  it('a depth given is counted as toJsonValue counts it', () => {
    const parsed: unknown = JSON.parse(nested(PLAIN_DEPTH - 3, '[', ']'));
    expect(parsedJsonValue(parsed, 3)).toBe(parsed);
    expect(parsedJsonValue(parsed, 4)).toEqual(toJsonValue(parsed, 4));
    expect(parsedJsonValue(parsed, 4)).not.toBe(parsed);
  });

  it.each([
    ['a Buffer', { a: Buffer.from([1, 2]) }],
    ['a Date', { at: new Date(0) }],
    ['a Map', { m: new Map([['k', 1]]) }],
    ['undefined', { u: undefined, v: 1 }],
    ['a sparse array (a hole reads as undefined)', [1, , 3]],
    ['an object of a class', { o: new (class Point { x = 1 })() }],
    ['an inherited key', Object.create({ inherited: 1 }) as object],
  ])('%s is copied by toJsonValue', (_name, input) => {
    const value = parsedJsonValue(input);
    expect(value).not.toBe(input);
    expect(value).toEqual(toJsonValue(input));
  });
});

describe('the decoders that take parsed JSON as it is', () => {
  it('GraphQL: a result nested too deep is cut as before, Infinity is text', () => {
    const deep = new GraphqlWsDecoder().decode(textFrame(`{"id":"1","type":"next","payload":{"data":${nested(PLAIN_DEPTH, '[', ']')}}}`));
    expect(JSON.stringify(deep?.kind === 'decoded' ? deep.value : null)).toContain('"$cut":"nested deeper than 64 levels"');
    const infinite = new GraphqlWsDecoder().decode(textFrame('{"id":"1","type":"next","payload":{"data":{"n":1e400}}}'));
    expect(infinite).toMatchObject({ kind: 'decoded', value: { payload: { data: { n: 'Infinity' } } } });
  });

  it('GraphQL: the operation added to a result is a copy of the remembered one', () => {
    const decoder = new GraphqlWsDecoder();
    decoder.decode(textFrame('{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { price }"}}', 'out'));
    const first = decoder.decode(textFrame('{"id":"1","type":"next","payload":{"data":{"price":1}},"operation":"theirs"}'));
    const second = decoder.decode(textFrame('{"id":"1","type":"next","payload":{"data":{"price":2}}}'));
    if (first?.kind !== 'decoded' || second?.kind !== 'decoded') throw new Error('not decoded');
    // The message's own `operation` key keeps its place, its value the decoder's.
    expect(JSON.stringify(first.value)).toBe('{"id":"1","type":"next","payload":{"data":{"price":1}},"operation":{"type":"subscription","name":"OnPrice"}}');
    expect((first.value as { operation: unknown }).operation).not.toBe((second.value as { operation: unknown }).operation);
  });

  it('Socket.IO: arguments as before, a joined binary attachment as bytes, Infinity as text', () => {
    const decoder = new SocketIoDecoder();
    expect(decoder.decode(textFrame('42["chat",{"n":1e400},[1,2]]'))).toMatchObject({ kind: 'decoded', value: { event: 'chat', args: [{ n: 'Infinity' }, [1, 2]] } });
    decoder.decode(textFrame('451-["up",{"_placeholder":true,"num":0},{"a":1}]'));
    expect(decoder.decode(binaryFrame([1, 2, 3]))).toMatchObject({ kind: 'decoded', value: { event: 'up', args: [{ $bytes: 'AQID', length: 3 }, { a: 1 }] } });
  });
});
