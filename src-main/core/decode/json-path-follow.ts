/**
 * What a path of names and indexes selects in the JSON bytes of a message that decodes to a value
 * only when JSON.parse takes them (Socket.IO's and GraphQL over WebSocket's query probes,
 * socketio-probe.ts, graphql-probe.ts; payload-probe.ts for clauses that fail on a payload that
 * is not JSON). The answer is relied on only for **one valid JSON text without a backslash**
 * (the callers' needles decode any message holding one): an invalid text makes the message match
 * nothing, so any answer is right for it. That is why it checks nothing it does not need: it
 * steps over the items and members before the value the path names, enters each container on the
 * path where it is met (one pass, not stepped over and entered again), reads each object on the
 * path to its end (JSON.parse keeps the last of duplicate keys), and never reads the rest of the
 * text. Without escapes a string ends at its next quote and a key is its bytes, so a name's UTF-8
 * (the caller takes names exact in UTF-8, without U+FFFD) equals the key exactly when their
 * bytes do. Structural bytes are ASCII, which no UTF-8 sequence (nor a bad byte) contains, so
 * stepping over bytes is stepping over characters.
 *
 * What it gives: a string as a UTF-8 decoder reads it (UNSURE for bad UTF-8), a number as
 * Number() reads its text (JSON.parse's own conversion; ±Infinity as json-value.ts writes them),
 * true, false, null, CONTAINER for an object or array, ABSENT when a name is not a key of an
 * object there (or the value is no object), an index past the end (or no array). A query path
 * goes on into a string that holds JSON text (shared/json-text-value.ts): a step met at a string
 * whose text may open an object or array (`{`, `[` or a backslash first, after whitespace) is
 * UNSURE; without a backslash such text holds no string (its quotes would be escapes), but it may
 * hold `[1,2]` or `{}`. UNSURE at a backslash, or where it cannot follow (bytes that end too
 * early): the caller decodes then.
 * A path with `[*]` (jsonAnyMayHold) is read the same way, the clause tested on every value it
 * selects: `[*]` takes each item of an array and each member's value of an object, nothing of a
 * scalar, and is unsure at a string that may hold JSON text; a name takes the last of duplicate
 * keys (the object read to its end first).
 * It allocates nothing; it recurses only along the path (value-probe.ts: at most 32 steps), and
 * steps over other values in a loop, so a deep value off the path costs no stack.
 */
import { isJsonSpace, opensJsonContainer } from '../../shared/json-text-value';
import { holdsWhenAbsent, type QueryClause } from '../../shared/decoded-query';
import { ABSENT, CONTAINER, DistinctKeys, UNSURE, floatValue, mayHold, sameBytes, textAt, type AnyProbeStep, type Probed, type ProbeStep } from './value-probe';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Returned by the steppers for bytes they cannot follow (then UNSURE). */
const LOST = -1;

/** The first byte at or after `at` that is not JSON whitespace (`end` if none). */
function skipSpace(bytes: Buffer, at: number, end: number): number {
  // Most JSON has no whitespace: one test then.
  if (at < end && (bytes[at] ?? 0) > 0x20) return at;
  while (at < end) {
    const byte = bytes[at];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return at;
    at++;
  }
  return end;
}

/** Past the closing quote of the string whose opening quote is at `at`; LOST at a backslash or the end. */
function pastString(bytes: Buffer, at: number, end: number): number {
  for (let k = at + 1; k < end; k++) {
    const byte = bytes[k];
    if (byte === QUOTE) return k + 1;
    if (byte === BACKSLASH) return LOST;
  }
  return LOST;
}

/** 1 for the bytes that end a number or a literal: those after a value in JSON (`,` `}` `]` and whitespace). */
const ENDS_SCALAR = new Uint8Array(256);
for (const byte of [COMMA, CLOSE_BRACE, CLOSE_BRACKET, 0x20, 0x0a, 0x0d, 0x09]) ENDS_SCALAR[byte] = 1;

/** Past the number or literal starting at `at`, or LOST. */
function pastScalar(bytes: Buffer, at: number, end: number): number {
  let k = at;
  while (k < end && ENDS_SCALAR[bytes[k] ?? 0] === 0) k++;
  return k === at ? LOST : k;
}

/** Past the value starting at `at` (not whitespace), or LOST. A container ends where its brackets balance, strings stepped over. */
function pastValue(bytes: Buffer, at: number, end: number): number {
  const first = bytes[at];
  if (first === QUOTE) return pastString(bytes, at, end);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return pastScalar(bytes, at, end);
  let depth = 0;
  for (let k = at; k < end; k++) {
    const byte = bytes[k];
    if (byte === QUOTE) {
      const past = pastString(bytes, k, end);
      if (past === LOST) return LOST;
      k = past - 1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (--depth === 0) return k + 1;
    }
  }
  return LOST;
}

