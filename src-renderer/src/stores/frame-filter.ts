/**
 * Which frames the log shows: the filter a user sets (direction, types, control frames,
 * search) compiled into one predicate, and an index of the matching seqs that is kept up to
 * date incrementally. A stream appends to the end and trims the front; only those edges are
 * looked at, so a batch of 50 frames costs 50 tests, not 200,000.
 */
import type { FrameSummary, Opcode } from '../../../src-main/shared/model';

export type DirectionFilter = 'all' | 'in' | 'out';
export type FrameKind = 'text' | 'binary' | 'control';
export const FRAME_KINDS: readonly FrameKind[] = ['text', 'binary', 'control'];

export interface FrameFilter {
  direction: DirectionFilter;
  /** Kinds picked in the filter bar; none picked means every kind. */
  kinds: FrameKind[];
  /** Hides ping, pong and close frames. */
  hideControl: boolean;
  query: string;
  /** The query is a regular expression (JavaScript syntax) rather than plain text. */
  regex: boolean;
  caseSensitive: boolean;
}

export function defaultFilter(): FrameFilter {
  return { direction: 'all', kinds: [], hideControl: false, query: '', regex: false, caseSensitive: false };
}

export function kindOf(opcode: Opcode): FrameKind {
  return opcode === 'text' ? 'text' : opcode === 'binary' ? 'binary' : 'control';
}

export interface CompiledFilter {
  /** Equal keys select the same frames: the index reuses its work while the key holds. */
  key: string;
  test(frame: FrameSummary): boolean;
  /** Why the search is not applied (an invalid regular expression), in words. */
  searchError: string | null;
  /** The search narrows the log. */
  searching: boolean;
  /** Anything at all narrows the log. */
  narrowing: boolean;
}

/** The text the search looks at: the preview (capped by the engine) and a close's code and reason. */
export function searchableText(frame: FrameSummary): string {
  if (frame.opcode !== 'close') return frame.preview;
  const code = frame.closeCode === undefined ? '' : String(frame.closeCode);
  return `${code} ${frame.closeReason ?? frame.preview}`;
}

/** `Invalid regular expression: /(/: Unterminated group` → `Unterminated group`. */
function regexProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const detail = /: ([^:]+)$/.exec(message)?.[1] ?? message;
  return `Invalid regular expression: ${detail}`;
}

function compileSearch(filter: FrameFilter): { match: ((text: string) => boolean) | null; error: string | null; key: string } {
  const query = filter.query;
  if (query === '') return { match: null, error: null, key: '' };
  if (filter.regex) {
    let pattern: RegExp;
    try {
      // No `g` flag: test() must not carry lastIndex from one frame to the next.
      pattern = new RegExp(query, filter.caseSensitive ? '' : 'i');
    } catch (error) {
      return { match: null, error: regexProblem(error), key: '' };
    }
    return { match: (text) => pattern.test(text), error: null, key: `re:${filter.caseSensitive ? 'c' : 'i'}:${query}` };
  }
  if (filter.caseSensitive) return { match: (text) => text.includes(query), error: null, key: `tx:c:${query}` };
  const needle = query.toLowerCase();
  return { match: (text) => text.toLowerCase().includes(needle), error: null, key: `tx:i:${needle}` };
}

export function compileFilter(filter: FrameFilter): CompiledFilter {
  const kinds = new Set<FrameKind>(filter.kinds.length > 0 ? filter.kinds : FRAME_KINDS);
  if (filter.hideControl) kinds.delete('control');
  const direction = filter.direction;
  const search = compileSearch(filter);
  const match = search.match;
  const allKinds = kinds.size === FRAME_KINDS.length;
  const test = (frame: FrameSummary): boolean =>
    (direction === 'all' || frame.dir === direction) &&
    (allKinds || kinds.has(kindOf(frame.opcode))) &&
    (match === null || match(searchableText(frame)));
  const kindKey = FRAME_KINDS.filter((k) => kinds.has(k)).join(',');
  return {
    key: `${direction}|${kindKey}|${search.key}`,
    test,
    searchError: search.error,
    searching: match !== null,
    narrowing: direction !== 'all' || !allKinds || match !== null,
  };
}

/** First index whose value is >= target, in an ascending array. */
export function lowerBound(values: readonly number[], target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose frame has seq >= target (frames are in ascending seq order). */
export function lowerBoundBySeq(frames: readonly FrameSummary[], target: number): number {
  let lo = 0;
  let hi = frames.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((frames[mid]?.seq ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The frame with this seq, if the array still holds it. */
export function findFrame(frames: readonly FrameSummary[], seq: number): FrameSummary | undefined {
  const frame = frames[lowerBoundBySeq(frames, seq)];
  return frame?.seq === seq ? frame : undefined;
}

/**
 * The seqs of the frames that pass a filter, in order. `sync` brings it up to date with the
 * frame array: a full pass when the filter or the array changed, otherwise only the trimmed
 * front and the appended end.
 */
export class FilteredIndex {
  /** Matching seqs, ascending. Mutated in place. */
  readonly seqs: number[] = [];
  /** How many frames the last sync tested (tests and profiling look at it). */
  examined = 0;
  private source: readonly FrameSummary[] | null = null;
  private key: string | null = null;
  private lastSeq = 0;

  sync(frames: readonly FrameSummary[], filter: CompiledFilter): void {
    this.examined = 0;
    const last = frames[frames.length - 1];
    if (frames !== this.source || filter.key !== this.key || !last || last.seq < this.lastSeq) {
      this.rebuild(frames, filter);
      return;
    }
    const firstSeq = frames[0]?.seq ?? 0;
    const gone = lowerBound(this.seqs, firstSeq);
    if (gone > 0) this.seqs.splice(0, gone);
    if (last.seq > this.lastSeq) {
      for (let i = lowerBoundBySeq(frames, this.lastSeq + 1); i < frames.length; i++) {
        const frame = frames[i];
        if (!frame) continue;
        this.examined += 1;
        if (filter.test(frame)) this.seqs.push(frame.seq);
      }
      this.lastSeq = last.seq;
    }
  }

  private rebuild(frames: readonly FrameSummary[], filter: CompiledFilter): void {
    this.seqs.length = 0;
    for (const frame of frames) {
      this.examined += 1;
      if (filter.test(frame)) this.seqs.push(frame.seq);
    }
    this.source = frames;
    this.key = filter.key;
    this.lastSeq = frames[frames.length - 1]?.seq ?? 0;
  }
}
