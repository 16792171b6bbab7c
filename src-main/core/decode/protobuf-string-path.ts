/**
 * Whether a query path reaches, in a message decoded with a Protocol Buffers schema, only a
 * `string` field's value (the query search's prefilter, query-prefilter.ts): such a value is the
 * field's bytes read as UTF-8 (protobufjs: ASCII as is, else TextDecoder, bad UTF-8 as U+FFFD),
 * and toObject({enums: String, longs: String, json: true}) leaves it as it is. Every step but the
 * last names a singular message-typed field of the type reached so far; the last names a string
 * field, singular, or repeated and followed by one index. Enums (by name), bytes (Base64),
 * 64-bit integers (digits), maps and well-known types toObject rewrites (Any) give no such path.
 */
import protobuf from 'protobufjs';
import type { QueryStep } from '../../shared/decoded-query';

/** Types toObject with json: true writes otherwise than field by field. */
const REWRITTEN = new Set(['.google.protobuf.Any', '.google.protobuf.Timestamp', '.google.protobuf.Duration', '.google.protobuf.Struct', '.google.protobuf.Value', '.google.protobuf.ListValue']);

export function reachesStringField(type: protobuf.Type, path: readonly QueryStep[]): boolean {
  let current = type;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (step?.kind !== 'key' || REWRITTEN.has(current.fullName)) return false;
    const field = Object.prototype.hasOwnProperty.call(current.fields, step.name) ? current.fields[step.name] : undefined;
    if (!field || field.map) return false;
    field.resolve();
    const last = i === path.length - 1;
    if (field.repeated) {
      // A repeated string field, then one index.
      const next = path[i + 1];
      return field.type === 'string' && !field.resolvedType && i === path.length - 2 && next?.kind === 'index';
    }
    if (last) return field.type === 'string' && !field.resolvedType;
    if (!(field.resolvedType instanceof protobuf.Type)) return false;
    current = field.resolvedType;
  }
  return false;
}
