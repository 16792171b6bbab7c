/** The sessions store's frame feed: live batches, "frames skipped" notices, acknowledgements and paging. */
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { afterNextFrame, BEHIND_PUBLISH_INTERVAL_MS, BEHIND_STALE_MS, FrameFeed, MIN_PUBLISH_INTERVAL_MS, TAIL_NOTICE_WAIT_MS } from '../../../src-renderer/src/stores/frame-feed';
import { createSessionView } from '../../../src-renderer/src/stores/session-view';
import { useTabsStore } from '../../../src-renderer/src/stores/tabs-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { createFakeBridge, type FakeBridge } from './fake-bridge';
import { serveFrames } from './fake-frames';
import { batch, frames } from './frame-fixtures';

let fake: FakeBridge;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
});

/**
 * A feed on one session's view whose animation frames are `scheduled` (run by the test) and whose
 * clock is `clock.now` (moved by the test).
 */
function manualFeed(): { views: Map<string, ReturnType<typeof createSessionView>>; scheduled: (() => void)[]; feed: FrameFeed; clock: { now: number } } {
  const views = new Map([['s1', createSessionView('s1', 'ws://x/', 0)]]);
  const scheduled: (() => void)[] = [];
  const clock = { now: 1000 };
  const feed = new FrameFeed(
    () => Promise.resolve(),
    (id) => views.get(id),
    (run) => scheduled.push(run),
    () => clock.now,
  );
  return { views, scheduled, feed, clock };
}

const acks = () => fake.calls.filter((c) => c.name === 'frames:ack').map((c) => c.arg);

