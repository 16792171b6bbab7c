/**
 * A STOMP body in the charset its content-type names (stomp-body.ts, stomp-charset.ts): text in
 * iso-8859-1 (windows-1252 by the WHATWG labels, € at 0x80 whatever Node's own decoder says),
 * windows-1252, utf-16le (NULs inside: content-length), utf-16 with a byte order mark,
 * shift_jis, iso-8859-2, gb18030, quoted and odd-case labels; a label that names no encoding and
 * bytes not valid in the charset are bytes with a note in the summary saying which charset and
 * where; headers stay UTF-8; the first content-type counts; a body split across messages (a
 * UTF-16 character cut in two) is text once whole. Export masking reads none of it: a stream
 * with such bodies split anywhere masks exactly the credential bytes.
 */
import { describe, expect, it } from 'vitest';
import { CredentialBytes } from '../../../src-main/core/decode/credential-bytes';
import type { DecodeOutcome } from '../../../src-main/core/decode/decoded-frame';
import type { JsonValue } from '../../../src-main/core/decode/json-value';
import { bodyReading } from '../../../src-main/core/decode/stomp-body';
import { charsetParameter, decodeIn, encodingOf, readsAsciiAsUtf8, whereNotValid } from '../../../src-main/core/decode/stomp-charset';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import { TextDecoder } from 'node:util';
import { binaryFrame } from './wire';

const charsetOf = (type: string): string => type.slice(type.indexOf('charset=') + 'charset='.length);

const bytesOf = (body: Uint8Array): JsonValue => ({ $bytes: Buffer.from(body).toString('base64'), length: body.byteLength });

/** A MESSAGE with these headers (content-length added) and body, decoded alone. */
function decode(headers: string, body: Uint8Array): DecodeOutcome | undefined {
  return new StompDecoder().decode(binaryFrame(Buffer.concat([Buffer.from(`MESSAGE\ndestination:/t\n${headers}content-length:${body.byteLength}\n\n`, 'utf8'), body, Buffer.from([0])])));
}

function bodyOf(outcome: DecodeOutcome | undefined): JsonValue | undefined {
  if (outcome?.kind !== 'decoded' || typeof outcome.value !== 'object' || outcome.value === null || Array.isArray(outcome.value)) return undefined;
  return outcome.value.body;
}

const type = (charset: string): string => `content-type:text/plain;charset=${charset}\n`;

