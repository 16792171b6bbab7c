/**
 * Which frames an export writes: every stored frame, or the frames matching a filter (found
 * with the search scanner, in time slices that yield, like a search). A decoded filter's test is
 * bound to the session's decode choice of when the export began; when that choice changes between
 * slices (`DecodedTest.stale`, as a search stops), the export stops with DecodeChoiceChanged
 * rather than finish with the old choice's selection after the log shows the new one's. The test
 * turns stale too when the session is removed: that is looked at first (`removed`), so the export
 * says the session went away (SessionRemovedDuringExport), not that the choice changed.
 */
import type { FrameStore } from '../session/frame-store';
import type { CompiledFilter } from '../search/compile-filter';
import { FrameScanner } from '../search/frame-scanner';
import { SessionRemovedDuringExport, type SessionRemoval } from './session-removal';

export type FrameSelection = { kind: 'range'; from: number; to: number } | { kind: 'list'; seqs: number[] };

const SLICE_MS = 12;

/** The session's decode choice changed while an export's decoded filter selected its frames. */
export class DecodeChoiceChanged extends Error {
  constructor() {
    super('the decode choice changed during the export (its filter tests decoded frames, which now decode otherwise); export again to write what the log shows now');
    this.name = 'DecodeChoiceChanged';
  }
}

/** Throws SessionRemovedDuringExport when the session went away (`removed`: why, else undefined). */
export function stopIfRemoved(removed: (() => SessionRemoval | undefined) | undefined): void {
  const removal = removed?.();
  if (removal) throw new SessionRemovedDuringExport(removal);
}

export async function selectFrames(store: FrameStore, filter: CompiledFilter | undefined, removed?: () => SessionRemoval | undefined): Promise<FrameSelection> {
  if (!filter) return { kind: 'range', from: store.firstSeq, to: store.lastSeq };
  const seqs: number[] = [];
  if (store.lastSeq === 0) return { kind: 'list', seqs };
  const scanner = new FrameScanner(store, filter);
  const cursor = { next: store.firstSeq, end: store.lastSeq, backward: false };
  const collect = (seq: number): boolean => {
    seqs.push(seq);
    return true;
  };
  const stale = filter.decoded?.stale;
  for (;;) {
    stopIfRemoved(removed);
    if (stale?.() === true) throw new DecodeChoiceChanged();
    if (scanner.run(cursor, SLICE_MS, collect) === 'done') break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { kind: 'list', seqs };
}

export function* selectedSeqs(selection: FrameSelection): Generator<number> {
  if (selection.kind === 'list') {
    yield* selection.seqs;
    return;
  }
  if (selection.to === 0) return;
  for (let seq = selection.from; seq <= selection.to; seq++) yield seq;
}
