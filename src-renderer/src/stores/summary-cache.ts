/**
 * The renderer's window onto a session's frames: a bounded cache of frame summaries by seq.
 * The engine's store is the source of truth (a million frames or more); the renderer keeps
 * only the live end and what the user looked at recently, and pages the rest on demand.
 *
 * Two parts. Live batches (consecutive seqs, up to a hundred thousand a second) go into a ring
 * keyed by seq (`seq % capacity`): a put is two array writes, and the newest `capacity` frames
 * of the stream are simply there, with no eviction pass. Pages and search results (any seqs)
 * go into a Map that drops the oldest entries first (a Map keeps insertion order), in bulk once
 * it is 10 % over its capacity. The rows on screen are `protect`ed: never evicted from the Map,
 * and moved into it when the ring is about to overwrite them.
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
  /** The live ring: slot `seq % capacity` holds that seq (0: empty; seqs start at 1) and its summary. */
  private readonly ringSeqs: Float64Array;
  private readonly ringFrames: (FrameSummary | undefined)[];
  private ringCount = 0;
  /** Seqs below this are gone from the engine (dropBelow): the ring no longer answers for them. */
  private floor = 0;
  private protectedSeqs: ReadonlySet<number> = new Set();
  /** The smallest and largest protected seq: most overwrites are outside, with no Set lookup. */
  private protectedMin = Infinity;
  private protectedMax = -Infinity;
  /** Seqs asked for and not answered yet. */
  private readonly pending = new Set<number>();
  /** Seqs a page came back without, and when. */
  private readonly absent = new Map<number, number>();

  constructor(
    readonly capacity: number = DEFAULT_CACHE_CAPACITY,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`SummaryCache: capacity must be a whole number from 1 (got ${capacity})`);
    this.ringSeqs = new Float64Array(capacity);
    this.ringFrames = new Array<FrameSummary | undefined>(capacity).fill(undefined);
  }

  /** Summaries held (a seq in both parts counts twice; the ring's live ones are at most `capacity`). */
  get size(): number {
    return this.ringCount + this.entries.size;
  }

  get(seq: number): FrameSummary | undefined {
    const slot = seq % this.capacity;
    if (this.ringSeqs[slot] === seq && seq >= this.floor) return this.ringFrames[slot];
    return this.entries.get(seq);
  }

  has(seq: number): boolean {
    return (this.ringSeqs[seq % this.capacity] === seq && seq >= this.floor) || this.entries.has(seq);
  }

  /**
   * A live batch (ascending seqs): into the ring. What it overwrites is older by `capacity`
   * seqs, unless it is on screen: that moves to the Map.
   */
  putLive(frames: readonly FrameSummary[]): void {
    const capacity = this.capacity;
    const seqs = this.ringSeqs;
    const ring = this.ringFrames;
    const settling = this.pending.size > 0 || this.absent.size > 0;
    for (const frame of frames) {
      const seq = frame.seq;
      const slot = seq % capacity;
      const old = seqs[slot] ?? 0;
      if (old === 0 || old < this.floor) {
        this.ringCount += 1;
      } else if (old !== seq && old >= this.protectedMin && old <= this.protectedMax && this.protectedSeqs.has(old)) {
        const kept = ring[slot];
        if (kept) this.entries.set(old, kept);
      }
      seqs[slot] = seq;
      ring[slot] = frame;
      if (settling) {
        this.pending.delete(seq);
        this.absent.delete(seq);
      }
    }
    if (this.entries.size > this.capacity * 1.1) this.evict();
  }

  /** Adds or refreshes frames from anywhere in the session (a page, search results): into the Map. */
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
    let min = Infinity;
    let max = -Infinity;
    for (const seq of seqs) {
      if (seq < min) min = seq;
      if (seq > max) max = seq;
    }
    this.protectedMin = min;
    this.protectedMax = max;
  }

  /** Forgets every frame below `firstSeq` (the engine evicted them). */
  dropBelow(firstSeq: number): void {
    if (firstSeq > this.floor) {
      this.floor = firstSeq;
      // Slots below the floor stay written but no longer count (a scan of 10,000 numbers: microseconds).
      let count = 0;
      for (const seq of this.ringSeqs) if (seq >= firstSeq) count += 1;
      this.ringCount = count;
    }
    for (const seq of this.entries.keys()) if (seq < firstSeq) this.entries.delete(seq);
    for (const seq of this.pending) if (seq < firstSeq) this.pending.delete(seq);
  }

  clear(): void {
    this.ringSeqs.fill(0);
    this.ringFrames.fill(undefined);
    this.ringCount = 0;
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
      if (this.has(seq) || this.pending.has(seq)) continue;
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
      if (!this.has(seq)) this.absent.set(seq, now);
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
