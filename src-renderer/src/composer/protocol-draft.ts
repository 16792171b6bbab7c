/**
 * The composer's protocol message as the user fills it in (issue 14): one set of fields per
 * protocol, kept while switching between them, as typed (numbers are text until sent). Turned
 * into the contract's ProtocolMessage (shared/protocol-message.ts) with every problem said in
 * words and where; the engine encodes it (`message:encode`). A saved message of kind `protocol`
 * holds that message as JSON and reads back into a draft. Plain functions, tested as such.
 */
import { MQTT_ACK_COMMANDS, protocolMessageSchema, type ComposerProtocol, type ProtocolMessage, SIGNALR_CLIENT_MESSAGES, STOMP_CLIENT_COMMANDS } from '../../../src-main/shared/protocol-message';
import { parseJson } from '../util/json-text';
import { hasTemplate } from '../../../src-main/shared/builtin-variables';
import { protocolTemplates } from './protocol-templates';

export type StompCommand = (typeof STOMP_CLIENT_COMMANDS)[number];
export type MqttCommand = 'connect' | 'subscribe' | 'publish' | 'unsubscribe' | MqttAckCommand | 'pingreq' | 'disconnect';
export type MqttAckCommand = (typeof MQTT_ACK_COMMANDS)[number];
export type SignalRType = (typeof SIGNALR_CLIENT_MESSAGES)[number];

/** The packets that carry a packet id the composer proposes: what the user sends to the broker first. */
export function mqttCommandOpensId(cmd: MqttCommand): boolean {
  return cmd === 'subscribe' || cmd === 'unsubscribe' || cmd === 'publish';
}

function isMqttAck(cmd: MqttCommand): cmd is MqttAckCommand {
  return (MQTT_ACK_COMMANDS as readonly string[]).includes(cmd);
}

export interface ProtocolDraft {
  protocol: ComposerProtocol;
  stomp: { command: StompCommand; headers: { name: string; value: string }[]; body: string };
  socketio: { type: 'emit' | 'connect'; namespace: string; event: string; args: string; ackId: string };
  mqtt: {
    cmd: MqttCommand;
    clientId: string;
    protocolVersion: '4' | '5';
    keepalive: string;
    username: string;
    password: string;
    topic: string;
    qos: '0' | '1' | '2';
    payload: string;
    retain: boolean;
    /** SUBSCRIBE, UNSUBSCRIBE and PUBLISH: the id the composer proposes (advanced after each send). */
    messageId: string;
    /** PUBACK, PUBREC, PUBREL, PUBCOMP: the id of the PUBLISH answered (another id space: kept apart). */
    ackId: string;
  };
  graphql: { subprotocol: 'graphql-transport-ws' | 'graphql-ws'; type: 'connection_init' | 'subscribe' | 'complete'; id: string; query: string; variables: string; operationName: string };
  /** SignalR (JSON hub protocol): the record's fields; the invocation id is proposed (composer-ids.ts). */
  signalr: { type: SignalRType; target: string; arguments: string; invocationId: string };
  /** MessagePack and CBOR: the value as JSON. */
  payload: { json: string };
}

export function emptyProtocolDraft(): ProtocolDraft {
  return {
    protocol: 'stomp',
    stomp: { command: 'SUBSCRIBE', headers: [...stompHeadersFor('SUBSCRIBE')], body: '' },
    socketio: { type: 'emit', namespace: '/', event: '', args: '[]', ackId: '' },
    mqtt: { cmd: 'connect', clientId: 'tunnelscope', protocolVersion: '4', keepalive: '60', username: '', password: '', topic: '', qos: '0', payload: '', retain: false, messageId: '1', ackId: '' },
    graphql: { subprotocol: 'graphql-transport-ws', type: 'subscribe', id: '1', query: '', variables: '{}', operationName: '' },
    signalr: { type: 'handshake', target: '', arguments: '[]', invocationId: '1' },
    payload: { json: '{}' },
  };
}

