/**
 * One paged search over a session's store: scans in time slices (`sliceMs`), yielding to the
 * event loop between them so the socket, the UI and other commands keep running, checks for
 * cancellation at each yield (by the caller, or its decoded criteria gone stale: the session's
 * decode choice changed), and stops after `maxDurationMs` with a cursor to continue.
 *
 * The range is fixed when the search starts (up to the newest frame then); frames evicted
 * while it runs are skipped.
 */
import type { FrameSummary } from '../../shared/model';
import type { SearchResult } from '../../shared/search';
import type { FrameStore } from '../session/frame-store';
import type { CompiledFilter } from './compile-filter';
import { FrameScanner, type ScanCursor } from './frame-scanner';

export interface SearchPlan {
  searchId: string;
  fromSeq?: number;
  backward?: boolean;
  limit: number;
  countAll?: boolean;
}

export interface SearchControl {
  /** Polled between slices. */
  cancelled(): boolean;
  sliceMs?: number;
  maxDurationMs?: number;
}

const DEFAULT_SLICE_MS = 12;
const DEFAULT_MAX_SEARCH_MS = 60_000;
/** Frames the decoded criteria's walk decodes between looks at the clock. */
const WALK_STRETCH = 2048;

export async function searchFrames(store: FrameStore, filter: CompiledFilter, plan: SearchPlan, control: SearchControl): Promise<SearchResult> {
  const started = performance.now();
  const sliceMs = control.sliceMs ?? DEFAULT_SLICE_MS;
  const maxDurationMs = control.maxDurationMs ?? DEFAULT_MAX_SEARCH_MS;
  const backward = plan.backward === true;
  const scanner = new FrameScanner(store, filter);
  const cursor: ScanCursor = backward
    ? { next: plan.fromSeq ?? store.lastSeq, end: 1, backward }
    : { next: plan.fromSeq ?? 1, end: store.lastSeq, backward };

  const matches: FrameSummary[] = [];
  let total = 0;
  let pageFull = false;
  let nextSeq: number | null = null;
  let cancelled = false;
  let finished = false;
  const step = backward ? -1 : 1;

  const onMatch = (seq: number): boolean => {
    total += 1;
    if (pageFull) return true;
    const summary = store.summary(seq);
    if (summary) matches.push(summary);
    if (matches.length >= plan.limit) {
      pageFull = true;
      const after = seq + step;
      nextSeq = backward ? (after >= 1 ? after : null) : after <= cursor.end ? after : null;
      return plan.countAll === true;
    }
    return true;
  };

  const walkTowards = filter.decoded?.walkTowards;
  const stale = filter.decoded?.stale;
  let walked = walkTowards === undefined;
  for (;;) {
    // The decoded criteria's decoding was replaced between slices (another decode choice): the
    // rest would be the old choice's, so the search ends cancelled and the caller searches again.
    if (control.cancelled() || stale?.() === true) {
      cancelled = true;
      break;
    }
    if (!walked && walkTowards) {
      // The decoded criteria's walk reaches the first frame to test, a slice at a time.
      const slice = performance.now();
      do walked = walkTowards(cursor.next, WALK_STRETCH);
      while (!walked && performance.now() - slice < sliceMs);
    }
    const status = walked ? scanner.run(cursor, sliceMs, onMatch) : 'paused';
    if (status === 'done') {
      finished = true;
      break;
    }
    if (status === 'stopped') break;
    if (performance.now() - started >= maxDurationMs) {
      // Out of time: hand back a cursor (the page's, or where the scan got to).
      if (!pageFull) nextSeq = cursor.next;
      break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  const result: SearchResult = {
    searchId: plan.searchId,
    matches,
    nextSeq,
    scanned: scanner.scanned,
    cancelled,
    elapsedMs: performance.now() - started,
    firstSeq: store.firstSeq,
    lastSeq: store.lastSeq,
    dropped: store.dropped,
  };
  if (plan.countAll === true && finished && !cancelled) result.total = total;
  return result;
}
