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
 * A frame the scan's proof (match-proof.ts) says matches is marked matched, undecoded, and
 * leaves the decoder as it was (a proof vouches only for frames that change nothing in it; in a
 * protocol that keeps state, only while the decoder is idle for the frame's direction): a query
 * most frames match is counted without decoding them. The prefilter is asked first, so a frame
 * it passes over is not shown to the proof, but through a run of proven frames (PROOF_FIRST_AFTER
 * with no frame decoded between them) the proof is asked first, until a few frames in a row (PREFILTER_FIRST_AFTER) are not
 * proven: a frame one rule takes the other cannot, so the order changes no answer, and a dense
 * query reads each frame once (STOMP's `$.command == 'MESSAGE'` was read by the prefilter, then
 * again by the proof).
 * Its decoder is therefore the state of decoding in order from the oldest stored frame (afresh
 * after a gap, as FrameDecodeCache's walk): the walk itself (restarts, checkpoints offered, the
 * checkpoint taken after evicted frames) is in-order-walker.ts, shared with the field search's walk.
 */
import type { AttemptBoundaries } from './attempt-boundaries';
import type { DecodeOutcome, StreamDecoder, WireFrame } from './decoded-frame';
import type { DecoderCheckpoints } from './decoder-checkpoints';
import type { FrameReader } from './frame-decode-cache';
import { InOrderWalker, WalkState } from './in-order-walker';
import type { PrefilterScan } from './prefilter-scan';

/** Whether a frame's decoding matches (told the frame for its direction). */
export type OutcomeTest = (outcome: DecodeOutcome, frame: WireFrame) => boolean;

export interface WalkedFrames {
  readonly firstSeq: number;
  readonly lastSeq: number;
}

const MATCHED = 1;
/** Frames walked past the one asked (the answers are kept, so no work is lost unless the search stops there). */
const WALK_AHEAD = 255;
/** Proven frames, none decoded between them, after which the proof is asked before the prefilter (a query most frames match). */
const PROOF_FIRST_AFTER = 16;
/** Frames in a row the proof does not take after which the prefilter is asked first again. */
const PREFILTER_FIRST_AFTER = 4;

export class InOrderMatchWalk {
  /** The decoder and the seq it reads next. */
  private readonly state = new WalkState();
  private readonly walker: InOrderWalker;
  /** What the walk found, a byte a frame from seq `base`. */
  private found = new Uint8Array(0);
  private base = 0;
  /** Ask the proof before the prefilter (the file comment: the order changes no answer, only what is read). */
  private proofFirst = false;
  /** In the current order: proven frames since one was decoded (prefilter first), or frames not proven in a row (proof first). */
  private run = 0;

  constructor(
    makeDecoder: () => StreamDecoder,
    private readonly readFrame: FrameReader,
    private readonly frames: WalkedFrames,
    private readonly test: OutcomeTest,
    /** Frames this says may be passed over are not decoded (they cannot match). */
    private readonly passOver?: PrefilterScan,
    /** The session's checkpoints, offered the decoder where one is due (undefined: a stateless protocol). */
    checkpoints?: DecoderCheckpoints,
    /** A reconnecting connection's attempts: each starts the decoder afresh (in-order-walker.ts). */
    boundaries?: AttemptBoundaries,
  ) {
    this.walker = new InOrderWalker(this.state, makeDecoder, checkpoints, boundaries);
  }

  matches(seq: number): boolean {
    const first = this.frames.firstSeq;
    if (seq < first || seq > this.frames.lastSeq) return false;
    this.resume(first);
    // A stretch ahead: a forward search asks frame by frame, and each walkTo costs about what a proven frame does.
    if (seq >= this.state.next) this.walkTo(Math.min(this.frames.lastSeq, seq + WALK_AHEAD));
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
    this.resume(first);
    const next = this.state.next;
    if (target >= next) this.walkTo(Math.min(target, next + Math.max(1, frames) - 1));
    return target < this.state.next;
  }

  /** Not started, or frames the walk had not reached were evicted: in order from the oldest again, with no bytes. */
  private resume(first: number): void {
    if (!this.walker.resume(first)) return;
    this.base = first;
    this.found = new Uint8Array(0);
  }

  private walkTo(seq: number): void {
    this.makeRoom(seq);
    const scan = this.passOver;
    const view = scan?.current();
    const stateful = scan?.prefilter.kind === 'stateful';
    const walker = this.walker;
    const state = this.state;
    for (let s = state.next; s <= seq; s++) {
      walker.enter(s);
      if (scan && view && s >= view.firstSeq && s <= view.lastSeq) {
        if (this.proofFirst) {
          if (scan.proven(s, state.decoder)) {
            this.found[s - this.base] = MATCHED;
            this.run = 0;
            continue;
          }
          if (++this.run >= PREFILTER_FIRST_AFTER) this.switchOrder(false);
          if (scan.passable(s, stateful ? walker.decoder() : state.decoder)) {
            this.found[s - this.base] = 0;
            continue;
          }
        } else {
          // A frame passed over does not end a run of proven ones: only a decoded frame does (SignalR's
          // dense `$.type == 1` passes over a Completion every 11th message, between invocations proven).
          if (scan.passable(s, stateful ? walker.decoder() : state.decoder)) {
            this.found[s - this.base] = 0;
            continue;
          }
          if (scan.proven(s, state.decoder)) {
            this.found[s - this.base] = MATCHED;
            if (++this.run >= PROOF_FIRST_AFTER) this.switchOrder(true);
            continue;
          }
          this.run = 0;
        }
      }
      const frame = this.readFrame(s);
      if (!frame) {
        // A gap (evicted while walking): what spanned it is lost, as in the cache's walk.
        walker.gap(s);
        continue;
      }
      const outcome = walker.decoder().decode(frame);
      this.found[s - this.base] = outcome && this.test(outcome, frame) ? MATCHED : 0;
    }
  }

  private switchOrder(proofFirst: boolean): void {
    this.proofFirst = proofFirst;
    this.run = 0;
  }

  /** Room for the bytes up to `seq`, dropping those of evicted frames (twice what is needed, so growth is amortised). */
  private makeRoom(seq: number): void {
    if (seq - this.base < this.found.length) return;
    const next = this.state.next;
    const keepFrom = Math.max(this.base, Math.min(this.frames.firstSeq, next));
    const grown = new Uint8Array(Math.max(1024, (seq - keepFrom + 1) * 2));
    grown.set(this.found.subarray(keepFrom - this.base, next - this.base));
    this.found = grown;
    this.base = keepFrom;
  }
}
