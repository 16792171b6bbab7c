/**
 * The in-order decoding walk of a decoded-field search with a raw prefilter (raw-prefilter.ts):
 * it moves FrameDecodeCache's walk forward frame by frame, passing over a frame without decoding
 * it when the decoder holds nothing for its direction, the frame is self-contained and the
 * needles are not in its payload; every other frame is decoded in order (and indexed). A frame
 * passed over is marked in the DecodedKeyIndex, so a later search tests it by its raw bytes again
 * and decodes it alone only when the needle is there (self-contained: alone is as in order).
 *
 * The payload is read where the store keeps it (its scan view, as the search scanner reads it):
 * each needle's hits are found once per slab with Buffer#indexOf, and a frame holds the needle
 * when a hit lies wholly inside it.
 */
import { bufferHits, hitInside, type HitList } from '../search/frame-scanner';
import { OPCODE_LIST, OUT_BIT, type FrameScanView } from '../session/frame-store';
import type { DecodedKeyIndex } from './decoded-key-index';
import type { FrameDecodeCache, FrameReader } from './frame-decode-cache';
import type { RawPrefilter } from './raw-prefilter';

const OPCODE_BITS = 0x7f;
/** The most frames one verdict walks over (mostly passed over, the rest decoded). */
export const MAX_PREFILTER_WALK = 65_536;

/** What the walk reads of the store. */
export interface ScannableFrames {
  readonly firstSeq: number;
  readonly lastSeq: number;
  scanView(): FrameScanView;
}

export class PrefilterWalk {
  private view: FrameScanView;
  private slabId = -1;
  private slabLength = 0;
  private slab: Buffer | undefined;
  /** Per needle, its hits in the slab. */
  private hits: HitList[] = [];

  constructor(
    private readonly frames: ScannableFrames,
    private readonly prefilter: RawPrefilter,
    private readonly cache: FrameDecodeCache,
    private readonly index: DecodedKeyIndex,
    private readonly readFrame: FrameReader,
  ) {
    this.view = frames.scanView();
  }

  /**
   * For a frame not in the index: false when it cannot match (passed over now or before, no
   * needle), undefined when it must be decoded (decodeAt: it is the walk's next frame then, or
   * it was decoded in order here and the index answers).
   */
  verdict(seq: number): false | undefined {
    this.refresh();
    if (seq < this.view.firstSeq || seq > this.view.lastSeq) return undefined;
    if (this.index.passedOver(seq)) return this.holdsNeedle(seq) ? undefined : false;
    const next = this.cache.walkNext;
    if (seq < next) return undefined; // behind the walk and not indexed: decoded as before
    // Far ahead (a backward search's first frame, say): not in one synchronous go; decodeAt
    // starts afresh near it, as without the prefilter.
    if (seq - Math.max(next, this.view.firstSeq) > MAX_PREFILTER_WALK) return undefined;
    for (let s = Math.max(next, this.view.firstSeq); s < seq; s++) {
      if (this.tryPassOver(s)) continue;
      // Not readable (cannot happen inside the view's range): skipped, so the walk starts afresh after it, as decodeAt's walk does.
      const frame = this.readFrame(s);
      if (frame) this.cache.decodeInOrder(frame);
    }
    return this.tryPassOver(seq) ? false : undefined;
  }

  private tryPassOver(seq: number): boolean {
    const view = this.view;
    const slot = (view.head + (seq - view.firstSeq)) % view.capacity;
    const meta = view.meta[slot] ?? 0;
    const dir = (meta & OUT_BIT) !== 0 ? 'out' : 'in';
    if (!this.cache.canPassOver(seq, dir)) return false;
    const size = view.size[slot] ?? 0;
    const start = view.offsetOf[slot] ?? 0;
    const slabId = view.slabOf[slot] ?? 0;
    if (size > 0) this.loadSlab(slabId, start + size);
    const slab = size > 0 ? this.slab : undefined;
    const opcode = OPCODE_LIST[meta & OPCODE_BITS] ?? 'binary';
    if (!this.prefilter.selfContained(slab ?? Buffer.alloc(0), size > 0 ? start : 0, size > 0 ? start + size : 0, opcode)) return false;
    if (size > 0 && this.holdsAt(start, start + size)) return false;
    this.cache.passOver(seq);
    return true;
  }

  private holdsNeedle(seq: number): boolean {
    const view = this.view;
    const slot = (view.head + (seq - view.firstSeq)) % view.capacity;
    const size = view.size[slot] ?? 0;
    if (size === 0) return false;
    const start = view.offsetOf[slot] ?? 0;
    this.loadSlab(view.slabOf[slot] ?? 0, start + size);
    return this.holdsAt(start, start + size);
  }

  /** Whether a needle lies wholly inside [start, end) of the loaded slab. */
  private holdsAt(start: number, end: number): boolean {
    for (const hits of this.hits) if (hitInside(hits, start, end)) return true;
    return false;
  }

  /** A new view when the store changed since (frames added or evicted, the ring grown). */
  private refresh(): void {
    if (this.frames.firstSeq === this.view.firstSeq && this.frames.lastSeq === this.view.lastSeq) return;
    this.view = this.frames.scanView();
    this.slabId = -1;
  }

  private loadSlab(slabId: number, needEnd: number): void {
    if (slabId === this.slabId && needEnd <= this.slabLength) return;
    const slab = this.view.slab(slabId);
    this.slabId = slabId;
    this.slab = slab;
    this.slabLength = slab ? Math.min(this.view.slabUsed(slabId), slab.length) : 0;
    this.hits = this.prefilter.needles.map((needle) => bufferHits(slab, this.slabLength, needle));
  }
}
