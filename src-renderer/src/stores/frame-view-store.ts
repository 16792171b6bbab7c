/**
 * How each session's frame log is looked at: its filter and search, the selected frame,
 * whether the log follows the live end, and the list of rows itself. The engine's store is
 * the source of truth: an unfiltered log is the seq range the engine holds (row i is seq
 * firstSeq + i, no per-row data at all), a filtered one is the match index the engine's
 * search builds (see search-runner.ts), and row summaries come from the bounded cache, paged
 * from the engine when a row scrolls into view.
 */
import { defineStore } from 'pinia';
import { computed, effectScope, markRaw, reactive, watch, type ComputedRef, type EffectScope } from 'vue';
import type { FrameSummary } from '../../../src-main/shared/model';
import type { FrameFilter as EngineFilter } from '../../../src-main/shared/search';
import { getBridge } from '../bridge/active-bridge';
import { formatCount } from '../util/format';
import {
  defaultFilter,
  emptySearch,
  filterChips,
  hasSearch,
  isNarrowing,
  searchProblem,
  sizeProblem,
  toEngineFilter,
  type Chip,
  type ChipId,
  type DirectionFilter,
  type FrameKind,
  type LogFilter,
  type PayloadAs,
  type SearchMode,
  type SearchQuery,
} from '../frame-view/frame-filter';
import type { MatchIndex } from '../frame-view/match-index';
import { SearchRunner } from '../frame-view/search-runner';
import { useSessionsStore } from './sessions-store';

export interface FrameViewState {
  filter: LogFilter;
  /** The search being run (the box's text once the user paused typing). */
  search: SearchQuery;
  /** The log shows only the search's matches. */
  onlyMatches: boolean;
  selectedSeq: number | null;
  /** The log scrolls with new frames. */
  follow: boolean;
  /** The newest seq the user had seen when they left the live end. */
  seenSeq: number;
  /** Bumped when an index (filtered list or search results) changed. */
  indexVersion: number;
  /** What the last "go to" or search step has to say (a hidden or dropped frame, a wrap). */
  notice: string | null;
  /** Asks the log to bring a seq into view; `token` changes on every request. */
  reveal: { seq: number; token: number } | null;
  /** A search step waiting for the engine to find more matches. */
  pendingStep: 1 | -1 | null;
  /**
   * Clear: the log shows only frames after this seq (0: nothing cleared). A view-level clear:
   * the engine keeps the frames (Export still writes them); filters, search and Go to start after it.
   */
  clearedSeq: number;
  /** Pause: the log shows frames up to this seq while capture goes on (null: live). */
  pausedSeq: number | null;
  /** What the detail pane shows: the selected frame, or the session's statistics. */
  detailTab: DetailTab;
}

export type DetailTab = 'frame' | 'stats';

/** Position ↔ seq for the rows of a log; a new object whenever the rows changed. */
export interface LogList {
  /** Rows known now. */
  readonly count: number;
  /** Frames the engine holds for the session, before filtering. */
  readonly total: number;
  /** The rows come from a filter (not every stored frame). */
  readonly filtered: boolean;
  /** A filtered list is still being built (more rows may come before the live end). */
  readonly building: boolean;
  /** Why the filter could not be applied, in words. */
  readonly error: string | null;
  seqAt(position: number): number | undefined;
  /** The position of a seq, or -1 when the list does not hold it. */
  positionOf(seq: number): number;
  /** The first position whose seq is ≥ seq (count when none). */
  lowerBound(seq: number): number;
}

/** The search's results: which frames match, and where the scan has got to. */
export interface SearchMatches {
  readonly active: boolean;
  readonly count: number;
  /** Every stored frame has been searched. */
  readonly complete: boolean;
  readonly error: string | null;
  /** Where the error is: `filter.regex`, `filter.jsonPath`. */
  readonly errorPath: string | null;
  has(seq: number): boolean;
  /** 1-based position of a matching seq, or 0. */
  ordinal(seq: number): number;
}