/** The headers a STOMP command needs, proposed when the user picks it with no headers typed. */
export function stompHeadersFor(command: StompCommand): readonly { name: string; value: string }[] {
  switch (command) {
    case 'CONNECT':
    case 'STOMP':
      return [
        { name: 'accept-version', value: '1.2' },
        { name: 'host', value: '/' },
      ];
    case 'SUBSCRIBE':
      return [
        { name: 'id', value: 'sub-0' },
        { name: 'destination', value: '' },
      ];
    case 'SEND':
      return [{ name: 'destination', value: '' }];
    case 'UNSUBSCRIBE':
      return [{ name: 'id', value: 'sub-0' }];
    case 'ACK':
    case 'NACK':
      return [{ name: 'id', value: '' }];
    case 'BEGIN':
    case 'COMMIT':
    case 'ABORT':
      return [{ name: 'transaction', value: 'tx-1' }];
    case 'DISCONNECT':
      return [{ name: 'receipt', value: 'bye' }];
  }
}

/**
 * The headers each client frame takes (STOMP 1.2 §5 "Client Frames"); `receipt` is left out: it
 * names one frame and is never carried to another. A name in none of these lists is the user's
 * own header (a broker's extension such as `selector` or `persistent`) and is carried over.
 */
const STOMP_FRAME_HEADERS: Readonly<Record<StompCommand, readonly string[]>> = {
  CONNECT: ['accept-version', 'host', 'login', 'passcode', 'heart-beat'],
  STOMP: ['accept-version', 'host', 'login', 'passcode', 'heart-beat'],
  SEND: ['destination', 'transaction', 'content-type', 'content-length'],
  SUBSCRIBE: ['destination', 'id', 'ack'],
  UNSUBSCRIBE: ['id'],
  ACK: ['id', 'transaction'],
  NACK: ['id', 'transaction'],
  BEGIN: ['transaction'],
  COMMIT: ['transaction'],
  ABORT: ['transaction'],
  DISCONNECT: [],
};
const STOMP_SPEC_HEADERS = new Set([...Object.values(STOMP_FRAME_HEADERS).flat(), 'receipt']);

/** STOMP 1.2 §2.2 / §5: of the client's frames only SEND has a body. */
export function stompTakesBody(command: StompCommand): boolean {
  return command === 'SEND';
}

/**
 * The headers after the user picks another STOMP command: the new command's proposals come first
 * (with the user's value where one was typed under that name), then what the user typed that the
 * new command takes (STOMP 1.2 §5), and the user's own (non-spec) headers. The previous command's
 * proposals, its spec headers the new one does not take, and `receipt` (one frame's) go. Before,
 * every typed header stayed: a CONNECT's login and passcode went out on the SUBSCRIBE after it,
 * and a SUBSCRIBE's receipt on every later SEND.
 */
export function headersAfterCommandChange(
  previous: StompCommand,
  next: StompCommand,
  headers: readonly { name: string; value: string }[],
  /** Subscription ids the composer put in the `id` header (composer-ids.ts): proposals too, not typed. */
  proposedIds: readonly string[] = [],
): { name: string; value: string }[] {
  const before = stompHeadersFor(previous);
  const proposedId = (h: { name: string; value: string }): boolean => h.name === 'id' && (previous === 'SUBSCRIBE' || previous === 'UNSUBSCRIBE') && proposedIds.includes(h.value);
  const takes = (name: string): boolean => !STOMP_SPEC_HEADERS.has(name) || STOMP_FRAME_HEADERS[next].includes(name);
  const typed = headers.filter((h) => h.value !== '' && !proposedId(h) && !before.some((d) => d.name === h.name && d.value === h.value) && takes(h.name));
  const proposed = stompHeadersFor(next).map((d) => ({ ...(typed.find((h) => h.name === d.name) ?? d) }));
  return [...proposed, ...typed.filter((h) => !proposed.some((d) => d.name === h.name)).map((h) => ({ ...h }))];
}

