/**
 * A SignalR MessagePack hub message proven to match a query without decoding it (match-proof.ts):
 * `[1, headers, invocationId, target, arguments]` and the other types, read from the bytes as
 * signalr-decoder.ts reads them (its binary(), recordOfArray and hubMessage). `true` needs all of:
 * - the walk's decoder is a SignalRDecoder that has read this direction's handshake and holds
 *   nothing unfinished (between): decoding then leaves it as it was. No decoder (a fresh one would
 *   read the handshake first) or any other state: `false`. Asked without the walk's idle gate;
 * - a binary frame that decode() does not read as JSON text (`{` first, a 0x1E in it), holding
 *   exactly one hub message: a varint length prefix whose message fills the frame to its end;
 * - its body one MessagePack array msgpackr reads as valid with maps as objects (the subset of
 *   msgpack-match-proof.ts wholeValue: no extensions, no key that is bytes, a list or a map), whose
 *   type is a whole number 1–9 (not a float, not 64-bit) and whose fields hubMessage accepts:
 *   1 and 4 a string target and a list of arguments, 2, 3 and 5 a string invocationId, 3 a result
 *   kind 1, 2 or 3 (whole numbers only);
 * - each clause holds for the value decode gives, `{messageType, ...record}` with `conversation`:
 *   clauses on `type` and `messageType` from the type, `conversation` from the type and a plain
 *   text invocationId, `target`, `arguments…`, `invocationId…`, `headers…` followed in the bytes
 *   (msgpack-match-proof.ts clauseProven, a key that is not a string never proven through).
 * A query with a clause on anything else (`item`, `result`, `error`, `sequenceId`, `$`, `[*]`
 * first, a name msgpack-match-proof.ts provenClause refuses) gets no proof.
 *
 * The body is read whole first (wholeList, which also finds the items) and the clauses after:
 * a frame proven is read once (0.28 → 0.22 µs a bench message for `$.type == 1`), one a clause
 * fails costs the whole read too (0.22 → 0.27 µs for `$.target == 'T7'`).
 *
 * The same reading (signalrMsgpackReading) says a frame surely does not match where the message
 * passes every check above and a clause fails on what it reads (msgpack-match-proof.ts
 * clauseVerdict, as exact as clauseProven), which signalr-match-proof.ts signalrRefutation uses
 * to pass it over: a query few hub messages match (`$.arguments[1] > 9990`, `$.invocationId ==
 * '35'`) is no longer decoded at every frame.
 */
import { holdsWhenAbsent, matchesDecodedQuery, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import type { JsonValue } from './json-value';
import type { StreamDecoder, WireFrame } from './decoded-frame';
import type { MatchProof } from './match-proof';
import { clauseVerdict, isList, isString, listItems, plainString, provenClause, smallInteger, wholeList, type ProvenClause } from './msgpack-match-proof';
import { SignalRDecoder } from './signalr-decoder';

/** As signalr-decoder.ts names the types, and the role an invocationId gives each in a conversation. */
const TYPE_NAMES = ['', 'Invocation', 'StreamItem', 'Completion', 'StreamInvocation', 'CancelInvocation', 'Ping', 'Close', 'Ack', 'Sequence'] as const;
const ROLES: readonly (string | undefined)[] = [undefined, 'request', 'stream', 'answer', 'request', 'request'];

/** The array item each field is read from, for the types that have it (hub invocations and the messages answering them). */
const HEADERS = 1;
const INVOCATION_ID = 2;
const TARGET = 3;
const ARGUMENTS = 4;

/** A clause as this proof reads it. */
type Plan =
  /** On `type` or `messageType`: whether it holds, by type (index 1–9). */
  | { kind: 'type'; holds: readonly boolean[] }
  /** On `conversation`: evaluated on the conversation the type and invocationId make. */
  | { kind: 'conversation'; query: DecodedQuery }
  /** On a field read from an item of the array: the rest of the path from there. */
  | { kind: 'item'; item: number; rest: ProvenClause; test: QueryClause['test'] };

/** The rules the proof checks, each switchable off only to show that the tests catch it. */
export interface SignalRMsgpackRules {
  /** Refuse without a SignalRDecoder that is between messages for the frame's direction. */
  readonly state: boolean;
  /** The message must fill the frame (one hub message, no second or cut one). */
  readonly oneMessage: boolean;
  /** The body must be read whole as valid MessagePack. */
  readonly wholeBody: boolean;
  /** The fields each type needs (target, arguments, invocationId, result kind). */
  readonly fields: boolean;
}

const RULES: SignalRMsgpackRules = { state: true, oneMessage: true, wholeBody: true, fields: true };

function planOf(clause: QueryClause): Plan | undefined {
  const [first, ...rest] = clause.path;
  if (first?.kind !== 'key') return undefined;
  const one: DecodedQuery = { clauses: [clause] };
  switch (first.name) {
    case 'type':
    case 'messageType':
      // Only that key of the value is read: a value holding it alone answers alike.
      return { kind: 'type', holds: TYPE_NAMES.map((name, type) => type > 0 && matchesDecodedQuery(one, { type, messageType: name })) };
    case 'conversation':
      return { kind: 'conversation', query: one };
    case 'headers':
    case 'invocationId':
    case 'target':
    case 'arguments': {
      const item = first.name === 'headers' ? HEADERS : first.name === 'invocationId' ? INVOCATION_ID : first.name === 'target' ? TARGET : ARGUMENTS;
      const proven = provenClause({ ...clause, path: rest }, true);
      return proven ? { kind: 'item', item, rest: proven, test: clause.test } : undefined;
    }
    default:
      return undefined;
  }
}

/** Set by messageEnd: where the hub message's body starts. */
let bodyAt = 0;

/**
 * The end of the hub message at `start` (its varint length prefix read as signalr-decoder.ts
 * lengthPrefix does), -1 when the prefix or the message is not all there or, with `oneMessage`,
 * does not end at `end`.
 */
function messageEnd(slab: Buffer, start: number, end: number, oneMessage: boolean): number {
  let size = 0;
  for (let i = 0; i < 5 && start + i < end; i++) {
    const byte = slab[start + i] ?? 0;
    size += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      bodyAt = start + i + 1;
      const last = bodyAt + size;
      return last === end || (!oneMessage && last < end) ? last : -1;
    }
  }
  return -1;
}

