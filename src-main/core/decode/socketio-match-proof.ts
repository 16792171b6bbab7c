/**
 * A Socket.IO message proven to match a query without decoding it (match-proof.ts): the side the
 * probe prefilter (socketio-probe.ts) does not answer, for a query most messages match
 * (`$.event != 'x'`, `$.type == 'EVENT'`, `$.args[0].room =~ /^r/`). The decoder keeps state (a
 * binary event joining its attachments), so the walk asks only while it is idle for the frame's
 * direction, and `true` needs all of:
 * - a text message `42`, then an optional namespace (`/` up to the first `,`, ASCII), then an
 *   optional id (1 to 15 digits), then `[` at once: an EVENT read as socket.io-parser's
 *   decodeString reads it (a byte after the id that Number() reads as part of it, a space, never
 *   comes before the `[`). engine.io-parser reads a text message the same under Engine.IO 3 and
 *   4 (socketio-decoder.ts looks at the version only for binary messages), so nothing here
 *   depends on it;
 * - the payload from the `[` to the end is a JSON array JSON.parse takes (json-text-check.ts
 *   followCheckedJsonPath: strict UTF-8, which the decoder's lenient reading then reads the same),
 *   and its first item is a string without a backslash (its text is its bytes) that is not a
 *   reserved event name: socket.io-parser's isPayloadValid holds, so the decoder emits the packet
 *   at once. Decoding it leaves the direction as it found it: the parser, idle, builds no
 *   reconstructor for an EVENT, and the decoder takes the one packet it pushed; it remembers no
 *   ack ids (conversations are read from each value by conversation-of.ts), so an id changes
 *   nothing;
 * - every clause holds for what its path selects in the value socketio-decoder.ts packetValue
 *   builds: `engineIO` 'message', `type` 'EVENT', `nsp`, `id` (absent without one), `event` the
 *   array's item 0 and `args` the items after, followed in the bytes (UNSURE: not proven): the
 *   first such clause in the same pass that checks the text (followCheckedJsonPath, exact past
 *   escapes in strings it steps over; UNSURE at an escaped key on the path or string selected),
 *   the others by json-path-follow.ts in the text then known to be valid (UNSURE at any string it
 *   reads or steps over that holds a backslash). `$.event` alone is the name's bytes, compared
 *   with an `==` or `!=` text's UTF-8 without making a string. Any other top-level name selects
 *   nothing. A step under a scalar field selects nothing (none of them holds JSON text: each
 *   starts with a letter, `/` or a digit).
 * Anything else answers `false` (decoded as before): binary headers and attachments, other packet
 * types, Engine.IO packets, a number as event name, an escape in the name, in a key on a path or
 * in a string a path reads (or, for a second clause into the array, steps over), an id past 15
 * digits.
 */
import { holdsForValue, holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import { followJsonPath } from './json-path-follow';
import { NOT_JSON, followCheckedJsonPath } from './json-text-check';
import type { MatchProof } from './match-proof';
import { exactInUtf8 } from './raw-prefilter';
import { ABSENT, CONTAINER, UNSURE, probeSteps, sameBytes, textAt, type ProbeStep, type Probed } from './value-probe';

const ENGINE_IO_MESSAGE = 0x34; // '4'
const SOCKETIO_EVENT = 0x32; // '2'
const SLASH = 0x2f;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_ID_DIGITS = 15;

/** socket.io-parser's RESERVED_EVENTS (the test compares), as bytes. */
export const SOCKETIO_RESERVED_EVENTS: readonly string[] = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];
const RESERVED = SOCKETIO_RESERVED_EVENTS.map((name) => Buffer.from(name, 'latin1'));
/** The reserved names' lengths, a bit each (all below 31): most names have none of them and are not compared. */
const RESERVED_LENGTHS = RESERVED.reduce((bits, name) => bits | (1 << name.length), 0);