export interface FrameLogView {
  readonly sessionId: string;
  readonly state: FrameViewState;
  /** The engine filter of the log's rows (null: every frame). */
  readonly listFilter: ComputedRef<EngineFilter | null>;
  readonly list: ComputedRef<LogList>;
  readonly matches: ComputedRef<SearchMatches>;
  readonly chips: ComputedRef<Chip[]>;
  /** Rows that arrived below the view since the user left the live end. */
  readonly newBelow: ComputedRef<number>;
  /** Frames the engine still holds that Clear took out of the log. */
  readonly cleared: ComputedRef<number>;
  /** Rows the filters would show that arrived after the pause (0 when live). */
  readonly pausedNew: ComputedRef<number>;
  /** The seq at the top of the viewport (kept by the log; where a search step starts without a selection). */
  topSeq: number | null;
  readonly runner: SearchRunner;
  readonly scope: EffectScope;
}

const NO_MATCHES: SearchMatches = markRaw({
  active: false,
  count: 0,
  complete: true,
  error: null,
  errorPath: null,
  has: () => false,
  ordinal: () => 0,
});

function rangeList(firstSeq: number, lastSeq: number): LogList {
  const count = lastSeq > 0 ? lastSeq - firstSeq + 1 : 0;
  return markRaw({
    count,
    total: count,
    filtered: false,
    building: false,
    error: null,
    seqAt: (position: number) => (position >= 0 && position < count ? firstSeq + position : undefined),
    positionOf: (seq: number) => (count > 0 && seq >= firstSeq && seq <= lastSeq ? seq - firstSeq : -1),
    lowerBound: (seq: number) => Math.min(count, Math.max(0, seq - firstSeq)),
  });
}

/**
 * The index's rows from seq `from` to seq `to` (the clear and the pause cut both ends): a
 * window of positions, so nothing is copied however many rows the index holds.
 */
function indexList(index: MatchIndex, total: number, building: boolean, error: string | null, from = 1, to = Number.MAX_SAFE_INTEGER): LogList {
  const base = index.lowerBound(from);
  const count = Math.max(0, index.lowerBound(to + 1) - base);
  return markRaw({
    count,
    total,
    filtered: true,
    building,
    error,
    seqAt: (position: number) => (position >= 0 && position < count ? index.seqAt(base + position) : undefined),
    positionOf: (seq: number) => {
      const at = index.positionOf(seq) - base;
      return at >= 0 && at < count ? at : -1;
    },
    lowerBound: (seq: number) => Math.min(count, Math.max(0, index.lowerBound(seq) - base)),
  });
}