export type DraftCheck = { ok: true; message: ProtocolMessage } | { ok: false; error: string };

/** A whole number typed in a field, or why not ('' is absent). */
function wholeNumber(text: string, what: string): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: `The ${what} must be a whole number (got “${trimmed}”).` };
  return { ok: true, value: Number(trimmed) };
}

const FIELD_WORDS: Readonly<Record<string, string>> = {
  event: 'event name',
  args: 'arguments',
  namespace: 'namespace',
  ackId: 'ack id',
  topic: 'topic',
  messageId: 'packet id',
  keepalive: 'keep-alive',
  query: 'query',
  variables: 'variables',
  id: 'id',
  json: 'value',
  target: 'target',
  arguments: 'arguments',
  invocationId: 'invocation id',
  headers: 'headers',
  body: 'body',
};

function raw(draft: ProtocolDraft): { ok: true; value: unknown } | { ok: false; error: string } {
  switch (draft.protocol) {
    case 'stomp':
      // Rows left wholly empty are not headers.
      return { ok: true, value: { protocol: 'stomp', command: draft.stomp.command, headers: draft.stomp.headers.filter((h) => h.name !== '' || h.value !== ''), body: draft.stomp.body } };
    case 'socketio': {
      const s = draft.socketio;
      const ack = wholeNumber(s.ackId, 'ack id');
      if (!ack.ok) return ack;
      return { ok: true, value: { protocol: 'socketio', type: s.type, namespace: s.namespace.trim() === '' ? '/' : s.namespace.trim(), event: s.event, args: s.args.trim() === '' ? '[]' : s.args, ...(ack.value !== undefined ? { ackId: ack.value } : {}) } };
    }
    case 'mqtt': {
      const m = draft.mqtt;
      if (m.cmd === 'connect') {
        const keepalive = wholeNumber(m.keepalive, 'keep-alive');
        if (!keepalive.ok) return keepalive;
        return {
          ok: true,
          value: {
            protocol: 'mqtt',
            packet: { cmd: 'connect', clientId: m.clientId, protocolVersion: Number(m.protocolVersion), keepalive: keepalive.value ?? 60, clean: true, ...(m.username !== '' ? { username: m.username } : {}), ...(m.password !== '' ? { password: m.password } : {}) },
          },
        };
      }
      // The version the CONNECT chose (the same field): MQTT 5 packets differ from 3.1.1 ones.
      const protocolVersion = Number(m.protocolVersion);
      if (m.cmd === 'pingreq' || m.cmd === 'disconnect') return { ok: true, value: { protocol: 'mqtt', packet: { cmd: m.cmd, protocolVersion } } };
      const id = wholeNumber(isMqttAck(m.cmd) ? m.ackId : m.messageId, 'packet id');
      if (!id.ok) return id;
      if (isMqttAck(m.cmd)) {
        if (id.value === undefined) return { ok: false, error: `A ${m.cmd.toUpperCase()} needs the packet id of the PUBLISH it answers.` };
        return { ok: true, value: { protocol: 'mqtt', packet: { cmd: m.cmd, messageId: id.value, protocolVersion } } };
      }
      if (m.cmd === 'unsubscribe') return { ok: true, value: { protocol: 'mqtt', packet: { cmd: 'unsubscribe', topics: [m.topic], messageId: id.value ?? 1, protocolVersion } } };
      if (m.cmd === 'subscribe') return { ok: true, value: { protocol: 'mqtt', packet: { cmd: 'subscribe', topic: m.topic, qos: Number(m.qos), messageId: id.value ?? 1, protocolVersion } } };
      return { ok: true, value: { protocol: 'mqtt', packet: { cmd: 'publish', topic: m.topic, payload: m.payload, qos: Number(m.qos), retain: m.retain, protocolVersion, ...(id.value !== undefined && m.qos !== '0' ? { messageId: id.value } : {}) } } };
    }
    case 'graphql': {
      const g = draft.graphql;
      return { ok: true, value: { protocol: 'graphql', subprotocol: g.subprotocol, type: g.type, id: g.id, query: g.query, variables: g.variables.trim() === '' ? '{}' : g.variables, ...(g.operationName.trim() !== '' ? { operationName: g.operationName.trim() } : {}) } };
    }
    case 'signalr': {
      const r = draft.signalr;
      // Only the fields of the record picked: a Ping carries no target left from an Invocation.
      const invokes = r.type === 'invocation' || r.type === 'streamInvocation';
      const id = r.invocationId.trim();
      return {
        ok: true,
        value: {
          protocol: 'signalr',
          type: r.type,
          ...(invokes ? { target: r.target.trim(), arguments: r.arguments.trim() === '' ? '[]' : r.arguments } : {}),
          ...((invokes || r.type === 'cancelInvocation') && id !== '' ? { invocationId: id } : {}),
        },
      };
    }
    case 'msgpack':
    case 'cbor':
      return { ok: true, value: { protocol: draft.protocol, json: draft.payload.json } };
  }
}

