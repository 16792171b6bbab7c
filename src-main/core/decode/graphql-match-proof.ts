/**
 * GraphQL over WebSocket's match proof (match-proof.ts): a query most messages match
 * (`$.type == 'next'`, `$.payload.data.price.price >= 0`) is counted without JSON.parse of every
 * result (graphql-ws-decoder.ts). The decoder keeps state (the operation each id asked), but the
 * proof holds whatever that state is, so the walk may ask it at every frame, idle or not:
 * - only the message types whose decoding neither remembers nor forgets an operation are proven:
 *   `next` and `data` (an id: a non-empty string; a payload object) and the id-less types
 *   (connection_init, connection_ack, connection_error, connection_terminate, ka, ping, pong),
 *   with the decoder's own requirements (GRAPHQL_PROOF_RULES, which the test checks against it);
 *   subscribe/start (remember), complete/error/stop (forget) and any other type are not;
 * - the value is the parsed message, with `operation` ({type, name}) set at the top when the id
 *   is remembered: the one part that depends on the state (it replaces a top-level "operation"
 *   the message itself has). A query with a clause whose path starts at `operation` gets no proof
 *   (undefined); `[*]` and `$` names have none either (value-probe.ts probeSteps), so no other
 *   path can reach it;
 * - the message is a text frame (binary is invalid, control frames have no outcome) whose bytes
 *   are one JSON object JSON.parse takes (json-text-check.ts, strict UTF-8, which the decoder's
 *   lenient reading then reads the same; a byte-order mark is refused as JSON.parse refuses it);
 *   the check locates the top-level members the proof reads in its own pass (followCheckedJsonPath
 *   with TopMembers: the message's bytes are read once), the last of duplicate keys kept
 *   (JSON.parse keeps it), a top-level key with a backslash not proven (`"typ\u0065"` may be
 *   `type`), `type` a string without a backslash naming a proven type;
 * - each clause holds for what its path selects, tested with the query's own rules
 *   (holdsForValue, holdsWhenAbsent): `$.type` alone is the type already read; the first other
 *   clause is followed in that same pass, the rest from the top-level member their first name
 *   picks (json-path-follow.ts); either is UNSURE, so not proven, at a backslash on the way or a
 *   string that may hold JSON text. The value is never cut on a path (at most 32 steps, json-value.ts cuts past 64 levels) and a
 *   number is what JSON.parse and json-value.ts make of it (1e400 as "Infinity": parsed-json.ts).
 * Not proven (false): anything else, including escapes where the proof reads, nesting past
 * json-text-check.ts's stack, bad UTF-8 anywhere. No proof (undefined): an `operation` clause,
 * `[*]`, a `$` name, a path past 32 steps, a clause no proven message meets (`$.type ==
 * 'subscribe'`; `$ == 1` or `$[0] == 1`: the value is an object): asking would only cost.
 *
 * Cost (bench/decoded-streams.ts GRAPHQL_STREAM, 100,000 messages of 81 B on average, CPU a
 * message, best of 6 rounds, a shared 2-core machine at load 2–6): `$.type == 'next'` 0.34–0.38
 * µs (the JSON check alone 0.24; a plain byte loop over the message 0.10),
 * `$.payload.data.price.price >= 0` 0.52–0.54, with a regex clause beside `$.type` 0.72, against
 * 1.6–2.2 to decode and match.
 */
