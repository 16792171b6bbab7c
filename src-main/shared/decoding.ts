/**
 * The contract's side of decoding (issue 14): how a session's frames are read in their
 * protocol (the choice, per tab and per profile), what the engine answers for the frames asked
 * (summary, value, problem, conversation) and the decoded-field filter of a search. Plain zod,
 * no Node APIs: the renderer checks with the same schemas. The protocol names are the engine's
 * decoders (core/decode/); the engine refuses a name it has no decoder for, naming those it has.
 */
import { z } from 'zod';
import { MAX_VALUE_CUTS, valueCutSchema } from './value-cuts';

/** A protocol name as the engine's decoders are named (`socketio`, `stomp`, `graphql-ws` …). */
export const protocolNameSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9-]*$/, 'a protocol name is lower-case letters, digits and - (e.g. socketio, stomp, mqtt)');

/** auto: recognised from the handshake and the first messages; none: no decoding; else a protocol. */
export const decodeChoiceSchema = z.union([z.literal('auto'), z.literal('none'), protocolNameSchema]);
export type DecodeChoiceName = z.infer<typeof decodeChoiceSchema>;

/**
 * The protocols the engine decodes, for a picker with no session to ask (the profile editor; a
 * session's picker reads `available` from the engine). Kept equal to core/decode's DECODER_NAMES
 * and DECODER_TITLES by test/unit/shared/decode-protocols.test.ts.
 */
export const DECODE_PROTOCOLS: readonly { name: string; title: string }[] = [
  { name: 'socketio', title: 'Socket.IO' },
  { name: 'stomp', title: 'STOMP' },
  { name: 'mqtt', title: 'MQTT' },
  { name: 'graphql-ws', title: 'GraphQL over WebSocket' },
  { name: 'signalr', title: 'SignalR' },
  { name: 'msgpack', title: 'MessagePack' },
  { name: 'cbor', title: 'CBOR' },
  { name: 'protobuf', title: 'Protocol Buffers' },
  { name: 'compressed', title: 'compressed payload' },
  { name: 'base64', title: 'Base64' },
];

/** The largest Protocol Buffers schema a page sends (.proto text, or a descriptor set's bytes). */
export const MAX_PROTOBUF_SCHEMA_BYTES = 1024 * 1024;

/**
 * A Protocol Buffers schema sent by the page (the web host reads no files of the page's, so the
 * content comes, not a path): a `.proto` file's text (one file: imports are not followed), or a
 * descriptor set (`protoc --descriptor_set_out`) as base64. `name` is the file's name, for messages.
 */
export const protobufSchemaInputSchema = z.union([
  z.object({
    name: z.string().min(1).max(260),
    proto: z.string().max(MAX_PROTOBUF_SCHEMA_BYTES, `a .proto text is at most ${MAX_PROTOBUF_SCHEMA_BYTES} characters (1 MiB)`),
  }).strict(),
  z.object({
    name: z.string().min(1).max(260),
    descriptorSet: z
      .string()
      .max(Math.ceil(MAX_PROTOBUF_SCHEMA_BYTES / 3) * 4, 'a descriptor set is at most 1 MiB (as base64)')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'a descriptor set is sent as base64 (A-Z a-z 0-9 + / and = padding)'),
  }).strict(),
]);
export type ProtobufSchemaInput = z.infer<typeof protobufSchemaInputSchema>;

/** The most type rules one Protocol Buffers choice has. */
export const MAX_PROTOBUF_RULES = 32;

/**
 * A rule choosing the message type for some messages: each condition given must hold (the
 * message's direction, its first byte, a part of the connection's URL, the subprotocol the server
 * chose, compared without case); at least one is given.
 */
