/**
 * ASP.NET Core SignalR's match proof (match-proof.ts): a query most hub messages match
 * (`$.type == 1`, `$.target != 'x'`, `$.arguments[1].n >= 0`) is counted without JSON.parse of
 * every record (signalr-decoder.ts). The decoder keeps state per direction (the handshake, an
 * unfinished record), and the walk asks this proof at every frame (SignalRDecoder has no `idle`),
 * so the proof checks the state itself:
 * - the walk's decoder is a SignalRDecoder `between(dir)` records for the frame's direction (its
 *   handshake read, nothing pending): a message of whole records is then read as hub messages and
 *   leaves the decoder as it was. No decoder (a fresh one would read a handshake first, and
 *   remember it) or no direction: not proven;
 * - the message is exactly one record: a JSON object text, then one 0x1E as its last byte and no
 *   other (the JSON check refuses a raw 0x1E anywhere before it). A text frame, or a binary one
 *   starting with `{` (decode() reads that as text, since it holds a 0x1E and nothing binary is
 *   pending, which `between` says); JSON.parse takes the record (json-text-check.ts: strict UTF-8,
 *   which the decoder's lenient reading then reads the same; a byte-order mark refused as
 *   JSON.parse refuses it);
 * - the record passes hubMessage()'s checks for its type (SIGNALR_PROOF_RULES, which the test
 *   checks against the decoder): `type` a number whose value is a whole number 1–9 (`1.0`, `1e0`
 *   too); Invocation and StreamInvocation a string `target` and an array `arguments`;
 *   StreamItem, Completion and CancelInvocation a string `invocationId`; a Completion not both
 *   `error` and `result` (keys, whatever their values). The top-level members are located in the
 *   JSON check's own pass (json-text-check.ts followCheckedJsonPath with TopMembers: the last of
 *   duplicate keys, as JSON.parse keeps it; an escaped top-level key is UNSURE, not proven, as it
 *   may spell `type`), and read only once the whole record is checked;
 * - the value is `{messageType: name, ...record}` (toJsonValue: values cut past 64 levels, never
 *   on a path of at most 32 steps; 1e400 as "Infinity") with `conversation` set for types 1–5 that
 *   have a string invocationId. `$.messageType` is computed exactly: the record's own member when
 *   it has one (it overrides), else the type's name (a step into it selects nothing).
 *   `$.conversation…` too: for types 1–5 with a string invocationId the decoder's own {key, role,
 *   label} (the id's text read from the bytes, not proven at an escape; the clause then tested on
 *   that object by matchesDecodedQuery), else the record's own member. `$` names and a `[*]`
 *   anywhere but last get no proof (value-probe.ts probeSteps, so no other path reaches what the
 *   decoder writes itself: toJsonValue's $cut); a last `[*]` after a record's own name
 *   (`$.arguments[*] == 'room3'`) is proven to hold when one of the container's first 4 items
 *   surely holds (an index selects only in an array, whose items `[*]` selects), never to fail;
 *   `$.type` alone is the type already read; the first
 *   other clause is followed in that same pass, the rest from their top-level member
 *   (json-path-follow.ts), either UNSURE (not proven) at a backslash on the way or a string that
 *   may hold JSON text.
 * The same reading also rules out (signalrRefutation, a stateful prefilter the query walk asks):
 * a record it reads whole where a clause surely fails on the exact value, and a message of several
 * whole records for a clause that cannot hold on `{messages: [...]}`.
 * Not proven (false): handshakes, several records or part of one, MessagePack binary messages,
 * other opcodes, anything the decoder refuses, escapes where the proof reads, nesting past
 * json-text-check.ts's stack. No proof (undefined): a clause no proven message meets (`$ == 1`,
 * `$.type == 10`).
 *
 * Cost (bench/decoded-streams.ts SIGNALR_STREAM, 99,998 hub messages after the handshakes, 83 %
 * of them single Invocation records of about 80 B; CPU a message, best of 6 rounds, the decoder
 * handshaken; a shared 2-core machine at load 4–10): `$.type == 1` 0.37–0.62 µs,
 * `$.messageType == 'Invocation'` 0.44–0.46, `$.conversation != 1` 0.48, `$.arguments[1].n >= 0`
 * 0.51–0.53, `$.target != 'x'` 0.58–0.63, `$.arguments[0] =~ /^room/` 0.62–0.67, against 2.5–2.9
 * to decode and match.
 */
