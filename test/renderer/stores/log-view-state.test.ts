// Clear and Pause in the frame view store (with and without filters), Go to around them, the
// detail pane's tab, and the log's remembered preferences read back from localStorage.
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { defaultLogPrefs, parseLogPrefs } from '../../../src-renderer/src/stores/log-prefs-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { formatElapsed } from '../../../src-renderer/src/util/format';
import { rowsBelow } from '../../../src-renderer/src/util/scroll-mapping';
import type { FrameSummary } from '../../../src-main/shared/model';
import { createFakeBridge, type FakeBridge } from './fake-bridge';
import { serveFrames, type FakeFrameStore } from './fake-frames';
import { batch, frames } from './frame-fixtures';

const S = 's1';
let fake: FakeBridge;
let engine: FakeFrameStore;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  engine = serveFrames(fake, S, []);
});

function arrive(list: FrameSummary[], dropped = 0): void {
  const sessionStore = useSessionsStore();
  engine.frames.push(...list);
  sessionStore.handleEvent(batch(S, list, dropped));
  sessionStore.flushFrames();
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await flushPromises();
}

function rows(): number[] {
  const list = useFrameViewStore().viewOf(S).list.value;
  return Array.from({ length: list.count }, (_, i) => list.seqAt(i) ?? -1);
}

describe('Clear', () => {
  it('hides every frame so far from the rows, the filters and the search; the engine still holds them', async () => {
    const store = useFrameViewStore();
    arrive(frames(1, 10));
    store.viewOf(S).clearView();
    expect(rows()).toEqual([]);
    expect(store.viewOf(S).cleared.value).toBe(10);
    arrive(frames(11, 14));
    expect(rows()).toEqual([11, 12, 13, 14]);
    store.viewOf(S).setDirection('in');
    await settle();
    expect(rows()).toEqual([12, 14]);
    // The filter's scan started after the clear.
    expect(engine.searches.at(-1)?.fromSeq).toBeGreaterThanOrEqual(11);
    store.viewOf(S).setSearch('message 1');
    await settle();
    expect(store.viewOf(S).matches.value.count).toBe(2);
    expect(store.viewOf(S).list.value.building).toBe(false);
    expect(useSessionsStore().sessions.get(S)?.firstSeq).toBe(1);
  });

  it('a filter set after clearing everything is not left "filtering" forever', async () => {
    const store = useFrameViewStore();
    arrive(frames(1, 6));
    store.viewOf(S).clearView();
    store.viewOf(S).setDirection('out');
    await settle();
    expect(store.viewOf(S).list.value.building).toBe(false);
    expect(rows()).toEqual([]);
  });

  it('Go to a cleared frame shows the first one after the clear, or says none came', () => {
    const store = useFrameViewStore();
    arrive(frames(1, 10));
    store.viewOf(S).clearView();
    expect(store.viewOf(S).goToSeq(4)).toBe(false);
    expect(store.viewOf(S).state.notice).toContain('#4 was cleared from the log');
    arrive(frames(11, 12));
    expect(store.viewOf(S).goToSeq(4)).toBe(true);
    expect(store.viewOf(S).state.selectedSeq).toBe(11);
    expect(store.viewOf(S).state.notice).toContain('showing #11, the first frame after the clear');
  });
});

describe('Pause', () => {
  it('freezes the rows at the newest seq; new frames are counted through the filters; Resume lets them in', async () => {
    const store = useFrameViewStore();
    arrive(frames(1, 4));
    store.viewOf(S).pause();
    arrive(frames(5, 9));
    expect(rows()).toEqual([1, 2, 3, 4]);
    expect(store.viewOf(S).pausedNew.value).toBe(5);
    store.viewOf(S).setDirection('in');
    await settle();
    expect(rows()).toEqual([2, 4]);
    expect(store.viewOf(S).pausedNew.value).toBe(2);
    store.viewOf(S).resume();
    expect(rows()).toEqual([2, 4, 6, 8]);
    expect(store.viewOf(S).pausedNew.value).toBe(0);
    expect(store.viewOf(S).state.follow).toBe(true);
  });

  it('going to a frame past the pause resumes; Clear while paused stays paused from now', () => {
    const store = useFrameViewStore();
    arrive(frames(1, 4));
    store.viewOf(S).pause();
    arrive(frames(5, 9));
    store.viewOf(S).clearView();
    expect(store.viewOf(S).state.pausedSeq).toBe(9);
    arrive(frames(10, 12));
    expect(rows()).toEqual([]);
    expect(store.viewOf(S).pausedNew.value).toBe(3);
    expect(store.viewOf(S).goToSeq(11)).toBe(true);
    expect(store.viewOf(S).state.pausedSeq).toBeNull();
    expect(rows()).toEqual([10, 11, 12]);
  });
});

describe('the detail pane’s tab', () => {
  it('shows the frame once one is selected, the statistics on request, and again after Escape', () => {
    const store = useFrameViewStore();
    arrive(frames(1, 3));
    const state = store.viewOf(S).state;
    expect(state.detailTab).toBe('stats');
    store.viewOf(S).select(2);
    expect(state.detailTab).toBe('frame');
    store.viewOf(S).setDetailTab('stats');
    expect(state.selectedSeq).toBe(2);
    store.viewOf(S).setDetailTab('frame');
    store.viewOf(S).clearSelection();
    expect(state).toMatchObject({ selectedSeq: null, detailTab: 'stats' });
  });
});

describe('the log’s preferences read back', () => {
  it('keep each valid field and fall back to the default for the rest', () => {
    expect(parseLogPrefs(null)).toEqual(defaultLogPrefs());
    expect(parseLogPrefs('not json')).toEqual(defaultLogPrefs());
    expect(parseLogPrefs('[1,2]')).toEqual(defaultLogPrefs());
    expect(parseLogPrefs('{"timeMode":"delta","columns":["preview","seq"]}')).toEqual({ timeMode: 'delta', columns: ['seq', 'preview'] });
    expect(parseLogPrefs('{"timeMode":"sideways","columns":["seq","bogus"]}')).toEqual({ timeMode: 'clock', columns: ['seq'] });
    // No column at all would be a blank log.
    expect(parseLogPrefs('{"timeMode":"since-open","columns":[]}')).toEqual({ timeMode: 'since-open', columns: defaultLogPrefs().columns });
    expect(parseLogPrefs('{"columns":"seq"}').columns).toEqual(defaultLogPrefs().columns);
  });
});

describe('figures', () => {
  it('formats the time since open and the delta for the Since open and Delta columns', () => {
    expect(formatElapsed(0)).toBe('+0.000');
    expect(formatElapsed(4.4)).toBe('+0.004');
    expect(formatElapsed(12_345)).toBe('+12.345');
    expect(formatElapsed(62_345)).toBe('+1:02.345');
    expect(formatElapsed(3_723_456)).toBe('+1:02:03.456');
    expect(formatElapsed(-5)).toBe('-0.005');
  });

  it('counts the rows wholly below the viewport (a row cut by the bottom edge is in view)', () => {
    const g = { count: 100, rowHeight: 22, viewportHeight: 440 };
    expect(rowsBelow(g, 0)).toBe(80);
    expect(rowsBelow(g, 11)).toBe(79);
    expect(rowsBelow(g, 100 * 22 - 440)).toBe(0);
    expect(rowsBelow({ ...g, count: 5 }, 0)).toBe(0);
    expect(rowsBelow({ ...g, count: 0 }, 0)).toBe(0);
  });
});