/**
 * Where a JSON field's text stops being JSON, in the composer's words: "the value must be JSON:
 * expected a value, found “c” at character 11" (line and column when it has several lines).
 * JSON.parse's own message ('Unexpected token 'c', "{"event": chat}" is not valid JSON') says
 * neither where nor, in a long text, which part. Null when the field holds no text JSON.parse
 * refuses (the schema's issue is then said as it is).
 */
function jsonProblem(built: unknown, field: string, words: string): string | null {
  if (!['args', 'variables', 'json', 'arguments'].includes(field) || typeof built !== 'object' || built === null) return null;
  const text: unknown = Object.entries(built).find(([key]) => key === field)?.[1];
  if (typeof text !== 'string') return null;
  try {
    JSON.parse(text);
    return null;
  } catch {
    const parsed = parseJson(text);
    if (parsed.ok) return null;
    const { message, line, column } = parsed.error;
    const where = text.includes('\n') ? `line ${line}, column ${column}` : `character ${column}`;
    // A {{…}} is filled in as text inside the JSON: in a string it stays JSON, elsewhere it is not.
    const hint = hasTemplate(text) ? ' ({{…}} goes inside a JSON string here, e.g. "n-{{$counter}}")' : '';
    return `the ${words} must be JSON: ${message.charAt(0).toLowerCase()}${message.slice(1)} at ${where}${hint}`;
  }
}

/**
 * Event names socket.io-parser refuses (its RESERVED_EVENTS): a socket.io server that gets an
 * emit of one treats the packet as invalid and closes the whole connection (seen with a socket.io
 * v4 server: `42["connect"]` was answered by the close, 1005).
 */
const SOCKETIO_RESERVED_EVENTS: readonly string[] = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

