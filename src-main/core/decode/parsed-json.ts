/**
 * What JSON.parse gave (directly, or through socket.io-parser) as a decoded value without copying
 * it: toJsonValue (json-value.ts) copies every object and array, which cost about as much as the
 * parse itself in the GraphQL and Socket.IO decoders. A parsed value is taken as it is when it is
 * already exactly what toJsonValue would make of it: plain objects and arrays nested no deeper
 * than toJsonValue keeps, strings, booleans, null and finite numbers (JSON.parse reads 1e400 as
 * Infinity, which toJsonValue writes as text). Anything else (a Buffer a binary event joined in,
 * a deeper nesting) goes through toJsonValue, so the value is the same either way.
 */
import { toJsonValue, type JsonValue } from './json-value';

/** toJsonValue's depth: a value deeper than this is cut (the test checks the two agree at the bound). */
export const PLAIN_DEPTH = 64;

/** Whether toJsonValue would give `value` back unchanged (a copy equal to it). */
function plain(value: unknown, depth: number): boolean {
  if (depth > PLAIN_DEPTH) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!plain(value[i], depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) if (!plain(record[key], depth + 1)) return false;
  return true;
}

/** `parsed` itself when toJsonValue would give an equal copy, else that copy; `depth` as toJsonValue's. */
export function parsedJsonValue(parsed: unknown, depth = 0): JsonValue {
  return plain(parsed, depth) ? (parsed as JsonValue) : toJsonValue(parsed, depth);
}
