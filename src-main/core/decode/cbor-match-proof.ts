/**
 * A query search's proof that a CBOR message matches without decoding it (match-proof.ts): the
 * whole message is walked once to prove cbor-x (cbor-decoder.ts) decodes it whole and to what
 * shape, then each clause's path is followed in the bytes (as cbor-probe.ts does, leaner: the walk has
 * checked every head already) and tested with the query's own rules. Proven only inside a subset read exactly as the decoder shows it:
 * definite-length arrays and maps, maps with text-string keys only, text strings of valid UTF-8
 * not starting with a byte order mark, byte strings, integers with arguments up to 4 bytes (safe
 * in a double), half, single and double floats, false, true, null and undefined (shown as null),
 * nested at most MAX_NESTING levels, one data item ending at the message's end. Anything else is
 * not proven (the message is decoded): tags (cbor-x reads dates, bigints, typed arrays, records,
 * packed values and bundled strings from them), indefinite lengths, 64-bit integers (bigints,
 * shown as digits), other simple values, reserved heads, bad UTF-8 (cbor-x's JS reader and its
 * native one may differ there), a leading byte order mark (cbor-x's TextDecoder drops it from a
 * string over 64 bytes, its native reader keeps it), keys that are not text ({$map}), a path with
 * `[*]` or a `$` name, and a step into a string that may hold JSON text (value-probe.ts pastString).
 */
