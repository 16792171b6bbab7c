/**
 * GraphQL over WebSocket's query probe (issue 14: `$.payload.data.price.price > 9990`,
 * `$.payload.data.prices[0].price > 9990`, a query with no string clause whose keys every result
 * has): each clause with a path of names and indexes, not under the `operation` the decoder sets,
 * is followed in the message's JSON bytes (json-path-follow.ts: what JSON.parse gives there,
 * numbers as json-value.ts shows them) and tested there with the query's own rules. A message one
 * clause fails cannot match. The decoder's value is the message's JSON with `operation` set at
 * the top (graphql-ws-decoder.ts, parsed-json.ts: paths of at most 32 steps are never cut), so
 * such a path selects in the value what it selects in the JSON; a message that is not valid JSON
 * matches nothing, whatever the probe said, so the probe reads only what a valid text needs.
 * It is UNSURE at a backslash, at a string on the path that may hold JSON text (the query goes on
 * into it: shared/json-text-value.ts), and at what it cannot follow: the message is then decoded.
 * The needed names stay exact with JSON text: without a backslash a string holds no key (its
 * quotes would be escapes), so a name missing from the bytes is a key nowhere. Passing
 * over leaves the decoder as it was: the walk decodes every message with a backslash or a type
 * that changes its operations (stateful-prefilter.ts graphqlStatePrefilter's needles), and
 * binary messages are not valid.
 */
import { holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import { followJsonPath } from './json-path-follow';
import { exactInUtf8, type HoldsBytes } from './raw-prefilter';
import { graphqlStatePrefilter, type StatefulPrefilter } from './stateful-prefilter';
import { mayHold, probeSteps, type ProbeStep } from './value-probe';

interface FollowedClause {
  readonly steps: readonly ProbeStep[];
  readonly test: QueryClause['test'];
  /** Its names as JSON strings when the clause needs them there (not `!=`): one missing rules the message out without following the path. */
  readonly needed: readonly Buffer[];
}

/**
 * The probe prefilter for this query, or undefined when no clause has a path it follows: names
 * and indexes (no `[*]`, no `$` name: value-probe.ts probeSteps), not starting with `operation`,
 * each name exact in UTF-8 without U+FFFD (the decoder reads bad UTF-8 as that).
 */
export function graphqlProbePrefilter(query: DecodedQuery): StatefulPrefilter | undefined {
  const clauses: FollowedClause[] = [];
  for (const clause of query.clauses) {
    const steps = probeSteps(clause.path);
    const [first] = steps ?? [];
    if (!steps || !first || (first.kind === 'key' && first.name === 'operation')) continue;
    if (steps.some((step) => step.kind === 'key' && !exactInUtf8(step.name))) continue;
    // Without a backslash (a needle: decoded) a key of the JSON is its bytes between quotes:
    // the deepest name's (the path's last step may be an index).
    const names = steps.flatMap((step) => (step.kind === 'key' ? [step.name] : []));
    const last = names[names.length - 1];
    const needed = holdsWhenAbsent(clause.test) || last === undefined || JSON.stringify(last) !== `"${last}"` ? [] : [Buffer.from(`"${last}"`, 'utf8')];
    clauses.push({ steps, test: clause.test, needed });
  }
  if (clauses.length === 0) return undefined;
  const key = `graphql-ws probe\u0000${JSON.stringify(query.clauses.map((clause) => [clause.path, clause.test ? [clause.test.op, 'regex' in clause.test ? String(clause.test.regex) : clause.test.value] : null]))}`;
  const names = { asked: 0, held: 0 };
  return graphqlStatePrefilter(key, (slab, start, end, holds) => rulesOut(clauses, names, slab, start, end, holds));
}

/** Messages whose names are looked for before the walk decides whether that pays. */
const NAME_TRIAL = 1024;

/**
 * Whether one clause fails in the message at [start, end) of the slab: a name it needs missing,
 * else what the path selects in its JSON (json-path-follow.ts). Looking for the names first
 * costs more than it saves when most messages hold them (the scan finds each name's every place
 * in the slab): after NAME_TRIAL messages it is done only while fewer than half held them.
 * Either way the answer is the same.
 */
function rulesOut(clauses: readonly FollowedClause[], names: { asked: number; held: number }, slab: Buffer, start: number, end: number, holds: HoldsBytes): boolean {
  if (names.asked < NAME_TRIAL || names.held * 2 < names.asked) {
    names.asked++;
    for (const { needed } of clauses) for (const name of needed) if (!holds(name, start, end)) return true;
    names.held++;
  }
  for (const { steps, test } of clauses) if (!mayHold(followJsonPath(slab, start, end, steps), test)) return true;
  return false;
}
