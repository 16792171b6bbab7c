/**
 * What a query clause's path leads to in one message, read from its bytes without decoding the
 * whole value (msgpack-probe.ts, cbor-probe.ts; protobuf-probe.ts from the path alone). The
 * answer is about the value the decoder shows (toJsonValue of the library's decoding) and is
 * only relied on when the message is valid: an invalid message matches nothing, so any answer
 * for it is right. Where the bytes could decode to something the probe does not follow
 * (extension types, tags, indefinite lengths, bad UTF-8 in a key, a name json-value.ts writes
 * itself), the answer is UNSURE and the message is decoded.
 */
import { holdsForValue, holdsWhenAbsent, type QueryClause, type QueryStep } from '../../shared/decoded-query';
import { isJsonSpace, opensJsonContainer } from '../../shared/json-text-value';
import { isUtf8 } from 'node:buffer';
import type { JsonValue } from './json-value';

/**
 * The path selects nothing (a key not there, an index past the end, a key or index into a value
 * of another kind, or into a string that holds no JSON object or array: pastString).
 */
export const ABSENT: unique symbol = Symbol('absent');
/** Not read here: decode the message. */
export const UNSURE: unique symbol = Symbol('unsure');
/**
 * The path selects an object or a list (a map, an array, bytes as {$bytes, length}): no
 * comparison with a literal holds for it, `!=` does, and so does a path alone.
 */
export const CONTAINER: Readonly<Record<string, never>> = Object.freeze({});

export type Scalar = Exclude<JsonValue, JsonValue[] | { [key: string]: JsonValue }>;
export type Probed = Scalar | typeof CONTAINER | typeof ABSENT | typeof UNSURE;

/** A path step as the byte readers use it: a key's UTF-8 read once. */
export type ProbeStep = { kind: 'key'; name: string; utf8: Buffer } | { kind: 'index'; index: number };

/**
 * Deepest path probed: json-value.ts cuts values nested deeper than 64 levels, so a value found
 * far down could be {$cut} instead.
 */
const MAX_PROBED_STEPS = 32;

/**
 * The path's steps for a probe, or undefined when a probe cannot follow it: `[*]` (many values),
 * a name starting with `$` (json-value.ts's $bytes, $map, $cut: text the decoder writes), a
 * name that is not plain UTF-8 (a lone surrogate), or a path deeper than MAX_PROBED_STEPS.
 */
export function probeSteps(path: readonly QueryStep[]): ProbeStep[] | undefined {
  if (path.length > MAX_PROBED_STEPS) return undefined;
  const steps: ProbeStep[] = [];
  for (const step of path) {
    if (step.kind === 'any') return undefined;
    if (step.kind === 'index') {
      steps.push(step);
      continue;
    }
    const utf8 = Buffer.from(step.name, 'utf8');
    if (step.name.startsWith('$') || utf8.toString('utf8') !== step.name) return undefined;
    steps.push({ kind: 'key', name: step.name, utf8 });
  }
  return steps;
}

/** Whether a key's bytes at [at, at + length) are `utf8`. */
export function sameBytes(bytes: Uint8Array, at: number, length: number, utf8: Buffer): boolean {
  if (length !== utf8.length) return false;
  for (let k = 0; k < length; k++) if (bytes[at + k] !== utf8[k]) return false;
  return true;
}

/** A step of a path with `[*]` (anyProbeSteps): a probe step, or every value of a list or map. */
export type AnyProbeStep = ProbeStep | { kind: 'any' };

/**
 * The steps of a path with at least one `[*]` for the `[*]` walks (msgpack-probe.ts,
 * cbor-probe.ts, json-path-follow.ts probe...Any), or undefined: no `[*]` (probeSteps reads
 * it), a `$` name, a name that is not plain UTF-8, or over MAX_PROBED_STEPS steps (a `[*]` adds
 * no depth beyond its one step, so json-value.ts's 64-level cut stays out of reach).
 */
export function anyProbeSteps(path: readonly QueryStep[]): AnyProbeStep[] | undefined {
  if (!path.some((step) => step.kind === 'any')) return undefined;
  const steps: AnyProbeStep[] = [];
  for (const [at, step] of path.entries()) {
    if (step.kind === 'any') steps.push(step);
    else {
      const one = probeSteps(path.slice(at, at + 1));
      const read = one?.[0];
      if (!read) return undefined;
      steps.push(read);
    }
  }
  return path.length > MAX_PROBED_STEPS ? undefined : steps;
}