import { holdsForValue, holdsWhenAbsent, matchesDecodedQuery, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import { followJsonPath } from './json-path-follow';
import { NOT_JSON, followCheckedJsonPath, topMembers, type TopMembers } from './json-text-check';
import type { StreamDecoder, WireFrame } from './decoded-frame';
import type { MatchProof } from './match-proof';
import { SignalRDecoder } from './signalr-decoder';
import { signalrMsgpackReading, type SignalRMsgpackRules } from './signalr-msgpack-match-proof';
import type { StatefulPrefilter } from './stateful-prefilter';
import { ABSENT, CONTAINER, probeSteps, surelyHolds, UNSURE, type Probed, type ProbeStep } from './value-probe';

/** What hubMessage() needs of a type besides the type itself. */
export interface ProvenType {
  /** The type's name, which the value's `messageType` shows unless the record has its own. */
  readonly name: string;
  /** A string `target` and an array `arguments` (Invocation, StreamInvocation). */
  readonly invocation: boolean;
  /** A string `invocationId`. */
  readonly id: boolean;
  /** Not both an `error` and a `result` key (Completion). */
  readonly errorOrResult: boolean;
  /** The role a string invocationId gives it in a conversation (the decoder's ROLES), if any. */
  readonly role?: 'request' | 'answer' | 'stream';
}

/** What the proof may vouch for (a parameter only so that the test can break it and see it caught). */
export interface SignalrProofRules {
  /** The proven types by number, as signalr-decoder.ts MESSAGE_TYPES and hubMessage() say. */
  readonly types: Readonly<Record<number, ProvenType>>;
  /** Whether `conversation` is made as the decoder makes it where it sets one (false only to see the test fail: then read from the record). */
  readonly madeConversation: boolean;
  /** Whether `messageType` is taken from the record when it has one (false only to see the test fail). */
  readonly ownMessageType: boolean;
  /** Whether the decoder must be between records for the direction (false only to see the test fail). */
  readonly checkState: boolean;
  /** Whether the record is checked as JSON.parse would take it (false only to see the test fail). */
  readonly checkText: boolean;
}

const plain = (name: string): ProvenType => ({ name, invocation: false, id: false, errorOrResult: false });

export const SIGNALR_PROOF_RULES: SignalrProofRules = {
  types: {
    1: { name: 'Invocation', invocation: true, id: false, errorOrResult: false, role: 'request' },
    2: { name: 'StreamItem', invocation: false, id: true, errorOrResult: false, role: 'stream' },
    3: { name: 'Completion', invocation: false, id: true, errorOrResult: true, role: 'answer' },
    4: { name: 'StreamInvocation', invocation: true, id: false, errorOrResult: false, role: 'request' },
    5: { name: 'CancelInvocation', invocation: false, id: true, errorOrResult: false, role: 'request' },
    6: plain('Ping'),
    7: plain('Close'),
    8: plain('Ack'),
    9: plain('Sequence'),
  },
  madeConversation: true,
  ownMessageType: true,
  checkState: true,
  checkText: true,
};

const RECORD_SEPARATOR = 0x1e;
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const NO_STEPS: readonly ProbeStep[] = [];

/** The top-level names read: these first, then the clauses' first names. */
const TYPE = 0;
const ID = 1;
const TARGET = 2;
const ARGUMENTS = 3;
const ERROR = 4;
const RESULT = 5;
const MESSAGE_TYPE = 6;
const CONVERSATION = 7;
const FIXED_NAMES = ['type', 'invocationId', 'target', 'arguments', 'error', 'result', 'messageType', 'conversation'];

interface ProvenClause {
  /** Index into the top-level names read. */
  readonly head: number;
  readonly steps: readonly ProbeStep[];
  /**
   * A path ending in `[*]` (`$.arguments[*] == 'room3'`): `steps` then lead to the container, and
   * these to its first items (steps plus an index each). Such a clause is only ever proven to hold.
   */
  readonly items?: readonly (readonly ProbeStep[])[];
  readonly test: QueryClause['test'];
  /** The clause itself, as a query: tested on the conversation the decoder makes (matchesDecodedQuery). */
  readonly alone: DecodedQuery;
}


/** The `type` member's number (the text is checked later: a number text is what JSON.parse reads), or NaN. */
function typeNumber(bytes: Buffer, at: number, end: number): number {
  if (at < 0) return NaN;
  const first = bytes[at] ?? 0;
  // A JSON number starts with `-` or a digit; anything else (a string "1", true) is no number.
  if (first !== 0x2d && (first < 0x30 || first > 0x39)) return NaN;
  // One digit then a delimiter: the common case, read without a string.
  const next = bytes[at + 1] ?? 0;
  if (first !== 0x2d && (next < 0x30 || next > 0x39) && next !== 0x2e && next !== 0x65 && next !== 0x45) return first - 0x30;
  let past = at + 1;
  while (past < end && isNumberByte(bytes[past] ?? 0)) past++;
  return Number(bytes.toString('latin1', at, past));
}

/** A byte a JSON number's text may hold past its first (digits, `.`, `e`, `E`, `+`, `-`). */
function isNumberByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || byte === 0x2e || byte === 0x65 || byte === 0x45 || byte === 0x2b || byte === 0x2d;
}

