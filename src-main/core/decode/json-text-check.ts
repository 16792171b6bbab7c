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
 *
 * followCheckedJsonPath is the same pass following a query path as well (json-path-follow.ts's
 * answer, exact for any text this takes): a proof reads each byte once, not once to check the
 * text and again to follow the path.
 */
import { ABSENT, CONTAINER, UNSURE, floatValue, textAt, type Probed, type ProbeStep } from './value-probe';

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
  // Most JSON has no whitespace: one test then.
  if (at < end && (bytes[at] ?? 0) > 0x20) return at;
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

/** 1 for the bytes a string holds as they are: printable ASCII but the quote and the backslash. */
const PLAIN = new Uint8Array(256);
for (let byte = 0x20; byte < 0x80; byte++) if (byte !== QUOTE && byte !== BACKSLASH) PLAIN[byte] = 1;

/** Whether the string pastString read last held an escape (a second result without allocating one). */
const lastString = { escaped: false };

/** Past the string whose opening quote is at `at`, or -1 when JSON.parse (or UTF-8) refuses it; `lastString` set. */
function pastString(bytes: Uint8Array, at: number, end: number): number {
  let k = at + 1;
  // Most strings are printable ASCII: one table read a byte, in a loop small enough to inline.
  while (k < end && PLAIN[bytes[k] ?? 0] === 1) k++;
  if (k < end && bytes[k] === QUOTE) {
    lastString.escaped = false;
    return k + 1;
  }
  return pastStringRest(bytes, k, end);
}

