/**
 * A query path's first step in a Protocol Buffers message, from the path alone (value-probe.ts):
 * the decoded value is always an object (protobuf-decoder.ts), keyed
 * - without a schema, by field numbers in digits ("1" … "536870911", protobuf-wire.ts);
 * - with one message type, by the names of that type's fields (protobuf-schema.ts: protobufjs's
 *   toObject writes only those, and only fields the message has).
 * So a name that cannot be a key, or an index, selects nothing in any valid message; any other
 * name is UNSURE (the message is decoded), as is `__proto__` (toObject would set a prototype).
 */
import type protobuf from 'protobufjs';
import { ABSENT, CONTAINER, UNSURE, type ProbeStep, type Probed } from './value-probe';

/** The largest field number (2^29 - 1). */
const MAX_FIELD = 536_870_911;

/** What the first of `steps` selects, the same for every valid message (`type` undefined: read without a schema). */
export function protobufRootProbe(steps: readonly ProbeStep[], type: protobuf.Type | undefined): Probed {
  const first = steps[0];
  if (first === undefined) return CONTAINER;
  if (first.kind === 'index') return ABSENT;
  const name = first.name;
  if (name === '__proto__') return UNSURE;
  if (type) return type.fieldsArray.some((field) => field.name === name) ? UNSURE : ABSENT;
  return /^[1-9]\d*$/.test(name) && Number(name) <= MAX_FIELD ? UNSURE : ABSENT;
}
