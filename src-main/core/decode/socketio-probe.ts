/**
 * Socket.IO's query probe (issue 14: `$.args[0].at > 1700000290000`, `$.data.sid`,
 * `$.event =~ /^chat/`, `$.nsp == '/admin'`: queries with no clause another rule reads, or
 * whose keys every message has): a clause is read from a text message's bytes without decoding
 * it, as socketio-decoder.ts builds its value, whose top-level keys are only these:
 * - `0…` (Engine.IO open): `engineIO` 'open', `handshake` the JSON after the type.
 * - `2…`, `3…` (ping, pong): `engineIO`, `data` the text after the type when there is any (one
 *   the client sends the wrong way is not valid, and matches nothing, whatever is said here).
 * - `1`, `5`, `6` (close, upgrade, noop): `engineIO` alone.
 * - `4` then a Socket.IO packet, read as socket.io-parser decodeString reads it: the type (`4`
 *   alone is not valid: a peer's Decoder gets no text), an optional namespace (`/admin,`: `nsp`, else '/'), an optional id (digits:
 *   `id`), then the JSON payload to the end. An event (`42`): `event` is the array's first item,
 *   `args` the items after it; an ack (`43`): `args` all of them; CONNECT, DISCONNECT and
 *   CONNECT_ERROR (`40`, `41`, `44`): `data` the payload. `engineIO` 'message', `type` the name.
 * Any other top-level name selects nothing. Each argument, and `event`, `data` and `handshake`,
 * is the parse as it is (parsed-json.ts; paths of at most 32 steps are never cut), so a path of
 * names and indexes selects in the value what it selects in the JSON (json-path-follow.ts, UNSURE
 * where a string on the path may hold JSON text); the other fields are strings or numbers, under
 * which nothing is selected save in a string holding JSON text (a ping's data: parsed-path.ts). A message the decoder
 * would not take (its JSON not valid, a reserved event name, a payload of the wrong kind, `4`
 * alone, a CONNECT_ERROR or a heartbeat the client sends the wrong way) matches nothing,
 * whatever the probe said. UNSURE (the message is decoded) for what it does not
 * read as the parser would: binary headers (`45`, `46`), bytes after a namespace or id the
 * parser may take as part of the id (whitespace, and any byte past ASCII: JavaScript's Number()
 * reads Unicode spaces as 0), other packet types, bad UTF-8 in a namespace. Passing over leaves
 * the decoder as it was: stateful-prefilter.ts socketIoTextPrefilter passes over only text
 * messages that decode alone in a direction keeping nothing (not binary headers, nor the open,
 * CONNECT, DISCONNECT and CONNECT_ERROR, which change the namespaces the decoder knows connected),
 * without a backslash (so strings end at their next quote and keys are their bytes).
 */
import type { DecodedQuery, QueryClause } from '../../shared/decoded-query';
import { followJsonPath } from './json-path-follow';
import { followText } from './parsed-path';
import { exactInUtf8 } from './raw-prefilter';
import { socketIoTextPrefilter, type StatefulPrefilter } from './stateful-prefilter';
import { ABSENT, CONTAINER, UNSURE, mayHold, probeSteps, textAt, type Probed, type ProbeStep } from './value-probe';

/** The top-level keys of a text message's value (the file comment), and `other` for any other name. */
type Head = 'args' | 'data' | 'handshake' | 'engineIO' | 'type' | 'nsp' | 'id' | 'event' | 'other';

interface ProbedClause {
  readonly head: Head;
  /** The steps after the head. */
  readonly rest: readonly ProbeStep[];
  /** In an event's JSON array: for `args` the first index one further (the event name is item 0), for `event` item 0 then the rest. */
  readonly inEvent: readonly ProbeStep[];
  readonly test: QueryClause['test'];
}

const HEADS: readonly Head[] = ['args', 'data', 'handshake', 'engineIO', 'type', 'nsp', 'id', 'event'];

function headOf(name: string): Head {
  return HEADS.find((head) => head === name) ?? 'other';
}

/** engine.io-parser's packet types by their digit, and socket.io-parser's (socketio-decoder.ts PACKET_NAMES). */
const ENGINE_IO_TYPES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
const PACKET_TYPES = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR'];

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COMMA = 0x2c;
const SLASH = 0x2f;
const OPEN_BRACKET = 0x5b;

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= DIGIT_0 && byte <= DIGIT_9;
}

/** Bytes after an id the parser may read on as part of it (Number(c) == c: whitespace, and non-ASCII, which may be a Unicode space). */
function mayExtendId(byte: number | undefined): boolean {
  return byte !== undefined && (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d) || byte >= 0x80);
}

