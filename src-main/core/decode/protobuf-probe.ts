/**
 * A query path in a Protocol Buffers message (value-probe.ts). The decoded value is always an
 * object (protobuf-decoder.ts), keyed
 * - without a schema, by field numbers in digits ("1" … "536870911", protobuf-wire.ts);
 * - with one message type, by the names of that type's fields (protobuf-schema.ts: protobufjs's
 *   toObject writes only those, and only fields the message has).
 * So a name that cannot be a key, or an index, selects nothing in any valid message: the answer
 * is the same for every message (`constant`). Without a schema any other name is UNSURE.
 *
 * With a schema, a path of singular fields (through singular message fields, to a field of a
 * type read here) is followed in the bytes as protobufjs 8's generated decoder reads them:
 * fields in order, a field whose wire type is not its type's skipped as unknown, the last value
 * kept, a message field's occurrences merged, and a field without presence (proto3's implicit
 * presence) deleted again by a default value (0, false, '', +0.0). UNSURE (the message is
 * decoded) at a repeated or map field anywhere, a group, a oneof member on the path, an enum,
 * a 64-bit or bytes field at the end, a tag longer than 4 bytes, a varint longer than 10, and
 * bad UTF-8. A path that goes on past a string field is read the same way to that field's last
 * value, which is UNSURE when it may hold a JSON object or array the query goes on into
 * (value-probe.ts pastString), else ABSENT; past an enum it is ABSENT unless one of its names
 * may, past bytes ({$bytes, length}) UNSURE for `length`. A name in a google.protobuf.Any is
 * UNSURE (toObject may show the message it packs instead). protobufjs's readers consume what the wire format says for every message it
 * accepts (lengths are checked, a nested message must end at its length), and a message it
 * refuses matches nothing, so any answer is right for it.
 *
 * A path of singular message fields ending in `[*]` (`$.data[*]`, `$[*]`; protobufAnyFields)
 * selects the values of the fields the message there has, as toObject writes only those: each
 * field of that type read as a path of its own (above), when every field of the type is one read
 * here (a singular field of a type in READ_TYPES or a message, no oneof member but proto3's
 * `optional`); else no probe.
 */
import protobuf from 'protobufjs';
import { isJsonSpace, opensJsonContainer } from '../../shared/json-text-value';
import { ABSENT, CONTAINER, UNSURE, floatValue, pastString, textAt, type AnyProbeStep, type ProbeStep, type Probed } from './value-probe';

/** The largest field number (2^29 - 1). */
const MAX_FIELD = 536_870_911;

/** The well-known type protobufjs's toObject unpacks (wrappers.js), not shown as its own fields. */
const ANY_TYPE = '.google.protobuf.Any';

/** Field types read at the end of a path, with their wire type. */
const READ_TYPES: Readonly<Record<string, number>> = { double: 1, float: 5, int32: 0, uint32: 0, sint32: 0, fixed32: 5, sfixed32: 5, bool: 0, string: 2 };

export type MessageProbe = (bytes: Buffer, start: number, end: number) => Probed;

/** The answer for every valid message, or how to read one. */
export type ProtobufProbe = { constant: Probed } | { read: MessageProbe };

/** The path in messages of `type` (undefined: read without a schema). */
export function protobufProbe(steps: readonly ProbeStep[], type: protobuf.Type | undefined): ProtobufProbe {
  const first = steps[0];
  if (first === undefined) return { constant: CONTAINER };
  if (first.kind === 'index') return { constant: ABSENT };
  if (first.name === '__proto__') return { constant: UNSURE };
  if (!type) return { constant: /^[1-9]\d*$/.test(first.name) && Number(first.name) <= MAX_FIELD ? UNSURE : ABSENT };
  const fields: protobuf.Field[] = [];
  /** The message type each field is read in. */
  const types: protobuf.Type[] = [];
  let current: protobuf.Type = type;
  for (const [at, step] of steps.entries()) {
    // Each step is in a message object: an index selects nothing, as does a name not among its fields.
    if (step.kind === 'index') return { constant: ABSENT };
    if (step.name === '__proto__') return { constant: UNSURE };
    // protobufjs shows an Any whose type_url names a type of the schema as that message's fields and '@type' (its json wrapper).
    if (current.fullName === ANY_TYPE) return { constant: UNSURE };
    const field = current.fieldsArray.find((f) => f.name === step.name);
    if (!field) return { constant: ABSENT };
    field.resolve();
    if (field.repeated || field.map || field.delimited || (field.partOf && !field.partOf.isProto3Optional)) return { constant: UNSURE };
    fields.push(field);
    types.push(current);
    const nested = field.resolvedType;
    if (at < steps.length - 1) {
      if (nested instanceof protobuf.Type) {
        current = nested;
        continue;
      }
      // A string field's text may hold JSON the rest of the path goes on into: read from the bytes (pastString).
      if (field.type === 'string') {
        const intoText: FieldPath = { fields, types, intoText: true };
        return { read: (bytes, start, end) => readPath(bytes, start, end, intoText) };
      }
      return { constant: pastOtherField(field, steps[at + 1]) };
    } else if (!(nested instanceof protobuf.Type) && (nested !== null || READ_TYPES[field.type] === undefined)) {
      return { constant: UNSURE };
    }
  }
  const path: FieldPath = { fields, types, intoText: false };
  return { read: (bytes, start, end) => readPath(bytes, start, end, path) };
}

