/**
 * One session's new frames, fanned out: the session notes them here once (a seq range per
 * burst of a socket read, see session/frame-intake.ts), and the feed hands the range on to
 * the batcher of every subscriber watching the session. Each of those batches
 * and is acknowledged on its own (frame-batcher.ts), so a slow consumer falls behind alone.
 * The session flushes the feed before each of its other events, so every subscriber gets a
 * session's frames and its other events in order.
 */
import type { FrameSummary } from '../../shared/model';
import type { BatchSource, FrameBatcher, FrameSink } from '../session/frame-batcher';
import type { DeferredSummaries } from '../session/frame-store';

export class SessionFeed implements FrameSink, BatchSource {
  /** Replaced, never changed in place: a note may run while a subscriber comes or goes. */
  private batchers: readonly FrameBatcher[] = [];
  private source: BatchSource | undefined;

  /** The session's frame store, once the session exists (the feed is made before it, for its config). */
  attach(source: BatchSource): void {
    this.source = source;
  }

  summaries(fromSeq: number, toSeq: number): FrameSummary[] {
    return this.source?.summaries(fromSeq, toSeq) ?? [];
  }

  /** Each subscriber's batch, summarised when that subscriber first reads it (the store's deferral). */
  deferredSummaries(fromSeq: number, toSeq: number): DeferredSummaries | undefined {
    return this.source?.deferredSummaries?.(fromSeq, toSeq);
  }

  get dropped(): number {
    return this.source?.dropped ?? 0;
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