/** pastString from `k` on, where an escape, a byte from 0x80 or a control character is. */
function pastStringRest(bytes: Uint8Array, k: number, end: number): number {
  let sawEscape = false;
  while (k < end) {
    const byte = bytes[k] ?? 0;
    if (PLAIN[byte] === 1) {
      k++;
      continue;
    }
    if (byte === QUOTE) {
      lastString.escaped = sawEscape;
      return k + 1;
    }
    if (byte === BACKSLASH) {
      sawEscape = true;
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
    // A raw control character, or UTF-8 that the fatal decoder refuses.
    if (byte < 0x80) return -1;
    k = pastUtf8(bytes, k, end);
    if (k < 0) return -1;
  }
  return -1;
}

/** Past the number starting at `at` (a minus or a digit), or -1. What follows it is checked by the caller. */
function pastNumber(bytes: Uint8Array, at: number, end: number): number {
  let k = at;
  if (bytes[k] === MINUS) k++;
  const lead = k < end ? (bytes[k] ?? 0) : 0;
  if (lead === 0x30) k++;
  else if (lead >= 0x31 && lead <= 0x39) {
    k++;
    while (k < end && isDigit(bytes[k] ?? 0)) k++;
  } else return -1;
  const next = k < end ? (bytes[k] ?? 0) : 0;
  // Most numbers are integers: the fraction and exponent out of line.
  return next === DOT || next === 0x65 || next === 0x45 ? pastFractionAndExponent(bytes, k, end) : k;
}

/** Past the digits from `at` (at least one), or -1. */
function pastDigits(bytes: Uint8Array, at: number, end: number): number {
  if (at >= end || !isDigit(bytes[at] ?? 0)) return -1;
  let k = at + 1;
  while (k < end && isDigit(bytes[k] ?? 0)) k++;
  return k;
}

/** Past a number's fraction and exponent from `at` (a dot or an e), or -1. */
function pastFractionAndExponent(bytes: Uint8Array, at: number, end: number): number {
  let k = at;
  if (bytes[k] === DOT) {
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

/**
 * Whether the string whose text is [at, end) may hold a JSON object or array, for a path that
 * goes on into it (shared/json-text-value.ts; json-path-follow.ts's rule): its first byte after
 * JSON whitespace is `{`, `[` or a backslash (an escape may write either), or there is none.
 */
function mayHoldJsonText(bytes: Uint8Array, at: number, end: number): boolean {
  let k = at;
  while (k < end && isSpace(bytes[k] ?? 0)) k++;
  if (k >= end) return true;
  const first = bytes[k] ?? 0;
  return first === OPEN_BRACE || first === OPEN_BRACKET || first === BACKSLASH;
}

/**
 * The number whose checked text is [at, past): an integer of up to 15 digits (exact in a double)
 * summed, others by Number() of its text (JSON.parse's own conversion; ±Infinity as json-value.ts
 * writes them).
 */
function numberValue(bytes: Buffer, at: number, past: number): Probed {
  const negative = bytes[at] === MINUS;
  const digits = negative ? at + 1 : at;
  if (past - digits <= 15) {
    let value = 0;
    let k = digits;
    for (; k < past; k++) {
      const byte = bytes[k] ?? 0;
      if (!isDigit(byte)) break;
      value = value * 10 + (byte - 0x30);
    }
    if (k === past) return negative ? -value : value;
  }
  return floatValue(Number(bytes.toString('latin1', at, past)));
}

/** Whether the key whose text is [at, end) is the name (its UTF-8: the text is valid UTF-8 and has no escape). */
function keyIsName(bytes: Uint8Array, at: number, end: number, name: Buffer): boolean {
  if (end - at !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (bytes[at + k] !== name[k]) return false;
  return true;
}

/** The answer of followCheckedJsonPath for bytes that are not one JSON object or array text. */
export const NOT_JSON: unique symbol = Symbol('not JSON');
export type CheckedProbe = Probed | typeof NOT_JSON;

/**
 * Top-level members a caller locates in followCheckedJsonPath's own pass (graphql-match-proof.ts:
 * the message's `type`, `id`, `payload`; signalr-match-proof.ts: a record's `type`, `target`,
 * `arguments`, `invocationId`…), so that it reads the text once, not once more to find them.
 */
export interface TopMembers {
  /** The keys wanted, as UTF-8 (compared with a key's bytes: the text is valid UTF-8, the key unescaped). */
  readonly names: readonly Buffer[];
  /**
   * Set by the pass: where the value of the top-level member named names[n] starts (its first
   * byte), the last of duplicate keys as JSON.parse keeps it; -1 when the value is an object with
   * no such key, or no object. Meaningful only when the answer is neither NOT_JSON nor UNSURE.
   */
  readonly at: Int32Array;
  /** The indices into `names` by a name's length in bytes: a key is compared only with the names as long as it (topMembers makes it). */
  readonly byLength: readonly (readonly number[] | undefined)[];
}

/** The TopMembers for these names (see there), none located yet. */
export function topMembers(names: readonly Buffer[]): TopMembers {
  const byLength: number[][] = [];
  names.forEach((name, n) => (byLength[name.length] ??= []).push(n));
  return { names, at: new Int32Array(names.length).fill(-1), byLength };
}

/** Records where a top-level member's value starts when its key is one of `top`'s names. */
function recordTop(bytes: Uint8Array, keyAt: number, keyEnd: number, valueAt: number, top: TopMembers): void {
  // Most keys are none of the names, and few names share a length: one array read rules most out.
  const sameLength = top.byLength[keyEnd - keyAt];
  if (sameLength === undefined) return;
  const { names, at } = top;
  for (const n of sameLength) {
    const name = names[n];
    if (name !== undefined && keyIsName(bytes, keyAt, keyEnd, name)) at[n] = valueAt;
  }
}

/** Longer paths are not followed (UNSURE): value-probe.ts's probeSteps gives at most 32 steps. */
const MAX_FOLLOWED_STEPS = 64;
const NO_STEPS: readonly ProbeStep[] = [];

/**
 * In one pass, whether bytes[start, end) are one JSON object or array text as isJsonContainerText
 * says (NOT_JSON when not), and what `steps` select in its value, as json-path-follow.ts's
 * followJsonPath answers for a valid text: a string (the text its UTF-8 reads as), a number as
 * JSON.parse reads it, true, false, null, CONTAINER, ABSENT (a name not a key there, an index
 * past the end, a step into a value of another kind or into a string that holds no JSON object
 * or array), or UNSURE (not followed: decode the message). Every byte is checked before any other
 * answer than UNSURE: an answer is never given for a text JSON.parse refuses. Duplicate keys: the
 * last one's value, as JSON.parse keeps it.
 *
 * UNSURE, possibly before the text's end (the caller decodes then, valid or not): an escape in a
 * key of an object on the path or in the string the path selects, a string the path goes on into
 * whose text may hold an object or array (`{`, `[` or an escape first), a string selected that
 * starts with a byte-order mark (value-probe.ts textAt), nesting past MAX_NESTING, a path of more
 * than MAX_FOLLOWED_STEPS steps. It allocates nothing but the string or number it gives.
 *
 * `top` (optional): the top-level members to locate in the same pass (TopMembers); with it, an
 * escaped key of the top-level object is UNSURE too (it may spell a wanted name).
 */
export function followCheckedJsonPath(bytes: Buffer, start: number, end: number, steps: readonly ProbeStep[], top?: TopMembers): CheckedProbe {
  const last = steps.length;
  if (last > MAX_FOLLOWED_STEPS) return UNSURE;
  top?.at.fill(-1);
  // Whitespace is rare in machine-written JSON: one test inline, the loop out of line.
  let at = (bytes[start] ?? 0) <= 0x20 ? skipSpace(bytes, start, end) : start;
  const first = bytes[at] ?? 0;
  if (at >= end || (first !== OPEN_BRACE && first !== OPEN_BRACKET)) return NOT_JSON;
  let depth = 0;
  // The open containers on the path are the outermost `onPath` of them; the one at depth d (from
  // 1) has read d - 1 steps, and steps[d - 1] selects among its members.
  let onPath = 0;
  // The innermost container on the path, when an array: the index of the item read last.
  let item = -1;
  // Whether `at` is where a member (an object's key first) or an item of the innermost container starts.
  let member = false;
  // Whether the value starting at `at` is on the path (then onPath === depth: it has read onPath steps).
  let selected = true;
  let found: Probed = ABSENT;
  for (;;) {
    if (member) {
      member = false;
      const step = onPath === depth ? steps[depth - 1] : undefined;
      if (open[depth - 1] === IN_OBJECT) {
        if (at >= end || bytes[at] !== QUOTE) return NOT_JSON;
        const keyAt = at;
        const keyEnd = pastString(bytes, at, end);
        if (keyEnd < 0) return NOT_JSON;
        if (step?.kind === 'key') {
          // An escaped key may spell the name: not compared here.
          if (lastString.escaped) return UNSURE;
          selected = keyIsName(bytes, at + 1, keyEnd - 1, step.utf8);
        } else selected = false;
        at = keyEnd;
        if ((bytes[at] ?? 0) <= 0x20) at = skipSpace(bytes, at, end);
        if (at >= end || bytes[at] !== COLON) return NOT_JSON;
        at++;
        if ((bytes[at] ?? 0) <= 0x20) at = skipSpace(bytes, at, end);
        if (top !== undefined && depth === 1) {
          if (lastString.escaped) return UNSURE;
          recordTop(bytes, keyAt + 1, keyEnd - 1, at, top);
        }
      } else selected = step?.kind === 'index' && ++item === step.index;
    }
    // A value starts at `at` (not whitespace).
    if (at >= end) return NOT_JSON;
    const byte = bytes[at] ?? 0;
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (depth === MAX_NESTING) return UNSURE;
      const inObject = byte === OPEN_BRACE;
      if (selected) {
        if (onPath === last) found = CONTAINER;
        else {
          found = ABSENT;
          // A name selects in an object, an index in an array.
          if ((steps[onPath]?.kind === 'key') === inObject) {
            onPath = depth + 1;
            item = -1;
          }
        }
      }
      open[depth++] = inObject ? IN_OBJECT : IN_ARRAY;
      at++;
      if ((bytes[at] ?? 0) <= 0x20) at = skipSpace(bytes, at, end);
      if (at >= end || bytes[at] !== (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        member = true;
        continue;
      }
      // Empty: closed by the loop below.
    } else if (byte === QUOTE) {
      const past = pastString(bytes, at, end);
      if (past < 0) return NOT_JSON;
      if (selected) {
        if (onPath < last) found = mayHoldJsonText(bytes, at + 1, past - 1) ? UNSURE : ABSENT;
        else if (lastString.escaped) return UNSURE;
        else {
          found = textAt(bytes, at + 1, past - 1);
          if (found === UNSURE) return UNSURE;
        }
      }
      at = past;
    } else if (byte === MINUS || isDigit(byte)) {
      const past = pastNumber(bytes, at, end);
      if (past < 0) return NOT_JSON;
      if (selected) found = onPath < last ? ABSENT : numberValue(bytes, at, past);
      at = past;
    } else {
      if (byte === 0x74) at = pastWord(bytes, at, end, 'true');
      else if (byte === 0x66) at = pastWord(bytes, at, end, 'false');
      else if (byte === 0x6e) at = pastWord(bytes, at, end, 'null');
      else return NOT_JSON;
      if (at < 0) return NOT_JSON;
      if (selected) found = onPath < last ? ABSENT : byte === 0x74 ? true : byte === 0x66 ? false : null;
    }
    // After a value (at `at`, or whitespace first): a comma and the next, or the containers it closes.
    for (;;) {
      if ((bytes[at] ?? 0) <= 0x20) at = skipSpace(bytes, at, end);
      if (depth === 0) return at === end ? found : NOT_JSON;
      if (at >= end) return NOT_JSON;
      const next = bytes[at];
      if (next === COMMA) {
        at++;
        if ((bytes[at] ?? 0) <= 0x20) at = skipSpace(bytes, at, end);
        member = true;
        break;
      }
      if (next !== (open[depth - 1] === IN_OBJECT ? CLOSE_BRACE : CLOSE_BRACKET)) return NOT_JSON;
      if (onPath === depth) {
        onPath--;
        // Back in the array on the path whose item this was: the items after it are counted on.
        const outer = onPath > 0 ? steps[onPath - 1] : undefined;
        if (outer?.kind === 'index') item = outer.index;
      }
      depth--;
      at++;
    }
  }
}

/**
 * Whether bytes[start, end) are whitespace, one JSON object or array, whitespace: a text that
 * JSON.parse takes once a strict UTF-8 decoder has read it (see the file comment).
 */
export function isJsonContainerText(bytes: Uint8Array, start: number, end: number): boolean {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // With no steps the answer is CONTAINER, NOT_JSON, or UNSURE (nesting too deep: not checked).
  return followCheckedJsonPath(buffer, start, end, NO_STEPS) === CONTAINER;
}
