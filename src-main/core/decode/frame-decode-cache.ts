/**
 * Lazy decoding for one session: nothing is decoded when a frame is captured; a frame is decoded
 * when something asks for it (a row in view, the detail pane, search, export, a CLI line), and
 * the answer is kept in a cache bounded by count (the oldest answers go first).
 *
 * Protocols keep state across messages (a STOMP frame split in two, an MQTT packet spanning
 * messages, Socket.IO attachments, GraphQL ids, MQTT 5 topic aliases), so a frame is decoded by
 * a decoder that has read every stored frame before it in order. The walk goes forward in seq
 * order from where it last stopped (`next`), reading frames through `readFrame` (the store's
 * public API), and leaves checkpoints of its decoder's state behind it every so many frames
 * (decoder-checkpoints.ts). A frame is decoded exactly from the nearest start before it: the
 * walk's position, a checkpoint, or the oldest stored frame; a frame behind the walk whose answer
 * left the cache is decoded by a second decoder restored from the checkpoint before it, keeping
 * the answers of the frames around it so the rows next to it cost no other walk.
 *
 * A request answered synchronously must not walk for seconds: when the nearest start is more
 * than MAX_WALK_FRAMES before the frame (far ahead of the walk, e.g. the end of a big import),
 * the frame is decoded with only the CONTEXT_FRAMES before it and the answer says so
 * (unread-answers.ts): honest, never silently wrong. Such answers are not cached as exact and
 * not indexed; `catchUp` walks the exact walk
 * towards the furthest of them in bounded slices (StoreDecoding runs it between events), after
 * which the frame decodes exactly. A frame behind the walk can be that far too (checkpoints
 * thinned past MAX_WALK_FRAMES apart): `catchUp` then walks a decoder of its own from the
 * checkpoint before it, in the same slices, keeping the answers around it. Decoders that keep
 * nothing across messages decode any frame alone.
 *
 * After the store evicted its front, a walk starts afresh at the oldest stored frame (or after a
 * gap): until it takes a checkpoint of the whole session, its answers lack what the evicted frames
 * set, for good, and say so (without-evicted.ts).
 *
 * A reconnecting connection's attempts (attempt-boundaries.ts): every walk makes its decoder
 * afresh at an attempt's first frame (a new connection: its protocol starts again), lacking
 * nothing even after evicted frames; that frame is a start as good as a checkpoint, and one
 * before it is never walked past it with its state.
 */
import type { AttemptBoundaries } from './attempt-boundaries';
import type { DecodeOutcome, StreamDecoder, WireFrame } from './decoded-frame';
import { DecoderCheckpoints, restoredDecoder, type Checkpoint } from './decoder-checkpoints';
import { STATELESS_DECODERS } from './decoder-snapshot';
import { freshDecoder } from './fresh-decoder';
import type { DecodedKeyIndex } from './decoded-key-index';
import { UnreadAnswers } from './unread-answers';
import { markWithoutEvicted } from './without-evicted';

export { CONTEXT_FRAMES, isUnread, type UnreadOutcome } from './unread-answers';

export const DEFAULT_CACHE_ENTRIES = 10_000;
/**
 * The most frames one request walks (exactly, from the nearest start before the frame); further,
 * the frame is decoded with CONTEXT_FRAMES before it and marked. About 20–80 ms of decoding
 * (2.5–10 µs a frame: bench part 12).
 */
export const MAX_WALK_FRAMES = 8192;
/**
 * A walk again for a frame behind keeps the answers of up to this many frames either side of it
 * (the rows next to it; an answer's request is looked for up to 256 frames back), within half
 * the cache before it and a quarter after.
 */
export const REWALK_KEPT_FRAMES = 512;
/** The store numbers a session's frames from 1. */
const FIRST_SEQ = 1;
/** A walk behind the exact walk met a gap (sideStep). */
const GAP = Symbol('gap');
/** Places apart that one walk behind the exact walk goes to (more wait for the next walk, asked again). */
const BEHIND_RANGES = 64;

/** undefined: the frame is not in the store (evicted, or not captured yet). */
export type FrameReader = (seq: number) => WireFrame | undefined;

