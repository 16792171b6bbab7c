/**
 * Marks the 64-bit integers (int64, uint64, sint64, fixed64, sfixed64) in a message decoded with
 * a schema (protobuf-schema.ts: toObject shows them as digits) for a query to compare as
 * integers (shared/int64-digits.ts; QA D8): singular fields, repeated ones' items, maps' values,
 * in nested messages and in the message a google.protobuf.Any packs (toObject's json wrapper
 * shows its fields beside `@type`). A type from which no 64-bit field can be reached is not
 * walked (most messages).
 */
import protobuf from 'protobufjs';
import { markInt64 } from '../../shared/int64-digits';
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

/**
 * What marks the 64-bit integers in a message of `type` as protobuf-schema.ts shows it, or
 * undefined when the type reaches none (asked once per type, not per message).
 */
export function int64Marker(type: protobuf.Type): ((value: JsonValue) => void) | undefined {
  return reachesInt64(type) ? (value) => markMessage(type, value, 0) : undefined;
}

function markMessage(type: protobuf.Type, value: JsonValue | undefined, depth: number): void {
  if (!isObject(value) || depth > MAX_DEPTH) return;
  if (type.fullName === ANY_TYPE) {
    markAny(type, value, depth);
    return;
  }
  for (const field of type.fieldsArray) {
    if (!Object.hasOwn(value, field.name)) continue;
    const shown = value[field.name];
    const int64 = isInt64Field(field);
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (!int64 && nested === undefined) continue;
    if (field.map) {
      if (!isObject(shown)) continue;
      for (const key of Object.keys(shown)) {
        if (nested) markMessage(nested, shown[key], depth + 2);
        else if (typeof shown[key] === 'string') markInt64(shown, key);
      }
    } else if (field.repeated) {
      if (!Array.isArray(shown)) continue;
      shown.forEach((item, index) => {
        if (nested) markMessage(nested, item, depth + 2);
        else if (typeof item === 'string') markInt64(shown, index);
      });
    } else if (nested) markMessage(nested, shown, depth + 1);
    else if (typeof shown === 'string') markInt64(value, field.name);
  }
}

/**
 * An Any shown as the message it packs: toObject (protobufjs wrappers.js, json) writes that
 * message's fields and `@type`, the type_url's prefix then the type's full name; else it shows
 * `type_url` and `value` (bytes: nothing to mark).
 */
function markAny(any: protobuf.Type, value: JsonObject, depth: number): void {
  const url = value['@type'];
  if (typeof url !== 'string') return;
  const packed = any.lookup(`.${url.slice(url.lastIndexOf('/') + 1)}`, [protobuf.Type]);
  if (packed instanceof protobuf.Type && packed.fullName !== ANY_TYPE) markMessage(packed, value, depth);
}
