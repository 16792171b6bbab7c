/**
 * Whether a walk in seq order may pass over a frame without decoding it (the rule of
 * raw-prefilter.ts and stateful-prefilter.ts), read from the store's payload slabs: a frame holds
 * a needle when a hit lies wholly inside it, each needle's next hit looked for with Buffer#indexOf
 * only when a frame is asked (needle-cursor.ts) (and, for a rule with `needlesOrLacks`, a frame holding one is passed over
 * when `lacks` rules it out). Used by the decoded-field search's walk (prefilter-walk.ts) and by the query
 * search's in-order walk (in-order-match-walk.ts), each with its own decoder. The query walk's
 * scan may also hold a proof (match-proof.ts): `proven` asks it of a frame (the walk asks it of a
 * frame not passed over, or before the prefilter through a run of proven frames:
 * in-order-match-walk.ts), so the hits of frames the proof takes are never looked for.
 */
import { OPCODE_LIST, OUT_BIT, type FrameScanView } from '../session/frame-store';
import type { StreamDecoder } from './decoded-frame';
import type { MatchProof } from './match-proof';
import { NeedleCursor } from './needle-cursor';
import type { RawPrefilter } from './raw-prefilter';
import type { StatefulPrefilter } from './stateful-prefilter';

const OPCODE_BITS = 0x7f;
const EMPTY = Buffer.alloc(0);

/** What the scan reads of the store. */
export interface ScannableFrames {
  readonly firstSeq: number;
  readonly lastSeq: number;
  scanView(): FrameScanView;
}

export class PrefilterScan {
  private view: FrameScanView;
  private slabId = -1;
  private slabLength = 0;
  private slab: Buffer | undefined;
  /** Per needle, its cursor in the slab (undefined: none asked yet). */
  private needles: NeedleCursor[] | undefined;
  /** Cursors of the bytes a prefilter asks about (`holds`), made in the slab when first asked. */
  private asked = new Map<Buffer, NeedleCursor>();
  /** Whether `bytes` lie wholly inside [start, end) of the loaded slab (for the prefilter's own tests). */
  private readonly holds = (bytes: Buffer, start: number, end: number): boolean => {
    let cursor = this.asked.get(bytes);
    if (!cursor) {
      cursor = new NeedleCursor(this.slab, this.slabLength, bytes);
      this.asked.set(bytes, cursor);
    }
    return cursor.inside(start, end);
  };

  constructor(
    private readonly frames: ScannableFrames,
    readonly prefilter: RawPrefilter | StatefulPrefilter,
    /** A frame this proves matches is not decoded (match-proof.ts). */
    readonly proof?: MatchProof,
    /** The protocol keeps nothing between messages; else a frame is proven only while the walk's decoder is idle for its direction. */
    private readonly proofStateless = true,
  ) {
    this.view = frames.scanView();
  }

  /** The store's view, taken again when frames were added or evicted since. */
  current(): FrameScanView {
    if (this.frames.firstSeq !== this.view.firstSeq || this.frames.lastSeq !== this.view.lastSeq) {
      this.view = this.frames.scanView();
      this.slabId = -1;
    }
    return this.view;
  }

  /**
   * Whether the frame at `seq` (inside the current view) may be passed over by a walk whose
   * decoder has read every frame before it in order. `decoder` undefined: the walk would make a
   * fresh one (idle). A stateful prefilter asks the decoder itself, so the walk makes it first.
   */
  passable(seq: number, decoder: StreamDecoder | undefined): boolean {
    const view = this.view;
    const slot = (view.head + (seq - view.firstSeq)) % view.capacity;
    const meta = view.meta[slot] ?? 0;
    const size = view.size[slot] ?? 0;
    const opcode = OPCODE_LIST[meta & OPCODE_BITS] ?? 'binary';
    const dir = (meta & OUT_BIT) !== 0 ? 'out' : 'in';
    const prefilter = this.prefilter;
    if (prefilter.kind === 'stateful') {
      if (!decoder) return false;
      if (size === 0) return prefilter.passable(decoder, EMPTY, 0, 0, opcode, dir);
      const start = view.offsetOf[slot] ?? 0;
      this.loadSlab(view.slabOf[slot] ?? 0, start + size);
      const slab = this.slab;
      if (!slab || this.holdsAt(start, start + size)) return false;
      return prefilter.passable(decoder, slab, start, start + size, opcode, dir, this.holds);
    }
    if (decoder && prefilter.stateless !== true && decoder.idle?.(dir) !== true) return false;
    if (size === 0) return prefilter.selfContained(EMPTY, 0, 0, opcode);
    const start = view.offsetOf[slot] ?? 0;
    this.loadSlab(view.slabOf[slot] ?? 0, start + size);
    const slab = this.slab;
    if (!slab || !prefilter.selfContained(slab, start, start + size, opcode, this.holds)) return false;
    // Two exact rules (needlesOrLacks): either passes it over; else both must.
    if (prefilter.needlesOrLacks === true) return !this.holdsAt(start, start + size) || (prefilter.lacks?.(slab, start, start + size) ?? false);
    return !this.holdsAt(start, start + size) && (prefilter.lacks?.(slab, start, start + size) ?? true);
  }

  /**
   * Whether the proof says the frame at `seq` (inside the current view) matches; false without a
   * proof. `decoder` as for `passable` (undefined: a fresh one, idle).
   */
  proven(seq: number, decoder: StreamDecoder | undefined): boolean {
    const proof = this.proof;
    if (!proof) return false;
    const view = this.view;
    const slot = (view.head + (seq - view.firstSeq)) % view.capacity;
    const meta = view.meta[slot] ?? 0;
    const size = view.size[slot] ?? 0;
    const opcode = OPCODE_LIST[meta & OPCODE_BITS] ?? 'binary';
    const dir = (meta & OUT_BIT) !== 0 ? 'out' : 'in';
    if (!this.proofStateless && decoder && decoder.idle?.(dir) !== true) return false;
    if (size === 0) return proof(EMPTY, 0, 0, opcode, decoder, dir);
    const start = view.offsetOf[slot] ?? 0;
    this.loadSlab(view.slabOf[slot] ?? 0, start + size);
    const slab = this.slab;
    return slab !== undefined && proof(slab, start, start + size, opcode, decoder, dir);
  }

  /** Whether the frame at `seq` (inside the current view) holds a needle. */
  holdsNeedle(seq: number): boolean {
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
    const slab = this.slab;
    const length = this.slabLength;
    this.needles ??= this.prefilter.needles.map((needle) => new NeedleCursor(slab, length, needle));
    for (const needle of this.needles) if (needle.inside(start, end)) return true;
    return false;
  }

  private loadSlab(slabId: number, needEnd: number): void {
    if (slabId === this.slabId && needEnd <= this.slabLength) return;
    const slab = this.view.slab(slabId);
    this.slabId = slabId;
    this.slab = slab;
    this.slabLength = slab ? Math.min(this.view.slabUsed(slabId), slab.length) : 0;
    this.needles = undefined;
    this.asked = new Map();
  }
}