/** Past the value read last (LOST when it could not follow): a second result without allocating one. */
let past = LOST;

/**
 * The number written from `at`, `past` set past it: an integer of up to 15 digits (exact in a
 * double) summed as it is read, others by Number() of its text (JSON.parse's own conversion).
 */
function numberAt(bytes: Buffer, at: number, end: number): Probed {
  const negative = bytes[at] === 0x2d;
  const digits = negative ? at + 1 : at;
  let value = 0;
  let k = digits;
  for (; k < end; k++) {
    const byte = bytes[k] ?? 0;
    if (byte < 0x30 || byte > 0x39) break;
    value = value * 10 + (byte - 0x30);
  }
  if (k > digits && k - digits <= 15 && (k === end || ENDS_SCALAR[bytes[k] ?? 0] === 1)) {
    past = k;
    return negative ? -value : value;
  }
  past = pastScalar(bytes, at, end);
  if (past === LOST) return UNSURE;
  const number = Number(bytes.toString('latin1', at, past));
  return Number.isNaN(number) ? UNSURE : floatValue(number);
}

/** The value starting at `at` (not whitespace) as the file comment says, `past` set past it (a container stepped over only when `needPast`). */
function valueAt(bytes: Buffer, at: number, end: number, needPast: boolean): Probed {
  const first = bytes[at];
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    past = needPast ? pastValue(bytes, at, end) : at;
    return CONTAINER;
  }
  if (first === QUOTE) {
    past = pastString(bytes, at, end);
    return past === LOST ? UNSURE : textAt(bytes, at + 1, past - 1);
  }
  if (first === 0x74 || first === 0x66 || first === 0x6e) {
    past = pastScalar(bytes, at, end);
    return first === 0x74 ? true : first === 0x66 ? false : null;
  }
  return numberAt(bytes, at, end);
}

/**
 * What steps[s…] select in the value starting at `at` (not whitespace), read in one pass: a
 * container on the path is entered where its name or index is met (not stepped over and entered
 * again), and each object on the path is read to its end (a later duplicate name replaces what
 * an earlier one led to). `past` is set past the value, which the enclosing object needs to go
 * on; `needPast` false (the outermost value) lets an array stop at its item.
 */
function descend(bytes: Buffer, at: number, end: number, steps: readonly ProbeStep[], s: number, needPast: boolean): Probed {
  const step = steps[s];
  if (step === undefined) return valueAt(bytes, at, end, needPast);
  const open = bytes[at];
  if (step.kind === 'key' ? open !== OPEN_BRACE : open !== OPEN_BRACKET) {
    // The query goes on into a string that holds JSON text: not followed here (the message is decoded).
    if (open === QUOTE && mayHoldJsonText(bytes, at + 1, end)) return lost();
    // A name selects nothing in an array or a scalar (or other text), an index nothing in an object or a scalar.
    past = needPast ? pastValue(bytes, at, end) : at;
    return ABSENT;
  }
  let found: Probed = ABSENT;
  const close = step.kind === 'key' ? CLOSE_BRACE : CLOSE_BRACKET;
  at = skipSpace(bytes, at + 1, end);
  if (at < end && bytes[at] === close) {
    past = at + 1;
    return ABSENT;
  }
  for (let item = 0; ; item++) {
    let onPath: boolean;
    if (step.kind === 'key') {
      if (at >= end || bytes[at] !== QUOTE) return lost();
      const keyEnd = pastString(bytes, at, end);
      if (keyEnd === LOST) return lost();
      // The length and first byte first: most keys differ there.
      const name = step.utf8;
      onPath = keyEnd - at - 2 === name.length && (name.length === 0 || bytes[at + 1] === name[0]) && sameBytes(bytes, at + 1, name.length, name);
      at = skipSpace(bytes, keyEnd, end);
      if (at >= end || bytes[at] !== COLON) return lost();
      at = skipSpace(bytes, at + 1, end);
      if (at >= end) return lost();
    } else {
      onPath = item === step.index;
    }
    if (onPath) {
      found = descend(bytes, at, end, steps, s + 1, true);
      if (found === UNSURE || past === LOST) return lost();
      // The outermost array: nothing after its item matters.
      if (step.kind === 'index' && !needPast) return found;
      at = past;
    } else {
      at = pastValue(bytes, at, end);
      if (at === LOST) return lost();
    }
    at = skipSpace(bytes, at, end);
    if (at >= end) return lost();
    const next = bytes[at];
    if (next === close) {
      past = at + 1;
      return found;
    }
    if (next !== COMMA) return lost();
    at = skipSpace(bytes, at + 1, end);
  }
}

