/**
 * A query path followed through a MessagePack message's bytes (value-probe.ts): map keys
 * compared as bytes, other values stepped over by their heads, only the value at the end read.
 * It answers for the value msgpack-decoder.ts shows (msgpackr with maps as Maps, 64-bit integers
 * as bigints, then json-value.ts), as msgpackr reads each head. UNSURE, so the message is
 * decoded, at:
 * - an extension (fixext, ext 8/16/32) anywhere it steps: msgpackr reads type 0x72 as its own
 *   record definitions (other lengths than the format's), and the others become objects or dates;
 * - 0xC1 (a reserved byte: the decoder calls the message not valid) and any byte past the end;
 * - a key whose bytes are not valid UTF-8 (msgpackr's reader may make the name of them);
 * - a step into a string that may hold a JSON object or array, which the query goes on into
 *   (value-probe.ts pastString; a step into any other string selects nothing);
 * - the key `length` asked of bytes ({$bytes, length} has it).
 * A map with a key that is not a string is shown as {$map: [...]}: no name a probe follows
 * (never one starting with `$`) is in it.
 *
 * The walk (probeMsgpack's path loop, valueOfKey, skipValues, and the `[*]` walk: anyMayHold,
 * anyValueMayHold, pastValue) is written again in cbor-probe.ts on purpose, and readHead, sized,
 * skipValues and scalarAt in msgpack-match-proof.ts: the probe reads every message a query
 * search walks, and every shared form measured was slower. V8 keeps one set of type feedback per
 * function, so a walk shared by two formats reaches their readers through a branch or a
 * megamorphic call, and a reader shared between modules cannot write module-level `body` and
 * `length` (a head object, or exported bindings, cost more). Probe alone, 200,000 bench records
 * in one slab, best of 15 rounds, 2-8 alternated runs each, lowest-highest (2026-12-06, load
 * 8-18), MessagePack $.seq > 999990 / $.data.price > 9990, CBOR the same, `[*]` ($.data[*] >
 * 9990) MessagePack / CBOR: this form 149-155 / 209-225, 159-182 / 227-267, 307-342 / 333-379 ns;
 * one walk with a format branch per head, readers filling a head object: 166-262 / 235-355,
 * 205-239 / 274-300, 372-515 / 409-516 (+11-29 % best against best); the same with per-format
 * valueOfKey and skip: 165-173 / 231-246, 186-195 / 264-285, 359-377 / 393-443 (+11-18 %); only
 * the MessagePack head reader shared (one module, a head object passed in): MessagePack
 * 160-194 / 226-231 (+7-8 %; the proof +6-8 %), most of it the head object (that reader kept in
 * this file with a head object: 159-163 / 225-227). Earlier: a class per format, a format switch
 * per head, tables of first bytes +11-25 %; the reader shared through exported `let` bindings
 * +10 % a probe, +15 % a proof. Change the copies alike.
 *
 * A path with `[*]` (msgpackAnyMayHold) is walked the same way, the clause tested on every value
 * it selects: `[*]` takes each item of a list and each value of a map (every key a string, else
 * the map is {$map} and the walk unsure), nothing of a scalar, JSON text a string may hold
 * (unsure) and the Base64 and length of bytes ({$bytes, length}: unsure).
 */
import { holdsWhenAbsent, type QueryClause } from '../../shared/decoded-query';
import { ABSENT, CONTAINER, DistinctKeys, UNSURE, floatValue, keyIs, mayHold, pastString, textAt, type AnyProbeStep, type ProbeStep, type Probed } from './value-probe';

/** Head kinds. */
const SCALAR = 0;
const STRING = 1;
const BYTES = 2;
const ARRAY = 3;
const MAP = 4;
const NOT_READ = 5;

/** Set by readHead: where the head's content starts, and its length (bytes of a string, a number's size, items of a list, entries of a map). */
let body = 0;
let length = 0;

