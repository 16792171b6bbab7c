/**
 * Which close codes of a graphql-transport-ws server (the graphql-ws PROTOCOL.md) another attempt
 * cannot change. Every attempt sends the same connection_init (options.reconnect.resend, or the
 * CLI's own), so the server's verdict on it before connection_ack comes back:
 * - 4403 Forbidden: the protocol's way to reject a connection "during authentication" (graphql-ws's
 *   onConnect returning false): stops, before the ack.
 * - 4401 Unauthorized: by the protocol an operation sent before the ack; servers also use it for a
 *   rejected token. Before the ack it answers the opening: stops.
 * - 4400 Bad request: a message the server could not read. Before the ack that is the opening
 *   itself (a connection_init whose payload is no object): stops. After the ack it was a message
 *   the user sent, which a reconnect does not send again: retried.
 * After the ack, 4401 and 4403 (a token that expired mid-session) are retried: the next attempt's
 * answer to the same connection_init decides, and stops if it is a refusal.
 * Retried at any time: 4408 (no connection_init in time: the next attempt may send it sooner),
 * 4409 (a subscription id used twice on that socket: a new socket has no subscribers), 4429 (a
 * second connection_init on that socket: a new socket starts with none), 4500 and the rest
 * (the server's trouble).
 */
import type { ProtocolRefusal } from './reconnect-protocol-refusal';

const REMEDY = "change the credentials in connection_init's payload (a token, a password), or the upgrade's headers or cookies";

const BEFORE_ACK: ReadonlyMap<number, { words: string; change: string }> = new Map([
  [4400, { words: 'bad request', change: 'change the connection_init (its payload must be an object)' }],
  [4401, { words: 'Unauthorized', change: REMEDY }],
  [4403, { words: 'Forbidden', change: REMEDY }],
]);

/** The refusal a graphql-transport-ws close says, or undefined when another attempt may pass. `acknowledged`: connection_ack came first. */
export function graphqlCloseRefusal(code: number, reason: string, acknowledged: boolean): ProtocolRefusal | undefined {
  const meaning = acknowledged ? undefined : BEFORE_ACK.get(code);
  if (meaning === undefined) return undefined;
  const said = reason !== '' && reason !== meaning.words ? ` '${reason.length > 80 ? `${reason.slice(0, 80)}…` : reason}'` : '';
  return {
    line: `the server closed with ${code} (${meaning.words})${said} before connection_ack, and would refuse the same connection_init again: ${meaning.change}`,
    unchanging: true,
  };
}
