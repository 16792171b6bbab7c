/**
 * Which decoded field (the log's Field filter) a session's protocol names its frames by, and what
 * to say when the field chosen is not it. The engine reads the fields from each decoded value
 * (core/decode/decoded-fields.ts): Socket.IO's and SignalR's event, STOMP's destination, MQTT's
 * topic, GraphQL's operation; the other protocols have none of their own, so a field matches
 * there only where the decoded value has a key of that name. Plain functions, tested as such.
 */
import type { ActiveDecodingView, DecodingState } from '../../../src-main/shared/decoding';
import type { DecodedFieldName } from './frame-filter';

/** A protocol's own field, by the engine's protocol name. */
const OWN_FIELD: Readonly<Record<string, DecodedFieldName>> = {
  socketio: 'event',
  signalr: 'event',
  stomp: 'destination',
  mqtt: 'topic',
  'graphql-ws': 'operation',
};

/** The field's name in a sentence. */
export const FIELD_NAMES: Readonly<Record<DecodedFieldName, string>> = {
  event: 'Event',
  destination: 'Destination',
  topic: 'Topic',
  operation: 'Operation',
};

/** The key of a decoded value the engine reads a field from, where a protocol has none of its own. */
const FIELD_KEYS: Readonly<Record<DecodedFieldName, string>> = {
  event: 'event',
  destination: 'headers.destination',
  topic: 'topic',
  operation: 'operationName',
};

/** The protocol's own field (null: a protocol without one, or none found). */
export function ownFieldOf(active: Pick<ActiveDecodingView, 'protocol'> | null | undefined): DecodedFieldName | null {
  return active ? (OWN_FIELD[active.protocol] ?? null) : null;
}

/**
 * What to say about filtering this session's frames by `field`: `none` when it matches no frame
 * (another protocol's field, or nothing decodes the session) with the field to use where there is
 * one; `maybe` when the protocol has no field of its own (only values with that key match); null
 * when it is the protocol's own field, or the session's decoding is not known yet.
 */
export type FieldFit = { kind: 'none'; text: string; use: DecodedFieldName | null } | { kind: 'maybe'; text: string } | null;

export function fieldFit(field: DecodedFieldName, state: Pick<DecodingState, 'choice' | 'active'> | null | undefined): FieldFit {
  if (!state) return null;
  const active = state.active;
  if (!active) {
    const why = state.choice === 'none' ? 'Decode is None' : 'Auto found no protocol';
    return { kind: 'none', text: `Nothing in this session is decoded (${why}), so a Field filter matches no frame: choose a protocol under Decode.`, use: null };
  }
  const own = ownFieldOf(active);
  if (own === field) return null;
  if (own === null) {
    return { kind: 'maybe', text: `${active.title} has no ${FIELD_NAMES[field]} of its own: this finds the messages whose decoded value has the key “${FIELD_KEYS[field]}”.` };
  }
  return {
    kind: 'none',
    text: `${active.title} frames have no ${FIELD_NAMES[field]}, so this filter matches none of them: their field is ${FIELD_NAMES[own]}.`,
    use: own,
  };
}
