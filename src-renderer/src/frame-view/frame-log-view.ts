/**
 * One session's frame log as the user looks at it: its filter and search, the selected frame,
 * whether the log follows the live end, the list of rows itself, and every action on them
 * (one object per session, so nothing takes a session id). The engine's store is the source of
 * truth: an unfiltered log is the seq range the engine holds (row i is seq firstSeq + i, no
 * per-row data at all), a filtered one is the match index the engine's search builds (see
 * search-runner.ts), and row summaries come from the bounded cache, paged from the engine when
 * a row scrolls into view. The frame-view store keeps one per session.
 */
import { computed, effectScope, markRaw, reactive, watch, type ComputedRef, type EffectScope } from 'vue';
import type { FrameSummary } from '../../../src-main/shared/model';
import type { FrameFilter as EngineFilter } from '../../../src-main/shared/search';
import { getBridge } from '../bridge/active-bridge';
import { formatCount } from '../util/format';
import type { FrameNumberLookup } from '../../../src-main/shared/frame-numbers';
import type { SessionView } from '../stores/session-view';
import type { SummaryCache } from '../stores/summary-cache';
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
} from './frame-filter';
import type { MatchIndex } from './match-index';
import { SearchRunner } from './search-runner';

export interface FrameViewState {
  filter: LogFilter;
  /** The search being run (the box's text once the user paused typing). */
  search: SearchQuery;
  /** The log shows only the search's matches. */
  onlyMatches: boolean;
  selectedSeq: number | null;
  /** The log scrolls with new frames. */
  follow: boolean;
  /** The newest seq that had arrived when the user left the live end. */
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
  setDirection(direction: DirectionFilter): void;
  /** Picks or unpicks a kind. Picking "control" shows control frames even if they were hidden. */
  toggleKind(kind: FrameKind): void;
  /** Hiding control frames also unpicks the "control" kind, so the bar never contradicts itself. */
  setHideControl(hide: boolean): void;
  /** The payload size range in bytes (null: open at that end). */
  setSizeRange(minSize: number | null, maxSize: number | null): void;
  sizeError(): string | null;
  /** Only frames whose decoded field (event, destination, topic, operation) has a value. */
  setDecodedField(field: LogFilter['decodedField']): void;
  /** Only the frames of one conversation (null: every frame again). */
  followConversation(conversation: LogFilter['conversation']): void;
  setSearch(query: string): void;
  setSearchMode(mode: SearchMode): void;
  /** Text, hex or base64: kept for the tab when the search is cleared. */
  setPayloadAs(payloadAs: PayloadAs): void;
  setCaseSensitive(caseSensitive: boolean): void;
  setOnlyMatches(only: boolean): void;
  clearFilters(): void;
  /** Removes what one chip stands for. */
  removeChip(chip: ChipId): void;
  nextMatch(): void;
  previousMatch(): void;
  frameBySeq(seq: number): FrameSummary | undefined;
  /** Asks the engine for the summaries of these seqs that are neither cached nor on their way. */
  ensureFrames(seqs: readonly number[]): void;
  /** The rows on screen: kept in the cache while they are. */
  protectFrames(seqs: ReadonlySet<number>): void;
  /** Selects a frame (null clears); anything but the newest frame stops following. */
  select(seq: number | null): void;
  selectAndReveal(seq: number): void;
  /** Moves the selection by `delta` rows (clamped). Returns the new position. */
  moveSelection(delta: number): number;
  selectFirst(): number;
  selectLast(): number;
  /** Starts or stops following the live end; stopping remembers what the user had seen. */
  setFollow(follow: boolean): void;
  /**
   * Jumps to a frame by its number as shown (an import's own number from its file, else its seq);
   * returns whether a frame was selected (else `state.notice` says why).
   */
  goToSeq(seq: number): boolean;
  /** The frame's number as the user sees it: an import's own number from its file, else its seq. */
  numberOf(seq: number): number;
  clearNotice(): void;
  /** Clears the log's view (the engine keeps the frames). */
  clearView(): void;
  /** Freezes the log at the newest frame so far; capture goes on. */
  pause(): void;
  /** Lets the frames that came meanwhile in and follows the live end again. */
  resume(): void;
  setDetailTab(tab: DetailTab): void;
  /** Escape: no frame selected, and the detail pane is back on the statistics. */
  clearSelection(): void;
  /** Stops its searches and watchers (the session is gone). */
  dispose(): void;
}

