/**
 * A query path followed through a CBOR message's bytes (value-probe.ts), as msgpack-probe.ts
 * does for MessagePack: map keys compared as bytes, other items stepped over by their heads,
 * only the item at the end read, for the value cbor-decoder.ts shows (cbor-x with maps as Maps,
 * then json-value.ts). UNSURE, so the message is decoded, at:
 * - a tag anywhere it steps (cbor-x reads dates, bigints, typed arrays, its records, packed
 *   values and bundled strings from tags);
 * - an indefinite length, a reserved head (additional information 28–30), a simple value other
 *   than false, true, null and undefined, a length in 8 bytes, and any byte past the end;
 * - a half-precision float at the end (read by cbor-x instead), a key whose bytes are not valid
 *   UTF-8, and the key `length` asked of a byte string;
 * - a step into a text string that may hold a JSON object or array, which the query goes on
 *   into (value-probe.ts pastString; a step into any other string selects nothing).
 * 64-bit integers (additional information 27) are bigints in cbor-x, shown as their digits.
 * The walk repeats msgpack-probe.ts's on purpose (why, with the figures of each shared form
 * measured, there): change both alike, its `[*]` walk (cborAnyMayHold) too.
 */
import { Decoder } from 'cbor-x';
import { holdsWhenAbsent, type QueryClause } from '../../shared/decoded-query';
import { ABSENT, CONTAINER, DistinctKeys, UNSURE, floatValue, keyIs, mayHold, pastString, textAt, type AnyProbeStep, type ProbeStep, type Probed } from './value-probe';

/** Head kinds. */
const SCALAR = 0;
const STRING = 1;
const BYTES = 2;
const ARRAY = 3;
const MAP = 4;
const NOT_READ = 5;

/** As cbor-decoder.ts reads, for the half-precision floats read here. */
const halfFloats = new Decoder({ mapsAsObjects: false, useRecords: false });

/** Set by readHead: where the head's content starts, and its argument (bytes of a string, items of a list, entries of a map, a small integer). */
let body = 0;
let argument = 0;

function readHead(bytes: Buffer, at: number, end: number): number {
  if (at >= end) return NOT_READ;
  const head = bytes[at] ?? 0;
  const major = head >> 5;
  const info = head & 0x1f;
  if (major === 6 || info > 27) return NOT_READ;
  if (major === 7) {
    argument = info;
    // false, true, null, undefined; half, single and double floats (their bytes follow the head: scalarAt reads them there).
    body = at + 1 + (info >= 25 && info <= 27 ? 1 << (info - 24) : 0);
    if ((info >= 20 && info <= 23) || (info >= 25 && info <= 27)) return body <= end ? SCALAR : NOT_READ;
    return NOT_READ;
  }
  if (info < 24) {
    argument = info;
    body = at + 1;
  } else {
    const size = 1 << (info - 24);
    if (at + 1 + size > end) return NOT_READ;
    body = at + 1 + size;
    // 64-bit arguments: integers read at the end (scalarAt); no length that long is followed.
    if (size === 8) {
      if (major > 1) return NOT_READ;
      argument = 0;
      return SCALAR;
    }
    argument = size === 1 ? (bytes[at + 1] ?? 0) : size === 2 ? bytes.readUInt16BE(at + 1) : bytes.readUInt32BE(at + 1);
  }
  switch (major) {
    case 2:
      return BYTES;
    case 3:
      return STRING;
    case 4:
      return ARRAY;
    case 5:
      return MAP;
    default:
      return SCALAR;
  }
}

/** Where `items` data items from `at` end (-1: a head not followed, or past the end). */
function skipItems(bytes: Buffer, at: number, end: number, items: number): number {
  let pending = items;
  let next = at;
  while (pending > 0) {
    const kind = readHead(bytes, next, end);
    pending--;
    if (kind === NOT_READ) return -1;
    if (kind === ARRAY) pending += argument;
    else if (kind === MAP) pending += 2 * argument;
    next = kind === STRING || kind === BYTES ? body + argument : body;
    if (next > end) return -1;
  }
  return next;
}

/** The integer or simple value whose head readHead just read at `at`. */
function scalarAt(bytes: Buffer, at: number): Probed {
  const head = bytes[at] ?? 0;
  const major = head >> 5;
  const info = head & 0x1f;
  if (major === 7) {
    if (info === 20) return false;
    if (info === 21) return true;
    // null and undefined both show as null.
    if (info === 22 || info === 23) return null;
    if (info === 26) return floatValue(bytes.readFloatBE(at + 1));
    if (info === 27) return floatValue(bytes.readDoubleBE(at + 1));
    const half: unknown = halfFloats.decode(bytes.subarray(at, body));
    return typeof half === 'number' ? floatValue(half) : UNSURE;
  }
  if (info === 27) {
    const big = bytes.readBigUInt64BE(at + 1);
    return (major === 0 ? big : -1n - big).toString();
  }
  return major === 0 ? argument : -1 - argument;
}

