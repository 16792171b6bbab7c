/**
 * What a message's answer becomes once the session has ended. A message that leaves a protocol
 * frame under way (part of an MQTT packet) is answered "so far": nothing says at that message
 * whether more will come. When the session has ended (its store sealed: nothing more is
 * recorded) and no later message (text, binary or close) came in that direction, the rest never
 * came, and the answer says so instead.
 *
 * The decoder gives both answers when it reads the message (`ifEnded`, on the answer that holds
 * while the session may go on), so the one shown is picked when the answer is read, not when it
 * was decoded: the caches, checkpoints and walks keep one answer per frame whichever way it was
 * reached, and none of them can keep the "so far" of a frame after the end is known. The
 * decoder's state after the message is the same either way (only the words differ), so
 * checkpoints and the searches' walks are untouched. `ifEnded` has the decoded fields
 * (decoded-fields.ts) of the answer it stands for (MQTT: part of a packet has none either way,
 * whole packets keep their value), so the fields' index, built from the answers as decoded, holds
 * for both; a query or conversation test is asked again of a frame that ends its direction
 * (StoreDecoding.inOrderMatcher).
 *
 * A reconnecting connection's attempt ends the same way (attempt-boundaries.ts): the next attempt
 * is a new connection whose decoders start afresh, so the rest of what an attempt's last message
 * of a direction left under way never comes either, and its answer is `ifEnded` too, once the
 * attempt has ended (its frames were all recorded before the boundary was known).
 */
import type { AttemptBoundaries } from './attempt-boundaries';
import { OPCODE_LIST, OUT_BIT, type FrameScanView } from '../session/frame-store';
import type { DecodeOutcome } from './decoded-frame';
import { isUnread, type UnreadOutcome } from './unread-answers';
import { isWithoutEvicted, type EvictedOutcome } from './without-evicted';

/** An answer that holds while more may come in its direction, with what it is once the session ended without more. */
export type EndAwareOutcome = DecodeOutcome & { readonly ifEnded: DecodeOutcome };

/** `outcome`, with what it becomes when the session ends with nothing more in its direction. */
export function withIfEnded(outcome: DecodeOutcome, ifEnded: DecodeOutcome): EndAwareOutcome {
  return { ...outcome, ifEnded };
}

export function isEndAware(outcome: DecodeOutcome | undefined): outcome is EndAwareOutcome {
  return outcome !== undefined && 'ifEnded' in outcome;
}

/**
 * The answer once the session ended with this message the last of its direction: `ifEnded`, with
 * the marks the cache put on the answer (unread, withoutEvicted) kept; any other answer as it is.
 */
export function endedAnswer(outcome: DecodeOutcome): DecodeOutcome {
  if (!isEndAware(outcome)) return outcome;
  let answer: DecodeOutcome = outcome.ifEnded;
  if (isUnread(outcome)) {
    const marked: UnreadOutcome = { ...answer, unread: outcome.unread };
    answer = marked;
  }
  if (isWithoutEvicted(outcome)) {
    const marked: EvictedOutcome = { ...answer, withoutEvicted: outcome.withoutEvicted };
    answer = marked;
  }
  return answer;
}

/** What SessionEnd reads of a session's store. */
export interface EndingFrames {
  entry(seq: number): { readonly dir: 'in' | 'out'; readonly opcode: string } | undefined;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** The seq of the newest frame ever appended, stored or not (FrameStore). */
  readonly lastAssignedSeq?: number;
  /** The session ended and nothing was appended since (FrameStore.seal). Absent: never known. */
  readonly sealed?: boolean;
  /** The store's ring (FrameStore): read without an object per frame. */
  scanView?(): Pick<FrameScanView, 'firstSeq' | 'lastSeq' | 'head' | 'capacity' | 'meta'>;
}

/** The opcode's bits of a ring slot's meta byte (the rest is OUT_BIT). */
const OPCODE_BITS = 0x7f;