import { isUtf8 } from 'node:buffer';
import { holdsForValue, holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import type { MatchProof } from './match-proof';
import { ABSENT, CONTAINER, UNSURE, floatValue, pastString, probeSteps, type ProbeStep, type Scalar } from './value-probe';

/**
 * Deepest nesting of arrays and maps proven: json-value.ts cuts values deeper than 64 levels (so
 * nothing is cut within this), and cbor-x reads nesting by recursion.
 */
const MAX_NESTING = 64;

/** Per open array or map, the items still to read (a map counts keys and values); reused: a proof runs to its end before another starts. */
const left = new Int32Array(MAX_NESTING + 1);
/** Per open container, whether it is a map (an item read when an even count is left is a key). */
const isMap = new Uint8Array(MAX_NESTING + 1);

/** Whether [at, end) is valid UTF-8 without a leading byte order mark (then every reader of cbor-x reads it as Buffer's utf8 does). */
function plainText(bytes: Buffer, at: number, end: number): boolean {
  for (let k = at; k < end; k++) {
    if ((bytes[k] ?? 0) >= 0x80) {
      if (bytes[at] === 0xef && bytes[at + 1] === 0xbb && bytes[at + 2] === 0xbf) return false;
      return isUtf8(bytes.subarray(at, end));
    }
  }
  return true;
}

/** The argument of the head at `at` in `size` bytes after it (1, 2 or 4). */
function argumentOf(bytes: Buffer, at: number, size: number): number {
  if (size === 1) return bytes[at + 1] ?? 0;
  if (size === 2) return ((bytes[at + 1] ?? 0) << 8) | (bytes[at + 2] ?? 0);
  return (bytes[at + 1] ?? 0) * 0x1000000 + (((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 8) | (bytes[at + 4] ?? 0));
}

/**
 * Whether [start, end) is exactly one data item of the subset above (then cbor-x decodes the
 * message without an error, every map with string keys, nothing cut by json-value.ts).
 */
export function inCborSubset(bytes: Buffer, start: number, end: number): boolean {
  let at = start;
  let depth = 0;
  left[0] = 1;
  isMap[0] = 0;
  for (;;) {
    let remaining = left[depth] ?? 0;
    // Close what is read whole.
    while (remaining === 0) {
      if (depth === 0) return at === end;
      depth--;
      remaining = left[depth] ?? 0;
    }
    if (at >= end) return false;
    const head = bytes[at] ?? 0;
    const major = head >> 5;
    const info = head & 0x1f;
    // In a map, an even count left means a key comes next.
    if (isMap[depth] === 1 && (remaining & 1) === 0 && major !== 3) return false;
    left[depth] = remaining - 1;
    if (major === 7) {
      if (info >= 20 && info <= 23) at += 1;
      else if (info >= 25 && info <= 27) at += 1 + (1 << (info - 24));
      else return false;
      if (at > end) return false;
      continue;
    }
    if (major === 6 || info > 26) return false;
    let argument = info;
    if (info < 24) at += 1;
    else {
      const size = 1 << (info - 24);
      if (at + 1 + size > end) return false;
      argument = argumentOf(bytes, at, size);
      at += 1 + size;
    }
    if (major === 2 || major === 3) {
      if (argument > end - at) return false;
      if (major === 3 && !plainText(bytes, at, at + argument)) return false;
      at += argument;
    } else if (major === 4 || major === 5) {
      // Each item takes a byte at least.
      const items = major === 5 ? 2 * argument : argument;
      if (items > end - at) return false;
      if (depth === MAX_NESTING) return false;
      depth++;
      left[depth] = items;
      isMap[depth] = major === 5 ? 1 : 0;
    }
  }
}

/** Set by readHead: where the head's content starts, and its argument (a string's bytes, a list's items, a map's entries, a small integer). */
let body = 0;
let argument = 0;

/** The major type of the head at `at`, in a message inCborSubset took (every head there is read, and in bounds). */
function readHead(bytes: Buffer, at: number): number {
  const head = bytes[at] ?? 0;
  const major = head >> 5;
  const info = head & 0x1f;
  if (major === 7) {
    body = at + 1 + (info >= 25 ? 1 << (info - 24) : 0);
    argument = info;
  } else if (info < 24) {
    body = at + 1;
    argument = info;
  } else {
    const size = 1 << (info - 24);
    body = at + 1 + size;
    argument = argumentOf(bytes, at, size);
  }
  return major;
}

/** Where `items` data items from `at` end. */
function skipItems(bytes: Buffer, at: number, items: number): number {
  let pending = items;
  let next = at;
  while (pending > 0) {
    const major = readHead(bytes, next);
    pending--;
    if (major === 4) pending += argument;
    else if (major === 5) pending += 2 * argument;
    next = major === 2 || major === 3 ? body + argument : body;
  }
  return next;
}

/** Whether the text string's bytes at [at, at + length) are `utf8`. */
function sameBytes(bytes: Buffer, at: number, length: number, utf8: Buffer): boolean {
  if (length !== utf8.length) return false;
  for (let k = 0; k < length; k++) if (bytes[at + k] !== utf8[k]) return false;
  return true;
}

/**
 * Where the item the steps select starts, or ABSENT / UNSURE (a step into a string that may hold
 * JSON text, `length` of a byte string), as selectPath reads the decoder's value: keys compared as
 * bytes (valid UTF-8 reads as one text only), the last of duplicate keys (a Map keeps it).
 */
function follow(bytes: Buffer, start: number, steps: readonly ProbeStep[]): number | typeof ABSENT | typeof UNSURE {
  let at = start;
  for (const step of steps) {
    const major = readHead(bytes, at);
    if (step.kind === 'index' ? major !== 4 : major !== 5) {
      if (major === 3) return pastString(bytes, body, body + argument);
      // Bytes show as {$bytes, length}: only `length` is there (`$bytes` is no step: probeSteps).
      if (major === 2 && step.kind === 'key' && step.name === 'length') return UNSURE;
      return ABSENT;
    }
    if (step.kind === 'index') {
      if (step.index >= argument) return ABSENT;
      at = skipItems(bytes, body, step.index);
      continue;
    }
    let next = body;
    let found = -1;
    for (let entries = argument; entries > 0; entries--) {
      readHead(bytes, next);
      next = body + argument;
      if (sameBytes(bytes, body, argument, step.utf8)) found = next;
      next = skipItems(bytes, next, 1);
    }
    if (found < 0) return ABSENT;
    at = found;
  }
  return at;
}

/** A half-precision float's value (RFC 8949 appendix D; cbor-x reads it alike, exactly). */
function halfFloat(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const magnitude = exponent === 0 ? fraction * 2 ** -24 : exponent === 31 ? (fraction === 0 ? Infinity : NaN) : (fraction + 1024) * 2 ** (exponent - 25);
  return bits & 0x8000 ? -magnitude : magnitude;
}

/** The scalar at `at` as the decoder shows it (json-value.ts), CONTAINER for a list, a map or bytes. */
function valueAt(bytes: Buffer, at: number): Scalar | typeof CONTAINER {
  const major = readHead(bytes, at);
  switch (major) {
    case 0:
      return argument;
    case 1:
      return -1 - argument;
    case 3:
      return bytes.toString('utf8', body, body + argument);
    case 7:
      if (argument === 20) return false;
      if (argument === 21) return true;
      if (argument === 25) return floatValue(halfFloat(((bytes[at + 1] ?? 0) << 8) | (bytes[at + 2] ?? 0)));
      if (argument === 26) return floatValue(bytes.readFloatBE(at + 1));
      if (argument === 27) return floatValue(bytes.readDoubleBE(at + 1));
      // null and undefined (the only others inCborSubset takes) both show as null.
      return null;
    default:
      return CONTAINER;
  }
}

interface ProvenClause {
  readonly steps: readonly ProbeStep[];
  readonly test: QueryClause['test'];
  /** `==` or `!=` with text: compared as UTF-8 bytes, without making the string. */
  readonly text: { utf8: Buffer; equal: boolean } | undefined;
}

/** Whether the clause holds for the item at `at` (inCborSubset took the message). */
function holdsAt(bytes: Buffer, at: number, clause: ProvenClause): boolean {
  const { text } = clause;
  if (text !== undefined && (bytes[at] ?? 0) >> 5 === 3) {
    readHead(bytes, at);
    return sameBytes(bytes, body, argument, text.utf8) === text.equal;
  }
  return holdsForValue(clause.test, valueAt(bytes, at));
}

function provenClause(clause: QueryClause, steps: readonly ProbeStep[]): ProvenClause {
  const { test } = clause;
  if (test === undefined || test.op === '=~' || (test.op !== '==' && test.op !== '!=') || typeof test.value !== 'string') return { steps, test, text: undefined };
  const utf8 = Buffer.from(test.value, 'utf8');
  // A literal that is not plain UTF-8 (a lone surrogate) is compared as text, by holdsForValue.
  if (utf8.toString('utf8') !== test.value) return { steps, test, text: undefined };
  return { steps, test, text: { utf8, equal: test.op === '==' } };
}

/**
 * The proof for this query, or undefined when no message can be proven: a clause the probes do
 * not follow (`[*]`, a `$` name, a path over 32 steps) cannot be, and every clause must hold.
 */
export function cborMatchProof(query: DecodedQuery): MatchProof | undefined {
  const clauses: ProvenClause[] = [];
  for (const clause of query.clauses) {
    const steps = probeSteps(clause.path);
    if (!steps) return undefined;
    clauses.push(provenClause(clause, steps));
  }
  return (slab, start, end, opcode) => {
    // The decoder reads data frames only.
    if (opcode !== 'binary' && opcode !== 'text') return false;
    if (!inCborSubset(slab, start, end)) return false;
    for (const clause of clauses) {
      const found = follow(slab, start, clause.steps);
      if (found === UNSURE) return false;
      if (!(found === ABSENT ? holdsWhenAbsent(clause.test) : holdsAt(slab, found, clause))) return false;
    }
    return true;
  };
}
