/**
 * An answer decoded by a decoder that never read the frames the store evicted before it: a walk
 * of the cache's that started afresh at the oldest stored frame (or after a gap, or from a
 * checkpoint such a walk left: decoder-checkpoints.ts `partial`). What those frames set (an MQTT 5
 * topic alias, a GraphQL id) is gone for good, so the answer is as exact as it will ever be, and
 * says so (`withoutEvicted` {framesBefore, fromSeq} in `frames:decode`, as in an export's record:
 * export-decoding.ts); the summary stays the decoder's.
 */
import type { DecodeOutcome } from './decoded-frame';

/** Decoded without the `framesBefore` frames before #`fromSeq` (the decoder started there, afresh). */
export interface EvictedBefore {
  readonly framesBefore: number;
  readonly fromSeq: number;
}

export type EvictedOutcome = DecodeOutcome & { readonly withoutEvicted: EvictedBefore };

/** The answer of a decoder that started afresh at `fromSeq` (undefined: it read the whole session), flagged so. */
export function markWithoutEvicted(outcome: DecodeOutcome | undefined, fromSeq: number | undefined): DecodeOutcome | undefined {
  if (outcome === undefined || fromSeq === undefined) return outcome;
  const flagged: EvictedOutcome = { ...outcome, withoutEvicted: { framesBefore: fromSeq - 1, fromSeq } };
  return flagged;
}

export function isWithoutEvicted(outcome: DecodeOutcome | undefined): outcome is EvictedOutcome {
  return outcome !== undefined && 'withoutEvicted' in outcome;
}
