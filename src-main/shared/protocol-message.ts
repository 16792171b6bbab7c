/**
 * A message the composer builds in a protocol (issue 14): a STOMP frame, a Socket.IO emit, an
 * MQTT CONNECT / SUBSCRIBE / PUBLISH / PUBACK / PUBREC / PUBREL / PUBCOMP / UNSUBSCRIBE /
 * PINGREQ / DISCONNECT, a GraphQL-over-WebSocket subscribe, a SignalR JSON hub protocol record,
 * MessagePack or CBOR from JSON. The engine encodes it (`message:encode`, core/encode/) where the protocol libraries
 * are; the composer then sends the bytes it answers. Saved messages of kind `protocol` keep
 * this object as their body (JSON). No Node APIs: the renderer checks with the same schema.
 */
import { z } from 'zod';

/** JSON text the composer holds (arguments, variables, a payload); checked to parse. */
const jsonText = (what: string) =>
  z
    .string()
    .max(2 * 1024 * 1024)
    .superRefine((text, ctx) => {
      try {
        JSON.parse(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `${what} must be JSON: ${error instanceof Error ? error.message : String(error)}` });
      }
    });

const headerName = z.string().min(1, 'a header needs a name').max(1000);

export const STOMP_CLIENT_COMMANDS = ['CONNECT', 'STOMP', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT'] as const;

const STOMP_REQUIRED_HEADERS: Partial<Record<(typeof STOMP_CLIENT_COMMANDS)[number], readonly string[]>> = {
  SEND: ['destination'],
  SUBSCRIBE: ['destination', 'id'],
  UNSUBSCRIBE: ['id'],
  ACK: ['id'],
  NACK: ['id'],
  BEGIN: ['transaction'],
  COMMIT: ['transaction'],
  ABORT: ['transaction'],
};

export const stompMessageSchema = z.object({
  protocol: z.literal('stomp'),
  command: z.enum(STOMP_CLIENT_COMMANDS),
  headers: z.array(z.object({ name: headerName, value: z.string().max(64 * 1024) })).max(100).default([]),
  body: z.string().max(2 * 1024 * 1024).default(''),
}).superRefine((m, ctx) => {
  // The headers the spec requires of each client frame (STOMP 1.2 "Client Frames").
  for (const name of STOMP_REQUIRED_HEADERS[m.command] ?? []) {
    if (!m.headers.some((h) => h.name === name && h.value !== '')) ctx.addIssue({ code: 'custom', path: ['headers'], message: `a ${m.command} frame needs a ${name} header` });
  }
});

export const socketIoMessageSchema = z.object({
  protocol: z.literal('socketio'),
  /** emit: an event with arguments; connect: join a namespace (needed before emitting on it). */
  type: z.enum(['emit', 'connect']).default('emit'),
  namespace: z
    .string()
    .max(1000)
    .regex(/^\//, 'a namespace starts with / (the main one is /)')
    .default('/'),
  event: z.string().max(1000).default(''),
  /** The arguments after the event name, as a JSON array. */
  args: jsonText('the arguments').default('[]'),
  /** Asks the server to acknowledge with this id. */
  ackId: z.number().int().min(0).max(2 ** 31 - 1).optional(),
}).superRefine((m, ctx) => {
  if (m.type !== 'emit') return;
  if (m.event === '') ctx.addIssue({ code: 'custom', path: ['event'], message: 'an emit needs an event name' });
  try {
    if (!Array.isArray(JSON.parse(m.args))) ctx.addIssue({ code: 'custom', path: ['args'], message: 'the arguments are a JSON array, e.g. ["hello", {"room": 1}]' });
  } catch {
    // Reported by jsonText.
  }
});

const qos = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const topic = z.string().min(1, 'a topic must not be empty').max(65535);

/** 4: MQTT 3.1.1, 5: MQTT 5 (a SUBSCRIBE or PUBLISH is encoded as the CONNECT's version). */
const mqttVersion = z.union([z.literal(4), z.literal(5)]);
const packetId = z.number().int().min(1).max(65535);

/** The QoS 1 and 2 answers (MQTT 3.1.1 §3.4–3.7): each names the PUBLISH's packet id it answers. */
export const MQTT_ACK_COMMANDS = ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const;
const mqttAck = (cmd: (typeof MQTT_ACK_COMMANDS)[number]) => z.object({ cmd: z.literal(cmd), messageId: packetId, protocolVersion: mqttVersion.default(4) });

export const mqttMessageSchema = z.object({
  protocol: z.literal('mqtt'),
  packet: z.discriminatedUnion('cmd', [
    z.object({
      cmd: z.literal('connect'),
      clientId: z.string().max(65535).default(''),
      /** 4: MQTT 3.1.1, 5: MQTT 5. */
      protocolVersion: mqttVersion.default(4),
      keepalive: z.number().int().min(0).max(65535).default(60),
      clean: z.boolean().default(true),
      username: z.string().max(65535).optional(),
      password: z.string().max(65535).optional(),
    }),
    z.object({
      cmd: z.literal('subscribe'),
      messageId: z.number().int().min(1).max(65535).default(1),
      topic,
      qos: qos.default(0),
      /** The version the session's CONNECT chose: MQTT 5 packets carry properties 3.1.1 ones do not. */
      protocolVersion: mqttVersion.default(4),
    }),
    mqttAck('puback'),
    mqttAck('pubrec'),
    mqttAck('pubrel'),
    mqttAck('pubcomp'),
    z.object({
      cmd: z.literal('unsubscribe'),
      messageId: packetId.default(1),
      topics: z.array(topic).min(1, 'an UNSUBSCRIBE needs a topic').max(100),
      protocolVersion: mqttVersion.default(4),
    }),
    // No variable header: only the version, so an MQTT 5 DISCONNECT carries its reason code.
    z.object({ cmd: z.literal('pingreq'), protocolVersion: mqttVersion.default(4) }),
    z.object({ cmd: z.literal('disconnect'), protocolVersion: mqttVersion.default(4) }),
    z.object({
      cmd: z.literal('publish'),
      topic: topic.refine((t) => !/[#+]/.test(t), 'a PUBLISH topic must not hold the wildcards # or +'),
      payload: z.string().max(2 * 1024 * 1024).default(''),
      qos: qos.default(0),
      retain: z.boolean().default(false),
      /** Needed with QoS 1 and 2. */
      messageId: z.number().int().min(1).max(65535).optional(),
      /** As SUBSCRIBE's. */
      protocolVersion: mqttVersion.default(4),
    }),
  ]),
});

export const graphqlMessageSchema = z.object({
  protocol: z.literal('graphql'),
  /** graphql-transport-ws (graphql-ws library) or the legacy graphql-ws (subscriptions-transport-ws). */
  subprotocol: z.enum(['graphql-transport-ws', 'graphql-ws']).default('graphql-transport-ws'),
  type: z.enum(['connection_init', 'subscribe', 'complete']).default('subscribe'),
  id: z.string().max(1000).default('1'),
  query: z.string().max(1024 * 1024).default(''),
  variables: jsonText('the variables').default('{}'),
  operationName: z.string().max(1000).optional(),
}).superRefine((m, ctx) => {
  if (m.type === 'subscribe' && m.query.trim() === '') ctx.addIssue({ code: 'custom', path: ['query'], message: 'a subscribe needs a query, e.g. subscription { onPrice { price } }' });
  if (m.type !== 'connection_init' && m.id === '') ctx.addIssue({ code: 'custom', path: ['id'], message: 'an operation needs an id' });
});

/**
 * The records a SignalR client sends in the JSON hub protocol (ASP.NET Core HubProtocol.md): the
 * handshake first, then Invocation (type 1), StreamInvocation (4), CancelInvocation (5), Ping (6)
 * and Close (7); each goes out ended by the record separator 0x1E (core/encode/signalr-encode.ts).
 */
export const SIGNALR_CLIENT_MESSAGES = ['handshake', 'invocation', 'streamInvocation', 'cancelInvocation', 'ping', 'close'] as const;

export const signalrMessageSchema = z.object({
  protocol: z.literal('signalr'),
  type: z.enum(SIGNALR_CLIENT_MESSAGES).default('invocation'),
  /** The hub method's name (Invocation, StreamInvocation). */
  target: z.string().max(1000).default(''),
  /** The method's arguments, a JSON array, sent as typed (big numbers stay exact). */
  arguments: jsonText('the arguments').default('[]'),
  /** An Invocation with one asks for a Completion; a StreamInvocation and a CancelInvocation need one. */
  invocationId: z.string().max(1000).optional(),
}).superRefine((m, ctx) => {
  const invokes = m.type === 'invocation' || m.type === 'streamInvocation';
  const name = m.type === 'streamInvocation' ? 'a StreamInvocation' : 'an Invocation';
  if (invokes && m.target.trim() === '') ctx.addIssue({ code: 'custom', path: ['target'], message: `${name} needs a target (the hub method's name)` });
  if (invokes) {
    try {
      const args: unknown = JSON.parse(m.arguments);
      if (!Array.isArray(args)) ctx.addIssue({ code: 'custom', path: ['arguments'], message: `they are a JSON ${args === null ? 'null' : typeof args === 'object' ? 'object' : typeof args}, not an array: write them in [ ], e.g. ["hello", 1]` });
    } catch {
      // Reported by jsonText.
    }
  }
  if ((m.type === 'streamInvocation' || m.type === 'cancelInvocation') && (m.invocationId ?? '') === '') {
    ctx.addIssue({ code: 'custom', path: ['invocationId'], message: `${m.type === 'streamInvocation' ? 'a StreamInvocation' : 'a CancelInvocation'} needs one (the stream's)` });
  }
});

export const jsonPayloadMessageSchema = z.object({
  protocol: z.enum(['msgpack', 'cbor']),
  json: jsonText('the value'),
});

export const protocolMessageSchema = z.union([stompMessageSchema, socketIoMessageSchema, mqttMessageSchema, graphqlMessageSchema, signalrMessageSchema, jsonPayloadMessageSchema]);
export type ProtocolMessage = z.output<typeof protocolMessageSchema>;
export type ProtocolMessageInput = z.input<typeof protocolMessageSchema>;
export type ComposerProtocol = ProtocolMessage['protocol'];

export const COMPOSER_PROTOCOLS: readonly { name: ComposerProtocol; title: string }[] = [
  { name: 'stomp', title: 'STOMP' },
  { name: 'socketio', title: 'Socket.IO' },
  { name: 'mqtt', title: 'MQTT' },
  { name: 'graphql', title: 'GraphQL' },
  { name: 'signalr', title: 'SignalR' },
  { name: 'msgpack', title: 'MessagePack' },
  { name: 'cbor', title: 'CBOR' },
];

export const encodedMessageSchema = z.object({
  /** How it goes on the WebSocket. */
  kind: z.enum(['text', 'binary']),
  /** text: the text; binary: base64 (as session:send takes them). */
  data: z.string(),
  bytes: z.number().int().min(0),
  /** What it is, as the log's Summary column will say: "SUBSCRIBE /topic/prices id=sub-0". */
  summary: z.string(),
});
export type EncodedMessage = z.infer<typeof encodedMessageSchema>;
