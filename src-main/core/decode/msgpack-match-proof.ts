/**
 * A MessagePack message proven to match a query without decoding it (match-proof.ts): the side
 * the probe prefilter (msgpack-probe.ts) does not answer, for a query most messages match
 * (`$.seq >= 0`, `$.event != 'x'`). `true` needs both:
 * - the whole message is one value msgpack-decoder.ts reads as valid, read head by head to its
 *   last byte, within a subset whose JSON value is known for certain: maps, arrays, strings, bytes,
 *   integers (64-bit ones are bigints there, shown as digits), floats, nil, true, false, nested at
 *   most MAX_NESTING lists deep (msgpackr reads recursively: far deeper overflows its stack);
 * - each clause holds for what its path selects in that value (shared/decoded-query.ts).
 * Anything else answers `false` (decoded as before): extensions (timestamps, msgpackr's records,
 * application types), the reserved byte 0xC1, bytes left over or missing, a `[*]` or `$` step, a
 * step past a string that may hold JSON text (value-probe.ts pastString), the key `length` of bytes,
 * and a key or selected string that is not plain UTF-8 or starts with a byte order mark (msgpackr
 * reads long strings with a TextDecoder when its native reader is absent, which drops the mark).
 * Keys are compared as bytes, and strings with a text literal for == and !=: no allocation a
 * message for ASCII keys (a string is made for =~ and order, a bigint's digits for 64-bit integers).
 *
 * SignalR's MessagePack hub proof (signalr-msgpack-match-proof.ts) reads its messages with the
 * same walk through the exports (provenClause, clauseProven, wholeList, listItems, smallInteger,
 * isString, isList, plainString), its maps read as objects (`objectMaps`: msgpackr's
 * mapsAsObjects makes every key a name, so a key that is not a string is never followed through
 * and one that is bytes, a list or a map makes the message not valid).
 *
 * readHead, sized, skipValues and scalarAt are msgpack-probe.ts's, written again on purpose:
 * shared from one module (its head's `body` and `length` read as imported bindings) the proof
 * took 0.151 → 0.175–0.180 µs a message and the probe 0.220 → 0.241–0.244 (200,000 bench
 * records, best of 15, two alternated runs each); shared with a head object each module passes
 * in (2026-12-06, load 8-18, 5 runs against 8) `$.seq >= 0` 156-167 → 168-176 ns and
 * `$.data.sym != 'x'` 216-236 → 230-243 (msgpack-probe.ts has the probe's figures). Change both
 * alike.
 */
import { isUtf8 } from 'node:buffer';
import { holdsForValue, holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import type { MatchProof } from './match-proof';
import { ABSENT, CONTAINER, floatValue, isAscii, pastString, probeSteps, sameBytes, type ProbeStep, type Probed } from './value-probe';

/** Head kinds. */
const SCALAR = 0;
const STRING = 1;
const BYTES = 2;
const ARRAY = 3;
const MAP = 4;
/** Not in the subset (0xC1, extensions) or its head runs past the end. */
const OTHER = 5;

/** Deepest nesting of non-empty lists and maps proven (json-value.ts cuts deeper than 64 too). */
const MAX_NESTING = 64;

/** Not proven: the message is decoded. */
const UNPROVEN: unique symbol = Symbol('unproven');

/** Set by readHead: where the head's content starts, and its length (bytes of a string or a number, items of a list, entries of a map). */
let body = 0;
let length = 0;

/**
 * Set by valueOfKey: where the map it read ends (every head of its entries read). When the first
 * step's map is the message's top value and ends at the message's end, the message was read whole
 * on the way: wholeValue need not read it again (half the proof's time on the bench's records).
 */
let mapEnd = 0;
let topMapEnd = -1;
/** Lists and maps skipValues stepped over for this message: more than the top map's entries nest deep. */
let listsSkipped = 0;

/** Items left in each open list while the whole value is read (reused: no allocation a message). */
const open = new Float64Array(MAX_NESTING + 1);
/** Whether each open list is a map (its items keys and values), kept only when maps are read as objects. */
const openMap = new Uint8Array(MAX_NESTING + 1);

/** The kind of the head at `at`, its length bytes inside [at, end) (OTHER otherwise). */
function readHead(bytes: Buffer, at: number, end: number): number {
  if (at >= end) return OTHER;
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
      return sized(bytes, at, end, 1, BYTES);
    case 0xd9:
      return sized(bytes, at, end, 1, STRING);
    case 0xc5:
      return sized(bytes, at, end, 2, BYTES);
    case 0xda:
      return sized(bytes, at, end, 2, STRING);
    case 0xdc:
      return sized(bytes, at, end, 2, ARRAY);
    case 0xde:
      return sized(bytes, at, end, 2, MAP);
    case 0xc6:
      return sized(bytes, at, end, 4, BYTES);
    case 0xdb:
      return sized(bytes, at, end, 4, STRING);
    case 0xdd:
      return sized(bytes, at, end, 4, ARRAY);
    case 0xdf:
      return sized(bytes, at, end, 4, MAP);
    default:
      // 0xC1 and the extensions (fixext, ext 8/16/32).
      return OTHER;
  }
}

