/**
 * The session log files Tunnelscope writes and reads: NDJSON (a header line, then one JSON
 * object per frame) and HAR 1.2 with Chrome's `_webSocketMessages`. The NDJSON line shapes
 * are the file format, so they live in the contract: the exporter writes them, the importer
 * checks every line against them.
 */
import { z } from 'zod';
import { attemptRecordSchema } from './attempts';
import { netErrorSchema } from './errors';
import { handshakeStepSchema, opcodeSchema, proxyDecisionSchema, sessionStateSchema } from './model';
import { loggedMarkSchema, type LoggedMark } from './intercept-control';
import { clientHandshakeSchema } from './captured-from';

export const LOG_FORMATS = ['ndjson', 'har'] as const;
export const logFormatSchema = z.enum(LOG_FORMATS);
export type LogFormat = z.infer<typeof logFormatSchema>;

/** The `type` of an NDJSON log's first line. */
export const NDJSON_HEADER_TYPE = 'tunnelscope-session';
export const NDJSON_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });

export const ndjsonHeaderSchema = z.object({
  type: z.literal(NDJSON_HEADER_TYPE),
  version: z.literal(NDJSON_VERSION),
  url: z.string(),
  name: z.string().optional(),
  createdAt: isoTime,
  exportedAt: isoTime,
  state: sessionStateSchema,
  /** Which proxy was chosen and why (null: the session never got that far). */
  proxy: proxyDecisionSchema.nullable(),
  /** Each leg of the handshake as it happened, secrets redacted. */
  handshake: z.array(handshakeStepSchema),
  error: netErrorSchema.nullable(),
  closed: z
    .object({
      code: z.number().int().nullable(),
      reason: z.string(),
      wasClean: z.boolean(),
      initiatedBy: z.enum(['client', 'server', 'none']),
      at: isoTime,
    })
    .nullable(),
  /** Frames the bounded store had evicted before the export. */
  framesDropped: z.number().int().min(0),
  /** Only frames matching this filter were exported (null: all). */
  filter: z.record(z.string(), z.unknown()).nullable(),
  /** A reconnecting connection: how each attempt ended (the log's separators, after `afterSeq`). */
  attempts: z.array(attemptRecordSchema).optional(),
  /** An intercepted connection: what its client asked and the 101 it got from us (absent in older files). */
  clientHandshake: clientHandshakeSchema.optional(),
  /**
   * The Decode choice the session was read with (shared/log-decode.ts; absent in older files).
   * Checked on its own by the importer (a value it cannot use is a note, not a refused header).
   */
  decode: z.unknown().optional(),
});
export type NdjsonHeader = z.infer<typeof ndjsonHeaderSchema>;

const base64Text = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64 (A–Z, a–z, 0–9, +, /, = padding)');

/** One frame: text frames carry `text`, binary/ping/pong `base64`, close frames code and reason. */
export const ndjsonFrameSchema = z
  .object({
    seq: z.number().int().min(1),
    dir: z.enum(['in', 'out']),
    opcode: opcodeSchema,
    at: isoTime,
    size: z.number().int().min(0),
    text: z.string().optional(),
    base64: base64Text.optional(),
    closeCode: z.number().int().min(0).max(65535).optional(),
    closeReason: z.string().optional(),
    /** A frame the intercepting proxy edited (its original kept), dropped or injected. */
    intercept: loggedMarkSchema.optional(),
  })
  .superRefine((frame, ctx) => {
    if (frame.opcode === 'text' && frame.text === undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'a text frame needs "text"' });
    }
    if ((frame.opcode === 'binary' || frame.opcode === 'ping' || frame.opcode === 'pong') && frame.base64 === undefined) {
      ctx.addIssue({ code: 'custom', path: ['base64'], message: `a ${frame.opcode} frame needs "base64"` });
    }
  });
export type NdjsonFrame = z.infer<typeof ndjsonFrameSchema>;

/** One message in Chrome's HAR extension (`entry._webSocketMessages[]`). */
export interface HarWebSocketMessage {
  type: 'send' | 'receive';
  /** Epoch seconds (fractional), as Chrome writes it. */
  time: number;
  /** 1 text, 2 binary; 8 close, 9 ping, 10 pong (Chrome's importer and frame view accept these). */
  opcode: number;
  /** The text for opcode 1; base64 of the payload otherwise (as in Chrome's CDP frames). */
  data: string;
  /** Tunnelscope's: a frame the intercepting proxy edited (its original kept), dropped or injected. */
  _intercept?: LoggedMark;
}
