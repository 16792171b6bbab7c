/**
 * A file's bytes as UTF-8 text, or why they are not: a log or profile file is UTF-8 JSON, and a
 * binary file or one saved as UTF-16 decoded anyway gave "the line is not valid JSON: unexpected
 * token '最'". Says the first byte that is not UTF-8 and where, or that the file is UTF-16.
 */
export type Utf8Read = { ok: true; text: string } | { ok: false; problem: string };

export function readUtf8Text(bytes: Uint8Array): Utf8Read {
  const utf16 = utf16Kind(bytes);
  if (utf16 !== undefined) return { ok: false, problem: `the file is UTF-16 text (${utf16}), not UTF-8: save it as UTF-8 and import it again` };
  const bad = firstNonUtf8(bytes);
  if (bad !== undefined) return { ok: false, problem: `the file is not UTF-8 text (byte 0x${hex(bytes[bad] ?? 0)} at offset ${bad.toLocaleString('en-US')})` };
  // A UTF-8 byte order mark is dropped (TextDecoder's default).
  return { ok: true, text: new TextDecoder('utf-8').decode(bytes) };
}

function utf16Kind(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'little-endian: it starts with the byte order mark FF FE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'big-endian: it starts with the byte order mark FE FF';
  // No mark, but JSON's first ASCII character with a zero byte beside it: `{` as 7B 00 or 00 7B.
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return 'little-endian, without a byte order mark';
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] !== 0 && bytes[2] === 0 && bytes[3] !== 0) return 'big-endian, without a byte order mark';
  return undefined;
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (Unicode table 3-7). */
export function firstNonUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      // The first continuation byte has the narrowed range; a missing or wrong one is the one to name.
      if (c === undefined) return i;
      const [lo, hi] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (c < lo || c > hi) return i + k;
    }
    i += need + 1;
  }
  return undefined;
}