/** A head whose length follows it in `size` bytes, big-endian. */
function sized(bytes: Buffer, at: number, end: number, size: number, kind: number): number {
  if (at + 1 + size > end) return OTHER;
  length = size === 1 ? (bytes[at + 1] ?? 0) : size === 2 ? bytes.readUInt16BE(at + 1) : bytes.readUInt32BE(at + 1);
  body = at + 1 + size;
  return kind;
}

/**
 * Whether [start, end) is exactly one value of the subset: every head read, every length inside
 * the message, nothing left over (msgpackr calls left-over bytes not valid). A list or map whose
 * count is more than the bytes left runs out of bytes here, as msgpackr refuses it. With
 * `objectMaps` (msgpackr's mapsAsObjects, SignalR's decoder) a map key that is bytes, a list or a
 * map is refused too: msgpackr throws there, as it makes keys strings.
 */
export function wholeValue(bytes: Buffer, start: number, end: number, objectMaps = false, starts?: Int32Array): boolean {
  let at = start;
  let top = 0;
  // Items of the top list, when it is one (starts: where each of its first items starts).
  let topCount = 0;
  open[0] = 1;
  openMap[0] = 0;
  for (;;) {
    let left = open[top] ?? 0;
    while (left === 0) {
      if (top === 0) return at === end;
      top--;
      left = open[top] ?? 0;
    }
    open[top] = left - 1;
    if (top === 1 && starts !== undefined && topCount - left < starts.length) starts[topCount - left] = at;
    const kind = readHead(bytes, at, end);
    if (kind === OTHER) return false;
    // A key is read while an even count of a map's items is left.
    if (objectMaps && kind !== SCALAR && kind !== STRING && openMap[top] === 1 && left % 2 === 0) return false;
    if (kind === ARRAY || kind === MAP) {
      at = body;
      if (length === 0) continue;
      if (top === MAX_NESTING) return false;
      top++;
      open[top] = kind === MAP ? 2 * length : length;
      if (top === 1) topCount = length;
      if (objectMaps) openMap[top] = kind === MAP ? 1 : 0;
    } else {
      // Past the end, the next head is not read or the value does not end at `end`.
      at = body + length;
    }
  }
}

/** Where `items` values from `at` end (-1: a head not read or past the end). */
function skipValues(bytes: Buffer, at: number, end: number, items: number): number {
  let pending = items;
  let next = at;
  while (pending > 0) {
    const kind = readHead(bytes, next, end);
    pending--;
    if (kind === OTHER) return -1;
    if (kind === ARRAY || kind === MAP) {
      pending += kind === MAP ? 2 * length : length;
      listsSkipped++;
      next = body;
    } else next = body + length;
    if (next > end) return -1;
  }
  return next;
}

/** Whether the string at [at, at + count) reads as one text in every UTF-8 reader msgpackr uses: ASCII, or plain UTF-8 without a leading byte order mark. */
function plainText(bytes: Buffer, at: number, count: number): boolean {
  if (isAscii(bytes, at, at + count)) return true;
  if (count >= 3 && bytes[at] === 0xef && bytes[at + 1] === 0xbb && bytes[at + 2] === 0xbf) return false;
  return isUtf8(bytes.subarray(at, at + count));
}

/**
 * In the map whose `entries` start at `at`: where the value of the key `utf8` starts (the last
 * one, as the decoder's Map keeps it), ABSENT when no key is it or a key is not a string (the
 * decoder shows {$map: […]}, which no name a proof follows is in), UNPROVEN when a key is not
 * plain text (it may read as the name). With `objectMaps` a key that is not a string is UNPROVEN:
 * msgpackr makes it a name (1 → '1', nil → 'null').
 */
function valueOfKey(bytes: Buffer, at: number, end: number, entries: number, utf8: Buffer, objectMaps: boolean): number | typeof ABSENT | typeof UNPROVEN {
  let next = at;
  let found = -1;
  let stringKeys = true;
  for (let i = 0; i < entries; i++) {
    const kind = readHead(bytes, next, end);
    if (kind === STRING) {
      const keyEnd = body + length;
      if (keyEnd > end) return UNPROVEN;
      // Plain text reads as one string only, so other bytes are another key.
      if (sameBytes(bytes, body, length, utf8)) found = keyEnd;
      else if (!plainText(bytes, body, length)) return UNPROVEN;
      next = keyEnd;
    } else {
      if (objectMaps) return UNPROVEN;
      stringKeys = false;
      next = skipValues(bytes, next, end, 1);
      if (next < 0) return UNPROVEN;
    }
    next = skipValues(bytes, next, end, 1);
    if (next < 0) return UNPROVEN;
  }
  mapEnd = next;
  return stringKeys && found >= 0 ? found : ABSENT;
}