/** What `steps` select in the CBOR data item at [start, end) of `bytes`. */
export function probeCbor(bytes: Buffer, start: number, end: number, steps: readonly ProbeStep[]): Probed {
  let at = start;
  for (const step of steps) {
    const kind = readHead(bytes, at, end);
    if (kind === NOT_READ) return UNSURE;
    if (step.kind === 'index') {
      if (kind !== ARRAY) return pastValue(bytes, kind, end);
      if (step.index >= argument) return ABSENT;
      at = skipItems(bytes, body, end, step.index);
      if (at < 0) return UNSURE;
      continue;
    }
    if (kind === BYTES && step.name === 'length') return UNSURE;
    if (kind !== MAP) return pastValue(bytes, kind, end);
    const found = valueOfKey(bytes, body, end, argument, step.utf8);
    if (typeof found !== 'number') return found;
    at = found;
  }
  const kind = readHead(bytes, at, end);
  if (kind === NOT_READ) return UNSURE;
  if (kind === SCALAR) return scalarAt(bytes, at);
  if (kind === STRING) return body + argument > end ? UNSURE : textAt(bytes, body, body + argument);
  return CONTAINER;
}

/**
 * What a step finds in the value readHead just read, which is not the list or map it needs: in a
 * string, JSON text it may hold (value-probe.ts pastString: UNSURE or ABSENT); in anything else,
 * nothing. Off the walk's own path, which stays as it was for maps and lists.
 */
function pastValue(bytes: Buffer, kind: number, end: number): typeof ABSENT | typeof UNSURE {
  if (kind !== STRING) return ABSENT;
  return body + argument > end ? UNSURE : pastString(bytes, body, body + argument);
}

/** As msgpack-probe.ts's: the last value of the key, ABSENT when no key is it or a key is not a text string ({$map}), UNSURE. */
function valueOfKey(bytes: Buffer, at: number, end: number, entries: number, utf8: Buffer): number | typeof ABSENT | typeof UNSURE {
  let next = at;
  let found = -1;
  let textKeys = true;
  for (let i = 0; i < entries; i++) {
    const kind = readHead(bytes, next, end);
    if (kind === STRING) {
      const keyEnd = body + argument;
      if (keyEnd > end) return UNSURE;
      const same = keyIs(bytes, body, argument, utf8);
      if (same === UNSURE) return UNSURE;
      next = keyEnd;
      if (same) found = next;
    } else {
      textKeys = false;
      next = skipItems(bytes, next, end, 1);
      if (next < 0) return UNSURE;
    }
    next = skipItems(bytes, next, end, 1);
    if (next < 0) return UNSURE;
  }
  return textKeys && found >= 0 ? found : ABSENT;
}

/** Set by the `[*]` walk: whether the path selected any value (a clause holds where it selects none only for `!=`). */
let selectedAny = false;

/** As msgpack-probe.ts msgpackAnyMayHold, for the CBOR data item at [start, end). */
export function cborAnyMayHold(bytes: Buffer, start: number, end: number, steps: readonly AnyProbeStep[], test: QueryClause['test']): boolean {
  selectedAny = false;
  if (anyMayHold(bytes, start, end, steps, 0, test)) return true;
  return !selectedAny && holdsWhenAbsent(test);
}

/** As msgpack-probe.ts's anyMayHold (tags, indefinite lengths and the rest probeCbor does not read: unsure). */
function anyMayHold(bytes: Buffer, at: number, end: number, steps: readonly AnyProbeStep[], from: number, test: QueryClause['test']): boolean {
  for (let s = from; s < steps.length; s++) {
    const step = steps[s];
    const kind = readHead(bytes, at, end);
    if (kind === NOT_READ || step === undefined) return true;
    if (step.kind === 'any') {
      if (kind === MAP || kind === ARRAY) return anyValueMayHold(bytes, body, end, argument, kind === MAP, steps, s + 1, test);
      // Bytes show as {$bytes, length}, whose two values [*] selects; a scalar has none.
      return kind === BYTES || (kind === STRING && pastValue(bytes, kind, end) === UNSURE);
    }
    if (step.kind === 'index') {
      if (kind !== ARRAY) return pastValue(bytes, kind, end) === UNSURE;
      if (step.index >= argument) return false;
      at = skipItems(bytes, body, end, step.index);
      if (at < 0) return true;
      continue;
    }
    if (kind === BYTES && step.name === 'length') return true;
    if (kind !== MAP) return pastValue(bytes, kind, end) === UNSURE;
    const found = valueOfKey(bytes, body, end, argument, step.utf8);
    if (found === UNSURE) return true;
    if (found === ABSENT) return false;
    at = found;
  }
  const kind = readHead(bytes, at, end);
  if (kind === NOT_READ) return true;
  let found: Probed;
  if (kind === SCALAR) found = scalarAt(bytes, at);
  else if (kind === STRING) found = body + argument > end ? UNSURE : textAt(bytes, body, body + argument);
  else found = CONTAINER;
  selectedAny = true;
  return mayHold(found, test);
}

/** As msgpack-probe.ts's anyValueMayHold: `[*]` over the `count` items (or entries, `isMap`) from `at`. */
function anyValueMayHold(bytes: Buffer, at: number, end: number, count: number, isMap: boolean, steps: readonly AnyProbeStep[], from: number, test: QueryClause['test']): boolean {
  const keys = isMap && count > 1 && holdsWhenAbsent(test) ? new DistinctKeys() : undefined;
  let next = at;
  for (let i = 0; i < count; i++) {
    if (isMap) {
      // A key that is not a text string makes the map {$map: [[key, value], …]}: one list, not these values.
      if (readHead(bytes, next, end) !== STRING || body + argument > end) return true;
      if (keys && !keys.add(bytes, body, argument)) return true;
      next = body + argument;
    }
    if (anyMayHold(bytes, next, end, steps, from, test)) return true;
    next = skipItems(bytes, next, end, 1);
    if (next < 0) return true;
  }
  return false;
}
