/**
 * How a STOMP body shows in the decoded value (stomp-body.ts): bytes, {$bytes, length} as MQTT
 * payloads and MessagePack binaries show, when the frame's first content-type is not a text type
 * or the body is not UTF-8; UTF-8 text as text; JSON text as a string the query reads as JSON.
 * Bad cases: a body cut in the middle of a UTF-8 sequence, content-length shorter and longer than
 * the body, NULs inside a binary body with content-length, repeated and odd content-types.
 */
import { describe, expect, it } from 'vitest';
import { bodyIsText } from '../../../src-main/core/decode/stomp-body';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import type { JsonValue } from '../../../src-main/core/decode/json-value';
import { binaryFrame } from './wire';

const bytesOf = (body: Uint8Array): JsonValue => ({ $bytes: Buffer.from(body).toString('base64'), length: body.byteLength });

/** The frame's decoded value (or its problem), decoded alone. */
function decode(headers: string, body: Uint8Array, contentLength = true): ReturnType<StompDecoder['decode']> {
  const length = contentLength ? `content-length:${body.byteLength}\n` : '';
  return new StompDecoder().decode(binaryFrame(Buffer.concat([Buffer.from(`MESSAGE\ndestination:/t\n${headers}${length}\n`), body, Buffer.from([0])])));
}

function bodyOf(headers: string, body: Uint8Array, contentLength = true): JsonValue | undefined {
  const outcome = decode(headers, body, contentLength);
  if (outcome?.kind !== 'decoded' || typeof outcome.value !== 'object' || outcome.value === null || Array.isArray(outcome.value)) return undefined;
  return outcome.value.body;
}