/** Whether hubMessage() passes the record for this type, from the members found. */
function needsMet(bytes: Buffer, type: ProvenType, found: Int32Array): boolean {
  if (type.id && bytes[found[ID] ?? -1] !== QUOTE) return false;
  if (type.invocation && (bytes[found[TARGET] ?? -1] !== QUOTE || bytes[found[ARGUMENTS] ?? -1] !== OPEN_BRACKET)) return false;
  if (type.errorOrResult && (found[ERROR] ?? -1) >= 0 && (found[RESULT] ?? -1) >= 0) return false;
  return true;
}

/** What a message's exact reading says of the query: it matches, it surely does not, or not known. */
const NOT_KNOWN = 0;
const MATCHES = 1;
const FAILS = 2;
type Verdict = typeof NOT_KNOWN | typeof MATCHES | typeof FAILS;

/** A clause's verdict on what its path selected (UNSURE: not known). */
function verdictOf(value: Probed, test: QueryClause['test']): Verdict {
  if (value === UNSURE) return NOT_KNOWN;
  return surelyHolds(value, test) ? MATCHES : FAILS;
}

/**
 * `settles`: the verdict after which the asker's walk asks nothing more of this message (the
 * proof's MATCHES: counted; the rule-out's FAILS: passed over), so nobody comes for the memo.
 */
type Reading = (slab: Buffer, start: number, end: number, opcode: string, decoder: StreamDecoder | undefined, dir: WireFrame['dir'] | undefined, settles: Verdict) => Verdict;

/**
 * The exact reading of one record (see the file comment) for this query, or undefined when a
 * clause cannot be read (`[*]`, `$` names) or is the same for every message (`$`, `$[0]`). A
 * verdict of FAILS is as exact as MATCHES: the record is read whole, its type and needs as
 * hubMessage() checks them, and a clause holds not for the exact value it selects.
 */
