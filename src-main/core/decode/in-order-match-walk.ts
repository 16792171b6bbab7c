/**
 * A decoded search that the raw prefilter cannot help (a JSONPath query, a conversation) answered
 * as decoding every stored frame in order answers it: its own decoder walks forward in seq order
 * from the oldest stored frame, testing each frame's decoding and keeping one byte a frame
 * (matched or not), so a frame behind the walk is answered from that byte and never decoded
 * alone (which loses what earlier frames set: a GraphQL subscribe naming later results, an MQTT 5
 * topic alias, a Socket.IO binary header, a packet spanning messages). A backward search's first
 * frame walks every frame before it once; its later frames are answered from the bytes, so a
 * search in either direction, from any frame, costs one walk over the range (not one a frame),
 * which the search runs in time slices before its first frame (`walkTowards`).
 * With a prefilter (`passOver`, query-prefilter.ts) the walk passes over, undecoded and not
 * matched, a frame the prefilter's rule says cannot match and leaves its decoder as it was
 * (prefilter-scan.ts), so the bytes and the decoder are still those of decoding every frame.
 * Its decoder is therefore the state of decoding in order from the oldest stored frame (afresh
 * after a gap, as FrameDecodeCache's walk): it is offered to the session's checkpoints before
 * each frame (decoder-checkpoints.ts), so after a first search any far frame decodes exactly
 * from a checkpoint near it. Started afresh after the store evicted frames before it, it takes
 * the state of the first checkpoint after its start when it gets there (the rows decode from
 * that checkpoint on: without this an MQTT 5 alias or a GraphQL id set before the eviction was
 * missing for the search and not for the rows).
 */
import type { DecodeOutcome, StreamDecoder, WireFrame } from './decoded-frame';
import { restoredDecoder, type DecoderCheckpoints } from './decoder-checkpoints';
import type { FrameReader } from './frame-decode-cache';
import type { PrefilterScan } from './prefilter-scan';

/** Whether a frame's decoding matches (told the frame for its direction). */
export type OutcomeTest = (outcome: DecodeOutcome, frame: WireFrame) => boolean;

export interface WalkedFrames {
  readonly firstSeq: number;
  readonly lastSeq: number;
}

const MATCHED = 1;

export class InOrderMatchWalk {
  private decoder: StreamDecoder | undefined;
  /** The seq the decoder reads next (-1: not started). */
  private next = -1;
  /** What the walk found, a byte a frame from seq `base`. */
  private found = new Uint8Array(0);
  private base = 0;
  /** The decoder started afresh with frames before it evicted: it takes the next checkpoint's state (decoder-checkpoints.ts). */
  private afresh = false;

  constructor(
    private readonly makeDecoder: () => StreamDecoder,
    private readonly readFrame: FrameReader,
    private readonly frames: WalkedFrames,
    private readonly test: OutcomeTest,
    /** Frames this says may be passed over are not decoded (they cannot match). */
    private readonly passOver?: PrefilterScan,
    /** The session's checkpoints, offered the decoder where one is due (undefined: a stateless protocol). */
    private readonly checkpoints?: DecoderCheckpoints,
  ) {}

  matches(seq: number): boolean {
    const first = this.frames.firstSeq;
    if (seq < first || seq > this.frames.lastSeq) return false;
    // Not started, or frames the walk had not reached were evicted: in order from the oldest again.
    if (this.next < 0 || this.next < first) this.restart(first);
    if (seq >= this.next) this.walkTo(seq);
    return this.found[seq - this.base] === MATCHED;
  }

  /**
   * Decodes up to `frames` more frames towards `seq` (a search does this in time slices before
   * its first frame): true once the walk is past it, so `matches(seq)` walks no further.
   */
  walkTowards(seq: number, frames: number): boolean {
    const target = Math.min(seq, this.frames.lastSeq);
    const first = this.frames.firstSeq;
    if (target < first) return true;
    if (this.next < 0 || this.next < first) this.restart(first);
    if (target >= this.next) this.walkTo(Math.min(target, this.next + Math.max(1, frames) - 1));
    return target < this.next;
  }

  private restart(first: number): void {
    this.decoder = undefined;
    this.afresh = first > 1;
    this.next = first;
    this.base = first;
    this.found = new Uint8Array(0);
  }

  private walkTo(seq: number): void {
    this.makeRoom(seq);
    const scan = this.passOver;
    const view = scan?.current();
    const stateful = scan?.prefilter.kind === 'stateful';
    const checkpoints = this.checkpoints;
    let rejoin = this.afresh ? checkpoints?.firstFrom(this.next) : undefined;
    for (let s = this.next; s <= seq; s++) {
      if (rejoin?.seq === s) {
        this.decoder = restoredDecoder(rejoin, this.makeDecoder);
        this.afresh = false;
        rejoin = undefined;
      }
      // Before frame s the decoder has read every stored frame before it in order (a frame passed
      // over leaves it as decoding it would): its state is a checkpoint's. undefined is a fresh one.
      // Not while afresh before the checkpoint it will take: a later afresh walk would take this one instead.
      if (rejoin === undefined && checkpoints?.due(s)) checkpoints.offer(s, (this.decoder ??= this.makeDecoder()));
      if (scan && view && s >= view.firstSeq && s <= view.lastSeq) {
        if (stateful) this.decoder ??= this.makeDecoder();
        if (scan.passable(s, this.decoder)) {
          this.found[s - this.base] = 0;
          continue;
        }
      }
      const frame = this.readFrame(s);
      if (!frame) {
        // A gap (evicted while walking): what spanned it is lost, as in the cache's walk.
        this.decoder = undefined;
        this.afresh = true;
        rejoin = checkpoints?.firstFrom(s + 1);
        continue;
      }
      this.decoder ??= this.makeDecoder();
      const outcome = this.decoder.decode(frame);
      this.found[s - this.base] = outcome && this.test(outcome, frame) ? MATCHED : 0;
    }
    this.next = seq + 1;
  }

  /** Room for the bytes up to `seq`, dropping those of evicted frames (twice what is needed, so growth is amortised). */
  private makeRoom(seq: number): void {
    if (seq - this.base < this.found.length) return;
    const keepFrom = Math.max(this.base, Math.min(this.frames.firstSeq, this.next));
    const grown = new Uint8Array(Math.max(1024, (seq - keepFrom + 1) * 2));
    grown.set(this.found.subarray(keepFrom - this.base, this.next - this.base));
    this.found = grown;
    this.base = keepFrom;
  }
}