describe('STOMP body in its content-type\'s charset', () => {
  it('is text in that charset: iso-8859-1, windows-1252, iso-8859-2, utf-16le (NULs), utf-16 with a mark, shift_jis, gb18030', () => {
    const cases: [string, Buffer, string][] = [
      ['iso-8859-1', Buffer.from('café', 'latin1'), 'café'],
      ['ISO-8859-1', Buffer.from([0x80, 0x92, 0x41]), '€’A'],
      ['latin1', Buffer.from([0xe9, 0x81]), 'é\u0081'],
      ['windows-1252', Buffer.from([0x93, 0x68, 0x69, 0x94, 0x9f]), '“hi”Ÿ'],
      ['"windows-1252"', Buffer.from([0x80]), '€'],
      ['iso-8859-2', Buffer.from([0x41, 0xa1, 0xb1]), 'AĄą'],
      ['utf-16le', Buffer.from('héllo ✓', 'utf16le'), 'héllo ✓'],
      ['UTF-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x', 'utf16le')]), '\ufeffx'],
      ['shift_jis', Buffer.from([0x82, 0xa0, 0x82, 0xa2, 0x41]), 'あいA'],
      ['Shift_JIS', Buffer.from([0x93, 0xfa, 0x96, 0x7b]), '日本'],
      ['gb18030', Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), '你好'],
    ];
    for (const [charset, body, text] of cases) {
      const outcome = decode(type(charset), body);
      expect(bodyOf(outcome), charset).toBe(text);
      expect(outcome?.summary, charset).toBe(`MESSAGE /t ${body.byteLength} B`);
    }
    // Parameters before it, space around '=', a quoted value, another type of text.
    expect(bodyOf(decode('content-type:application/json; q=1 ; charset = "iso-8859-1"\n', Buffer.from('{"s":"é"}', 'latin1')))).toBe('{"s":"é"}');
    expect(bodyOf(decode('content-type:application/octet-stream;charset=iso-8859-1\n', Buffer.from([0xe9])))).toBe('é');
  });

  it('the decoded text is what a query reads: a JSON body in latin1 and in UTF-16', () => {
    const query = parseDecodedQuery("$.body.s == 'é€'");
    if (!query.ok) throw new Error(query.error);
    for (const [charset, encoded] of [
      ['windows-1252', Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xe9, 0x80, 0x22, 0x7d])],
      ['utf-16le', Buffer.from('{"s":"é€"}', 'utf16le')],
      ['utf-8', Buffer.from('{"s":"é€"}', 'utf8')],
    ] as const) {
      const outcome = decode(type(charset), encoded);
      if (outcome?.kind !== 'decoded') throw new Error(`${charset}: not decoded`);
      expect(matchesDecodedQuery(query.query, outcome.value), charset).toBe(true);
    }
    // The same latin1 bytes without a charset are not UTF-8: bytes, which the query does not match.
    const plain = decode('content-type:application/json\n', Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xe9, 0x80, 0x22, 0x7d]));
    expect(plain?.kind === 'decoded' && matchesDecodedQuery(query.query, plain.value)).toBe(false);
  });

  it('a charset that names no encoding: bytes, and the summary says which and why', () => {
    for (const label of ['foo', '', 'utf-7', 'x-user-defined', 'iso-2022-kr']) {
      const body = Buffer.from('abc');
      const outcome = decode(type(label), body);
      expect(bodyOf(outcome), label).toEqual(bytesOf(body));
      expect(outcome?.summary, label).toBe(`MESSAGE /t 3 B (charset '${label}' is not known; shown as bytes)`);
    }
    // A label holding control characters is quoted printably.
    expect(decode('content-type:text/plain;charset="a\tb"\n', Buffer.from('x'))?.summary).toBe("MESSAGE /t 1 B (charset 'a\\x09b' is not known; shown as bytes)");
  });

  it('bytes not valid in the charset: bytes, and the summary says where', () => {
    const cases: [string, Buffer, string][] = [
      ['iso-8859-8', Buffer.from([0x41, 0x42, 0xbf]), 'not valid iso-8859-8 at byte 2 of the body'],
      ['shift_jis', Buffer.from([0x41, 0x82, 0x20, 0x41]), 'not valid shift_jis at byte 1 of the body'],
      ['utf-16le', Buffer.from([0x41, 0x00, 0x00, 0xd8, 0x41, 0x00]), 'not valid utf-16le at byte 2 of the body'],
      ['utf-16le', Buffer.from([0x41, 0x00, 0x42]), 'not valid utf-16le: the body ends inside a character'],
      ['latin2', Buffer.from('x', 'utf8'), ''],
      ['utf-8', Buffer.from([0x61, 0xe2, 0x82, 0x41]), 'not valid utf-8 at byte 1 of the body'],
      ['utf8', Buffer.from([0x61, 0xc3]), "not valid utf-8 (charset 'utf8'): the body ends inside a character"],
      ['euc-kr', Buffer.concat([Buffer.from('abcdefghij'), Buffer.from([0xff, 0x41])]), 'not valid euc-kr at byte 10 of the body'],
    ];
    for (const [charset, body, note] of cases) {
      const outcome = decode(type(charset), body);
      if (note === '') {
        expect(outcome?.summary, charset).toBe(`MESSAGE /t ${body.byteLength} B`);
        continue;
      }
      expect(bodyOf(outcome), charset).toEqual(bytesOf(body));
      expect(outcome?.summary, charset).toBe(`MESSAGE /t ${body.byteLength} B (${note}; shown as bytes)`);
    }
    // Without a charset, bytes that are not UTF-8 are bytes as before, without a note.
    expect(decode('content-type:text/plain\n', Buffer.from([0xff]))?.summary).toBe('MESSAGE /t 1 B');
  });

  it('headers stay UTF-8 whatever the charset; the first content-type counts; several frames each say theirs', () => {
    const outcome = new StompDecoder().decode(
      binaryFrame(Buffer.concat([Buffer.from('MESSAGE\ndestination:/t/é\ncontent-type:text/plain;charset=iso-8859-1\ncontent-type:text/plain;charset=utf-8\n\n', 'utf8'), Buffer.from([0xe9, 0]), Buffer.from('MESSAGE\ndestination:/u\ncontent-type:text/plain;charset=nope\n\nx\u0000', 'utf8')])),
    );
    expect(outcome).toMatchObject({
      kind: 'decoded',
      summary: "2 frames: MESSAGE /t/é 1 B · MESSAGE /u 1 B (charset 'nope' is not known; shown as bytes)",
      value: { frames: [{ headers: { destination: '/t/é', 'content-type': 'text/plain;charset=iso-8859-1' }, body: 'é' }, { body: bytesOf(Buffer.from('x')) }] },
    });
  });

  it('a body split across messages, a UTF-16 character cut in two, is text once whole', () => {
    const body = Buffer.from('日本語', 'utf16le');
    const whole = Buffer.concat([Buffer.from(`SEND\ndestination:/q\ncontent-type:text/plain;charset=utf-16le\ncontent-length:${body.length}\n\n`), body, Buffer.from([0])]);
    for (let cut = 1; cut < whole.length; cut++) {
      const decoder = new StompDecoder();
      expect(decoder.decode(binaryFrame(whole.subarray(0, cut), 'out'))?.kind, `cut at ${cut}`).toBe('partial');
      expect(decoder.decode(binaryFrame([], 'out'))?.summary, `cut at ${cut}`).toBe(`empty message (inside a STOMP frame, ${cut} B so far, continues in a later message)`);
      expect(decoder.decode(binaryFrame(whole.subarray(cut), 'out')), `cut at ${cut}`).toMatchObject({ kind: 'decoded', summary: 'SEND /q 6 B', value: { body: '日本語' } });
    }
  });
});

