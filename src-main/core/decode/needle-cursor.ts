/**
 * Whether a needle lies wholly inside a frame's bytes in a slab, for frames asked in slab order
 * (a prefilter scan's walk): the needle's next hit is looked for only when a frame is asked and
 * the last hit found lies before it. Finding every hit of a slab at once (frame-scanner.ts
 * bufferHits) costs one Buffer#indexOf a hit, about 0.2 µs; in a query most frames match, the walk
 * asks the match proof first (in-order-match-walk.ts) and the needles of few frames, so a needle
 * found in nearly every message (GraphQL's `next`) cost more than the proof it was beside. Here a
 * frame asked costs at most one indexOf, a frame not asked none; asked in order, a hit is found
 * once, as by bufferHits. Asked out of order, it looks again: the answers are the same.
 */
import { firstHit, searchedNeedle, type SearchedNeedle } from '../search/frame-scanner';

export class NeedleCursor {
  private readonly needle: SearchedNeedle;
  /** The first hit at or after `from` (-1: none up to the slab's used end); `from` +∞ before the first search. */
  private from = Number.POSITIVE_INFINITY;
  private at = -1;

  constructor(
    private readonly slab: Buffer | undefined,
    /** Bytes of the slab in use (a hit must end by here). */
    private readonly used: number,
    needle: Buffer,
  ) {
    this.needle = searchedNeedle(needle);
  }

  /** Whether the needle lies wholly inside [start, end) of the slab. */
  inside(start: number, end: number): boolean {
    // The hit found last answers when it was looked for from at or before `start` and does not lie before it.
    if (!(this.from <= start && (this.at < 0 || this.at >= start))) {
      this.from = start;
      this.at = this.slab ? firstHit(this.slab, this.used, this.needle, start) : -1;
    }
    // The first hit at or after `start` decides: any later one ends later still.
    return this.at >= 0 && this.at + this.needle.bytes.length <= end;
  }
}
