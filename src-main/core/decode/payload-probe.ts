/**
 * The query probe (value-probe.ts) for a payload a wrapper unwraps: compressed
 * (compressed-decoder.ts) and Base64 (base64-decoder.ts) show it as `$.payload`, read by
 * payloadValue as JSON, text or bytes. Given the unwrapped bytes (compressed-prefilter.ts and
 * base64-prefilter.ts get them as their decoders do) and the steps after `payload`, this says
 * what the path leads to without building the value:
 * - a first key the bytes cannot hold: no backslash (a JSON string is then its bytes) and not
 *   the key as a JSON string (`"seq"`): ABSENT, whatever they read as (JSON without that key, a
 *   text, or bytes, whose only keys are `$bytes` and `length`), without reading them;
 * - otherwise readPayload (the very reading payloadValue makes) and the path followed as
 *   shared/decoded-query.ts selectPath follows it: JSON.parse's objects and arrays are what
 *   toJsonValue copies (own keys, `__proto__` too; no holes, no undefined; a path is at most 32
 *   steps, above json-value.ts's 64-level cut), save numbers past a double (`1e400`), shown as
 *   text (floatValue);
 * - a text has nothing under it; bytes are {$bytes, length}.
 */
import { lacksIn } from './compressed-prefilter';
import { readPayload } from './payload-value';
import { ABSENT, CONTAINER, floatValue, type ProbeStep, type Probed } from './value-probe';

/** What `steps` (the path after `$.payload`) lead to in the payload bytes[0, length). */
export function probeUnwrapped(bytes: Buffer, length: number, steps: readonly ProbeStep[], firstKeyQuoted: Buffer | undefined): Probed {
  if (firstKeyQuoted && lacksIn(bytes, length, firstKeyQuoted)) return ABSENT;
  const read = readPayload(bytes.subarray(0, length));
  if (read.as === 'bytes') return inBytesValue(steps, length);
  if (read.as === 'text') return steps.length === 0 ? read.text : ABSENT;
  return follow(read.parsed, steps);
}

/**
 * The first step's key as a JSON string's bytes, when the probe may look for it (see the file
 * comment): not `length` (a key of the bytes value) and a key JSON writes without escapes.
 */
export function quotedFirstKey(steps: readonly ProbeStep[]): Buffer | undefined {
  const first = steps[0];
  if (first?.kind !== 'key' || first.name === 'length') return undefined;
  const quoted = JSON.stringify(first.name);
  return quoted === `"${first.name}"` ? Buffer.from(quoted, 'utf8') : undefined;
}

/** The path in {$bytes, length} (json-value.ts bytesValue); `$bytes` is never a probe step. */
function inBytesValue(steps: readonly ProbeStep[], length: number): Probed {
  if (steps.length === 0) return CONTAINER;
  const [first] = steps;
  return steps.length === 1 && first?.kind === 'key' && first.name === 'length' ? length : ABSENT;
}

function follow(parsed: unknown, steps: readonly ProbeStep[]): Probed {
  let current: unknown = parsed;
  for (const step of steps) {
    if (step.kind === 'index') {
      if (!Array.isArray(current) || step.index >= current.length) return ABSENT;
      current = current[step.index] as unknown;
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, step.name)) return ABSENT;
      current = Reflect.get(current, step.name);
    }
  }
  if (typeof current === 'number') return floatValue(current);
  if (typeof current === 'string' || typeof current === 'boolean' || current === null) return current;
  return CONTAINER;
}
