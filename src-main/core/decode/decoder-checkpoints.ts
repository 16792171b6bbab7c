/**
 * A session's decoder checkpoints: the state of a decoder that has read every stored frame
 * before `seq` in order (decoder-snapshot.ts), kept every so many frames, so a frame far from
 * where a walk stands is decoded exactly by a decoder restored from the nearest checkpoint before
 * it and walked forward from there, instead of from the session's oldest frame.
 *
 * Any walk that reads frames in seq order from the oldest stored frame (or from a checkpoint),
 * starting its decoder afresh after a gap as FrameDecodeCache does, may offer its decoder before
 * each frame (`offer`): the cache's walks and the searches' in-order walks (prefilter-walk.ts,
 * in-order-match-walk.ts) do. Only such walks may: a decoder started
 * afresh in the middle of a session would record a wrong state. A search's walk that had to start
 * afresh after the store evicted frames before it (what they set is gone) takes the state of the
 * first checkpoint after its start when it gets there (`firstFrom`), so from there on it decodes
 * as the cache does (from that checkpoint), not as a decoder that never saw the evicted frames.
 * A walk afresh with no checkpoint ahead may offer too: its checkpoints are `partial` (they lack
 * what the evicted frames set), and a walk restored from one is afresh as well.
 *
 * Bounded: checkpoints of evicted frames are dropped; past MAX_CHECKPOINTS or
 * MAX_CHECKPOINT_BYTES the spacing doubles and every other one goes (thinned as the session
 * grows: a million frames keep about 1,000, one every 1,024 frames; ten million at most 2,048, one every
 * 8,192: never more than FrameDecodeCache walks for one request). Every session's checkpoints
 * together are bounded too (checkpoint-budget.ts: over it the largest holders thin the same way);
 * `dispose` gives a session's bytes back.
 */
import { SHARED_CHECKPOINT_BUDGET, type CheckpointAccount, type CheckpointBudget, type CheckpointHolder } from './checkpoint-budget';
import type { StreamDecoder } from './decoded-frame';
import type { DecoderSnapshot } from './decoder-snapshot';

/** Frames between checkpoints at first. */
export const CHECKPOINT_EVERY = 1024;
export const MAX_CHECKPOINTS = 2048;
/** What all of a session's checkpoints may hold (by their snapshots' estimates). */
export const MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024;

export interface Checkpoint {
  /** The state before this frame: its decoder has read every stored frame before it, in order. */
  readonly seq: number;
  readonly snapshot: DecoderSnapshot;
  /**
   * Left by a walk that started afresh after evicted frames (none lay ahead of it), at
   * `fromSeq`: its state lacks what they set. A walk restored from it is afresh too (its answers
   * say so: without-evicted.ts); an export that takes it still says its frames lack them
   * (export-decoding.ts).
   */
  readonly partial?: { readonly fromSeq: number };
}

export class DecoderCheckpoints implements CheckpointHolder {
  /** By seq, ascending. */
  private list: Checkpoint[] = [];
  private bytes = 0;
  private every: number;
  /** Seqs in [quietFrom, quietUntil) are known not due (a checkpoint lies within the spacing before them): an offer there costs a comparison. */
  private quietFrom = 0;
  private quietUntil = 0;
  /** This session's bytes in the budget of every session's checkpoints. */
  private readonly account: CheckpointAccount;

  constructor(
    /** The oldest stored frame's seq: checkpoints before it are dropped. */
    private readonly firstSeq: () => number = () => 1,
    every = CHECKPOINT_EVERY,
    private readonly maxCount = MAX_CHECKPOINTS,
    private readonly maxBytes = MAX_CHECKPOINT_BYTES,
    private readonly budget: CheckpointBudget = SHARED_CHECKPOINT_BUDGET,
  ) {
    this.every = Math.max(1, every);
    this.account = budget.open(this);
  }

  get count(): number {
    return this.list.length;
  }

  /** The estimated bytes the snapshots hold. */
  get size(): number {
    return this.bytes;
  }

  /** Frames between checkpoints now (doubles as they are thinned). */
  get spacing(): number {
    return this.every;
  }