/** The scalar whose head readHead just read at `at`, as json-value.ts shows it. */
function scalarAt(bytes: Buffer, at: number): Probed | typeof UNPROVEN {
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
    // msgpackr reads float 32 as is (its rounding, useFloat32, is off).
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
      return UNPROVEN;
  }
}

/** What a step finds in a value that is not the list or map it needs: past a string, maybe JSON text (not read here); past anything else, nothing. */
function pastValue(bytes: Buffer, kind: number, end: number): typeof ABSENT | typeof UNPROVEN {
  if (kind !== STRING) return ABSENT;
  if (body + length > end) return UNPROVEN;
  return pastString(bytes, body, body + length) === ABSENT ? ABSENT : UNPROVEN;
}

/** A clause as the proof reads it: its steps and, for == and != with text, the text's UTF-8 (compared as bytes); maps read as objects or not. */
export interface ProvenClause {
  readonly steps: readonly ProbeStep[];
  readonly test: QueryClause['test'];
  readonly textUtf8: Buffer | undefined;
  readonly objectMaps: boolean;
}

/**
 * Whether the clause holds at the value its path leads to from `start`, or UNPROVEN. A string
 * is compared as bytes with a text literal for == and != (plain text reads as one string only).
 */
function clauseHolds(bytes: Buffer, start: number, end: number, clause: ProvenClause): boolean | typeof UNPROVEN {
  let at = start;
  for (const step of clause.steps) {
    const kind = readHead(bytes, at, end);
    if (kind === OTHER) return UNPROVEN;
    if (step.kind === 'index') {
      if (kind !== ARRAY) return absentOr(pastValue(bytes, kind, end), clause.test);
      if (step.index >= length) return holdsWhenAbsent(clause.test);
      at = skipValues(bytes, body, end, step.index);
      if (at < 0) return UNPROVEN;
      continue;
    }
    // Bytes show as {$bytes, length}: `length` is there.
    if (kind === BYTES) return step.name === 'length' ? UNPROVEN : holdsWhenAbsent(clause.test);
    if (kind !== MAP) return absentOr(pastValue(bytes, kind, end), clause.test);
    const found = valueOfKey(bytes, body, end, length, step.utf8, clause.objectMaps);
    if (found === UNPROVEN) return UNPROVEN;
    if (at === start) topMapEnd = mapEnd;
    if (found === ABSENT) return holdsWhenAbsent(clause.test);
    at = found;
  }
  const kind = readHead(bytes, at, end);
  if (kind === OTHER || body + length > end) return UNPROVEN;
  if (kind === SCALAR) {
    const value = scalarAt(bytes, at);
    return value === UNPROVEN ? UNPROVEN : holdsForValue(clause.test, value);
  }
  if (kind === STRING) {
    if (!plainText(bytes, body, length)) return UNPROVEN;
    const test = clause.test;
    if (clause.textUtf8 !== undefined && test !== undefined && (test.op === '==' || test.op === '!=')) {
      return sameBytes(bytes, body, length, clause.textUtf8) === (test.op === '==');
    }
    return holdsForValue(test, bytes.toString('utf8', body, body + length));
  }
  return holdsForValue(clause.test, CONTAINER);
}

function absentOr(found: typeof ABSENT | typeof UNPROVEN, test: QueryClause['test']): boolean | typeof UNPROVEN {
  return found === UNPROVEN ? UNPROVEN : holdsWhenAbsent(test);
}

/** A text literal's UTF-8, when it reads back as itself (not a lone surrogate). A plain string is that text exactly when its bytes are these. */
function literalUtf8(test: QueryClause['test']): Buffer | undefined {
  if (test === undefined || test.op === '=~' || typeof test.value !== 'string') return undefined;
  const utf8 = Buffer.from(test.value, 'utf8');
  return utf8.toString('utf8') === test.value ? utf8 : undefined;
}

/**
 * A clause as the proof reads it, or undefined when it cannot be proven: `[*]`, a `$` name, a
 * name that is not plain UTF-8 or starts with a byte order mark, a path deeper than
 * value-probe.ts follows; with `objectMaps` also the names __proto__ and __proto_ (msgpackr
 * renames the key __proto__ to __proto_).
 */