/** A message a decoder reads: text, binary, or a close (which may cut short what was under way). */
function isMessage(opcode: string): boolean {
  return opcode === 'text' || opcode === 'binary' || opcode === 'close';
}

/**
 * Which frames end their direction of a session that has ended: the last message of each
 * direction, found once (from the newest frame back) and again only when the store changed.
 */
export class SessionEnd {
  private known: { firstSeq: number; lastSeq: number; last: Set<number> } | undefined;
  /** Each ended attempt's last messages, by its afterSeq (they never change: its frames came before its end). */
  private readonly attemptLast = new Map<number, Set<number>>();

  constructor(
    private readonly frames: EndingFrames,
    /** A reconnecting connection's attempts: each one's end is an end too. */
    private readonly boundaries?: AttemptBoundaries,
  ) {}

  /** Whether the session has ended with nothing recorded after its stored frames. */
  get ended(): boolean {
    const frames = this.frames;
    // Frames lost at the end (not stored): what they were is not known, so nothing is said.
    return frames.sealed === true && (frames.lastAssignedSeq === undefined || frames.lastAssignedSeq === frames.lastSeq);
  }

  /** Whether the session (or `seq`'s attempt) has ended and `seq` is the last message of its direction in it. */
  endsItsDirection(seq: number): boolean {
    if (this.ended && this.lastMessages().has(seq)) return true;
    const attempt = this.boundaries?.endedAttemptOf(seq);
    return attempt !== undefined && this.lastOfAttempt(attempt.from, attempt.afterSeq).has(seq);
  }

  /** The last message of each direction among the stored frames in [from, afterSeq]. */
  private lastOfAttempt(from: number, afterSeq: number): Set<number> {
    const known = this.attemptLast.get(afterSeq);
    if (known) return known;
    const last = this.scanBack(Math.min(afterSeq, this.frames.lastSeq), Math.max(from, 1, this.frames.firstSeq));
    // Bounded: an unlimited reconnect may end thousands of attempts (found again when asked).
    if (this.attemptLast.size >= 256) this.attemptLast.clear();
    this.attemptLast.set(afterSeq, last);
    return last;
  }

  /** The answer of frame `seq` as it stands now (endedAnswer when it ends its direction of an ended session). */
  settle(seq: number, outcome: DecodeOutcome | undefined): DecodeOutcome | undefined {
    return isEndAware(outcome) && this.endsItsDirection(seq) ? endedAnswer(outcome) : outcome;
  }

  private lastMessages(): Set<number> {
    const { firstSeq, lastSeq } = this.frames;
    const known = this.known;
    if (known && known.firstSeq === firstSeq && known.lastSeq === lastSeq) return known.last;
    const last = this.scanBack(lastSeq, Math.max(1, firstSeq));
    this.known = { firstSeq, lastSeq, last };
    return last;
  }

  /** The last message of each direction from `fromSeq` back to `toSeq`. */
  private scanBack(fromSeq: number, toSeq: number): Set<number> {
    const last = new Set<number>();
    const found = { in: false, out: false };
    // From the ring's meta bytes where the store has them: a direction with no message in a
    // million frames is scanned in milliseconds, not by building a million entries.
    const view = this.frames.scanView?.();
    for (let seq = fromSeq; seq >= toSeq && !(found.in && found.out); seq--) {
      let dir: 'in' | 'out';
      let opcode: string;
      if (view && seq >= view.firstSeq && seq <= view.lastSeq) {
        const meta = view.meta[(view.head + seq - view.firstSeq) % view.capacity] ?? 0;
        dir = (meta & OUT_BIT) !== 0 ? 'out' : 'in';
        opcode = OPCODE_LIST[meta & OPCODE_BITS] ?? 'binary';
      } else {
        const frame = this.frames.entry(seq);
        if (!frame) continue;
        ({ dir, opcode } = frame);
      }
      if (!isMessage(opcode) || found[dir]) continue;
      found[dir] = true;
      last.add(seq);
    }
    return last;
  }
}
