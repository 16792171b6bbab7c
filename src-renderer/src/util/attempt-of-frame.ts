/**
 * The reconnect attempt a frame belongs to, from the session's ended attempts (each ends after
 * the last frame it recorded, `afterSeq`; shared/attempts.ts): the first ended attempt whose
 * afterSeq reaches the frame, else the attempt under way. The rule is shared/attempt-of-seq.ts,
 * the one the engine's AttemptBoundaries (core/decode/attempt-boundaries.ts) follows, which stops
 * the log's request search at an attempt's first frame: a new attempt is a new connection, so an
 * answer in it never answers a request of an earlier one.
 *
 * The view keeps the latest 500 records (session-view.ts): a frame older than the oldest kept
 * one is counted in that one's attempt.
 */
import { endedAttemptIndex } from '../../../src-main/shared/attempt-of-seq';
import type { AttemptRecord } from '../../../src-main/shared/attempts';

/** 1-based; 1 for a connection that never reconnected. Records ascend by attempt (and afterSeq). */
export function attemptOfFrame(seq: number, attempts: readonly AttemptRecord[]): number {
  const ended = attempts[endedAttemptIndex(seq, attempts, (record) => record.afterSeq)];
  if (ended !== undefined) return ended.attempt;
  return (attempts.at(-1)?.attempt ?? 0) + 1;
}

/** The first seq the attempt under way can record (1 before any reconnect). */
export function currentAttemptStart(attempts: readonly AttemptRecord[]): number {
  return (attempts.at(-1)?.afterSeq ?? 0) + 1;
}