type Head = 'engineIO' | 'type' | 'nsp' | 'id' | 'event' | 'args' | 'other' | 'root';

interface ProvenClause {
  readonly head: Head;
  /** Steps after the head. */
  readonly rest: readonly ProbeStep[];
  /** For `event` and `args` with steps: the steps in the event's JSON array (item 0 the name). */
  readonly inArray: readonly ProbeStep[];
  readonly test: QueryClause['test'];
  /** For `$.event == 'text'` or `!= 'text'` (text exact in UTF-8): the text's UTF-8, compared with the name's bytes. */
  readonly name: Buffer | undefined;
}

/** One message's reading, filled by readEvent (one object a proof: no allocation a message). */
interface EventParts {
  nspFrom: number;
  nspTo: number;
  /** -1 without an id. */
  id: number;
  payload: number;
  /** The event name's bytes (its text: no backslash, and the JSON check read them as UTF-8). */
  nameFrom: number;
  nameTo: number;
}

const HEADS: readonly Head[] = ['engineIO', 'type', 'nsp', 'id', 'event', 'args'];

function provenClause(clause: QueryClause): ProvenClause | undefined {
  const steps = probeSteps(clause.path);
  if (!steps) return undefined;
  const [first, ...rest] = steps;
  if (first === undefined) return { head: 'root', rest, inArray: rest, test: clause.test, name: undefined };
  if (rest.some((step) => step.kind === 'key' && !exactInUtf8(step.name))) return undefined;
  const head = first.kind === 'key' ? (HEADS.find((name) => name === first.name) ?? 'other') : 'other';
  const [next, ...after] = rest;
  const inArray: ProbeStep[] =
    head === 'event' ? [{ kind: 'index', index: 0 }, ...rest] : next?.kind === 'index' ? [{ kind: 'index', index: next.index + 1 }, ...after] : rest;
  const test = clause.test;
  const textTest = head === 'event' && rest.length === 0 && (test?.op === '==' || test?.op === '!=') && typeof test.value === 'string' && exactInUtf8(test.value);
  return { head, rest, inArray, test, name: textTest ? Buffer.from(test.value as string, 'utf8') : undefined };
}

/** Whether [start, end) is `42[/nsp,][id][…` as the file comment says, filling `parts`; the JSON is checked by the caller. */
function readEvent(slab: Buffer, start: number, end: number, parts: EventParts): boolean {
  if (end - start < 4 || slab[start] !== ENGINE_IO_MESSAGE || slab[start + 1] !== SOCKETIO_EVENT) return false;
  let at = start + 2;
  parts.nspFrom = at;
  parts.nspTo = at;
  if (slab[at] === SLASH) {
    while (at < end && slab[at] !== COMMA) {
      const byte = slab[at] ?? 0x80;
      if (byte >= 0x80 || byte === BACKSLASH) return false;
      at++;
    }
    if (at >= end) return false;
    parts.nspTo = at;
    at++;
  }
  let id = 0;
  const idFrom = at;
  for (let byte = slab[at] ?? 0; at < end && byte >= 0x30 && byte <= 0x39; byte = slab[++at] ?? 0) id = id * 10 + (byte - 0x30);
  if (at - idFrom > MAX_ID_DIGITS) return false;
  parts.id = at > idFrom ? id : -1;
  if (at >= end || slab[at] !== OPEN_BRACKET) return false;
  parts.payload = at;
  return true;
}

/**
 * Whether the JSON array at `at` starts with a string item without a backslash (its text is its
 * bytes) that is not a reserved name; sets parts.nameFrom and parts.nameTo.
 */
