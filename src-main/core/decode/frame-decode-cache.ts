/**
 * Lazy decoding for one session: nothing is decoded when a frame is captured; a frame is decoded
 * when something asks for it (a row in view, the detail pane, search, export, a CLI line), and
 * the answer is kept in a cache bounded by count (the oldest answers go first).
 *
 * Protocols keep state across messages (a STOMP frame split in two, an MQTT packet spanning
 * messages, Socket.IO attachments), so decoding walks forward in seq order from where it last
 * stopped (`next`), reading frames through `readFrame` (the store's public API). A frame behind
 * that point whose answer has left the cache is decoded again with the state before it: a second
 * walk with a fresh decoder from the oldest stored frame (decoders cannot be copied, and a
 * GraphQL id or an MQTT topic alias may have been set by any earlier frame), keeping the answers
 * of the frames around it so the rows next to it cost no other walk. Alone, a GraphQL result
 * would lose its operation, an MQTT 5 PUBLISH its aliased topic, a Socket.IO binary event its header.
 * A request far ahead does not decode every frame in between: it starts afresh a little before.
 */
import type { DecodeOutcome, StreamDecoder, WireFrame } from './decoded-frame';
import type { DecodedKeyIndex } from './decoded-key-index';

export const DEFAULT_CACHE_ENTRIES = 10_000;
/** Further ahead than this, start afresh CONTEXT_FRAMES before the frame instead of walking. */
export const MAX_WALK_FRAMES = 4096;
export const CONTEXT_FRAMES = 64;
/**
 * A walk again for a frame behind keeps the answers of up to this many frames either side of it
 * (the rows next to it; an answer's request is looked for up to 256 frames back), within half
 * the cache before it and a quarter after.
 */
export const REWALK_KEPT_FRAMES = 512;
/** The store numbers a session's frames from 1. */
const FIRST_SEQ = 1;

/** undefined: the frame is not in the store (evicted, or not captured yet). */
export type FrameReader = (seq: number) => WireFrame | undefined;

export class FrameDecodeCache {
  private readonly cache = new Map<number, DecodeOutcome | null>();
  /** Made when the first frame is decoded. */
  private decoder: StreamDecoder | undefined;
  /** The seq the decoder reads next, in order. */
  private next = -1;
  /** The cached seqs in the order they came (a ring of `limit`), and where the oldest is. */
  private readonly order: Float64Array;
  private oldest = 0;
  /** The walk started at the oldest stored frame (or at the first, or a gap): in order from the start. */
  private fromOldest = true;

  constructor(
    private readonly makeDecoder: () => StreamDecoder,
    private readonly readFrame: FrameReader | undefined = undefined,
    private readonly limit = DEFAULT_CACHE_ENTRIES,
    /** Told every answer of the in-order walk (a search's compact index of decoded fields). */
    private readonly index: DecodedKeyIndex | undefined = undefined,
    /** The oldest stored frame's seq, where a walk again for a frame behind starts. */
    private readonly firstSeq: () => number = () => FIRST_SEQ,
  ) {
    this.order = new Float64Array(Math.max(1, limit));
  }

  get size(): number {
    return this.cache.size;
  }

  /** The frame's decoding (undefined: nothing to decode in it, or it is not in the store). */
  decodeAt(seq: number): DecodeOutcome | undefined {
    const cached = this.cache.get(seq);
    if (cached !== undefined) return cached ?? undefined;
    if (!this.readFrame) return undefined;
    if (seq < this.next) return this.decodeBehind(seq);
    if (this.next < 0 || seq - this.next > MAX_WALK_FRAMES) {
      this.decoder = undefined;
      this.next = Math.max(FIRST_SEQ, seq - CONTEXT_FRAMES);
      // Started afresh after stored frames: answers right after the start may lack what those
      // frames began, so they do not go into the index (a search must agree with decoding every
      // frame in order; it decodes frames the index does not know).
      this.fromOldest = this.next === FIRST_SEQ || this.readFrame(this.next - 1) === undefined;
    }
    let answer: DecodeOutcome | undefined;
    for (let s = this.next; s <= seq; s++) {
      const frame = this.readFrame(s);
      answer = frame ? this.decodeInOrder(frame) : undefined;
    }
    return answer;
  }

  /**
   * A frame handed over by a reader that sees every frame in order (the CLI). A gap (frames
   * evicted before they were read) loses what spanned it, so the decoder starts afresh.
   */
  decodeInOrder(frame: WireFrame): DecodeOutcome | undefined {
    const cached = this.cache.get(frame.seq);
    if (cached !== undefined) return cached ?? undefined;
    if (frame.seq < this.next) return this.readFrame ? this.decodeBehind(frame.seq) : this.remember(frame.seq, this.makeDecoder().decode(frame));
    if (!this.decoder || (this.next >= 0 && frame.seq > this.next)) this.decoder = this.makeDecoder();
    this.next = frame.seq + 1;
    const answer = this.decoder.decode(frame);
    if (this.fromOldest) this.index?.note(frame.seq, answer);
    return this.remember(frame.seq, answer);
  }

  /**
   * A frame behind the walk whose answer was dropped: every stored frame before it decoded again
   * in order by a decoder of its own (the walk's position is kept), as far as a little after it.
   */
  private decodeBehind(seq: number): DecodeOutcome | undefined {
    const readFrame = this.readFrame;
    if (!readFrame || readFrame(seq) === undefined) return undefined;
    const before = Math.min(REWALK_KEPT_FRAMES, Math.floor(this.limit / 2));
    const after = Math.min(REWALK_KEPT_FRAMES, Math.floor(this.limit / 4));
    const last = Math.min(this.next - 1, seq + after);
    let decoder = this.makeDecoder();
    let gap = false;
    let answer: DecodeOutcome | undefined;
    for (let s = Math.max(FIRST_SEQ, this.firstSeq()); s <= last; s++) {
      const frame = readFrame(s);
      if (!frame) {
        gap = true;
        continue;
      }
      // As the in-order walk: a gap (evicted frames) starts the decoder afresh.
      if (gap) decoder = this.makeDecoder();
      gap = false;
      const outcome = decoder.decode(frame);
      if (s === seq) answer = outcome;
      if (s >= seq - before && (s === seq || !this.cache.has(s))) this.remember(s, outcome);
    }
    return answer;
  }

  private remember(seq: number, answer: DecodeOutcome | undefined): DecodeOutcome | undefined {
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