export const useFrameViewStore = defineStore('frame-view', () => {
  const sessions = useSessionsStore();
  // Plain map: a view is created on first use (possibly during a render) and never replaced.
  const views = new Map<string, FrameLogView>();
  let revealToken = 0;

  function createView(sessionId: string): FrameLogView {
    const scope = effectScope(true);
    const state = reactive<FrameViewState>({
      filter: defaultFilter(),
      search: emptySearch(),
      onlyMatches: false,
      selectedSeq: null,
      follow: true,
      seenSeq: 0,
      indexVersion: 0,
      notice: null,
      reveal: null,
      pendingStep: null,
      clearedSeq: 0,
      pausedSeq: null,
      detailTab: 'stats',
    });
    const runner = new SearchRunner(
      sessionId,
      {
        search: (call) => getBridge()['frames:search'](call),
        cancel: (id, searchId) => getBridge()['frames:search-cancel']({ sessionId: id, searchId }),
        remember: (frames) => sessions.frameCache(sessionId).putMany(frames),
      },
      () => {
        state.indexVersion += 1;
      },
    );
    const made = scope.run(() => {
      const session = computed(() => sessions.sessions.get(sessionId) ?? null);
      const searchOk = computed(() => hasSearch(state.search) && searchProblem(state.search) === null);
      const listFilter = computed<EngineFilter | null>(() => {
        const narrowing = isNarrowing(state.filter);
        if (state.onlyMatches && searchOk.value) return toEngineFilter(state.filter, state.search);
        return narrowing ? toEngineFilter(state.filter) : null;
      });
      const searchFilter = computed<EngineFilter | null>(() => (searchOk.value ? toEngineFilter(state.filter, state.search) : null));

      /** The seqs the log shows: after the clear, up to the pause. */
      const span = computed(() => {
        const s = session.value;
        const last = s?.lastSeq ?? 0;
        const from = Math.max(s?.firstSeq ?? 0, state.clearedSeq + 1);
        const to = state.pausedSeq === null ? last : Math.min(last, state.pausedSeq);
        return { from, to, last };
      });

      const list = computed<LogList>(() => {
        void state.indexVersion;
        const { from, to, last } = span.value;
        if (to < from) return rangeList(0, 0);
        const total = to - from + 1;
        if (!listFilter.value) return rangeList(from, to);
        const job = runner.job('list');
        if (!job) return rangeList(from, to);
        return indexList(job.index, total, !job.caughtUp(last), job.error, from, to);
      });

      const cleared = computed(() => {
        const s = session.value;
        if (!s || s.lastSeq === 0 || state.clearedSeq < s.firstSeq) return 0;
        return Math.min(state.clearedSeq, s.lastSeq) - s.firstSeq + 1;
      });

      const pausedNew = computed(() => {
        void state.indexVersion;
        const paused = state.pausedSeq;
        const { last } = span.value;
        if (paused === null || last <= paused) return 0;
        const job = listFilter.value ? runner.job('list') : undefined;
        if (!job) return last - Math.max(paused, state.clearedSeq);
        return job.index.count - job.index.lowerBound(paused + 1);
      });

      const matches = computed<SearchMatches>(() => {
        void state.indexVersion;
        const problem = hasSearch(state.search) ? searchProblem(state.search) : null;
        if (problem) return markRaw({ ...NO_MATCHES, active: true, error: problem, errorPath: state.search.mode === 'regex' ? 'filter.regex' : 'filter.text' });
        const job = runner.job('search');
        if (!searchFilter.value || !job) return NO_MATCHES;
        const index = job.index;
        return markRaw({
          active: true,
          count: index.count,
          complete: job.caughtUp(session.value?.lastSeq ?? 0),
          error: job.error,
          errorPath: job.errorPath,
          has: (seq: number) => index.has(seq),
          ordinal: (seq: number) => index.positionOf(seq) + 1,
        });
      });

      const chips = computed(() => filterChips(state.filter, state.search, state.onlyMatches));

      const newBelow = computed(() => {
        if (state.follow) return 0;
        const l = list.value;
        return l.count - l.lowerBound(state.seenSeq + 1);
      });

      // The engine indexes what the filter and the search select; the same filter keeps its work.
      // Synchronous, so the rows read right after a change already come from the new job.
      watch(
        listFilter,
        (filter) => {
          runner.setFilter('list', filter);
          state.indexVersion += 1;
        },
        { immediate: true, flush: 'sync' },
      );
      watch(
        searchFilter,
        (filter) => {
          runner.setFilter('search', filter);
          state.indexVersion += 1;
        },
        { immediate: true, flush: 'sync' },
      );
      // Cleared frames are out of the filters' and the search's reach (the runner only moves forward).
      watch(
        () => [Math.max(session.value?.firstSeq ?? 0, state.clearedSeq + 1), session.value?.lastSeq ?? 0] as const,
        ([first, last]) => runner.setRange(first, last),
        { immediate: true },
      );
      // A search step that waited for more matches goes on when they come.
      watch(
        () => state.indexVersion,
        () => {
          if (state.pendingStep !== null) stepMatch(sessionId, state.pendingStep);
        },
      );
      return { listFilter, list, matches, chips, newBelow, cleared, pausedNew };
    });
    if (!made) throw new Error('frame view scope did not run');
    return { sessionId, state, ...made, topSeq: null, runner, scope };
  }

  function viewOf(sessionId: string): FrameLogView {
    let view = views.get(sessionId);
    if (!view) {
      view = createView(sessionId);
      views.set(sessionId, view);
    }
    return view;
  }

  // Forget the views of sessions that are gone, so their searches stop.
  watch(
    () => [...sessions.sessions.keys()],
    (ids) => {
      const alive = new Set(ids);
      for (const [id, view] of views) {
        if (!alive.has(id)) {
          view.runner.dispose();
          view.scope.stop();
          views.delete(id);
        }
      }
    },
  );

  // ---- filter ---------------------------------------------------------------------------

  function filterChanged(sessionId: string): void {
    const state = viewOf(sessionId).state;
    state.notice = null;
    state.pendingStep = null;
  }

  function setDirection(sessionId: string, direction: DirectionFilter): void {
    viewOf(sessionId).state.filter.direction = direction;
    filterChanged(sessionId);
  }

  /** Picks or unpicks a kind. Picking "control" shows control frames even if they were hidden. */
  function toggleKind(sessionId: string, kind: FrameKind): void {
    const filter = viewOf(sessionId).state.filter;
    if (filter.kinds.includes(kind)) {
      filter.kinds = filter.kinds.filter((k) => k !== kind);
    } else {
      filter.kinds = [...filter.kinds, kind];
      if (kind === 'control') filter.hideControl = false;
    }
    filterChanged(sessionId);
  }

  /** Hiding control frames also unpicks the "control" kind, so the bar never contradicts itself. */
  function setHideControl(sessionId: string, hide: boolean): void {
    const filter = viewOf(sessionId).state.filter;
    filter.hideControl = hide;
    if (hide) filter.kinds = filter.kinds.filter((k) => k !== 'control');
    filterChanged(sessionId);
  }

  /** The payload size range in bytes (null: open at that end). */
  function setSizeRange(sessionId: string, minSize: number | null, maxSize: number | null): void {
    const filter = viewOf(sessionId).state.filter;
    filter.minSize = minSize;
    filter.maxSize = maxSize;
    filterChanged(sessionId);
  }

  function sizeError(sessionId: string): string | null {
    return sizeProblem(viewOf(sessionId).state.filter);
  }

  // ---- search ---------------------------------------------------------------------------

  function setSearch(sessionId: string, query: string): void {
    viewOf(sessionId).state.search.query = query;
    filterChanged(sessionId);
  }

  function setSearchMode(sessionId: string, mode: SearchMode): void {
    viewOf(sessionId).state.search.mode = mode;
    filterChanged(sessionId);
  }

  /** Text, hex or base64: kept for the tab when the search is cleared. */
  function setPayloadAs(sessionId: string, payloadAs: PayloadAs): void {
    viewOf(sessionId).state.search.payloadAs = payloadAs;
    filterChanged(sessionId);
  }

  function setCaseSensitive(sessionId: string, caseSensitive: boolean): void {
    viewOf(sessionId).state.search.caseSensitive = caseSensitive;
    filterChanged(sessionId);
  }

  function setOnlyMatches(sessionId: string, only: boolean): void {
    viewOf(sessionId).state.onlyMatches = only;
    filterChanged(sessionId);
  }

  function clearFilters(sessionId: string): void {
    const state = viewOf(sessionId).state;
    state.filter = defaultFilter();
    state.search = { ...emptySearch(), payloadAs: state.search.payloadAs ?? 'text' };
    state.onlyMatches = false;
    filterChanged(sessionId);
  }

  /** Removes what one chip stands for. */
  function removeChip(sessionId: string, chip: ChipId): void {
    const state = viewOf(sessionId).state;
    switch (chip) {
      case 'direction':
        state.filter.direction = 'all';
        break;
      case 'kinds':
        state.filter.kinds = [];
        break;
      case 'hideControl':
        state.filter.hideControl = false;
        break;
      case 'minSize':
        state.filter.minSize = null;
        break;
      case 'maxSize':
        state.filter.maxSize = null;
        break;
      case 'search':
        state.search = { ...state.search, query: '' };
        state.onlyMatches = false;
        break;
      case 'onlyMatches':
        state.onlyMatches = false;
        break;
    }
    filterChanged(sessionId);
  }

  /**
   * Steps to the next (1) or previous (-1) match from the selection, or from the top of the
   * view when nothing is selected; wraps around at the ends. Waits for the engine when the
   * match is beyond what it has found so far.
   */
  function stepMatch(sessionId: string, direction: 1 | -1): void {
    const view = viewOf(sessionId);
    const state = view.state;
    const job = view.runner.job('search');
    if (!job || !view.matches.value.active || job.error !== null) {
      state.pendingStep = null;
      return;
    }
    const index = job.index;
    const selected = state.selectedSeq;
    const from = selected ?? (direction > 0 ? (view.topSeq ?? 1) - 1 : (view.topSeq ?? 1));
    const complete = view.matches.value.complete;
    let target = direction > 0 ? index.after(from) : index.before(from);
    let wrapped = false;
    // Previous matches are all known once the scan has passed `from`; following ones may still come.
    const mayStillCome = direction > 0 ? !complete : job.scannedTo < from;
    if (target === undefined && mayStillCome) {
      state.pendingStep = direction;
      state.notice = 'Searching…';
      return;
    }
    if (target === undefined && index.count > 0) {
      target = direction > 0 ? index.seqAt(0) : index.seqAt(index.count - 1);
      wrapped = true;
    }
    state.pendingStep = null;
    if (target === undefined) {
      state.notice = 'No frame matches the search.';
      return;
    }
    state.notice = wrapped ? (direction > 0 ? 'Wrapped around to the first match.' : 'Wrapped around to the last match.') : null;
    selectAndReveal(sessionId, target);
  }

  function nextMatch(sessionId: string): void {
    stepMatch(sessionId, 1);
  }

  function previousMatch(sessionId: string): void {
    stepMatch(sessionId, -1);
  }

  // ---- frames by position ---------------------------------------------------------------

  function frameBySeq(sessionId: string, seq: number): FrameSummary | undefined {
    return sessions.frameCache(sessionId).get(seq);
  }

  /** Asks the engine for the summaries of these seqs that are neither cached nor on their way. */
  function ensureFrames(sessionId: string, seqs: readonly number[]): void {
    const plans = sessions.frameCache(sessionId).planFetch(seqs);
    for (const plan of plans) void sessions.fetchPage(sessionId, plan.fromSeq, plan.limit);
  }

  /** The rows on screen: kept in the cache while they are. */
  function protectFrames(sessionId: string, seqs: ReadonlySet<number>): void {
    sessions.frameCache(sessionId).protect(seqs);
  }

  // ---- selection and following ----------------------------------------------------------

  /**
   * Selects a frame (null clears). Selecting anything but the newest frame stops following,
   * so the row the user is reading does not scroll away under the next batch.
   */
  function select(sessionId: string, seq: number | null): void {
    const view = viewOf(sessionId);
    view.state.selectedSeq = seq;
    if (seq === null) return;
    view.state.detailTab = 'frame';
    // A frame past the pause (a search step, Go to) is asked for: the log goes live again to show it.
    if (view.state.pausedSeq !== null && seq > view.state.pausedSeq) view.state.pausedSeq = null;
    const list = view.list.value;
    setFollow(sessionId, list.count > 0 && list.seqAt(list.count - 1) === seq);
  }

  function selectAndReveal(sessionId: string, seq: number): void {
    select(sessionId, seq);
    revealToken += 1;
    viewOf(sessionId).state.reveal = { seq, token: revealToken };
  }

  /** Moves the selection by `delta` rows (clamped). Returns the new position. */
  function moveSelection(sessionId: string, delta: number): number {
    const view = viewOf(sessionId);
    const list = view.list.value;
    if (list.count === 0) return -1;
    const current = view.state.selectedSeq;
    let position: number;
    if (current === null) {
      const top = view.topSeq === null ? -1 : list.lowerBound(view.topSeq);
      position = top >= 0 && top < list.count ? top : delta >= 0 ? 0 : list.count - 1;
    } else {
      const at = list.lowerBound(current);
      // A selection that is filtered out moves from where it would sit.
      const base = list.seqAt(at) === current ? at : delta > 0 ? at - 1 : at;
      position = Math.min(list.count - 1, Math.max(0, base + delta));
    }
    select(sessionId, list.seqAt(position) ?? null);
    return position;
  }

  function selectFirst(sessionId: string): number {
    const list = viewOf(sessionId).list.value;
    if (list.count === 0) return -1;
    select(sessionId, list.seqAt(0) ?? null);
    return 0;
  }

  function selectLast(sessionId: string): number {
    const list = viewOf(sessionId).list.value;
    if (list.count === 0) return -1;
    select(sessionId, list.seqAt(list.count - 1) ?? null);
    return list.count - 1;
  }

  /** Starts or stops following the live end; stopping remembers what the user had seen. */
  function setFollow(sessionId: string, follow: boolean): void {
    const view = viewOf(sessionId);
    if (view.state.follow === follow) return;
    if (!follow) {
      const list = view.list.value;
      view.state.seenSeq = list.seqAt(list.count - 1) ?? 0;
    }
    view.state.follow = follow;
  }

  /**
   * Jumps to a frame by its seq: selects it and brings it into view. A frame the filters hide
   * gives way to the next one shown; a dropped or future one is explained. Returns whether a
   * frame was selected.
   */
  function goToSeq(sessionId: string, seq: number): boolean {
    const view = viewOf(sessionId);
    const state = view.state;
    const session = sessions.sessions.get(sessionId);
    const first = session?.firstSeq ?? 0;
    const last = session?.lastSeq ?? 0;
    if (!Number.isInteger(seq) || seq < 1) {
      state.notice = 'Enter a frame number: 1 or more.';
      return false;
    }
    if (last === 0) {
      state.notice = 'There are no frames yet.';
      return false;
    }
    if (seq > last) {
      state.notice = `#${formatCount(seq)} has not arrived yet: the newest frame is #${formatCount(last)}.`;
      return false;
    }
    let target = seq;
    let notice: string | null = null;
    if (seq < first) {
      target = first;
      notice = `#${formatCount(seq)} was dropped: the engine keeps a bounded history, and its oldest frame is #${formatCount(first)}.`;
    }
    if (target <= state.clearedSeq) {
      if (state.clearedSeq >= last) {
        state.notice = `#${formatCount(seq)} was cleared from the log (Export still includes it), and no frame has come since.`;
        return false;
      }
      notice = `#${formatCount(seq)} was cleared from the log (Export still includes it): showing #${formatCount(state.clearedSeq + 1)}, the first frame after the clear.`;
      target = state.clearedSeq + 1;
    }
    // A frame past the pause is asked for: the log goes live again to show it.
    if (state.pausedSeq !== null && target > state.pausedSeq) resume(sessionId);
    const list = view.list.value;
    if (list.positionOf(target) < 0) {
      const next = list.seqAt(list.lowerBound(target));
      if (next === undefined) {
        state.notice = list.building
          ? `#${formatCount(target)} is not in the filtered list yet: the filter is still being applied.`
          : `No frame from #${formatCount(target)} on is shown with these filters.`;
        return false;
      }
      notice = `${notice ? `${notice} ` : ''}#${formatCount(target)} is hidden by the filters: showing #${formatCount(next)}, the next frame shown.`;
      target = next;
    }
    selectAndReveal(sessionId, target);
    state.notice = notice;
    return true;
  }

  function clearNotice(sessionId: string): void {
    viewOf(sessionId).state.notice = null;
  }

  // ---- clear, pause, the detail pane ----------------------------------------------------

  /**
   * Clears the log's view: every frame captured so far leaves the log (and the filters', the
   * search's and Go to's reach); the engine keeps them, so Export still writes them and the
   * statistics still count them. A paused log stays paused, from now.
   */
  function clearView(sessionId: string): void {
    const view = viewOf(sessionId);
    const state = view.state;
    const last = sessions.sessions.get(sessionId)?.lastSeq ?? 0;
    if (last <= state.clearedSeq) return;
    state.clearedSeq = last;
    if (state.pausedSeq !== null) state.pausedSeq = last;
    state.selectedSeq = null;
    state.detailTab = 'stats';
    state.notice = null;
    state.pendingStep = null;
    state.follow = true;
    // At once (the range watcher runs later): a filter set right after starts past the clear.
    view.runner.setRange(last + 1, last);
    state.indexVersion += 1;
  }

  /** Freezes the log at the newest frame so far; capture, counters and statistics go on. */
  function pause(sessionId: string): void {
    const state = viewOf(sessionId).state;
    if (state.pausedSeq !== null) return;
    state.pausedSeq = sessions.sessions.get(sessionId)?.lastSeq ?? 0;
  }

  /** Lets the frames that came meanwhile in and follows the live end again. */
  function resume(sessionId: string): void {
    const state = viewOf(sessionId).state;
    if (state.pausedSeq === null) return;
    state.pausedSeq = null;
    setFollow(sessionId, true);
  }

  function setDetailTab(sessionId: string, tab: DetailTab): void {
    viewOf(sessionId).state.detailTab = tab;
  }

  /** Escape: no frame selected, and the detail pane is back on the statistics. */
  function clearSelection(sessionId: string): void {
    const state = viewOf(sessionId).state;
    state.selectedSeq = null;
    state.detailTab = 'stats';
  }

  return {
    viewOf,
    setDirection,
    toggleKind,
    setHideControl,
    setSizeRange,
    sizeError,
    setSearch,
    setSearchMode,
    setPayloadAs,
    setCaseSensitive,
    setOnlyMatches,
    clearFilters,
    removeChip,
    nextMatch,
    previousMatch,
    frameBySeq,
    ensureFrames,
    protectFrames,
    select,
    selectAndReveal,
    moveSelection,
    selectFirst,
    selectLast,
    setFollow,
    goToSeq,
    clearNotice,
    clearView,
    pause,
    resume,
    setDetailTab,
    clearSelection,
  };
});
