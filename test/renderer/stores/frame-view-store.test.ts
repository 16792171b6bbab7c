import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { defaultFilter, emptySearch, filterChips, toEngineFilter } from '../../../src-renderer/src/frame-view/frame-filter';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import type { FrameSummary } from '../../../src-main/shared/model';
import { createFakeBridge, type FakeBridge } from './fake-bridge';
import { serveFrames, type FakeFrameStore } from './fake-frames';
import { batch, frames } from './frame-fixtures';

const S = 's1';
let fake: FakeBridge;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
});

/** A mixed stream: every 5th frame a ping or pong, frame 9 binary, frame 10 a close, every 3rd JSON. */
function mixed(seq: number): Partial<FrameSummary> {
  if (seq === 9) return { opcode: 'binary', preview: 'de ad be ef', size: 4 };
  if (seq === 10) return { opcode: 'close', preview: 'bye', closeCode: 4001, closeReason: 'bye' };
  if (seq % 5 === 0) return { opcode: seq % 2 === 0 ? 'pong' : 'ping', preview: '', size: 0 };
  return seq % 3 === 0 ? { preview: `{"op":"tick","n":${seq}}`, size: 100 + seq } : { preview: `hello ${seq}` };
}

/** A session whose engine store holds `list`; the renderer got them as one live batch. */
function setup(list = frames(1, 12, mixed)): { sessionStore: ReturnType<typeof useSessionsStore>; store: ReturnType<typeof useFrameViewStore>; engine: FakeFrameStore } {
  const sessionStore = useSessionsStore();
  const store = useFrameViewStore();
  const engine = serveFrames(fake, S, list);
  sessionStore.handleEvent(batch(S, list));
  sessionStore.flushFrames();
  return { sessionStore, store, engine };
}

const rows = (store: ReturnType<typeof useFrameViewStore>): number[] => {
  const list = store.viewOf(S).list.value;
  return Array.from({ length: list.count }, (_, i) => list.seqAt(i) ?? -1);
};

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await flushPromises();
}

describe('the log’s rows', () => {
  it('are the engine’s seq range when nothing is filtered: no per-row data in the renderer', () => {
    const { store } = setup();
    const list = store.viewOf(S).list.value;
    expect(list.filtered).toBe(false);
    expect(list.count).toBe(12);
    expect(list.seqAt(0)).toBe(1);
    expect(list.positionOf(7)).toBe(6);
    expect(store.viewOf(S).listFilter.value).toBeNull();
    expect(store.viewOf(S).frameBySeq(5)?.opcode).toBe('ping');
  });

  it('follow the store’s front as the engine evicts (dropped) and its end as frames arrive', () => {
    const { sessionStore, store } = setup(frames(1, 10));
    sessionStore.handleEvent(batch(S, frames(11, 20), 5));
    sessionStore.flushFrames();
    const list = store.viewOf(S).list.value;
    expect(list.count).toBe(15);
    expect(list.seqAt(0)).toBe(6);
    expect(sessionStore.sessions.get(S)?.dropped).toBe(5);
    // Evicted summaries leave the cache too.
    expect(store.viewOf(S).frameBySeq(5)).toBeUndefined();
  });

  it('come from the engine’s search when filtered, page by page', async () => {
    const { store, engine } = setup();
    store.viewOf(S).setDirection('in');
    await settle();
    expect(engine.searches.at(-1)?.filter).toEqual({ direction: 'in' });
    expect(rows(store)).toEqual([2, 4, 6, 8, 10, 12]);
    store.viewOf(S).toggleKind('control');
    await settle();
    expect(engine.searches.at(-1)?.filter).toEqual({ direction: 'in', opcodes: ['ping', 'pong', 'close'] });
    expect(rows(store)).toEqual([10]);
    expect(store.viewOf(S).list.value.total).toBe(12);
  });

  it('hide control frames, filter by size, and say when the size range is wrong', async () => {
    const { store, engine } = setup();
    store.viewOf(S).setHideControl(true);
    await settle();
    expect(rows(store)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 11, 12]);
    store.viewOf(S).setSizeRange(100, null);
    await settle();
    expect(engine.searches.at(-1)?.filter).toEqual({ opcodes: ['text', 'binary'], minSize: 100 });
    expect(rows(store)).toEqual([3, 6, 12]);
    store.viewOf(S).setSizeRange(200, 100);
    expect(store.viewOf(S).sizeError()).toBe('The smallest size is larger than the largest.');
    await settle();
    // An impossible range is not applied (the rest of the filter still is).
    expect(rows(store)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 11, 12]);
  });

  it('pages a filter with more matches than one search page holds', async () => {
    const { store, engine } = setup(frames(1, 12_000));
    store.viewOf(S).setDirection('out');
    await settle();
    expect(store.viewOf(S).list.value.count).toBe(6000);
    // The 5,000th frame sent is #9,999: the next page starts after it.
    expect(engine.searches.map((s) => s.fromSeq)).toEqual([1, 10_000]);
    expect(store.viewOf(S).list.value.building).toBe(false);
  });

  it('extends a filtered list with the frames that arrive later', async () => {
    const { sessionStore, store, engine } = setup();
    store.viewOf(S).setDirection('in');
    await settle();
    const more = frames(13, 16);
    engine.frames.push(...more);
    sessionStore.handleEvent(batch(S, more));
    sessionStore.flushFrames();
    await vi.waitFor(() => expect(rows(store)).toEqual([2, 4, 6, 8, 10, 12, 14, 16]), { timeout: 2000 });
    // The tail search starts after what was already searched.
    expect(engine.searches.at(-1)?.fromSeq).toBe(13);
  });
});

