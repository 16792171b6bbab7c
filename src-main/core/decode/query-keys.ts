/**
 * A prefilter from the keys a JSONPath query's path needs (issue 14: `$.nothing > 1`,
 * `$.payload.data.price > 100`, queries with no string for query-literals.ts), for GraphQL over
 * WebSocket, Socket.IO and MQTT. Every clause holds for a match (shared/decoded-query.ts: no OR,
 * no NOT), and a clause other than `!=` holds only when its path selects something (`!=` holds
 * when it selects nothing); a path's name step selects only an own key of an object. So each name
 * in such a clause's path is a key of some object in the matched value. An object of the value is
 * one the decoder writes (its keys are the decoder's few names below) or one the message wrote:
 * - GraphQL over WebSocket: the message's JSON, with `operation` ({type, name}) added: any other
 *   key is a JSON string of the message (stateful-prefilter.ts graphqlStringPrefilter).
 * - Socket.IO: the JSON a text message carries (arguments, data, the handshake); a joined binary
 *   event's JSON is its header's, read before (stateful-prefilter.ts socketIoKeyPrefilter).
 * - MQTT: mqtt-packet's packets, whose keys are its own names, but for a User Property's name
 *   (stateful-prefilter.ts mqttUserPropertyPrefilter).
 * json-value.ts adds `$bytes`, `length`, `$map` and `$cut` in all three. GraphQL takes its probe
 * first when a clause's path is names and indexes (graphql-probe.ts), Socket.IO when one starts
 * with a name (socketio-probe.ts), MQTT when one starts with a packet field it reads from the bytes
 * (`$.payload`, `$.cmd`, `$.qos`, `$.messageId`, `$.topic`, …, and paths past them: mqtt-probe.ts). One of the names
 * that are the message's own is looked for (a prefilter's needles are each enough to decode a message).
 * MQTT without a probe also passes over a single whole packet its match proof's reading says
 * fails the query (mqtt-match-proof.ts mqttRefutation: `$.properties.topicAlias == 3`), beside
 * the key rule (either-prefilter.ts) or alone.
 */
import type { DecodedQuery } from '../../shared/decoded-query';
import type { DecoderName } from './decoded-frame';
import { eitherPrefilter } from './either-prefilter';
import { graphqlProbePrefilter } from './graphql-probe';
import { mqttRefutation } from './mqtt-match-proof';
import { mqttProbePrefilter } from './mqtt-probe';
import { exactInUtf8 } from './raw-prefilter';
import { socketIoProbePrefilter } from './socketio-probe';
import { graphqlStringPrefilter, mqttUserPropertyPrefilter, socketIoKeyPrefilter, type StatefulPrefilter } from './stateful-prefilter';

/** Keys json-value.ts writes (bytes, maps with other keys than strings, values nested too deep). */
const JSON_VALUE_KEYS = ['$bytes', 'length', '$map', '$cut'];

/**
 * Per protocol, every key its decoder (or the library it reads with) may write itself.
 * MQTT: mqtt-packet 9's packet fields, subscription options, will fields and MQTT 5 property
 * names (the test compares them with mqtt-packet's own), and the decoder's.
 */
export const DECODER_WRITTEN_KEYS: Readonly<Record<'graphql-ws' | 'socketio' | 'mqtt', ReadonlySet<string>>> = {
  'graphql-ws': new Set(['operation', 'type', 'name', ...JSON_VALUE_KEYS]),
  socketio: new Set(['engineIO', 'type', 'nsp', 'id', 'attachments', 'event', 'args', 'data', 'handshake', 'binaryHeader', 'attachment', 'of', 'size', ...JSON_VALUE_KEYS]),
  mqtt: new Set([
    // Packets (parser.js, packet.js), subscriptions, wills.
    ...['cmd', 'retain', 'qos', 'dup', 'length', 'topic', 'payload', 'messageId', 'properties', 'bridgeMode', 'clean', 'clientId', 'granted', 'keepalive', 'password'],
    ...['protocolId', 'protocolVersion', 'reasonCode', 'returnCode', 'sessionPresent', 'subscriptions', 'unsubscriptions', 'username', 'will', 'nl', 'rap', 'rh'],
    // MQTT 5 properties (constants.js propertiesCodes).
    ...['payloadFormatIndicator', 'messageExpiryInterval', 'contentType', 'responseTopic', 'correlationData', 'subscriptionIdentifier', 'sessionExpiryInterval'],
    ...['assignedClientIdentifier', 'serverKeepAlive', 'authenticationMethod', 'authenticationData', 'requestProblemInformation', 'willDelayInterval'],
    ...['requestResponseInformation', 'responseInformation', 'serverReference', 'reasonString', 'receiveMaximum', 'topicAliasMaximum', 'topicAlias', 'maximumQoS'],
    ...['retainAvailable', 'userProperties', 'maximumPacketSize', 'wildcardSubscriptionAvailable', 'subscriptionIdentifiersAvailable', 'sharedSubscriptionAvailable'],
    // The decoder's: an aliased topic, several packets in a message, part of a packet.
    ...['topicFromAlias', 'packets', 'continues'],
    ...JSON_VALUE_KEYS,
  ]),
};

/**
 * The names a match's value must have as keys (see the file comment), not those the decoder
 * writes: each clause's from its path's end (the deepest name is likely the rarest), clause by clause.
 */
export function neededMessageKeys(query: DecodedQuery, written: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  for (const clause of query.clauses) {
    if (clause.test?.op === '!=') continue;
    for (const step of [...clause.path].reverse()) if (step.kind === 'key' && !written.has(step.name)) names.add(step.name);
  }
  return [...names];
}

/** The prefilter for a key the query needs in this protocol, or undefined (none, or not one of these protocols). */
export function queryKeyPrefilter(protocol: DecoderName, query: DecodedQuery): StatefulPrefilter | undefined {
  if (protocol !== 'graphql-ws' && protocol !== 'socketio' && protocol !== 'mqtt') return undefined;
  // GraphQL, Socket.IO's arguments, MQTT's payload: what a path selects, read from the bytes, rules out more than whether a key is there.
  const probe = protocol === 'graphql-ws' ? graphqlProbePrefilter(query) : protocol === 'socketio' ? socketIoProbePrefilter(query) : mqttProbePrefilter(query);
  if (probe) return probe;
  // MQTT: a single whole packet its reading rules out (mqtt-match-proof.ts mqttRefutation), beside the key rule.
  const refutation = protocol === 'mqtt' ? mqttRefutation(query) : undefined;
  for (const key of neededMessageKeys(query, DECODER_WRITTEN_KEYS[protocol])) {
    const prefilter = protocol === 'graphql-ws' ? graphqlKeyPrefilter(key) : protocol === 'socketio' ? socketIoKeyPrefilter(key) : mqttUserPropertyPrefilter(key);
    if (prefilter) return refutation ? eitherPrefilter(prefilter, refutation) : prefilter;
  }
  return refutation;
}

/** A key of the message's JSON is one of its JSON strings: graphqlStringPrefilter's rule, for a key JSON writes without escapes. */
function graphqlKeyPrefilter(key: string): StatefulPrefilter | undefined {
  return exactInUtf8(key) && JSON.stringify(key) === `"${key}"` ? graphqlStringPrefilter(key) : undefined;
}