/**
 * Duplicate keys of one map met by a `[*]` walk, for a clause that holds where its path selects
 * nothing (`!=`): the walk reads every key's value, and a map shows only the last of duplicates
 * (so the walk may see a value, or a path through it, the decoded map does not have). Such a
 * clause asks that every key be distinct UTF-8 text (then distinct as the decoder reads it;
 * bad UTF-8 and a leading byte order mark may read as another key) and unique by its bytes.
 * At most MAX_CHECKED_KEYS keys are compared; a larger map is unsure.
 */
export const MAX_CHECKED_KEYS = 16;
export class DistinctKeys {
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];

  /** Whether the key at [at, at + length) is readable text unlike every key added before (false: unsure). */
  add(bytes: Buffer, at: number, length: number): boolean {
    if (this.starts.length >= MAX_CHECKED_KEYS || textAt(bytes, at, at + length) === UNSURE) return false;
    for (let k = 0; k < this.starts.length; k++) {
      const start = this.starts[k] ?? 0;
      if (this.lengths[k] === length && bytes.compare(bytes, at, at + length, start, start + length) === 0) return false;
    }
    this.starts.push(at);
    this.lengths.push(length);
    return true;
  }
}

/** Whether [at, end) is all ASCII (then it reads as itself in every UTF-8 decoder). */
export function isAscii(bytes: Uint8Array, at: number, end: number): boolean {
  for (let k = at; k < end; k++) if ((bytes[k] ?? 0) >= 0x80) return false;
  return true;
}

/**
 * Whether [at, end) starts with a byte order mark (EF BB BF): msgpackr's and cbor-x's JavaScript
 * string readers (used when their native extractors are not loaded) read strings over 64 bytes
 * with a TextDecoder, which drops it, and the native readers keep it, so such a string is read
 * two ways.
 */
function startsWithByteOrderMark(bytes: Uint8Array, at: number, end: number): boolean {
  return end - at >= 3 && bytes[at] === 0xef && bytes[at + 1] === 0xbb && bytes[at + 2] === 0xbf;
}

/** A key's bytes against a step's name: the same key, another key, or UNSURE (bad UTF-8, which a library may read as anything; a leading byte order mark). */
export function keyIs(bytes: Buffer, at: number, length: number, utf8: Buffer): boolean | typeof UNSURE {
  if (startsWithByteOrderMark(bytes, at, at + length)) return UNSURE;
  if (sameBytes(bytes, at, length, utf8)) return true;
  // Valid UTF-8 reads as one text only, so other valid bytes are another key.
  return isAscii(bytes, at, at + length) || isUtf8(bytes.subarray(at, at + length)) ? false : UNSURE;
}

/** A string's bytes as the text a UTF-8 decoder reads (UNSURE for bad UTF-8, which libraries read differently, and a leading byte order mark). */
export function textAt(bytes: Buffer, at: number, end: number): string | typeof UNSURE {
  if (isAscii(bytes, at, end)) return bytes.toString('latin1', at, end);
  if (startsWithByteOrderMark(bytes, at, end)) return UNSURE;
  return isUtf8(bytes.subarray(at, end)) ? bytes.toString('utf8', at, end) : UNSURE;
}

/**
 * What a path step finds past the string at [at, end): a query goes on into a string that holds
 * a JSON object or array (shared/json-text-value.ts), which the probes do not parse, so UNSURE
 * when its first byte after JSON whitespace is `{` or `[`; ABSENT when it is another ASCII byte
 * or there is none (no decoder reads an ASCII byte after ASCII ones as anything but itself).
 * UNSURE at a byte from 0x80: a decoder may read bad UTF-8 as `{` (an overlong C1 BB) or drop a
 * leading byte order mark (TextDecoder), so the decoder reads it. Reads no further than that byte.
 */
export function pastString(bytes: Uint8Array, at: number, end: number): typeof ABSENT | typeof UNSURE {
  let k = at;
  while (k < end && isJsonSpace(bytes[k] ?? 0)) k++;
  if (k >= end) return ABSENT;
  const first = bytes[k] ?? 0;
  return first >= 0x80 || opensJsonContainer(first) ? UNSURE : ABSENT;
}

/** A float as json-value.ts shows it (NaN and the infinities as text). */
export function floatValue(value: number): Scalar {
  return Number.isFinite(value) ? value : String(value);
}

/** Whether a clause surely holds for what its path selected (UNSURE: not proven): a match proof's test. */
export function surelyHolds(found: Probed, test: QueryClause['test']): boolean {
  if (found === UNSURE) return false;
  return found === ABSENT ? holdsWhenAbsent(test) : holdsForValue(test, found);
}

/** Whether a clause may hold for what its path led to: UNSURE decides nothing (the message is decoded). */
export function mayHold(found: Probed, test: QueryClause['test']): boolean {
  if (found === UNSURE) return true;
  if (found === ABSENT) return holdsWhenAbsent(test);
  return holdsForValue(test, found);
}