/** The message to encode, or the first problem in words ("The event name: an emit needs an event name."). */
export function checkProtocolDraft(draft: ProtocolDraft): DraftCheck {
  const built = raw(draft);
  if (!built.ok) return built;
  if (draft.protocol === 'socketio' && draft.socketio.type === 'emit' && SOCKETIO_RESERVED_EVENTS.includes(draft.socketio.event)) {
    return { ok: false, error: `The event name: “${draft.socketio.event}” is reserved by Socket.IO; a server closes the connection on it.` };
  }
  if (draft.protocol === 'stomp' && draft.stomp.body !== '' && !stompTakesBody(draft.stomp.command)) {
    return { ok: false, error: `The body: ${/^[AEIOU]/.test(draft.stomp.command) ? 'an' : 'a'} ${draft.stomp.command} frame takes none (STOMP 1.2 allows a body only on SEND, MESSAGE and ERROR frames); empty the body or pick SEND.` };
  }
  if (draft.protocol === 'mqtt' && draft.mqtt.cmd === 'publish' && draft.mqtt.qos !== '0' && draft.mqtt.messageId.trim() === '') {
    return { ok: false, error: 'A PUBLISH with QoS 1 or 2 needs a packet id.' };
  }
  const parsed = protocolMessageSchema.safeParse(built.value);
  if (parsed.success) {
    const templates = protocolTemplates(parsed.data);
    return templates.ok ? { ok: true, message: parsed.data } : { ok: false, error: templates.error };
  }
  const issue = parsed.error.issues[0];
  const field = [...(issue?.path ?? [])].reverse().find((p): p is string => typeof p === 'string' && p in FIELD_WORDS);
  const words = field === undefined ? undefined : (FIELD_WORDS[field] ?? field);
  const message = (field !== undefined && words !== undefined && jsonProblem(built.value, field, words)) || (issue?.message ?? 'not a valid message');
  // A message that names its field already ("the value must be JSON: …") is not prefixed again.
  if (words === undefined || message.startsWith(`the ${words} `)) return { ok: false, error: `${message.charAt(0).toUpperCase()}${message.slice(1)}.` };
  return { ok: false, error: `The ${words}: ${message}.` };
}

/** A saved protocol message back into a draft (the other protocols' fields as they were). */
export function draftFromMessage(message: ProtocolMessage, base: ProtocolDraft = emptyProtocolDraft()): ProtocolDraft {
  // A plain copy (the base may be a reactive draft, which structuredClone refuses).
  const draft = JSON.parse(JSON.stringify(base)) as ProtocolDraft;
  draft.protocol = message.protocol;
  switch (message.protocol) {
    case 'stomp':
      draft.stomp = { command: message.command, headers: message.headers.map((h) => ({ ...h })), body: message.body };
      break;
    case 'socketio':
      draft.socketio = { type: message.type, namespace: message.namespace, event: message.event, args: message.args, ackId: message.ackId !== undefined ? String(message.ackId) : '' };
      break;
    case 'mqtt': {
      const p = message.packet;
      if (p.cmd === 'connect') Object.assign(draft.mqtt, { cmd: 'connect', clientId: p.clientId, protocolVersion: String(p.protocolVersion), keepalive: String(p.keepalive), username: p.username ?? '', password: p.password ?? '' });
      else if (p.cmd === 'subscribe') Object.assign(draft.mqtt, { cmd: 'subscribe', topic: p.topic, qos: String(p.qos), messageId: String(p.messageId), protocolVersion: String(p.protocolVersion) });
      else if (p.cmd === 'unsubscribe') Object.assign(draft.mqtt, { cmd: 'unsubscribe', topic: p.topics.join(' '), messageId: String(p.messageId), protocolVersion: String(p.protocolVersion) });
      else if (p.cmd === 'pingreq' || p.cmd === 'disconnect') Object.assign(draft.mqtt, { cmd: p.cmd, protocolVersion: String(p.protocolVersion) });
      else if (p.cmd !== 'publish') Object.assign(draft.mqtt, { cmd: p.cmd, ackId: String(p.messageId), protocolVersion: String(p.protocolVersion) });
      else Object.assign(draft.mqtt, { cmd: 'publish', topic: p.topic, payload: p.payload, qos: String(p.qos), retain: p.retain, messageId: p.messageId !== undefined ? String(p.messageId) : '', protocolVersion: String(p.protocolVersion) });
      break;
    }
    case 'graphql':
      draft.graphql = { subprotocol: message.subprotocol, type: message.type, id: message.id, query: message.query, variables: message.variables, operationName: message.operationName ?? '' };
      break;
    case 'signalr':
      draft.signalr = { type: message.type, target: message.target, arguments: message.arguments, invocationId: message.invocationId ?? '' };
      break;
    case 'msgpack':
    case 'cbor':
      draft.payload = { json: message.json };
      break;
  }
  return draft;
}