/**
 * Whether the string whose text starts at `at` may hold a JSON object or array
 * (shared/json-text-value.ts): its first byte after JSON whitespace is `{` or `[`, or a backslash
 * (an escape may write either, or whitespace before one); or the bytes end first. Any other
 * first byte is no opening: bad UTF-8 reads as U+FFFD, never as `{`.
 */
function mayHoldJsonText(bytes: Buffer, at: number, end: number): boolean {
  let k = at;
  while (k < end && isJsonSpace(bytes[k] ?? 0)) k++;
  if (k >= end) return true;
  const first = bytes[k] ?? 0;
  return opensJsonContainer(first) || first === BACKSLASH;
}

/** UNSURE, `past` LOST. */
function lost(): Probed {
  past = LOST;
  return UNSURE;
}

/**
 * What `steps` (from step `from` on) select in the JSON value starting at or after `start`
 * (whitespace first), within bytes [start, end) of `bytes`: see the file comment.
 */
export function followJsonPath(bytes: Buffer, start: number, end: number, steps: readonly ProbeStep[], from = 0): Probed {
  const at = skipSpace(bytes, start, end);
  return at < end ? descend(bytes, at, end, steps, from, false) : UNSURE;
}

/** Set by the `[*]` walk: whether the path selected any value (a clause holds where it selects none only for `!=`). */
let selectedAny = false;

/**
 * Whether a clause whose path has `[*]` may hold in the JSON value at or after `start` (true when
 * a value the path selects may meet it, or the walk is unsure), else whether the clause holds
 * where the path selects nothing. Relied on as followJsonPath's answer is: for one valid JSON
 * text (a backslash in what it reads makes it unsure).
 */
export function jsonAnyMayHold(bytes: Buffer, start: number, end: number, steps: readonly AnyProbeStep[], test: QueryClause['test']): boolean {
  const at = skipSpace(bytes, start, end);
  if (at >= end) return true;
  selectedAny = false;
  if (anyMayHold(bytes, at, end, steps, 0, test)) return true;
  return !selectedAny && holdsWhenAbsent(test);
}

/** Whether the clause may hold for a value steps[s…] select in the value at `at` (not whitespace); true when unsure. */
function anyMayHold(bytes: Buffer, at: number, end: number, steps: readonly AnyProbeStep[], s: number, test: QueryClause['test']): boolean {
  const step = steps[s];
  if (step === undefined) {
    const found = valueAt(bytes, at, end, false);
    if (found === UNSURE) return true;
    selectedAny = true;
    return mayHold(found, test);
  }
  const open = bytes[at];
  const fits = step.kind === 'any' ? open === OPEN_BRACE || open === OPEN_BRACKET : open === (step.kind === 'key' ? OPEN_BRACE : OPEN_BRACKET);
  // A string that may hold JSON text the query goes on into: unsure; anything else selects nothing.
  if (!fits) return open === QUOTE && mayHoldJsonText(bytes, at + 1, end);
  const isObject = open === OPEN_BRACE;
  const close = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
  const keys = step.kind === 'any' && isObject && holdsWhenAbsent(test) ? new DistinctKeys() : undefined;
  /** A name's value: the last of duplicate keys, followed once the object is read. */
  let named = LOST;
  at = skipSpace(bytes, at + 1, end);
  if (at < end && bytes[at] === close) return false;
  for (let item = 0; ; item++) {
    let onPath: boolean;
    if (isObject) {
      if (at >= end || bytes[at] !== QUOTE) return true;
      const keyEnd = pastString(bytes, at, end);
      if (keyEnd === LOST) return true;
      if (keys && !keys.add(bytes, at + 1, keyEnd - at - 2)) return true;
      onPath = step.kind === 'any' || (step.kind === 'key' && sameBytes(bytes, at + 1, keyEnd - at - 2, step.utf8));
      at = skipSpace(bytes, keyEnd, end);
      if (at >= end || bytes[at] !== COLON) return true;
      at = skipSpace(bytes, at + 1, end);
      if (at >= end) return true;
    } else {
      onPath = step.kind === 'any' || (step.kind === 'index' && item === step.index);
    }
    if (onPath && step.kind !== 'key') {
      if (anyMayHold(bytes, at, end, steps, s + 1, test)) return true;
      // An index: nothing after its item matters.
      if (step.kind === 'index') return false;
    } else if (onPath) named = at;
    at = pastValue(bytes, at, end);
    if (at === LOST) return true;
    at = skipSpace(bytes, at, end);
    if (at >= end) return true;
    const next = bytes[at];
    if (next === close) return named !== LOST && anyMayHold(bytes, named, end, steps, s + 1, test);
    if (next !== COMMA) return true;
    at = skipSpace(bytes, at + 1, end);
  }
}
