/**
 * Collects frame summaries and hands them out in batches, bounded by time (the first frame
 * of a batch waits at most `intervalMs`) and by size (`maxFrames` per batch). The owner
 * calls `flush()` before every state, error or closed event, so a batch never arrives after
 * the event that followed its frames. Pushing never waits: emitting is a plain callback.
 */
import type { FrameSummary } from '../../shared/model';

export interface FrameBatch {
  /** seq of the first frame (the frames are consecutive). */
  fromSeq: number;
  frames: FrameSummary[];
  /** Frames the store has evicted so far, at the time of the batch. */
  dropped: number;
}

export interface FrameBatcherOptions {
  intervalMs?: number;
  maxFrames?: number;
  emit: (batch: FrameBatch) => void;
  /** The store's eviction count, read when a batch goes out. */
  dropped: () => number;
}

export const DEFAULT_BATCH_INTERVAL_MS = 50;
export const DEFAULT_BATCH_MAX_FRAMES = 500;

export class FrameBatcher {
  readonly intervalMs: number;
  readonly maxFrames: number;
  private pending: FrameSummary[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly emit: (batch: FrameBatch) => void;
  private readonly dropped: () => number;

  constructor(options: FrameBatcherOptions) {
    this.intervalMs = options.intervalMs !== undefined && options.intervalMs >= 0 ? options.intervalMs : DEFAULT_BATCH_INTERVAL_MS;
    this.maxFrames =
      options.maxFrames !== undefined && options.maxFrames >= 1 ? Math.floor(options.maxFrames) : DEFAULT_BATCH_MAX_FRAMES;
    this.emit = options.emit;
    this.dropped = options.dropped;
  }

  get size(): number {
    return this.pending.length;
  }

  push(frame: FrameSummary): void {
    if (this.disposed) return;
    this.pending.push(frame);
    if (this.pending.length >= this.maxFrames) {
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.intervalMs);
    }
  }

  /** Emits what is pending now (nothing if empty). */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const frames = this.pending;
    this.pending = [];
    const first = frames[0];
    if (first) this.emit({ fromSeq: first.seq, frames, dropped: this.dropped() });
  }

  /** Flushes and stops: later pushes are ignored and no timer stays behind. */
  dispose(): void {
    this.flush();
    this.disposed = true;
  }
}