/** A decoder and the seq it reads next (a gap in the frames starts it afresh). */
interface Walk {
  /** undefined: a fresh one is made at the next frame. */
  decoder: StreamDecoder | undefined;
  next: number;
  /**
   * Where it started afresh after evicted frames (at the oldest stored frame, after a gap, or from
   * a checkpoint such a walk left); undefined: it read the whole session. Its answers say so
   * (without-evicted.ts), and it leaves no checkpoint before one that lies ahead (that one holds
   * more of the session, and a search's walk started afresh takes the first checkpoint it meets:
   * decoder-checkpoints.ts).
   */
  afreshFrom: number | undefined;
}

/**
 * A walk behind the exact walk (decodeBehind's, catchUp's walkBehind): its decoder, where it
 * started afresh, and the next checkpoint that holds more of the session than it (rejoinAfter),
 * which it takes on reaching it.
 */
interface SideWalk {
  decoder: StreamDecoder | undefined;
  afreshFrom: number | undefined;
  rejoin: Checkpoint | undefined;
}

/**
 * catchUp's walk towards frames behind the exact walk answered unread: from the start before the
 * first, keeping the answers of the frames around each (`kept`: ranges of seqs, ascending,
 * apart; the walk ends past the last).
 */
interface BehindWalk extends SideWalk {
  next: number;
  kept: [number, number][];
}

/** Where an exact decoder can start (the walk, a checkpoint, the oldest stored frame). */
interface Start {
  seq: number;
  decoder: () => StreamDecoder | undefined;
  afreshFrom: number | undefined;
}

export class FrameDecodeCache {
  private readonly cache = new Map<number, DecodeOutcome | null>();
  /** The exact in-order walk: its decoder has read every stored frame before `next` in order. */
  private readonly walk: Walk = { decoder: undefined, next: -1, afreshFrom: undefined };
  /** The cached seqs in the order they came (a ring of `limit`), and where the oldest is. */
  private readonly order: Float64Array;
  private oldest = 0;
  /** Answers decoded without the frames before them (unread-answers.ts), until the walk reaches them. */
  private readonly unread: UnreadAnswers | undefined;
  /** The furthest frame answered unread: where catchUp walks to. */
  private wanted = -1;
  /** A walk of catchUp's towards frames behind the exact walk answered unread (walkBehind). */
  private behind: BehindWalk | undefined;
  /** Whether the protocol keeps nothing across messages (known when the first decoder is made). */
  private stateless: boolean | undefined;
  /** A fresh decoder made to learn the protocol, used as the next fresh one. */
  private spare: StreamDecoder | undefined;
  /** decodeInOrder's decoder started afresh at this seq (inOrderAfreshFrom). */
  private inOrderFrom: number | undefined;

  constructor(
    private readonly makeDecoder: () => StreamDecoder,
    private readonly readFrame: FrameReader | undefined = undefined,
    private readonly limit = DEFAULT_CACHE_ENTRIES,
    /** Told every answer of the in-order walk (a search's compact index of decoded fields). */
    private readonly index: DecodedKeyIndex | undefined = undefined,
    /** The oldest stored frame's seq, where a walk with no checkpoint before its frame starts. */
    private readonly firstSeq: () => number = () => FIRST_SEQ,
    /** The session's checkpoints (shared with other in-order walks that may offer theirs). */
    readonly checkpoints: DecoderCheckpoints = new DecoderCheckpoints(firstSeq),
    /** A reconnecting connection's attempts: each starts every walk's decoder afresh. */
    private readonly boundaries?: AttemptBoundaries,
  ) {
    this.order = new Float64Array(Math.max(1, limit));
    this.unread = readFrame ? new UnreadAnswers(makeDecoder, readFrame, firstSeq, (seq) => this.cache.has(seq)) : undefined;
  }

  get size(): number {
    return this.cache.size;
  }

  /** The seq the exact walk reads next (-1: not started). */
  get position(): number {
    return this.walk.next;
  }

  /**
   * The frame's decoding (undefined: nothing to decode in it, or it is not in the store). Exact,
   * unless the frame is more than MAX_WALK_FRAMES from any start: then marked (`isUnread`).
   */
  decodeAt(seq: number, maxWalk = MAX_WALK_FRAMES): DecodeOutcome | undefined {
    const cached = this.cache.get(seq);
    if (cached !== undefined) return cached ?? undefined;
    const readFrame = this.readFrame;
    if (!readFrame) return undefined;
    if (this.isStateless()) {
      const frame = readFrame(seq);
      return frame ? this.remember(seq, this.decodeAlone(frame), true) : undefined;
    }
    const start = this.startFor(seq);
    if (seq - start.seq > maxWalk) return this.decodeUnread(seq);
    if (seq >= this.walk.next) {
      if (start.seq > this.walk.next) this.moveWalk(start);
      return this.advance(seq);
    }
    return this.decodeBehind(seq, start);
  }

