/**
 * A prefilter from a key a JSONPath query's path needs, for SignalR (as query-keys.ts for GraphQL
 * over WebSocket, Socket.IO and MQTT): `$.nothing > 1`, `$.arguments[0].price > 100` on a hub
 * whose messages lack `price`. A clause other than `!=` holds only where each name of its path is
 * an own key of some object of the value (query-keys.ts neededMessageKeys). The decoder's objects
 * are a record with the keys below, the conversation, a partial message's counts, the joined
 * `messages`, json-value.ts's and msgpack-extensions.ts's; every other object is one the message
 * wrote:
 * - text (the JSON hub protocol, the handshake): a record's JSON object, whose keys are its JSON
 *   strings, without a backslash the key's bytes between quotes;
 * - binary (the MessagePack hub protocol): msgpackr, with mapsAsObjects, reads a string key as
 *   its UTF-8 and other keys as their text (a number's digits, true, false, null, undefined;
 *   anything else it refuses), so a key that cannot be such text is its UTF-8 in the message.
 * stateful-prefilter.ts's SignalR rule (the target's) passes over exactly the messages that hold
 * neither (whole records, no backslash; whole hub messages), so it answers for such a key too.
 */
import type { DecodedQuery } from '../../shared/decoded-query';
import { eitherPrefilter } from './either-prefilter';
import { neededMessageKeys } from './query-keys';
import { exactInUtf8 } from './raw-prefilter';
import { signalrRefutation } from './signalr-match-proof';
import { signalrNumberRuleOut, signalrWrittenKeyRuleOut } from './signalr-text-rule-outs';
import { statefulPrefilter, type StatefulPrefilter } from './stateful-prefilter';

/** Keys the SignalR decoder writes itself (signalr-decoder.ts), and those of the values it shows (json-value.ts, msgpack-extensions.ts). */
export const SIGNALR_WRITTEN_KEYS: ReadonlySet<string> = new Set([
  // A hub record (the MessagePack protocol's names; the JSON protocol's record keys too), the handshake's type name.
  ...['messageType', 'type', 'headers', 'invocationId', 'target', 'arguments', 'streamIds', 'item', 'error', 'result', 'allowReconnect', 'sequenceId'],
  // The conversation, several records in one message, part of one.
  ...['conversation', 'key', 'role', 'label', 'messages', 'continues', 'bytesSoFar', 'charactersSoFar'],
  // Bytes, maps, cut values, extension types; msgpackr's rename of __proto__.
  ...['$bytes', 'length', '$map', '$cut', '$ext', '__proto_'],
]);

/** Text msgpackr makes of a map key that is not a string (asSafeString): it is not in the bytes. */
function maybeMadeText(key: string): boolean {
  return key === '' || !Number.isNaN(Number(key)) || ['NaN', 'true', 'false', 'null', 'undefined'].includes(key);
}

/** The prefilter for a key the query needs, or undefined. */
export function signalrKeyPrefilter(query: DecodedQuery): StatefulPrefilter | undefined {
  for (const key of neededMessageKeys(query, SIGNALR_WRITTEN_KEYS)) {
    if (!exactInUtf8(key) || JSON.stringify(key) !== `"${key}"` || maybeMadeText(key)) continue;
    const prefilter = statefulPrefilter('signalr', { events: key });
    if (prefilter) return prefilter;
  }
  return undefined;
}

/**
 * The rule-outs from the bytes alone (signalr-text-rule-outs.ts: a number's digits, a name the
 * MessagePack decoder writes), the key prefilter and the proof's rule-out (signalr-match-proof.ts
 * signalrRefutation), any passing a message over (either-prefilter.ts), the cheap ones asked
 * first. Undefined when none exists.
 */
export function signalrQueryPrefilter(query: DecodedQuery): StatefulPrefilter | undefined {
  const rules = [signalrNumberRuleOut(query), signalrWrittenKeyRuleOut(query), signalrKeyPrefilter(query), signalrRefutation(query)].filter((rule) => rule !== undefined);
  return rules.reduceRight<StatefulPrefilter | undefined>((later, rule) => (later ? eitherPrefilter(rule, later) : rule), undefined);
}