/**
 * What a step finds past a field that is neither a message nor a string, in every message: an
 * enum's name holds JSON only if the schema names a value so (the decoder shows a number it has
 * no name for); bytes are {$bytes, length} (json-value.ts), whose `length` is not read here;
 * numbers, bools and 64-bit integers (digits) have nothing under them.
 */
function pastOtherField(field: protobuf.Field, next: ProbeStep | undefined): Probed {
  const nested = field.resolvedType;
  if (nested instanceof protobuf.Enum) return Object.keys(nested.values).some(mayOpenJson) ? UNSURE : ABSENT;
  if (field.type === 'bytes' && next?.kind === 'key' && next.name === 'length') return UNSURE;
  return ABSENT;
}

/** Whether text may hold a JSON object or array (its first character after JSON whitespace opens one). */
function mayOpenJson(text: string): boolean {
  let at = 0;
  while (at < text.length && isJsonSpace(text.charCodeAt(at))) at++;
  return opensJsonContainer(text.charCodeAt(at));
}

/** What the walk last set the path's value to. */
let found: Probed = ABSENT;
/** Set by readVarint: the low 32 bits, unsigned, and whether any bit is set. */
let low32 = 0;
let anyBit = false;

/** Where the varint at `at` ends (-1: past `end` or longer than 10 bytes). */
function readVarint(bytes: Buffer, at: number, end: number): number {
  let value = 0;
  let any = false;
  for (let k = 0; k < 10; k++) {
    if (at + k >= end) return -1;
    const byte = bytes[at + k] ?? 0;
    if (k < 5) value = (value | ((byte & 0x7f) << (7 * k))) >>> 0;
    if ((byte & 0x7f) !== 0) any = true;
    if (byte < 0x80) {
      low32 = value;
      anyBit = any;
      return at + k + 1;
    }
  }
  return -1;
}

/** The path's fields, each with the message type it is read in; intoText: the last is a string field the path goes on into. */
interface FieldPath {
  readonly fields: readonly protobuf.Field[];
  readonly types: readonly protobuf.Type[];
  readonly intoText: boolean;
}

function readPath(bytes: Buffer, start: number, end: number, path: FieldPath): Probed {
  found = ABSENT;
  return readMessage(bytes, start, end, path, 0) < 0 ? UNSURE : found;
}

/** Reads a message's fields from `at` to `end`, following fields[depth]; where it ends, or -1 (UNSURE). */
function readMessage(bytes: Buffer, at: number, end: number, path: FieldPath, depth: number): number {
  const target = path.fields[depth];
  const type = path.types[depth];
  if (!target || !type) return -1;
  let next = at;
  while (next < end) {
    const tagEnd = readVarint(bytes, next, end);
    // Tags over 4 bytes (fields past 2^25) are read by protobufjs with rules of their own.
    if (tagEnd < 0 || tagEnd - next > 4) return -1;
    const id = low32 >>> 3;
    const wire = low32 & 7;
    if (id === 0) return -1;
    const field = type.fieldsById[id];
    if (field && (field.repeated || field.map || field.delimited)) return -1;
    const matches = field !== undefined && wireOf(field) === wire;
    next = tagEnd;
    if (matches && field === target) {
      if (depth < path.fields.length - 1) {
        const bodyAt = readVarint(bytes, next, end);
        if (bodyAt < 0 || low32 > end - bodyAt) return -1;
        const bodyEnd = bodyAt + low32;
        if (readMessage(bytes, bodyAt, bodyEnd, path, depth + 1) !== bodyEnd) return -1;
        next = bodyEnd;
        continue;
      }
      next = readValue(bytes, next, end, field, path.intoText);
    } else {
      next = skipValue(bytes, next, end, wire);
    }
    if (next < 0) return -1;
  }
  return next;
}

/** The wire type a field's type is written with (a message: length-delimited; an enum: varint). */
function wireOf(field: protobuf.Field): number {
  if (field.resolvedType instanceof protobuf.Type) return 2;
  if (field.resolvedType instanceof protobuf.Enum) return 0;
  return (protobuf.types.basic as Record<string, number | undefined>)[field.type] ?? -1;
}

function skipValue(bytes: Buffer, at: number, end: number, wire: number): number {
  switch (wire) {
    case 0:
      return readVarint(bytes, at, end);
    case 1:
      return at + 8 <= end ? at + 8 : -1;
    case 2: {
      const bodyAt = readVarint(bytes, at, end);
      return bodyAt >= 0 && low32 <= end - bodyAt ? bodyAt + low32 : -1;
    }
    case 5:
      return at + 4 <= end ? at + 4 : -1;
    default:
      // Groups (3, 4) and wire types that do not exist.
      return -1;
  }
}