/** The kind of the head at `at` (NOT_READ past the end, or for a head the probe does not follow). */
function readHead(bytes: Buffer, at: number, end: number): number {
  if (at >= end) return NOT_READ;
  const token = bytes[at] ?? 0;
  body = at + 1;
  if (token < 0x80 || token >= 0xe0) {
    length = 0;
    return SCALAR;
  }
  if (token < 0x90) {
    length = token & 0x0f;
    return MAP;
  }
  if (token < 0xa0) {
    length = token & 0x0f;
    return ARRAY;
  }
  if (token < 0xc0) {
    length = token & 0x1f;
    return STRING;
  }
  switch (token) {
    case 0xc0:
    case 0xc2:
    case 0xc3:
      length = 0;
      return SCALAR;
    case 0xcc:
    case 0xd0:
      length = 1;
      return SCALAR;
    case 0xcd:
    case 0xd1:
      length = 2;
      return SCALAR;
    case 0xca:
    case 0xce:
    case 0xd2:
      length = 4;
      return SCALAR;
    case 0xcb:
    case 0xcf:
    case 0xd3:
      length = 8;
      return SCALAR;
    case 0xc4:
    case 0xd9:
      return sized(bytes, at, end, 1, token === 0xc4 ? BYTES : STRING);
    case 0xc5:
    case 0xda:
    case 0xdc:
    case 0xde:
      return sized(bytes, at, end, 2, token === 0xc5 ? BYTES : token === 0xda ? STRING : token === 0xdc ? ARRAY : MAP);
    case 0xc6:
    case 0xdb:
    case 0xdd:
    case 0xdf:
      return sized(bytes, at, end, 4, token === 0xc6 ? BYTES : token === 0xdb ? STRING : token === 0xdd ? ARRAY : MAP);
    default:
      // 0xC1 and the extensions.
      return NOT_READ;
  }
}

/** A head whose length follows it in `size` bytes, big-endian. */
function sized(bytes: Buffer, at: number, end: number, size: number, kind: number): number {
  if (at + 1 + size > end) return NOT_READ;
  length = size === 1 ? (bytes[at + 1] ?? 0) : size === 2 ? bytes.readUInt16BE(at + 1) : bytes.readUInt32BE(at + 1);
  body = at + 1 + size;
  return kind;
}

/** Where `items` values from `at` end (-1: a head not followed, or past the end). */
function skipValues(bytes: Buffer, at: number, end: number, items: number): number {
  let pending = items;
  let next = at;
  while (pending > 0) {
    const kind = readHead(bytes, next, end);
    pending--;
    if (kind === NOT_READ) return -1;
    if (kind === ARRAY) pending += length;
    else if (kind === MAP) pending += 2 * length;
    next = kind === ARRAY || kind === MAP ? body : body + length;
    if (next > end) return -1;
  }
  return next;
}

/** The scalar whose head readHead just read at `at`. */
function scalarAt(bytes: Buffer, at: number): Probed {
  const token = bytes[at] ?? 0;
  if (token < 0x80) return token;
  if (token >= 0xe0) return token - 0x100;
  switch (token) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xcc:
      return bytes[body] ?? 0;
    case 0xcd:
      return bytes.readUInt16BE(body);
    case 0xce:
      return bytes.readUInt32BE(body);
    case 0xd0:
      return bytes.readInt8(body);
    case 0xd1:
      return bytes.readInt16BE(body);
    case 0xd2:
      return bytes.readInt32BE(body);
    case 0xca:
      return floatValue(bytes.readFloatBE(body));
    case 0xcb:
      return floatValue(bytes.readDoubleBE(body));
    // 64-bit integers are bigints (int64AsType), shown as their digits.
    case 0xcf:
      return bytes.readBigUInt64BE(body).toString();
    case 0xd3:
      return bytes.readBigInt64BE(body).toString();
    default:
      return UNSURE;
  }
}

/** What `steps` select in the MessagePack value at [start, end) of `bytes`. */
export function probeMsgpack(bytes: Buffer, start: number, end: number, steps: readonly ProbeStep[]): Probed {
  let at = start;
  for (const step of steps) {
    const kind = readHead(bytes, at, end);
    if (kind === NOT_READ) return UNSURE;
    if (step.kind === 'index') {
      if (kind !== ARRAY) return pastValue(bytes, kind, end);
      if (step.index >= length) return ABSENT;
      at = skipValues(bytes, body, end, step.index);
      if (at < 0) return UNSURE;
      continue;
    }
    if (kind === BYTES && step.name === 'length') return UNSURE;
    if (kind !== MAP) return pastValue(bytes, kind, end);
    const found = valueOfKey(bytes, body, end, length, step.utf8);
    if (typeof found !== 'number') return found;
    at = found;
  }
  const kind = readHead(bytes, at, end);
  if (kind === NOT_READ || body + length > end) return UNSURE;
  if (kind === SCALAR) return scalarAt(bytes, at);
  if (kind === STRING) return textAt(bytes, body, body + length);
  return CONTAINER;
}

/**
 * What a step finds in the value readHead just read, which is not the list or map it needs: in a
 * string, JSON text it may hold (value-probe.ts pastString: UNSURE or ABSENT); in anything else,
 * nothing. Off the walk's own path, which stays as it was for maps and lists.
 */
function pastValue(bytes: Buffer, kind: number, end: number): typeof ABSENT | typeof UNSURE {
  if (kind !== STRING) return ABSENT;
  return body + length > end ? UNSURE : pastString(bytes, body, body + length);
}