import { holdsForValue, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import { followJsonPath } from './json-path-follow';
import { NOT_JSON, followCheckedJsonPath, topMembers, type TopMembers } from './json-text-check';
import type { MatchProof } from './match-proof';
import { ABSENT, CONTAINER, probeSteps, sameBytes, surelyHolds, UNSURE, type Probed, type ProbeStep } from './value-probe';

/** What a proven type needs besides its `type`, as graphql-ws-decoder.ts MESSAGE_TYPES says. */
export interface ProvenType {
  /** An `id` that is a non-empty string. */
  readonly id: boolean;
  /** A `payload` that is an object. */
  readonly payload: boolean;
}

/** What the proof may vouch for (a parameter only so that the test can break it and see it caught). */
export interface GraphqlProofRules {
  /** The types whose decoding leaves the decoder's operations as they were, and their needs. */
  readonly types: Readonly<Record<string, ProvenType>>;
  /** Top-level names the decoder sets from its state: a clause starting at one gets no proof. */
  readonly stateNames: readonly string[];
  /** Whether the text is checked as JSON.parse would take it (false only to see the test fail). */
  readonly checkText: boolean;
}

export const GRAPHQL_PROOF_RULES: GraphqlProofRules = {
  types: {
    next: { id: true, payload: true },
    data: { id: true, payload: true },
    connection_init: { id: false, payload: false },
    connection_ack: { id: false, payload: false },
    connection_error: { id: false, payload: false },
    connection_terminate: { id: false, payload: false },
    ka: { id: false, payload: false },
    ping: { id: false, payload: false },
    pong: { id: false, payload: false },
  },
  stateNames: ['operation'],
  checkText: true,
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;

/** The top-level names read: these three first, then the clauses' first names. */
const TYPE = 0;
const ID = 1;
const PAYLOAD = 2;

interface Rule {
  readonly name: Buffer;
  readonly needs: ProvenType;
}

interface ProvenClause {
  /** Index into the top-level names read. */
  readonly head: number;
  readonly steps: readonly ProbeStep[];
  readonly test: QueryClause['test'];
  /** For `$.type` alone: whether it holds for each rule's type, by rule index. */
  readonly byType: readonly boolean[] | undefined;
}

/** The index of the rule whose type the string at `at` names (no backslash), or -1. */
function typeRule(bytes: Buffer, at: number, end: number, rules: readonly Rule[]): number {
  if (bytes[at] !== QUOTE) return -1;
  const from = at + 1;
  let to = from;
  while (to < end && bytes[to] !== QUOTE) {
    if (bytes[to] === BACKSLASH) return -1;
    to++;
  }
  for (let r = 0; r < rules.length; r++) {
    const name = rules[r]?.name;
    if (name !== undefined && sameBytes(bytes, from, to - from, name)) return r;
  }
  return -1;
}

/** Whether the needs of the rule hold for the members found: an id that is a non-empty string, a payload object. */
function needsMet(bytes: Buffer, needs: ProvenType, found: Int32Array): boolean {
  if (needs.id) {
    const id = found[ID] ?? -1;
    // A JSON string is empty only written `""`: every escape writes a character.
    if (id < 0 || bytes[id] !== QUOTE || bytes[id + 1] === QUOTE) return false;
  }
  if (needs.payload) {
    const payload = found[PAYLOAD] ?? -1;
    if (payload < 0 || bytes[payload] !== OPEN_BRACE) return false;
  }
  return true;
}


function clauseFound(bytes: Buffer, end: number, clause: ProvenClause, found: Int32Array): Probed {
  const { head, steps } = clause;
  const at = found[head] ?? -1;
  return at < 0 ? ABSENT : followJsonPath(bytes, at, end, steps, 1);
}

/**
 * The proof for this query over GraphQL over WebSocket messages, or undefined when it can prove
 * none (see the file comment). `rules`: the test's broken ones only.
 */
export function graphqlMatchProof(query: DecodedQuery, rules: GraphqlProofRules = GRAPHQL_PROOF_RULES): MatchProof | undefined {
  const typeRules: Rule[] = Object.entries(rules.types).map(([type, needs]) => ({ name: Buffer.from(type, 'utf8'), needs }));
  const names: Buffer[] = [Buffer.from('type'), Buffer.from('id'), Buffer.from('payload')];
  const clauses: ProvenClause[] = [];
  for (const clause of query.clauses) {
    const steps = probeSteps(clause.path);
    if (!steps) return undefined;
    const first = steps[0];
    if (first === undefined || first.kind === 'index') {
      // The value is an object: `$` is a container, an index into it selects nothing. Such a
      // clause holds for every message or for none (then no proof: asking would only cost).
      if (!surelyHolds(first === undefined ? CONTAINER : ABSENT, clause.test)) return undefined;
      continue;
    }
    if (rules.stateNames.includes(first.name)) return undefined;
    let head = names.findIndex((name) => name.equals(first.utf8));
    if (head < 0) head = names.push(first.utf8) - 1;
    const byType = head === TYPE && steps.length === 1 ? typeRules.map((rule) => holdsForValue(clause.test, rule.name.toString('utf8'))) : undefined;
    if (byType && !byType.includes(true)) return undefined;
    clauses.push({ head, steps, test: clause.test, byType });
  }
  // Where the top-level members the proof reads start, located in the JSON check's own pass.
  const top: TopMembers = topMembers(names);
  const found = top.at;
  const byType = clauses.filter((clause) => clause.byType !== undefined);
  // The first clause that follows a path is followed in that pass too (one pass, not two).
  const checked = clauses.find((clause) => clause.byType === undefined);
  const checkedSteps = checked?.steps ?? [];
  const others = clauses.filter((clause) => clause.byType === undefined && clause !== checked);
  const checkText = rules.checkText;
  return (slab, start, end, opcode) => {
    if (opcode !== 'text') return false;
    // NOT_JSON for a text JSON.parse refuses; any answer but UNSURE comes after every byte is checked.
    let value = followCheckedJsonPath(slab, start, end, checkedSteps, top);
    if (value === UNSURE) return false;
    if (value === NOT_JSON) {
      // Only the test's broken rules get here: the members located before the check failed, trusted.
      if (checkText) return false;
      value = checked ? clauseFound(slab, end, checked, found) : CONTAINER;
    }
    const typeAt = found[TYPE] ?? -1;
    const r = typeAt < 0 ? -1 : typeRule(slab, typeAt, end, typeRules);
    const rule = typeRules[r];
    if (!rule || !needsMet(slab, rule.needs, found)) return false;
    for (const clause of byType) if (clause.byType?.[r] !== true) return false;
    if (checked && !surelyHolds(value, checked.test)) return false;
    for (const clause of others) if (!surelyHolds(clauseFound(slab, end, clause, found), clause.test)) return false;
    return true;
  };
}
