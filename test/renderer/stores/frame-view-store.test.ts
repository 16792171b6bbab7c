import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { compileFilter, defaultFilter, FilteredIndex } from '../../../src-renderer/src/stores/frame-filter';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { createFakeBridge } from './fake-bridge';
import { batch, frame, frames } from './frame-fixtures';

const S = 's1';

beforeEach(() => {
  setActivePinia(createPinia());
  setBridge(createFakeBridge().bridge);
});

/** A mixed stream: every 5th frame a ping or pong, frame 9 binary, frame 10 a close. */
function mixed(seq: number) {
  if (seq === 9) return { opcode: 'binary' as const, preview: 'de ad be ef' };
  if (seq === 10) return { opcode: 'close' as const, preview: 'bye', closeCode: 4001, closeReason: 'bye' };
  if (seq % 5 === 0) return { opcode: (seq % 2 === 0 ? 'pong' : 'ping') as 'ping' | 'pong', preview: '', size: 0 };
  return { preview: seq % 3 === 0 ? `{"op":"tick","n":${seq}}` : `hello ${seq}` };
}

function setup(list = frames(1, 12, mixed)) {
  const sessions = useSessionsStore();
  const store = useFrameViewStore();
  sessions.handleEvent(batch(S, list));
  return { sessions, store, view: store.viewOf(S) };
}

const seqsOf = (store: ReturnType<typeof useFrameViewStore>) => [...store.viewOf(S).filtered.value.seqs];

describe('frame view store: filters', () => {
  it('shows every frame by default', () => {
    const { store, view } = setup();
    expect(seqsOf(store)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(view.compiled.value.narrowing).toBe(false);
  });

  it('filters by direction', () => {
    const { store } = setup();
    store.setDirection(S, 'in');
    expect(seqsOf(store)).toEqual([2, 4, 6, 8, 10, 12]);
    store.setDirection(S, 'out');
    expect(seqsOf(store)).toEqual([1, 3, 5, 7, 9, 11]);
  });

  it('filters by kind; picking several kinds shows their union', () => {
    const { store } = setup();
    store.toggleKind(S, 'binary');
    expect(seqsOf(store)).toEqual([9]);
    store.toggleKind(S, 'control');
    expect(seqsOf(store)).toEqual([5, 9, 10]);
    store.toggleKind(S, 'binary');
    expect(seqsOf(store)).toEqual([5, 10]);
  });

  it('hides ping, pong and close frames, and keeps the kind chips consistent', () => {
    const { store, view } = setup();
    store.toggleKind(S, 'control');
    store.setHideControl(S, true);
    expect(view.state.filter.kinds).toEqual([]);
    expect(seqsOf(store)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 11, 12]);
    // Picking "control" again is an explicit wish to see them.
    store.toggleKind(S, 'control');
    expect(view.state.filter.hideControl).toBe(false);
    expect(seqsOf(store)).toEqual([5, 10]);
  });

  it('searches previews as plain text, case-insensitively unless asked', () => {
    const { store, view } = setup();
    store.setQuery(S, 'HELLO 1');
    expect(seqsOf(store)).toEqual([1, 11]);
    store.setCaseSensitive(S, true);
    expect(seqsOf(store)).toEqual([]);
    store.setQuery(S, '"op":"tick"');
    expect(seqsOf(store)).toEqual([3, 6, 12]);
    expect(view.compiled.value.searching).toBe(true);
  });

  it('searches a close frame by its code and reason', () => {
    const { store } = setup();
    store.setQuery(S, '4001');
    expect(seqsOf(store)).toEqual([10]);
  });

  it('searches with a regular expression', () => {
    const { store, view } = setup();
    store.setRegex(S, true);
    store.setQuery(S, '"n":(3|12)\\}');
    expect(seqsOf(store)).toEqual([3, 12]);
    expect(view.compiled.value.searchError).toBeNull();
  });

  it('explains an invalid regular expression and does not apply it', () => {
    const { store, view } = setup();
    store.setRegex(S, true);
    store.setQuery(S, 'tick(');
    expect(view.compiled.value.searchError).toBe('Invalid regular expression: Unterminated group');
    expect(seqsOf(store)).toHaveLength(12);
    // The same text is fine as plain text.
    store.setRegex(S, false);
    expect(view.compiled.value.searchError).toBeNull();
    expect(seqsOf(store)).toEqual([]);
  });

  it('combines direction, kind and search, and clears them all at once', () => {
    const { store } = setup();
    store.setDirection(S, 'in');
    store.toggleKind(S, 'text');
    store.setQuery(S, 'tick');
    expect(seqsOf(store)).toEqual([6, 12]);
    store.clearFilters(S);
    expect(seqsOf(store)).toHaveLength(12);
  });

  it('keeps filters per session', () => {
    const { sessions, store } = setup();
    sessions.handleEvent(batch('s2', frames(1, 4)));
    store.setDirection(S, 'in');
    expect([...store.viewOf('s2').filtered.value.seqs]).toEqual([1, 2, 3, 4]);
  });
});