/**
 * In the map whose `entries` start at `at`: where the value of the key `utf8` starts (the last
 * one, as a Map keeps it), ABSENT when no key is it or a key is not a string ({$map}), UNSURE.
 */
function valueOfKey(bytes: Buffer, at: number, end: number, entries: number, utf8: Buffer): number | typeof ABSENT | typeof UNSURE {
  let next = at;
  let found = -1;
  let stringKeys = true;
  for (let i = 0; i < entries; i++) {
    const kind = readHead(bytes, next, end);
    if (kind === STRING) {
      const keyEnd = body + length;
      if (keyEnd > end) return UNSURE;
      const same = keyIs(bytes, body, length, utf8);
      if (same === UNSURE) return UNSURE;
      next = keyEnd;
      if (same) found = next;
    } else {
      stringKeys = false;
      next = skipValues(bytes, next, end, 1);
      if (next < 0) return UNSURE;
    }
    next = skipValues(bytes, next, end, 1);
    if (next < 0) return UNSURE;
  }
  return stringKeys && found >= 0 ? found : ABSENT;
}

/** Set by the `[*]` walk: whether the path selected any value (a clause holds where it selects none only for `!=`). */
let selectedAny = false;

/**
 * Whether a clause whose path has `[*]` may hold in the MessagePack value at [start, end): true
 * when a value the path selects may meet it (or the walk is unsure), else whether the clause
 * holds where the path selects nothing. Relied on only for a valid message, as probeMsgpack.
 */
export function msgpackAnyMayHold(bytes: Buffer, start: number, end: number, steps: readonly AnyProbeStep[], test: QueryClause['test']): boolean {
  selectedAny = false;
  if (anyMayHold(bytes, start, end, steps, 0, test)) return true;
  return !selectedAny && holdsWhenAbsent(test);
}

/**
 * Whether the clause may hold for a value steps[from…] select in the value at `at` (true when
 * unsure); sets selectedAny when it selects one. The walk recurses only at `[*]` (at most 32
 * steps deep) and steps over values as probeMsgpack does.
 */
function anyMayHold(bytes: Buffer, at: number, end: number, steps: readonly AnyProbeStep[], from: number, test: QueryClause['test']): boolean {
  for (let s = from; s < steps.length; s++) {
    const step = steps[s];
    const kind = readHead(bytes, at, end);
    if (kind === NOT_READ || step === undefined) return true;
    if (step.kind === 'any') {
      if (kind === MAP || kind === ARRAY) return anyValueMayHold(bytes, body, end, length, kind === MAP, steps, s + 1, test);
      // Bytes show as {$bytes, length}, whose two values [*] selects; a scalar has none.
      return kind === BYTES || (kind === STRING && pastValue(bytes, kind, end) === UNSURE);
    }
    if (step.kind === 'index') {
      if (kind !== ARRAY) return pastValue(bytes, kind, end) === UNSURE;
      if (step.index >= length) return false;
      at = skipValues(bytes, body, end, step.index);
      if (at < 0) return true;
      continue;
    }
    if (kind === BYTES && step.name === 'length') return true;
    if (kind !== MAP) return pastValue(bytes, kind, end) === UNSURE;
    const found = valueOfKey(bytes, body, end, length, step.utf8);
    if (found === UNSURE) return true;
    if (found === ABSENT) return false;
    at = found;
  }
  const kind = readHead(bytes, at, end);
  if (kind === NOT_READ || body + length > end) return true;
  selectedAny = true;
  const found = kind === SCALAR ? scalarAt(bytes, at) : kind === STRING ? textAt(bytes, body, body + length) : CONTAINER;
  return mayHold(found, test);
}

/** `[*]` over the `count` items (or entries, `isMap`) from `at`: whether the clause may hold for a value the rest of the path selects in one. */
function anyValueMayHold(bytes: Buffer, at: number, end: number, count: number, isMap: boolean, steps: readonly AnyProbeStep[], from: number, test: QueryClause['test']): boolean {
  // A clause holding where nothing is selected needs the map's values as the decoder keeps them (value-probe.ts DistinctKeys).
  const keys = isMap && count > 1 && holdsWhenAbsent(test) ? new DistinctKeys() : undefined;
  let next = at;
  for (let i = 0; i < count; i++) {
    if (isMap) {
      // A key that is not a string makes the map {$map: [[key, value], …]}: one list, not these values.
      if (readHead(bytes, next, end) !== STRING || body + length > end) return true;
      if (keys && !keys.add(bytes, body, length)) return true;
      next = body + length;
    }
    if (anyMayHold(bytes, next, end, steps, from, test)) return true;
    next = skipValues(bytes, next, end, 1);
    if (next < 0) return true;
  }
  return false;
}
