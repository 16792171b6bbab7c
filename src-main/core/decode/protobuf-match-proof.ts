/**
 * A Protocol Buffers message proven to match a query without decoding it (match-proof.ts): the
 * side the probe prefilter (protobuf-probe.ts) does not answer, for a query most messages match
 * (`$['2'] >= 0` without a schema, `$.seq >= 0` with one). `true` needs both:
 * - the whole message is read field by field as protobuf-decoder.ts reads it, and is valid there:
 *   - without a schema (protobuf-wire.ts): every tag, varint and length well-formed and inside
 *     the message, no group (wire types 3 and 4 are left to the decoder), no field 0;
 *   - with a schema (protobufjs 8's generated decoder): the same for every field, known ones read
 *     as their type (a wrong wire type skipped as unknown, as protobufjs does), strings valid
 *     UTF-8 (proto3 verifies it), singular message fields read the same way down to MAX_DEPTH;
 * - each clause holds for what its path selects in the decoded value (shared/decoded-query.ts).
 * Without a schema a clause's path is one step, a field number, read from its single occurrence
 * (varints as signed 64-bit numbers; fixed32/64, nested messages, packed and bytes are objects;
 * printable text a string). With a schema it is singular message fields, then a singular field
 * (int32, uint32, sint32, fixed32, sfixed32, the 64-bit integers as the bigint a query selects
 * for their marked digits (shared/int64-digits.ts), bool, float, double, string, bytes and
 * messages as objects), shown as protobufjs's toObject
 * shows it: its last occurrence in any occurrence of the message holding it (they are merged),
 * absent when a field without presence holds its default. A path that selects nothing in any
 * message (a name that is no field, an index) is answered for every message.
 * Anything else answers `false` (decoded as before): tags over 4 bytes (7 without a schema),
 * lengths over 4 bytes, varints over 10, groups, repeated and map fields, required fields, Any,
 * enums, oneof members, paths past a scalar (a string may hold JSON
 * text the path goes on into), and without a schema paths of more than one step. Allocation-free per
 * message except for the text of a string field a clause compares.
 */