export const protobufTypeRuleSchema = z
  .object({
    type: z.string().min(1, 'a rule needs a message type').max(500),
    dir: z.enum(['in', 'out']).optional(),
    firstByte: z.number().int().min(0, 'a first byte is 0 to 255 (0x00 to 0xff)').max(255, 'a first byte is 0 to 255 (0x00 to 0xff)').optional(),
    urlIncludes: z.string().min(1).max(2000).optional(),
    subprotocol: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((rule) => rule.dir !== undefined || rule.firstByte !== undefined || rule.urlIncludes !== undefined || rule.subprotocol !== undefined, {
    message: 'a rule needs a condition: a direction, a first byte, a part of the URL or a subprotocol',
  });
export type ProtobufTypeRule = z.infer<typeof protobufTypeRuleSchema>;

/**
 * With choice protobuf: the schema, the message type each message is (left out: the engine lists
 * the types it found, and decodes schema-less), and rules that choose another type for some
 * messages: the first rule that holds wins, else `type`.
 */
export const protobufChoiceSchema = z.object({
  schema: protobufSchemaInputSchema,
  type: z.string().min(1).max(500).optional(),
  rules: z.array(protobufTypeRuleSchema).max(MAX_PROTOBUF_RULES, `at most ${MAX_PROTOBUF_RULES} type rules`).optional(),
});
export type ProtobufChoice = z.infer<typeof protobufChoiceSchema>;

/** The schema in use, as the engine compiled it: "orders.proto#shop.Order". */
export const protobufStateSchema = z.object({
  name: z.string(),
  /** The message type in use; absent until one is chosen. */
  type: z.string().optional(),
  /** Every message type the schema has, by full name. */
  types: z.array(z.string()),
  /** How many type rules are in use (absent: none). */
  rules: z.number().int().min(1).optional(),
});
export type ProtobufState = z.infer<typeof protobufStateSchema>;

export const activeDecodingSchema = z.object({
  protocol: z.string(),
  /** "Socket.IO". */
  title: z.string(),
  /** Auto's guess (not confirmed by the user). */
  guess: z.boolean(),
  /** Why: "the URL has EIO=4", "chosen for this tab". */
  reason: z.string(),
});
export type ActiveDecodingView = z.infer<typeof activeDecodingSchema>;

export const decodingStateSchema = z.object({
  choice: decodeChoiceSchema,
  /** null: nothing decodes (none, or auto found no protocol yet). */
  active: activeDecodingSchema.nullable(),
  /** Every protocol the engine decodes, for the picker. */
  available: z.array(z.object({ name: z.string(), title: z.string() })),
  /** With choice protobuf and a schema given. */
  protobuf: protobufStateSchema.optional(),
});
export type DecodingState = z.infer<typeof decodingStateSchema>;

/** request: asks for an answer; answer: answers one; stream: one of many answers (a STOMP MESSAGE, a GraphQL next). */
export const conversationRoleSchema = z.enum(['request', 'answer', 'stream']);

/** A frame's place in one conversation. */
export const conversationMembershipSchema = z.object({
  /** Frames with the same key belong to one conversation: "stomp receipt r-1", "socketio / ack 12 ↑". */
  key: z.string().max(300),
  role: conversationRoleSchema,
  /** In words: "receipt r-1", "ack 12", "packet id 5", "subscription sub-0". */
  label: z.string().max(300),
});
export type ConversationMembership = z.infer<typeof conversationMembershipSchema>;

export const conversationRefSchema = conversationMembershipSchema.extend({
  /**
   * A second conversation the frame belongs to as well (another key): a STOMP SUBSCRIBE or
   * UNSUBSCRIBE with a `receipt` is in its receipt's conversation (above) and its subscription's
   * (here). Every consumer of a key honours both (shared/conversation-membership.ts).
   */
  also: conversationMembershipSchema.optional(),
});
export type ConversationRef = z.infer<typeof conversationRefSchema>;

/** JSON as the decoders give it (core/decode/json-value.ts). */
export type DecodedJson = null | boolean | number | string | DecodedJson[] | { [key: string]: DecodedJson };
const decodedJsonSchema: z.ZodType<DecodedJson> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(decodedJsonSchema), z.record(z.string(), decodedJsonSchema)]),
);

/** Most credential paths one frame's answer lists (an MQTT message of many CONNECTs). */
export const MAX_CREDENTIAL_PATHS = 64;