  /**
   * The frame's decoding, exact however far it is from any start (the walk goes there, leaving
   * checkpoints): for callers that must not get an unread answer and bound their time otherwise
   * (a search in time slices: the next frames then cost little).
   */
  decodeExactly(seq: number): DecodeOutcome | undefined {
    return this.decodeAt(seq, Infinity);
  }

  /**
   * Walks the exact walk at most `maxFrames` towards `seq` (a search does this in time slices
   * before its first frame): true once decodeExactly(seq) walks at most `maxFrames` (the frame is
   * cached, behind the walk, or that near a start).
   */
  walkTowards(seq: number, maxFrames: number): boolean {
    if (!this.readFrame || this.cache.has(seq) || this.isStateless()) return true;
    const frames = Math.max(1, maxFrames);
    const start = this.startFor(seq);
    if (seq < this.walk.next || seq - start.seq <= frames) return true;
    if (start.seq > this.walk.next) this.moveWalk(start);
    this.advance(Math.min(seq - 1, this.walk.next + frames - 1));
    return seq - this.walk.next <= frames;
  }

  /**
   * A frame handed over by a reader that sees every frame in order (the CLI, an export). A gap
   * (frames evicted before they were read, or a first frame after the session's first) loses
   * what spanned it, so the decoder starts afresh; afresh, it takes the state of a checkpoint of
   * the session's it meets (given as `checkpoints`: the rows' own, which hold what the lost frames
   * set), so from there it decodes as the rows do.
   */
  decodeInOrder(frame: WireFrame): DecodeOutcome | undefined {
    const cached = this.cache.get(frame.seq);
    if (cached !== undefined) return cached ?? undefined;
    if (frame.seq < this.walk.next) {
      if (this.readFrame) return this.decodeExactly(frame.seq);
      return this.remember(frame.seq, freshDecoder(this.makeDecoder, frame.seq).decode(frame), false);
    }
    if (frame.seq > Math.max(this.walk.next, FIRST_SEQ)) {
      this.walk.decoder = undefined;
      this.walk.afreshFrom = frame.seq;
      this.inOrderFrom = frame.seq;
    }
    this.newAttempt(frame.seq);
    if (this.walk.afreshFrom !== undefined && !this.readFrame) {
      const checkpoint = this.checkpoints.firstFrom(frame.seq);
      if (checkpoint?.seq === frame.seq) {
        this.walk.decoder = restoredDecoder(checkpoint, this.makeDecoder);
        // One left by a walk afresh itself lacks the evicted frames too, those before where that
        // walk started (not this reader's own start: it read more of them), as the rows say.
        this.walk.afreshFrom = checkpoint.partial?.fromSeq;
        this.inOrderFrom = checkpoint.partial?.fromSeq;
      }
    }
    return this.step(frame);
  }

  /**
   * Where decodeInOrder's decoder started afresh after frames before it were lost (evicted, or
   * never handed over), while it has not taken a checkpoint's state since; after a partial one,
   * where the walk that left it started afresh (what the rows say too): its answers lack what the
   * frames before it set. undefined: it has read the whole session in order (or the protocol keeps
   * nothing across messages).
   */
  get inOrderAfreshFrom(): number | undefined {
    return this.inOrderFrom !== undefined && !this.isStateless() ? this.inOrderFrom : undefined;
  }

  /** Whether catchUp has frames to walk (a far frame was answered unread, ahead of the exact walk or behind it). */
  get lagging(): boolean {
    return this.wantedAhead() || this.behind !== undefined;
  }