  /**
   * Whether no checkpoint lies within the spacing of `seq` (a walk about to read it should offer
   * its decoder). Cheap to ask for every frame: after a no, the frames up to the next due one
   * cost a comparison each.
   */
  due(seq: number): boolean {
    if (seq >= this.quietFrom && seq < this.quietUntil) return false;
    const at = this.indexAfter(seq);
    const before = this.list[at - 1];
    const after = this.list[at];
    if (before !== undefined && seq - before.seq < this.every) {
      this.quietFrom = before.seq;
      this.quietUntil = Math.min(before.seq + this.every, after?.seq ?? Infinity);
      return false;
    }
    return after === undefined || after.seq - seq >= this.every;
  }

  /**
   * A decoder about to read frame `seq`, having read every stored frame before it in order: its
   * state is kept when a checkpoint is due there and it gives a snapshot (else the walk offers
   * again at the next frame). `afreshFrom`: the walk started afresh there, after evicted frames
   * (the checkpoint is `partial`). Whether one was kept.
   */
  offer(seq: number, decoder: StreamDecoder, afreshFrom?: number): boolean {
    if (!decoder.snapshot || !this.due(seq)) return false;
    this.dropEvicted();
    if (seq < this.firstSeq()) return false;
    const snapshot = decoder.snapshot();
    if (!snapshot) return false;
    this.list.splice(this.indexAfter(seq), 0, afreshFrom !== undefined ? { seq, snapshot, partial: { fromSeq: afreshFrom } } : { seq, snapshot });
    this.bytes += snapshot.bytes;
    this.quietUntil = 0;
    this.thin();
    this.budget.report(this.account, this.bytes);
    return true;
  }

  /** The latest checkpoint at or before `seq` that is still in the store, if any. */
  nearest(seq: number): Checkpoint | undefined {
    this.dropEvicted();
    return this.list[this.indexAfter(seq) - 1];
  }

  /**
   * The first checkpoint at or after `seq` still in the store: where a walk that started afresh
   * after evicted frames rejoins the whole session's decoding (`restoredDecoder`).
   */
  firstFrom(seq: number): Checkpoint | undefined {
    this.dropEvicted();
    return this.list[this.indexAfter(seq - 1)];
  }

  /** Forgets every checkpoint (the decoder's settings changed). */
  clear(): void {
    this.list = [];
    this.bytes = 0;
    this.quietUntil = 0;
    this.budget.report(this.account, 0);
  }

  /** Its session's decoding is gone: every checkpoint forgotten and its bytes given back to the budget. */
  dispose(): void {
    this.clear();
    this.budget.close(this.account);
  }

  /** Over the budget of every session's checkpoints: thinned once, as past its own bounds (false: one or none left). */
  thinOnce(): boolean {
    if (this.list.length <= 1) return false;
    this.halve();
    this.budget.report(this.account, this.bytes);
    return true;
  }

  /** The index of the first checkpoint after `seq`. */
  private indexAfter(seq: number): number {
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.list[mid]?.seq ?? Infinity) <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private dropEvicted(): void {
    const first = this.firstSeq();
    let drop = 0;
    while (drop < this.list.length && (this.list[drop]?.seq ?? Infinity) < first) drop++;
    if (drop === 0) return;
    for (const checkpoint of this.list.slice(0, drop)) this.bytes -= checkpoint.snapshot.bytes;
    this.list.splice(0, drop);
    this.quietUntil = 0;
    this.budget.report(this.account, this.bytes);
  }

  /** Past the bounds: double the spacing and keep only checkpoints that far apart. */
  private thin(): void {
    while (this.list.length > this.maxCount || (this.bytes > this.maxBytes && this.list.length > 1)) this.halve();
  }

  /** The spacing doubles; only checkpoints that far apart are kept. */
  private halve(): void {
    this.every *= 2;
    const kept: Checkpoint[] = [];
    let bytes = 0;
    for (const checkpoint of this.list) {
      const last = kept[kept.length - 1];
      if (last !== undefined && checkpoint.seq - last.seq < this.every) continue;
      kept.push(checkpoint);
      bytes += checkpoint.snapshot.bytes;
    }
    this.list = kept;
    this.bytes = bytes;
    this.quietUntil = 0;
  }
}

/** A fresh decoder in a checkpoint's state. */
export function restoredDecoder(checkpoint: Checkpoint, makeDecoder: () => StreamDecoder): StreamDecoder {
  const decoder = makeDecoder();
  decoder.restore?.(checkpoint.snapshot);
  return decoder;
}
