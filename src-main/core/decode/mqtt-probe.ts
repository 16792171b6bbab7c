/**
 * MQTT's query probe (issue 14: `$.payload =~ /"t":39/`, a query with no string clause on what a
 * PUBLISH carries): a clause on `$.payload` is tested on the payload read from the message's bytes
 * (stateful-prefilter.ts mqttPayloadValue: a PUBLISH's payload as its text when it is UTF-8, else
 * bytes; null for another packet; nothing for several packets), with the query's own rules, in a
 * message that decoding would leave the decoder as it was (mqttPayloadPrefilter). A message one
 * clause fails there is passed over.
 */
import { holdsForValue, holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import { mqttPayloadPrefilter, type StatefulPrefilter } from './stateful-prefilter';
import { ABSENT, UNSURE, type Probed } from './value-probe';

function mayHold(found: Probed, test: QueryClause['test']): boolean {
  if (found === UNSURE) return true;
  if (found === ABSENT) return holdsWhenAbsent(test);
  return holdsForValue(test, found);
}

/** The probe prefilter for this query, or undefined when no clause's path is `$.payload` alone. */
export function mqttProbePrefilter(query: DecodedQuery): StatefulPrefilter | undefined {
  const tests = query.clauses.filter((clause) => clause.path.length === 1 && clause.path[0]?.kind === 'key' && clause.path[0].name === 'payload').map((clause) => clause.test);
  if (tests.length === 0) return undefined;
  const key = `mqtt probe\u0000${JSON.stringify(tests.map((test) => (test ? [test.op, 'regex' in test ? String(test.regex) : test.value] : null)))}`;
  return mqttPayloadPrefilter(key, (payload) => tests.some((test) => !mayHold(payload, test)));
}