describe('frame view store: incremental filtering', () => {
  it('tests only the new frames when a batch arrives', () => {
    const { sessions, store, view } = setup(frames(1, 10_000, (seq) => ({ preview: seq % 100 === 0 ? 'needle' : 'hay' })));
    store.setQuery(S, 'needle');
    expect(view.filtered.value.count).toBe(100);
    expect(view.filtered.value.examined).toBe(10_000);

    sessions.handleEvent(batch(S, frames(10_001, 10_050, (seq) => ({ preview: seq === 10_020 ? 'needle' : 'hay' }))));
    const after = view.filtered.value;
    expect(after.examined).toBe(50);
    expect(after.count).toBe(101);
    expect(after.seqs[after.count - 1]).toBe(10_020);
    expect(after.total).toBe(10_050);
  });

  it('drops matches the sessions store trimmed from the front', () => {
    const sessions = useSessionsStore();
    const store = useFrameViewStore();
    const view = store.viewOf(S);
    // Reproduce the renderer limit with a small array: the store trims in place.
    sessions.handleEvent(batch(S, frames(1, 10)));
    expect(view.filtered.value.count).toBe(10);
    const array = sessions.framesOf(S);
    array.splice(0, 4);
    sessions.handleEvent(batch(S, frames(11, 12)));
    expect([...view.filtered.value.seqs]).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(view.filtered.value.examined).toBe(2);
  });

  it('refilters everything when the filter changes', () => {
    const { store, view } = setup();
    expect(view.filtered.value.examined).toBe(12);
    store.setDirection(S, 'in');
    expect(view.filtered.value.examined).toBe(12);
    store.setQuery(S, 'hello');
    expect(view.filtered.value.examined).toBe(12);
    // A change that selects the same frames (another case, case-insensitively) costs nothing.
    store.setQuery(S, 'HELLO');
    expect(view.filtered.value.examined).toBe(0);
    expect([...view.filtered.value.seqs]).toEqual([2, 4, 8]);
  });

  it('FilteredIndex starts over when given a different array', () => {
    const index = new FilteredIndex();
    const filter = compileFilter(defaultFilter());
    index.sync(frames(1, 3), filter);
    index.sync([frame(7), frame(8)], filter);
    expect(index.seqs).toEqual([7, 8]);
    index.sync([], filter);
    expect(index.seqs).toEqual([]);
  });
});

describe('frame view store: selection and following', () => {
  it('moves the selection through the filtered list and clamps at the ends', () => {
    const { store, view } = setup();
    store.setDirection(S, 'in');
    expect(store.moveSelection(S, 1)).toBe(0);
    expect(view.state.selectedSeq).toBe(2);
    store.moveSelection(S, 2);
    expect(view.state.selectedSeq).toBe(6);
    store.moveSelection(S, 100);
    expect(view.state.selectedSeq).toBe(12);
    store.moveSelection(S, -100);
    expect(view.state.selectedSeq).toBe(2);
    expect(store.selectLast(S)).toBe(5);
    expect(store.selectFirst(S)).toBe(0);
  });

  it('moves from a selection that the filter hides to its neighbours', () => {
    const { store, view } = setup();
    store.select(S, 5);
    store.setDirection(S, 'in');
    store.moveSelection(S, 1);
    expect(view.state.selectedSeq).toBe(6);
    store.select(S, 5);
    store.moveSelection(S, -1);
    expect(view.state.selectedSeq).toBe(4);
  });

  it('finds frames and positions by seq', () => {
    const { store } = setup();
    store.setDirection(S, 'in');
    expect(store.positionOf(S, 6)).toBe(2);
    expect(store.positionOf(S, 5)).toBe(-1);
    expect(store.frameAt(S, 2)?.seq).toBe(6);
    expect(store.frameBySeq(S, 5)?.seq).toBe(5);
    expect(store.frameBySeq(S, 99)).toBeUndefined();
  });

  it('stops following when an older frame is selected and counts what arrives below', () => {
    const { sessions, store, view } = setup();
    expect(view.state.follow).toBe(true);
    store.select(S, 4);
    expect(view.state.follow).toBe(false);
    expect(view.newBelow.value).toBe(0);
    sessions.handleEvent(batch(S, frames(13, 15)));
    expect(view.newBelow.value).toBe(3);
    // Only frames that pass the filter count.
    store.setDirection(S, 'in');
    expect(view.newBelow.value).toBe(1);
    store.setFollow(S, true);
    expect(view.newBelow.value).toBe(0);
  });

  it('selecting the newest frame keeps following', () => {
    const { store, view } = setup();
    store.selectLast(S);
    expect(view.state.follow).toBe(true);
    expect(view.state.selectedSeq).toBe(12);
  });

  it('forgets the view of a removed session', () => {
    const { sessions, store } = setup();
    const before = store.viewOf(S);
    store.setDirection(S, 'in');
    sessions.handleEvent({ type: 'session-removed', sessionId: S });
    return Promise.resolve().then(() => {
      expect(store.viewOf(S)).not.toBe(before);
      expect(store.viewOf(S).state.filter.direction).toBe('all');
    });
  });
});