describe('stomp-charset.ts', () => {
  it('charsetParameter: the first charset, a token or a quoted string', () => {
    expect(charsetParameter('text/plain')).toBeUndefined();
    expect(charsetParameter('text/plain;charset=utf-8')).toBe('utf-8');
    expect(charsetParameter('text/plain; CharSet = "iso-8859-1" ')).toBe('iso-8859-1');
    expect(charsetParameter('text/plain;a=1;charset=x;charset=y')).toBe('x');
    expect(charsetParameter('text/plain;a="b;charset=no";charset=yes')).toBe('yes');
    expect(charsetParameter('text/plain;a;charset=z')).toBe('z');
    expect(charsetParameter('text/plain;charset="a\\"b"')).toBe('a"b');
    expect(charsetParameter('text/plain;charset=')).toBe('');
    expect(charsetParameter('text/plain;xcharset=a')).toBeUndefined();
  });

  it('encodingOf: WHATWG labels', () => {
    expect(encodingOf('latin1')).toBe('windows-1252');
    expect(encodingOf(' ISO-8859-1 ')).toBe('windows-1252');
    expect(encodingOf('utf-16')).toBe('utf-16le');
    expect(encodingOf('sjis')).toBe('shift_jis');
    expect(encodingOf('unicode-1-1-utf-8')).toBe('utf-8');
    expect(encodingOf('foo')).toBeUndefined();
  });

  it('encodingOf keeps its answers by label: asked again, past its bound, known and unknown alike', () => {
    const labels = Array.from({ length: 300 }, (_, k) => pick4(k));
    for (let round = 0; round < 2; round++) {
      for (const label of labels) expect(encodingOf(label), label).toBe(fresh(label));
    }
    expect(encodingOf('foo')).toBeUndefined();
    expect(encodingOf('foo')).toBeUndefined();
  });

  it('decodeIn windows-1252: every byte by the standard\'s index (0x80-0x9F not Latin-1)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, k) => k);
    const text = decodeIn('windows-1252', all);
    const high = [0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178];
    expect(text).toBe(Array.from(all, (b) => String.fromCharCode(b >= 0x80 && b < 0xa0 ? (high[b - 0x80] ?? b) : b)).join(''));
  });

  it('readsAsciiAsUtf8: measured on the decoder Node gives', () => {
    for (const encoding of ['windows-1252', 'iso-8859-2', 'koi8-r', 'gb18030', 'big5', 'euc-jp', 'euc-kr']) expect(readsAsciiAsUtf8(encoding), encoding).toBe(true);
    for (const encoding of ['utf-16le', 'utf-16be', 'iso-2022-jp']) expect(readsAsciiAsUtf8(encoding), encoding).toBe(false);
    // Node's ICU: shift_jis 0x7F is U+001A.
    expect(readsAsciiAsUtf8('shift_jis')).toBe(decodeIn('shift_jis', Uint8Array.of(0x7f)) === '\u007f');
  });

  it('whereNotValid names the byte a bad character starts at', () => {
    expect(whereNotValid('utf-8', Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0xf0, 0x28]))).toBe('at byte 4 of the body');
    expect(whereNotValid('shift_jis', Buffer.from([0x82, 0xa0, 0x82, 0x0a]))).toBe('at byte 2 of the body');
    expect(whereNotValid('utf-16be', Buffer.from([0x00, 0x41, 0xdc, 0x00]))).toBe('at byte 2 of the body');
  });
});