/** What a view reads and asks of the rest of the renderer. */
export interface FrameLogDeps {
  /** The session's view (reactive), or null once it is gone. */
  session(): SessionView | null;
  /** The session's summary cache. */
  cache(): SummaryCache;
  /** Pages summaries from the engine into the cache. */
  fetchPage(fromSeq: number, limit: number): Promise<boolean>;
  /**
   * What the session decodes with (its choice, the protocol found, a schema), reactive: when it
   * changes, the decoded filters' matches are searched again (the engine stops a search under way).
   */
  decoding?(): string;
  /** An import's own frame numbers when they are not 1..n (shared/frame-numbers.ts): shown, and taken by Go to #. */
  numbers?(): FrameNumberLookup | undefined;
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

/** Reveal requests of every view count up together (a token is never reused). */
let lastRevealToken = 0;

export function createFrameLogView(sessionId: string, deps: FrameLogDeps): FrameLogView {
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
      remember: (frames) => deps.cache().putMany(frames),
    },
    () => {
      state.indexVersion += 1;
    },
  );
  const made = scope.run(() => {
    const session = computed(() => deps.session());
    const searchOk = computed(() => hasSearch(state.search) && searchProblem(state.search) === null);
    /**
     * The engine refused the search (a JSONPath only it parses): the search is not applied, as
     * one the renderer refuses at once is not: no chip, "only matches" does not empty the log.
     * Read after each job change (indexVersion); the search's own job is kept, so it is not asked again.
     */
    const engineRefused = computed(() => {
      void state.indexVersion;
      return searchOk.value && (runner.job('search')?.error ?? null) !== null;
    });
    const listFilter = computed<EngineFilter | null>(() => {
      const narrowing = isNarrowing(state.filter);
      if (state.onlyMatches && searchOk.value && !engineRefused.value) return toEngineFilter(state.filter, state.search);
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

    const listRef = computed<LogList>(() => {
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

    // A search the engine refused is left out like one refused here (filterChips drops those).
    const chips = computed(() => filterChips(state.filter, engineRefused.value ? { ...state.search, query: '' } : state.search, state.onlyMatches));

    const newBelow = computed(() => {
      if (state.follow) return 0;
      const l = listRef.value;
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
    // Decoded criteria answered with another decoding: their matches are found again, none kept.
    watch(
      () => deps.decoding?.(),
      () => {
        runner.restartDecoded();
        state.indexVersion += 1;
      },
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
        if (state.pendingStep !== null) stepMatch(state.pendingStep);
      },
    );
    return { listFilter, list: listRef, matches, chips, newBelow, cleared, pausedNew };
  });
  if (!made) throw new Error('frame view scope did not run');
  const { list: listRef, matches } = made;


// ---- filter ---------------------------------------------------------------------------

function filterChanged(): void {
  state.notice = null;
  state.pendingStep = null;
}

function setDirection(direction: DirectionFilter): void {
  state.filter.direction = direction;
  filterChanged();
}

/** Picks or unpicks a kind. Picking "control" shows control frames even if they were hidden. */
function toggleKind(kind: FrameKind): void {
  const filter = state.filter;
  if (filter.kinds.includes(kind)) {
    filter.kinds = filter.kinds.filter((k) => k !== kind);
  } else {
    filter.kinds = [...filter.kinds, kind];
    if (kind === 'control') filter.hideControl = false;
  }
  filterChanged();
}

/** Hiding control frames also unpicks the "control" kind, so the bar never contradicts itself. */
function setHideControl(hide: boolean): void {
  const filter = state.filter;
  filter.hideControl = hide;
  if (hide) filter.kinds = filter.kinds.filter((k) => k !== 'control');
  filterChanged();
}

/** The payload size range in bytes (null: open at that end). */
function setSizeRange(minSize: number | null, maxSize: number | null): void {
  const filter = state.filter;
  filter.minSize = minSize;
  filter.maxSize = maxSize;
  filterChanged();
}

function sizeError(): string | null {
  return sizeProblem(state.filter);
}

// ---- search ---------------------------------------------------------------------------

function setSearch(query: string): void {
  state.search.query = query;
  filterChanged();
}

function setSearchMode(mode: SearchMode): void {
  state.search.mode = mode;
  filterChanged();
}

/** Text, hex or base64: kept for the tab when the search is cleared. */
function setPayloadAs(payloadAs: PayloadAs): void {
  state.search.payloadAs = payloadAs;
  filterChanged();
}

function setCaseSensitive(caseSensitive: boolean): void {
  state.search.caseSensitive = caseSensitive;
  filterChanged();
}

function setOnlyMatches(only: boolean): void {
  state.onlyMatches = only;
  filterChanged();
}

function clearFilters(): void {
  state.filter = defaultFilter();
  state.search = { ...emptySearch(), payloadAs: state.search.payloadAs ?? 'text' };
  state.onlyMatches = false;
  filterChanged();
}

/** Removes what one chip stands for. */
function removeChip(chip: ChipId): void {
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
    case 'decodedField':
      state.filter.decodedField = null;
      break;
    case 'conversation':
      state.filter.conversation = null;
      break;
  }
  filterChanged();
}

/** Only frames whose decoded field has this value (null, or an empty value: no such filter). */
function setDecodedField(field: LogFilter['decodedField']): void {
  state.filter.decodedField = field;
  filterChanged();
}

/** Follow this conversation (null: stop): the log shows one request and its answers. */
function followConversation(conversation: LogFilter['conversation']): void {
  state.filter.conversation = conversation;
  filterChanged();
}

/**
 * Steps to the next (1) or previous (-1) match from the selection, or from the top of the
 * view when nothing is selected; wraps around at the ends. Waits for the engine when the
 * match is beyond what it has found so far.
 */
function stepMatch(direction: 1 | -1): void {
      const job = runner.job('search');
  if (!job || !matches.value.active || job.error !== null) {
    // A step that was waiting ("Searching…") ends with the search: its error says why.
    if (state.pendingStep !== null && state.notice === 'Searching…') state.notice = null;
    state.pendingStep = null;
    return;
  }
  const index = job.index;
  const selected = state.selectedSeq;
  const from = selected ?? (direction > 0 ? (view.topSeq ?? 1) - 1 : (view.topSeq ?? 1));
  const complete = matches.value.complete;
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
  selectAndReveal(target);
}

function nextMatch(): void {
  stepMatch(1);
}

function previousMatch(): void {
  stepMatch(-1);
}

// ---- frames by position ---------------------------------------------------------------

function frameBySeq(seq: number): FrameSummary | undefined {
  return deps.cache().get(seq);
}

/** Asks the engine for the summaries of these seqs that are neither cached nor on their way. */
function ensureFrames(seqs: readonly number[]): void {
  const plans = deps.cache().planFetch(seqs);
  for (const plan of plans) void deps.fetchPage(plan.fromSeq, plan.limit);
}

/** The rows on screen: kept in the cache while they are. */
function protectFrames(seqs: ReadonlySet<number>): void {
  deps.cache().protect(seqs);
}

// ---- selection and following ----------------------------------------------------------

/**
 * Selects a frame (null clears). Selecting anything but the newest frame stops following,
 * so the row the user is reading does not scroll away under the next batch.
 */
function select(seq: number | null): void {
      state.selectedSeq = seq;
  if (seq === null) return;
  state.detailTab = 'frame';
  // A frame past the pause (a search step, Go to) is asked for: the log goes live again to show it.
  if (state.pausedSeq !== null && seq > state.pausedSeq) state.pausedSeq = null;
  const list = listRef.value;
  setFollow(list.count > 0 && list.seqAt(list.count - 1) === seq);
}

function selectAndReveal(seq: number): void {
  select(seq);
  lastRevealToken += 1;
  state.reveal = { seq, token: lastRevealToken };
}

/** Moves the selection by `delta` rows (clamped). Returns the new position. */
function moveSelection(delta: number): number {
      const list = listRef.value;
  if (list.count === 0) return -1;
  const current = state.selectedSeq;
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
  select(list.seqAt(position) ?? null);
  return position;
}

function selectFirst(): number {
  const list = listRef.value;
  if (list.count === 0) return -1;
  select(list.seqAt(0) ?? null);
  return 0;
}

function selectLast(): number {
  const list = listRef.value;
  if (list.count === 0) return -1;
  select(list.seqAt(list.count - 1) ?? null);
  return list.count - 1;
}

/** Starts or stops following the live end; stopping remembers what the user had seen. */
function setFollow(follow: boolean): void {
      if (state.follow === follow) return;
  // The newest frame that had arrived, not the list's last row: a filter or search still
  // indexing (Only matches) has not listed them all yet, and those are no news when it does.
  if (!follow) state.seenSeq = deps.session()?.lastSeq ?? 0;
  state.follow = follow;
}

/** The frame's number as the user sees it (an import's own number from its file, else its seq). */
function numberOf(seq: number): number {
  return deps.numbers?.()?.numberOf(seq) ?? seq;
}

/** `#57`: a frame as the user sees it numbered. */
function label(seq: number): string {
  return `#${formatCount(numberOf(seq))}`;
}

/** `#58 is not in this file: the nearest are #57 and #300.` */
function notInFile(number: number, numbers: FrameNumberLookup): string {
  const { before, after } = numbers.nearest(number);
  const near = [before, after].flatMap((n) => (n === undefined ? [] : [`#${formatCount(n)}`]));
  return `#${formatCount(number)} is not in this file: the nearest ${near.length === 1 ? 'is' : 'are'} ${near.join(' and ')}.`;
}

/**
 * Jumps to a frame by its number as shown (an import's own number from its file, else its seq):
 * selects it and brings it into view. A frame the filters hide
 * gives way to the next one shown; a dropped or future one is explained. Returns whether a
 * frame was selected.
 */
function goToSeq(typed: number): boolean {
  const session = deps.session();
  const first = session?.firstSeq ?? 0;
  const last = session?.lastSeq ?? 0;
  if (!Number.isInteger(typed) || typed < 1) {
    state.notice = 'Enter a frame number: 1 or more.';
    return false;
  }
  // An import numbered as its file was: the typed number is the file's, found back as a seq.
  const numbers = deps.numbers?.();
  const found = numbers ? numbers.seqOf(typed) : typed;
  if (numbers && found === undefined) {
    state.notice = notInFile(typed, numbers);
    return false;
  }
  const seq = found ?? typed;
  if (last === 0) {
    state.notice = 'There are no frames yet.';
    return false;
  }
  if (seq > last) {
    state.notice = `${label(seq)} has not arrived yet: the newest frame is ${label(last)}.`;
    return false;
  }
  let target = seq;
  let notice: string | null = null;
  if (seq < first) {
    target = first;
    notice = `${label(seq)} was dropped: the engine keeps a bounded history, and its oldest frame is ${label(first)}.`;
  }
  if (target <= state.clearedSeq) {
    if (state.clearedSeq >= last) {
      state.notice = `${label(seq)} was cleared from the log (Export still includes it), and no frame has come since.`;
      return false;
    }
    notice = `${label(seq)} was cleared from the log (Export still includes it): showing ${label(state.clearedSeq + 1)}, the first frame after the clear.`;
    target = state.clearedSeq + 1;
  }
  // A frame past the pause is asked for: the log goes live again to show it.
  if (state.pausedSeq !== null && target > state.pausedSeq) resume();
  const list = listRef.value;
  if (list.positionOf(target) < 0) {
    const next = list.seqAt(list.lowerBound(target));
    if (next === undefined) {
      state.notice = list.building
        ? `${label(target)} is not in the filtered list yet: the filter is still being applied.`
        : `No frame from ${label(target)} on is shown with these filters.`;
      return false;
    }
    notice = `${notice ? `${notice} ` : ''}${label(target)} is hidden by the filters: showing ${label(next)}, the next frame shown.`;
    target = next;
  }
  selectAndReveal(target);
  state.notice = notice;
  return true;
}

function clearNotice(): void {
  state.notice = null;
}

// ---- clear, pause, the detail pane ----------------------------------------------------

/**
 * Clears the log's view: every frame captured so far leaves the log (and the filters', the
 * search's and Go to's reach); the engine keeps them, so Export still writes them and the
 * statistics still count them. A paused log stays paused, from now.
 */
function clearView(): void {
      const last = deps.session()?.lastSeq ?? 0;
  if (last <= state.clearedSeq) return;
  state.clearedSeq = last;
  if (state.pausedSeq !== null) state.pausedSeq = last;
  state.selectedSeq = null;
  state.detailTab = 'stats';
  state.notice = null;
  state.pendingStep = null;
  state.follow = true;
  // At once (the range watcher runs later): a filter set right after starts past the clear.
  runner.setRange(last + 1, last);
  state.indexVersion += 1;
}

/** Freezes the log at the newest frame so far; capture, counters and statistics go on. */
function pause(): void {
  if (state.pausedSeq !== null) return;
  state.pausedSeq = deps.session()?.lastSeq ?? 0;
}

/** Lets the frames that came meanwhile in and follows the live end again. */
function resume(): void {
  if (state.pausedSeq === null) return;
  state.pausedSeq = null;
  setFollow(true);
}

function setDetailTab(tab: DetailTab): void {
  state.detailTab = tab;
}

/** Escape: no frame selected, and the detail pane is back on the statistics. */
function clearSelection(): void {
  state.selectedSeq = null;
  state.detailTab = 'stats';
}


  function dispose(): void {
    runner.dispose();
    scope.stop();
  }

  const view: FrameLogView = {
    sessionId,
    state,
    ...made,
    topSeq: null,
    runner,
    scope,
    setDirection,
    toggleKind,
    setHideControl,
    setSizeRange,
    setDecodedField,
    followConversation,
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
    numberOf,
    clearNotice,
    clearView,
    pause,
    resume,
    setDetailTab,
    clearSelection,
    dispose,
  };
  return view;
}
