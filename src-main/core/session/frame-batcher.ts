/**
 * Hands a session's new frames to its consumer in batches, bounded by time (the first frame
 * of a batch waits at most `intervalMs`) and by size (`maxFrames` per batch). The owner calls
 * `flush()` before every state, error or closed event, so a batch never arrives after the
 * event that followed its frames.
 *
 * Capture never waits for delivery: the batcher only notes seq ranges (the session notes a
 * socket read's burst of frames as one, see frame-intake.ts), and summaries are built from
 * the store when a batch goes out. When the consumer falls behind, batches are coalesced:
 * a consumer that acknowledges (`ack`, the `frames:ack` command) tells how far it has got;
 * once more than `maxUnacked` frames are out without acknowledgement, each interval sends one
 * small `skipped` notice (the range and how far behind the consumer is) instead of summaries.
 * The frames stay in the store for the consumer to page. Batches resume when the
 * acknowledgements are back under half the bound. A consumer that never acknowledges (the
 * CLI, an in-process listener) always gets every batch, unless its transport says it is
 * `congested` (a page's socket with too much unsent): then it gets notices until it drains.
 *
 * A consumer that shows only the newest frames live (a page's or window's log, `tailFrames`) is
 * sent what it can show: one flush per interval, its newest `tailFrames` frames as rows and
 * the earlier ones as a notice first (`behind` 0 and `tail`: it is keeping up, only not sent
 * those as rows). It pages them from the store when its user scrolls there. Without it (the CLI, which
 * prints every frame) every frame goes out as a row.
 *
 * One batcher serves one consumer of one session: the engine gives each subscriber its own
 * (core/subscriptions/), so a slow consumer falls behind alone.
 */
import type { EngineEventOf } from '../../shared/events';
import type { FrameSummary } from '../../shared/model';
import { systemClock, type Clock, type TimerHandle } from '../net/clock';
import type { DeferredSummaries } from './frame-store';

/**
 * Where a deferred batch's summaries come from. A symbol key: JSON.stringify and the
 * structured clone of a host's IPC leave it out (a spread copies it, harmlessly).
 */
const DEFERRED: unique symbol = Symbol('deferred summaries');

export interface FrameBatch {
  /** seq of the first frame (the frames are consecutive, except for frames evicted meanwhile). */
  fromSeq: number;
  /** seq of the last frame the batch covers. */
  toSeq: number;
  /**
   * The summaries. From a source with deferred summaries this is a getter that builds them
   * on first read (see FrameStore.deferredSummaries): keep the batch's own property (use
   * framesEvent, not a spread) to keep that.
   */
  frames: FrameSummary[];
  /** A deferred batch's source (see framesEvent); undefined once read. */
  [DEFERRED]?: DeferredSummaries | undefined;
  /** Frames the store has evicted so far, at the time of the batch. */
  dropped: number;
}

export interface SkippedNotice {
  fromSeq: number;
  toSeq: number;
  /** Frames noted that the consumer has not acknowledged. */
  behind: number;
  dropped: number;
  /** Only a cut to the tail (tailFrames): the batch of the newest frames follows at once. */
  tail?: true;
}

/** Where the summaries come from: the session's frame store. */
export interface BatchSource {
  summaries(fromSeq: number, toSeq: number): FrameSummary[];
  /** The same, built when first read (the frame store): a batch no consumer reads costs no summaries. */
  deferredSummaries?(fromSeq: number, toSeq: number): DeferredSummaries | undefined;
  readonly dropped: number;
  /**
   * The oldest seq still stored (0 when none): a notice starts there, so its `fromSeq` and
   * `dropped` agree (a page derives the first kept frame from the pair it first receives).
   */
  readonly firstSeq?: number;
}

/** Where a session's new frames go: noted as they are stored, flushed before each of its other events. */
export interface FrameSink {
  /** Frames `fromSeq`..`toSeq` (default: the one frame `fromSeq`) were stored; seqs arrive in order. */
  note(fromSeq: number, toSeq?: number): void;
  flush(): void;
}

export interface FrameBatcherOptions {
  intervalMs?: number;
  maxFrames?: number;
  /** Frames out without acknowledgement before batches are coalesced (default 20,000). */
  maxUnacked?: number;
  source: BatchSource;
  emit: (batch: FrameBatch) => void;
  emitSkipped: (notice: SkippedNotice) => void;
  /** Times the batch interval (default: real time; tests: fake time). */
  clock?: Clock;
  /** Whether the consumer's transport is backed up now (asked at each flush): notices instead of batches while it is. */
  congested?: () => boolean;
  /**
   * At most this many of a flush's frames go out as rows, the newest; the earlier ones as a
   * notice with `behind` 0, and frames are flushed once per interval only. For a consumer
   * that shows the live end and pages the rest (default: none, every frame as a row).
   */
  tailFrames?: number;
}

