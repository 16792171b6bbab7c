/**
 * The in-order decoding walk of a decoded-field search with a raw prefilter (raw-prefilter.ts).
 * It has its own decoder and position (WalkPosition, one per session, shared by its searches:
 * where the walk passed over a frame it holds nothing, whatever the needles), from the store's
 * oldest frame forward, apart from
 * FrameDecodeCache's walk (which follows the rows in view and jumps to the checkpoint nearest a
 * far request, so it is not where a search is). Frame by frame it passes over a frame without decoding
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
 * Its decoder is the state of decoding every stored frame in order (a frame passed over leaves it
 * as decoding it would; afresh after a gap, as the cache's walk): the walk itself (restarts,
 * checkpoints offered, the checkpoint taken after evicted frames) is in-order-walker.ts, shared
 * with the query search's walk.
 *
 * The payload is read where the store keeps it (its scan view, as the search scanner reads it):
 * each needle's hits are found once per slab with Buffer#indexOf, and a frame holds a needle
 * when a hit lies wholly inside it.
 */
import type { AttemptBoundaries } from './attempt-boundaries';
import type { DecodedKeyIndex } from './decoded-key-index';
import type { StreamDecoder } from './decoded-frame';
import type { DecoderCheckpoints } from './decoder-checkpoints';
import type { FrameReader } from './frame-decode-cache';
import { InOrderWalker, WalkState } from './in-order-walker';
import { PrefilterScan, type ScannableFrames } from './prefilter-scan';
import type { RawPrefilter } from './raw-prefilter';
import type { StatefulPrefilter } from './stateful-prefilter';

/** The most frames one verdict walks over (mostly passed over, the rest decoded); a frame further ahead gets one such stretch. */
export const MAX_PREFILTER_WALK = 65_536;

export type { ScannableFrames } from './prefilter-scan';

/** Where a session's prefiltered walk is: its decoder and the seq it reads next (`state`), and what a stateful walk passed over. */
export class WalkPosition {
  /** Its own object, of one shape with the query walk's (InOrderWalker's hot loop reads it). */
  readonly state = new WalkState();

  /** The seq the walk reads next (-1: not started). */
  get next(): number {
    return this.state.next;
  }
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

/** One search's view of the walk: its needles, with their hits per slab (prefilter-scan.ts). */
export class PrefilterWalk {
  private readonly scan: PrefilterScan;
  private readonly walker: InOrderWalker;

  constructor(
    frames: ScannableFrames,
    private readonly prefilter: RawPrefilter | StatefulPrefilter,
    /** The session's walk (shared by its searches: one in-order decoding, whatever the needles; stateful: one per key). */
    private readonly position: WalkPosition,
    private readonly makeDecoder: () => StreamDecoder,
    private readonly index: DecodedKeyIndex,
    private readonly readFrame: FrameReader,
    /** The session's checkpoints, offered the walk's decoder where one is due (undefined: a stateless protocol). */
    checkpoints?: DecoderCheckpoints,
    /** A reconnecting connection's attempts: each starts the decoder afresh (in-order-walker.ts). */
    boundaries?: AttemptBoundaries,
  ) {
    this.scan = new PrefilterScan(frames, prefilter);
    this.walker = new InOrderWalker(position.state, makeDecoder, checkpoints, boundaries);
  }

  /**
   * For a frame the index does not know: false when it cannot match (passed over now or before,
   * no needle); undefined otherwise: the walk decoded it in order now (the index answers), or
   * it must be decoded as without the prefilter (a passed-over frame holding a needle decodes
   * alone exactly; a frame behind the walk), or it is more than MAX_PREFILTER_WALK ahead.
   */
  verdict(seq: number): false | undefined {
    const view = this.scan.current();
    if (seq < view.firstSeq || seq > view.lastSeq) return undefined;
    if (this.prefilter.kind === 'stateful') {
      if (seq < this.position.state.next) return this.position.wasSkipped(seq) ? false : undefined;
    } else if (this.index.passedOver(seq)) {
      if (!this.scan.holdsNeedle(seq)) return false;
      // Self-contained: decoded alone it says what it would in order, so it goes into the index.
      const frame = this.readFrame(seq);
      if (frame) this.index.note(seq, this.makeDecoder().decode(frame));
      return undefined;
    }
    if (seq < this.position.state.next) return undefined;
    let from = this.enter(view.firstSeq);
    // Far ahead (a search that did not walkTowards its first frame): one stretch towards it, then
    // undefined; StoreDecoding.fieldMatcher walks on to it (a search walks there in time slices first).
    if (seq - from > MAX_PREFILTER_WALK) {
      for (const stop = from + MAX_PREFILTER_WALK; from < stop; from++) this.step(from);
      return undefined;
    }
    let passed = false;
    for (; from <= seq; from++) passed = this.step(from);
    return passed ? false : undefined;
  }

  /**
   * Walks at most `frames` more frames towards `seq` (a search does this in time slices before its
   * first frame): true once the walk is past it, so its verdict and the index answer it exactly.
   */
  walkTowards(seq: number, frames: number): boolean {
    const view = this.scan.current();
    const target = Math.min(seq, view.lastSeq);
    let from = this.enter(view.firstSeq);
    if (target < from) return true;
    for (const stop = Math.min(target, from + Math.max(1, frames) - 1); from <= stop; from++) this.step(from);
    return target < this.position.state.next;
  }

  /**
   * Where the walk goes on: its position, or the oldest stored frame when frames were evicted
   * before it read them (in-order-walker.ts: afresh there, rejoining the whole session's decoding
   * at the first checkpoint after it).
   */
  private enter(firstSeq: number): number {
    this.walker.resume(firstSeq);
    return this.position.state.next;
  }

  /** Reads the frame at the walk's position: passed over (true) or decoded into the index. */
  private step(seq: number): boolean {
    const position = this.position;
    this.walker.enter(seq);
    if (this.prefilter.kind === 'stateful') {
      if (this.scan.passable(seq, this.walker.decoder())) {
        position.markSkipped(seq, this.scan.current().firstSeq);
        return true;
      }
    } else if (this.scan.passable(seq, position.state.decoder)) {
      this.index.notePassedOver(seq);
      return true;
    }
    const frame = this.readFrame(seq);
    if (!frame) {
      // Cannot happen inside the view's range; a gap starts afresh.
      this.walker.gap(seq);
      return false;
    }
    const decoder = this.walker.decoder();
    // Only the fields go into the index: a decoder that can give them alone spares the values.
    if (decoder.fields) this.index.noteFields(seq, decoder.fields(frame));
    else this.index.note(seq, decoder.decode(frame));
    return false;
  }
}
