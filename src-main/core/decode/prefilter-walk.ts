/**
 * The in-order decoding walk of a decoded-field search with a raw prefilter (raw-prefilter.ts).
 * It has its own decoder and position (WalkPosition, one per session, shared by its searches:
 * where the walk passed over a frame it holds nothing, whatever the needles), from the store's
 * oldest frame forward, apart from
 * FrameDecodeCache's walk (which follows the rows in view and starts afresh near a far request,
 * so it is not in order from the start). Frame by frame it passes over a frame without decoding
 * it when its decoder holds nothing for the frame's direction, the frame is self-contained and
 * holds no needle; every other frame it decodes, in order, and hands the answer to the
 * DecodedKeyIndex. A frame passed over is marked there, so a later search tests its raw bytes
 * again and decodes it alone only when a needle is there (self-contained: alone is as in order).
 *
 * With a stateful prefilter (stateful-prefilter.ts: MQTT, GraphQL) a frame passed over need not
 * decode alone as in order, so it is not marked in the index: the walk is one per wanted value
 * (its key) and keeps its own record of the frames it passed over (`WalkPosition.skipped`);
 * whether to pass over is asked with the walk's decoder, which is made before the first frame.
 *
 * The payload is read where the store keeps it (its scan view, as the search scanner reads it):
 * each needle's hits are found once per slab with Buffer#indexOf, and a frame holds a needle
 * when a hit lies wholly inside it.
 */
import { bufferHits, hitInside, type HitList } from '../search/frame-scanner';
import { OPCODE_LIST, OUT_BIT, type FrameScanView } from '../session/frame-store';
import type { DecodedKeyIndex } from './decoded-key-index';
import type { StreamDecoder } from './decoded-frame';
import type { FrameReader } from './frame-decode-cache';
import type { RawPrefilter } from './raw-prefilter';
import type { StatefulPrefilter } from './stateful-prefilter';

const OPCODE_BITS = 0x7f;
const EMPTY = Buffer.alloc(0);
/** The most frames one verdict walks over (mostly passed over, the rest decoded); a frame further ahead gets one such stretch. */
export const MAX_PREFILTER_WALK = 65_536;

/** What the walk reads of the store. */
export interface ScannableFrames {
  readonly firstSeq: number;
  readonly lastSeq: number;
  scanView(): FrameScanView;
}

/** Where a session's prefiltered walk is: its decoder and the seq it reads next. */
export class WalkPosition {
  /** Made when the walk first decodes (undefined: a fresh one would be made, so idle). */
  decoder: StreamDecoder | undefined;
  /** -1: not started. */
  next = -1;
  /** A stateful walk's frames passed over (1), by seq from `skippedBase`; the front dropped as the store evicts. */
  private skipped = new Uint8Array(0);
  private skippedBase = 1;

  markSkipped(seq: number, firstSeq: number): void {
    let at = seq - this.skippedBase;
    if (at < 0) return;
    if (at >= this.skipped.length) {
      this.forgetBefore(firstSeq);
      at = seq - this.skippedBase;
      if (at < 0) return;
      if (at >= this.skipped.length) {
        let size = Math.max(1024, this.skipped.length);
        while (size <= at) size *= 2;
        const grown = new Uint8Array(size);
        grown.set(this.skipped);
        this.skipped = grown;
      }
    }
    this.skipped[at] = 1;
  }

  wasSkipped(seq: number): boolean {
    const at = seq - this.skippedBase;
    return at >= 0 && at < this.skipped.length && this.skipped[at] === 1;
  }

  private forgetBefore(firstSeq: number): void {
    const drop = firstSeq - this.skippedBase;
    if (drop <= 0) return;
    this.skipped = drop >= this.skipped.length ? new Uint8Array(0) : this.skipped.slice(drop);
    this.skippedBase = firstSeq;
  }
}

/** One search's view of the walk: its needles, with their hits per slab. */
export class PrefilterWalk {
  private view: FrameScanView;
  private slabId = -1;
  private slabLength = 0;
  private slab: Buffer | undefined;
  /** Per needle, its hits in the slab. */
  private hits: HitList[] = [];
  /** Hits of the bytes a prefilter asks about (`holds`), found in the slab when first asked. */
  private asked = new Map<Buffer, HitList>();
  /** Whether `bytes` lie wholly inside [start, end) of the loaded slab (for the prefilter's own tests). */
  private readonly holds = (bytes: Buffer, start: number, end: number): boolean => {
    let hits = this.asked.get(bytes);
    if (!hits) {
      hits = bufferHits(this.slab, this.slabLength, bytes);
      this.asked.set(bytes, hits);
    }
    return hitInside(hits, start, end);
  };

