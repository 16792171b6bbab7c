/**
 * A read-only view of a session's checkpoints for an in-order reader that rejoins them after
 * evicted frames (an export: FrameDecodeCache.decodeInOrder asks `firstFrom(seq)` before each
 * frame while afresh and restores the one at that seq). The checkpoint at the frame about to be
 * read is handed over only when `accept` says so, judged then (what the reader has read so far:
 * export/masked-checkpoints.ts); a refused one is passed over for good, and the reader stays
 * afresh until the next. It offers nothing and holds nothing: the rows' own checkpoints are
 * unchanged, and it counts nothing against the budget of every session's checkpoints.
 */
import { CheckpointBudget } from './checkpoint-budget';
import type { StreamDecoder } from './decoded-frame';
import { DecoderCheckpoints, type Checkpoint } from './decoder-checkpoints';

/** Views hold no snapshot: their accounts stay at 0 bytes, apart from the sessions' budget. */
const VIEWS_HOLD_NOTHING = new CheckpointBudget(Infinity);

export class VettedCheckpoints extends DecoderCheckpoints {
  constructor(
    private readonly source: DecoderCheckpoints,
    /** Whether the reader, about to read frame `checkpoint.seq`, may take its state. */
    private readonly accept: (checkpoint: Checkpoint) => boolean,
  ) {
    super(undefined, undefined, undefined, undefined, VIEWS_HOLD_NOTHING);
  }

  override get count(): number {
    return this.source.count;
  }

  override get size(): number {
    return 0;
  }

  override get spacing(): number {
    return this.source.spacing;
  }

  override due(): boolean {
    return false;
  }

  override offer(_seq: number, _decoder: StreamDecoder): boolean {
    return false;
  }

  /** Only a reader's next frame is judged (`accept` reads what it has read so far), so none before it is handed over. */
  override nearest(): Checkpoint | undefined {
    return undefined;
  }

  /** The first checkpoint at or after `seq`, unless the one at `seq` itself is refused (then the one after it). */
  override firstFrom(seq: number): Checkpoint | undefined {
    const first = this.source.firstFrom(seq);
    if (first === undefined || first.seq !== seq || this.accept(first)) return first;
    return this.source.firstFrom(seq + 1);
  }
}
