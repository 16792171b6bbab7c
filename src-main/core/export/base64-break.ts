/**
 * Where a log's base64 text stops being base64, in words: the first character that cannot be
 * there and its offset, so a user can find it in the file (`"$" at offset 3 (the 4th character)
 * is not a base64 character`). Standard alphabet with `=` padding only at the end, as our NDJSON
 * and Chrome's HAR write it.
 */

const ALPHABET = /[A-Za-z0-9+/]/;
const ALLOWED = 'A–Z, a–z, 0–9, +, /, and = padding at the end';

/** Undefined when `text` is base64 (its length aside: groups of 4 are checked by the caller). */
export function base64Break(text: string): string | undefined {
  let padding = 0;
  for (let offset = 0; offset < text.length; offset++) {
    const char = text[offset] ?? '';
    const at = `at offset ${offset} (the ${ordinal(offset + 1)} character)`;
    if (char === '=') {
      padding += 1;
      if (padding > 2) return `a third "=" ${at}: base64 ends with at most two "="`;
      continue;
    }
    if (!ALPHABET.test(char)) return `${quote(text, offset)} ${at} is not a base64 character (${ALLOWED})`;
    if (padding > 0) return `${quote(text, offset)} ${at} comes after the "=" padding, which may only end the text`;
  }
  return undefined;
}

/** The character (a whole surrogate pair when there is one), quoted; control characters by code. */
function quote(text: string, offset: number): string {
  const point = text.codePointAt(offset) ?? 0;
  if (point < 0x20 || point === 0x7f) return `the control character U+${point.toString(16).toUpperCase().padStart(4, '0')}`;
  return JSON.stringify(String.fromCodePoint(point));
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix = n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}
