/**
 * GraphQL over WebSocket, both protocols in use: `graphql-transport-ws` (the graphql-ws
 * library: subscribe, next, error, complete, ping, pong) and the legacy `graphql-ws` of
 * subscriptions-transport-ws (start, data, error, complete, stop, ka, connection_terminate).
 * Every message is a JSON object with a `type`; operations are linked by `id`: the decoder
 * remembers what each id's subscribe/start asked ("subscription onPrice") until it completes,
 * so "next #3 (subscription onPrice)" says what a result belongs to. The message is the value,
 * with `operation` ({type, name}) added to the ones that carry an id.
 * Told the subprotocol the server chose, a message of the other protocol is flagged in its
 * summary ("not a message of the subprotocol graphql-ws (subscriptions-transport-ws): subscribe
 * belongs to graphql-transport-ws (the graphql-ws library)") and
 * still read as it says (its value unchanged, so a search finds it as before).
 */
import { decoded, messageBuffer, notValid, quote, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { withoutControls } from './printable-text';
import { graphqlOperation, operationLabel, type GraphqlOperation } from './graphql-operation';
import { ENTRY_OVERHEAD_BYTES, wrongSnapshot, type DecoderSnapshot } from './decoder-snapshot';
import type { JsonValue } from './json-value';
import { parsedJsonValue } from './parsed-json';

/** Operations remembered at most (a client that never completes must not grow the map forever). */
const MAX_OPERATIONS = 10_000;

/**
 * Every message type of either protocol, and what it needs besides `type`: an id, a payload
 * object, or (an error) a payload that is a list of errors (graphql-transport-ws) or one error
 * object (the legacy protocol).
 */
const MESSAGE_TYPES: Readonly<Record<string, { id: boolean; payload?: 'object' | 'errors' }>> = {
  connection_init: { id: false },
  connection_ack: { id: false },
  connection_error: { id: false },
  connection_terminate: { id: false },
  ka: { id: false },
  ping: { id: false },
  pong: { id: false },
  subscribe: { id: true, payload: 'object' },
  start: { id: true, payload: 'object' },
  next: { id: true, payload: 'object' },
  data: { id: true, payload: 'object' },
  error: { id: true, payload: 'errors' },
  complete: { id: true },
  stop: { id: true },
};

/** The message types only one protocol has (the others, connection_init/ack, error, complete, are both's). */
const ONLY_IN: Readonly<Record<string, Protocol>> = {
  subscribe: 'graphql-transport-ws',
  next: 'graphql-transport-ws',
  ping: 'graphql-transport-ws',
  pong: 'graphql-transport-ws',
  start: 'graphql-ws',
  data: 'graphql-ws',
  stop: 'graphql-ws',
  ka: 'graphql-ws',
  connection_terminate: 'graphql-ws',
  connection_error: 'graphql-ws',
};

/** The two subprotocols, as servers name them in Sec-WebSocket-Protocol. */
type Protocol = 'graphql-transport-ws' | 'graphql-ws';

/** The library each subprotocol is known by (the legacy one's name is easily taken for the other's). */
const LIBRARY: Readonly<Record<Protocol, string>> = { 'graphql-transport-ws': 'the graphql-ws library', 'graphql-ws': 'subscriptions-transport-ws' };

/** The protocol a chosen subprotocol names, if it is one of the two. */
function protocolOf(subprotocol: string | undefined): Protocol | undefined {
  const name = subprotocol?.trim().toLowerCase();
  return name === 'graphql-transport-ws' || name === 'graphql-ws' ? name : undefined;
}

type JsonObject = { [key: string]: JsonValue };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The first error's message of an error payload (a list in graphql-transport-ws, often one object in the legacy one). */
function errorMessage(payload: unknown): string | undefined {
  const first: unknown = Array.isArray(payload) ? payload[0] : payload;
  return isObject(first) && typeof first.message === 'string' ? first.message : undefined;
}

/** The remembered operation as the value shows it (a copy: values are handed out, the operation is kept). */
function operationValue(operation: GraphqlOperation): JsonValue {
  return operation.name !== undefined ? { type: operation.type, name: operation.name } : { type: operation.type };
}

export class GraphqlWsDecoder implements StreamDecoder {
  readonly protocol = 'graphql-ws' as const;
  private readonly operations = new Map<string, GraphqlOperation>();
  /** The ids in `operations` by their operation's name (a search's prefilter asks: graphql-prefilter.ts). */
  private readonly idsByName = new Map<string, Set<string>>();

  /** Counts changes to the ids by name (a prefilter keeps what it made of them until it moves). */
  namesVersion = 0;

  /** The protocol the server chose by subprotocol; undefined: either is read without remark. */
  private readonly chosen: Protocol | undefined;

  constructor(options: { subprotocol?: string } = {}) {
    this.chosen = protocolOf(options.subprotocol);
  }

  /** The ids whose remembered operation is called `name` (their results are named so). */
  idsNamed(name: string): ReadonlySet<string> | undefined {
    return this.idsByName.get(name);
  }

  /**
   * The remembered operations in the map's order (the oldest is dropped first past
   * MAX_OPERATIONS): at most 10,000, counted 32 B each (320 KB at the bound). The ids and names
   * are the decoder's own strings, shared (immutable), not copied nor counted: what snapshots
   * keep of them after the decoder forgot them came from stored frames.
   */
  snapshot(): DecoderSnapshot {
    const operations: (string | null)[] = [];
    let bytes = 0;
    for (const [id, operation] of this.operations) {
      operations.push(id, operation.type, operation.name ?? null);
      bytes += ENTRY_OVERHEAD_BYTES;
    }
    return { protocol: 'graphql-ws', bytes, operations };
  }

  restore(snapshot: DecoderSnapshot): void {
    if (snapshot.protocol !== 'graphql-ws') throw wrongSnapshot(this.protocol, snapshot);
    for (const id of [...this.operations.keys()]) this.forget(id);
    const list = snapshot.operations;
    for (let i = 0; i + 2 < list.length; i += 3) {
      const [id, type, name] = [list[i], list[i + 1], list[i + 2]];
      if (typeof id !== 'string' || (type !== 'query' && type !== 'mutation' && type !== 'subscription')) continue;
      this.remember(id, typeof name === 'string' ? { type, name } : { type });
    }
  }

  /** Map#set as before (an id asked again keeps its place in the eviction order), the names kept beside. */
  private remember(id: string, operation: GraphqlOperation): void {
    this.unname(id);
    this.operations.set(id, operation);
    if (operation.name === undefined) return;
    let ids = this.idsByName.get(operation.name);
    if (!ids) this.idsByName.set(operation.name, (ids = new Set()));
    ids.add(id);
    this.namesVersion++;
  }

  private forget(id: string): void {
    this.unname(id);
    this.operations.delete(id);
  }

  private unname(id: string): void {
    const name = this.operations.get(id)?.name;
    if (name === undefined) return;
    const ids = this.idsByName.get(name);
    ids?.delete(id);
    if (ids?.size === 0) this.idsByName.delete(name);
    this.namesVersion++;
  }

  decode(frame: WireFrame): DecodeOutcome | undefined {
    const outcome = this.read(frame);
    if (outcome?.kind !== 'decoded' || this.chosen === undefined || !isObject(outcome.value)) return outcome;
    const type = outcome.value.type;
    const home = typeof type === 'string' && Object.hasOwn(ONLY_IN, type) ? ONLY_IN[type] : undefined;
    if (home === undefined || home === this.chosen) return outcome;
    // Read as it says (a server or client mixing the two is worth seeing whole), flagged.
    const remark = `not a message of the subprotocol ${this.chosen} (${LIBRARY[this.chosen]}): ${type} belongs to ${home} (${LIBRARY[home]})`;
    return { ...outcome, summary: `${outcome.summary} · ${remark}` };
  }

  private read(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode === 'binary') return notValid('graphql-ws', `a binary message of ${frame.bytes.byteLength} B (GraphQL over WebSocket sends JSON text)`);
    if (frame.opcode !== 'text') return undefined;
    const text = messageBuffer(frame.bytes).toString('utf8');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      return notValid('graphql-ws', `the message is not JSON (${withoutControls(error instanceof Error ? error.message : String(error))}): ${quote(text)}`);
    }
    if (!isObject(message)) return notValid('graphql-ws', `the message is JSON but not an object: ${quote(text)}`);
    const type = message.type;
    if (typeof type !== 'string') return notValid('graphql-ws', 'the message has no "type" (a string)');
    const rule = Object.hasOwn(MESSAGE_TYPES, type) ? MESSAGE_TYPES[type] : undefined;
    if (!rule) return notValid('graphql-ws', `unknown message type ${quote(type)}`);
    const id = message.id;
    if (rule.id && (typeof id !== 'string' || id === '')) return notValid('graphql-ws', `a ${type} message without an "id" (a non-empty string)`);
    if (rule.payload === 'object' && !isObject(message.payload)) return notValid('graphql-ws', `a ${type} message without a "payload" object`);
    if (rule.payload === 'errors' && !isObject(message.payload) && !(Array.isArray(message.payload) && message.payload.every(isObject))) {
      return notValid('graphql-ws', `an error message #${typeof id === 'string' ? id : '?'} whose "payload" is neither a list of errors nor an error object`);
    }
    // The parsed object itself (not a copy): the decoder adds `operation` to it and keeps nothing of it.
    const value = parsedJsonValue(message) as JsonObject;
    if (typeof id !== 'string' || !rule.id) return decoded('graphql-ws', this.plainSummary(type, message.payload), value);
    return this.withOperation(type, id, message.payload, value, frame.dir);
  }

  private plainSummary(type: string, payload: unknown): string {
    if (type === 'ka') return 'ka (keep-alive)';
    if (type === 'connection_error') {
      const reason = errorMessage(payload);
      return `connection_error${reason !== undefined ? `: ${quote(reason)}` : ''}`;
    }
    return type;
  }

  /** A message about one operation: remembered at subscribe/start, named after, forgotten at its end. */
  private withOperation(type: string, id: string, payload: unknown, value: JsonObject, dir: WireFrame['dir']): DecodeOutcome {
    if (type === 'subscribe' || type === 'start') {
      const body = isObject(payload) ? payload : {};
      if (typeof body.query !== 'string') return notValid('graphql-ws', `the ${type} message #${id}'s payload has no "query" (a string)`);
      const operation = graphqlOperation(body.query, typeof body.operationName === 'string' ? body.operationName : undefined);
      if (this.operations.size >= MAX_OPERATIONS) {
        const oldest = this.operations.keys().next();
        if (!oldest.done) this.forget(oldest.value);
      }
      this.remember(id, operation);
      const variables = isObject(body.variables) ? Object.keys(body.variables) : [];
      const shown = variables.length > 0 ? ` (variables ${variables.slice(0, 4).join(', ')}${variables.length > 4 ? ', …' : ''})` : '';
      value.operation = operationValue(operation);
      return decoded('graphql-ws', `${type} #${id} ${operationLabel(operation)}${shown}`, value);
    }
    const operation = this.operations.get(id);
    const about = operation ? ` (${operationLabel(operation)})` : '';
    if (operation) value.operation = operationValue(operation);
    // The end of an operation: from the server (complete, error) or the client (complete, stop).
    if (type === 'complete' || type === 'error' || type === 'stop') this.forget(id);
    let detail = '';
    if (type === 'next' || type === 'data') {
      const errors = isObject(payload) && Array.isArray(payload.errors) ? payload.errors.length : 0;
      detail = errors > 0 ? ` with ${plural(errors, 'error')}` : '';
    } else if (type === 'error') {
      const reason = errorMessage(payload);
      detail = reason !== undefined ? `: ${quote(reason)}` : '';
    } else if (type === 'complete') {
      detail = dir === 'out' ? ' (the client stops it)' : '';
    }
    return decoded('graphql-ws', `${type} #${id}${about}${detail}`, value);
  }
}