function plainEventName(slab: Buffer, at: number, end: number, parts: EventParts): boolean {
  let k = at + 1;
  while (k < end && (slab[k] === 0x20 || slab[k] === 0x0a || slab[k] === 0x0d || slab[k] === 0x09)) k++;
  if (slab[k] !== QUOTE) return false;
  const from = k + 1;
  let to = from;
  for (; to < end && slab[to] !== QUOTE; to++) if (slab[to] === BACKSLASH) return false;
  parts.nameFrom = from;
  parts.nameTo = to;
  const length = to - from;
  if (length > 30 || ((RESERVED_LENGTHS >>> length) & 1) === 0) return true;
  for (let r = 0; r < RESERVED.length; r++) {
    const name = RESERVED[r];
    if (name !== undefined && sameBytes(slab, from, length, name)) return false;
  }
  return true;
}

/** Whether the clause's path goes into the event's JSON array (then followed in its bytes). */
function readsArray(clause: ProvenClause): boolean {
  return (clause.head === 'event' || clause.head === 'args') && clause.rest.length > 0;
}

/** What the clause selects in the event's value. */
function selected(slab: Buffer, end: number, parts: EventParts, clause: ProvenClause): Probed {
  switch (clause.head) {
    case 'root':
      return CONTAINER;
    case 'engineIO':
      return clause.rest.length === 0 ? 'message' : ABSENT;
    case 'type':
      return clause.rest.length === 0 ? 'EVENT' : ABSENT;
    case 'nsp':
      if (clause.rest.length > 0) return ABSENT;
      return parts.nspTo === parts.nspFrom ? '/' : slab.toString('latin1', parts.nspFrom, parts.nspTo);
    case 'id':
      return parts.id < 0 ? ABSENT : clause.rest.length === 0 ? parts.id : ABSENT;
    case 'event':
      return clause.rest.length === 0 ? textAt(slab, parts.nameFrom, parts.nameTo) : followJsonPath(slab, parts.payload, end, clause.inArray);
    case 'args':
      return clause.rest.length === 0 ? CONTAINER : followJsonPath(slab, parts.payload, end, clause.inArray);
    default:
      return ABSENT;
  }
}

/** The proof for this query over Socket.IO messages, or undefined when it can prove none (see the file comment). */
export function socketIoMatchProof(query: DecodedQuery): MatchProof | undefined {
  const clauses: ProvenClause[] = [];
  for (const clause of query.clauses) {
    const proven = provenClause(clause);
    if (!proven) return undefined;
    // Any other name selects nothing in an event: only `!=` holds there.
    if (proven.head === 'other' && !holdsWhenAbsent(proven.test)) return undefined;
    clauses.push(proven);
  }
  if (clauses.length === 0) return undefined;
  // The first clause into the array is followed while the text is checked (none: the check alone).
  const checkedClause = clauses.findIndex(readsArray);
  const checkedSteps = clauses[checkedClause]?.inArray ?? [];
  const parts: EventParts = { nspFrom: 0, nspTo: 0, id: -1, payload: 0, nameFrom: 0, nameTo: 0 };
  return (slab, start, end, opcode) => {
    if (opcode !== 'text' || !readEvent(slab, start, end, parts) || !plainEventName(slab, parts.payload, end, parts)) return false;
    // UNSURE: the path is not followed there, or the text is not checked to its end (nesting).
    const checked = followCheckedJsonPath(slab, parts.payload, end, checkedSteps);
    if (checked === NOT_JSON || checked === UNSURE) return false;
    for (let k = 0; k < clauses.length; k++) {
      const clause = clauses[k];
      if (!clause) continue;
      if (clause.name !== undefined) {
        // `$.event ==` or `!=` a text: its UTF-8 against the name's bytes, no string made.
        if (sameBytes(slab, parts.nameFrom, parts.nameTo - parts.nameFrom, clause.name) !== (clause.test?.op === '==')) return false;
        continue;
      }
      const found = k === checkedClause ? checked : selected(slab, end, parts, clause);
      if (found === UNSURE) return false;
      if (!(found === ABSENT ? holdsWhenAbsent(clause.test) : holdsForValue(clause.test, found))) return false;
    }
    return true;
  };
}
