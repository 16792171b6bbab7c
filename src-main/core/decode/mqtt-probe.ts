/**
 * MQTT's query probe (issue 14: `$.payload =~ /"t":39/`, `$.qos > 0`, `$.cmd == 'puback'`,
 * `$.messageId > 999990`, `$.topic =~ /temp$/`, a query with no string rule on a packet's own
 * fields): a clause on `$.payload`, `$.cmd`, `$.qos`, `$.retain`, `$.dup`, `$.length`,
 * `$.messageId`, `$.topic`, `$.reasonCode` or `$.returnCode` is tested on that field read from
 * the message's bytes (stateful-prefilter.ts mqttFieldValue: the header's bits, the remaining
 * length, the packet id and codes where mqtt-packet reads them, a PUBLISH's topic and its payload
 * as its text when it is UTF-8, else bytes; nothing for several packets), with the
 * query's own rules, in a message that decoding would leave the decoder as it was
 * (mqttFieldPrefilter). A path going on past a field (`$.payload.sym == 'ABC'`, `$.topic[0]`) goes
 * into the JSON text a string holds, as shared/decoded-query.ts selectPath does (`under`):
 * `$.payload.n > 999990` over bench (11)'s 1,000,000 MQTT 5 frames 5.6–6.7 → 1.5–2.1 µs of CPU a
 * frame (it had the key rule, which decodes each payload holding `n`). A message one clause fails
 * there is passed over.
 */
import type { DecodedQuery, QueryClause } from '../../shared/decoded-query';
import { followText, parsedSteps, type ParsedStep } from './parsed-path';
import { mqttFieldPrefilter, type MqttProbedField, type StatefulPrefilter } from './stateful-prefilter';
import { ABSENT, CONTAINER, UNSURE, mayHold, type Probed } from './value-probe';

const PROBED_FIELDS: readonly MqttProbedField[] = ['payload', 'cmd', 'qos', 'retain', 'dup', 'length', 'messageId', 'topic', 'reasonCode', 'returnCode'];

interface ProbedClause {
  readonly field: MqttProbedField;
  /** The steps after the field. */
  readonly rest: readonly ParsedStep[];
  readonly test: QueryClause['test'];
}

function probedClause(clause: QueryClause): ProbedClause | undefined {
  const [step, ...after] = clause.path;
  const rest = parsedSteps(after);
  if (!rest || step?.kind !== 'key') return undefined;
  const field = PROBED_FIELDS.find((name) => name === step.name);
  return field ? { field, rest, test: clause.test } : undefined;
}

/**
 * What the steps after the field select under what the field holds: a string goes on into the
 * JSON object or array it holds (parsed-path.ts: a payload `{"sym":"ABC"}` for `$.payload.sym`),
 * other text and numbers and booleans hold nothing; a payload shown as bytes is {$bytes, length},
 * whose length the field's answer does not say (UNSURE), and which has no other key or index.
 */
function under(found: Probed, rest: readonly ParsedStep[]): Probed {
  if (rest.length === 0 || found === UNSURE || found === ABSENT) return found;
  if (typeof found === 'string') return followText(found, rest);
  if (found !== CONTAINER) return ABSENT;
  const [first] = rest;
  return first?.kind === 'key' && (first.name === 'length' || first.name === '$bytes') ? UNSURE : ABSENT;
}

/** The probe prefilter for this query, or undefined when no clause's path starts with one of the fields (no `[*]`). */
export function mqttProbePrefilter(query: DecodedQuery): StatefulPrefilter | undefined {
  const probed = query.clauses.flatMap((clause) => {
    const read = probedClause(clause);
    return read ? [read] : [];
  });
  if (probed.length === 0) return undefined;
  const key = `mqtt probe\u0000${JSON.stringify(probed.map(({ field, rest, test }) => [field, rest, test ? [test.op, 'regex' in test ? String(test.regex) : test.value] : null]))}`;
  return mqttFieldPrefilter(key, (read) => probed.some(({ field, rest, test }) => !mayHold(under(read(field), rest), test)));
}