/** The item a field is read from in a message of this type, or -1 where the record has no such field. */
function itemOf(type: number, item: number, invocationIdIsString: boolean): number {
  if (item === TARGET || item === ARGUMENTS) return type === 1 || type === 4 ? item : -1;
  if (type > 5) return -1;
  return item === INVOCATION_ID && !invocationIdIsString ? -1 : item;
}

/**
 * What the exact reading says of a frame: true (it matches), false (it surely does not: a valid
 * hub message, read whole, the decoder left as it was, that a clause fails on) or undefined (not
 * known: refused, or a clause not read to its end).
 */
export type SignalRMsgpackReading = (slab: Buffer, start: number, frameEnd: number, opcode: string, decoder: StreamDecoder | undefined, dir: WireFrame['dir'] | undefined) => boolean | undefined;

/** The reading for this query (see the file comment), or undefined when it has a clause this reading cannot follow. */
export function signalrMsgpackReading(query: DecodedQuery, rules: SignalRMsgpackRules = RULES): SignalRMsgpackReading | undefined {
  const plans: Plan[] = [];
  for (const clause of query.clauses) {
    const plan = planOf(clause);
    if (!plan) return undefined;
    plans.push(plan);
  }
  if (plans.length === 0) return undefined;
  // Item starts of the array (reused: no allocation a message).
  const starts = new Int32Array(6);
  return (slab, start, frameEnd, opcode, decoder, dir) => {
    if (opcode !== 'binary' || !(start >= 0 && frameEnd > start && frameEnd <= slab.length)) return undefined;
    if (rules.state && !(decoder instanceof SignalRDecoder && dir !== undefined && decoder.between(dir))) return undefined;
    // decode() reads such a frame as JSON text records.
    if (slab[start] === 0x7b && slab.subarray(start, frameEnd).includes(0x1e)) return undefined;
    const end = messageEnd(slab, start, frameEnd, rules.oneMessage);
    if (end < 0) return undefined;
    const body = bodyAt;
    // Read whole first (one pass that also finds the items); without the rule, only the items.
    const count = rules.wholeBody ? wholeList(slab, body, end, starts) : listItems(slab, body, end, starts);
    if (count < 1) return undefined;
    const type = smallInteger(slab, starts[0] ?? -1, end);
    if (type === undefined || type < 1 || type > 9) return undefined;
    const idAt = starts[INVOCATION_ID] ?? -1;
    const idIsString = idAt >= 0 && type <= 5 && isString(slab, idAt, end);
    if (rules.fields) {
      if ((type === 1 || type === 4) && !(count >= 5 && isString(slab, starts[TARGET] ?? -1, end) && isList(slab, starts[ARGUMENTS] ?? -1, end))) return undefined;
      if ((type === 2 || type === 3 || type === 5) && !idIsString) return undefined;
      if (type === 3) {
        const kind = smallInteger(slab, starts[3] ?? -1, end);
        if (kind !== 1 && kind !== 2 && kind !== 3) return undefined;
      }
    }
    // Every clause must hold for a match; one that surely fails settles it.
    let verdict: boolean | undefined = true;
    for (const plan of plans) {
      let holds: boolean | undefined;
      if (plan.kind === 'type') holds = plan.holds[type] === true;
      else if (plan.kind === 'item') {
        const item = itemOf(type, plan.item, idIsString);
        const at = item < 0 || item >= count ? -1 : (starts[item] ?? -1);
        if (item >= 0 && item < count && at < 0) holds = undefined;
        else holds = at < 0 ? holdsWhenAbsent(plan.test) : clauseVerdict(slab, at, end, plan.rest);
      } else {
        const role = ROLES[type];
        let value: { [key: string]: JsonValue } | undefined = {};
        if (idIsString && role !== undefined) {
          const id = plainString(slab, idAt, end);
          value = id === undefined ? undefined : { conversation: { key: `signalr invocation ${id}`, role, label: `invocation ${id}` } };
        }
        holds = value === undefined ? undefined : matchesDecodedQuery(plan.query, value);
      }
      if (holds === false) return false;
      if (holds === undefined) verdict = undefined;
    }
    return verdict;
  };
}

/** The proof for this query, or undefined when it has a clause this proof cannot read (see the file comment). */
export function signalrMsgpackMatchProof(query: DecodedQuery, rules: SignalRMsgpackRules = RULES): MatchProof | undefined {
  const reading = signalrMsgpackReading(query, rules);
  return reading && ((slab, start, end, opcode, decoder, dir) => reading(slab, start, end, opcode, decoder, dir) === true);
}
