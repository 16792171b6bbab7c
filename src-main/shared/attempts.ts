/**
 * The attempts of a reconnecting connection (options.reconnect): how each one ended and what
 * comes next. The engine keeps one session id, one frame log and one set of statistics over
 * all attempts; an attempt's end sits in the log as a separator after the last frame it
 * recorded (`afterSeq`), so a log reads as one story across the drops.
 */
import { z } from 'zod';
import { netErrorSchema } from './errors';

export const attemptOutcomeSchema = z.object({
  /** `failed`: it never opened, or it broke (no close frame); `closed`: a close handshake ended it. */
  kind: z.enum(['failed', 'closed']),
  /** Whether this attempt reached `open`. */
  opened: z.boolean(),
  code: z.number().int().nullable(),
  reason: z.string(),
  initiatedBy: z.enum(['client', 'server', 'none']),
  error: netErrorSchema.optional(),
});
export type AttemptOutcome = z.infer<typeof attemptOutcomeSchema>;

/** A refusal that asked for a wait (Retry-After on a 429 or 503), longer than the backoff's: the wait honours it (at most 10 minutes). */
export const attemptAskedSchema = z.object({
  /** The server's answer to the upgrade, or the proxy's to CONNECT. */
  by: z.enum(['server', 'proxy']),
  /** What it asked for, in whole seconds (the wait may be shorter: 10 minutes at most). */
  seconds: z.number().int().min(0),
});
export type AttemptAsked = z.infer<typeof attemptAskedSchema>;

/** The wait before the next attempt. */
export const attemptNextSchema = z.object({
  /** The next attempt's number (1-based, over the connection's life). */
  attempt: z.number().int().min(2),
  /** The reconnect it is since the connection last opened (1-based), and the limit (0: none). */
  retry: z.number().int().min(1),
  maxRetries: z.number().int().min(0),
  waitMs: z.number().int().min(0),
  /** When it starts (epoch ms). */
  at: z.number(),
  /** The user asked for it at once (Now) at this time (epoch ms), before the wait was over: it started then. */
  cutShortAt: z.number().optional(),
  /** The wait is the one a refusal asked for (Retry-After), not the backoff's. */
  asked: attemptAskedSchema.optional(),
});
export type AttemptNext = z.infer<typeof attemptNextSchema>;

export const attemptRecordSchema = z.object({
  /** The attempt that ended (1-based). */
  attempt: z.number().int().min(1),
  startedAt: z.number(),
  endedAt: z.number(),
  /** The last seq recorded when it ended (0: nothing recorded yet): the separator goes after it. */
  afterSeq: z.number().int().min(0),
  outcome: attemptOutcomeSchema,
  /** null: no attempt follows (the limit was reached, or this end is not retried). */
  next: attemptNextSchema.nullable(),
  /** Why no attempt follows, in words (with next null). */
  stopReason: z.string().optional(),
});
export type AttemptRecord = z.infer<typeof attemptRecordSchema>;

/** Bounds of a `resent` report (the ledger keeps at most 200 messages to send again). */
export const RESENT_LIMITS = { sent: 500, notSent: 40, label: 300, line: 600 } as const;

/**
 * What a reconnecting connection sent again when attempt `attempt` opened (options.reconnect.resend;
 * core/session/opening-replay.ts): the messages that opened the protocol session in an earlier
 * attempt (a STOMP or MQTT CONNECT, a GraphQL connection_init, a SignalR handshake, Socket.IO
 * namespace CONNECTs), then the subscriptions. Labels never carry a credential.
 */
export const resentReportSchema = z.object({
  attempt: z.number().int().min(2),
  /** Each packet sent again: the seq of its (last) message in the log, and what it is ("STOMP CONNECT"). */
  sent: z.array(z.object({ seq: z.number().int().min(1), label: z.string().max(RESENT_LIMITS.label) })).max(RESENT_LIMITS.sent),
  /** What was not sent again, and why ("STOMP CONNECT: sent in one message with STOMP SEND"). */
  notSent: z.array(z.string().max(RESENT_LIMITS.line)).max(RESENT_LIMITS.notSent),
  /** Still to come: "2 subscriptions wait for CONNECTED". */
  waiting: z.string().max(RESENT_LIMITS.line).optional(),
});
export type ResentReport = z.infer<typeof resentReportSchema>;

/** How an attempt ended, in words: "failed: CONNECTION_REFUSED", "closed by the server (1001 restart)". */
export function outcomeText(outcome: AttemptOutcome): string {
  if (outcome.error) return `failed: ${outcome.error.code}`;
  if (outcome.kind === 'closed' && outcome.initiatedBy === 'server') return `closed by the server (${outcome.code ?? 'no code'}${outcome.reason ? ` ${outcome.reason}` : ''})`;
  return outcome.kind === 'closed' ? 'closed' : 'lost';
}

/** The wait before the next attempt as it went: "in 2.0 s", or "at once (Now, 1.2 s into the 24.7 s wait)". */
export function waitText(next: AttemptNext): string {
  const planned = `${(next.waitMs / 1000).toFixed(1)} s`;
  if (next.cutShortAt === undefined) return `in ${planned}`;
  const waited = Math.min(next.waitMs, Math.max(0, next.cutShortAt - (next.at - next.waitMs)));
  return `at once (Now, ${(waited / 1000).toFixed(1)} s into the ${planned} wait)`;
}

/** "the server asked to wait 120 s", and when the wait is shorter than asked, the longest honoured. */
export function askedText(next: AttemptNext): string | undefined {
  if (!next.asked) return undefined;
  const asked = `the ${next.asked.by} asked to wait ${next.asked.seconds} s`;
  return next.waitMs < next.asked.seconds * 1000 ? `${asked}; ${Math.round(next.waitMs / 1000)} s is the longest honoured` : asked;
}

/** One line for a separator: "attempt 2 failed: CONNECTION_REFUSED · reconnect 2 of 5 in 2.0 s" (+ " (the server asked to wait 120 s)"). */
export function describeAttempt(record: AttemptRecord): string {
  const what = outcomeText(record.outcome);
  const asked = record.next ? askedText(record.next) : undefined;
  const next = record.next
    ? `reconnect ${record.next.retry}${record.next.maxRetries > 0 ? ` of ${record.next.maxRetries}` : ''} ${waitText(record.next)}${asked !== undefined ? ` (${asked})` : ''}`
    : (record.stopReason ?? 'no reconnect');
  return `attempt ${record.attempt} ${what} · ${next}`;
}
