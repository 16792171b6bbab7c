/**
 * How each session's frame log is being looked at: its filter, the selected frame, and
 * whether the log follows the live end. The filtered list is a computed per session that
 * tracks the sessions store's `framesVersion` and updates incrementally (see frame-filter.ts).
 */
import { defineStore } from 'pinia';
import { computed, effectScope, markRaw, reactive, watch, type ComputedRef, type EffectScope } from 'vue';
import type { FrameSummary } from '../../../src-main/shared/model';
import {
  compileFilter,
  defaultFilter,
  FilteredIndex,
  findFrame,
  lowerBound,
  type CompiledFilter,
  type DirectionFilter,
  type FrameFilter,
  type FrameKind,
} from './frame-filter';
import { useSessionsStore } from './sessions-store';

export interface FrameViewState {
  filter: FrameFilter;
  selectedSeq: number | null;
  /** The log scrolls with new frames. */
  follow: boolean;
  /** The last matching seq the user had seen when they left the live end. */
  seenSeq: number;
}

/** A snapshot handed to the UI; a new object on every change, `seqs` shared and raw. */
export interface FilteredFrames {
  seqs: readonly number[];
  count: number;
  /** All frames the renderer holds for the session, before filtering. */
  total: number;
  /** Frames the last update had to test (small when only new frames arrived). */
  examined: number;
}

export interface FrameLogView {
  readonly sessionId: string;
  readonly state: FrameViewState;
  readonly compiled: ComputedRef<CompiledFilter>;
  readonly filtered: ComputedRef<FilteredFrames>;
  /** Matching frames that arrived below the view since the user scrolled away from the end. */
  readonly newBelow: ComputedRef<number>;
  readonly scope: EffectScope;
}

export const useFrameViewStore = defineStore('frame-view', () => {
  const sessions = useSessionsStore();
  // Plain map: a view is created on first use (possibly during a render) and never replaced.
  const views = new Map<string, FrameLogView>();

  function createView(sessionId: string): FrameLogView {
    const scope = effectScope(true);
    const made = scope.run(() => {
      const state = reactive<FrameViewState>({ filter: defaultFilter(), selectedSeq: null, follow: true, seenSeq: 0 });
      const index = new FilteredIndex();
      const compiled = computed(() => compileFilter(state.filter));
      const filtered = computed<FilteredFrames>(() => {
        // Read the version first: it is what tells us the plain frame array changed.
        void sessions.sessions.get(sessionId)?.framesVersion;
        const frames = sessions.framesOf(sessionId);
        index.sync(frames, compiled.value);
        return markRaw({ seqs: index.seqs, count: index.seqs.length, total: frames.length, examined: index.examined });
      });
      const newBelow = computed(() => {
        if (state.follow) return 0;
        const seqs = filtered.value.seqs;
        return seqs.length - lowerBound(seqs, state.seenSeq + 1);
      });
      return { sessionId, state, compiled, filtered, newBelow, scope };
    });
    if (!made) throw new Error('frame view scope did not run');
    return made;
  }

  function viewOf(sessionId: string): FrameLogView {
    let view = views.get(sessionId);
    if (!view) {
      view = createView(sessionId);
      views.set(sessionId, view);
    }
    return view;
  }

  // Forget the views of sessions that are gone, so their indexes do not linger.
  watch(
    () => [...sessions.sessions.keys()],
    (ids) => {
      const alive = new Set(ids);
      for (const [id, view] of views) {
        if (!alive.has(id)) {
          view.scope.stop();
          views.delete(id);
        }
      }
    },
  );

  // ---- filter ---------------------------------------------------------------------------

  function setDirection(sessionId: string, direction: DirectionFilter): void {
    viewOf(sessionId).state.filter.direction = direction;
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
  }

  /** Hiding control frames also unpicks the "control" kind, so the bar never contradicts itself. */
  function setHideControl(sessionId: string, hide: boolean): void {
    const filter = viewOf(sessionId).state.filter;
    filter.hideControl = hide;
    if (hide) filter.kinds = filter.kinds.filter((k) => k !== 'control');
  }

  function setQuery(sessionId: string, query: string): void {
    viewOf(sessionId).state.filter.query = query;
  }

  function setRegex(sessionId: string, regex: boolean): void {
    viewOf(sessionId).state.filter.regex = regex;
  }

  function setCaseSensitive(sessionId: string, caseSensitive: boolean): void {
    viewOf(sessionId).state.filter.caseSensitive = caseSensitive;
  }

  function clearFilters(sessionId: string): void {
    viewOf(sessionId).state.filter = defaultFilter();
  }

  // ---- frames by position ---------------------------------------------------------------

  function frameBySeq(sessionId: string, seq: number): FrameSummary | undefined {
    return findFrame(sessions.framesOf(sessionId), seq);
  }

  /** The frame at a position of the filtered list. */
  function frameAt(sessionId: string, position: number): FrameSummary | undefined {
    const seq = viewOf(sessionId).filtered.value.seqs[position];
    return seq === undefined ? undefined : frameBySeq(sessionId, seq);
  }

  /** Position of a seq in the filtered list, or -1 when it is filtered out or gone. */
  function positionOf(sessionId: string, seq: number): number {
    const seqs = viewOf(sessionId).filtered.value.seqs;
    const at = lowerBound(seqs, seq);
    return seqs[at] === seq ? at : -1;
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
    const seqs = view.filtered.value.seqs;
    setFollow(sessionId, seqs.length > 0 && seqs[seqs.length - 1] === seq);
  }

  /** Moves the selection by `delta` rows of the filtered list (clamped). Returns the new position. */
  function moveSelection(sessionId: string, delta: number): number {
    const view = viewOf(sessionId);
    const seqs = view.filtered.value.seqs;
    if (seqs.length === 0) return -1;
    const current = view.state.selectedSeq;
    let position: number;
    if (current === null) {
      position = delta >= 0 ? 0 : seqs.length - 1;
    } else {
      const at = lowerBound(seqs, current);
      // A selection that is filtered out moves from where it would sit.
      const base = seqs[at] === current ? at : delta > 0 ? at - 1 : at;
      position = Math.min(seqs.length - 1, Math.max(0, base + delta));
    }
    select(sessionId, seqs[position] ?? null);
    return position;
  }

  function selectFirst(sessionId: string): number {
    const seqs = viewOf(sessionId).filtered.value.seqs;
    if (seqs.length === 0) return -1;
    select(sessionId, seqs[0] ?? null);
    return 0;
  }

  function selectLast(sessionId: string): number {
    const seqs = viewOf(sessionId).filtered.value.seqs;
    if (seqs.length === 0) return -1;
    select(sessionId, seqs[seqs.length - 1] ?? null);
    return seqs.length - 1;
  }

  /** Starts or stops following the live end; stopping remembers what the user had seen. */
  function setFollow(sessionId: string, follow: boolean): void {
    const view = viewOf(sessionId);
    if (view.state.follow === follow) return;
    if (!follow) {
      const seqs = view.filtered.value.seqs;
      view.state.seenSeq = seqs[seqs.length - 1] ?? 0;
    }
    view.state.follow = follow;
  }

  return {
    viewOf,
    setDirection,
    toggleKind,
    setHideControl,
    setQuery,
    setRegex,
    setCaseSensitive,
    clearFilters,
    frameBySeq,
    frameAt,
    positionOf,
    select,
    moveSelection,
    selectFirst,
    selectLast,
    setFollow,
  };
});
