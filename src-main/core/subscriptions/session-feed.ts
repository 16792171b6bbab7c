/**
 * One session's new frames, fanned out: the session notes them here once (a seq range per
 * burst of a socket read, see session/frame-intake.ts), and the feed hands the range on to
 * the batcher of every subscriber watching the session. Each of those batches
 * and is acknowledged on its own (frame-batcher.ts), so a slow consumer falls behind alone.
 * The session flushes the feed before each of its other events, so every subscriber gets a
 * session's frames and its other events in order.
 */
import type { FrameSummary } from '../../shared/model';
import type { EngineEventOf } from '../../shared/events';
import { deferredOf, framesEvent, type BatchSource, type FrameBatch, type FrameBatcher, type FrameSink } from '../session/frame-batcher';
import type { DeferredSummaries } from '../session/frame-store';

/** A range a subscriber's batcher asked for, the deferred batch it got, and the event made for it. */
interface SharedRange {
  fromSeq: number;
  toSeq: number;
  deferred: DeferredSummaries;
  event?: EngineEventOf<'frames'>;
}

export class SessionFeed implements FrameSink, BatchSource {
  /** Replaced, never changed in place: a note may run while a subscriber comes or goes. */
  private batchers: readonly FrameBatcher[] = [];
  private source: BatchSource | undefined;
  /** The ranges handed out this turn (see deferredSummaries), and the store's eviction count then. */
  private shared: SharedRange[] = [];
  private sharedDropped = -1;
  /**
   * A subscriber's `frames` event for its batch: the same object for every subscriber whose
   * batch is a shared range (see deferredSummaries), else one of its own (framesEvent).
   */
  eventOf(sessionId: string, batch: FrameBatch): EngineEventOf<'frames'> {
    const deferred = this.shared.length > 0 ? deferredOf(batch) : undefined;
    const range = deferred === undefined ? undefined : this.shared.find((candidate) => candidate.deferred === deferred);
    if (range === undefined) return framesEvent(sessionId, batch);
    range.event ??= framesEvent(sessionId, batch);
    return range.event;
  }

  /** After the turn (timers and I/O of this loop iteration): the shared batches may be collected. */
  private readonly forgetShared = (): void => {
    this.shared = [];
  };

  /** The session's frame store, once the session exists (the feed is made before it, for its config). */
  attach(source: BatchSource): void {
    this.source = source;
  }

  summaries(fromSeq: number, toSeq: number): FrameSummary[] {
    return this.source?.summaries(fromSeq, toSeq) ?? [];
  }

  /**
   * Each subscriber's batch, summarised when a consumer first reads it (the store's deferral).
   * Subscribers that flush the same range at the same moment (every page following a flood
   * gets the same notes, so the same batches) get the same one, and through `eventOf` the
   * same event: its summaries are built once and a host serialises it once (the web host keeps
   * each event's JSON), not once per page. Only this turn's ranges are remembered, and only
   * while nothing was evicted since: the same range then holds the same frames. Nothing
   * process-wide holds them: a map from batch to event kept every batch's summaries alive past
   * the young generation, and garbage collection took a third of a flood's CPU.
   */
  deferredSummaries(fromSeq: number, toSeq: number): DeferredSummaries | undefined {
    if (this.batchers.length < 2) return this.source?.deferredSummaries?.(fromSeq, toSeq);
    const dropped = this.dropped;
    if (dropped !== this.sharedDropped) {
      this.shared = [];
      this.sharedDropped = dropped;
    }
    for (const range of this.shared) if (range.fromSeq === fromSeq && range.toSeq === toSeq) return range.deferred;
    const deferred = this.source?.deferredSummaries?.(fromSeq, toSeq);
    if (deferred === undefined) return undefined;
    if (this.shared.length === 0) setImmediate(this.forgetShared);
    this.shared.push({ fromSeq, toSeq, deferred });
    return deferred;
  }

  get dropped(): number {
    return this.source?.dropped ?? 0;
  }

  get firstSeq(): number {
    return this.source?.firstSeq ?? 0;
  }

  /** How many subscribers' batchers the session's frames go to now. */
  get consumers(): number {
    return this.batchers.length;
  }

  add(batcher: FrameBatcher): void {
    this.batchers = [...this.batchers, batcher];
  }

  /** Takes a subscriber's batcher out; what it held back is not sent (the subscriber has gone or unsubscribed). */
  remove(batcher: FrameBatcher): void {
    this.batchers = this.batchers.filter((candidate) => candidate !== batcher);
  }

  note(fromSeq: number, toSeq: number = fromSeq): void {
    const batchers = this.batchers;
    for (let i = 0; i < batchers.length; i++) batchers[i]?.note(fromSeq, toSeq);
  }

  flush(): void {
    for (const batcher of this.batchers) batcher.flush();
  }

  /** The session is gone: each batcher sends what it still holds and stops. */
  end(): void {
    const batchers = this.batchers;
    this.batchers = [];
    for (const batcher of batchers) batcher.dispose();
  }
}
