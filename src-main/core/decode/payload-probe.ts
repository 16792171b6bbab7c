/**
 * The query probe (value-probe.ts) for a payload a wrapper unwraps: compressed
 * (compressed-decoder.ts) and Base64 (base64-decoder.ts) show it as `$.payload`, read by
 * payloadValue as JSON, text or bytes. Given the unwrapped bytes (compressed-prefilter.ts and
 * base64-prefilter.ts get them as their decoders do) and the steps after `payload`, this says
 * what the path leads to without building the value:
 * - for a clause that fails where its path selects nothing (all but `!=`) and a path not
 *   starting with `length`, the path followed in the bytes as JSON (json-path-follow.ts, no
 *   JSON.parse; after a byte-order mark, which the decoder's TextDecoder drops): its answer is
 *   JSON.parse's for a JSON text, and for anything else (a text, bytes) the path selects
 *   nothing, where the clause fails whatever the follower said: so the clause's verdict is right
 *   either way. Where it cannot answer (an escape, bad UTF-8 in the string), the steps below;
 * - for `!=`, a first key the bytes cannot hold: no backslash (a JSON string is then its bytes)
 *   and not the key as a JSON string (`"seq"`): ABSENT, whatever they read as (JSON without
 *   that key, a text, or bytes, whose only keys are `$bytes` and `length`), without reading them
 *   (the follower reads a payload without the key about as fast, so the others skip this scan);
 * - for the other paths (`!=` where the key may be there, a first step `length`, none), when the
 *   payload is one JSON object or array JSON.parse takes (after a byte-order mark), the path
 *   followed in the same pass that checks it (json-text-check.ts followCheckedJsonPath): it reads
 *   as JSON, so that answer, ABSENT included, is what the path selects (1.1 µs of JSON.parse
 *   saved a message for `$.payload.event != 'x'`);
 * - otherwise readPayload (the very reading payloadValue makes) and the path followed as
 *   shared/decoded-query.ts selectPath follows it: JSON.parse's objects and arrays are what
 *   toJsonValue copies (own keys, `__proto__` too; no holes, no undefined; a path is at most 32
 *   steps, above json-value.ts's 64-level cut), save numbers past a double (`1e400`), shown as
 *   text (floatValue); a string on the path goes on into the JSON object or array it holds
 *   (parsed-path.ts, as selectPath: JSON.parse's own numbers there). The follower is UNSURE at
 *   such a string, so the payload is parsed then;
 * - a text is a string: the same rule (text that held JSON would have read as JSON, so a step
 *   into it selects nothing); bytes are {$bytes, length}.
 * The `!=` scan is unchanged: the first step is taken in the payload's own value (JSON, a text
 * that is no JSON text, or bytes), never inside a string.
 */
import { lacksIn } from './compressed-prefilter';
import { followJsonPath } from './json-path-follow';
import { NOT_JSON, followCheckedJsonPath } from './json-text-check';
import { followParsed } from './parsed-path';
import { readPayload } from './payload-value';
import { ABSENT, CONTAINER, UNSURE, type ProbeStep, type Probed } from './value-probe';

/** The keys the decoders write at the top of their value (compressed-decoder.ts, base64-decoder.ts); nothing else is there. */
export const UNWRAPPED_VALUE_KEYS: Readonly<Record<'compressed' | 'base64', readonly string[]>> = {
  compressed: ['compression', 'size', 'inflatedSize', 'as', 'payload'],
  base64: ['size', 'compression', 'inflatedSize', 'notInflated', 'as', 'payload'],
};

/** A clause's path after `$.payload`, made ready for probing (payloadPath). */
export interface PayloadPath {
  readonly steps: readonly ProbeStep[];
  /** The first key as a JSON string's bytes, when a payload without it has nothing there. */
  readonly quotedFirstKey?: Buffer;
  /** Whether the JSON follower may answer (see the file comment). */
  readonly followed: boolean;
}

/** `steps` made ready; `failsWhenAbsent`: the clause fails where its path selects nothing (shared/decoded-query.ts holdsWhenAbsent). */
export function payloadPath(steps: readonly ProbeStep[], failsWhenAbsent: boolean): PayloadPath {
  const first = steps[0];
  // `length` is a key of the bytes value ({$bytes, length}): a payload may have it without the text.
  if (first === undefined || (first.kind === 'key' && first.name === 'length')) return { steps, followed: false };
  if (first.kind === 'index') return { steps, followed: failsWhenAbsent };
  const quoted = JSON.stringify(first.name);
  const quotedFirstKey = quoted === `"${first.name}"` ? Buffer.from(quoted, 'utf8') : undefined;
  return { steps, followed: failsWhenAbsent, ...(quotedFirstKey ? { quotedFirstKey } : {}) };
}

/** What the path leads to in the payload bytes[0, length) (`followed`: see the file comment). */
export function probeUnwrapped(bytes: Buffer, length: number, path: PayloadPath): Probed {
  const start = length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (path.followed) {
    const followed = followJsonPath(bytes, start, length, path.steps);
    if (followed !== UNSURE) return followed;
  } else if (path.quotedFirstKey && lacksIn(bytes, length, path.quotedFirstKey)) return ABSENT;
  else {
    // A text JSON.parse takes reads as JSON: the answer is JSON.parse's, ABSENT included.
    const checked = followCheckedJsonPath(bytes, start, length, path.steps);
    if (checked !== NOT_JSON && checked !== UNSURE) return checked;
  }
  const read = readPayload(bytes.subarray(0, length));
  if (read.as === 'bytes') return inBytesValue(path.steps, length);
  // A text is a string: a step goes on into JSON text in it (none here: JSON text reads as JSON).
  if (read.as === 'text') return followParsed(read.text, path.steps);
  return followParsed(read.parsed, path.steps, 0, true);
}

/** The path in {$bytes, length} (json-value.ts bytesValue); `$bytes` is never a probe step. */
function inBytesValue(steps: readonly ProbeStep[], length: number): Probed {
  if (steps.length === 0) return CONTAINER;
  const [first] = steps;
  return steps.length === 1 && first?.kind === 'key' && first.name === 'length' ? length : ABSENT;
}
