/**
 * A frame's decoding as written outside the engine: the CLI's `--json` `decoded` member, NDJSON's
 * `decoded` and HAR's `_decoded` have this one shape:
 *   {protocol, summary, value}            a decoded frame (`partial: true` for part of a protocol
 *                                         frame that ends in a later message)
 *   {protocol, summary, valid: false, problem}   a frame that breaks the protocol
 * with `guess: true` while the protocol is auto's guess (not confirmed by the user), and
 * `conversation` ({key, role, label}: conversation-of.ts) when the frame asks or answers
 * something: frames with the same key belong together (a GraphQL operation, a STOMP receipt or
 * subscription, a Socket.IO ack, an MQTT packet id, a SignalR invocation).
 * Credentials inside the frame (an MQTT password, a STOMP passcode: frame-credentials.ts) are
 * the REDACTED marker in `value`, and `redacted` lists their paths.
 */
import type { ConversationRef } from '../../shared/decoding';
import { conversationOf } from './conversation-of';
import type { DecodeOutcome } from './decoded-frame';
import { redactCredentials } from './frame-credentials';
import type { JsonValue } from './json-value';
import type { ActiveDecoding } from './session-decoding';

type Extras = { guess?: true; conversation?: ConversationRef };

export type DecodedRecord =
  | ({ protocol: string; summary: string; value: JsonValue; partial?: true; redacted?: string[] } & Extras)
  | ({ protocol: string; summary: string; valid: false; problem: string } & Extras);

export function decodedRecord(outcome: DecodeOutcome, active: ActiveDecoding | undefined, dir: 'in' | 'out'): DecodedRecord {
  const guess = active?.guess === true ? { guess: true as const } : {};
  if (outcome.kind === 'invalid') return { protocol: outcome.protocol, summary: outcome.summary, valid: false, problem: outcome.problem, ...guess };
  const conversation = conversationOf(outcome, dir);
  const { value, paths } = redactCredentials(outcome.protocol, outcome.value);
  return {
    protocol: outcome.protocol,
    summary: outcome.summary,
    value,
    ...(outcome.kind === 'partial' ? { partial: true as const } : {}),
    ...(paths.length > 0 ? { redacted: paths } : {}),
    ...guess,
    ...(conversation ? { conversation } : {}),
  };
}
