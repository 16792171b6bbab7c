/**
 * The one event stream from the engine to every host and the UI: a discriminated union on
 * `type`. Every event names its session.
 */
import { z } from 'zod';
import { attemptRecordSchema, resentReportSchema } from './attempts';
import { capturedFromSchema } from './captured-from';
import { netErrorSchema } from './errors';
import {
  frameSummarySchema,
  handshakeStepSchema,
  proxyDecisionSchema,
  sessionStateSchema,
} from './model';
import { sessionInfoSchema } from './session-info';
import { sessionStatsSchema } from './stats';
import { repeatEventFields } from './send-repeat';
import { interceptEventSchemas } from './intercept-proxy';
import { interceptQueueSchema } from './intercept-control';

const sessionId = z.string().min(1);

/** A frames event but its frames (see framesEnvelopeSchema). */
const framesEventFields = {
  type: z.literal('frames'),
  sessionId,
  /** seq of the first frame in `frames` (they are consecutive). */
  fromSeq: z.number().int(),
  /**
   * seq of the last frame the batch covers (a consumer that only counts need not read
   * `frames`, which the engine builds when first read). Optional: older producers left it out.
   */
  toSeq: z.number().int().optional(),
  /** How many older frames the bounded store has evicted so far in this session. */
  dropped: z.number().int().min(0),
};

/**
 * A frames event with its frames left unchecked, for a receiver that checks the summaries
 * with the faster frame-summary-check.ts (the renderer, a hundred batches a second).
 */
export const framesEnvelopeSchema = z.object({ ...framesEventFields, frames: z.array(z.unknown()) });

export const engineEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('session-created'),
    sessionId,
    url: z.string(),
    at: z.number(),
    /** An imported log (NDJSON or HAR): read-only, already closed, its frames in the store. */
    readOnly: z.boolean().optional(),
    /** A name for the tab (an import's file name). */
    name: z.string().optional(),
    /** An intercepted connection (tunnelscope intercept): the client whose WebSocket it is (and its process, where the OS tells). */
    captured: capturedFromSchema.optional(),
  }),
  z.object({ type: z.literal('proxy-decision'), sessionId, decision: proxyDecisionSchema }),
  z.object({
    type: z.literal('state'),
    sessionId,
    state: sessionStateSchema,
    previous: sessionStateSchema,
    at: z.number(),
  }),
  z.object({ type: z.literal('handshake'), sessionId, step: handshakeStepSchema }),
  z.object({ ...framesEventFields, frames: z.array(frameSummarySchema) }),
  /**
   * The consumer fell behind (it acknowledges with `frames:ack` more slowly than frames
   * arrive): frames `fromSeq`..`toSeq` were stored but not sent as summaries. Nothing is lost;
   * page them with `frames:page`. Batches resume once the acknowledgements catch up. With
   * `tail`, the consumer is keeping up and was sent only the newest frames of the interval as
   * rows: they follow in the next event (a page's log; `behind` is 0).
   */
  z.object({
    type: z.literal('frames-skipped'),
    sessionId,
    fromSeq: z.number().int().min(1),
    toSeq: z.number().int().min(1),
    /** Frames stored that the consumer has not acknowledged. */
    behind: z.number().int().min(0),
    dropped: z.number().int().min(0),
    /** The batch with the interval's newest frames follows this notice (a page is sent its tail). */
    tail: z.literal(true).optional(),
  }),
  /** About once per second while the session is open, and once when it ends. */
  z.object({ type: z.literal('stats'), sessionId, stats: sessionStatsSchema }),
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
    /** Why the session likely ended, when the engine knows more than the code says (Engine.IO pings left unanswered). */
    diagnosis: z.string().optional(),
  }),
  z.object({ type: z.literal('session-removed'), sessionId }),
  /**
   * A reconnecting connection (options.reconnect): one attempt ended. With `record.next` the
   * next one starts at `record.next.at` (the session stays, `closed` has not come); without,
   * `closed` follows. The frames go on in the same log after `record.afterSeq`.
   */
  z.object({ type: z.literal('attempt'), sessionId, record: attemptRecordSchema }),
  /** A reconnecting connection started its attempt `attempt` (≥ 2): the wait is over. */
  z.object({ type: z.literal('attempt-started'), sessionId, attempt: z.number().int().min(2), at: z.number() }),
  /**
   * A reconnecting connection with `reconnect.resend` sent again, as attempt `attempt` opened, what
   * opened the protocol session before (and the subscriptions); again when the subscriptions went
   * out after the server's answer. Not sent when there was nothing to send again.
   */
  z.object({ type: z.literal('resent'), sessionId, ...resentReportSchema.shape }),
  /** A repeated send's progress (send-repeat.ts): at most every 100 ms while it runs, on each change of status, and at its end. */
  z.object({ ...repeatEventFields, sessionId }),
  /**
   * This consumer has just subscribed to the session (`session:subscribe`, `session:adopt`):
   * where it stands now, as `session:list` tells it. Its live events follow; its frames up to
   * `info.lastSeq` are in the store to page, later ones come in batches.
   */
  z.object({ type: z.literal('subscribed'), sessionId, info: sessionInfoSchema }),
  /**
   * An intercepted connection's breakpoint queue changed (a message held, released, edited,
   * dropped): what is held now and how many wait per direction (intercept-control.ts).
   */
  z.object({ type: z.literal('intercept-queue'), ...interceptQueueSchema.shape }),
]);
export type EngineEvent = z.infer<typeof engineEventSchema>;
export type EngineEventType = EngineEvent['type'];
export type EngineEventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;

export type EventListener = (event: EngineEvent) => void;

/**
 * The intercepting proxy's own events (intercept-proxy.ts): they name no session and go to
 * every consumer of the session list (Subscriptions.broadcast), never to Engine.onEvent.
 */
export const interceptProxyEventSchema = z.discriminatedUnion('type', [...interceptEventSchemas]);
export type InterceptProxyEvent = z.infer<typeof interceptProxyEventSchema>;

/** What a host sends its consumers (a window, a page): every session event, and the intercepting proxy's. */
export const hostEventSchema = z.discriminatedUnion('type', [...engineEventSchema.options, ...interceptEventSchemas]);
export type HostEvent = EngineEvent | InterceptProxyEvent;

/** Whether a host event is a session's (it names one), not the intercepting proxy's. */
export function isSessionEvent(event: HostEvent): event is EngineEvent {
  return 'sessionId' in event;
}

/**
 * What a consumer subscribed to the session list (`session:subscribe { list: true }`) hears
 * of every session, including those it does not subscribe to: that it exists, its state, its
 * end and its removal. Everything else of a session goes only to its subscribers.
 */
export const LIST_EVENT_TYPES: ReadonlySet<EngineEventType> = new Set<EngineEventType>(['session-created', 'state', 'closed', 'session-removed']);
