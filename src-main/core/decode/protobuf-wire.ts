/**
 * Protocol Buffers without a schema: the wire format read field by field (field number, wire
 * type, value) and each value's type guessed, as protoscope and protobuf-inspector do:
 * - varint: a number (read as signed 64-bit: negatives of int32/int64 come back negative;
 *   past 2^53 as its digits, marked so a query compares them as the integer: int64-digits.ts);
 * - fixed64 / fixed32: {$fixed64: digits (text to a query), double} / {$fixed32, float};
 * - length-delimited: printable UTF-8 text as a string, else a nested message when every byte
 *   reads as fields, else packed varints ({$packed: […]}), else {$bytes}; groups as messages.
 * A message is an object keyed by field number ("1", "2" …), a repeated field a list. These are
 * guesses (a string of letters can also read as a message), which is why text wins first.
 */
import { isInt64, markInt64 } from '../../shared/int64-digits';
import { bytesValue, type JsonValue } from './json-value';

/** Nested messages are guessed to this depth; deeper ones stay bytes. */
const MAX_NESTING = 32;

type JsonObject = { [key: string]: JsonValue };

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'group start', 'group end', 'fixed32'] as const;

export type WireRead = { value: JsonObject; fields: { number: number; guessed: string }[] } | { problem: string };

