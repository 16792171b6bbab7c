/**
 * The opt-in decoded output of an export (`frames:export`, `frames:export-to-file`): each frame
 * a decoder reads gets `decoded` (NDJSON) or `_decoded` (HAR) beside its raw payload, in the
 * shape of the CLI's `--json` (core/decode/decoded-record.ts). The protocol is chosen as for a
 * session: auto (recognised from the handshake and first messages), or a decoder's name; a
 * Protocol Buffers schema file only where the host reads files (the CLI), or a schema's content.
 * A frame a stateful protocol's decoder read without the frames the store evicted before it also
 * has `withoutEvicted` {framesBefore, fromSeq} (core/export/export-decoding.ts).
 */
import { z } from 'zod';
import { MAX_PROTOBUF_RULES, protobufSchemaInputSchema, protobufTypeRuleSchema } from './decoding';

export const exportDecodingSchema = z.object({
  /** auto, or a decoder's name (socketio, stomp, mqtt, graphql-ws, signalr, msgpack, cbor, protobuf, compressed, base64). */
  choice: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[a-z][a-z0-9-]*$/, 'auto or a decoder name (lower-case letters, digits and -)'),
  /**
   * With choice protobuf: a .proto file or descriptor set by path and the message type (hosts that
   * read files only), or the schema's content as the app sends it (session:decoding's, with its
   * type rules; without a type, messages no rule takes are read schema-less).
   */
  protobuf: z
    .union([
      z.object({ file: z.string().min(1).max(4096), type: z.string().min(1).max(500) }),
      z.object({ schema: protobufSchemaInputSchema, type: z.string().min(1).max(500).optional(), rules: z.array(protobufTypeRuleSchema).max(MAX_PROTOBUF_RULES, `at most ${MAX_PROTOBUF_RULES} type rules`).optional() }),
    ])
    .optional(),
});
export type ExportDecoding = z.infer<typeof exportDecodingSchema>;
