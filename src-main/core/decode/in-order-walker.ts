/**
 * The loop both search walks share (prefilter-walk.ts for field searches, in-order-match-walk.ts
 * for query and conversation searches): a decoder that reads the stored frames in seq order from
 * the oldest one, so before each frame its state is that of decoding the whole session in order,
 * and is offered to the session's checkpoints (decoder-checkpoints.ts).
 *
 * - `resume` before walking: frames the walk had not reached were evicted (or it never started),
 *   so it starts afresh at the oldest stored frame; started afresh after evicted frames, it takes
 *   the state of the first checkpoint after its start when it gets there (`firstFrom`: the rows
 *   decode from that checkpoint on, and without it an MQTT 5 alias or a GraphQL id set before the
 *   eviction was missing for the search and not for the rows).
 * - `enter(seq)` before reading each frame: that rejoin, then the offer. While afresh before the
 *   checkpoint it will take, it offers nothing (a later afresh walk would take its partial state).
 * - `gap(seq)` where a frame is missing: what spanned it is lost, afresh again.
 * - at a reconnecting connection's attempt's first frame (attempt-boundaries.ts), `enter` makes
 *   the decoder afresh and whole before anything asks it (a prefilter, a proof, a checkpoint's
 *   offer): a new connection, whose protocol starts again.
 *
 * The walk's caller decides what to do with each frame (pass it over by its prefilter,
 * prefilter-scan.ts, which leaves the decoder as decoding would; or decode it with `decoder()`).
 */
import type { AttemptBoundaries } from './attempt-boundaries';
import type { StreamDecoder } from './decoded-frame';
import { restoredDecoder, type Checkpoint, type DecoderCheckpoints } from './decoder-checkpoints';
import { freshDecoder } from './fresh-decoder';

/** Where an in-order walk is: its decoder and the seq it reads next. */
export class WalkState {
  /** undefined: a fresh one is made when the walk first needs it (a fresh decoder is idle). */
  decoder: StreamDecoder | undefined;
  /** -1: not started. */
  next = -1;
  /**
   * Where the decoder started afresh with frames before it evicted (undefined: it read the whole
   * session): it takes the next checkpoint's state.
   */
  afreshFrom: number | undefined = undefined;
}

export class InOrderWalker {
  /** While the walk is afresh: the checkpoint whose state it takes when it gets there. */
  private rejoin: Checkpoint | undefined;

  constructor(
    /** The walk's position (a field search's is shared by the session's searches: WalkPosition). */
    readonly state: WalkState,
    private readonly makeDecoder: () => StreamDecoder,
    /** The session's checkpoints, offered the decoder where one is due (undefined: a stateless protocol). */
    private readonly checkpoints?: DecoderCheckpoints,
    /** A reconnecting connection's attempts: each starts the decoder afresh. */
    private readonly boundaries?: AttemptBoundaries,
  ) {}

  /**
   * Before walking on: the walk goes on from its position, or from `firstSeq` (afresh) when it had
   * not started or frames it had not reached were evicted. True when it restarted there.
   */
  resume(firstSeq: number): boolean {
    const state = this.state;
    const restarted = state.next < firstSeq;
    if (restarted) {
      state.decoder = undefined;
      state.afreshFrom = firstSeq > 1 ? firstSeq : undefined;
      state.next = firstSeq;
    }
    this.rejoin = state.afreshFrom !== undefined ? this.checkpoints?.firstFrom(state.next) : undefined;
    return restarted;
  }

  /** Before reading frame `seq` (the next in order): the walk takes the checkpoint it rejoins at, or offers its decoder. */
  enter(seq: number): void {
    const state = this.state;
    state.next = seq + 1;
    if (this.boundaries?.startsAttempt(seq)) {
      state.decoder = undefined;
      state.afreshFrom = undefined;
      this.rejoin = undefined;
    }
    if (this.rejoin?.seq === seq) {
      state.decoder = restoredDecoder(this.rejoin, this.makeDecoder);
      // One left by a walk afresh itself (decoder-checkpoints.ts `partial`) lacks the evicted frames too.
      state.afreshFrom = this.rejoin.partial?.fromSeq;
      this.rejoin = undefined;
    }
    // Not while afresh before the checkpoint it will take: a later afresh walk would take this one instead.
    if (this.rejoin === undefined && this.checkpoints?.due(seq)) this.checkpoints.offer(seq, this.decoder(), state.afreshFrom);
  }

  /** The walk's decoder, made fresh if it has none yet. */
  decoder(): StreamDecoder {
    return (this.state.decoder ??= freshDecoder(this.makeDecoder, this.state.afreshFrom));
  }

  /** Frame `seq` is not stored (evicted while walking): what spanned it is lost, so afresh until the next checkpoint. */
  gap(seq: number): void {
    const state = this.state;
    state.decoder = undefined;
    // Afresh from the next stored frame (a run of missing frames moves it on).
    state.afreshFrom = seq + 1;
    this.rejoin = this.checkpoints?.firstFrom(seq + 1);
  }
}