describe('search', () => {
  it('finds matches in the engine, counts them and steps through them, wrapping at the ends', async () => {
    const { store, engine } = setup();
    store.viewOf(S).setSearch('TICK');
    await settle();
    expect(engine.searches.at(-1)?.filter).toEqual({ text: 'TICK', ignoreCase: true });
    const view = store.viewOf(S);
    expect(view.matches.value.count).toBe(3);
    expect(view.matches.value.complete).toBe(true);
    // The log still shows every frame: matches are highlighted, not filtered.
    expect(view.list.value.count).toBe(12);
    store.viewOf(S).nextMatch();
    expect(view.state.selectedSeq).toBe(3);
    expect(view.state.reveal?.seq).toBe(3);
    expect(view.matches.value.ordinal(3)).toBe(1);
    store.viewOf(S).nextMatch();
    store.viewOf(S).nextMatch();
    expect(view.state.selectedSeq).toBe(12);
    store.viewOf(S).nextMatch();
    expect(view.state.selectedSeq).toBe(3);
    expect(view.state.notice).toBe('Wrapped around to the first match.');
    store.viewOf(S).previousMatch();
    expect(view.state.selectedSeq).toBe(12);
  });

  it('starts from the top of the view when nothing is selected', async () => {
    const { store } = setup();
    store.viewOf(S).setSearch('tick');
    await settle();
    store.viewOf(S).topSeq = 5;
    store.viewOf(S).nextMatch();
    expect(store.viewOf(S).state.selectedSeq).toBe(6);
  });

  it('narrows the log to the matches with "only matches", combined with the filter', async () => {
    const { store, engine } = setup();
    store.viewOf(S).setSearchMode('regex');
    store.viewOf(S).setSearch('hello (1|2)');
    store.viewOf(S).setOnlyMatches(true);
    await settle();
    expect(rows(store)).toEqual([1, 2, 11]);
    store.viewOf(S).setDirection('in');
    await settle();
    expect(engine.searches.some((s) => s.filter.direction === 'in' && s.filter.regex === 'hello (1|2)')).toBe(true);
    expect(rows(store)).toEqual([2]);
  });

  it('says at once when a regular expression does not compile, and sends nothing to the engine', async () => {
    const { store, engine } = setup();
    store.viewOf(S).setSearchMode('regex');
    store.viewOf(S).setSearch('(unclosed');
    await settle();
    expect(store.viewOf(S).matches.value.error).toMatch(/^Invalid regular expression: /);
    expect(engine.searches).toEqual([]);
  });

  it('shows the engine’s answer to a bad JSONPath with where it is', async () => {
    const { store } = setup();
    store.viewOf(S).setSearchMode('jsonpath');
    store.viewOf(S).setSearch('$[');
    await settle();
    const matches = store.viewOf(S).matches.value;
    expect(matches.error).toBe('Unexpected end of JSONPath at 2');
    expect(matches.errorPath).toBe('filter.jsonPath');
  });

  it('finds JSON frames by JSONPath', async () => {
    const { store, engine } = setup();
    store.viewOf(S).setSearchMode('jsonpath');
    store.viewOf(S).setSearch('$.op');
    await settle();
    expect(engine.searches.at(-1)?.filter).toEqual({ jsonPath: '$.op' });
    expect(store.viewOf(S).matches.value.count).toBe(3);
  });

  it('a new search cancels the one still running in the engine, whose late answer is ignored', async () => {
    const { store, engine } = setup();
    engine.hold();
    store.viewOf(S).setSearch('hello');
    await flushPromises();
    store.viewOf(S).setSearch('tick');
    const cancels = fake.calls.filter((c) => c.name === 'frames:search-cancel');
    expect(cancels).toHaveLength(1);
    expect(cancels[0]?.arg).toMatchObject({ sessionId: S, searchId: 'search-1' });
    engine.release();
    await settle();
    expect(store.viewOf(S).matches.value.count).toBe(3);
    expect(engine.searches.map((s) => s.filter.text)).toEqual(['hello', 'tick']);
  });

  it('waits for the engine when the next match has not been found yet', async () => {
    const { store, engine } = setup();
    engine.hold();
    store.viewOf(S).setSearch('tick');
    store.viewOf(S).nextMatch();
    expect(store.viewOf(S).state.notice).toBe('Searching…');
    engine.release();
    await settle();
    expect(store.viewOf(S).state.selectedSeq).toBe(3);
    expect(store.viewOf(S).state.notice).toBeNull();
  });
});