/**
 * Reads the path's last field at `at` into `found`, as the decoder would set or delete it (with
 * intoText, what the rest of the path finds past the string: pastString); where it ends, or -1.
 */
function readValue(bytes: Buffer, at: number, end: number, field: protobuf.Field, intoText: boolean): number {
  if (field.resolvedType instanceof protobuf.Type) {
    // A message field is set (merged) by every occurrence: an object.
    found = CONTAINER;
    return skipValue(bytes, at, end, 2);
  }
  let value: Probed;
  let isDefault: boolean;
  let next: number;
  switch (field.type) {
    case 'double':
    case 'float': {
      const size = field.type === 'double' ? 8 : 4;
      if (at + size > end) return -1;
      const number = size === 8 ? bytes.readDoubleLE(at) : bytes.readFloatLE(at);
      // +0 alone is a default (the decoder keeps -0 and NaN).
      isDefault = Object.is(number, 0);
      value = floatValue(number);
      next = at + size;
      break;
    }
    case 'fixed32':
    case 'sfixed32': {
      if (at + 4 > end) return -1;
      const number = field.type === 'fixed32' ? bytes.readUInt32LE(at) : bytes.readInt32LE(at);
      isDefault = number === 0;
      value = number;
      next = at + 4;
      break;
    }
    case 'string': {
      const bodyAt = readVarint(bytes, at, end);
      if (bodyAt < 0 || low32 > end - bodyAt) return -1;
      next = bodyAt + low32;
      if (intoText) {
        // The last occurrence decides; an empty string (deleted or not) holds no JSON.
        found = pastString(bytes, bodyAt, next);
        return next;
      }
      value = textAt(bytes, bodyAt, next);
      if (value === UNSURE) return -1;
      isDefault = value === '';
      break;
    }
    default: {
      // int32, uint32, sint32, bool: varints, their low 32 bits (a bool: any bit set).
      next = readVarint(bytes, at, end);
      if (next < 0) return -1;
      value = field.type === 'bool' ? anyBit : field.type === 'uint32' ? low32 : field.type === 'int32' ? low32 | 0 : ((low32 >>> 1) ^ -(low32 & 1)) | 0;
      isDefault = value === 0 || value === false;
    }
  }
  found = field.hasPresence || !isDefault ? value : ABSENT;
  return next;
}

/**
 * For a path of singular message fields then `[*]` in messages of `type`: one read per field of
 * the message type the path reaches, each what that field's own path finds (ABSENT: the message
 * does not have it, and `[*]` does not select it). Undefined when the path is not of that form or
 * a field of that type is not read here (see the file comment).
 */
export function protobufAnyFields(steps: readonly AnyProbeStep[], type: protobuf.Type): MessageProbe[] | undefined {
  const last = steps[steps.length - 1];
  if (last?.kind !== 'any') return undefined;
  const head: ProbeStep[] = [];
  let current = type;
  for (const step of steps.slice(0, -1)) {
    if (step.kind !== 'key' || current.fullName === ANY_TYPE) return undefined;
    const field = current.fieldsArray.find((f) => f.name === step.name);
    if (!field) return undefined;
    field.resolve();
    const nested = field.resolvedType;
    if (!(nested instanceof protobuf.Type) || field.repeated || field.map || field.delimited || (field.partOf && !field.partOf.isProto3Optional)) return undefined;
    head.push(step);
    current = nested;
  }
  if (current.fullName === ANY_TYPE) return undefined;
  // At the top, `[*]` also selects the fields the type does not have, when there are any.
  const reads: MessageProbe[] = head.length === 0 ? [unknownFieldsRead(type)] : [];
  for (const field of current.fieldsArray) {
    field.resolve();
    const nested = field.resolvedType;
    if (field.repeated || field.map || field.delimited || (field.partOf && !field.partOf.isProto3Optional)) return undefined;
    if (!(nested instanceof protobuf.Type) && (nested !== null || READ_TYPES[field.type] === undefined)) return undefined;
    const probe = protobufProbe([...head, { kind: 'key', name: field.name, utf8: Buffer.from(field.name, 'utf8') }], type);
    if (!('read' in probe)) return undefined;
    reads.push(probe.read);
  }
  return reads;
}

/**
 * Whether a message of `type` may show fields the type does not have (protobuf-schema.ts's
 * UNKNOWN_FIELDS): UNSURE (decoded) when a top-level tag is not one of its fields, or is read
 * with another wire type than its field's (protobufjs keeps such fields too), or is not read
 * here; else ABSENT.
 */
function unknownFieldsRead(type: protobuf.Type): MessageProbe {
  const wires = new Map<number, number>();
  for (const field of type.fieldsArray) wires.set(field.id, wireOf(field.resolve()));
  return (bytes, start, end) => {
    let at = start;
    while (at < end) {
      const tagEnd = readVarint(bytes, at, end);
      if (tagEnd < 0 || tagEnd - at > 4) return UNSURE;
      const wire = low32 & 7;
      if (wires.get(low32 >>> 3) !== wire) return UNSURE;
      at = skipValue(bytes, tagEnd, end, wire);
      if (at < 0) return UNSURE;
    }
    return ABSENT;
  };
}
