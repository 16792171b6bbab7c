/**
 * Whether bytes are a JSON object or array exactly as the wrappers' payload reading takes them
 * (payload-value.ts readPayload: a strict UTF-8 TextDecoder, then JSON.parse of a text whose
 * first character after whitespace is `{` or `[`), checked in one pass without decoding them:
 * a match proof (unwrapped-match-proof.ts) may say a payload reads as JSON only when this holds.
 *
 * It is RFC 8259 as V8's JSON.parse reads it: JSON whitespace only (space, tab, line feed,
 * carriage return), strings without raw control characters and with the escapes \" \\ \/ \b \f
 * \n \r \t \uXXXX (a lone surrogate escaped is taken), numbers `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`,
 * the literals true, false and null, nothing after the value but whitespace. Bytes from 0x80
 * (only in strings: anywhere else JSON.parse refuses the text) must be UTF-8 as the WHATWG
 * decoder reads it with `fatal` (no overlong forms, no surrogates, nothing past U+10FFFF), else
 * the decoder shows bytes. A leading byte-order mark is the caller's to skip (TextDecoder drops
 * one). Nesting deeper than MAX_NESTING answers false ("not proven"; JSON.parse takes it).
 * It allocates nothing and does not recurse.
 */

/** Deeper nesting is not checked (false): the container stack is a fixed array. */
export const MAX_NESTING = 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;

const IN_OBJECT = 1;
const IN_ARRAY = 2;
/** The open containers, outermost first (one pass at a time: JavaScript runs one call at once). */
const open = new Uint8Array(MAX_NESTING);

/** 1 for the escape letters after a backslash other than `u`. */
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;
/** 1 for hexadecimal digits. */
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Uint8Array, at: number, end: number): number {
  while (at < end && isSpace(bytes[at] ?? 0)) at++;
  return at;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/** Whether bytes[at] is a UTF-8 continuation byte in [low, high] (below `end`). */
function continues(bytes: Uint8Array, at: number, end: number, low: number, high: number): boolean {
  if (at >= end) return false;
  const byte = bytes[at] ?? 0;
  return byte >= low && byte <= high;
}

/**
 * Past the UTF-8 sequence whose lead byte (≥ 0x80) is at `at`, or -1 where the fatal WHATWG
 * decoder throws (its table of well-formed byte sequences, Unicode 3.9).
 */
function pastUtf8(bytes: Uint8Array, at: number, end: number): number {
  const lead = bytes[at] ?? 0;
  if (lead >= 0xc2 && lead <= 0xdf) return continues(bytes, at + 1, end, 0x80, 0xbf) ? at + 2 : -1;
  if (lead >= 0xe0 && lead <= 0xef) {
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return continues(bytes, at + 1, end, low, high) && continues(bytes, at + 2, end, 0x80, 0xbf) ? at + 3 : -1;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return continues(bytes, at + 1, end, low, high) && continues(bytes, at + 2, end, 0x80, 0xbf) && continues(bytes, at + 3, end, 0x80, 0xbf) ? at + 4 : -1;
  }
  return -1;
}

/** Past the string whose opening quote is at `at`, or -1 when JSON.parse (or UTF-8) refuses it. */
function pastString(bytes: Uint8Array, at: number, end: number): number {
  let k = at + 1;
  while (k < end) {
    const byte = bytes[k] ?? 0;
    if (byte === QUOTE) return k + 1;
    if (byte < 0x20) return -1;
    if (byte === BACKSLASH) {
      const escape = bytes[k + 1] ?? 0;
      if (k + 1 < end && SIMPLE_ESCAPE[escape] === 1) {
        k += 2;
        continue;
      }
      if (escape !== 0x75 || k + 5 >= end) return -1;
      for (let h = k + 2; h < k + 6; h++) if (HEX[bytes[h] ?? 0] !== 1) return -1;
      k += 6;
      continue;
    }
    if (byte >= 0x80) {
      k = pastUtf8(bytes, k, end);
      if (k < 0) return -1;
      continue;
    }
    k++;
  }
  return -1;
}

/** Past the digits from `at` (at least one), or -1. */
function pastDigits(bytes: Uint8Array, at: number, end: number): number {
  if (at >= end || !isDigit(bytes[at] ?? 0)) return -1;
  let k = at + 1;
  while (k < end && isDigit(bytes[k] ?? 0)) k++;
  return k;
}

/** Past the number starting at `at` (a minus or a digit), or -1. What follows it is checked by the caller. */
function pastNumber(bytes: Uint8Array, at: number, end: number): number {
  let k = at;
  if (bytes[k] === MINUS) k++;
  if (k >= end) return -1;
  if (bytes[k] === 0x30) k++;
  else {
    k = pastDigits(bytes, k, end);
    if (k < 0) return -1;
  }
  if (k < end && bytes[k] === DOT) {
    k = pastDigits(bytes, k + 1, end);
    if (k < 0) return -1;
  }
  if (k < end && (bytes[k] === 0x65 || bytes[k] === 0x45)) {
    k++;
    if (k < end && (bytes[k] === 0x2b || bytes[k] === MINUS)) k++;
    k = pastDigits(bytes, k, end);
  }
  return k;
}

/** Past `word` (ASCII) at `at`, or -1. */
function pastWord(bytes: Uint8Array, at: number, end: number, word: string): number {
  if (end - at < word.length) return -1;
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word.charCodeAt(i)) return -1;
  return at + word.length;
}

