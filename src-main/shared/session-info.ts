/**
 * What `session:list` says of each session. Besides the state and the frame range, a session
 * tells what its events said (the proxy decision, the handshake steps, the failure, how it
 * ended), so a host whose link to the engine dropped for a while (the web host's page) can
 * show them again instead of a session that ended without a word.
 */
import { z } from 'zod';
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
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