import { isUtf8 } from 'node:buffer';
import protobuf from 'protobufjs';
import { holdsForValue, holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import type { MatchProof } from './match-proof';
import { ABSENT, CONTAINER, floatValue, isAscii, probeSteps, surelyHolds, UNSURE, type Probed } from './value-probe';

/** The largest field number (2^29 - 1). */
const MAX_FIELD = 536_870_911;

/** Deepest singular message field read with a schema (protobufjs stops at 100, json-value.ts cuts at 64). */
const MAX_DEPTH = 32;

/** Unpacked by protobufjs's toObject (wrappers.js), which may decode another message there. */
const ANY_TYPE = '.google.protobuf.Any';

type Test = QueryClause['test'];

/** Set by readVarint: the value's low and high 32 bits (unsigned), and whether any bit is set. */
let lo = 0;
let hi = 0;
let anyBit = false;

/** Where the varint at `at` ends, its bits in lo/hi; -1 when it runs past `end` or past 10 bytes. */
function readVarint(bytes: Buffer, at: number, end: number): number {
  if (at >= end) return -1;
  // One byte: most tags, lengths and small numbers.
  const first = bytes[at] ?? 0;
  if (first < 0x80) {
    lo = first;
    hi = 0;
    anyBit = first !== 0;
    return at + 1;
  }
  let low = 0;
  let high = 0;
  let any = false;
  for (let k = 0; k < 10; k++) {
    if (at + k >= end) return -1;
    const byte = bytes[at + k] ?? 0;
    const bits = byte & 0x7f;
    if (bits !== 0) any = true;
    if (k < 4) low |= bits << (7 * k);
    else if (k === 4) {
      low |= (bits & 0x0f) << 28;
      high = bits >>> 4;
    } else if (k < 9) high |= bits << (7 * k - 32);
    else high |= (bits & 1) << 31;
    if (byte < 0x80) {
      lo = low >>> 0;
      hi = high >>> 0;
      anyBit = any;
      return at + k + 1;
    }
  }
  return -1;
}

/** lo/hi as a signed 64-bit number, UNSURE outside the safe range (shown as digits there). */
function signed64(): number | typeof UNSURE {
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  if (hi < 0xffe00000) return UNSURE;
  const value = (hi - 0x100000000) * 0x100000000 + lo;
  return value >= Number.MIN_SAFE_INTEGER ? value : UNSURE;
}


/** What one clause needs: a constant answer for every valid message, or a field to read. */
type Compiled<Target> = { holds: boolean } | { target: Target } | undefined;

/**
 * The proof for this query in messages of `type` (undefined: read without a schema), or
 * undefined when no message can be proven (a clause not read here, or one no message matches).
 */
export function protobufMatchProof(query: DecodedQuery, type: protobuf.Type | undefined): MatchProof | undefined {
  return type ? schemaProof(query, type) : wireProof(query);
}

/** Every clause compiled, or undefined when one is not read here or never holds. */
function compileAll<Target>(query: DecodedQuery, compile: (clause: QueryClause) => Compiled<Target>): Target[] | undefined {
  const targets: Target[] = [];
  for (const clause of query.clauses) {
    const compiled = compile(clause);
    if (compiled === undefined) return undefined;
    if ('holds' in compiled) {
      if (!compiled.holds) return undefined;
    } else targets.push(compiled.target);
  }
  return targets;
}

/** The path's one step as a name, a constant answer, or undefined (not read here). */
function firstName(clause: QueryClause): { name: string } | { holds: boolean } | undefined {
  const steps = probeSteps(clause.path);
  if (!steps) return undefined;
  const [first] = steps;
  // `$` alone selects the message object.
  if (first === undefined) return { holds: holdsForValue(clause.test, CONTAINER) };
  // An index selects nothing in an object, nor does any step after it.
  if (first.kind === 'index') return { holds: holdsWhenAbsent(clause.test) };
  if (first.name === '__proto__') return undefined;
  return { name: first.name };
}

// ---------------------------------------------------------------------------------------------
// Without a schema (protobuf-wire.ts)

interface WireTarget {
  readonly number: number;
  readonly test: Test;
}

function compileWire(clause: QueryClause): Compiled<WireTarget> {
  const first = firstName(clause);
  if (first === undefined || 'holds' in first) return first;
  const isField = /^[1-9]\d*$/.test(first.name) && Number(first.name) <= MAX_FIELD;
  // The message's keys are field numbers in digits: another name selects nothing, here or below.
  if (!isField) return { holds: holdsWhenAbsent(clause.test) };
  // A step below a field may go into a nested message or a string's JSON text: decoded.
  if (clause.path.length > 1) return undefined;
  return { target: { number: Number(first.name), test: clause.test } };
}

function wireProof(query: DecodedQuery): MatchProof | undefined {
  const targets = compileAll(query, compileWire);
  if (!targets) return undefined;
  const count = targets.length;
  const numbers = Int32Array.from(targets, (t) => t.number);
  const seen = new Int32Array(count);
  const wires = new Int32Array(count);
  // Offsets in the slab (a slab may be past 2 GiB: not Int32).
  const valueAt = new Float64Array(count);
  const valueEnd = new Float64Array(count);
  return (slab, start, end, opcode) => {
    if (opcode !== 'binary' && opcode !== 'text') return false;
    seen.fill(0);
    let at = start;
    while (at < end) {
      const tagEnd = readVarint(slab, at, end);
      // The decoder reads tags over 7 bytes as bigints: left to it.
      if (tagEnd < 0 || tagEnd - at > 7) return false;
      const wire = lo & 7;
      const number = hi * 0x20000000 + (lo >>> 3);
      if (number === 0 || number > MAX_FIELD) return false;
      let bodyAt = tagEnd;
      switch (wire) {
        case 0:
          at = readVarint(slab, tagEnd, end);
          if (at < 0) return false;
          break;
        case 1:
        case 5:
          at = tagEnd + (wire === 1 ? 8 : 4);
          if (at > end) return false;
          break;
        case 2:
          bodyAt = readVarint(slab, tagEnd, end);
          if (bodyAt < 0 || hi !== 0 || lo > end - bodyAt) return false;
          at = bodyAt + lo;
          break;
        default:
          // Groups (read as nested fields to their end) and wire types that do not exist.
          return false;
      }
      for (let k = 0; k < count; k++) {
        if (numbers[k] !== number) continue;
        seen[k] = (seen[k] ?? 0) + 1;
        wires[k] = wire;
        valueAt[k] = bodyAt;
        valueEnd[k] = at;
      }
    }
    for (let k = 0; k < count; k++) {
      const found = wireValue(slab, seen[k] ?? 0, wires[k] ?? 0, valueAt[k] ?? 0, valueEnd[k] ?? 0);
      if (!surelyHolds(found, targets[k]?.test)) return false;
    }
    return true;
  };
}

/** What the decoder shows for a field seen `seen` times, the last with this wire type at [at, end). */
function wireValue(bytes: Buffer, seen: number, wire: number, at: number, end: number): Probed {
  if (seen === 0) return ABSENT;
  // A field seen again is a list.
  if (seen > 1) return CONTAINER;
  if (wire === 0) {
    readVarint(bytes, at, end);
    return signed64();
  }
  // {$fixed64, double}, {$fixed32, float}.
  if (wire !== 2) return CONTAINER;
  if (at === end) return '';
  // printableText: a control byte other than tab and line ends anywhere is not text, and the
  // guesses after text (a nested message, packed varints, bytes) are objects all.
  let ascii = true;
  for (let k = at; k < end; k++) {
    const byte = bytes[k] ?? 0;
    if (byte >= 0x80) ascii = false;
    else if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) return CONTAINER;
  }
  if (ascii) return bytes.toString('latin1', at, end);
  if (!isUtf8(bytes.subarray(at, end))) return CONTAINER;
  // Read by a TextDecoder that drops a leading byte order mark.
  const text = bytes.toString('utf8', at, end);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// ---------------------------------------------------------------------------------------------
// With a schema (protobuf-schema.ts: protobufjs decode, then toObject with longs and enums as text)

/** How a field of a type is read. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;
/** Fields read with a length: plain bytes, UTF-8 checked text, a nested message. */
const BYTES = 0;
const TEXT = 1;
const MESSAGE = 2;

interface FieldPlan {
  /** The wire type protobufjs reads the field with; -1: not proven (repeated, map, group, Any, a type with required fields). */
  readonly wire: number;
  readonly body: number;
  /** A message field's type. */
  readonly nested: TypePlan | undefined;
}

interface TypePlan {
  /** protobufjs checks required fields and unpacks Any: not proven. */
  readonly refused: boolean;
  /** Fields by id: up to SMALL_IDS in a list (faster to look up), the rest in a map. */
  readonly small: (FieldPlan | undefined)[];
  readonly large: Map<number, FieldPlan>;
}

const SMALL_IDS = 256;

const REFUSED: FieldPlan = { wire: -1, body: BYTES, nested: undefined };

/** The wire type of each scalar type protobufjs reads (types.basic). */
const SCALAR_WIRE: Readonly<Record<string, number>> = {
  double: FIXED64,
  float: FIXED32,
  int32: VARINT,
  uint32: VARINT,
  sint32: VARINT,
  int64: VARINT,
  uint64: VARINT,
  sint64: VARINT,
  fixed32: FIXED32,
  sfixed32: FIXED32,
  fixed64: FIXED64,
  sfixed64: FIXED64,
  bool: VARINT,
  string: LENGTH,
  bytes: LENGTH,
};

/** How each field of `type` is read (types that hold themselves share their plan). */
function planOf(type: protobuf.Type, plans: Map<protobuf.Type, TypePlan>): TypePlan {
  const known = plans.get(type);
  if (known) return known;
  const refused = type.fullName === ANY_TYPE || type.fieldsArray.some((field) => field.required);
  const plan: TypePlan = { refused, small: Array.from({ length: SMALL_IDS }, () => undefined), large: new Map() };
  plans.set(type, plan);
  for (const field of type.fieldsArray) {
    const read = fieldPlan(field.resolve(), plans);
    if (field.id < SMALL_IDS) plan.small[field.id] = read;
    else plan.large.set(field.id, read);
  }
  return plan;
}

function fieldPlan(field: protobuf.Field, plans: Map<protobuf.Type, TypePlan>): FieldPlan {
  if (field.repeated || field.map || field.delimited) return REFUSED;
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    const nested = planOf(resolved, plans);
    return nested.refused ? REFUSED : { wire: LENGTH, body: MESSAGE, nested };
  }
  if (resolved instanceof protobuf.Enum) return { wire: VARINT, body: BYTES, nested: undefined };
  const wire = SCALAR_WIRE[field.type];
  if (wire === undefined) return REFUSED;
  return { wire, body: field.type === 'string' ? TEXT : BYTES, nested: undefined };
}