export const DEFAULT_BATCH_INTERVAL_MS = 50;
export const DEFAULT_BATCH_MAX_FRAMES = 500;
export const DEFAULT_MAX_UNACKED = 20_000;
/**
 * What a page's or window's log is sent as rows per batch interval while a stream is faster
 * (5,000 a second at 50 ms): a few screens of the newest rows, more than a log publishing
 * every 100 ms shows. The hosts set it (web/server.ts, electron/window-subscriptions.ts).
 */
export const DEFAULT_PAGE_TAIL_FRAMES = 250;

export class FrameBatcher implements FrameSink {
  readonly intervalMs: number;
  readonly maxFrames: number;
  readonly maxUnacked: number;
  readonly tailFrames: number | undefined;
  private readonly source: BatchSource;
  private readonly emit: (batch: FrameBatch) => void;
  private readonly emitSkipped: (notice: SkippedNotice) => void;

  /** First and last seq noted and not yet sent (0 when none). */
  private pendingFrom = 0;
  private pendingTo = 0;
  /** Highest seq sent in a batch or a notice. */
  private lastEmitted = 0;
  /** Highest seq sent in a batch (summaries, not a notice). */
  private lastBatched = 0;
  /** Highest seq the consumer acknowledged; undefined until it first does. */
  private acked: number | undefined;
  private coalescing = false;
  private timer: TimerHandle | undefined;
  private readonly clock: Clock;
  private readonly congested: (() => boolean) | undefined;
  private disposed = false;

  constructor(options: FrameBatcherOptions) {
    this.intervalMs = options.intervalMs !== undefined && options.intervalMs >= 0 ? options.intervalMs : DEFAULT_BATCH_INTERVAL_MS;
    this.maxFrames =
      options.maxFrames !== undefined && options.maxFrames >= 1 ? Math.floor(options.maxFrames) : DEFAULT_BATCH_MAX_FRAMES;
    this.maxUnacked =
      options.maxUnacked !== undefined && options.maxUnacked >= 1 ? Math.floor(options.maxUnacked) : DEFAULT_MAX_UNACKED;
    this.source = options.source;
    this.emit = options.emit;
    this.emitSkipped = options.emitSkipped;
    this.clock = options.clock ?? systemClock;
    this.congested = options.congested;
    this.tailFrames = options.tailFrames !== undefined && options.tailFrames >= 1 ? Math.floor(options.tailFrames) : undefined;
  }

  /** Frames noted and not yet sent. */
  get size(): number {
    return this.pendingFrom === 0 ? 0 : this.pendingTo - this.pendingFrom + 1;
  }

  /** Whether batches are being coalesced into notices now. */
  get behind(): boolean {
    return this.coalescing;
  }