describe('go to a frame by its seq', () => {
  it('selects and reveals it, and stops following', () => {
    const { store } = setup();
    expect(store.viewOf(S).goToSeq(7)).toBe(true);
    const state = store.viewOf(S).state;
    expect(state.selectedSeq).toBe(7);
    expect(state.reveal?.seq).toBe(7);
    expect(state.follow).toBe(false);
    expect(state.notice).toBeNull();
  });

  it('explains a frame that has not arrived, was dropped, or is hidden by the filters', async () => {
    const { sessionStore, store } = setup(frames(1, 10));
    expect(store.viewOf(S).goToSeq(11)).toBe(false);
    expect(store.viewOf(S).state.notice).toBe('#11 has not arrived yet: the newest frame is #10.');
    expect(store.viewOf(S).goToSeq(0)).toBe(false);
    sessionStore.handleEvent(batch(S, frames(11, 12), 4));
    sessionStore.flushFrames();
    expect(store.viewOf(S).goToSeq(2)).toBe(true);
    expect(store.viewOf(S).state.selectedSeq).toBe(5);
    expect(store.viewOf(S).state.notice).toContain('#2 was dropped');
    store.viewOf(S).setDirection('in');
    await settle();
    expect(store.viewOf(S).goToSeq(7)).toBe(true);
    expect(store.viewOf(S).state.selectedSeq).toBe(8);
    expect(store.viewOf(S).state.notice).toBe('#7 is hidden by the filters: showing #8, the next frame shown.');
  });
});

