/**
 * Takes the engine's frame events in for every session: summaries go into the session's
 * bounded cache, the seq range and counters are noted in plain numbers, the batch is
 * acknowledged (flow control), and the reactive session view is updated at most every
 * MIN_PUBLISH_INTERVAL_MS (BEHIND_PUBLISH_INTERVAL_MS while the engine is skipping frames for
 * it), in a task of its own right after an animation frame. A stream of 100,000 frames a second
 * thus costs two ring writes per frame (summary-cache.ts) and five to ten re-renders a second.
 */
import type { EngineEventOf } from '../../../src-main/shared/events';
import type { FrameSummary } from '../../../src-main/shared/model';
import { nextTask } from '../bridge/inbox';
import { AckSender, type SendAck } from './ack-sender';
import type { SessionView } from './session-view';
import { SummaryCache } from './summary-cache';

/** Plain copy of what gets published to the view. */
interface RawRange {
  /** The first seq and `dropped` when it was learnt: the store evicts from the front, one seq per drop. */
  baseFirst: number;
  baseDropped: number;
  lastSeq: number;
  dropped: number;
  behind: number;
  /** When the latest "frames skipped" notice came (its backlog is stale once notices stop). */
  behindAt: number;
  inMessages: number;
  inBytes: number;
  outMessages: number;
  outBytes: number;
  /** The end of a tail's notice (`tail`) whose batch has not come yet (0 when none). */
  tailNoticeTo: number;
  /** When the latest tail's notice came: frames come faster than the page is sent them as rows. */
  tailAt: number;
}

export type Schedule = (run: () => void) => void;

/** The next animation frame; a timer where there is none (tests, workers). */
export const nextFrame: Schedule = (run) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => run());
  else setTimeout(run, 16);
};

/**
 * A task of its own right after the next animation frame. A publish renders the log and lays
 * it out (its scrollTop write at the live end asks for the layout at once); in the frame's own
 * task that came on top of the frame's paint, and a redraw was the page's longest task. Here
 * the render and layout make one task and the next frame paints what they laid out. Still
 * paced by animation frames, so a hidden page publishes nothing.
 */
export const afterNextFrame: Schedule = (run) => nextFrame(() => nextTask(run));

/**
 * Publishing more often than this repaints what nobody can read: a firehose redrawn 60 times
 * a second costs a layout of fresh rows per frame. A quiet stream still shows each frame at
 * once (the first change after a pause publishes immediately).
 */
export const MIN_PUBLISH_INTERVAL_MS = 100;
/**
 * While frames come faster than the page is sent them as rows (the engine sends notices instead
 * of some batches: the page is behind, or it is sent only each interval's newest rows, `tail`),
 * the log is redrawn half as often: each redraw then shows thousands of new rows nobody can
 * read, and redraws (render, layout, paint) are most of the page's work in a flood.
 */
export const BEHIND_PUBLISH_INTERVAL_MS = 200;
/** About one animation frame: the wait for it counts towards the interval. */
const FRAME_MS = 16;
/**
 * A notice that only cut a batch to its newest rows (`tail`) is followed by that batch in
 * the same flush; its end is shown with the batch, or after this long if none follows (the
 * tail's frames were evicted meanwhile).
 */
export const TAIL_NOTICE_WAIT_MS = 250;
/**
 * The engine sends a notice per batch interval while the renderer is behind. When notices
 * stop without a batch following (the stream ended meanwhile), the backlog is over too.
 */
export const BEHIND_STALE_MS = 1000;

export class FrameFeed {
  readonly acks: AckSender;
  private readonly caches = new Map<string, SummaryCache>();
  private readonly raw = new Map<string, RawRange>();
  private readonly dirty = new Set<string>();
  private readonly expireTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly tailTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private scheduled = false;
  private lastPublish = -Infinity;

  constructor(
    sendAck: SendAck,
    private readonly viewOf: (sessionId: string) => SessionView | undefined,
    private readonly schedule: Schedule = afterNextFrame,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.acks = new AckSender(sendAck);
  }

  cacheOf(sessionId: string): SummaryCache {
    let cache = this.caches.get(sessionId);
    if (!cache) {
      cache = new SummaryCache();
      this.caches.set(sessionId, cache);
    }
    return cache;
  }

