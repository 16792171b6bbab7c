/**
 * Lazy decoding for one session: nothing is decoded when a frame is captured; a frame is decoded
 * when something asks for it (a row in view, the detail pane, search, export, a CLI line), and
 * the answer is kept in a cache bounded by count (the oldest answers go first).
 *
 * Protocols keep state across messages (a STOMP frame split in two, an MQTT packet spanning
 * messages, Socket.IO attachments), so decoding walks forward in seq order from where it last
 * stopped (`next`), reading frames through `readFrame` (the store's public API). A frame behind
 * that point whose answer has left the cache is decoded again on its own with a fresh decoder:
 * right for one-message frames, "continues"/"not valid" for a frame that needed earlier ones.
 * A request far ahead does not decode every frame in between: it starts afresh a little before.
 */
import type { DecodeOutcome, StreamDecoder, WireFrame } from './decoded-frame';
import type { DecodedKeyIndex } from './decoded-key-index';

export const DEFAULT_CACHE_ENTRIES = 10_000;
/** Further ahead than this, start afresh CONTEXT_FRAMES before the frame instead of walking. */
export const MAX_WALK_FRAMES = 4096;
export const CONTEXT_FRAMES = 64;
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
    if (seq < this.next) {
      const frame = this.readFrame(seq);
      if (!frame) return undefined;
      return this.remember(seq, this.makeDecoder().decode(frame));
    }
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
    if (frame.seq < this.next) return this.remember(frame.seq, this.makeDecoder().decode(frame));
    if (!this.decoder || (this.next >= 0 && frame.seq > this.next)) this.decoder = this.makeDecoder();
    this.next = frame.seq + 1;
    const answer = this.decoder.decode(frame);
    if (this.fromOldest) this.index?.note(frame.seq, answer);
    return this.remember(frame.seq, answer);
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
