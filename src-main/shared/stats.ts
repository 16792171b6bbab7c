/**
 * A session's traffic statistics: totals, per-second counts over a sliding window (for the
 * live throughput graph) and ping round-trip times (our pings matched to the server's pongs
 * by payload).
 */
import { z } from 'zod';

const count = z.number().int().min(0);

const directionTotals = z.object({ messages: count, bytes: count });

const directionWindow = z.object({
  /** Frames per second, oldest second first; the last entry is the current (partial) second. */
  messages: z.array(count),
  bytes: z.array(count),
});

const directionRate = z.object({ messagesPerSecond: z.number().min(0), bytesPerSecond: z.number().min(0) });

export const rttSampleSchema = z.object({ at: z.number(), ms: z.number().min(0) });

export const sessionStatsSchema = z.object({
  /** When these figures were taken (epoch ms). */
  at: z.number(),
  /** Every frame, data and control, since the session started. */
  totals: z.object({ in: directionTotals, out: directionTotals }),
  window: z.object({
    /** Epoch ms of the start of the oldest second in the window. */
    startAt: z.number(),
    seconds: z.number().int().min(1),
    in: directionWindow,
    out: directionWindow,
  }),
  /** Over the last complete second. */
  rate: z.object({ in: directionRate, out: directionRate }),
  /** An imported log: each direction's busiest whole second over the entire log (the window holds only its last minute). */
  logPeak: z.object({ in: directionRate, out: directionRate }).optional(),
  rtt: z.object({
    lastMs: z.number().nullable(),
    minMs: z.number().nullable(),
    avgMs: z.number().nullable(),
    maxMs: z.number().nullable(),
    /** The most recent round trips, oldest first. */
    samples: z.array(rttSampleSchema),
    /** Pings sent and not answered yet. */
    pending: count,
    /** Pongs that matched no ping of ours (unsolicited, or an answer to an expired ping). */
    unmatchedPongs: count,
  }),
  /**
   * Messages handed to the socket but not yet written (the totals count a sent message once
   * it is written). At `highWaterMark` bytes or more the server is not reading and sends are
   * refused (SEND_QUEUE_FULL). Absent where nothing is sent (an imported log).
   */
  queued: z.object({ messages: count, bytes: count, highWaterMark: count }).optional(),
  /** A reconnecting connection: attempts started and how many of them opened (the totals above span them all). */
  attempts: z.object({ started: count, opened: count }).optional(),
});
export type SessionStats = z.infer<typeof sessionStatsSchema>;