  /** A live batch. */
  frames(event: EngineEventOf<'frames'>): void {
    const raw = this.rawOf(event.sessionId);
    const list = event.frames;
    this.cacheOf(event.sessionId).putLive(list);
    if (raw.baseFirst === 0) this.learnFirst(raw, event.fromSeq, event.dropped);
    raw.dropped = Math.max(raw.dropped, event.dropped);
    // Behind until notices stop for BEHIND_STALE_MS (expireBehind): a page that alternates
    // between batches and notices would otherwise show and hide the banner at every publish,
    // and each time the log's height changes and it is laid out again.
    if (this.now() - raw.behindAt >= BEHIND_STALE_MS) raw.behind = 0;
    countData(raw, list);
    const last = list[list.length - 1]?.seq ?? 0;
    if (last > raw.lastSeq) raw.lastSeq = last;
    this.applyTailNotice(event.sessionId, raw);
    this.acks.ingested(event.sessionId, last);
    this.changed(event.sessionId);
  }

  /**
   * The engine stored these frames without sending them: the renderer was behind (`behind` > 0),
   * a fast stream's frames before the newest rows of an interval (`behind` 0), or an import.
   */
  skipped(event: EngineEventOf<'frames-skipped'>): void {
    const raw = this.rawOf(event.sessionId);
    if (raw.baseFirst === 0) this.learnFirst(raw, event.fromSeq, event.dropped);
    raw.dropped = Math.max(raw.dropped, event.dropped);
    if (event.tail === true) {
      // Keeping up, sent only the newest rows: they follow in the next event. Publishing the
      // range's end before them would show placeholders and page rows that are on their way.
      raw.tailNoticeTo = Math.max(raw.tailNoticeTo, event.toSeq);
      raw.tailAt = this.now();
      this.acks.ingested(event.sessionId, event.toSeq);
      if (!this.tailTimers.has(event.sessionId)) {
        this.tailTimers.set(
          event.sessionId,
          setTimeout(() => {
            this.tailTimers.delete(event.sessionId);
            if (this.raw.get(event.sessionId) === raw) this.applyTailNotice(event.sessionId, raw);
          }, TAIL_NOTICE_WAIT_MS),
        );
      }
      return;
    }
    this.applyTailNotice(event.sessionId, raw);
    raw.behind = event.behind;
    raw.behindAt = this.now();
    if (event.toSeq > raw.lastSeq) raw.lastSeq = event.toSeq;
    this.acks.ingested(event.sessionId, event.toSeq);
    this.changed(event.sessionId);
    this.expireBehind(event.sessionId, raw);
  }

  /**
   * A page from the engine: its range is authoritative; its frames join the cache. Shown at
   * once: a page is what the user scrolled to and is waiting for.
   */
  page(sessionId: string, result: { frames: readonly FrameSummary[]; firstSeq: number; lastSeq: number; dropped: number }): void {
    const raw = this.rawOf(sessionId);
    this.cacheOf(sessionId).putMany(result.frames);
    if (result.lastSeq > 0) {
      raw.baseFirst = result.firstSeq;
      raw.baseDropped = result.dropped;
      raw.dropped = Math.max(raw.dropped, result.dropped);
      if (result.lastSeq > raw.lastSeq) raw.lastSeq = result.lastSeq;
    }
    this.dirty.delete(sessionId);
    this.publish(sessionId);
  }

  /** Summaries learnt some other way (search results): cached, nothing else changes. */
  remember(sessionId: string, frames: readonly FrameSummary[]): void {
    this.cacheOf(sessionId).putMany(frames);
  }

  forget(sessionId: string): void {
    this.caches.delete(sessionId);
    this.raw.delete(sessionId);
    this.dirty.delete(sessionId);
    this.acks.forget(sessionId);
    clearTimeout(this.expireTimers.get(sessionId));
    this.expireTimers.delete(sessionId);
    clearTimeout(this.tailTimers.get(sessionId));
    this.tailTimers.delete(sessionId);
  }