/** Past the key string at `at`, its colon and the whitespace after it: where its value starts, or -1. */
function pastKey(bytes: Uint8Array, at: number, end: number): number {
  if (at >= end || bytes[at] !== QUOTE) return -1;
  let k = pastString(bytes, at, end);
  if (k < 0) return -1;
  k = skipSpace(bytes, k, end);
  if (k >= end || bytes[k] !== COLON) return -1;
  return skipSpace(bytes, k + 1, end);
}

/**
 * Whether bytes[start, end) are whitespace, one JSON object or array, whitespace: a text that
 * JSON.parse takes once a strict UTF-8 decoder has read it (see the file comment).
 */
export function isJsonContainerText(bytes: Uint8Array, start: number, end: number): boolean {
  let at = skipSpace(bytes, start, end);
  const first = bytes[at] ?? 0;
  if (at >= end || (first !== OPEN_BRACE && first !== OPEN_BRACKET)) return false;
  let depth = 0;
  for (;;) {
    // A value starts at `at` (not whitespace).
    if (at >= end) return false;
    const byte = bytes[at] ?? 0;
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (depth === MAX_NESTING) return false;
      const inObject = byte === OPEN_BRACE;
      open[depth++] = inObject ? IN_OBJECT : IN_ARRAY;
      at = skipSpace(bytes, at + 1, end);
      if (at < end && bytes[at] === (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        depth--;
        at++;
      } else {
        if (inObject) at = pastKey(bytes, at, end);
        if (at < 0) return false;
        continue;
      }
    } else if (byte === QUOTE) at = pastString(bytes, at, end);
    else if (byte === MINUS || isDigit(byte)) at = pastNumber(bytes, at, end);
    else if (byte === 0x74) at = pastWord(bytes, at, end, 'true');
    else if (byte === 0x66) at = pastWord(bytes, at, end, 'false');
    else if (byte === 0x6e) at = pastWord(bytes, at, end, 'null');
    else return false;
    if (at < 0) return false;
    // After a value: a comma and the next, or the containers it closes.
    for (;;) {
      at = skipSpace(bytes, at, end);
      if (depth === 0) return at === end;
      if (at >= end) return false;
      const next = bytes[at];
      const inObject = open[depth - 1] === IN_OBJECT;
      if (next === COMMA) {
        at = skipSpace(bytes, at + 1, end);
        if (inObject) at = pastKey(bytes, at, end);
        if (at < 0) return false;
        break;
      }
      if (next !== (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) return false;
      depth--;
      at++;
    }
  }
}