class Cursor {
  at: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.at = start;
  }

  /**
   * A varint: a number when it is 7 bytes or fewer (under 2^49, exact), else a bigint (BigInt
   * arithmetic is many times slower, and nearly every varint is short); undefined when it runs
   * past the end or past 10 bytes.
   */
  varint(): number | bigint | undefined {
    let result = 0;
    let scale = 1;
    const start = this.at;
    for (let i = 0; i < 7; i++) {
      if (this.at >= this.end) return undefined;
      const byte = this.bytes[this.at++] ?? 0;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 0x80;
    }
    this.at = start;
    return this.bigVarint();
  }

  private bigVarint(): bigint | undefined {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.end) return undefined;
      const byte = this.bytes[this.at++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
    return undefined;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text a person would read: UTF-8 without control characters other than tab and line ends. */
function printableText(bytes: Uint8Array): string | undefined {
  // ASCII (most text) is read here: printable bytes, tab and line ends as themselves, any other control byte not text.
  let ascii = true;
  for (const byte of bytes) {
    if (byte >= 0x80) {
      ascii = false;
      break;
    }
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) return undefined;
  }
  if (ascii) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

function varintNumber(raw: number | bigint): JsonValue {
  // A number here is under 2^49: the same as a bigint read as signed 64-bit.
  if (typeof raw === 'number') return raw;
  const signed = BigInt.asIntN(64, raw);
  return signed <= BigInt(Number.MAX_SAFE_INTEGER) && signed >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(signed) : signed.toString();
}

function packedVarints(bytes: Uint8Array): JsonValue[] | undefined {
  const cursor = new Cursor(bytes, 0, bytes.byteLength);
  const out: JsonValue[] = [];
  while (cursor.at < cursor.end) {
    const value = cursor.varint();
    if (value === undefined) return undefined;
    const shown = varintNumber(value);
    // Digits (past 2^53) are a 64-bit integer's.
    if (typeof shown === 'string') markInt64(out, out.length);
    out.push(shown);
  }
  return out;
}

/** Eight bytes to read fixed-size values from (little-endian), without a view made per field. */
const fixedBytes = new DataView(new ArrayBuffer(8));

/** A fixed64 as its unsigned digits and a double, a fixed32 as its unsigned value and a float. */
function fixedValue(bytes: Uint8Array, at: number, size: 4 | 8): JsonValue {
  for (let k = 0; k < size; k++) fixedBytes.setUint8(k, bytes[at + k] ?? 0);
  if (size === 4) return { $fixed32: fixedBytes.getUint32(0, true), float: fixedBytes.getFloat32(0, true) };
  const low = fixedBytes.getUint32(0, true);
  const high = fixedBytes.getUint32(4, true);
  // Under 2^53 the digits are a number's (BigInt only for larger ones).
  const digits = high < 0x200000 ? String(high * 0x100000000 + low) : fixedBytes.getBigUint64(0, true).toString();
  // Not marked as a 64-bit integer (int64-digits.ts): a mark per fixed64 cost every message
  // holding a double about 0.3 µs to read; `double` is the number to compare.
  return { $fixed64: digits, double: fixedBytes.getFloat64(0, true) };
}

/**
 * A field seen again becomes a list (no single field value is a list, so a list means repeated).
 * `int64`: the value is a varint's digits, marked where it lands (the list's items keep theirs).
 */
function add(target: JsonObject, key: string, value: JsonValue, int64: boolean): void {
  const had = target[key];
  if (had === undefined) {
    target[key] = value;
    if (int64) markInt64(target, key);
  } else if (Array.isArray(had)) {
    if (int64) markInt64(had, had.length);
    had.push(value);
  } else {
    const list = [had, value];
    if (isInt64(target, key)) markInt64(list, 0);
    if (int64) markInt64(list, 1);
    target[key] = list;
  }
}

/**
 * Reads fields from `start` to `end` (or to the group end of `group`). Problems say what and
 * where, with byte offsets counted from the message's start.
 */
function readFields(bytes: Uint8Array, start: number, end: number, depth: number, group?: number): { value: JsonObject; fields: { number: number; guessed: string }[]; end: number } | { problem: string } {
  const cursor = new Cursor(bytes, start, end);
  const value: JsonObject = {};
  const fields: { number: number; guessed: string }[] = [];
  while (cursor.at < end) {
    const tagAt = cursor.at;
    const tag = cursor.varint();
    if (tag === undefined) return { problem: `the field tag at byte ${tagAt} runs past the end of the message` };
    const wire = typeof tag === 'number' ? tag % 8 : Number(tag & 7n);
    const number = typeof tag === 'number' ? Math.floor(tag / 8) : Number(tag >> 3n);
    if (wire > 5) return { problem: `wire type ${wire} at byte ${tagAt} does not exist (field ${number})` };
    if (number === 0 || number > 536_870_911) return { problem: `field number ${number} at byte ${tagAt} is out of range (1–536870911)` };
    const key = String(number);
    const wireName = WIRE_NAMES[wire] ?? '';
    let guessed: string = wireName;
    switch (wire) {
      case 0: {
        const raw = cursor.varint();
        if (raw === undefined) return { problem: `field ${number}'s varint at byte ${tagAt} runs past the end of the message (or is longer than 10 bytes)` };
        const shown = varintNumber(raw);
        add(value, key, shown, typeof shown === 'string');
        break;
      }
      case 1:
      case 5: {
        const size = wire === 1 ? 8 : 4;
        if (cursor.at + size > end) return { problem: `field ${number} (${wireName}) at byte ${tagAt} needs ${size} B, ${end - cursor.at} B are left` };
        add(value, key, fixedValue(bytes, cursor.at, size), false);
        cursor.at += size;
        break;
      }
      case 2: {
        const lengthAt = cursor.at;
        const length = cursor.varint();
        if (length === undefined) return { problem: `field ${number}'s length at byte ${lengthAt} runs past the end of the message` };
        if (Number(length) > end - cursor.at) return { problem: `field ${number} at byte ${tagAt} says ${length} B, but ${end - cursor.at} B are left (truncated, or a length is wrong)` };
        const body = bytes.subarray(cursor.at, cursor.at + Number(length));
        const read = lengthDelimited(body, depth);
        guessed = read.guessed;
        add(value, key, read.value, false);
        cursor.at += Number(length);
        break;
      }
      case 3: {
        if (depth >= MAX_NESTING) return { problem: `groups nested deeper than ${MAX_NESTING} at byte ${tagAt}` };
        const inner = readFields(bytes, cursor.at, end, depth + 1, number);
        if ('problem' in inner) return inner;
        add(value, key, inner.value, false);
        guessed = 'group';
        cursor.at = inner.end;
        break;
      }
      case 4:
        if (group !== number) return { problem: `a group end for field ${number} at byte ${tagAt} with no group ${number} open` };
        return { value, fields, end: cursor.at };
    }
    fields.push({ number, guessed });
  }
  if (group !== undefined) return { problem: `group ${group} is not closed before the end of the message` };
  return { value, fields, end: cursor.at };
}

function lengthDelimited(body: Uint8Array, depth: number): { value: JsonValue; guessed: string } {
  if (body.byteLength === 0) return { value: '', guessed: 'empty' };
  const text = printableText(body);
  if (text !== undefined) return { value: text, guessed: 'string' };
  if (depth < MAX_NESTING) {
    const nested = readFields(body, 0, body.byteLength, depth + 1);
    if (!('problem' in nested)) return { value: nested.value, guessed: 'message' };
  }
  const packed = packedVarints(body);
  if (packed) return { value: { $packed: packed }, guessed: 'packed' };
  return { value: bytesValue(body), guessed: 'bytes' };
}

/** The message's fields with guessed types, or "what and where" when the bytes are not a message. */
export function readWireMessage(bytes: Uint8Array): WireRead {
  const read = readFields(bytes, 0, bytes.byteLength, 0);
  if ('problem' in read) return read;
  return { value: read.value, fields: read.fields };
}

/** One field of a message as it lies in the bytes: its number and wire type, and a length-delimited field's body. */
export interface WireSpan {
  readonly number: number;
  readonly wire: number;
  /** Where the tag starts (counted from the start of the bytes given). */
  readonly at: number;
  /** A length-delimited field's body, [start, end). */
  readonly body?: { readonly start: number; readonly end: number };
}

/**
 * The fields from `start` to `end` as they lie (no values guessed), or where the wire structure
 * breaks, in readFields's words (byte offsets counted from the start of `bytes`). A schema's
 * decode that fails is explained with this (protobuf-schema.ts: protobufjs says only "index out
 * of range"), and a descriptor set that does not load.
 */
export function wireSpans(bytes: Uint8Array, start: number, end: number): { spans: WireSpan[] } | { problem: string } {
  const cursor = new Cursor(bytes, start, end);
  const spans: WireSpan[] = [];
  while (cursor.at < end) {
    const tagAt = cursor.at;
    const tag = cursor.varint();
    if (tag === undefined) return { problem: `the field tag at byte ${tagAt} runs past the end of the message` };
    const wire = typeof tag === 'number' ? tag % 8 : Number(tag & 7n);
    const number = typeof tag === 'number' ? Math.floor(tag / 8) : Number(tag >> 3n);
    if (wire > 5) return { problem: `wire type ${wire} at byte ${tagAt} does not exist (field ${number})` };
    if (number === 0 || number > 536_870_911) return { problem: `field number ${number} at byte ${tagAt} is out of range (1–536870911)` };
    if (wire === 2) {
      const lengthAt = cursor.at;
      const length = cursor.varint();
      if (length === undefined) return { problem: `field ${number}'s length at byte ${lengthAt} runs past the end of the message` };
      if (Number(length) > end - cursor.at) return { problem: `field ${number} at byte ${tagAt} says ${length} B, but ${end - cursor.at} B are left (truncated, or a length is wrong)` };
      spans.push({ number, wire, at: tagAt, body: { start: cursor.at, end: cursor.at + Number(length) } });
      cursor.at += Number(length);
      continue;
    }
    if (wire === 4) return { problem: `a group end for field ${number} at byte ${tagAt} with no group ${number} open` };
    if (wire === 3) {
      // A group is read (checked) whole by readFields and stepped over.
      const inner = readFields(bytes, cursor.at, end, 1, number);
      if ('problem' in inner) return inner;
      cursor.at = inner.end;
    } else if (wire === 0) {
      if (cursor.varint() === undefined) return { problem: `field ${number}'s varint at byte ${tagAt} runs past the end of the message (or is longer than 10 bytes)` };
    } else {
      const size = wire === 1 ? 8 : 4;
      if (cursor.at + size > end) return { problem: `field ${number} (${WIRE_NAMES[wire] ?? ''}) at byte ${tagAt} needs ${size} B, ${end - cursor.at} B are left` };
      cursor.at += size;
    }
    spans.push({ number, wire, at: tagAt });
  }
  return { spans };
}
