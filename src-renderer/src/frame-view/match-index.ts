/**
 * The seqs of the frames that match a filter, ascending, as the engine's search reports them
 * page by page: position ↔ seq for a filtered log, and the list search results are navigated
 * in. Only numbers are kept (a million matches are a few MB); the summaries stay in the
 * engine and the summary cache.
 *
 * The front is dropped by moving a head index, not by splicing, so the engine evicting its
 * oldest frames costs nothing per frame; the array is compacted now and then.
 */

export class MatchIndex {
  private seqs: number[] = [];
  private head = 0;

  /** How many matches are known. */
  get count(): number {
    return this.seqs.length - this.head;
  }

  /** The newest known match (0 when none). */
  get lastSeq(): number {
    return this.count > 0 ? (this.seqs[this.seqs.length - 1] ?? 0) : 0;
  }

  /** The seq at a position (0 = oldest known match). */
  seqAt(position: number): number | undefined {
    if (position < 0 || position >= this.count) return undefined;
    return this.seqs[this.head + position];
  }

  /** Adds matches in ascending order; any at or below the newest known one are skipped (rescanned). */
  append(seqs: Iterable<number>): number {
    let added = 0;
    let last = this.lastSeq;
    for (const seq of seqs) {
      if (seq <= last) continue;
      this.seqs.push(seq);
      last = seq;
      added += 1;
    }
    return added;
  }

  /** The first position whose seq is ≥ `seq` (count when none). */
  lowerBound(seq: number): number {
    let lo = this.head;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seqs[mid] ?? 0) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  /** The position of `seq`, or -1 when it is not a match. */
  positionOf(seq: number): number {
    const at = this.lowerBound(seq);
    return this.seqAt(at) === seq ? at : -1;
  }

  has(seq: number): boolean {
    return this.positionOf(seq) >= 0;
  }

  /** The first match after `seq`, or undefined. */
  after(seq: number): number | undefined {
    return this.seqAt(this.lowerBound(seq + 1));
  }

  /** The last match before `seq`, or undefined. */
  before(seq: number): number | undefined {
    return this.seqAt(this.lowerBound(seq) - 1);
  }

  /** Forgets matches below `firstSeq` (evicted by the engine). Returns how many went. */
  dropBelow(firstSeq: number): number {
    const gone = this.lowerBound(firstSeq);
    if (gone === 0) return 0;
    this.head += gone;
    // Compact once the dead front is as large as the live part.
    if (this.head > 1024 && this.head > this.count) {
      this.seqs = this.seqs.slice(this.head);
      this.head = 0;
    }
    return gone;
  }

  clear(): void {
    this.seqs = [];
    this.head = 0;
  }
}
