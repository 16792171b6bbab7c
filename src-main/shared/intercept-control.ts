/**
 * The contract of the intercepting proxy's breakpoints (core/intercept/): the rules that hold
 * messages, the messages held now, what a held message is replaced with, and the log's mark on
 * a frame that was edited, dropped or injected. The commands using them are in commands.ts
 * (`intercept:*`), the `intercept-queue` event in events.ts.
 */
import { z } from 'zod';

/** `out`: client to server; `in`: server to client (as the frame log says). */
export const interceptDirectionSchema = z.enum(['in', 'out']);
export type InterceptDirection = z.infer<typeof interceptDirectionSchema>;

export const messageKindSchema = z.enum(['text', 'binary']);
export type MessageKind = z.infer<typeof messageKindSchema>;

/** Most rules at once; each is checked against every message of every intercepted connection. */
export const MAX_BREAKPOINT_RULES = 100;

/**
 * One breakpoint rule: a message is held when every field given matches (none given: every
 * message). `text`, `regex` and `jsonPath` read the payload as UTF-8; `jsonPath` (jsonpath-plus
 * syntax, as the search's) matches a message that parses as JSON and where the path finds
 * something.
 */
export const breakpointRuleSchema = z
  .object({
    /** Unset: both directions. */
    direction: interceptDirectionSchema.optional(),
    kind: messageKindSchema.optional(),
    /** Text the payload contains (case-sensitive). */
    text: z.string().min(1).max(10_000).optional(),
    /** A regular expression the payload matches (the search's safe compilation). */
    regex: z.string().min(1).max(1_000).optional(),
    jsonPath: z.string().min(1).max(1_000).optional(),
    /** The server's host, exactly (case-insensitive). */
    host: z.string().min(1).max(253).optional(),
    /** false: kept in the list but not applied. */
    enabled: z.boolean().optional(),
  })
  .strict();
export type BreakpointRule = z.infer<typeof breakpointRuleSchema>;

export const breakpointRulesSchema = z.array(breakpointRuleSchema).max(MAX_BREAKPOINT_RULES);

/** A held message as the queue event lists it (its payload: `intercept:held`). */
export const heldFrameSchema = z.object({
  /** The id to forward or drop it by (unique across connections for the run). */
  id: z.number().int().min(1),
  sessionId: z.string(),
  direction: interceptDirectionSchema,
  kind: messageKindSchema,
  size: z.number().int().min(0),
  /** Epoch milliseconds when it was held. */
  at: z.number(),
  /** Text: its first 200 characters; binary: its first 100 bytes in hex. */
  preview: z.string(),
  truncated: z.boolean(),
});
export type HeldFrame = z.infer<typeof heldFrameSchema>;

export const heldFrameBodySchema = heldFrameSchema.extend({
  base64: z.string(),
  /** The payload as text (a text message). */
  text: z.string().optional(),
});
export type HeldFrameBody = z.infer<typeof heldFrameBodySchema>;

/** Messages waiting in one direction: the held ones and those queued behind them. */
export const waitingCountsSchema = z.object({ in: z.number().int().min(0), out: z.number().int().min(0) });
export type WaitingCounts = z.infer<typeof waitingCountsSchema>;

/** One intercepted connection's breakpoint queue: what `intercept-queue` carries on every change. */
export const interceptQueueSchema = z.object({
  sessionId: z.string(),
  /** Held messages, oldest first. */
  held: z.array(heldFrameSchema),
  waiting: waitingCountsSchema,
});
export type InterceptQueue = z.infer<typeof interceptQueueSchema>;

/** The largest payload typed in (an edit or an injection), in characters. */
export const MAX_TYPED_PAYLOAD_CHARS = 16 * 1024 * 1024;

/**
 * A payload as the user typed it: text as it is (UTF-8), JSON checked to parse (sent as typed),
 * hex (pairs of hex digits, spaces and line breaks ignored), or base64.
 */
export const typedPayloadSchema = z
  .object({
    as: z.enum(['text', 'json', 'hex', 'base64']),
    value: z.string().max(MAX_TYPED_PAYLOAD_CHARS),
  })
  .superRefine((payload, context) => {
    const problem = typedPayloadProblem(payload.as, payload.value);
    if (problem !== undefined) context.addIssue({ code: 'custom', path: ['value'], message: problem });
  });
export type TypedPayload = z.infer<typeof typedPayloadSchema>;

/** What is wrong with a typed payload, in words, or undefined (also used by the UI as the user types). */
export function typedPayloadProblem(as: TypedPayload['as'], value: string): string | undefined {
  if (as === 'json') {
    try {
      JSON.parse(value);
      return undefined;
    } catch (error) {
      return `not JSON: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (as === 'hex') {
    const digits = value.replace(/\s+/g, '');
    const bad = /[^0-9a-fA-F]/.exec(digits);
    if (bad) return `not hex: "${bad[0]}" is not a hex digit (0-9, a-f)`;
    if (digits.length % 2 !== 0) return `not hex: ${digits.length} digits, an odd number (two per byte)`;
    return undefined;
  }
  if (as === 'base64') {
    const compact = value.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return 'not base64 (A-Z, a-z, 0-9, +, /, = padding; length a multiple of 4)';
  }
  return undefined;
}

/**
 * The log's mark on a frame the intercepting proxy changed (FrameSummary.intercept): `edited`
 * (the frame's payload is what was sent; the original is kept), `dropped` (the frame's payload
 * never reached the other side), `injected` (typed in Tunnelscope; no side sent it), `resent`
 * (not the proxy's: a reconnect sent it again, the protocol's opening or a subscription; core/session/opening-replay.ts).
 */
export const frameMarkSchema = z.object({
  action: z.enum(['edited', 'dropped', 'injected', 'resent']),
  /** An edited frame: its original payload's size in bytes (the payload: `frames:get`'s `original`). */
  originalSize: z.number().int().min(0).optional(),
  /**
   * Why a `dropped` frame went nowhere when no one dropped it: `connection-ended` — it was held
   * at a breakpoint (or waiting behind a held one) when its connection ended.
   */
  reason: z.enum(['connection-ended']).optional(),
});
export type FrameMark = z.infer<typeof frameMarkSchema>;

/** An edited frame's original payload, as `frames:get` returns it. */
export const originalPayloadSchema = z.object({ base64: z.string(), text: z.string().optional() });
export type OriginalPayload = z.infer<typeof originalPayloadSchema>;

/**
 * The mark as the log files carry it (NDJSON `intercept`, HAR `_intercept`): an edited frame's
 * original payload is kept as `text` (a text frame) or `base64` (any other).
 */
export const loggedMarkSchema = z.object({
  action: frameMarkSchema.shape.action,
  reason: frameMarkSchema.shape.reason,
  original: z
    .object({
      text: z.string().optional(),
      base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64').optional(),
    })
    .optional(),
});
export type LoggedMark = z.infer<typeof loggedMarkSchema>;

/**
 * A frame's mark as a log line carries it, from its summary's mark and (an edited frame) the
 * original payload `frames:get` returned: `text` for a text frame, `base64` for any other.
 */
export function loggedMarkOf(mark: FrameMark, opcode: string, original: OriginalPayload | undefined): LoggedMark {
  const base: LoggedMark = mark.reason === undefined ? { action: mark.action } : { action: mark.action, reason: mark.reason };
  if (original === undefined) return base;
  return { ...base, original: opcode === 'text' && original.text !== undefined ? { text: original.text } : { base64: original.base64 } };
}
