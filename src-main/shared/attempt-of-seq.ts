/**
 * Which reconnect attempt a frame belongs to (attempts.ts: each ended attempt ends after the
 * last frame it recorded, `afterSeq`): the first ended attempt whose afterSeq reaches the
 * frame, else the attempt under way. One rule for the engine (core/decode/attempt-boundaries.ts,
 * where every decoder starts afresh) and the renderer (util/attempt-of-frame.ts, which never
 * times an answer against a request of an earlier attempt): the two must never disagree.
 */

/**
 * The index in `ended` (ascending by afterSeq; equal ones allowed, an attempt that recorded
 * nothing) of the first whose afterSeq >= `seq`: the attempt frame `seq` is in. `ended.length`
 * when none reaches it: the frame is in the attempt under way. A binary search.
 */
export function endedAttemptIndex<T>(seq: number, ended: readonly T[], afterSeqOf: (attempt: T) => number): number {
  let low = 0;
  let high = ended.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const attempt = ended[mid];
    if (attempt !== undefined && afterSeqOf(attempt) < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