/** An id's digits [from, to) as Number() reads them. */
function idValue(bytes: Buffer, from: number, to: number): number {
  if (to - from > 15) return Number(bytes.toString('latin1', from, to));
  let value = 0;
  for (let at = from; at < to; at++) value = value * 10 + ((bytes[at] ?? DIGIT_0) - DIGIT_0);
  return value;
}

/**
 * A field holding a scalar: the scalar for the head alone; under it nothing, save in a string
 * that holds JSON text (a ping's `2[1,2]`), which the path goes on into (parsed-path.ts).
 */
function scalarField(value: Probed, clause: ProbedClause): Probed {
  if (clause.rest.length === 0 || value === UNSURE) return value;
  return typeof value === 'string' ? followText(value, clause.rest) : ABSENT;
}

/** What the clause's path selects in the value of the Socket.IO packet `4…` at [start, end) of the slab. */
function packet(bytes: Buffer, start: number, end: number, clause: ProbedClause): Probed {
  // `4` alone is not valid (socketio-decoder.ts): it matches nothing, whatever is said here.
  if (end - start === 1) return ABSENT;
  const head = clause.head;
  if (head === 'engineIO') return scalarField('message', clause);
  const type = (bytes[start + 1] ?? 0) - DIGIT_0;
  const name = PACKET_TYPES[type];
  if (name === undefined) return UNSURE;
  if (head === 'type') return scalarField(name, clause);
  let at = start + 2;
  let nsp: Probed = '/';
  if (at < end && bytes[at] === SLASH) {
    const from = at;
    while (at < end && bytes[at] !== COMMA) at++;
    nsp = textAt(bytes, from, at);
    if (at < end) at++;
  }
  if (head === 'nsp') return scalarField(nsp, clause);
  const idFrom = at;
  while (at < end && isDigit(bytes[at])) at++;
  if (at < end && mayExtendId(bytes[at])) return UNSURE;
  if (head === 'id') return idFrom === at ? ABSENT : scalarField(idValue(bytes, idFrom, at), clause);
  // The payload from `at` to the end (none: no data, args or event).
  if (at === end) return ABSENT;
  switch (head) {
    case 'data':
      return name === 'CONNECT' || name === 'DISCONNECT' || name === 'CONNECT_ERROR' ? followJsonPath(bytes, at, end, clause.rest) : ABSENT;
    case 'args':
      if (name !== 'EVENT' && name !== 'ACK') return ABSENT;
      if (bytes[at] !== OPEN_BRACKET) return UNSURE; // not an array: not valid
      return clause.rest.length === 0 ? CONTAINER : followJsonPath(bytes, at, end, name === 'EVENT' ? clause.inEvent : clause.rest);
    case 'event':
      if (name !== 'EVENT') return ABSENT;
      return bytes[at] === OPEN_BRACKET ? followJsonPath(bytes, at, end, clause.inEvent) : UNSURE;
    default:
      return ABSENT;
  }
}

/** What the clause's path selects in the value of the text message at [start, end) of the slab (see the file comment). */
function probe(bytes: Buffer, start: number, end: number, clause: ProbedClause): Probed {
  if (end <= start) return UNSURE;
  const first = bytes[start] ?? 0;
  const engineIO = ENGINE_IO_TYPES[first - DIGIT_0];
  if (engineIO === undefined) return UNSURE;
  const head = clause.head;
  if (head === 'other') return ABSENT;
  if (first === 0x34) return packet(bytes, start, end, clause);
  if (head === 'engineIO') return scalarField(engineIO, clause);
  switch (first) {
    case 0x30: // open
      return head === 'handshake' ? followJsonPath(bytes, start + 1, end, clause.rest) : ABSENT;
    case 0x32: // ping
    case 0x33: // pong
      if (head !== 'data' || end - start === 1) return ABSENT;
      return scalarField(textAt(bytes, start + 1, end), clause);
    default:
      // close, upgrade, noop
      return ABSENT;
  }
}

/** The clause as the probe reads it, or undefined: `[*]`, a `$` name, a name not exact in UTF-8 after the head. */
function probedClause(clause: QueryClause): ProbedClause | undefined {
  const steps = probeSteps(clause.path);
  const [head, ...rest] = steps ?? [];
  if (head?.kind !== 'key') return undefined;
  if (rest.some((step) => step.kind === 'key' && !exactInUtf8(step.name))) return undefined;
  const name = headOf(head.name);
  const [first, ...after] = rest;
  const inEvent: ProbeStep[] =
    name === 'event' ? [{ kind: 'index', index: 0 }, ...rest] : first?.kind === 'index' ? [{ kind: 'index', index: first.index + 1 }, ...after] : rest;
  return { head: name, rest, inEvent, test: clause.test };
}

/** The probe prefilter for this query, or undefined when no clause has a path it reads (a path starting with a name). */
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