/** A known label, an unknown one, one with spaces, one in capitals, by k (each distinct). */
function pick4(k: number): string {
  return [`latin1${' '.repeat(k % 7)}`, `nope-${k}`, ` utf-8${' '.repeat(k % 5)}`, `SHIFT_JIS${' '.repeat(k % 3)}`][k % 4] ?? '';
}

/** What a TextDecoder made now says of the label. */
function fresh(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

describe('bodyReading', () => {
  it('keeps answers by the header\'s exact text, right past its bound', () => {
    const types = Array.from({ length: 600 }, (_, k) => `text/plain;n=${k % 300};charset=${['latin1', 'utf-8', 'klingon', 'shift_jis'][k % 4] ?? ''}`);
    for (const type of types) {
      const encoding = fresh(charsetOf(type));
      const kind = encoding === undefined ? 'unknown' : encoding === 'utf-8' ? 'utf-8' : 'charset';
      expect(bodyReading(type).kind, type).toBe(kind);
    }
  });

  it.each([
    [undefined, 'utf-8'],
    ['text/plain', 'utf-8'],
    ['text/plain;charset=UTF-8', 'utf-8'],
    ['text/plain;charset=utf8', 'utf-8'],
    ['text/plain;charset=iso-8859-1', 'charset'],
    ['application/json;charset=shift_jis', 'charset'],
    ['text/plain;charset=klingon', 'unknown'],
    ['application/octet-stream', 'bytes'],
    ['image/png;charset=binary', 'unknown'],
  ] as const)('%s: %s', (contentType, kind) => {
    expect(bodyReading(contentType).kind).toBe(kind);
  });
});

describe('export masking reads no body: charset bodies change nothing', () => {
  it('a stream with UTF-16 and Latin-1 bodies holding credential-like text, split anywhere, masks exactly the passcodes', () => {
    const utf16 = Buffer.from('CONNECT\npasscode:not-one\n\n', 'utf16le');
    const latin = Buffer.from('\u0000CONNECT\npasscode:nope\n\n', 'latin1');
    const parts: [Buffer, boolean][] = [
      [Buffer.from('CONNECT\naccept-version:1.2\nhost:/\npasscode:'), false],
      [Buffer.from('sécret'), true],
      [Buffer.from(`\n\n\u0000SEND\ndestination:/q\ncontent-type:text/plain;charset=utf-16le\ncontent-length:${utf16.length}\n\n`), false],
      [utf16, false],
      [Buffer.from(`\u0000SEND\ndestination:/q\ncontent-type:text/plain;charset=iso-8859-1\ncontent-length:${latin.length}\n\n`), false],
      [latin, false],
      [Buffer.from('\u0000\nSTOMP\nhost:/\npasscode:'), false],
      [Buffer.from('two'), true],
      [Buffer.from('\n\n\u0000'), false],
    ];
    const stream = Buffer.concat(parts.map(([bytes]) => bytes));
    const expected = Buffer.concat(parts.map(([bytes, secret]) => (secret ? Buffer.alloc(bytes.length, 0x2a) : bytes)));
    for (let a = 1; a < stream.length; a += 3) {
      for (const b of [a + 1, a + 7, stream.length]) {
        const masker = new CredentialBytes('stomp');
        // An empty message between the pieces, too.
        const pieces = [stream.subarray(0, a), Buffer.alloc(0), stream.subarray(a, b), stream.subarray(b)];
        const masked = Buffer.concat(pieces.map((piece) => Buffer.from(masker.mask('out', 'binary', piece).bytes)));
        expect(masked.equals(expected), `split at ${a}, ${b}`).toBe(true);
      }
    }
  });
});
