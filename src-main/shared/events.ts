/**
 * The one event stream from the engine to every host and the UI: a discriminated union on
 * `type`. Every event names its session.
 */
import { z } from 'zod';
import { netErrorSchema } from './errors';
import {
  frameSummarySchema,
  handshakeStepSchema,
  proxyDecisionSchema,
  sessionStateSchema,
} from './model';

const sessionId = z.string().min(1);

export const engineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session-created'), sessionId, url: z.string(), at: z.number() }),
  z.object({ type: z.literal('proxy-decision'), sessionId, decision: proxyDecisionSchema }),
  z.object({
    type: z.literal('state'),
    sessionId,
    state: sessionStateSchema,
    previous: sessionStateSchema,
    at: z.number(),
  }),
  z.object({ type: z.literal('handshake'), sessionId, step: handshakeStepSchema }),
  z.object({
    type: z.literal('frames'),
    sessionId,
    /** seq of the first frame in `frames` (they are consecutive). */
    fromSeq: z.number().int(),
    frames: z.array(frameSummarySchema),
    /** How many older frames the bounded store has evicted so far in this session. */
    dropped: z.number().int().min(0),
  }),
  z.object({ type: z.literal('error'), sessionId, error: netErrorSchema }),
  z.object({
    type: z.literal('closed'),
    sessionId,
    /** The close code (null when the connection ended without a close frame). */
    code: z.number().int().nullable(),
    reason: z.string(),
    wasClean: z.boolean(),
    /** Who started the close: the user, the server, or nobody (failure, reset). */
    initiatedBy: z.enum(['client', 'server', 'none']),
    at: z.number(),
  }),
  z.object({ type: z.literal('session-removed'), sessionId }),
]);
export type EngineEvent = z.infer<typeof engineEventSchema>;
export type EngineEventType = EngineEvent['type'];
export type EngineEventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;

export type EventListener = (event: EngineEvent) => void;