describe('STOMP body: bytes or text', () => {
  const cafe = Buffer.from('café', 'utf8');
  it('a content-type that is not text: bytes, whatever they hold (valid UTF-8, NULs)', () => {
    for (const type of ['application/octet-stream', 'Application/Octet-Stream', ' application/octet-stream ', 'image/png', 'application/x-protobuf', 'application/vnd.acme.blob', 'application/octet-stream; q=1']) {
      expect(bodyOf(`content-type:${type}\n`, cafe), type).toEqual(bytesOf(cafe));
    }
    const withNuls = Buffer.from([0x00, 0x41, 0x00, 0xc3, 0xa9, 0x00]);
    expect(bodyOf('content-type:application/octet-stream\n', withNuls)).toEqual(bytesOf(withNuls));
    expect(bodyOf('content-type:application/octet-stream\n', new Uint8Array(0))).toEqual(bytesOf(new Uint8Array(0)));
    expect(decode('content-type:application/octet-stream\n', withNuls)?.summary).toBe('MESSAGE /t 6 B');
  });

  it('text, JSON and no content-type: UTF-8 text as text (JSON stays a string the query reads as JSON)', () => {
    for (const headers of ['', 'content-type:text/plain\n', 'content-type:text/plain;charset=utf-8\n', 'content-type:application/json\n', 'content-type:application/vnd.acme+json; charset=UTF-8\n', 'content-type:application/x-protobuf;charset=utf-8\n', 'content-type:\n', 'content-type:octets\n', 'Content-Type:application/octet-stream\n']) {
      expect(bodyOf(headers, cafe), headers).toBe('café');
    }
    const json = Buffer.from('{"price":120,"sym":"ABC7"}');
    const outcome = decode('content-type:application/json;charset=UTF-8\n', json);
    expect(outcome?.kind === 'decoded' && outcome.value).toMatchObject({ body: '{"price":120,"sym":"ABC7"}' });
    const query = parseDecodedQuery('$.body.price > 100');
    if (!query.ok || outcome?.kind !== 'decoded') throw new Error('no query or value');
    expect(matchesDecodedQuery(query.query, outcome.value)).toBe(true);
    // The same JSON sent as octets is bytes: the path selects nothing; `length` is the body's size.
    const octets = decode('content-type:application/octet-stream\n', json);
    if (octets?.kind !== 'decoded') throw new Error('not decoded');
    expect(matchesDecodedQuery(query.query, octets.value)).toBe(false);
    const length = parseDecodedQuery(`$.body.length == ${json.byteLength}`);
    expect(length.ok && matchesDecodedQuery(length.query, octets.value)).toBe(true);
  });

  it('a body that is not UTF-8 is bytes, never Latin-1 text: cut in the middle of a sequence, a lone byte, text/plain', () => {
    const cut = Buffer.concat([Buffer.from('caf'), Buffer.from([0xc3])]);
    for (const headers of ['', 'content-type:text/plain;charset=utf-8\n', 'content-type:application/json\n']) {
      expect(bodyOf(headers, cut), headers).toEqual(bytesOf(cut));
      expect(bodyOf(headers, cut, false), headers).toEqual(bytesOf(cut));
      expect(bodyOf(headers, Buffer.from([0xff, 0x41]))).toEqual(bytesOf(Buffer.from([0xff, 0x41])));
    }
    // A body of UTF-8 split across messages in the middle of a sequence is text once whole.
    const decoder = new StompDecoder();
    const whole = Buffer.from('MESSAGE\ndestination:/t\n\ncafé\u0000', 'utf8');
    expect(decoder.decode(binaryFrame(whole.subarray(0, whole.length - 2)))?.kind).toBe('partial');
    expect(decoder.decode(binaryFrame(whole.subarray(whole.length - 2)))).toMatchObject({ kind: 'decoded', value: { body: 'café' } });
  });

  it('the first of repeated content-types counts, as for every header; escapes are read first', () => {
    expect(bodyOf('content-type:text/plain\ncontent-type:application/octet-stream\n', cafe)).toBe('café');
    expect(bodyOf('content-type:application/octet-stream\ncontent-type:text/plain\n', cafe)).toEqual(bytesOf(cafe));
    // STOMP 1.2 escapes: `\c` is ':' (not a media type's character, but read as the header's value).
    expect(bodyOf('content-type:text/x\\cy\n', cafe)).toBe('café');
  });

  it('content-length shorter or longer than the body', () => {
    const body = Buffer.from([0x01, 0x00, 0x02, 0x00]);
    const head = 'MESSAGE\ndestination:/t\ncontent-type:application/octet-stream\n';
    // Shorter: where it ends the body there is no NUL.
    const shorter = new StompDecoder().decode(binaryFrame(Buffer.concat([Buffer.from(`${head}content-length:2\n\n`), body, Buffer.from([0])])));
    expect(shorter?.summary).toMatch(/^not valid STOMP: content-length 2 of MESSAGE ends the body at byte \d+, where there is no NUL/);
    // Longer: the NUL that would have ended it is a byte of the body, and the frame waits for the rest.
    const decoder = new StompDecoder();
    expect(decoder.decode(binaryFrame(Buffer.concat([Buffer.from(`${head}content-length:6\n\n`), body, Buffer.from([0])])))?.kind).toBe('partial');
    expect(decoder.decode(binaryFrame([0x07, 0x00]))).toMatchObject({ kind: 'decoded', value: { body: bytesOf(Buffer.from([0x01, 0x00, 0x02, 0x00, 0x00, 0x07])) } });
  });
});

describe('bodyIsText', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['text/plain', true],
    ['TEXT/HTML; charset=iso-8859-1', true],
    ['application/json', true],
    ['application/ld+json', true],
    ['image/svg+xml', true],
    ['application/xml', true],
    ['application/javascript', true],
    ['application/x-www-form-urlencoded', true],
    ['application/octet-stream;charset=utf-8', true],
    ['application/octet-stream', false],
    ['application/x-protobuf', false],
    ['application/jsonx', false],
    ['image/png', false],
    ['audio/ogg; codecs=opus', false],
    ['application/', true],
    ['/json', true],
    ['octets', true],
  ] as const)('%s: %s', (type, text) => {
    expect(bodyIsText(type)).toBe(text);
  });
});
