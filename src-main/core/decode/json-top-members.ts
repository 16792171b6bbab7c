/**
 * The top-level members of a JSON object text, found in one pass without parsing it: where the
 * value of each wanted key last starts (JSON.parse keeps the last of duplicate keys). Exact for a
 * valid JSON text only: a match proof reads with it first (a message of another kind costs no
 * more) and trusts it once json-text-check.ts has passed the text. The same pass as
 * graphql-match-proof.ts's own (signalr-match-proof.ts uses this one).
 */
import { sameBytes } from './value-probe';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Buffer, at: number, end: number): number {
  while (at < end && isSpace(bytes[at])) at++;
  return at;
}

/** What a byte is to the stepper: most bytes nothing (one table read each). */
const IS_QUOTE = 1;
const IS_BACKSLASH = 2;
const IS_OPEN = 3;
const IS_CLOSE = 4;
/** And to the end of a number or literal: `,` and whitespace (a close bracket is IS_CLOSE). */
const ENDS_SCALAR = 5;
const CLASS = new Uint8Array(256);
CLASS[QUOTE] = IS_QUOTE;
CLASS[BACKSLASH] = IS_BACKSLASH;
CLASS[OPEN_BRACE] = IS_OPEN;
CLASS[OPEN_BRACKET] = IS_OPEN;
CLASS[CLOSE_BRACE] = IS_CLOSE;
CLASS[CLOSE_BRACKET] = IS_CLOSE;
for (const byte of [COMMA, 0x20, 0x0a, 0x0d, 0x09]) CLASS[byte] = ENDS_SCALAR;

/** Past the string whose opening quote is at `at` (the text is valid JSON: a backslash escapes the next byte). */
function pastString(bytes: Buffer, at: number, end: number): number {
  let k = at + 1;
  while (k < end) {
    const kind = CLASS[bytes[k] ?? 0];
    if (kind === IS_QUOTE) return k + 1;
    k += kind === IS_BACKSLASH ? 2 : 1;
  }
  return end;
}

/** Past the value starting at `at` in valid JSON text. */
export function pastValue(bytes: Buffer, at: number, end: number): number {
  const first = CLASS[bytes[at] ?? 0];
  if (first === IS_QUOTE) return pastString(bytes, at, end);
  let k = at;
  if (first === IS_OPEN) {
    let depth = 0;
    while (k < end) {
      const kind = CLASS[bytes[k] ?? 0];
      if (kind === IS_QUOTE) {
        k = pastString(bytes, k, end);
        continue;
      }
      if (kind === IS_OPEN) depth++;
      else if (kind === IS_CLOSE && --depth === 0) return k + 1;
      k++;
    }
    return end;
  }
  while (k < end) {
    const kind = CLASS[bytes[k] ?? 0];
    if (kind === ENDS_SCALAR || kind === IS_CLOSE) break;
    k++;
  }
  return k;
}

/**
 * Where each of `names` last starts its value among the top-level members of the object at
 * [start, end), -1 where it is not a key, into `found`; false when the text is not an object or a
 * key holds a backslash (it may spell any name). Exact for a valid JSON text only (the caller
 * checks it after); on other bytes it still ends (each step moves on), reading no byte past `end`
 * but the one at it.
 */
export function readTop(bytes: Buffer, start: number, end: number, names: readonly Buffer[], found: Int32Array): boolean {
  found.fill(-1);
  let at = skipSpace(bytes, start, end);
  if (bytes[at] !== OPEN_BRACE) return false;
  at = skipSpace(bytes, at + 1, end);
  if (bytes[at] === CLOSE_BRACE) return true;
  while (at < end) {
    // A key's quote is at `at`.
    const from = at + 1;
    let to = from;
    while (to < end && bytes[to] !== QUOTE) {
      if (bytes[to] === BACKSLASH) return false;
      to++;
    }
    if (to >= end) return false;
    at = skipSpace(bytes, to + 1, end);
    if (bytes[at] !== COLON) return false;
    at = skipSpace(bytes, at + 1, end);
    const length = to - from;
    for (let n = 0; n < names.length; n++) {
      const name = names[n];
      if (name !== undefined && name.length === length && sameBytes(bytes, from, length, name)) found[n] = at;
    }
    at = skipSpace(bytes, pastValue(bytes, at, end), end);
    if (bytes[at] !== COMMA) return bytes[at] === CLOSE_BRACE;
    at = skipSpace(bytes, at + 1, end);
  }
  return false;
}

