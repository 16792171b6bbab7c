/**
 * Payloads wrapped in gzip, zlib deflate, raw deflate, brotli or Base64: inflated (with a cap
 * against decompression bombs) and shown as JSON, text or bytes; broken ones say what and where.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Base64Decoder } from '../../../src-main/core/decode/base64-decoder';
import { CompressedDecoder, MAX_INFLATED_BYTES } from '../../../src-main/core/decode/compressed-decoder';
import { binaryFrame, textFrame } from './wire';

const json = Buffer.from('{"type":"tick","price":12}');

describe('compressed payloads', () => {
  const table: [string, Buffer, string][] = [
    ['gzip', zlib.gzipSync(json), 'gzip'],
    ['zlib deflate', zlib.deflateSync(json), 'deflate'],
    ['raw deflate', zlib.deflateRawSync(json), 'deflate-raw'],
    ['brotli', zlib.brotliCompressSync(json), 'brotli'],
  ];
  it.each(table)('%s: inflated and read as JSON', (_name, bytes, how) => {
    const result = new CompressedDecoder().decode(binaryFrame(bytes));
    expect(result).toMatchObject({
      kind: 'decoded',
      protocol: 'compressed',
      summary: `${how} → JSON map {type, price} (26 B)`,
      value: { compression: how, size: bytes.byteLength, inflatedSize: 26, as: 'JSON', payload: { type: 'tick', price: 12 } },
    });
  });

  it('brotli and raw deflate, which have no signature, are each read as what they are', () => {
    // Raw deflate "inflates" many brotli messages (it stops at an end-of-block code met in their
    // bits), so brotli, which refuses raw deflate, must be tried first.
    for (let i = 0; i < 200; i++) {
      const text = i % 2 === 0 ? `hello ${i}` : JSON.stringify({ event: `e${i}`, seq: i });
      for (const quality of [1, 4, 11]) {
        const bytes = zlib.brotliCompressSync(text, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality } });
        const result = new CompressedDecoder().decode(binaryFrame(bytes));
        expect(result?.kind === 'decoded' && result.value, `brotli q${quality} of ${text}`).toMatchObject({ compression: 'brotli', inflatedSize: text.length });
      }
      const raw = new CompressedDecoder().decode(binaryFrame(zlib.deflateRawSync(text)));
      expect(raw?.kind === 'decoded' && raw.value, `raw deflate of ${text}`).toMatchObject({ compression: 'deflate-raw', inflatedSize: text.length });
    }
  });

  it('text and bytes inside are shown as such', () => {
    const hello = zlib.gzipSync('hello');
    expect(new CompressedDecoder().decode(binaryFrame(hello))).toMatchObject({ summary: "gzip → text 'hello' (5 B)", value: { as: 'text', payload: 'hello' } });
    const bytes = zlib.gzipSync(Buffer.from([0xff, 0xfe]));
    expect(new CompressedDecoder().decode(binaryFrame(bytes))).toMatchObject({ summary: 'gzip → binary (2 B)', value: { as: 'bytes', payload: { $bytes: '//4=', length: 2 } } });
    // The summary says what the JSON holds, as MessagePack's does; long text is cut.
    const list = zlib.deflateSync('[1,2,3]');
    expect(new CompressedDecoder().decode(binaryFrame(list))?.summary).toBe('deflate → JSON array of 3 (7 B)');
    const long = zlib.brotliCompressSync('x'.repeat(100));
    expect(new CompressedDecoder().decode(binaryFrame(long))?.summary).toBe(`brotli → text '${'x'.repeat(40)}…' (100 B)`);
  });

  it('a decompression bomb is refused, not inflated', () => {
    // 64 MB of zeros gzip to about 64 KB.
    const bomb = zlib.gzipSync(Buffer.alloc(4 * MAX_INFLATED_BYTES));
    const result = new CompressedDecoder().decode(binaryFrame(bomb));
    expect(result).toMatchObject({ kind: 'invalid', summary: `not valid compressed payload: gzip data of ${bomb.byteLength} B inflates past 16 MiB (refused: a decompression bomb, or more than Tunnelscope shows)` });
  });

  it('truncated gzip, corrupt deflate and bytes that are no compression at all', () => {
    const gzip = zlib.gzipSync(json);
    expect(new CompressedDecoder().decode(binaryFrame(gzip.subarray(0, 20)))?.summary).toBe('not valid compressed payload: the gzip data (20 B) ends before its end marker (truncated)');
    const deflate = Buffer.from(zlib.deflateSync(json));
    deflate[5] = (deflate[5] ?? 0) ^ 0xff;
    expect(new CompressedDecoder().decode(binaryFrame(deflate))?.summary).toBe(
      `not valid compressed payload: the deflate data (${deflate.byteLength} B) is corrupted: its Adler-32 checksum does not match its content`,
    );
    // zlib's 'incorrect data check' / 'incorrect length check' were shown as they are.
    const crc = Buffer.from(gzip);
    crc[crc.length - 5] = (crc[crc.length - 5] ?? 0) ^ 0xff;
    expect(new CompressedDecoder().decode(binaryFrame(crc))?.summary).toBe(
      `not valid compressed payload: the gzip data (${crc.byteLength} B) is corrupted: its CRC-32 checksum does not match its content`,
    );
    const length = Buffer.from(gzip);
    length[length.length - 1] = (length[length.length - 1] ?? 0) ^ 0xff;
    expect(new CompressedDecoder().decode(binaryFrame(length))?.summary).toBe(
      `not valid compressed payload: the gzip data (${length.byteLength} B) is corrupted: its length field does not match its content`,
    );
    // Other refusals keep zlib's words, said as zlib's.
    const badBlock = Buffer.from([0x78, 0x9c, 0xff, 0xff]);
    expect(new CompressedDecoder().decode(binaryFrame(badBlock))?.summary).toMatch(/^not valid compressed payload: the deflate data \(4 B\) is corrupted \(zlib: invalid block type\)$/);
    expect(new CompressedDecoder().decode(textFrame('plain text here'))?.summary).toBe('not valid compressed payload: no gzip or zlib header, and it is neither brotli nor raw deflate (15 B)');
  });

  it('brotli or raw deflate cut short: the one that ran out of input is named', () => {
    const text = JSON.stringify({ event: 'chat', text: 'hello there', n: 5 });
    const brotli = zlib.brotliCompressSync(text);
    const raw = zlib.deflateRawSync(text);
    const other = (how: string): string => (how === 'brotli' ? 'raw deflate' : 'brotli');
    const cutShort = (size: number, how: string): string =>
      `not valid compressed payload: truncated ${how}, or not compressed: the data (${size} B) ends too soon for ${how}, is not ${other(how)}, and has no gzip or zlib header`;
    for (const cut of [brotli.subarray(0, 10), brotli.subarray(0, brotli.length - 1)]) {
      expect(new CompressedDecoder().decode(binaryFrame(cut))?.summary).toBe(cutShort(cut.length, 'brotli'));
    }
    for (const cut of [raw.subarray(0, raw.length - 3), raw.subarray(0, raw.length - 1)]) {
      expect(new CompressedDecoder().decode(binaryFrame(cut))?.summary).toBe(cutShort(cut.length, 'raw deflate'));
    }
    // Cut short for both (one byte): said once, plainly (QA D18: not "cut short as brotli or as raw deflate?").
    expect(new CompressedDecoder().decode(binaryFrame([0x00]))?.summary).toBe(
      'not valid compressed payload: truncated, or not compressed: the data (1 B) ends too soon for brotli and for raw deflate, and has no gzip or zlib header',
    );
    // Whole, it reads as raw deflate.
    expect(new CompressedDecoder().decode(binaryFrame(raw))?.summary).toBe('deflate-raw → JSON map {event, text, n} (43 B)');
  });
});

describe('Base64 text', () => {
  it('decodes the standard and URL-safe alphabets, and inflates gzip inside', () => {
    expect(new Base64Decoder().decode(textFrame(json.toString('base64')))).toMatchObject({ kind: 'decoded', summary: 'Base64 → JSON map {type, price} (26 B)', value: { size: 26, as: 'JSON', payload: { type: 'tick' } } });
    expect(new Base64Decoder().decode(textFrame(Buffer.from([0xfb, 0xff]).toString('base64url')))).toMatchObject({ summary: 'Base64url → binary (2 B)', value: { payload: { $bytes: '+/8=', length: 2 } } });
    const gzipped = zlib.gzipSync(json).toString('base64');
    expect(new Base64Decoder().decode(textFrame(gzipped))).toMatchObject({ summary: 'Base64, gzip → JSON map {type, price} (26 B)', value: { compression: 'gzip', as: 'JSON' } });
  });

  it('gzip that does not inflate is not valid; bytes that only look like zlib (a protobuf message) are shown as they are', () => {
    const gzipped = zlib.gzipSync(json);
    expect(new Base64Decoder().decode(textFrame(gzipped.subarray(0, gzipped.length - 4).toString('base64')))).toMatchObject({
      kind: 'invalid',
      summary: `not valid Base64: the decoded bytes look compressed but do not inflate: the gzip data (${gzipped.length - 4} B) ends before its end marker (truncated)`,
    });
    // A checksum that fails reads after "do not inflate:" without contradicting it.
    const crc = Buffer.from(gzipped);
    crc[crc.length - 5] = (crc[crc.length - 5] ?? 0) ^ 0xff;
    expect(new Base64Decoder().decode(textFrame(crc.toString('base64')))?.summary).toBe(
      `not valid Base64: the decoded bytes look compressed but do not inflate: the gzip data (${crc.byteLength} B) is corrupted: its CRC-32 checksum does not match its content`,
    );
    // Field 1 = 29, field 2 = bytes 68 ff: 0x08 0x1d passes zlib's header check (0x081d is a multiple of 31). Before: not valid.
    const protobuf = Buffer.from([0x08, 0x1d, 0x12, 0x02, 0x68, 0xff]);
    expect(new Base64Decoder().decode(textFrame(protobuf.toString('base64')))).toEqual({
      kind: 'decoded',
      protocol: 'base64',
      summary: 'Base64 → binary (6 B)',
      value: { size: 6, notInflated: 'the deflate data (6 B) ends before its end marker (truncated)', as: 'bytes', payload: { $bytes: 'CB0SAmj/', length: 6 } },
    });
    const deflated = zlib.deflateSync(json).toString('base64');
    expect(new Base64Decoder().decode(textFrame(deflated))).toMatchObject({ kind: 'decoded', summary: 'Base64, deflate → JSON map {type, price} (26 B)' });
  });

  const malformed: [string, string][] = [
    ['eyJh!GIiOjF9', "not valid Base64: '!' at character 4 is not a Base64 character"],
    ['eyJhIjox=fQ==', "not valid Base64: padding '=' at character 8, before the end"],
    ['eyJhI', 'not valid Base64: 5 Base64 characters: one too many for whole bytes (truncated, or a character is missing)'],
    ['eyJhIjoxfQ===', "not valid Base64: 3 padding characters '=' at the end (at most 2)"],
    ['eyJhIjox=', 'not valid Base64: padded to 9 characters, not a multiple of 4'],
    ['', 'not valid Base64: an empty message (no Base64 characters)'],
  ];
  it.each(malformed)('not valid: %s', (text, summary) => {
    expect(new Base64Decoder().decode(textFrame(text))).toMatchObject({ kind: 'invalid', protocol: 'base64', summary });
  });
});