  /**
   * Walks at most `maxFrames` towards frames answered unread: the exact walk towards the furthest
   * ahead of it (each frame's answer cached and indexed, checkpoints left behind), else catchUp's
   * own walk towards those behind it (walkBehind); true while there is more.
   */
  catchUp(maxFrames: number): boolean {
    if (!this.readFrame) return false;
    const frames = Math.max(1, maxFrames);
    if (this.wantedAhead()) {
      const target = this.wanted;
      const start = this.startFor(target);
      if (start.seq > this.walk.next) this.moveWalk(start);
      const from = this.walk.next;
      this.advance(Math.min(target, this.walk.next + frames - 1));
      // There, or no further (the frames ahead are gone): done.
      if (this.walk.next > target || this.walk.next === from) this.wanted = -1;
    } else if (this.behind) {
      this.walkBehind(this.behind, frames);
    }
    return this.lagging;
  }

  private wantedAhead(): boolean {
    return this.wanted >= this.walk.next && this.wanted >= 0;
  }

  private isStateless(): boolean {
    if (this.stateless === undefined) {
      this.spare = this.makeDecoder();
      this.stateless = STATELESS_DECODERS.has(this.spare.protocol);
    }
    return this.stateless;
  }

  /** A fresh decoder for a walk started afresh at `afreshFrom` (undefined: whole). */
  private fresh(afreshFrom: number | undefined = undefined): StreamDecoder {
    const spare = this.spare;
    this.spare = undefined;
    return freshDecoder(() => spare ?? this.makeDecoder(), afreshFrom);
  }

  /** A protocol that keeps nothing: any decoder reads any frame as in order. */
  private decodeAlone(frame: WireFrame): DecodeOutcome | undefined {
    this.walk.decoder ??= this.fresh();
    return this.walk.decoder.decode(frame);
  }

  /** The nearest place before `seq` an exact decoder can start: the walk, a checkpoint, or the oldest stored frame. */
  private startFor(seq: number): Start {
    const oldest = Math.max(FIRST_SEQ, this.firstSeq());
    let start: Start = { seq: oldest, decoder: () => undefined, afreshFrom: oldest > FIRST_SEQ ? oldest : undefined };
    const checkpoint = this.checkpoints.nearest(seq);
    if (checkpoint && checkpoint.seq >= start.seq) {
      start = { seq: checkpoint.seq, decoder: () => restoredDecoder(checkpoint, this.makeDecoder), afreshFrom: checkpoint.partial?.fromSeq };
    }
    // An attempt's first frame: a fresh decoder, whole (a checkpoint before it holds the old connection's state).
    const attempt = this.boundaries?.attemptStartAtOrBefore(seq);
    if (attempt !== undefined && attempt >= start.seq) start = { seq: attempt, decoder: () => undefined, afreshFrom: undefined };
    const walk = this.walk;
    if (walk.next >= 0 && walk.next <= seq && walk.next >= start.seq) {
      const decoder = walk.decoder;
      start = { seq: walk.next, decoder: () => decoder, afreshFrom: walk.afreshFrom };
    }
    return start;
  }

  /** The exact walk goes on from a later start (a checkpoint or the oldest frame after a gap). */
  private moveWalk(start: Start): void {
    this.walk.decoder = start.decoder();
    this.walk.next = start.seq;
    this.walk.afreshFrom = start.afreshFrom;
  }

  /**
   * For a walk behind the exact walk started afresh at `afreshFrom` (undefined: it has read the
   * whole session): the next checkpoint after `seq`, when its state holds more of the session
   * than the walk's (a whole one, or one left by a walk afresh from earlier): the walk takes it
   * there, as the exact walk starts from it (startFor). Before, such a walk went on afresh past
   * it, and the answers it kept lacked the evicted frames though the checkpoint had them.
   */
  private rejoinAfter(seq: number, afreshFrom: number | undefined): Checkpoint | undefined {
    if (afreshFrom === undefined) return undefined;
    const next = this.checkpoints.firstFrom(seq + 1);
    return next && (next.partial === undefined || next.partial.fromSeq < afreshFrom) ? next : undefined;
  }

  /** Offers a walk's decoder before frame `seq` (one started afresh only with no checkpoint ahead). */
  private offer(seq: number, decoder: StreamDecoder, afreshFrom: number | undefined): void {
    if (this.checkpoints.due(seq) && (afreshFrom === undefined || this.checkpoints.firstFrom(seq) === undefined)) this.checkpoints.offer(seq, decoder, afreshFrom);
  }

