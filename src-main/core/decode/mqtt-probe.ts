/**
 * MQTT's query probe (issue 14: `$.payload =~ /"t":39/`, `$.qos > 0`, `$.cmd == 'puback'`,
 * `$.messageId > 999990`, `$.topic =~ /temp$/`, a query with no string rule on a packet's own
 * fields): a clause on `$.payload`, `$.cmd`, `$.qos`, `$.retain`, `$.dup`, `$.length`,
 * `$.messageId`, `$.topic`, `$.reasonCode` or `$.returnCode` is tested on that field read from
 * the message's bytes (stateful-prefilter.ts mqttFieldValue: the header's bits, the remaining
 * length, the packet id and codes where mqtt-packet reads them, a PUBLISH's topic and its payload
 * as its text when it is UTF-8, else bytes; nothing for several packets), with the
 * query's own rules, in a message that decoding would leave the decoder as it was
 * (mqttFieldPrefilter). A message one clause fails there is passed over.
 */
import type { DecodedQuery, QueryClause } from '../../shared/decoded-query';
import { mqttFieldPrefilter, type MqttProbedField, type StatefulPrefilter } from './stateful-prefilter';
import { mayHold } from './value-probe';

const PROBED_FIELDS: readonly MqttProbedField[] = ['payload', 'cmd', 'qos', 'retain', 'dup', 'length', 'messageId', 'topic', 'reasonCode', 'returnCode'];

function probedField(clause: QueryClause): MqttProbedField | undefined {
  const [step, ...rest] = clause.path;
  if (rest.length > 0 || step?.kind !== 'key') return undefined;
  return PROBED_FIELDS.find((field) => field === step.name);
}

/** The probe prefilter for this query, or undefined when no clause's path is one of the fields alone. */
export function mqttProbePrefilter(query: DecodedQuery): StatefulPrefilter | undefined {
  const probed = query.clauses.flatMap((clause) => {
    const field = probedField(clause);
    return field ? [{ field, test: clause.test }] : [];
  });
  if (probed.length === 0) return undefined;
  const key = `mqtt probe\u0000${JSON.stringify(probed.map(({ field, test }) => [field, test ? [test.op, 'regex' in test ? String(test.regex) : test.value] : null]))}`;
  return mqttFieldPrefilter(key, (read) => probed.some(({ field, test }) => !mayHold(read(field), test)));
}