export const decodedFrameSchema = z.object({
  seq: z.number().int(),
  /** decoded; partial: part of a protocol frame that ends in a later message; invalid: not what the protocol allows. */
  kind: z.enum(['decoded', 'partial', 'invalid']),
  protocol: z.string(),
  /** "SUBSCRIBE /topic/prices id=sub-0"; for an invalid frame "not valid STOMP: what and where". */
  summary: z.string(),
  /** Only when asked for (`values: true`): the decoded structure, long strings and big containers cut (`valueCuts`). */
  value: decodedJsonSchema.optional(),
  /** Where `value` was cut to keep the answer small (shared/value-cuts.ts); absent when whole. */
  valueCuts: z.array(valueCutSchema).max(MAX_VALUE_CUTS).optional(),
  /**
   * With `value`: the paths in it that hold credentials (`$.password`, `$.headers.passcode`,
   * `$.packets[1].password`: core/decode/frame-credentials.ts), to be shown hidden as credential
   * headers are; absent when none.
   */
  credentials: z.array(z.string().max(1000)).max(MAX_CREDENTIAL_PATHS).optional(),
  /** An invalid frame: what and where. */
  problem: z.string().optional(),
  conversation: conversationRefSchema.optional(),
  /** An answer (or stream item) whose request is shortly before it: that frame, and the time between. */
  answers: z.object({ seq: z.number().int(), latencyMs: z.number().min(0) }).optional(),
  /**
   * An exact answer (or stream item) whose request is not known yet: a frame shortly before it was
   * decoded without the frames before it (`unread` there), so it may be the request, or hide it.
   * The engine reads up to that frame at once, so asked again later it has `answers` (or no
   * request within reach); the summary is exact.
   */
  requestUnread: z.literal(true).optional(),
  /**
   * Decoded without the `framesBefore` stored frames before `fromSeq` (the engine had not read
   * that far yet: state they set, an MQTT 5 topic alias or a GraphQL id, may be missing), so not
   * exact; the engine reads up to it at once (between other commands: a catch-up always ends),
   * so asked again later it is exact, however long that takes. The summary does not say it.
   */
  unread: z.object({ framesBefore: z.number().int().min(0), fromSeq: z.number().int().min(1) }).strict().optional(),
  /**
   * Decoded by a decoder that never read the `framesBefore` frames before `fromSeq`: the store
   * dropped them from memory (its frame limit) before the engine's decoding read them, so state
   * they set may be missing. Unlike `unread`, final: asking again gives the same answer.
   */
  withoutEvicted: z.object({ framesBefore: z.number().int().min(0), fromSeq: z.number().int().min(1) }).strict().optional(),
});
export type DecodedFrame = z.infer<typeof decodedFrameSchema>;

/** Most frames one `frames:decode` answers (rows in view are far fewer). */
export const MAX_DECODE_FRAMES = 1000;

const seq = z.number().int().min(1);

export const decodeRequestSchema = z
  .object({
    sessionId: z.string().min(1).max(100),
    /** The frames by seq (rows in view of a filtered log are not a range) … */
    seqs: z.array(seq).min(1).max(MAX_DECODE_FRAMES).optional(),
    /** … or a range, inclusive. */
    fromSeq: seq.optional(),
    toSeq: seq.optional(),
    /** Include each frame's decoded value (the detail pane); rows need only the summary. */
    values: z.boolean().default(false),
  })
  .superRefine((arg, ctx) => {
    const range = arg.fromSeq !== undefined || arg.toSeq !== undefined;
    if ((arg.seqs !== undefined) === range) {
      ctx.addIssue({ code: 'custom', message: 'give either seqs or a range (fromSeq and toSeq), not both and not neither' });
      return;
    }
    if (!range) return;
    if (arg.fromSeq === undefined || arg.toSeq === undefined) {
      ctx.addIssue({ code: 'custom', path: [arg.fromSeq === undefined ? 'fromSeq' : 'toSeq'], message: 'a range needs both fromSeq and toSeq' });
    } else if (arg.toSeq < arg.fromSeq) {
      ctx.addIssue({ code: 'custom', path: ['toSeq'], message: 'toSeq must not be before fromSeq' });
    } else if (arg.toSeq - arg.fromSeq + 1 > MAX_DECODE_FRAMES) {
      ctx.addIssue({ code: 'custom', path: ['toSeq'], message: `a range holds at most ${MAX_DECODE_FRAMES} frames` });
    }
  });

export const decodeResultSchema = z.object({
  active: activeDecodingSchema.nullable(),
  /** The frames asked for that decode (control frames, frames not stored and frames before a protocol was found are left out). */
  frames: z.array(decodedFrameSchema),
});

/**
 * A search's criteria on the decoded value (frames that do not decode never match): fields the
 * decoders name per protocol (a Socket.IO event, a STOMP destination, an MQTT topic, a GraphQL
 * operation), a query over the value (`$.event == 'chat'`, shared/decoded-query.ts) and a
 * conversation key (follow this conversation).
 */
export const decodedFilterSchema = z
  .object({
    event: z.string().min(1).max(1000).optional(),
    destination: z.string().min(1).max(1000).optional(),
    topic: z.string().min(1).max(1000).optional(),
    operation: z.string().min(1).max(1000).optional(),
    query: z.string().min(1).max(10_000).optional(),
    conversation: z.string().min(1).max(300).optional(),
  })
  .refine((f) => Object.values(f).some((v) => v !== undefined), { message: 'a decoded filter needs at least one criterion (event, destination, topic, operation, query or conversation)' });
export type DecodedFilter = z.infer<typeof decodedFilterSchema>;
