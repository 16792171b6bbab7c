/**
 * The composer writes a STOMP body in the charset its content-type names (stomp-encode.ts,
 * charset-encode.ts), so the log reads back what was typed: for every WHATWG encoding Node
 * decodes, random bodies of that encoding's characters are encoded by `message:encode`'s
 * encoder and decoded by the log's STOMP decoder, which must give the body exactly, with no note,
 * and a content-length equal to the body's bytes. Before, the body went as UTF-8 whatever the
 * charset: 'héllo' under charset=iso-8859-1 read back as 'hÃ©llo'. Refused in words: a character the charset lacks (which and where), a label
 * nothing knows, {{…}} in a body that goes as bytes.
 */
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../src-main/core/encode/encode-message';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { decodeIn, encodingOf } from '../../../src-main/core/decode/stomp-charset';
import type { EncodedMessage } from '../../../src-main/shared/protocol-message';
import type { Result } from '../../../src-main/shared/result';

const ENCODINGS = [
  'utf-8', 'utf-16le', 'utf-16be', 'ibm866', 'iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-6', 'iso-8859-7', 'iso-8859-8', 'iso-8859-8-i',
  'iso-8859-10', 'iso-8859-13', 'iso-8859-14', 'iso-8859-15', 'iso-8859-16', 'koi8-r', 'koi8-u', 'macintosh', 'windows-874', 'windows-1250', 'windows-1251',
  'windows-1252', 'windows-1253', 'windows-1254', 'windows-1255', 'windows-1256', 'windows-1257', 'windows-1258', 'x-mac-cyrillic', 'gbk', 'gb18030', 'big5',
  'euc-jp', 'iso-2022-jp', 'shift_jis', 'euc-kr', 'x-user-defined',
];

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters the encoding holds: what its own bytes decode to (single bytes, and pairs for the double-byte ones), NUL and newlines among them. */
function charactersOf(encoding: string): string[] {
  const found = new Set<string>();
  const probe = (bytes: Uint8Array): void => {
    const text = decodeIn(encoding, bytes);
    if (text !== undefined && [...text].length === 1) found.add(text);
  };
  if (encoding.startsWith('utf-')) return [...'az09 {}"é€日本語😀ÿāŁ', '\u0000', '\n', '\r', '\u{10ffff}', '\ufeff', '\u0080'];
  for (let b = 0; b <= 0xff; b++) probe(Uint8Array.of(b));
  if (['gbk', 'gb18030', 'big5', 'euc-jp', 'shift_jis', 'euc-kr'].includes(encoding)) {
    for (let lead = 0x81; lead <= 0xfe; lead += 3) for (let trail = 0x40; trail <= 0xfe; trail += 5) probe(Uint8Array.of(lead, trail));
  }
  return [...found];
}

function send(contentType: string | undefined, body: string): Result<EncodedMessage> {
  return encodeMessage({ protocol: 'stomp', command: 'SEND', headers: [{ name: 'destination', value: '/q' }, ...(contentType === undefined ? [] : [{ name: 'content-type', value: contentType }])], body });
}

function wireBytes(encoded: EncodedMessage): Uint8Array {
  return encoded.kind === 'text' ? Buffer.from(encoded.data, 'utf8') : Buffer.from(encoded.data, 'base64');
}

/** The log's reading of the sent frame: its body, its content-length, and the summary. */
function readBack(encoded: EncodedMessage): { body: unknown; contentLength: unknown; summary: string | undefined } {
  const outcome = new StompDecoder().decode({ seq: 1, dir: 'out', opcode: encoded.kind, bytes: wireBytes(encoded) });
  const value = outcome?.kind === 'decoded' ? outcome.value : undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { body: undefined, contentLength: undefined, summary: outcome?.summary };
  const headers = value.headers;
  const contentLength = typeof headers === 'object' && headers !== null && !Array.isArray(headers) ? headers['content-length'] : undefined;
  return { body: value.body, contentLength, summary: outcome?.summary };
}

/** The body's bytes as the frame carries them (between the blank line and the NUL). */
function bodyBytesOf(encoded: EncodedMessage): Buffer {
  const bytes = Buffer.from(wireBytes(encoded));
  const start = bytes.indexOf('\n\n') + 2;
  return bytes.subarray(start, bytes.byteLength - 1);
}

