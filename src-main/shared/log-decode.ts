/**
 * The Decode choice a session was read with when its log was exported (the NDJSON header's
 * `decode`, HAR's `_tunnelscope.decode`), so an import decodes as the session did. For Protocol
 * Buffers only the schema file's name and the message type go in, never the schema itself: on
 * import the user chooses the schema again. The importer checks the field on its own
 * (core/export/logged-decode.ts): a value it cannot use is a note and Auto, never a refused file.
 */
import { z } from 'zod';
import { decodeChoiceSchema } from './decoding';

export const loggedDecodeSchema = z.object({
  /** auto, none or a decoder's name (msgpack, stomp, protobuf …). */
  choice: decodeChoiceSchema,
  /** With choice protobuf and a schema chosen: its file's name ("chat.proto") and the message type. */
  protobuf: z
    .object({
      schema: z.string().min(1).max(260),
      type: z.string().min(1).max(500).optional(),
    })
    .optional(),
});
export type LoggedDecode = z.infer<typeof loggedDecodeSchema>;
