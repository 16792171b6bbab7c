/**
 * The renderer's window onto a session's frames: a bounded cache of frame summaries by seq.
 * The engine's store is the source of truth (a million frames or more); the renderer keeps
 * only the live end and what the user looked at recently, and pages the rest on demand.
 *
 * Eviction drops the oldest entries first (a Map keeps insertion order), except the rows on
 * screen, which are `protect`ed. It runs in bulk once the cache is 10 % over its capacity, so
 * a fast stream pays a little per frame, not a scan per batch.
 */
import type { FrameSummary } from '../../../src-main/shared/model';

export const DEFAULT_CACHE_CAPACITY = 10_000;
/** A seq the engine did not return (evicted meanwhile, or not stored) is not asked for again sooner. */
export const ABSENT_RETRY_MS = 1000;

/** Consecutive seqs to ask for in one page; sparse seqs further apart than `gap` are asked for apart. */
export interface RangePlan {
  fromSeq: number;
  limit: number;
}

export class SummaryCache {
  private readonly entries = new Map<number, FrameSummary>();
  private protectedSeqs: ReadonlySet<number> = new Set();
  /** Seqs asked for and not answered yet. */
  private readonly pending = new Set<number>();
  /** Seqs a page came back without, and when. */
  private readonly absent = new Map<number, number>();

  constructor(
    readonly capacity: number = DEFAULT_CACHE_CAPACITY,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(seq: number): FrameSummary | undefined {
    return this.entries.get(seq);
  }

  has(seq: number): boolean {
    return this.entries.has(seq);
  }

  /** Adds or refreshes frames (a live batch, a page or search results). */
  putMany(frames: readonly FrameSummary[]): void {
    for (const frame of frames) {
      // Delete first so a refreshed entry counts as new.
      this.entries.delete(frame.seq);
      this.entries.set(frame.seq, frame);
      this.pending.delete(frame.seq);
      this.absent.delete(frame.seq);
    }
    if (this.entries.size > this.capacity * 1.1) this.evict();
  }

  /** The seqs on screen: never evicted while they are. */
  protect(seqs: ReadonlySet<number>): void {
    this.protectedSeqs = seqs;
  }

  /** Forgets every frame below `firstSeq` (the engine evicted them). */
  dropBelow(firstSeq: number): void {
    for (const seq of this.entries.keys()) if (seq < firstSeq) this.entries.delete(seq);
    for (const seq of this.pending) if (seq < firstSeq) this.pending.delete(seq);
  }

  clear(): void {
    this.entries.clear();
    this.pending.clear();
    this.absent.clear();
  }

  /**
   * Which of `wanted` (ascending seqs) must be fetched, as pages of consecutive seqs: the
   * ones neither cached nor already asked for. Seqs at most `gap` apart share a page (the
   * frames between come along); a page holds at most `maxLimit` seqs. Marks them pending.
   */
  planFetch(wanted: readonly number[], gap = 32, maxLimit = 500): RangePlan[] {
    const plans: RangePlan[] = [];
    let from = 0;
    let to = 0;
    const now = this.now();
    for (const seq of wanted) {
      if (this.entries.has(seq) || this.pending.has(seq)) continue;
      const missedAt = this.absent.get(seq);
      if (missedAt !== undefined && now - missedAt < ABSENT_RETRY_MS) continue;
      if (from !== 0 && seq - to <= gap && seq - from < maxLimit) {
        to = seq;
      } else {
        if (from !== 0) plans.push({ fromSeq: from, limit: to - from + 1 });
        from = seq;
        to = seq;
      }
      this.pending.add(seq);
    }
    if (from !== 0) plans.push({ fromSeq: from, limit: to - from + 1 });
    return plans;
  }

  /**
   * A fetch is over: what it did not bring may be asked for again, after ABSENT_RETRY_MS (so a
   * frame the engine no longer has is not asked for in a loop).
   */
  settle(fromSeq: number, limit: number): void {
    const now = this.now();
    for (let seq = fromSeq; seq < fromSeq + limit; seq++) {
      if (!this.pending.delete(seq)) continue;
      if (!this.entries.has(seq)) this.absent.set(seq, now);
    }
    if (this.absent.size > this.capacity) {
      for (const [seq, at] of this.absent) if (now - at >= ABSENT_RETRY_MS) this.absent.delete(seq);
    }
  }

  private evict(): void {
    let excess = this.entries.size - this.capacity;
    for (const seq of this.entries.keys()) {
      if (excess <= 0) break;
      if (this.protectedSeqs.has(seq)) continue;
      this.entries.delete(seq);
      excess -= 1;
    }
  }
}
