/**
 * Answers for frames too far from any exact start to walk to while the engine waits
 * (FrameDecodeCache.decodeAt, more than MAX_WALK_FRAMES away): each is decoded with only the
 * CONTEXT_FRAMES stored frames before it, by a walk of its own that goes on for the frames after
 * it, and flagged (`unread` {from, frames}: "decoded without the N frames before #S", as
 * shared/unread-note.ts words it where it is shown; the summary stays the decoder's). Honest,
 * never silently wrong; kept apart from the exact answers (bounded, oldest first) until the
 * cache's exact walk reaches them (`forget`). The cache's catch-up walks to every such frame
 * (ahead of its walk or behind it: frame-decode-cache.ts), so asked again later, it is exact.
 */
import type { DecodeOutcome, StreamDecoder, WireFrame } from './decoded-frame';
import { freshDecoder } from './fresh-decoder';

/** The stored frames a far frame is decoded with. */
export const CONTEXT_FRAMES = 64;
/** Marked answers kept. */
const UNREAD_ENTRIES = 2048;
/** The store numbers a session's frames from 1. */
const FIRST_SEQ = 1;

/** An answer decoded without the `frames` stored frames before `from` (not read yet: the frame was too far from any start). */
export type UnreadOutcome = DecodeOutcome & { readonly unread: { readonly from: number; readonly frames: number } };

export function isUnread(outcome: DecodeOutcome | undefined): outcome is UnreadOutcome {
  return outcome !== undefined && 'unread' in outcome;
}

/** undefined: the frame is not in the store (evicted, or not captured yet). */
type FrameReader = (seq: number) => WireFrame | undefined;

export class UnreadAnswers {
  private readonly answers = new Map<number, UnreadOutcome | null>();
  /** The walk that made them: started CONTEXT_FRAMES before a far frame, at `from`. */
  private walk: { decoder: StreamDecoder | undefined; next: number; from: number } | undefined;

  constructor(
    private readonly makeDecoder: () => StreamDecoder,
    private readonly readFrame: FrameReader,
    /** The oldest stored frame's seq. */
    private readonly firstSeq: () => number,
    /** Whether the cache holds an exact answer for a frame (then no marked one is kept). */
    private readonly isExact: (seq: number) => boolean,
  ) {}

  /**
   * `frame` (stored at `seq`) decoded with the CONTEXT_FRAMES before it, marked; every frame
   * walked is kept.
   */
  decode(seq: number, frame: WireFrame): UnreadOutcome | undefined {
    const kept = this.answers.get(seq);
    if (kept !== undefined) return kept ?? undefined;
    let walk = this.walk;
    if (!walk || seq < walk.next || seq - walk.next > CONTEXT_FRAMES) {
      const from = Math.max(FIRST_SEQ, this.firstSeq(), seq - CONTEXT_FRAMES);
      walk = { decoder: undefined, next: from, from };
      this.walk = walk;
    }
    const frames = walk.from - Math.max(FIRST_SEQ, this.firstSeq());
    let answer: UnreadOutcome | undefined;
    for (let s = walk.next; s <= seq; s++) {
      const read = s === seq ? frame : this.readFrame(s);
      walk.next = s + 1;
      if (!read) {
        walk.decoder = undefined;
        continue;
      }
      // Whole only from the session's first frame; from a far frame's context, or after a gap, midway.
      walk.decoder ??= freshDecoder(this.makeDecoder, s > FIRST_SEQ ? s : undefined);
      const outcome = walk.decoder.decode(read);
      const marked = outcome ? markUnread(outcome, walk.from, frames) : undefined;
      // Every frame walked is kept (a request looked for before an answer, rows next to it).
      if (!this.isExact(s)) {
        if (this.answers.size >= UNREAD_ENTRIES) this.answers.delete(this.answers.keys().next().value ?? -1);
        this.answers.set(s, marked ?? null);
      }
      if (s === seq) answer = marked;
    }
    return answer;
  }

  /** The frame now has an exact answer. */
  forget(seq: number): void {
    this.answers.delete(seq);
  }
}

/** Flagged: decoded without the `frames` stored frames before `from` (the summary stays the decoder's). */
function markUnread(outcome: DecodeOutcome, from: number, frames: number): UnreadOutcome {
  return { ...outcome, unread: { from, frames } };
}
