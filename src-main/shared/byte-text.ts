/**
 * Bytes as a person types them: hex (`de ad be ef`, `DEADBEEF`, `0x01 0x02`) and base64
 * (standard or URL-safe), parsed with errors that point at the offending character. Shared:
 * the composer sends such bytes, and a hex or base64 search is parsed the same way in the
 * renderer (to say at once what is wrong) and in the engine (which runs it). No Node Buffer.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const HEX_DIGIT = /^[0-9a-fA-F]$/;

/** Shows a character so that a space, a tab or a control character is visible in a message. */
function showChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `“${char}”`;
}

/**
 * Parses hex such as `de ad be ef`, `DEADBEEF` or `0x01 0x02`. Whitespace separates groups;
 * each group needs an even number of digits, so a missing digit is caught where it happens.
 */
export function parseHex(input: string): Parsed<Uint8Array> {
  const digits: string[] = [];
  const groupPattern = /\S+/g;
  for (let match = groupPattern.exec(input); match; match = groupPattern.exec(input)) {
    let group = match[0];
    let start = match.index;
    if (/^0[xX]/.test(group)) {
      group = group.slice(2);
      start += 2;
    }
    for (let i = 0; i < group.length; i++) {
      const char = group[i] ?? '';
      if (!HEX_DIGIT.test(char)) {
        return { ok: false, error: `${showChar(char)} at position ${start + i + 1} is not a hex digit (0–9, a–f).` };
      }
    }
    if (group.length % 2 !== 0) {
      return {
        ok: false,
        error: `“${match[0]}” at position ${match.index + 1} has an odd number of hex digits: each byte needs two.`,
      };
    }
    digits.push(group);
  }
  const all = digits.join('');
  const bytes = new Uint8Array(all.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(all.slice(i * 2, i * 2 + 2), 16);
  return { ok: true, value: bytes };
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Map<string, number>([...BASE64_ALPHABET].map((c, i) => [c, i]));
// The URL-safe alphabet is accepted too: people paste tokens in either form.
BASE64_VALUES.set('-', 62);
BASE64_VALUES.set('_', 63);

/** Parses base64 (standard or URL-safe, padding optional, whitespace ignored). */
export function parseBase64(input: string): Parsed<Uint8Array> {
  const values: number[] = [];
  let padding = 0;
  for (let i = 0; i < input.length; i++) {
    const char = input[i] ?? '';
    if (/\s/.test(char)) continue;
    if (char === '=') {
      padding += 1;
      if (padding > 2) return { ok: false, error: `Too much “=” padding at position ${i + 1}: base64 ends with at most two.` };
      continue;
    }
    const value = BASE64_VALUES.get(char);
    if (value === undefined) {
      return { ok: false, error: `${showChar(char)} at position ${i + 1} is not a base64 character (A–Z, a–z, 0–9, +, /).` };
    }
    if (padding > 0) return { ok: false, error: `“=” padding may only come at the end (found a character after it at position ${i + 1}).` };
    values.push(value);
  }
  const remainder = values.length % 4;
  if (remainder === 1) {
    return {
      ok: false,
      error: `${values.length} base64 characters cannot be decoded: every 4 characters make 3 bytes, and 1 left-over character makes no byte. A character is probably missing or extra.`,
    };
  }
  if (padding > 0 && (values.length + padding) % 4 !== 0) {
    return { ok: false, error: 'The “=” padding does not match the length: base64 comes in groups of 4 characters.' };
  }
  const bytes = new Uint8Array(Math.floor((values.length * 3) / 4));
  let out = 0;
  for (let i = 0; i < values.length; i += 4) {
    const a = values[i] ?? 0;
    const b = values[i + 1] ?? 0;
    const c = values[i + 2] ?? 0;
    const d = values[i + 3] ?? 0;
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    if (out < bytes.length) bytes[out++] = (triple >> 16) & 0xff;
    if (out < bytes.length) bytes[out++] = (triple >> 8) & 0xff;
    if (out < bytes.length) bytes[out++] = triple & 0xff;
  }
  return { ok: true, value: bytes };
}
