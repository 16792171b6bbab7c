/**
 * A `[*]` clause in Protocol Buffers read without a schema (`$['3'][*] > 9990`, `$[*] == 5`),
 * followed in the message's bytes as protobuf-wire.ts reads them, for the any-step probe
 * (any-step-probe.ts). protobuf-wire.ts shows a message as an object keyed by field number, a
 * field seen more than once as a list of its values; a varint as a number (up to 7 bytes: the
 * unsigned value; 8 to 10: signed 64-bit, digits past 2^53: UNSURE here); fixed64 and fixed32 as objects
 * ({$fixed64, double}, {$fixed32, float}); a length-delimited field as '' when empty, as text
 * when it is printable, else an object (a nested message, {$packed}, {$bytes}: which one does not
 * matter where it is a value [*] selects, every one is an object).
 * Paths read: `$[*]` (the message's fields) and `$['N'][*]` (field N: the values of a field seen
 * more than once; else what [*] selects in its one value: nothing in a number or in text that
 * cannot hold JSON, the fields of a nested message). UNSURE (the message is decoded) at groups,
 * tags over 5 bytes, printable text with a byte from 0x80 (read as UTF-8 here: not followed),
 * text that may hold JSON, fixed64 and fixed32 under [*] (their digits and double), a
 * length-delimited field that is not text nor a message (packed or bytes: Base64 and length),
 * over MAX_FIELDS fields, and anything that does not read as fields. Relied on only for a message
 * the decoder calls valid.
 */
import { holdsWhenAbsent, type QueryClause } from '../../shared/decoded-query';
import { CONTAINER, UNSURE, mayHold, pastString, type AnyProbeStep, type Probed } from './value-probe';

/** The largest field number (2^29 - 1). */
const MAX_FIELD = 536_870_911;
/** Fields of one message read for `$[*]` (each compared with the others for repeats). */
const MAX_FIELDS = 32;

/** The field numbers a path of [*] reads: undefined for `$[*]`, N for `$['N'][*]`; false: not read here. */
export function wireAnyField(steps: readonly AnyProbeStep[]): number | undefined | false {
  const [first, second] = steps;
  if (steps.length === 1 && first?.kind === 'any') return undefined;
  if (steps.length !== 2 || first?.kind !== 'key' || second?.kind !== 'any' || !/^[1-9]\d*$/.test(first.name)) return false;
  const number = Number(first.name);
  return number <= MAX_FIELD ? number : false;
}

/** Set by readVarint: the value (a number: exact below 2^53; past it only compared with lengths) and the bytes it took. */
let varintValue = 0;
let varintBytes = 0;

/** Where the varint at `at` ends (-1: past `end` or past 10 bytes). */
function readVarint(bytes: Buffer, at: number, end: number): number {
  let value = 0;
  let scale = 1;
  for (let k = 0; k < 10; k++) {
    if (at + k >= end) return -1;
    const byte = bytes[at + k] ?? 0;
    value += (byte & 0x7f) * scale;
    scale *= 0x80;
    if (byte < 0x80) {
      varintValue = value;
      varintBytes = k + 1;
      return at + k + 1;
    }
  }
  return -1;
}

/**
 * A varint field's value as protobuf-wire.ts's varintNumber shows it; UNSURE past the safe range,
 * where its digits are a 64-bit integer a query compares as one (shared/int64-digits.ts).
 */
function varintAt(bytes: Buffer, at: number, size: number): Probed {
  if (size <= 7) {
    let value = 0;
    for (let k = size - 1; k >= 0; k--) value = value * 0x80 + ((bytes[at + k] ?? 0) & 0x7f);
    return value;
  }
  let raw = 0n;
  for (let k = size - 1; k >= 0; k--) raw = (raw << 7n) | BigInt((bytes[at + k] ?? 0) & 0x7f);
  const signed = BigInt.asIntN(64, raw);
  return signed <= BigInt(Number.MAX_SAFE_INTEGER) && signed >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(signed) : UNSURE;
}

/** Printable ASCII as protobuf-wire.ts's printableText reads it: 1 text, 0 not text, -1 a byte from 0x80 (UNSURE here). */
function asciiText(bytes: Buffer, at: number, end: number): number {
  for (let k = at; k < end; k++) {
    const byte = bytes[k] ?? 0;
    if (byte >= 0x80) return -1;
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) return 0;
  }
  return 1;
}

/** One message's fields as read by readFields: where each value starts and ends, its wire type and field number. */
interface Fields {
  numbers: number[];
  wires: number[];
  starts: number[];
  ends: number[];
}