  /** The exact walk forward to `seq` (answers cached and indexed); `seq`'s answer. */
  private advance(seq: number): DecodeOutcome | undefined {
    const readFrame = this.readFrame;
    if (!readFrame) return undefined;
    if (this.walk.next < 0) this.moveWalk(this.startFor(FIRST_SEQ));
    let answer: DecodeOutcome | undefined;
    let gap = false;
    for (let s = this.walk.next; s <= seq; s++) {
      const frame = readFrame(s);
      answer = undefined;
      // Not stored: not captured yet (the walk waits there), or a gap, after which what spanned it is lost.
      if (!frame) {
        gap = true;
        continue;
      }
      if (gap) {
        this.walk.decoder = undefined;
        this.walk.afreshFrom = s;
      }
      gap = false;
      answer = this.step(frame);
    }
    return answer;
  }

  /** At an attempt's first frame the exact walk starts afresh, whole: the protocol starts again there. */
  private newAttempt(seq: number): void {
    if (!this.boundaries?.startsAttempt(seq)) return;
    this.walk.decoder = undefined;
    this.walk.afreshFrom = undefined;
    this.inOrderFrom = undefined;
  }

  /** The exact walk reads one frame (the next in order, or the first after a gap). */
  private step(frame: WireFrame): DecodeOutcome | undefined {
    this.newAttempt(frame.seq);
    const afreshFrom = this.walk.afreshFrom;
    const decoder = (this.walk.decoder ??= this.fresh(afreshFrom));
    if (this.readFrame) this.offer(frame.seq, decoder, afreshFrom);
    this.walk.next = frame.seq + 1;
    const answer = decoder.decode(frame);
    // The rows' answers say they lack the evicted frames (an export's reader says so itself: inOrderAfreshFrom).
    return this.remember(frame.seq, this.readFrame ? markWithoutEvicted(answer, afreshFrom) : answer, true);
  }

  /**
   * A frame behind the walk whose answer was dropped: decoded by a decoder of its own from the
   * nearest start before it (the walk's position is kept), as far as a little after it.
   */
  private decodeBehind(seq: number, start: Start): DecodeOutcome | undefined {
    const readFrame = this.readFrame;
    if (!readFrame || readFrame(seq) === undefined) return undefined;
    const before = Math.min(REWALK_KEPT_FRAMES, Math.floor(this.limit / 2));
    const after = Math.min(REWALK_KEPT_FRAMES, Math.floor(this.limit / 4));
    const last = Math.min(this.walk.next - 1, seq + after);
    const side: SideWalk = { decoder: start.decoder(), afreshFrom: start.afreshFrom, rejoin: this.rejoinAfter(start.seq, start.afreshFrom) };
    let answer: DecodeOutcome | undefined;
    for (let s = start.seq; s <= last; s++) {
      const outcome = this.sideStep(side, s, readFrame(s));
      if (outcome === GAP) continue;
      if (s === seq) answer = outcome;
      if (s >= seq - before && (s === seq || !this.cache.has(s))) this.remember(s, outcome, false);
    }
    return answer;
  }

  /**
   * One frame of a walk behind the exact walk: a gap (evicted frames) starts it afresh, as the
   * exact walk; a checkpoint holding more of the session is taken on reaching it; checkpoints
   * are offered; the answer says what it lacks (without-evicted.ts). GAP: no frame at `seq`.
   */
  private sideStep(side: SideWalk, seq: number, frame: WireFrame | undefined): DecodeOutcome | undefined | typeof GAP {
    if (!frame) {
      side.decoder = undefined;
      side.afreshFrom = seq + 1;
      side.rejoin = this.rejoinAfter(seq, side.afreshFrom);
      return GAP;
    }
    if (this.boundaries?.startsAttempt(seq)) {
      // A new connection: afresh and whole, and no checkpoint to rejoin.
      side.decoder = undefined;
      side.afreshFrom = undefined;
      side.rejoin = undefined;
    }
    const rejoin = side.rejoin;
    if (rejoin?.seq === seq) {
      side.decoder = restoredDecoder(rejoin, this.makeDecoder);
      side.afreshFrom = rejoin.partial?.fromSeq;
      side.rejoin = this.rejoinAfter(seq, side.afreshFrom);
    }
    const decoder = (side.decoder ??= freshDecoder(this.makeDecoder, side.afreshFrom));
    this.offer(seq, decoder, side.afreshFrom);
    return markWithoutEvicted(decoder.decode(frame), side.afreshFrom);
  }