interface SchemaTarget {
  /** The field ids on the path: singular message fields, then the field read. */
  readonly ids: Int32Array;
  /** The field's scalar type, or 'message'. */
  readonly type: string;
  /** Whether protobufjs keeps a default value read (else the field is left out). */
  readonly presence: boolean;
  readonly test: Test;
}

/** Field types whose shown value is read here. */
const TARGET_TYPES = new Set(['double', 'float', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64', 'bool', 'string', 'bytes']);

function compileSchema(type: protobuf.Type, clause: QueryClause): Compiled<SchemaTarget> {
  const first = firstName(clause);
  if (first === undefined || 'holds' in first) return first;
  const steps = probeSteps(clause.path) ?? [];
  const ids: number[] = [];
  let current = type;
  for (const [at, step] of steps.entries()) {
    // Each step is in a message object: an index selects nothing, here or below.
    if (step.kind === 'index') return { holds: holdsWhenAbsent(clause.test) };
    if (step.name === '__proto__' || current.fullName === ANY_TYPE) return undefined;
    const field = current.fieldsArray.find((f) => f.name === step.name);
    // toObject writes only the type's fields: another name selects nothing, here or below.
    if (!field) return { holds: holdsWhenAbsent(clause.test) };
    field.resolve();
    // A oneof's members are set and cleared by its setter; proto3's optional is a oneof of one.
    if (field.repeated || field.map || field.delimited || (field.partOf && !field.partOf.isProto3Optional)) return undefined;
    ids.push(field.id);
    const resolved = field.resolvedType;
    if (at < steps.length - 1) {
      // Past a scalar (a string may hold JSON text the path goes on into): decoded.
      if (!(resolved instanceof protobuf.Type)) return undefined;
      current = resolved;
      continue;
    }
    // An enum's type is its name, not among TARGET_TYPES (toObject shows the value's name).
    if (!(resolved instanceof protobuf.Type) && !TARGET_TYPES.has(field.type)) return undefined;
    return { target: { ids: Int32Array.from(ids), type: resolved instanceof protobuf.Type ? 'message' : field.type, presence: field.hasPresence, test: clause.test } };
  }
  return undefined;
}

function schemaProof(query: DecodedQuery, type: protobuf.Type): MatchProof | undefined {
  if (type.fullName === ANY_TYPE) return undefined;
  const plan = planOf(type, new Map());
  if (plan.refused) return undefined;
  const targets = compileAll(query, (clause) => compileSchema(type, clause));
  // Targets are followed as bits of a mask.
  if (!targets || targets.length > 30) return undefined;
  const count = targets.length;
  /** Where each target's last occurrence (with its type's wire type) starts; -1: none. */
  const lastAt = new Float64Array(count);
  const walk = new SchemaWalk(targets.map((t) => t.ids), lastAt);
  const all = (1 << count) - 1;
  return (slab, start, end, opcode) => {
    if (opcode !== 'binary' && opcode !== 'text') return false;
    lastAt.fill(-1);
    if (!walk.message(slab, start, end, plan, 0, all)) return false;
    for (let k = 0; k < count; k++) {
      const target = targets[k];
      if (!target) return false;
      const shown = shownValue(slab, end, lastAt[k] ?? -1, target);
      if (typeof shown === 'bigint' ? !holdsForValue(target.test, shown) : !surelyHolds(shown, target.test)) return false;
    }
    return true;
  };
}

class SchemaWalk {
  constructor(
    private readonly paths: readonly Int32Array[],
    private readonly lastAt: Float64Array,
  ) {}

  /**
   * Whether protobufjs reads [at, end) as a message of this plan without an error; `targets`:
   * the targets whose path led here (bits), whose next field is noted when read. A message
   * field's occurrences are merged, so the last occurrence of a field inside any of them is shown.
   */
  message(bytes: Buffer, at: number, end: number, plan: TypePlan, depth: number, targets: number): boolean {
    while (at < end) {
      const tagEnd = readVarint(bytes, at, end);
      // Tags over 4 bytes are read by protobufjs with rules of their own (Reader#tag).
      if (tagEnd < 0 || tagEnd - at > 4) return false;
      const id = lo >>> 3;
      const wire = lo & 7;
      if (id === 0) return false;
      const field = id < SMALL_IDS ? plan.small[id] : plan.large.get(id);
      if (field === REFUSED) return false;
      const valueAt = tagEnd;
      if (field !== undefined && field.wire === wire) {
        const inside = targets === 0 ? 0 : this.note(id, valueAt, depth, targets);
        at = this.value(bytes, tagEnd, end, field, depth, inside);
        if (at < 0) return false;
      } else {
        // Not a field of the type, or another wire type: skipped as unknown.
        at = skip(bytes, tagEnd, end, wire);
        if (at < 0) return false;
      }
    }
    return true;
  }

  /** Notes the field for targets that end with it; the targets whose path goes on inside it. */
  private note(id: number, at: number, depth: number, targets: number): number {
    let inside = 0;
    for (let k = 0; k < this.paths.length; k++) {
      const path = this.paths[k];
      if ((targets & (1 << k)) === 0 || !path || path[depth] !== id) continue;
      if (depth === path.length - 1) this.lastAt[k] = at;
      else inside |= 1 << k;
    }
    return inside;
  }

  /** Where the field's value at `at` ends, read as protobufjs reads it; -1 when that would fail. */
  private value(bytes: Buffer, at: number, end: number, field: FieldPlan, depth: number, targets: number): number {
    if (field.wire !== LENGTH) return skip(bytes, at, end, field.wire);
    const bodyAt = readLength(bytes, at, end);
    if (bodyAt < 0) return -1;
    const bodyEnd = bodyAt + lo;
    if (field.body === TEXT) {
      // proto3 strings are verified UTF-8 (a bad one fails the message); proto2 ones are not, but decoded either way.
      if (!isAscii(bytes, bodyAt, bodyEnd) && !isUtf8(bytes.subarray(bodyAt, bodyEnd))) return -1;
    } else if (field.body === MESSAGE) {
      if (depth + 1 > MAX_DEPTH || !field.nested || !this.message(bytes, bodyAt, bodyEnd, field.nested, depth + 1, targets)) return -1;
    }
    return bodyEnd;
  }
}

/** Where a length-delimited value's body starts (its length in lo); -1 past the end or with a length over 4 bytes. */
function readLength(bytes: Buffer, at: number, end: number): number {
  const bodyAt = readVarint(bytes, at, end);
  // Lengths over 4 bytes are read by protobufjs with rules of their own (Reader#size).
  if (bodyAt < 0 || bodyAt - at > 4 || lo > end - bodyAt) return -1;
  return bodyAt;
}

/** Where a value of this wire type at `at` ends; -1 past the end, for groups and for wire types that do not exist. */
function skip(bytes: Buffer, at: number, end: number, wire: number): number {
  switch (wire) {
    case VARINT:
      return readVarint(bytes, at, end);
    case FIXED64:
      return at + 8 <= end ? at + 8 : -1;
    case LENGTH: {
      const bodyAt = readLength(bytes, at, end);
      return bodyAt < 0 ? -1 : bodyAt + lo;
    }
    case FIXED32:
      return at + 4 <= end ? at + 4 : -1;
    default:
      return -1;
  }
}

/**
 * What a query selects for the field whose last occurrence's value starts at `at` (-1: none):
 * what toObject shows, a 64-bit integer as a bigint.
 */
function shownValue(bytes: Buffer, end: number, at: number, field: SchemaTarget): Probed | bigint {
  if (at < 0) return ABSENT;
  let value: Probed | bigint;
  let isDefault: boolean;
  switch (field.type) {
    case 'message':
      // Every occurrence of a message field sets (merges) it.
      return CONTAINER;
    case 'double':
    case 'float': {
      const number = field.type === 'double' ? bytes.readDoubleLE(at) : bytes.readFloatLE(at);
      // +0 alone is a default (protobufjs keeps -0 and NaN).
      isDefault = Object.is(number, 0);
      value = floatValue(number);
      break;
    }
    case 'fixed32':
    case 'sfixed32':
      value = field.type === 'fixed32' ? bytes.readUInt32LE(at) : bytes.readInt32LE(at);
      isDefault = value === 0;
      break;
    case 'string':
    case 'bytes': {
      const bodyAt = readVarint(bytes, at, end);
      const bodyEnd = bodyAt + lo;
      isDefault = bodyEnd === bodyAt;
      // Bytes show as {$bytes, length} (json-value.ts).
      value = field.type === 'bytes' ? CONTAINER : isAscii(bytes, bodyAt, bodyEnd) ? bytes.toString('latin1', bodyAt, bodyEnd) : bytes.toString('utf8', bodyAt, bodyEnd);
      break;
    }
    case 'int64':
    case 'uint64':
    case 'sint64': {
      readVarint(bytes, at, end);
      isDefault = lo === 0 && hi === 0;
      // Shown as digits (longs: String), selected by a query as the integer (int64-digits.ts).
      const bits = (BigInt(hi) << 32n) | BigInt(lo);
      value = field.type === 'int64' ? BigInt.asIntN(64, bits) : field.type === 'uint64' ? bits : (bits >> 1n) ^ -(bits & 1n);
      break;
    }
    case 'fixed64':
    case 'sfixed64':
      value = field.type === 'fixed64' ? bytes.readBigUInt64LE(at) : bytes.readBigInt64LE(at);
      isDefault = value === 0n;
      break;
    default:
      // int32, uint32, sint32, bool: a varint's low 32 bits (a bool: any bit set).
      readVarint(bytes, at, end);
      value = field.type === 'bool' ? anyBit : field.type === 'uint32' ? lo : field.type === 'int32' ? lo | 0 : ((lo >>> 1) ^ -(lo & 1)) | 0;
      isDefault = value === 0 || value === false;
  }
  return field.presence || !isDefault ? value : ABSENT;
}