  /** New frames `fromSeq`..`toSeq` (default: the one frame `fromSeq`) were stored; seqs arrive in order. */
  note(fromSeq: number, toSeq: number = fromSeq): void {
    if (this.disposed) return;
    if (this.pendingFrom === 0) this.pendingFrom = fromSeq;
    this.pendingTo = toSeq;
    // While coalescing, only the timer flushes: one notice per interval, however fast frames come.
    // A consumer sent only the tail too: one flush per interval, its newest frames as rows.
    const early = this.tailFrames === undefined && this.size >= this.maxFrames;
    if (!this.coalescing && early) this.updateCoalescing();
    // A congested transport too: one notice per interval, not one per maxFrames.
    if (!this.coalescing && early && this.congested?.() !== true) {
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.intervalMs);
    }
  }

  /** The consumer has ingested everything up to `seq` (a batch's or a notice's last seq). */
  ack(seq: number): void {
    if (!Number.isFinite(seq)) return;
    const capped = Math.min(Math.floor(seq), Math.max(this.lastEmitted, this.pendingTo));
    this.acked = Math.max(this.acked ?? 0, capped);
    this.updateCoalescing();
  }

  /** Sends what is pending now (nothing if empty): summaries, or a notice when coalescing. */
  flush(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pendingFrom === 0) return;
    const from = this.pendingFrom;
    const to = this.pendingTo;
    this.pendingFrom = 0;
    this.pendingTo = 0;
    this.updateCoalescing();
    if (this.coalescing || this.congested?.() === true) {
      // Without acknowledgements (a congested transport), behind counts from the last frame it was sent.
      const behind = to - (this.acked ?? this.lastBatched);
      this.lastEmitted = to;
      this.emitSkipped({ fromSeq: Math.min(to, this.keptFrom(from)), toSeq: to, behind, dropped: this.source.dropped });
      return;
    }
    const kept = this.keptFrom(from);
    if (this.tailFrames !== undefined && to - kept + 1 > this.tailFrames) {
      // Keeping up, but more than it shows: the earlier frames as a range it pages on demand
      // (from the oldest still stored: a flood may have evicted the interval's first frames).
      const tailFrom = to - this.tailFrames + 1;
      this.lastEmitted = tailFrom - 1;
      this.emitSkipped({ fromSeq: kept, toSeq: tailFrom - 1, behind: 0, dropped: this.source.dropped, tail: true });
      this.emitRows(tailFrom, to);
      return;
    }
    this.emitRows(from, to);
  }

  /** `from`, or the oldest seq still stored when the store evicted frames from `from` on. */
  private keptFrom(from: number): number {
    const first = this.source.firstSeq ?? 0;
    return first > from ? first : from;
  }

  /** Sends `from`..`to` as batches of at most maxFrames. */
  private emitRows(from: number, to: number): void {
    for (let start = from; start <= to; start += this.maxFrames) {
      const end = Math.min(to, start + this.maxFrames - 1);
      // Frames evicted before the batch went out are counted in `dropped`, not sent.
      const batch = batchOf(this.source, start, end);
      if (batch) this.emit(batch);
    }
    this.lastEmitted = to;
    this.lastBatched = to;
  }

  /** Flushes and stops: later notes are ignored and no timer stays behind. */
  dispose(): void {
    this.flush();
    this.disposed = true;
  }

  /** Stops without sending what is pending (its consumer unsubscribed or went away). */
  discard(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pendingFrom = 0;
    this.pendingTo = 0;
    this.disposed = true;
  }

  private updateCoalescing(): void {
    if (this.acked === undefined) return;
    const unacked = this.lastEmitted - this.acked;
    if (!this.coalescing && unacked > this.maxUnacked) this.coalescing = true;
    else if (this.coalescing && unacked <= this.maxUnacked / 2) this.coalescing = false;
  }
}

/**
 * A deferred `frames`: a getter that reads the summaries once and turns itself into a plain
 * property. The getter closes over the DeferredSummaries only, never over summaries: a
 * closure V8's feedback keeps alive must not keep a flood's summaries alive with it.
 */
function settleFrames(target: { frames: FrameSummary[]; [DEFERRED]?: DeferredSummaries | undefined }, frames: FrameSummary[]): FrameSummary[] {
  Object.defineProperty(target, 'frames', { value: frames, enumerable: true, writable: true, configurable: true });
  target[DEFERRED] = undefined;
  return frames;
}

/** The batch of `start`..`end` (undefined when none of it is stored), deferred when the source can. */
function batchOf(source: BatchSource, start: number, end: number): FrameBatch | undefined {
  const dropped = source.dropped;
  if (source.deferredSummaries) {
    const deferred = source.deferredSummaries(start, end);
    if (!deferred) return undefined;
    return {
      fromSeq: deferred.fromSeq,
      toSeq: deferred.toSeq,
      dropped,
      [DEFERRED]: deferred,
      get frames(): FrameSummary[] {
        return settleFrames(this, deferred.read());
      },
    };
  }
  const frames = source.summaries(start, end);
  const first = frames[0];
  const last = frames[frames.length - 1];
  return first && last ? { fromSeq: first.seq, toSeq: last.seq, frames, dropped } : undefined;
}

/**
 * A session's `frames` event for a batch, keeping a deferred batch deferred: `frames` stays a
 * getter until first read (a spread of the batch would read it at once). JSON.stringify, a
 * spread and the structured clone of a host's IPC read it like any property. Consumers must
 * not change an event: subscribers sent the same range share one (SessionFeed.eventOf).
 */
export function framesEvent(sessionId: string, batch: FrameBatch): EngineEventOf<'frames'> {
  const deferred = batch[DEFERRED];
  const { fromSeq, toSeq, dropped } = batch;
  if (deferred === undefined) return { type: 'frames', sessionId, fromSeq, toSeq, dropped, frames: batch.frames };
  return {
    type: 'frames',
    sessionId,
    fromSeq,
    toSeq,
    dropped,
    get frames(): FrameSummary[] {
      return settleFrames(this, deferred.read());
    },
  };
}

/** A deferred batch's source (undefined once read, or for a batch made from summaries): SessionFeed matches batches by it. */
export function deferredOf(batch: FrameBatch): DeferredSummaries | undefined {
  return batch[DEFERRED];
}
