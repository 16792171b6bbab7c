/**
 * A part of a stored frame's payload (`frames:get` with `maxBytes`/`offset`): the detail pane
 * asks for the first PAYLOAD_PART_BYTES of a frame and more only when the user does (Show more,
 * Save payload…), so one answer stays a few MiB whatever the frame's size (the engine stores
 * messages of up to 200 MiB; the web host cuts off a page with over 64 MiB of answers unsent).
 */
import { z } from 'zod';
import { frameBodySchema } from './model';

/** What the detail pane asks for first, and per Show more / per piece of a save. */
export const PAYLOAD_PART_BYTES = 1024 * 1024;
/** The most one part may hold (about 2.4 times that on the wire: base64 and a text frame's text). */
export const MAX_PAYLOAD_PART_BYTES = 8 * 1024 * 1024;

export const frameGetArgSchema = z.object({
  sessionId: z.string().min(1).max(100),
  seq: z.number().int().min(1),
  /** The first payload byte wanted (a text frame's part starts and ends on a character). Default 0. */
  offset: z.number().int().min(0).optional(),
  /** At most this many payload bytes (and of an edited frame's original); left out: the whole payload (the CLI). */
  maxBytes: z.number().int().min(1).max(MAX_PAYLOAD_PART_BYTES).optional(),
  /** The credentials inside the payload as they are (the pane's Show credentials); else masked with '*'. */
  reveal: z.boolean().optional(),
});

export const payloadPartSchema = z.object({
  /** Where `base64` (and `text`) start in the payload, in bytes. */
  offset: z.number().int().min(0),
  /** The bytes in `base64`. */
  bytes: z.number().int().min(0),
  /** The whole payload's size. */
  totalBytes: z.number().int().min(0),
  /** An edited frame's original, when it was cut too: its whole size. */
  originalTotalBytes: z.number().int().min(0).optional(),
});
export type PayloadPart = z.infer<typeof payloadPartSchema>;

/** `frames:get`'s answer: the frame, its payload (or the part asked for: `part`). */
/** The frame holds credentials (core/session/frame-credential-ranges.ts): masked in the answer unless `revealed`. */
export const frameCredentialsSchema = z.object({
  /** The credential fields, as paths in the protocol frame (`$.headers.passcode`). */
  fields: z.array(z.string().max(200)).max(64),
  /** Bytes of the payload (and of an edited frame's original) that are credentials, in this answer's part or not. */
  bytes: z.number().int().min(0),
  revealed: z.boolean(),
});
export type FrameCredentialsInfo = z.infer<typeof frameCredentialsSchema>;

export const frameGetResultSchema = frameBodySchema.extend({ part: payloadPartSchema.optional(), credentials: frameCredentialsSchema.optional() });
export type FramePartBody = z.infer<typeof frameGetResultSchema>;