function signalrReading(query: DecodedQuery, rules: SignalrProofRules): { read: Reading; typeMayHold: boolean; mayFail: boolean } | undefined {
  const types = new Map<number, ProvenType>(Object.entries(rules.types).map(([type, needs]) => [Number(type), needs]));
  const names: Buffer[] = FIXED_NAMES.map((name) => Buffer.from(name, 'utf8'));
  const clauses: ProvenClause[] = [];
  /** `$.type` alone: whether it holds, by type number. */
  const typeTests: QueryClause['test'][] = [];
  for (const clause of query.clauses) {
    // A last `[*]` is read as the container's first items (ANY_ITEMS); any other `[*]`: no reading.
    const anyLast = clause.path.length >= 2 && clause.path[clause.path.length - 1]?.kind === 'any';
    const steps = probeSteps(anyLast ? clause.path.slice(0, -1) : clause.path);
    if (!steps) return undefined;
    const first = steps[0];
    if (first === undefined || first.kind === 'index') {
      // The value is an object: `$` is a container, an index into it selects nothing. Such a
      // clause holds for every message or for none (then no proof: asking would only cost).
      if (!surelyHolds(first === undefined ? CONTAINER : ABSENT, clause.test)) return undefined;
      continue;
    }
    if (!anyLast && first.name === 'type' && steps.length === 1) {
      typeTests.push(clause.test);
      continue;
    }
    let head = names.findIndex((name) => name.equals(first.utf8));
    if (head < 0) head = names.push(first.utf8) - 1;
    if (!anyLast) {
      clauses.push({ head, steps, test: clause.test, alone: { clauses: [clause] } });
      continue;
    }
    // The decoder's own objects (its messageType, the conversation it makes) are not followed item by item.
    if (head === MESSAGE_TYPE || head === CONVERSATION) return undefined;
    const items = Array.from({ length: ANY_ITEMS }, (_, index): readonly ProbeStep[] => [...steps, { kind: 'index', index }]);
    clauses.push({ head, steps, items, test: clause.test, alone: { clauses: [clause] } });
  }
  // The types each `$.type` clause holds for; a record of another (valid) type surely fails.
  const typeHolds = new Set<number>();
  for (const [type] of types) if (typeTests.every((test) => holdsForValue(test, type))) typeHolds.add(type);
  const top: TopMembers = topMembers(names);
  const found = top.at;
  // A messageType clause is answered from the type's name when the record has none; the first
  // other clause is followed in the JSON check's own pass (one pass, not two), which also locates
  // the top-level members.
  const checked = clauses.find((clause) => clause.head !== MESSAGE_TYPE && clause.head !== CONVERSATION && clause.items === undefined);
  const checkedSteps = checked?.steps ?? NO_STEPS;
  const others = clauses.filter((clause) => clause !== checked);
  const { checkState, checkText, ownMessageType, madeConversation } = rules;

  const selected = (bytes: Buffer, end: number, clause: ProvenClause, type: ProvenType): Probed => {
    const at = clause.head === MESSAGE_TYPE && !ownMessageType ? -1 : (found[clause.head] ?? -1);
    if (at >= 0) return followJsonPath(bytes, at, end, clause.steps, 1);
    if (clause.head !== MESSAGE_TYPE) return ABSENT;
    // The type's name (letters only): a step into it selects nothing.
    return clause.steps.length === 1 ? type.name : ABSENT;
  };

  /** A clause's verdict, the conversation made as hubMessage() makes it where it sets one. */
  const clauseVerdict = (bytes: Buffer, end: number, clause: ProvenClause, type: ProvenType): Verdict => {
    if (clause.items) return anyItemHolds(bytes, end, clause) ? MATCHES : NOT_KNOWN;
    const idAt = found[ID] ?? -1;
    if (clause.head === CONVERSATION && madeConversation && type.role !== undefined && bytes[idAt] === QUOTE) {
      // The id's text (UNSURE at an escape: not known); then the clause on the conversation itself.
      const id = followJsonPath(bytes, idAt, end, NO_STEPS);
      if (typeof id !== 'string') return NOT_KNOWN;
      const conversation = { key: `signalr invocation ${id}`, role: type.role, label: `invocation ${id}` };
      return matchesDecodedQuery(clause.alone, { conversation }) ? MATCHES : FAILS;
    }
    return verdictOf(selected(bytes, end, clause, type), clause.test);
  };

  /**
   * Whether one of the first ANY_ITEMS items of the container a `[*]` clause's steps lead to
   * surely holds: an index selects an item only in an array, whose items `[*]` selects (selectPath
   * reads a string as JSON text before the step, which the follower answers UNSURE for). The
   * clause then holds (some selected value holds). Otherwise not known, never a failure.
   */
  const anyItemHolds = (bytes: Buffer, end: number, clause: ProvenClause): boolean => {
    const at = found[clause.head] ?? -1;
    if (at < 0 || !clause.items) return false;
    for (const steps of clause.items) {
      const item = followJsonPath(bytes, at, end, steps, 1);
      // ABSENT: past the last item, or no array.
      if (item === UNSURE || item === ABSENT) return false;
      if (surelyHolds(item, clause.test)) return true;
    }
    return false;
  };

  /**
   * The last verdict and a copy of its message's bytes: the walk asks the proof and the rule-out
   * about the same message one after the other, and the second takes it after comparing the bytes
   * (a slab's buffer is reused once its frames are evicted, so where they lay proves nothing).
   * Kept only when the verdict does not settle the message for its asker (in a dense query's run
   * of proven frames the proof alone is asked: copying each message would cost more than the
   * JSON check it saves, 0.1–0.2 µs against nothing).
   */
  const memo = Buffer.alloc(MEMO_BYTES);
  let memoLength = -1;
  let memoVerdict: Verdict = NOT_KNOWN;

  const read: Reading = (slab, start, end, opcode, decoder, dir, settles) => {
    // A binary message is read as text only when it starts with `{` (and holds a 0x1E, nothing pending).
    if (opcode !== 'text' && !(opcode === 'binary' && slab[start] === OPEN_BRACE)) return NOT_KNOWN;
    if (checkState && (dir === undefined || !(decoder instanceof SignalRDecoder) || !decoder.between(dir))) return NOT_KNOWN;
    const last = end - 1;
    if (last <= start || slab[last] !== RECORD_SEPARATOR) return NOT_KNOWN;
    // What follows depends on the bytes alone (the opcode only picks text, as above).
    const length = end - start;
    if (length === memoLength && sameBytes(memo, slab, start, length)) {
      memoLength = -1;
      return memoVerdict;
    }
    const verdict = readRecord(slab, start, last);
    if (verdict !== settles && length <= MEMO_BYTES) {
      copyBytes(slab, start, length, memo);
      memoLength = length;
      memoVerdict = verdict;
    } else memoLength = -1;
    return verdict;
  };

  /** The verdict on one record at [start, last), the separator at `last`. */
  const readRecord = (slab: Buffer, start: number, last: number): Verdict => {
    // NOT_JSON for a text JSON.parse refuses (a raw 0x1E in it too), UNSURE where it does not
    // follow (an escaped top-level key among them); any other answer comes after every byte is
    // checked, with the top-level members located.
    let value = followCheckedJsonPath(slab, start, last, checkedSteps, top);
    if (value === UNSURE) return NOT_KNOWN;
    if (value === NOT_JSON) {
      if (checkText) return NOT_KNOWN;
      // The sabotage: trust what was located before the check failed.
      value = checked ? UNSURE : CONTAINER;
    }
    const number = typeNumber(slab, found[TYPE] ?? -1, last);
    const type = types.get(number);
    if (type === undefined || !needsMet(slab, type, found)) return NOT_KNOWN;
    // A valid record's `type` is the number read: a `$.type` clause surely fails for another.
    if (!typeHolds.has(number)) return FAILS;
    let verdict: Verdict = MATCHES;
    if (checked) {
      const own = verdictOf(value === UNSURE ? selected(slab, last, checked, type) : value, checked.test);
      if (own === FAILS) return FAILS;
      if (own === NOT_KNOWN) verdict = NOT_KNOWN;
    }
    // Every clause must hold for a match; one that surely fails settles it.
    for (const clause of others) {
      const own = clauseVerdict(slab, last, clause, type);
      if (own === FAILS) return FAILS;
      if (own === NOT_KNOWN) verdict = NOT_KNOWN;
    }
    return verdict;
  };
  // A reading whose clauses are all `[*]` ones never says a message fails.
  return { read, typeMayHold: typeHolds.size > 0, mayFail: typeTests.length > 0 || clauses.some((clause) => clause.items === undefined) };
}

