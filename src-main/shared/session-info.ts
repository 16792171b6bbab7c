/**
 * What `session:list` says of each session. Besides the state and the frame range, a session
 * tells what its events said (the proxy decision, the handshake steps, the failure, how it
 * ended), so a host whose link to the engine dropped for a while (the web host's page) can
 * show them again instead of a session that ended without a word.
 */
import { z } from 'zod';
import { attemptRecordSchema, resentReportSchema } from './attempts';
import { capturedFromSchema, clientHandshakeSchema } from './captured-from';
import { netErrorSchema } from './errors';
import { handshakeStepSchema, proxyDecisionSchema, sessionStateSchema } from './model';

export const sessionEndingSchema = z.object({
  /** The close code (null when the connection ended without a close frame). */
  code: z.number().int().nullable(),
  reason: z.string(),
  wasClean: z.boolean(),
  initiatedBy: z.enum(['client', 'server', 'none']),
  at: z.number(),
});
export type SessionEnding = z.infer<typeof sessionEndingSchema>;

export const sessionInfoSchema = z.object({
  sessionId: z.string(),
  url: z.string(),
  state: sessionStateSchema,
  createdAt: z.number(),
  framesStored: z.number().int(),
  framesDropped: z.number().int(),
  lastSeq: z.number().int(),
  /** An imported log: read-only, nothing can be sent. */
  readOnly: z.boolean().optional(),
  /** The import's name (its file name). */
  name: z.string().optional(),
  decision: proxyDecisionSchema.optional(),
  steps: z.array(handshakeStepSchema).optional(),
  error: netErrorSchema.optional(),
  ending: sessionEndingSchema.optional(),
  /**
   * Whose session it is, seen from the client asking: `you`, `other` (a client that is
   * connected), `gone` (its client went away: it is disposed at `disposeAt` unless adopted),
   * `none` (the host's own, e.g. the CLI's).
   */
  owner: z.enum(['you', 'other', 'gone', 'none']).optional(),
  /** A tab shows it: kept after it closes (see `session:pin`). */
  pinned: z.boolean().optional(),
  /** When the engine will dispose it unless it is adopted or pinned (ms since the epoch). */
  disposeAt: z.number().optional(),
  /** Bytes the engine holds for its frames (a closed session gives back what only recording needed). */
  heldBytes: z.number().int().min(0).optional(),
  /** A reconnecting connection: its ended attempts (the latest ones), the last one's `next` pending while it waits. */
  attempts: z.array(attemptRecordSchema).optional(),
  /** A reconnecting connection with `reconnect.resend`: the last `resent` report (what its latest replay sent again), so a reloaded page can say it again. */
  resent: resentReportSchema.optional(),
  /** An intercepted connection (tunnelscope intercept): the client whose WebSocket it is (and its process, where the OS tells). */
  captured: capturedFromSchema.optional(),
  /** An intercepted connection once the client got its 101 (or an import of one): the client's side of the handshake. */
  clientHandshake: clientHandshakeSchema.optional(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