export function provenClause(clause: QueryClause, objectMaps: boolean): ProvenClause | undefined {
  const steps = probeSteps(clause.path);
  if (!steps || steps.some((step) => step.kind === 'key' && (step.name.startsWith('\ufeff') || (objectMaps && (step.name === '__proto__' || step.name === '__proto_'))))) return undefined;
  // A text literal that is not plain UTF-8 is compared as text (holdsForValue), not as bytes.
  return { steps, test: clause.test, textUtf8: literalUtf8(clause.test), objectMaps };
}

/** Whether the clause is proven to hold for the value at [at, end) (read only along its path: wholeValue says the message is valid). */
export function clauseProven(bytes: Buffer, at: number, end: number, clause: ProvenClause): boolean {
  return clauseHolds(bytes, at, end, clause) === true;
}

/**
 * Whether the clause holds for the value at [at, end), as exactly as clauseProven (false: it
 * surely does not, on a value wholeValue says is valid), or undefined where it is not read.
 */
export function clauseVerdict(bytes: Buffer, at: number, end: number, clause: ProvenClause): boolean | undefined {
  const holds = clauseHolds(bytes, at, end, clause);
  return holds === UNPROVEN ? undefined : holds;
}

/**
 * The list at [start, end): its count of items, with the start of each of the first
 * `starts.length` in `starts` (-1 past one not read); -1 when it is not a list.
 */
export function listItems(bytes: Buffer, start: number, end: number, starts: Int32Array): number {
  if (readHead(bytes, start, end) !== ARRAY) return -1;
  const count = length;
  let at = body;
  for (let i = 0; i < starts.length; i++) {
    starts[i] = i < count ? at : -1;
    if (i < count && at >= 0) at = skipValues(bytes, at, end, 1);
  }
  return count;
}

/**
 * The list at [start, end), read whole as wholeValue does with maps as objects: its count of
 * items, with the start of each of the first `starts.length` in `starts` (-1 past its last);
 * -1 when it is not a list or not valid (one pass: listItems and wholeValue read it twice).
 */
export function wholeList(bytes: Buffer, start: number, end: number, starts: Int32Array): number {
  if (readHead(bytes, start, end) !== ARRAY) return -1;
  const count = length;
  starts.fill(-1);
  return wholeValue(bytes, start, end, true, starts) ? count : -1;
}

/** The integer at `at` when it is one msgpackr reads as a number (not 64-bit, not a float), else undefined (also for `at` -1: no item there). */
export function smallInteger(bytes: Buffer, at: number, end: number): number | undefined {
  const token = bytes[at];
  if (at < 0 || readHead(bytes, at, end) !== SCALAR || body + length > end || token === 0xca || token === 0xcb) return undefined;
  const value = scalarAt(bytes, at);
  return typeof value === 'number' ? value : undefined;
}

/** Whether the value at `at` is a string (msgpackr reads any str head as one). */
export function isString(bytes: Buffer, at: number, end: number): boolean {
  return at >= 0 && readHead(bytes, at, end) === STRING && body + length <= end;
}

/** Whether the value at `at` is a list. */
export function isList(bytes: Buffer, at: number, end: number): boolean {
  return at >= 0 && readHead(bytes, at, end) === ARRAY;
}

/** The string at `at` when it is plain text (read as itself in every reader msgpackr uses), else undefined. */
export function plainString(bytes: Buffer, at: number, end: number): string | undefined {
  if (at < 0 || readHead(bytes, at, end) !== STRING || body + length > end || !plainText(bytes, body, length)) return undefined;
  return bytes.toString('utf8', body, body + length);
}

/** The proof for this query, or undefined when no message can be proven (provenClause; clauses join with &&: every one must be proven). */
export function msgpackMatchProof(query: DecodedQuery): MatchProof | undefined {
  const clauses: ProvenClause[] = [];
  for (const clause of query.clauses) {
    const proven = provenClause(clause, false);
    if (!proven) return undefined;
    clauses.push(proven);
  }
  if (clauses.length === 0) return undefined;
  return (slab, start, end, opcode) => {
    // The decoder reads text and binary frames alike, and no others.
    if (opcode !== 'binary' && opcode !== 'text') return false;
    if (!(start >= 0 && end > start && end <= slab.length)) return false;
    // Clauses first: a message one fails is not read whole.
    topMapEnd = -1;
    listsSkipped = 0;
    for (const clause of clauses) if (clauseHolds(slab, start, end, clause) !== true) return false;
    // Read whole already: the top map's entries end at the end, nested less deep than MAX_NESTING.
    if (topMapEnd === end && listsSkipped < MAX_NESTING) return true;
    return wholeValue(slab, start, end);
  };
}