  /** Shows the end of a tail's notice (with its batch, or after TAIL_NOTICE_WAIT_MS without one). */
  private applyTailNotice(sessionId: string, raw: RawRange): void {
    if (raw.tailNoticeTo === 0) return;
    if (raw.tailNoticeTo > raw.lastSeq) raw.lastSeq = raw.tailNoticeTo;
    raw.tailNoticeTo = 0;
    clearTimeout(this.tailTimers.get(sessionId));
    this.tailTimers.delete(sessionId);
    this.changed(sessionId);
  }

  /** Publishes now whatever is pending (tests; a view that must be current at once). */
  flush(): void {
    this.scheduled = false;
    this.lastPublish = this.now();
    for (const sessionId of this.dirty) this.publish(sessionId);
    this.dirty.clear();
  }

  private changed(sessionId: string): void {
    this.dirty.add(sessionId);
    if (this.scheduled) return;
    this.scheduled = true;
    // Paced by animation frames, in a task of its own (afterNextFrame): never in the task that
    // took the batch in, which would then render and lay out the log too. A quiet stream shows
    // its frame after the next one; a fast one waits out the interval first.
    const publish = (): void =>
      this.schedule(() => {
        if (this.scheduled) this.flush();
      });
    const raw = this.raw.get(sessionId);
    const flooded = raw !== undefined && (raw.behind > 0 || this.now() - raw.tailAt < BEHIND_STALE_MS);
    const interval = flooded ? BEHIND_PUBLISH_INTERVAL_MS : MIN_PUBLISH_INTERVAL_MS;
    const wait = interval - (this.now() - this.lastPublish);
    if (wait <= FRAME_MS) publish();
    else setTimeout(publish, wait - FRAME_MS);
  }

  /** Clears a backlog that no notice has renewed for BEHIND_STALE_MS. */
  private expireBehind(sessionId: string, raw: RawRange): void {
    if (this.expireTimers.has(sessionId)) return;
    const check = (): void => {
      this.expireTimers.delete(sessionId);
      if (this.raw.get(sessionId) !== raw || raw.behind === 0) return;
      const age = this.now() - raw.behindAt;
      if (age >= BEHIND_STALE_MS) {
        raw.behind = 0;
        this.changed(sessionId);
      } else {
        this.expireTimers.set(sessionId, setTimeout(check, BEHIND_STALE_MS - age));
      }
    };
    this.expireTimers.set(sessionId, setTimeout(check, BEHIND_STALE_MS));
  }

  private publish(sessionId: string): void {
    const view = this.viewOf(sessionId);
    const raw = this.raw.get(sessionId);
    if (!view || !raw) return;
    const firstSeq = raw.lastSeq === 0 ? 0 : Math.min(raw.lastSeq, raw.baseFirst + Math.max(0, raw.dropped - raw.baseDropped));
    if (firstSeq > view.firstSeq) this.cacheOf(sessionId).dropBelow(firstSeq);
    view.firstSeq = firstSeq;
    view.lastSeq = raw.lastSeq;
    view.dropped = raw.dropped;
    view.behind = raw.behind;
    const c = view.counters;
    if (c.inMessages !== raw.inMessages || c.outMessages !== raw.outMessages) {
      view.counters = { inMessages: raw.inMessages, inBytes: raw.inBytes, outMessages: raw.outMessages, outBytes: raw.outBytes };
    }
    view.framesVersion += 1;
  }

  private rawOf(sessionId: string): RawRange {
    let raw = this.raw.get(sessionId);
    if (!raw) {
      raw = { baseFirst: 0, baseDropped: 0, lastSeq: 0, dropped: 0, behind: 0, behindAt: 0, inMessages: 0, inBytes: 0, outMessages: 0, outBytes: 0, tailNoticeTo: 0, tailAt: -Infinity };
      this.raw.set(sessionId, raw);
    }
    return raw;
  }

  private learnFirst(raw: RawRange, firstSeq: number, dropped: number): void {
    raw.baseFirst = firstSeq;
    raw.baseDropped = dropped;
  }
}

function countData(raw: RawRange, frames: readonly FrameSummary[]): void {
  for (const frame of frames) {
    if (frame.opcode !== 'text' && frame.opcode !== 'binary') continue;
    if (frame.dir === 'in') {
      raw.inMessages += 1;
      raw.inBytes += frame.size;
    } else {
      raw.outMessages += 1;
      raw.outBytes += frame.size;
    }
  }
}
