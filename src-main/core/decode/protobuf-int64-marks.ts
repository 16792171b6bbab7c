/**
 * Marks the 64-bit integers (int64, uint64, sint64, fixed64, sfixed64) in a message decoded with
 * a schema (protobuf-schema.ts: toObject shows them as digits) for a query to compare as
 * integers (shared/int64-digits.ts; QA D8): singular fields, repeated ones' items, maps' values,
 * in nested messages and in the message a google.protobuf.Any packs (toObject's json wrapper
 * shows its fields beside `@type`). A type from which no 64-bit field can be reached is not
 * walked (most messages).
 */
import protobuf from 'protobufjs';
import { markInt64Slots } from '../../shared/int64-digits';
import type { JsonValue } from './json-value';

const INT64_TYPES: ReadonlySet<string> = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

const ANY_TYPE = '.google.protobuf.Any';

/** json-value.ts cuts values deeper than 64 levels: nothing to mark past that. */
const MAX_DEPTH = 64;

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt64Field(field: protobuf.Field): boolean {
  return field.resolvedType === null && INT64_TYPES.has(field.type);
}

/** Every message type reachable from `type` (itself too), checked for a 64-bit field or an Any. */
function reachesInt64(type: protobuf.Type): boolean {
  const seen = new Set<protobuf.Type>([type]);
  const queue = [type];
  let found = false;
  for (let current = queue.pop(); current !== undefined && !found; current = queue.pop()) {
    if (current.fullName === ANY_TYPE) found = true;
    for (const field of current.fieldsArray) {
      field.resolve();
      if (isInt64Field(field)) found = true;
      const nested = field.resolvedType;
      if (nested instanceof protobuf.Type && !seen.has(nested)) {
        seen.add(nested);
        queue.push(nested);
      }
    }
  }
  return found;
}

/** How a message type's values are marked: its singular 64-bit fields' names, its lists and maps of them, the message fields to go into. */
interface MarkPlan {
  /** The Any type itself, when the type is google.protobuf.Any (what it packs is looked up per message). */
  readonly any: protobuf.Type | undefined;
  /** Shared by every message of the type (int64-digits.ts markInt64Slots). */
  readonly singular: Set<string>;
  /** Repeated 64-bit fields and maps with 64-bit values: every item or value. */
  readonly whole: string[];
  readonly nested: { readonly name: string; readonly how: 'one' | 'list' | 'map'; readonly plan: MarkPlan }[];
}

/**
 * What marks the 64-bit integers in a message of `type` as protobuf-schema.ts shows it, or
 * undefined when the type reaches none (asked once per type, not per message).
 */
export function int64Marker(type: protobuf.Type): ((value: JsonValue) => void) | undefined {
  if (!reachesInt64(type)) return undefined;
  const plan = planOf(type, new Map());
  return (value) => markMessage(plan, value, 0);
}

/** The plan of a type (a type that holds itself shares its plan; only message fields reaching a 64-bit field are gone into). */
function planOf(type: protobuf.Type, plans: Map<protobuf.Type, MarkPlan>): MarkPlan {
  const known = plans.get(type);
  if (known) return known;
  const plan: MarkPlan = { any: type.fullName === ANY_TYPE ? type : undefined, singular: new Set(), whole: [], nested: [] };
  plans.set(type, plan);
  for (const field of type.fieldsArray) {
    field.resolve();
    const inner = field.resolvedType;
    if (isInt64Field(field)) {
      if (field.map || field.repeated) plan.whole.push(field.name);
      else plan.singular.add(field.name);
    } else if (inner instanceof protobuf.Type && reachesInt64(inner)) {
      plan.nested.push({ name: field.name, how: field.map ? 'map' : field.repeated ? 'list' : 'one', plan: planOf(inner, plans) });
    }
  }
  return plan;
}

function markMessage(plan: MarkPlan, value: JsonValue | undefined, depth: number): void {
  if (!isObject(value) || depth > MAX_DEPTH) return;
  if (plan.any) {
    markAny(plan.any, value, depth);
    return;
  }
  if (plan.singular.size > 0) markInt64Slots(value, plan.singular);
  for (const name of plan.whole) {
    const shown = Object.hasOwn(value, name) ? value[name] : undefined;
    if (typeof shown === 'object' && shown !== null) markInt64Slots(shown, 'all');
  }
  for (const { name, how, plan: inner } of plan.nested) {
    if (!Object.hasOwn(value, name)) continue;
    const shown = value[name];
    if (how === 'one') markMessage(inner, shown, depth + 1);
    else if (how === 'list') {
      if (Array.isArray(shown)) for (const item of shown) markMessage(inner, item, depth + 2);
    } else if (isObject(shown)) for (const item of Object.values(shown)) markMessage(inner, item, depth + 2);
  }
}

/** Plans of the types Anys pack (null: one that reaches no 64-bit field). */
const packedPlans = new WeakMap<protobuf.Type, MarkPlan | null>();

/**
 * An Any shown as the message it packs: toObject (protobufjs wrappers.js, json) writes that
 * message's fields and `@type`, the type_url's prefix then the type's full name; else it shows
 * `type_url` and `value` (bytes: nothing to mark).
 */
function markAny(any: protobuf.Type, value: JsonObject, depth: number): void {
  const url = value['@type'];
  if (typeof url !== 'string') return;
  const packed = any.lookup(`.${url.slice(url.lastIndexOf('/') + 1)}`, [protobuf.Type]);
  if (!(packed instanceof protobuf.Type) || packed.fullName === ANY_TYPE) return;
  let plan = packedPlans.get(packed);
  if (plan === undefined) {
    plan = reachesInt64(packed) ? planOf(packed, new Map()) : null;
    packedPlans.set(packed, plan);
  }
  if (plan) markMessage(plan, value, depth);
}