describe('the frame feed', () => {
  it('acknowledges each batch it took in, so the engine can coalesce when the renderer falls behind', async () => {
    const sessionStore = useSessionsStore();
    sessionStore.start();
    fake.emit(batch('s1', frames(1, 500)));
    await flushPromises();
    fake.emit(batch('s1', frames(501, 1000)));
    await flushPromises();
    expect(acks()).toEqual([
      { sessionId: 's1', seq: 500 },
      { sessionId: 's1', seq: 1000 },
    ]);
  });

  it('takes a "frames skipped" notice as range and backlog, acknowledges it, and pages the frames on demand', async () => {
    const sessionStore = useSessionsStore();
    sessionStore.start();
    const all = frames(1, 30_000);
    serveFrames(fake, 's1', all);
    fake.emit(batch('s1', all.slice(0, 500)));
    fake.emit({ type: 'frames-skipped', sessionId: 's1', fromSeq: 501, toSeq: 30_000, behind: 29_500, dropped: 0 });
    sessionStore.flushFrames();
    const view = sessionStore.sessions.get('s1');
    expect([view?.firstSeq, view?.lastSeq, view?.behind]).toEqual([1, 30_000, 29_500]);
    await flushPromises();
    expect(acks().at(-1)).toEqual({ sessionId: 's1', seq: 30_000 });
    // The skipped frames are not in the renderer until asked for.
    expect(sessionStore.frameCache('s1').get(20_000)).toBeUndefined();
    expect(await sessionStore.fetchPage('s1', 19_990, 20)).toBe(true);
    expect(sessionStore.frameCache('s1').get(20_000)?.seq).toBe(20_000);
    // Batches flowing again: still behind while notices came within the last second (see below).
    fake.emit(batch('s1', frames(30_001, 30_010)));
    sessionStore.flushFrames();
    expect(view?.behind).toBe(29_500);
    expect(view?.lastSeq).toBe(30_010);
  });

  it('keeps only a bounded window of summaries however many frames stream in', () => {
    const sessionStore = useSessionsStore();
    sessionStore.start();
    for (let from = 1; from <= 200_000; from += 500) fake.emit(batch('s1', frames(from, from + 499)));
    sessionStore.flushFrames();
    expect(sessionStore.sessions.get('s1')?.lastSeq).toBe(200_000);
    expect(sessionStore.frameCache('s1').size).toBeLessThanOrEqual(11_000);
    expect(sessionStore.frameCache('s1').get(200_000)?.seq).toBe(200_000);
  });

  it('publishes to the view on an animation frame, at most every 100 ms, and on the next one when quiet', () => {
    vi.useFakeTimers();
    try {
      const { views, scheduled, feed, clock } = manualFeed();
      feed.frames(batch('s1', frames(1, 10)));
      // Not in the task that took the batch in: on the next animation frame.
      expect(views.get('s1')?.lastSeq).toBe(0);
      expect(scheduled).toHaveLength(1);
      scheduled.shift()?.();
      expect(views.get('s1')?.lastSeq).toBe(10);
      expect(views.get('s1')?.framesVersion).toBe(1);
      clock.now += 5;
      feed.frames(batch('s1', frames(11, 20)));
      feed.frames(batch('s1', frames(21, 30)));
      expect(views.get('s1')?.lastSeq).toBe(10);
      // Waits out the interval, then takes the next animation frame.
      expect(scheduled).toHaveLength(0);
      vi.advanceTimersByTime(MIN_PUBLISH_INTERVAL_MS);
      expect(scheduled).toHaveLength(1);
      clock.now += MIN_PUBLISH_INTERVAL_MS;
      scheduled[0]?.();
      expect(views.get('s1')?.lastSeq).toBe(30);
      expect(views.get('s1')?.framesVersion).toBe(2);
      expect(views.get('s1')?.counters.inMessages).toBe(15);
      // Quiet for a while: the next frame shows on the next animation frame.
      clock.now += 1000;
      feed.frames(batch('s1', frames(31, 31)));
      expect(scheduled).toHaveLength(2);
      scheduled[1]?.();
      expect(views.get('s1')?.lastSeq).toBe(31);
    } finally {
      vi.useRealTimers();
    }
  });

  it('publishes in a task of its own right after an animation frame, not in the frame (which then only paints what it laid out)', async () => {
    const frameCallbacks: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frameCallbacks.push(callback));
    try {
      const ran: string[] = [];
      afterNextFrame(() => ran.push('publish'));
      expect(frameCallbacks).toHaveLength(1);
      expect(ran).toEqual([]);
      frameCallbacks[0]?.(0);
      ran.push('frame done');
      await Promise.resolve();
      expect(ran).toEqual(['frame done']);
      await vi.waitFor(() => expect(ran).toEqual(['frame done', 'publish']));
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("shows a tail's notice with the rows that follow it, not before (they would be paged while on their way), and on its own if none follow", async () => {
    vi.useFakeTimers();
    try {
      const views = new Map([['s1', createSessionView('s1', 'ws://x/', 0)]]);
      const sent: number[] = [];
      const feed = new FrameFeed(
        (_id, seq) => {
          sent.push(seq);
          return Promise.resolve();
        },
        (id) => views.get(id),
        (run) => run(),
        () => 0,
      );
      const view = views.get('s1');
      feed.frames(batch('s1', frames(1, 10)));
      feed.skipped({ type: 'frames-skipped', sessionId: 's1', fromSeq: 11, toSeq: 4750, behind: 0, dropped: 0, tail: true });
      feed.flush();
      // Not yet shown, but acknowledged; no "Catching up".
      expect([view?.lastSeq, view?.behind]).toEqual([10, 0]);
      // (the ack sender waits for the one in flight)
      for (let i = 0; i < 3; i++) await Promise.resolve();
      expect(sent).toEqual([10, 4750]);
      feed.frames(batch('s1', frames(4751, 5000)));
      feed.flush();
      expect([view?.firstSeq, view?.lastSeq, view?.behind]).toEqual([1, 5000, 0]);
      // A tail's notice without its batch (its frames evicted meanwhile) is shown after TAIL_NOTICE_WAIT_MS.
      feed.skipped({ type: 'frames-skipped', sessionId: 's1', fromSeq: 5001, toSeq: 6000, behind: 0, dropped: 0, tail: true });
      feed.flush();
      expect(view?.lastSeq).toBe(5000);
      vi.advanceTimersByTime(TAIL_NOTICE_WAIT_MS);
      feed.flush();
      expect(view?.lastSeq).toBe(6000);
      // Any other notice (an import's, a page behind) is shown at once.
      feed.skipped({ type: 'frames-skipped', sessionId: 's1', fromSeq: 6001, toSeq: 7000, behind: 0, dropped: 0 });
      feed.flush();
      expect(view?.lastSeq).toBe(7000);
      // A session forgotten with a tail's notice pending: its timer shows nothing later.
      feed.skipped({ type: 'frames-skipped', sessionId: 's1', fromSeq: 7001, toSeq: 8000, behind: 0, dropped: 0, tail: true });
      feed.forget('s1');
      vi.advanceTimersByTime(TAIL_NOTICE_WAIT_MS);
      feed.flush();
      expect(view?.lastSeq).toBe(7000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stays behind while notices keep coming between batches, and not once they stopped', () => {
    const views = new Map([['s1', createSessionView('s1', 'ws://x/', 0)]]);
    let now = 1000;
    const feed = new FrameFeed(
      () => Promise.resolve(),
      (id) => views.get(id),
      (run) => run(),
      () => now,
    );
    const view = views.get('s1');
    feed.frames(batch('s1', frames(1, 10)));
    feed.skipped({ type: 'frames-skipped', sessionId: 's1', fromSeq: 11, toSeq: 5000, behind: 4990, dropped: 0 });
    feed.flush();
    expect(view?.behind).toBe(4990);
    // A batch right after a notice: the banner stays (it would flicker at every publish).
    now += 100;
    feed.frames(batch('s1', frames(5001, 5010)));
    feed.flush();
    expect(view?.behind).toBe(4990);
    // No notice for BEHIND_STALE_MS: a batch ends it.
    now += BEHIND_STALE_MS;
    feed.frames(batch('s1', frames(5011, 5020)));
    feed.flush();
    expect(view?.behind).toBe(0);
    feed.forget('s1');
  });

  it('publishes half as often while the engine is skipping frames for the page', () => {
    vi.useFakeTimers();
    try {
      const { views, scheduled, feed, clock } = manualFeed();
      feed.frames(batch('s1', frames(1, 10)));
      feed.flush();
      scheduled.splice(0);
      feed.skipped({ type: 'frames-skipped', sessionId: 's1', fromSeq: 11, toSeq: 5000, behind: 4990, dropped: 0 });
      // The normal interval is not enough while behind…
      vi.advanceTimersByTime(MIN_PUBLISH_INTERVAL_MS);
      expect(scheduled).toHaveLength(0);
      // …the longer one is.
      vi.advanceTimersByTime(BEHIND_PUBLISH_INTERVAL_MS - MIN_PUBLISH_INTERVAL_MS);
      expect(scheduled).toHaveLength(1);
      clock.now += BEHIND_PUBLISH_INTERVAL_MS;
      scheduled[0]?.();
      expect(views.get('s1')?.lastSeq).toBe(5000);
      feed.forget('s1');
    } finally {
      vi.useRealTimers();
    }
  });

  it("publishes half as often while the engine sends only each interval's newest rows (a tail's notices), and as before once they stopped", () => {
    vi.useFakeTimers();
    try {
      const { views, scheduled, feed, clock } = manualFeed();
      let next = 1;
      const publishWait = (): number => {
        // How long the next publish waits after a batch, the previous one having just run.
        scheduled.splice(0).forEach((run) => run());
        next = Math.max(next, (views.get('s1')?.lastSeq ?? 0) + 1);
        feed.frames(batch('s1', frames(next, next + 9)));
        next += 10;
        let waited = 0;
        while (scheduled.length === 0 && waited < 1000) {
          vi.advanceTimersByTime(10);
          waited += 10;
        }
        clock.now += waited;
        return waited;
      };
      feed.frames(batch('s1', frames(1, 10)));
      feed.flush();
      expect(publishWait()).toBeLessThanOrEqual(MIN_PUBLISH_INTERVAL_MS);
      // A flood: the engine sends a tail's notice before each interval's newest rows.
      feed.skipped({ type: 'frames-skipped', sessionId: 's1', fromSeq: 21, toSeq: 5000, behind: 0, dropped: 0, tail: true });
      feed.frames(batch('s1', frames(5001, 5010)));
      feed.flush();
      expect(publishWait()).toBeGreaterThan(MIN_PUBLISH_INTERVAL_MS);
      expect(views.get('s1')?.behind).toBe(0);
      // No tail's notice for BEHIND_STALE_MS: the normal interval again.
      clock.now += BEHIND_STALE_MS;
      feed.flush();
      expect(publishWait()).toBeLessThanOrEqual(MIN_PUBLISH_INTERVAL_MS);
      feed.forget('s1');
    } finally {
      vi.useRealTimers();
    }
  });

  it('marks an imported session read-only with its name, and opens a tab on it', () => {
    const tabStore = useTabsStore();
    const sessionStore = useSessionsStore();
    sessionStore.start();
    fake.emit({ type: 'session-created', sessionId: 'imp', url: 'wss://echo.test/', at: 5, readOnly: true, name: 'capture.ndjson' });
    fake.emit({ type: 'frames-skipped', sessionId: 'imp', fromSeq: 1, toSeq: 42, behind: 0, dropped: 0 });
    sessionStore.flushFrames();
    const view = sessionStore.sessions.get('imp');
    expect(view?.readOnly).toBe(true);
    expect(view?.name).toBe('capture.ndjson');
    expect([view?.firstSeq, view?.lastSeq]).toEqual([1, 42]);
    const tab = tabStore.openSessionTab('imp', 'wss://echo.test/');
    expect(tabStore.activeTab?.id).toBe(tab.id);
    expect(tabStore.activeSession?.id).toBe('imp');
  });
});

describe('the backlog notice', () => {
  it('clears once notices stop coming (the stream ended while the renderer was behind)', async () => {
    vi.useFakeTimers();
    try {
      const sessionStore = useSessionsStore();
      sessionStore.start();
      fake.emit({ type: 'frames-skipped', sessionId: 's1', fromSeq: 1, toSeq: 5000, behind: 5000, dropped: 0 });
      sessionStore.flushFrames();
      expect(sessionStore.sessions.get('s1')?.behind).toBe(5000);
      vi.advanceTimersByTime(600);
      fake.emit({ type: 'frames-skipped', sessionId: 's1', fromSeq: 5001, toSeq: 9000, behind: 4000, dropped: 0 });
      vi.advanceTimersByTime(600);
      sessionStore.flushFrames();
      // Renewed 600 ms ago: still behind.
      expect(sessionStore.sessions.get('s1')?.behind).toBe(4000);
      vi.advanceTimersByTime(1000);
      sessionStore.flushFrames();
      expect(sessionStore.sessions.get('s1')?.behind).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