  /**
   * A frame too far from any start to walk to now: decoded with the CONTEXT_FRAMES before it (a
   * walk of its own, which goes on for the frames after it), marked, and catchUp told: ahead of
   * the exact walk, it walks there; behind it (too far from any checkpoint: they were thinned),
   * its own walk goes there from the checkpoint before it (wantBehind). Either way, asked again
   * once catchUp is done, it is exact (so the renderer asks again while it is marked).
   */
  private decodeUnread(seq: number): DecodeOutcome | undefined {
    const frame = this.readFrame?.(seq);
    if (!this.unread || !frame) return undefined;
    if (seq >= this.walk.next) this.wanted = Math.max(this.wanted, seq);
    else this.wantBehind(seq);
    return this.unread.decode(seq, frame);
  }

  /**
   * catchUp's walk behind the exact walk goes to `seq` too: on its way (it has not passed it), it
   * keeps the answers around it as well; with none, one starts at the nearest start before it. One
   * it passed (asked after the walk began for a later frame) waits for that walk to end: asked
   * again then (the rows are, while marked), a new walk goes there.
   */
  private wantBehind(seq: number): void {
    const lo = seq - Math.min(REWALK_KEPT_FRAMES, Math.floor(this.limit / 2));
    const hi = seq + Math.min(REWALK_KEPT_FRAMES, Math.floor(this.limit / 4));
    const behind = this.behind;
    if (!behind) {
      const start = this.startFor(seq);
      this.behind = { decoder: start.decoder(), next: start.seq, afreshFrom: start.afreshFrom, rejoin: undefined, kept: [[lo, hi]] };
      return;
    }
    if (seq < behind.next || behind.kept.length >= BEHIND_RANGES) return;
    // Merged into the ranges (rows in view asked one by one make one range).
    const ranges = [...behind.kept, [Math.max(lo, behind.next), hi] as [number, number]].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const range of ranges) {
      const previous = merged[merged.length - 1];
      if (previous && range[0] <= previous[1] + 1) previous[1] = Math.max(previous[1], range[1]);
      else merged.push([range[0], range[1]]);
    }
    behind.kept = merged;
  }

  /**
   * catchUp's walk behind the exact walk, at most `frames` of it: decoded as decodeBehind does
   * (afresh after a gap, offering checkpoints), the answers in its ranges kept (never at or past
   * the exact walk's position); it ends past the last range.
   */
  private walkBehind(behind: BehindWalk, frames: number): void {
    const readFrame = this.readFrame;
    if (!readFrame) return;
    const oldest = Math.max(FIRST_SEQ, this.firstSeq());
    if (behind.next < oldest) {
      // Evicted while it walked: what they set is gone (afresh), as for any walk.
      behind.next = oldest;
      behind.decoder = undefined;
      behind.afreshFrom = oldest;
    }
    const last = Math.min(this.walk.next - 1, behind.kept[behind.kept.length - 1]?.[1] ?? -1);
    const stop = Math.min(last, behind.next + frames - 1);
    // Checkpoints may have come or gone since the last slice.
    behind.rejoin = this.rejoinAfter(behind.next - 1, behind.afreshFrom);
    for (let s = behind.next; s <= stop; s++) {
      const outcome = this.sideStep(behind, s, readFrame(s));
      behind.next = s + 1;
      if (outcome === GAP) continue;
      while ((behind.kept[0]?.[1] ?? Infinity) < s) behind.kept.shift();
      const range = behind.kept[0];
      if (range && s >= range[0] && !this.cache.has(s)) this.remember(s, outcome, false);
    }
    if (behind.next > last) this.behind = undefined;
  }

  private remember(seq: number, answer: DecodeOutcome | undefined, inOrder: boolean): DecodeOutcome | undefined {
    if (inOrder) this.index?.note(seq, answer);
    this.unread?.forget(seq);
    // The oldest key from a ring of the keys in the order they came, not from the Map's own
    // order: taking the Map's first key after many deletes walks over their tombstones (a
    // search decoding a million frames spent more on that than on decoding).
    if (!this.cache.has(seq)) {
      if (this.cache.size >= this.limit) this.cache.delete(this.order[this.oldest] ?? -1);
      this.order[this.oldest] = seq;
      this.oldest = (this.oldest + 1) % this.order.length;
    }
    this.cache.set(seq, answer ?? null);
    return answer;
  }
}
