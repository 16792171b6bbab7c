/**
 * -H headers the WebSocket handshake writes itself, so the one given is not sent (ws sets
 * Connection, Upgrade, Sec-WebSocket-Key and -Version over any given; --subprotocol and --origin
 * set theirs): said on stderr instead of left out in silence. And a -H the connection options
 * refuse, named by its flag and header rather than by the options' inner path.
 */
import type { ConnectionOptionsInput, Header } from '../shared/model';

const ALWAYS_SET = new Map([
  ['connection', 'Upgrade'],
  ['upgrade', 'websocket'],
  ['sec-websocket-key', 'a new random key each time'],
  ['sec-websocket-version', '13'],
]);

/** One line per -H left out: "-H Connection is not sent: the WebSocket handshake sets it (Upgrade)". Given values are never quoted (they may be secret). */
export function handshakeHeaderNotes(options: Pick<ConnectionOptionsInput, 'headers' | 'subprotocols' | 'origin' | 'compression'> | undefined): string[] {
  const notes: string[] = [];
  for (const { name } of options?.headers ?? []) {
    const lower = name.toLowerCase();
    const set = ALWAYS_SET.get(lower);
    if (set !== undefined) notes.push(`-H ${name} is not sent: the WebSocket handshake sets it (${set})`);
    else if (lower === 'sec-websocket-protocol' && (options?.subprotocols?.length ?? 0) > 0) notes.push(`-H ${name} is not sent: --subprotocol sets it`);
    else if (lower === 'origin' && options?.origin !== undefined) notes.push(`-H ${name} is not sent: --origin sets it`);
    else if (lower === 'sec-websocket-extensions' && options?.compression === true) notes.push(`-H ${name} is not sent: the WebSocket handshake sets it (permessage-deflate)`);
  }
  return notes;
}

/** "-H/--header X-Name: a header value may contain only …" for an issue at headers.<i>.…; undefined for any other path. */
export function headerIssueText(headers: readonly Header[], path: readonly PropertyKey[], message: string): string | undefined {
  const [field, index] = path;
  if (field !== 'headers' || typeof index !== 'number') return undefined;
  const header = headers[index];
  return header === undefined ? undefined : `-H/--header ${header.name}: ${message}`;
}