  constructor(
    private readonly frames: ScannableFrames,
    private readonly prefilter: RawPrefilter | StatefulPrefilter,
    /** The session's walk (shared by its searches: one in-order decoding, whatever the needles; stateful: one per key). */
    private readonly position: WalkPosition,
    private readonly makeDecoder: () => StreamDecoder,
    private readonly index: DecodedKeyIndex,
    private readonly readFrame: FrameReader,
  ) {
    this.view = frames.scanView();
  }

  /**
   * For a frame the index does not know: false when it cannot match (passed over now or before,
   * no needle); undefined otherwise: the walk decoded it in order now (the index answers), or
   * it must be decoded as without the prefilter (a passed-over frame holding a needle decodes
   * alone exactly; a frame behind the walk or too far ahead).
   */
  verdict(seq: number): false | undefined {
    this.refresh();
    const view = this.view;
    if (seq < view.firstSeq || seq > view.lastSeq) return undefined;
    if (this.prefilter.kind === 'stateful') {
      if (seq < this.position.next) return this.position.wasSkipped(seq) ? false : undefined;
    } else if (this.index.passedOver(seq)) {
      if (!this.holdsNeedle(seq)) return false;
      // Self-contained: decoded alone it says what it would in order, so it goes into the index.
      const frame = this.readFrame(seq);
      if (frame) this.index.note(seq, this.makeDecoder().decode(frame));
      return undefined;
    }
    const position = this.position;
    if (seq < position.next) return undefined;
    let from = Math.max(position.next, view.firstSeq);
    // Frames evicted before the walk read them: it starts afresh, as the cache's walk does at a gap.
    if (position.next >= 0 && from > position.next) position.decoder = undefined;
    // Far ahead (a backward search's first frames): not in one synchronous go. One stretch
    // towards it now, so the calls that follow (the frames before it) reach the walk; this frame
    // is decoded as without the prefilter.
    if (seq - from > MAX_PREFILTER_WALK) {
      for (const stop = from + MAX_PREFILTER_WALK; from < stop; from++) this.step(from);
      return undefined;
    }
    let passed = false;
    for (; from <= seq; from++) passed = this.step(from);
    return passed ? false : undefined;
  }

  /** Reads the frame at the walk's position: passed over (true) or decoded into the index. */
  private step(seq: number): boolean {
    const position = this.position;
    position.next = seq + 1;
    const view = this.view;
    const slot = (view.head + (seq - view.firstSeq)) % view.capacity;
    const meta = view.meta[slot] ?? 0;
    if (this.prefilter.kind === 'stateful') {
      position.decoder ??= this.makeDecoder();
      if (this.statefulPassable(slot, meta, position.decoder)) {
        position.markSkipped(seq, view.firstSeq);
        return true;
      }
    } else if (this.passable(slot, meta)) {
      this.index.notePassedOver(seq);
      return true;
    }
    const frame = this.readFrame(seq);
    if (!frame) {
      position.decoder = undefined; // cannot happen inside the view's range; a gap starts afresh
      return false;
    }
    const decoder = (position.decoder ??= this.makeDecoder());
    // Only the fields go into the index: a decoder that can give them alone spares the values.
    if (decoder.fields) this.index.noteFields(seq, decoder.fields(frame));
    else this.index.note(seq, decoder.decode(frame));
    return false;
  }

  private statefulPassable(slot: number, meta: number, decoder: StreamDecoder): boolean {
    const prefilter = this.prefilter;
    if (prefilter.kind !== 'stateful') return false;
    const view = this.view;
    const size = view.size[slot] ?? 0;
    const opcode = OPCODE_LIST[meta & OPCODE_BITS] ?? 'binary';
    const dir = (meta & OUT_BIT) !== 0 ? 'out' : 'in';
    if (size === 0) return prefilter.passable(decoder, EMPTY, 0, 0, opcode, dir);
    const start = view.offsetOf[slot] ?? 0;
    this.loadSlab(view.slabOf[slot] ?? 0, start + size);
    const slab = this.slab;
    if (!slab || this.holdsAt(start, start + size)) return false;
    return prefilter.passable(decoder, slab, start, start + size, opcode, dir, this.holds);
  }

  private passable(slot: number, meta: number): boolean {
    const prefilter = this.prefilter;
    if (prefilter.kind !== 'self-contained') return false;
    const view = this.view;
    const decoder = this.position.decoder;
    if (decoder && decoder.idle?.((meta & OUT_BIT) !== 0 ? 'out' : 'in') !== true) return false;
    const size = view.size[slot] ?? 0;
    const opcode = OPCODE_LIST[meta & OPCODE_BITS] ?? 'binary';
    if (size === 0) return prefilter.selfContained(EMPTY, 0, 0, opcode);
    const start = view.offsetOf[slot] ?? 0;
    this.loadSlab(view.slabOf[slot] ?? 0, start + size);
    const slab = this.slab;
    if (!slab || !prefilter.selfContained(slab, start, start + size, opcode, this.holds)) return false;
    return !this.holdsAt(start, start + size);
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
    this.asked = new Map();
  }
}