/** Items of a container a last `[*]` is read at (most hub arguments lists are shorter). */
const ANY_ITEMS = 4;

/** Messages up to this size are remembered for the second asker (SignalR's are mostly under 200 B). */
const MEMO_BYTES = 1024;

/** Whether memo[0, length) holds slab[start, start + length): a loop, as Buffer.compare's native call costs more for a message this small. */
function sameBytes(memo: Buffer, slab: Buffer, start: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (memo[k] !== slab[start + k]) return false;
  return true;
}

/** slab[start, start + length) copied to the front of memo, by a loop for the same reason. */
function copyBytes(slab: Buffer, start: number, length: number, memo: Buffer): void {
  for (let k = 0; k < length; k++) memo[k] = slab[start + k] ?? 0;
}

/** The reading with the default rules, one per query: the proof and the rule-out share its memo. */
const READINGS = new WeakMap<DecodedQuery, ReturnType<typeof signalrReading>>();

function sharedReading(query: DecodedQuery, rules: SignalrProofRules): ReturnType<typeof signalrReading> {
  if (rules !== SIGNALR_PROOF_RULES) return signalrReading(query, rules);
  if (!READINGS.has(query)) READINGS.set(query, signalrReading(query, rules));
  return READINGS.get(query);
}

/**
 * The proof for this query over SignalR messages, or undefined when it can prove none (see the
 * file comment). `rules`: the test's broken ones only.
 */
