/**
 * The --decode name meant, when the one typed is not one ("socket.io": socketio). Other names
 * are refused with this hint rather than taken: the name given is what an export records and
 * what Copy as command writes, so each decoder keeps one spelling. Names are compared in any case.
 */
import { DECODE_CHOICES } from '../core';

/** Names in use for the protocols (by their libraries, specs, or the help text's words). */
const OTHER_NAMES: ReadonlyMap<string, string> = new Map([
  ['socket.io', 'socketio'],
  ['engine.io', 'socketio'],
  ['graphql', 'graphql-ws'],
  ['graphql-transport-ws', 'graphql-ws'],
  ['subscriptions-transport-ws', 'graphql-ws'],
  ['messagepack', 'msgpack'],
  ['signalr-json', 'signalr'],
  ['signalr-messagepack', 'signalr'],
  ['proto', 'protobuf'],
  ['protocol-buffers', 'protobuf'],
  ['protobufs', 'protobuf'],
  ['gzip', 'compressed'],
  ['deflate', 'compressed'],
  ['brotli', 'compressed'],
  ['zlib', 'compressed'],
  ['b64', 'base64'],
  ['raw', 'none'],
  ['off', 'none'],
]);

/** Letters and digits only: "Socket-IO", "socket_io" and "socketio" are one name. */
function squeezed(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Edits (insert, delete, change, swap two neighbours) from a to b. */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The choice meant by `typed` (not itself a choice), or undefined when none clearly is. */
export function decodeNameMeant(typed: string): string | undefined {
  const wanted = typed.trim().toLowerCase();
  const other = OTHER_NAMES.get(wanted);
  if (other !== undefined) return other;
  const short = squeezed(wanted);
  if (short === '') return undefined;
  // "Socket_IO", "graphqlws"; a version after the name: "protobuf3", "mqttv5", "mqtt-3.1.1".
  for (const name of [...DECODE_CHOICES, ...OTHER_NAMES.keys()]) {
    const rest = short.startsWith(squeezed(name)) ? short.slice(squeezed(name).length) : undefined;
    if (rest !== undefined && /^(v?\d*)$/.test(rest)) return OTHER_NAMES.get(name) ?? name;
  }
  // A typo: one edit away (two for longer names), and no other name as near.
  const near = DECODE_CHOICES.map((name) => ({ name, edits: distance(short, squeezed(name)) }))
    .filter(({ name, edits }) => edits <= (name.length >= 6 ? 2 : 1))
    .sort((x, y) => x.edits - y.edits);
  const [first, second] = near;
  if (first === undefined || (second !== undefined && second.edits === first.edits)) return undefined;
  return first.name;
}

/** The hint a refusal ends with: "; did you mean socketio?" (protobuf also with a schema). */
export function decodeNameHint(typed: string): string {
  const meant = decodeNameMeant(typed);
  if (meant === undefined) return '';
  if (meant === 'protobuf') return '; did you mean protobuf (fields by number) or protobuf:<file>#<Type> (with a schema)?';
  return `; did you mean ${meant}?`;
}