/** Reads the fields of [at, end) into `out` (emptied first); false where it cannot (see the file comment). */
function readFields(bytes: Buffer, at: number, end: number, out: Fields, most: number): boolean {
  out.numbers.length = 0;
  out.wires.length = 0;
  out.starts.length = 0;
  out.ends.length = 0;
  let next = at;
  while (next < end) {
    if (out.numbers.length >= most) return false;
    const tagEnd = readVarint(bytes, next, end);
    if (tagEnd < 0 || varintBytes > 5) return false;
    const wire = varintValue % 8;
    const number = Math.floor(varintValue / 8);
    if (number === 0 || number > MAX_FIELD) return false;
    let valueEnd: number;
    if (wire === 0) valueEnd = readVarint(bytes, tagEnd, end);
    else if (wire === 1 || wire === 5) valueEnd = tagEnd + (wire === 1 ? 8 : 4) <= end ? tagEnd + (wire === 1 ? 8 : 4) : -1;
    else if (wire === 2) {
      const bodyAt = readVarint(bytes, tagEnd, end);
      valueEnd = bodyAt >= 0 && varintValue <= end - bodyAt ? bodyAt + varintValue : -1;
    } else return false;
    if (valueEnd < 0) return false;
    out.numbers.push(number);
    out.wires.push(wire);
    // A length-delimited value starts at its body (after the length).
    out.starts.push(wire === 2 ? valueEnd - varintValue : tagEnd);
    out.ends.push(valueEnd);
    next = valueEnd;
  }
  return true;
}

/** A field's one value as a [*] selects it (a leaf). */
function leafValue(bytes: Buffer, wire: number, start: number, end: number): Probed {
  if (wire === 0) return varintAt(bytes, start, end - start);
  if (wire !== 2) return CONTAINER;
  if (start === end) return '';
  const text = asciiText(bytes, start, end);
  return text === 1 ? bytes.toString('latin1', start, end) : text === 0 ? CONTAINER : UNSURE;
}

const top: Fields = { numbers: [], wires: [], starts: [], ends: [] };
const inner: Fields = { numbers: [], wires: [], starts: [], ends: [] };

/** Set by fieldsMayHold: whether it selected a value. */
let selectedAny = false;

/** Whether the clause may hold for a value of the message's fields (a field seen again: its list); true when unsure. */
function fieldsMayHold(bytes: Buffer, fields: Fields, test: QueryClause['test']): boolean {
  const count = fields.numbers.length;
  for (let i = 0; i < count; i++) {
    const number = fields.numbers[i];
    let seen = 0;
    for (let j = 0; j < count; j++) if (fields.numbers[j] === number) seen++;
    selectedAny = true;
    const found = seen > 1 ? CONTAINER : leafValue(bytes, fields.wires[i] ?? 0, fields.starts[i] ?? 0, fields.ends[i] ?? 0);
    if (mayHold(found, test)) return true;
  }
  return false;
}

/** Whether a clause `$[*]…` (field undefined) or `$['N'][*]…` may hold in the message at [start, end); see the file comment. */
export function wireAnyMayHold(bytes: Buffer, start: number, end: number, field: number | undefined, test: QueryClause['test']): boolean {
  selectedAny = false;
  if (!readFields(bytes, start, end, top, field === undefined ? MAX_FIELDS : Number.MAX_SAFE_INTEGER)) return true;
  if (field === undefined) return fieldsMayHold(bytes, top, test) || (!selectedAny && holdsWhenAbsent(test));
  let seen = 0;
  let last = -1;
  for (let i = 0; i < top.numbers.length; i++) {
    if (top.numbers[i] !== field) continue;
    seen++;
    last = i;
  }
  if (seen > 1) {
    // A list: [*] selects each value.
    for (let i = 0; i < top.numbers.length; i++) {
      if (top.numbers[i] === field && mayHold(leafValue(bytes, top.wires[i] ?? 0, top.starts[i] ?? 0, top.ends[i] ?? 0), test)) return true;
    }
    return false;
  }
  if (seen === 0) return holdsWhenAbsent(test);
  const wire = top.wires[last] ?? 0;
  const at = top.starts[last] ?? 0;
  const to = top.ends[last] ?? 0;
  // A number has no values; fixed64 and fixed32 show their digits and float.
  if (wire === 0) return holdsWhenAbsent(test);
  if (wire !== 2) return true;
  if (at === to) return holdsWhenAbsent(test);
  const text = asciiText(bytes, at, to);
  if (text === -1) return true;
  // Text: [*] goes on into JSON text it may hold, else selects nothing.
  if (text === 1) return pastString(bytes, at, to) === UNSURE || holdsWhenAbsent(test);
  // Not text: a nested message when every byte reads as fields (else packed or bytes: not read here).
  if (!readFields(bytes, at, to, inner, MAX_FIELDS)) return true;
  return fieldsMayHold(bytes, inner, test) || (!selectedAny && holdsWhenAbsent(test));
}