export function signalrMatchProof(query: DecodedQuery, rules: SignalrProofRules = SIGNALR_PROOF_RULES): MatchProof | undefined {
  const reading = sharedReading(query, rules);
  // Only the types each `$.type` clause holds for are proven; none: no proof.
  if (!reading?.typeMayHold) return undefined;
  const { read } = reading;
  return (slab, start, end, opcode, decoder, dir) => read(slab, start, end, opcode, decoder, dir, MATCHES) === MATCHES;
}

/** What the refutation may rule out (a parameter only so that the test can break it and see it caught). */
export interface SignalrRefutationRules {
  /** The proof's reading. */
  readonly proof: SignalrProofRules;
  /** Whether a message of several records is passed over only when the decoder is between records (false only to see the test fail). */
  readonly checkState: boolean;
  /** Whether only a FAILS verdict passes one record over (false only to see the test fail: anything not a match). */
  readonly onlyFails: boolean;
  /** Whether a path starting with `messages` is kept from the several records' rule (false only to see the test fail). */
  readonly keepMessages: boolean;
  /** The MessagePack hub reading's rules (signalr-msgpack-match-proof.ts; undefined: its defaults). */
  readonly msgpack?: SignalRMsgpackRules;
}

export const SIGNALR_REFUTATION_RULES: SignalrRefutationRules = { proof: SIGNALR_PROOF_RULES, checkState: true, onlyFails: true, keepMessages: true };

/**
 * The proof's rule-out (a stateful prefilter, stateful-prefilter.ts): in a direction the decoder
 * is `between` records, a text message (or a binary one starting with `{`, read as text) of whole
 * records, decoding which leaves the decoder as it was, cannot match when
 * - it is one record the proof reads exactly (signalrReading) and a clause surely fails on its
 *   value (a valid type a `$.type` clause does not hold for; a definite selection, not UNSURE,
 *   the clause does not hold for);
 * - it is two or more records: each is either refused by hubMessage() (the message is then not
 *   valid) or the value is `{messages: [...]}`, where a path starting with another name or an
 *   index selects nothing, so a clause that does not hold when absent (not `!=`) fails;
 * - it is one MessagePack hub message (binary) the MessagePack proof's reading reads whole and a
 *   clause surely fails on (signalr-msgpack-match-proof.ts signalrMsgpackReading).
 * Undefined when none can ever rule a message out.
 */
export function signalrRefutation(query: DecodedQuery, rules: SignalrRefutationRules = SIGNALR_REFUTATION_RULES): StatefulPrefilter | undefined {
  const reading = sharedReading(query, rules.proof);
  // A reading that never fails a message would be asked at every message for nothing.
  const read = reading?.mayFail === true ? reading.read : undefined;
  const readHubMessage = signalrMsgpackReading(query, rules.msgpack);
  const joinedFails = query.clauses.some((clause) => {
    const first = clause.path[0];
    return first !== undefined && (first.kind === 'index' || (first.kind === 'key' && (first.name !== 'messages' || !rules.keepMessages))) && !holdsWhenAbsent(clause.test);
  });
  if (!read && !joinedFails && !readHubMessage) return undefined;
  const { checkState, onlyFails } = rules;
  return {
    kind: 'stateful',
    key: `signalr refutation\u0000${JSON.stringify(query.clauses.map((clause) => [clause.path, clause.test ? [clause.test.op, 'regex' in clause.test ? String(clause.test.regex) : clause.test.value] : null]))}`,
    needles: [],
    passable(decoder, slab, start, end, opcode, dir) {
      if (read) {
        const verdict = read(slab, start, end, opcode, decoder, dir, FAILS);
        if (verdict === FAILS || (!onlyFails && verdict === NOT_KNOWN)) return true;
        if (verdict === MATCHES) return false;
      }
      if (readHubMessage && opcode === 'binary') {
        const holds = readHubMessage(slab, start, end, opcode, decoder, dir);
        if (holds !== undefined) return !holds;
        if (!onlyFails) return true;
      }
      if (!joinedFails) return false;
      if (opcode !== 'text' && !(opcode === 'binary' && slab[start] === OPEN_BRACE)) return false;
      if (checkState && !(decoder instanceof SignalRDecoder && decoder.between(dir))) return false;
      const last = end - 1;
      // Whole records (nothing kept), and another separator before the last: several records.
      if (last <= start || slab[last] !== RECORD_SEPARATOR) return false;
      const other = slab.indexOf(RECORD_SEPARATOR, start);
      return other >= 0 && other < last;
    },
  };
}