describe('chips', () => {
  it('lists each active criterion and removes one at a time', async () => {
    const { store } = setup();
    store.viewOf(S).setDirection('out');
    store.viewOf(S).toggleKind('text');
    store.viewOf(S).setSizeRange(1024, null);
    store.viewOf(S).setSearch('err');
    store.viewOf(S).setOnlyMatches(true);
    const chips = () => store.viewOf(S).chips.value.map((c) => c.id);
    expect(chips()).toEqual(['direction', 'kinds', 'minSize', 'search', 'onlyMatches']);
    expect(store.viewOf(S).chips.value.map((c) => c.label)).toEqual(['↑ sent only', 'type: text', 'size ≥ 1.0 KiB', 'text: “err”', 'only matches']);
    store.viewOf(S).removeChip('minSize');
    expect(chips()).toEqual(['direction', 'kinds', 'search', 'onlyMatches']);
    store.viewOf(S).removeChip('search');
    expect(chips()).toEqual(['direction', 'kinds']);
    expect(store.viewOf(S).state.search.query).toBe('');
    store.viewOf(S).clearFilters();
    expect(chips()).toEqual([]);
    await settle();
  });

  it('are derived from plain functions, also for regex and JSONPath', () => {
    expect(filterChips(defaultFilter(), { query: 'a|b', mode: 'regex', caseSensitive: false }, false)[0]?.label).toBe('regular expression: /a|b/i');
    expect(filterChips(defaultFilter(), { query: ' $.op ', mode: 'jsonpath', caseSensitive: false }, false)[0]?.label).toBe('JSONPath: $.op');
    expect(toEngineFilter({ ...defaultFilter(), kinds: ['control'] }, emptySearch())).toEqual({ opcodes: ['ping', 'pong', 'close'] });
  });
});

describe('selection and following', () => {
  it('moves the selection through the filtered list and clamps at the ends', async () => {
    const { store } = setup();
    const view = store.viewOf(S);
    store.viewOf(S).setDirection('in');
    await settle();
    expect(store.viewOf(S).moveSelection(1)).toBe(0);
    expect(view.state.selectedSeq).toBe(2);
    store.viewOf(S).moveSelection(2);
    expect(view.state.selectedSeq).toBe(6);
    store.viewOf(S).moveSelection(100);
    expect(view.state.selectedSeq).toBe(12);
    store.viewOf(S).moveSelection(-100);
    expect(view.state.selectedSeq).toBe(2);
    expect(store.viewOf(S).selectLast()).toBe(5);
    expect(store.viewOf(S).selectFirst()).toBe(0);
  });

  it('moves from a selection that the filter hides to its neighbours', async () => {
    const { store } = setup();
    const view = store.viewOf(S);
    store.viewOf(S).select(5);
    store.viewOf(S).setDirection('in');
    await settle();
    store.viewOf(S).moveSelection(1);
    expect(view.state.selectedSeq).toBe(6);
    store.viewOf(S).select(5);
    store.viewOf(S).moveSelection(-1);
    expect(view.state.selectedSeq).toBe(4);
  });

  it('stops following when an older frame is selected and counts what arrives below', () => {
    const { sessionStore, store } = setup();
    const view = store.viewOf(S);
    expect(view.state.follow).toBe(true);
    store.viewOf(S).select(4);
    expect(view.state.follow).toBe(false);
    expect(view.newBelow.value).toBe(0);
    sessionStore.handleEvent(batch(S, frames(13, 15)));
    sessionStore.flushFrames();
    expect(view.newBelow.value).toBe(3);
    store.viewOf(S).setFollow(true);
    expect(view.newBelow.value).toBe(0);
  });

  it('forgets the view of a removed session', async () => {
    const { sessionStore, store } = setup();
    const before = store.viewOf(S);
    store.viewOf(S).setDirection('in');
    sessionStore.handleEvent({ type: 'session-removed', sessionId: S });
    await flushPromises();
    expect(store.viewOf(S)).not.toBe(before);
    expect(store.viewOf(S).state.filter.direction).toBe('all');
  });
});
