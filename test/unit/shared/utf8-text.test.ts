// QA L3: a binary or UTF-16 file given to Import log said "line 1: the line is not valid JSON:
// unexpected token '最'". The bytes are checked first: the first byte that is not UTF-8 and its
// offset, or that the file is UTF-16.
import { describe, expect, it } from 'vitest';
import { firstNonUtf8, readUtf8Text } from '../../../src-main/shared/utf8-text';

const bytes = (...list: number[]) => Uint8Array.from(list);

describe('readUtf8Text', () => {
  it('reads UTF-8, dropping a UTF-8 byte order mark', () => {
    expect(readUtf8Text(new TextEncoder().encode('{"a":"最 é 😀"}\n'))).toEqual({ ok: true, text: '{"a":"最 é 😀"}\n' });
    expect(readUtf8Text(bytes(0xef, 0xbb, 0xbf, 0x7b, 0x7d))).toEqual({ ok: true, text: '{}' });
  });

  it('says UTF-16 from its byte order mark, or from zero bytes beside JSON’s first characters', () => {
    const le = Buffer.from('\uFEFF{"type":"header"}', 'utf16le');
    expect(readUtf8Text(le)).toEqual({ ok: false, problem: 'the file is UTF-16 text (little-endian: it starts with the byte order mark FF FE), not UTF-8: save it as UTF-8 and import it again' });
    expect(readUtf8Text(bytes(0xfe, 0xff, 0, 0x7b))).toMatchObject({ ok: false, problem: expect.stringContaining('big-endian: it starts with the byte order mark FE FF') });
    expect(readUtf8Text(Buffer.from('{"a":1}', 'utf16le'))).toMatchObject({ ok: false, problem: expect.stringContaining('UTF-16 text (little-endian, without a byte order mark)') });
  });

  it('names the first byte that is not UTF-8 and its offset', () => {
    const text = new TextEncoder().encode('{"seq":1}\n{"x":"');
    const file = Uint8Array.from([...text, 0xe6, 0x9c, 0x80, 0xc3, 0x28, 0x22, 0x7d]);
    expect(readUtf8Text(file)).toEqual({ ok: false, problem: `the file is not UTF-8 text (byte 0x28 at offset ${text.length + 4})` });
    expect(readUtf8Text(bytes(0x7b, 0x80))).toEqual({ ok: false, problem: 'the file is not UTF-8 text (byte 0x80 at offset 1)' });
  });

  it('agrees with a strict decoder on every short sequence (overlongs, surrogates, past U+10FFFF, cut short)', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const valid = (b: Uint8Array) => {
      try {
        strict.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    const leads = [0x00, 0x7f, 0x80, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff];
    const tails = [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0];
    for (const a of leads) {
      for (const b of [undefined, ...tails]) {
        for (const c of [undefined, ...tails]) {
          for (const d of [undefined, 0x80, 0xbf, 0xc0]) {
            const seq = bytes(...[a, b, c, d].filter((x): x is number => x !== undefined));
            expect(firstNonUtf8(seq) === undefined, `${Buffer.from(seq).toString('hex')}`).toBe(valid(seq));
          }
        }
      }
    }
  });
});