describe('a STOMP body in its content-type charset', () => {
  it('reads back as typed in every encoding the decoders know, with content-length its bytes (generated bodies)', () => {
    const next = random(7);
    for (const encoding of ENCODINGS) {
      // Node 20's ICU lacks some (iso-8859-16): the log shows such a body as bytes, and the composer refuses it as unknown.
      if (encodingOf(encoding) === undefined) {
        expect(send(`text/plain;charset=${encoding}`, 'a').ok, encoding).toBe(false);
        continue;
      }
      const characters = charactersOf(encoding);
      expect(characters.length, encoding).toBeGreaterThan(20);
      for (let round = 0; round < 25; round++) {
        const length = 1 + Math.floor(next() * 40);
        const body = Array.from({ length }, () => characters[Math.floor(next() * characters.length)] ?? 'a').join('');
        const encoded = send(`text/plain;charset=${encoding}`, body);
        expect(encoded.ok, `${encoding} ${JSON.stringify(body)}: ${encoded.ok ? '' : encoded.error.message}`).toBe(true);
        if (!encoded.ok) continue;
        const back = readBack(encoded.value);
        expect(back.body, `${encoding} ${JSON.stringify(body)}`).toBe(body);
        // No "not valid …; shown as bytes" note in the summary.
        expect(back.summary).not.toContain('shown as bytes');
        expect(back.contentLength).toBe(String(bodyBytesOf(encoded.value).byteLength));
      }
    }
  });

  it('writes the charset\'s bytes: é as 0xE9 in iso-8859-1 (windows-1252), € as 0x80, UTF-16LE pairs; such a frame goes binary', () => {
    const latin = send('text/plain;charset=iso-8859-1', 'héllo €');
    expect(latin.ok && latin.value.kind).toBe('binary');
    if (latin.ok) {
      // Before: 'héllo €' went as UTF-8 (68 c3 a9 …) and content-length:10.
      expect(bodyBytesOf(latin.value)).toEqual(Buffer.from([0x68, 0xe9, 0x6c, 0x6c, 0x6f, 0x20, 0x80]));
      expect(readBack(latin.value).contentLength).toBe('7');
      expect(latin.value.summary).toBe('SEND /q 7 B');
    }
    const wide = send('application/json; charset="UTF-16LE"', '{"a":1}');
    expect(wide.ok && bodyBytesOf(wide.value)).toEqual(Buffer.from('{"a":1}', 'utf16le'));
    // The first content-type counts, as the decoder reads it.
    const first = encodeMessage({ protocol: 'stomp', command: 'SEND', headers: [{ name: 'destination', value: '/q' }, { name: 'content-type', value: 'text/plain;charset=windows-1252' }, { name: 'content-type', value: 'text/plain;charset=utf-8' }], body: 'é' });
    expect(first.ok && bodyBytesOf(first.value)).toEqual(Buffer.from([0xe9]));
  });

  it('a body whose bytes are its UTF-8 stays a text message (ASCII in latin1; no charset; UTF-8)', () => {
    for (const [type, body] of [['text/plain;charset=latin1', 'hello'], [undefined, 'héllo'], ['text/plain;charset=utf-8', 'héllo'], ['application/octet-stream', 'héllo']] as const) {
      const encoded = send(type, body);
      expect(encoded.ok && encoded.value.kind, String(type)).toBe('text');
      expect(encoded.ok && encoded.value.data).toContain(`content-length:${Buffer.byteLength(body, 'utf8')}\n\n${body}\u0000`);
    }
  });

  it('refuses a character the charset lacks, naming it and where it is', () => {
    const one = send('text/plain;charset=iso-8859-1', 'a ā b');
    expect(one.ok ? '' : one.error.message).toBe(
      "message:encode: The body: “ā” (U+0101) at character 3 is not in windows-1252 (charset 'iso-8859-1'), the charset the content-type names; leave it out, or name a charset that has it (utf-8 has every character)",
    );
    expect(!one.ok && 'path' in one.error ? one.error.path : '').toBe('message.body');
    const lines = send('text/plain;charset=shift_jis', '日本\nok 😀');
    expect(lines.ok ? '' : lines.error.message).toContain('The body: “😀” (U+1F600) at line 2, column 4 is not in shift_jis,');
    const four = send('text/plain;charset=gb18030', '中文 😀');
    expect(four.ok ? '' : four.error.message).toContain("(the composer writes gb18030's one- and two-byte characters, not its four-byte ones)");
    const lone = send('text/plain;charset=utf-16', 'a\ud800');
    expect(lone.ok ? '' : lone.error.message).toContain("“\ud800” (U+D800) at character 2 is not in utf-16le (charset 'utf-16')");
    const jis = send('text/plain;charset=iso-2022-jp', 'ok 日');
    expect(jis.ok ? '' : jis.error.message).toContain('(the composer writes iso-2022-jp in ASCII only)');
  });

  it('refuses a charset label nothing knows (not sent as UTF-8 under it), unless the body is empty', () => {
    const unknown = send('text/plain;charset=x-klingon', 'qapla');
    expect(unknown.ok ? '' : unknown.error.message).toBe(
      "message:encode: The body: charset 'x-klingon' in the content-type names no encoding known here (the log would show the body as bytes), so it cannot be written in it; name a WHATWG label such as utf-8, iso-8859-1, windows-1252 or utf-16le, or leave charset out for UTF-8",
    );
    expect(send('text/plain;charset=x-klingon', '').ok).toBe(true);
  });

  it('{{…}} is filled in only in a body sent as text: ASCII in latin1 goes, a body that goes as bytes is refused', () => {
    const ascii = send('text/plain;charset=latin1', 'n={{$counter}}');
    expect(ascii.ok && ascii.value.kind).toBe('text');
    const bytes = send('text/plain;charset=latin1', 'é={{$counter}}');
    expect(bytes.ok ? '' : bytes.error.message).toBe(
      "message:encode: The body: {{…}} is filled in only in a frame sent as text, and this body in windows-1252 (charset 'latin1') goes as bytes (a binary message); write the body in ASCII, or leave the {{…}} out",
    );
  });
});
