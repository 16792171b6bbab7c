/**
 * Socket.IO's query probe (issue 14: `$.args[0].at > 1700000290000`, `$.data.sid`, a query with
 * no string clause whose keys every message has): a clause whose path starts at what a message
 * carries, `$.args`, `$.data` or `$.handshake`, then names and indexes, is read from a text
 * message's bytes without decoding it, as socketio-decoder.ts builds its value:
 * - `0…` (Engine.IO open): `handshake` is the JSON after the type.
 * - `2…`, `3…` (ping, pong): `data` is the text after the type, when there is any.
 * - `1`, `5`, `6` (close, upgrade, noop), and `4` alone (a CONNECT without data): none of the three.
 * - `4` then a Socket.IO packet, read as socket.io-parser decodeString reads it: the type, an
 *   optional namespace (`/admin,`), an optional id (digits), then the JSON payload to the end.
 *   An event (`42`): `args` are the array's items after the event name; an ack (`43`): all of
 *   them; CONNECT, DISCONNECT and CONNECT_ERROR (`40`, `41`, `44`): `data` is the payload.
 * Each argument, and `data` and `handshake`, is the parse as it is (parsed-json.ts; paths of at
 * most 32 steps are never cut), so the path selects in the value what it selects in the JSON
 * (json-path-follow.ts). A message the decoder would not take (its JSON not valid, a reserved
 * event name, a payload of the wrong kind) matches nothing, whatever the probe said. The probe
 * answers UNSURE (the message is decoded) for what it does not read as the parser would: binary
 * headers (`45`, `46`), an id followed by anything but the JSON's first byte (the parser takes
 * whitespace as part of an id), other packet types. Passing over leaves the decoder as it was:
 * stateful-prefilter.ts socketIoTextPrefilter passes over only text messages that decode alone
 * in a direction keeping nothing (not binary headers), without a backslash (so strings end at
 * their next quote and keys are their bytes).
 */
import type { DecodedQuery, QueryClause } from '../../shared/decoded-query';
import { followJsonPath } from './json-path-follow';
import { exactInUtf8 } from './raw-prefilter';
import { socketIoTextPrefilter, type StatefulPrefilter } from './stateful-prefilter';
import { ABSENT, CONTAINER, UNSURE, mayHold, probeSteps, textAt, type Probed, type ProbeStep } from './value-probe';

/** The keys of a decoded value that hold what a message carries. */
type Carried = 'args' | 'data' | 'handshake';

interface ProbedClause {
  readonly head: Carried;
  /** The steps after the head. */
  readonly rest: readonly ProbeStep[];
  /** `args`: the steps in an event's JSON array (the first index one further: the event name is item 0). */
  readonly inEvent: readonly ProbeStep[];
  readonly test: QueryClause['test'];
}

function isCarried(name: string): name is Carried {
  return name === 'args' || name === 'data' || name === 'handshake';
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COMMA = 0x2c;
const SLASH = 0x2f;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const QUOTE = 0x22;

/**
 * Where the JSON payload of the Socket.IO packet starting at `at` (after its type) begins: past
 * an optional namespace and id; `end` when there is none, undefined when the byte after them is
 * not `first` nor `also` (whitespace or other bytes the parser may read as part of an id).
 */
function payloadStart(bytes: Buffer, at: number, end: number, first: number, also: number): number | undefined {
  if (at < end && bytes[at] === SLASH) {
    while (at < end && bytes[at] !== COMMA) at++;
    if (at >= end) return end;
    at++;
  }
  while (at < end && (bytes[at] ?? 0) >= DIGIT_0 && (bytes[at] ?? 0) <= DIGIT_9) at++;
  if (at >= end) return end;
  const byte = bytes[at];
  return byte === first || byte === also ? at : undefined;
}

/** What the clause's path selects in the value of the text message at [start, end) of the slab (see the file comment). */
function probe(bytes: Buffer, start: number, end: number, clause: ProbedClause): Probed {
  if (end <= start) return UNSURE;
  const head = clause.head;
  switch (bytes[start]) {
    case 0x30: // open
      return head === 'handshake' ? followJsonPath(bytes, start + 1, end, clause.rest) : ABSENT;
    case 0x31: // close
    case 0x35: // upgrade
    case 0x36: // noop
      return ABSENT;
    case 0x32: // ping
    case 0x33: // pong
      if (head !== 'data' || end - start === 1) return ABSENT;
      // A string: no name or index selects anything in it.
      return clause.rest.length > 0 ? ABSENT : textAt(bytes, start + 1, end);
    case 0x34: // message
      break;
    default:
      return UNSURE;
  }
  if (end - start === 1) return ABSENT;
  switch (bytes[start + 1]) {
    case 0x30: // CONNECT
    case 0x31: // DISCONNECT
    case 0x34: {
      // CONNECT_ERROR
      if (head !== 'data') return ABSENT;
      const at = payloadStart(bytes, start + 2, end, OPEN_BRACE, QUOTE);
      if (at === undefined) return UNSURE;
      return at === end ? ABSENT : followJsonPath(bytes, at, end, clause.rest);
    }
    case 0x32: // EVENT
    case 0x33: {
      // ACK
      if (head !== 'args') return ABSENT;
      const at = payloadStart(bytes, start + 2, end, OPEN_BRACKET, OPEN_BRACKET);
      if (at === undefined || at === end) return UNSURE;
      return clause.rest.length === 0 ? CONTAINER : followJsonPath(bytes, at, end, bytes[start + 1] === 0x32 ? clause.inEvent : clause.rest);
    }
    default:
      return UNSURE;
  }
}

/** The clause as the probe reads it, or undefined: not under a carried key, `[*]`, a `$` name, a name not exact in UTF-8. */
function probedClause(clause: QueryClause): ProbedClause | undefined {
  const steps = probeSteps(clause.path);
  const [head, ...rest] = steps ?? [];
  if (head?.kind !== 'key' || !isCarried(head.name)) return undefined;
  if (rest.some((step) => step.kind === 'key' && !exactInUtf8(step.name))) return undefined;
  const [first, ...after] = rest;
  const inEvent = first?.kind === 'index' ? [{ kind: 'index' as const, index: first.index + 1 }, ...after] : rest;
  return { head: head.name, rest, inEvent, test: clause.test };
}

/** The probe prefilter for this query, or undefined when no clause has a path it reads. */
export function socketIoProbePrefilter(query: DecodedQuery): StatefulPrefilter | undefined {
  const clauses: ProbedClause[] = [];
  for (const clause of query.clauses) {
    const probed = probedClause(clause);
    if (probed) clauses.push(probed);
  }
  if (clauses.length === 0) return undefined;
  const key = `socketio probe\u0000${JSON.stringify(query.clauses.map((clause) => [clause.path, clause.test ? [clause.test.op, 'regex' in clause.test ? String(clause.test.regex) : clause.test.value] : null]))}`;
  return socketIoTextPrefilter(key, (slab, start, end) => {
    for (const clause of clauses) if (!mayHold(probe(slab, start, end, clause), clause.test)) return true;
    return false;
  });
}
