/**
 * Socket.IO's query probe (issue 14: `$.args[0].at > 1700000290000`, a query with no string
 * clause whose keys every event has): a clause `$.args[i]` followed by names is read from a text
 * message `42…[…]` (an event) or `43…[…]` (an ack), after an optional namespace (`/admin,`) and
 * ack id (digits), without decoding it: the value's `args` are the JSON array's items after the
 * event name (an ack's: all of them), parsed-json.ts shows each as JSON.parse made it, so item
 * i+1 (or i) is found by stepping over the items (no backslash: strings end at their next
 * quote) and the names followed in it by json-skim.ts. A message the probe does not read (other
 * packets, a namespace or id it does not take, an item nested past 64 levels) is decoded; one that
 * is not valid JSON matches nothing, whatever the probe said. Passing over leaves the decoder as
 * it was: stateful-prefilter.ts socketIoTextPrefilter passes over only text messages that decode
 * alone in a direction keeping nothing (not binary headers), without a backslash.
 */
import type { DecodedQuery, QueryClause } from '../../shared/decoded-query';
import { skimJsonKeys } from './json-skim';
import { exactInUtf8 } from './raw-prefilter';
import { socketIoTextPrefilter, type StatefulPrefilter } from './stateful-prefilter';
import { ABSENT, mayHold, probeSteps, UNSURE, type Probed } from './value-probe';

interface ProbedClause {
  /** The item of `args` the path starts at. */
  readonly index: number;
  readonly keys: readonly Buffer[];
  readonly test: QueryClause['test'];
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const SLASH = 0x2f;

function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Where the JSON array of an event (`42`) or ack (`43`) text message opens, and whether it is an
 * ack; undefined for any other message, or a namespace or id the probe does not take.
 */
function eventArray(bytes: Buffer, start: number, end: number): { open: number; ack: boolean } | undefined {
  if (end - start < 3 || bytes[start] !== 0x34 || (bytes[start + 1] !== 0x32 && bytes[start + 1] !== 0x33)) return undefined;
  let at = start + 2;
  if (bytes[at] === SLASH) {
    while (at < end && bytes[at] !== COMMA) at++;
    if (at >= end) return undefined;
    at++;
  }
  while (at < end && (bytes[at] ?? 0) >= 0x30 && (bytes[at] ?? 0) <= 0x39) at++;
  return at < end && bytes[at] === OPEN_BRACKET ? { open: at, ack: bytes[start + 1] === 0x33 } : undefined;
}

/**
 * The bytes [from, to) of item `wanted` of the array opening at `open`, ABSENT when it has fewer
 * items. Strings end at their next quote (the message has no backslash). For JSON that is not
 * valid the answer means nothing (the message matches nothing then). Each item is its own value
 * (parsed-json.ts per argument), so nesting in other items changes nothing of it.
 */
function item(bytes: Buffer, open: number, end: number, wanted: number): [number, number] | typeof ABSENT | typeof UNSURE {
  let index = 0;
  let from = open + 1;
  let depth = 0;
  for (let at = open + 1; at < end; at++) {
    const byte = bytes[at];
    if (byte === QUOTE) {
      at = bytes.indexOf(QUOTE, at + 1);
      if (at < 0 || at >= end) return UNSURE;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth++;
    } else if (depth > 0 && (byte === CLOSE_BRACKET || byte === CLOSE_BRACE)) {
      depth--;
    } else if (depth === 0 && (byte === COMMA || byte === CLOSE_BRACKET)) {
      if (index === wanted) return [from, at];
      if (byte === CLOSE_BRACKET) return ABSENT;
      index++;
      from = at + 1;
    }
  }
  return UNSURE;
}

/** What the clause's path selects in the message at [start, end) of the slab. */
function probe(bytes: Buffer, start: number, end: number, clause: ProbedClause): Probed {
  const array = eventArray(bytes, start, end);
  if (!array) return UNSURE;
  const found = item(bytes, array.open, end, array.ack ? clause.index : clause.index + 1);
  if (found === ABSENT || found === UNSURE) return found;
  const [from, to] = found;
  let first = from;
  while (first < to && isJsonSpace(bytes[first])) first++;
  // A blank item: in JSON only an array without items (`[]`); else the message is not valid.
  if (first === to) return ABSENT;
  return skimJsonKeys(bytes.subarray(from, to), to - from, clause.keys);
}

/** The probe prefilter for this query, or undefined when no clause is `$.args[i]` then names (plain UTF-8, no `$` name). */
export function socketIoProbePrefilter(query: DecodedQuery): StatefulPrefilter | undefined {
  const clauses: ProbedClause[] = [];
  for (const clause of query.clauses) {
    const steps = probeSteps(clause.path);
    const [head, at, ...rest] = steps ?? [];
    if (head?.kind !== 'key' || head.name !== 'args' || at?.kind !== 'index') continue;
    const keys: Buffer[] = [];
    for (const step of rest) if (step.kind === 'key' && exactInUtf8(step.name)) keys.push(step.utf8);
    if (keys.length === rest.length) clauses.push({ index: at.index, keys, test: clause.test });
  }
  if (clauses.length === 0) return undefined;
  const key = `socketio probe\u0000${JSON.stringify(query.clauses.map((clause) => [clause.path, clause.test ? [clause.test.op, 'regex' in clause.test ? String(clause.test.regex) : clause.test.value] : null]))}`;
  return socketIoTextPrefilter(key, (slab, start, end) => clauses.some((clause) => !mayHold(probe(slab, start, end, clause), clause.test)));
}
