/**
 * A repeated send (`session:send { repeat }`): the same message N times, or every T ms until
 * stopped, run by the engine (core/session/send-repeat.ts) so the CLI and every host share one
 * mechanism. Its progress comes back as `repeat` events; one wording for the UI and the CLI.
 */
import { z } from 'zod';

export const REPEAT_MAX_COUNT = 1_000_000;
/** 24 hours. */
export const REPEAT_MAX_INTERVAL_MS = 86_400_000;

export const repeatSchema = z
  .object({
    /** How many sends in all (with `until: 'count'`). */
    count: z.number().int().min(1, 'a repeat count is at least 1').max(REPEAT_MAX_COUNT, `a repeat count is at most ${REPEAT_MAX_COUNT.toLocaleString('en-US')}`).optional(),
    /** Between the end of one send and the next (0: as fast as the socket drains). */
    intervalMs: z.number().int().min(0, 'an interval is at least 0 ms').max(REPEAT_MAX_INTERVAL_MS, `an interval is at most ${REPEAT_MAX_INTERVAL_MS.toLocaleString('en-US')} ms (24 h)`),
    until: z.enum(['count', 'stopped']),
  })
  .superRefine((repeat, ctx) => {
    if (repeat.until === 'count' && repeat.count === undefined) {
      ctx.addIssue({ code: 'custom', path: ['count'], message: "a repeat until 'count' needs a count" });
    }
  });
export type RepeatRequest = z.output<typeof repeatSchema>;

/**
 * running: sending, the next after the interval; waiting: the send queue is at its high-water
 * mark (the server is not reading), the next send goes once it drains; then how it ended.
 */
export const REPEAT_STATUSES = ['running', 'waiting', 'done', 'stopped', 'ended', 'failed'] as const;
export type RepeatStatus = (typeof REPEAT_STATUSES)[number];

export const repeatEventFields = {
  type: z.literal('repeat'),
  repeatId: z.string().min(1),
  /** Sends made so far. */
  sent: z.number().int().min(0),
  /** The sends asked for; null: until stopped. */
  count: z.number().int().min(1).nullable(),
  intervalMs: z.number().int().min(0),
  status: z.enum(REPEAT_STATUSES),
  /** Why it ended (ended, failed), in words. */
  reason: z.string().optional(),
  at: z.number(),
};

export interface RepeatProgress {
  sent: number;
  count: number | null;
  status: RepeatStatus;
  reason?: string | undefined;
}

export function isRepeatRunning(status: RepeatStatus): boolean {
  return status === 'running' || status === 'waiting';
}

/** "sent 12 of 100", "sent 12 · waiting for the server to read", "stopped after 12 sends". */
export function repeatProgressText(progress: RepeatProgress): string {
  const { sent, count, status } = progress;
  const soFar = count === null ? `sent ${sent}` : `sent ${sent} of ${count}`;
  const sends = `${sent} ${sent === 1 ? 'send' : 'sends'}`;
  switch (status) {
    case 'running':
      return soFar;
    case 'waiting':
      return `${soFar} · waiting for the server to read`;
    case 'done':
      return `done: ${sends}`;
    case 'stopped':
      return `stopped after ${sends}`;
    case 'ended':
      return `ended after ${sends}${progress.reason ? `: ${progress.reason}` : ''}`;
    case 'failed':
      return `failed after ${sends}${progress.reason ? `: ${progress.reason}` : ''}`;
  }
}
